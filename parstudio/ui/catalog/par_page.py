"""The PAR settings grid: one location's items, every PAR field edited in its cell.

The row actions (add, deactivate, calculator, labels, seasons, chart, waste) are in par_actions.py.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolBar,
    QVBoxLayout,
)

from parstudio.domain.catalog import ParSettingRecord
from parstudio.domain.enums import Method
from parstudio.domain.errors import ConflictError
from parstudio.domain.fields import PAR_FIELDS
from parstudio.domain.roles import Action
from parstudio.services.catalog import locations, par_settings
from parstudio.ui.catalog.par_actions import ParRowActions
from parstudio.ui.catalog.par_grid import ParDelegate, ParSettingsModel
from parstudio.ui.kit.conflicts import resolve_conflict
from parstudio.ui.kit.page import PageHost, make_table, table_or_empty
from parstudio.ui.kit.permissions import permit
from parstudio.ui.kit.table_models import RecordFilterProxy, RecordRole
from parstudio.ui.kit.undo import EditCommand

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


class ParSettingsPage(ParRowActions):
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
        self.across_action = QAction("Across locations…", self)
        self.across_action.setToolTip(
            "Stock across locations: the selected item at every location, beside its PAR"
        )
        self.toolbar.addAction(self.across_action)
        self.across_action.triggered.connect(self.show_stock_across)
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
        row_actions = (
            self.history_action,
            self.seasons_action,
            self.chart_action,
            self.across_action,
        )
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

        self.body, self.empty = table_or_empty(self, self.view)

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
            enabled=current is not None and current.method == Method.PAR,
            tip="Suggest a PAR level for this line from its usage",
        )
        permit(self.deactivate_action, db, "par_setting", Action.UPDATE)
        if self.proxy.rowCount():
            self.body.show_rows(True)
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
        self.body.show_rows(False)

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
