"""A searchable list of one kind of record, with Add…, Edit…, Deactivate and History, undoable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QModelIndex,
    Qt,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import ConflictError
from parstudio.domain.fields import FieldSpec
from parstudio.domain.roles import Action, Role
from parstudio.ui.kit.conflicts import REAPPLY, RELOAD, ask_about_conflict
from parstudio.ui.kit.dialogs import RecordDialog
from parstudio.ui.kit.page import PageHost, make_table, table_or_empty, typing_pause
from parstudio.ui.kit.permissions import permit
from parstudio.ui.kit.table_models import RecordFilterProxy, RecordRole, RecordTableModel
from parstudio.ui.kit.undo import AddCommand, EditCommand, ServiceCommand

if TYPE_CHECKING:
    from parstudio.services.core.database import Database

# The services (SQLAlchemy) are imported when a page first reads or writes: the window shows
# before the database is open. Printing (reportlab, pdfium) when something is printed.


class CatalogPage(QWidget):
    """A searchable list of one kind of record with Add…, Edit… and Deactivate."""

    NOUN: ClassVar[str] = "record"
    PLURAL: ClassVar[str] = "records"
    SPECS: ClassVar[tuple[FieldSpec, ...]] = ()
    PLACEHOLDER: ClassVar[str] = "Search…"
    TITLE_FIELD: ClassVar[str] = "code"
    TABLE: ClassVar[str] = ""
    DEFAULTS: ClassVar[dict[str, Any]] = {}
    SOURCE_ORDER_COLUMN: ClassVar[int | None] = None
    """A column the model's rows already come sorted by, ascending (see RecordFilterProxy)."""

    def __init__(self, host: PageHost, model: RecordTableModel) -> None:
        super().__init__()
        self.host = host
        self.model = model
        self.model.setParent(self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.source_order_column = self.SOURCE_ORDER_COLUMN
        self.proxy.setSourceModel(self.model)

        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_action = QAction("Add…", self)
        self.edit_action = QAction("Edit…", self)
        self.deactivate_action = QAction("Deactivate", self)
        self.history_action = QAction("History…", self)
        self.history_action.setToolTip("Who changed this record, when, and what (old → new)")
        for action in (
            self.add_action,
            self.edit_action,
            self.deactivate_action,
            self.history_action,
        ):
            self.toolbar.addAction(action)
        self.history_action.triggered.connect(self.show_history)
        self.add_action.triggered.connect(self.add)
        self.edit_action.triggered.connect(self.edit_selected)
        self.deactivate_action.triggered.connect(self.toggle_active_selected)

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.show_inactive = QCheckBox("Show inactive", self)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: #555;")

        top = QHBoxLayout()
        top.addWidget(self.toolbar)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.show_inactive)
        top.addWidget(self.search)

        self.view = make_table(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.view.horizontalHeader()
        metrics = header.fontMetrics()
        for column in range(self.model.columnCount()):
            fit = metrics.horizontalAdvance(self.model.column_label(column)) + 28
            header.resizeSection(column, max(self.model.column_width(column), fit))
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)

        self.body, self.empty = table_or_empty(self, self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.body, 1)

        self._search_timer = typing_pause(self, self.apply_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.show_inactive.toggled.connect(lambda _on: self.refresh())
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._update_state)
        self.proxy.layoutChanged.connect(self._update_state)
        self._update_actions()

    # -- data
    def load(self, db: Database) -> None:
        """Read the records (subclasses say how)."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Read everything again from the database."""
        if self.host.db is None:
            return  # still opening: the page fills in when it is open
        self.load(self.host.db)
        self._update_state()

    def apply_search(self) -> None:
        """Filter by the search text (here: on the rows already read)."""
        self._search_timer.stop()
        self.proxy.setFilterFixedString(self.search.text().strip())
        self._update_state()

    def focus_search(self) -> None:
        """Put the cursor in the search box (Edit ▸ Find)."""
        self.search.setFocus()
        self.search.selectAll()

    def _update_state(self, *_args: Any) -> None:
        shown = self.proxy.rowCount()
        total = self._total()
        self.count_label.setText(
            f"{total:,} {self.NOUN if total == 1 else self.PLURAL}"
            if shown >= total
            else f"{shown:,} of {total:,} {self.PLURAL} read"
        )
        if shown:
            self.body.show_rows(True)
            return
        if self.search.text().strip():
            self.empty.setText(f"No {self.PLURAL} match “{self.search.text().strip()}”.")
        else:
            self.empty.setText(
                f"There are no {self.PLURAL} yet.\nClick Add… to create the first one."
            )
        self.body.show_rows(False)

    def _total(self) -> int:
        return self.proxy.rowCount()

    # -- selection
    def selected_records(self) -> list[Any]:
        """The records of every selected row, in the order shown."""
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda index: index.row())
        return [self.proxy.data(index, RecordRole) for index in rows]

    def selected_record(self) -> Any:
        """The record of the selected row, if any."""
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.proxy.data(rows[0], RecordRole)

    def select_record(self, record_id: int) -> None:
        """Select the row showing this record."""
        row = self.model.row_of(record_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.selectRow(index.row())
        self.view.scrollTo(index)

    def can_change(self) -> bool:
        """Whether the signed-in person may change these records (the services check too)."""
        return self.host.db is not None and self.host.db.role is Role.MANAGER

    def _update_actions(self, *_args: Any) -> None:
        record = self.selected_record()
        db = self.host.db
        permit(self.add_action, db, self.TABLE, tip=f"Add a new {self.NOUN}")
        permit(self.edit_action, db, self.TABLE, Action.UPDATE, enabled=record is not None)
        permit(self.deactivate_action, db, self.TABLE, Action.UPDATE, enabled=record is not None)
        self.history_action.setEnabled(record is not None)
        active = record is None or record.active
        self.deactivate_action.setText("Deactivate" if active else "Reactivate")

    def _double_clicked(self, index: QModelIndex) -> None:
        record = self.proxy.data(index, RecordRole)
        if record is not None and self.can_change():
            self.edit(record)
        elif record is not None:
            self.show_history()

    def show_history(self) -> None:
        """The selected record's recorded changes."""
        from parstudio.ui.admin.audit_page import HistoryDialog

        record = self.selected_record()
        if record is not None:
            title = f"{self.NOUN} {self.name_of(record)}"
            HistoryDialog(
                self, self.host, table=self.TABLE, record_id=record.id, title=title
            ).exec()

    # -- services (subclasses)
    def create_record(self, fields: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update_record(self, record_id: int, changes: dict[str, Any], version: int | None) -> Any:
        raise NotImplementedError

    def fetch_record(self, record_id: int) -> Any:
        raise NotImplementedError

    def set_active(self, record_id: int, active: bool) -> Any:
        raise NotImplementedError

    def delete_if_unused(self, record_id: int) -> bool:
        raise NotImplementedError

    def dialog_choices(self) -> dict[str, Sequence[str]]:
        """Choices for fields that name other records (supplier, parent location)."""
        return {}

    def name_of(self, record: Any) -> str:
        return str(getattr(record, self.TITLE_FIELD, ""))

    # -- actions
    def record_changed(self, record: Any) -> None:
        """Show the result of a change: in place if possible, else by reading again."""
        visible = record is not None and (record.active or self.show_inactive.isChecked())
        if not (visible and self.model.replace_record(record)):
            self.refresh()
            if visible:
                self.select_record(record.id)
        self._update_actions()

    def make_dialog(self, record: Any = None) -> RecordDialog:
        """The add (no record) or edit dialog."""
        dialog: RecordDialog

        def save(values: dict[str, Any]) -> Any:
            if record is None:
                return self._add_now(values)
            return self._edit_now(record, dialog.changes())

        title = f"Edit {self.NOUN} {self.name_of(record)}" if record else f"Add {self.NOUN}"
        dialog = RecordDialog(
            self,
            title=title,
            specs=self.SPECS,
            save=save,
            record=record,
            choices=self.dialog_choices(),
            defaults=None if record else self.DEFAULTS,
        )
        return dialog

    def add(self) -> None:
        """Open the add dialog."""
        self.make_dialog().exec()

    def edit_selected(self) -> None:
        """Open the edit dialog on the selected record."""
        record = self.selected_record()
        if record is not None:
            self.edit(record)

    def edit(self, record: Any) -> None:
        """Open the edit dialog on a record."""
        self.make_dialog(record).exec()

    def _add_now(self, values: dict[str, Any]) -> Any:
        record = self.create_record(values)
        command = AddCommand(
            f"Add {self.NOUN} {self.name_of(record)}",
            record=record,
            create=lambda: self.create_record(values),
            delete_if_unused=self.delete_if_unused,
            set_active=self.set_active,
            done=self.record_changed,
            report=self.host.report_error,
            versions=self.host.undo_stack.versions,
        )
        self.host.undo_stack.push(command)
        self.record_changed(record)
        self.host.show_status(f"Added {self.NOUN} {self.name_of(record)}.")
        return record

    def _edit_now(self, record: Any, changes: dict[str, Any]) -> Any:
        if not changes:
            return record
        try:
            updated = self.update_record(record.id, changes, record.version)
        except ConflictError as exc:
            choice = ask_about_conflict(self, exc)
            if choice == REAPPLY:
                return self._edit_now(self.fetch_record(record.id), changes)
            if choice == RELOAD:
                fresh = self.fetch_record(record.id)
                self.record_changed(fresh)
                self.host.show_status(
                    f"Reloaded {self.NOUN} {self.name_of(fresh)}; your change was not saved."
                )
                return fresh
            raise
        old = {name: getattr(record, name) for name in changes}
        command = EditCommand(
            f"Edit {self.NOUN} {self.name_of(updated)}",
            update=lambda values, version: self.update_record(record.id, values, version),
            old=old,
            new=changes,
            record=updated,
            versions=self.host.undo_stack.versions,
            done=self.record_changed,
            report=self.host.report_error,
        )
        self.host.undo_stack.push(command)
        self.record_changed(updated)
        self.host.show_status(f"Saved {self.NOUN} {self.name_of(updated)}.")
        return updated

    def toggle_active_selected(self) -> None:
        """Deactivate the selected record (or reactivate an inactive one)."""
        record = self.selected_record()
        if record is None:
            return
        self.set_record_active(record, not record.active)

    def set_record_active(self, record: Any, active: bool) -> Any:
        """Deactivate or reactivate, undoably."""
        try:
            changed = self.set_active(record.id, active)
        except Exception as exc:
            self.host.report_error(exc)
            return None
        verb = "Reactivate" if active else "Deactivate"
        command = ServiceCommand(
            f"{verb} {self.NOUN} {self.name_of(record)}",
            redo=lambda: self.set_active(record.id, active),
            undo=lambda: self.set_active(record.id, not active),
            done=self.record_changed,
            report=self.host.report_error,
            versions=self.host.undo_stack.versions,
        )
        self.host.undo_stack.push(command)
        self.record_changed(changed)
        self.host.show_status(f"{verb}d {self.NOUN} {self.name_of(record)}.")
        return changed
