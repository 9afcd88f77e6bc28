"""The PAR settings grid: one location's items, every PAR field edited in its cell."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.catalog import ParSettingRecord
from parstudio.domain.errors import ConflictError, ParStudioError
from parstudio.domain.fields import PAR_FIELDS
from parstudio.domain.roles import Action
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.ui.admin.audit_page import HistoryDialog
from parstudio.ui.catalog.par_grid import ParDelegate, ParSettingsModel
from parstudio.ui.kit.charts import open_usage_chart
from parstudio.ui.kit.conflicts import resolve_conflict
from parstudio.ui.kit.geometry import fit_and_remember
from parstudio.ui.kit.page import PageHost, empty_label, make_table
from parstudio.ui.kit.permissions import permit
from parstudio.ui.kit.table_models import RecordFilterProxy, RecordRole
from parstudio.ui.kit.undo import AddCommand, EditCommand, ServiceCommand
from parstudio.ui.review.par_calculator import suggest_par
from parstudio.ui.review.seasons_dialog import SeasonsDialog

if TYPE_CHECKING:
    from parstudio.domain.paper import PrintedDocument, PrintOptions

# Printing (reportlab, pdfium) is imported when something is printed, not at start-up.

AnyIndex = QModelIndex | QPersistentModelIndex
STRIP_STYLE = (
    "background: #fdecea; color: #8a1c1c; border: 1px solid #f5c2c0; border-radius: 3px; "
    "padding: 6px;"
)
WIDTHS = {
    "item_code": 120,
    "description": 260,
    "unit": 50,
    "pack_size": 70,
    "bin": 70,
    "method": 80,
    "count_type": 120,
    "source": 120,
}


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


class ParSettingsPage(QWidget):
    """Pick a location, then edit its PAR settings in the grid."""

    def __init__(self, host: PageHost) -> None:
        super().__init__()
        self.host = host
        self.model = ParSettingsModel(None, self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)

        self.location_picker = QComboBox(self)
        self.location_picker.setObjectName("location_picker")
        self.location_picker.setMinimumWidth(320)
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_action = QAction("Add item to location…", self)
        self.deactivate_action = QAction("Deactivate", self)
        self.calculator_action = QAction("PAR calculator…", self)
        self.calculator_action.setToolTip("Suggest a PAR level for this line from its usage")
        self.labels_action = QAction("Shelf labels…", self)
        self.seasons_action = QAction("Seasons…", self)
        self.seasons_action.setToolTip("Seasonal levels of the selected item (flex PAR calendar)")
        self.chart_action = QAction("Usage chart…", self)
        self.chart_action.setToolTip("Usage over time of the selected item, with its levels")
        self.waste_action = QAction("Record waste…", self)
        self.waste_action.setToolTip(
            "Record stock of the selected item thrown away here: expired, damaged or recalled"
        )
        self.toolbar.addAction(self.add_action)
        self.toolbar.addAction(self.calculator_action)
        self.toolbar.addAction(self.deactivate_action)
        self.history_action = QAction("History…", self)
        self.toolbar.addAction(self.history_action)
        self.history_action.triggered.connect(self.show_history)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.labels_action)
        self.labels_action.triggered.connect(self.print_labels)
        self.toolbar.addAction(self.seasons_action)
        self.toolbar.addAction(self.chart_action)
        self.toolbar.addAction(self.waste_action)
        self.waste_action.triggered.connect(self.record_waste)
        self.seasons_action.triggered.connect(self.edit_seasons)
        self.chart_action.triggered.connect(self.show_chart)
        self.add_action.triggered.connect(self.add_item)
        self.calculator_action.triggered.connect(self.open_calculator)
        self.deactivate_action.triggered.connect(self.deactivate_current)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search code, description, bin…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search.textChanged.connect(self._filter)

        # The toolbar has a row of its own: beside the picker it overflowed at 1280 px.
        picker_row = QHBoxLayout()
        picker_row.addWidget(QLabel("Location:", self))
        picker_row.addWidget(self.location_picker)
        picker_row.addStretch(1)
        picker_row.addWidget(self.search)
        top = QVBoxLayout()
        top.addLayout(picker_row)
        top.addWidget(self.toolbar)

        self.message_strip = QLabel(self)
        self.message_strip.setObjectName("message_strip")
        self.message_strip.setStyleSheet(STRIP_STYLE)
        self.message_strip.setWordWrap(True)
        self.message_strip.setVisible(False)

        self.view = make_table(self)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.delegate = ParDelegate(self.view)
        self.delegate.problem.connect(self._typing_problem)
        self.view.setItemDelegate(self.delegate)
        # The toolbar runs out of room on a narrow window: the row's actions are on its menu too.
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        row_actions = (self.history_action, self.seasons_action, self.chart_action)
        for action in (*row_actions, self.waste_action):
            self.view.addAction(action)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        header = self.view.horizontalHeader()
        metrics = header.fontMetrics()
        for column, spec in enumerate(ParSettingsModel.SPECS):
            fit = metrics.horizontalAdvance(spec.label) + 28
            header.resizeSection(column, max(WIDTHS.get(spec.name, 70), fit))
        header.setStretchLastSection(True)
        # Unsorted until a header is clicked: the service's walking order (bin, then item).
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)

        self.empty = empty_label(self)
        self.body = QStackedWidget(self)
        self.body.addWidget(self.view)
        self.body.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.message_strip)
        layout.addWidget(self.body, 1)

        self.location_picker.currentIndexChanged.connect(lambda _i: self.load_location())
        self.model.edit_refused.connect(self._refused)
        # Queued: the dialog must not open while the cell editor is still committing.
        self.model.conflicted.connect(self._conflict, Qt.ConnectionType.QueuedConnection)
        self.model.edited.connect(self._edited)
        self.model.modelReset.connect(self._update_state)
        self.view.selectionModel().currentChanged.connect(self._update_state)

    # -- page interface
    def refresh(self) -> None:
        """Read the locations and the chosen location's settings again."""
        self.model.db = self.host.db
        current = self.location_picker.currentData()
        self.location_picker.blockSignals(True)
        self.location_picker.clear()
        for location in locations.list_locations(self.host.db):
            self.location_picker.addItem(f"{location.code} — {location.name}", location.id)
        index = self.location_picker.findData(current)
        self.location_picker.setCurrentIndex(index if index >= 0 else 0)
        self.location_picker.blockSignals(False)
        self.load_location()

    def focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.search.setFocus()
        self.search.selectAll()

    def select_location(self, location_id: int) -> None:
        """Show this location's settings."""
        self.location_picker.setCurrentIndex(self.location_picker.findData(location_id))

    def load_location(self) -> None:
        """Show the chosen location's settings."""
        self.hide_message()
        self.model.db = self.host.db
        self.model.load(self.location_picker.currentData())

    # -- messages
    def hide_message(self) -> None:
        """Hide the message strip."""
        self.message_strip.setVisible(False)

    def _refused(self, message: str) -> None:
        self.message_strip.setText(message)
        self.message_strip.setVisible(True)
        self.host.show_status(message)

    def _typing_problem(self, message: str) -> None:
        if message:
            self.message_strip.setText(f"{message} It is not saved until it is corrected.")
            self.message_strip.setVisible(True)
        else:
            self.hide_message()

    def _conflict(self, record: ParSettingRecord, name: str, new: Any, exc: ConflictError) -> None:
        def reapply() -> None:
            fresh = par_settings.get_par_setting(self.host.db, setting_id=record.id)
            row = self.model.row_of(record.id) if self.model.replace_record(fresh) else None
            if row is not None:
                self.model.setData(self.model.index(row, self.model.COLUMNS.index(name)), new)

        resolve_conflict(self, exc, reload=self.load_location, reapply=reapply)

    def show_history(self) -> None:
        """The current setting's recorded changes."""
        record = self.current_record()
        if record is not None:
            title = f"{record.item_code} at {record.location_code}"
            HistoryDialog(
                self, self.host, table="par_setting", record_id=record.id, title=title
            ).exec()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_state()

    def _update_state(self, *_args: Any) -> None:
        db = self.host.db if self.model.db is not None else None
        permit(self.add_action, db, "par_setting", enabled=self.location_picker.count() > 0)
        current = self.current_record()
        permit(
            self.calculator_action,
            db,
            "par_setting",
            Action.UPDATE,
            enabled=current is not None and current.method == "PAR",
            tip="Suggest a PAR level for this line from its usage",
        )
        permit(self.deactivate_action, db, "par_setting", Action.UPDATE)
        if self.proxy.rowCount():
            self.body.setCurrentWidget(self.view)
            return
        if not self.location_picker.count():
            self.empty.setText(
                "There are no locations yet.\n"
                "Add one on the Locations page, then set its PARs here."
            )
        elif self.search.text().strip():
            self.empty.setText(f"No items here match “{self.search.text().strip()}”.")
        else:
            self.empty.setText(
                "No items are kept at this location yet.\n"
                "Click “Add item to location…” to start its PAR list."
            )
        self.body.setCurrentWidget(self.empty)

    # -- changes
    def setting_changed(self, record: ParSettingRecord | None) -> None:
        """Show a changed setting: in place if it is shown and active, else read again."""
        if record is not None and record.location_id != self.model.location_id:
            self.select_location(record.location_id)
        elif record is None or not record.active or not self.model.replace_record(record):
            self.load_location()
        self._update_state()

    def _update(self, setting_id: int, values: dict[str, Any], version: int | None) -> Any:
        return par_settings.update_par_setting(
            self.host.db, setting_id=setting_id, changes=values, expected_version=version
        )

    def _edited(
        self, before: ParSettingRecord, after: ParSettingRecord, name: str, old: Any, new: Any
    ) -> None:
        self.hide_message()
        label = next(spec.label for spec in PAR_FIELDS if spec.name == name)
        command = EditCommand(
            f"Edit {label} of {after.item_code} at {after.location_code}",
            update=lambda values, version: self._update(after.id, values, version),
            old={name: old},
            new={name: new},
            record=after,
            versions=self.host.undo_stack.versions,
            done=self.setting_changed,
            report=self.host.report_error,
        )
        self.host.undo_stack.push(command)
        self.host.show_status(f"Saved {label} of {after.item_code}.")

    def current_record(self) -> ParSettingRecord | None:
        """The setting of the current cell's row."""
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        record = self.proxy.data(index, RecordRole)
        return record if isinstance(record, ParSettingRecord) else None

    def open_calculator(self) -> None:
        """Suggest a PAR level for the current line; apply it, undoably, if the user accepts."""
        record = self.current_record()
        if record is None or record.method != "PAR":
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
