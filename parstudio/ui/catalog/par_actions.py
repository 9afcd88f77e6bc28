"""The PAR Settings page's row actions: add an item, deactivate, and the dialogs a row opens.

Mixed into ParSettingsPage (par_page.py), whose grid, picker and messages they use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.catalog import ParSettingRecord
from parstudio.domain.enums import Method
from parstudio.domain.errors import ParStudioError
from parstudio.services.catalog import items, par_settings
from parstudio.services.core.database import Database
from parstudio.ui.admin.audit_page import HistoryDialog
from parstudio.ui.kit.charts import open_usage_chart
from parstudio.ui.kit.geometry import fit_and_remember
from parstudio.ui.kit.table_models import RecordFilterProxy, RecordRole
from parstudio.ui.kit.undo import AddCommand, ServiceCommand
from parstudio.ui.review.par_calculator import suggest_par
from parstudio.ui.review.seasons_dialog import SeasonsDialog

if TYPE_CHECKING:
    from parstudio.domain.paper import PrintedDocument, PrintOptions
    from parstudio.ui.kit.page import PageHost

# Printing (reportlab, pdfium) is imported when something is printed, not at start-up.


class AddItemDialog(QDialog):
    """Pick an item that is not yet at the location."""

    def __init__(self, parent: QWidget | None, db: Database, taken: set[int]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add item to location")
        fit_and_remember(self, "add_item_to_location", QSize(560, 420))
        self.db, self.taken = db, taken
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search code, description, barcode…")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.search.textChanged.connect(self.fill)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.fill()

    def fill(self, *_args: Any) -> None:
        """List up to 200 matching items not yet at the location."""
        self.list.clear()
        found = items.list_items(self.db, search=self.search.text().strip() or None, limit=400)
        for record in [r for r in found if r.id not in self.taken][:200]:
            entry = QListWidgetItem(f"{record.code} — {record.description}")
            entry.setData(Qt.ItemDataRole.UserRole, record.id)
            self.list.addItem(entry)
        if self.list.count():
            self.list.setCurrentRow(0)

    def item_id(self) -> int | None:
        """The item chosen."""
        current = self.list.currentItem()
        return None if current is None else int(current.data(Qt.ItemDataRole.UserRole))


class ParRowActions(QWidget):
    """What the page's toolbar and row menu do: the base of ParSettingsPage, a QWidget."""

    host: PageHost
    view: QAbstractItemView
    proxy: RecordFilterProxy
    location_picker: QComboBox

    if TYPE_CHECKING:  # the page's own, which these actions use

        def _refused(self, message: str) -> None: ...

        def setting_changed(self, record: ParSettingRecord | None) -> None: ...

        def current_record(self) -> ParSettingRecord | None: ...

        def _update(self, setting_id: int, values: dict[str, Any], version: int | None) -> Any: ...

        def _edited(
            self, before: ParSettingRecord, after: ParSettingRecord, name: str, old: Any, new: Any
        ) -> None: ...

    def show_history(self) -> None:
        """The current setting's recorded changes."""
        record = self.current_record()
        if record is not None:
            title = f"{record.item_code} at {record.location_code}"
            HistoryDialog(
                self, self.host, table="par_setting", record_id=record.id, title=title
            ).exec()

    def open_calculator(self) -> None:
        """Suggest a PAR level for the current line; apply it, undoably, if the user accepts."""
        record = self.current_record()
        if record is None or record.method != Method.PAR:
            return
        try:
            level = suggest_par(self, self.host.db, record)
        except ParStudioError as exc:
            self._refused(str(exc))
            return
        if level is None or level == record.par_level:
            return
        try:
            updated = self._update(record.id, {"par_level": level}, record.version)
        except ParStudioError as exc:
            self._refused(f"{record.item_code}, PAR level: {exc}")
            return
        self.setting_changed(updated)
        self._edited(record, updated, "par_level", record.par_level, level)

    def label_settings(self) -> list[ParSettingRecord]:
        """The settings to label: the rows with a selected cell, else every row shown."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedIndexes()})
        if len(rows) <= 1:
            rows = list(range(self.proxy.rowCount()))
        found = [self.proxy.data(self.proxy.index(row, 0), RecordRole) for row in rows]
        return [record for record in found if isinstance(record, ParSettingRecord)]

    def print_labels(self) -> None:
        """Preview shelf labels of the selected rows (or the whole location when one is)."""
        ids = [record.id for record in self.label_settings()]
        if not ids:
            self.host.show_status("This location has no PAR settings to label.")
            return

        from parstudio.services.ordering import printing
        from parstudio.ui.kit.print_preview import preview

        def make(options: PrintOptions) -> PrintedDocument:
            return printing.shelf_labels_for(self.host.db, setting_ids=ids, options=options)

        preview(self, make, labels=True, title=f"Shelf labels ({len(ids)})")

    def add_item(self) -> None:
        """Pick an item and put it at the location, undoably."""
        location_id = self.location_picker.currentData()
        if location_id is None:
            return
        taken = {
            r.item_id
            for r in par_settings.list_par_settings(
                self.host.db, location_id=location_id, include_inactive=True
            )
        }
        dialog = AddItemDialog(self, self.host.db, taken)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.item_id() is None:
            return
        self.add_setting(location_id, int(dialog.item_id() or 0))

    def add_setting(self, location_id: int, item_id: int) -> ParSettingRecord | None:
        """Put an item at a location with no levels yet (they are typed in the grid)."""
        db = self.host.db

        def create() -> ParSettingRecord:
            return par_settings.create_par_setting(
                db, location_id=location_id, item_id=item_id, fields={}
            )

        try:
            record = create()
        except ParStudioError as exc:
            self._refused(str(exc))
            return None
        command = AddCommand(
            f"Add {record.item_code} to {record.location_code}",
            record=record,
            create=create,
            delete_if_unused=lambda sid: par_settings.delete_par_setting_if_unused(
                db, setting_id=sid
            ),
            set_active=lambda sid, active: par_settings.set_par_setting_active(
                db, setting_id=sid, active=active
            ),
            done=self.setting_changed,
            report=self.host.report_error,
            versions=self.host.undo_stack.versions,
        )
        self.host.undo_stack.push(command)
        self.setting_changed(record)
        self.host.show_status(f"Added {record.item_code} to {record.location_code}.")
        return record

    def edit_seasons(self) -> None:
        """Open the flex PAR calendar of the current row's setting."""
        record = self.current_record()
        if record is None:
            self.host.show_status("Select an item first, then choose Seasons….")
            return
        SeasonsDialog(self, self.host.db, record).exec()

    def show_chart(self) -> None:
        """Open the usage chart of the current row's setting."""
        record = self.current_record()
        if record is None:
            self.host.show_status("Select an item first, then choose Usage chart….")
            return
        open_usage_chart(self, self.host.db, record.id)

    def record_waste(self) -> None:
        """Record stock of the current row's item thrown away at this location, undoably."""
        record = self.current_record()
        if record is None:
            self.host.show_status("Select an item first, then choose Record waste….")
            return
        from parstudio.ui.expiry.waste_dialog import WasteDraft, record_waste

        record_waste(
            self, self.host, WasteDraft(location_id=record.location_id, item_id=record.item_id)
        )

    def show_stock_across(self) -> None:
        """The current row's item at every location that carries it."""
        record = self.current_record()
        if record is None:
            self.host.show_status("Select an item first, then choose Across locations….")
            return
        from parstudio.ui.ordering.stock_across import show_stock_across

        show_stock_across(self, self.host, record.item_id)

    def deactivate_current(self) -> None:
        """Take the current row's item off this location's PAR list, undoably."""
        record = self.current_record()
        if record is not None:
            self.deactivate(record)

    def deactivate(self, record: ParSettingRecord) -> None:
        """Deactivate a PAR setting (its counts stay); undo reactivates it."""
        db = self.host.db

        def set_active(active: bool) -> ParSettingRecord:
            return par_settings.set_par_setting_active(db, setting_id=record.id, active=active)

        try:
            changed = set_active(False)
        except ParStudioError as exc:
            self._refused(str(exc))
            return
        command = ServiceCommand(
            f"Deactivate {record.item_code} at {record.location_code}",
            redo=lambda: set_active(False),
            undo=lambda: set_active(True),
            done=self.setting_changed,
            report=self.host.report_error,
            versions=self.host.undo_stack.versions,
        )
        self.host.undo_stack.push(command)
        self.setting_changed(changed)
        self.host.show_status(f"Deactivated {record.item_code} at {record.location_code}.")
