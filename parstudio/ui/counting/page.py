"""The Count page: pick a location, then count it on the count screen shown inside the page.

The count screen is embedded rather than opened as another window: a clerk counting from the
main app keeps one window with big type, scans are caught only while the count screen is shown,
and "Back to locations" is one click. A dedicated scanning station runs
`parstudio count --location CODE` instead, which shows the same screen alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.barcodes import GS
from parstudio.domain.counting import CountLocation
from parstudio.services.core.database import Database
from parstudio.services.counting import overview as count_overview
from parstudio.ui.counting.scan_catcher import ScanCatcher
from parstudio.ui.counting.scanner_settings import ScannerSettings
from parstudio.ui.counting.scanner_settings_dialog import edit_scanner_settings
from parstudio.ui.counting.screen import CountScreen
from parstudio.ui.kit.page import PageHost, make_table
from parstudio.ui.kit.table_models import Column, ColumnTableModel, RecordRole, SortRole

__all__ = ["CountLocationsModel", "CountPage"]


BOLD = QFont()
BOLD.setBold(True)
HINT = (
    "Scan the location's label, or choose it and press Enter. An open count is resumed where "
    "it was; several scanners may count the same location at once."
)
HINT_STYLE = "color: #555555;"


def _when(value: datetime | None) -> str:
    return "" if value is None else f"{value.astimezone():%d %b %Y %H:%M}"


def _open_text(row: CountLocation) -> str:
    if row.open_count_id is None:
        return ""
    by = f" by {row.open_counted_by}" if row.open_counted_by else ""
    return f"open since {_when(row.open_started_at)}{by}: {row.open_lines_counted} lines counted"


class CountLocationsModel(ColumnTableModel):
    """Locations to count, with their open count and their last finished count."""

    columns = (
        Column("Location", lambda r: r.code, lambda r: r.code, width=110),
        Column("Name", lambda r: r.name, lambda r: r.name.lower(), width=220),
        Column("Lines", lambda r: str(r.lines), lambda r: r.lines, numeric=True, width=70),
        Column("Open count", _open_text, lambda r: r.open_started_at is None, width=360),
        Column(
            "Last counted",
            lambda r: _when(r.last_finished_at),
            lambda r: r.last_finished_at.timestamp() if r.last_finished_at else 0.0,
            width=150,
        ),
    )

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        """Open counts in bold: they are waiting to be finished."""
        if role == Qt.ItemDataRole.FontRole and row.open_count_id is not None:
            return BOLD
        return None


class CountPage(QWidget):
    """Choose a location and count it here."""

    proposal_requested = Signal(int)

    def __init__(self, host: PageHost) -> None:
        super().__init__()
        self.host = host
        self.count_screen: CountScreen | None = None
        self._screen_db: Database | None = None

        self.search = QLineEdit(self)
        self.search.setObjectName("count_search")
        self.search.setPlaceholderText("Find a location (code or name)")
        self.search.setClearButtonEnabled(True)
        self.model = CountLocationsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self.count_selected)
        self.table: QTableView = make_table(self)
        self.table.setObjectName("count_locations")
        self.table.setModel(self.proxy)
        for column, spec in enumerate(self.model.columns):
            self.table.setColumnWidth(column, spec.width)
        # The name takes the spare width; the figures keep the widths that fit them.
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.count_selected())
        self.table.activated.connect(lambda _index: self.count_selected())
        self.count_button = QPushButton("&Count this location", self)
        self.count_button.setDefault(True)
        self.count_button.clicked.connect(self.count_selected)
        self.settings_button = QPushButton("Scanner &settings…", self)
        self.settings_button.clicked.connect(self.edit_scanner_settings)
        self.hint = QLabel(HINT, self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)

        picker = QWidget(self)
        picker_layout = QVBoxLayout(picker)
        picker_layout.setContentsMargins(8, 8, 8, 8)
        title = QLabel("<b>Count a location</b>", picker)
        picker_layout.addWidget(title)
        picker_layout.addWidget(self.search)
        picker_layout.addWidget(self.table, 1)
        picker_layout.addWidget(self.hint)
        row = QHBoxLayout()
        row.addWidget(self.settings_button)
        row.addStretch(1)
        row.addWidget(self.count_button)
        picker_layout.addLayout(row)

        self.holder = QWidget(self)
        self.holder_layout = QVBoxLayout(self.holder)
        self.holder_layout.setContentsMargins(0, 0, 0, 0)
        self.back_button = QPushButton("◀ &Back to locations", self.holder)
        self.back_button.clicked.connect(self.back_to_locations)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        self.holder_layout.addLayout(top)

        # A scan of a location's label opens it; a scan of anything else counts nothing here.
        self.catcher = ScanCatcher(
            picker, max_interval_ms=ScannerSettings.load().max_interval_ms, fallback=self.table
        )
        self.catcher.scanned.connect(lambda event: self.scanned_on_list(event.text))
        self.catcher.broken.connect(
            lambda _broken: self.say("That scan came in pieces: scan the label again.", True)
        )
        self.catcher.start()

        self.stack = QStackedWidget(self)
        self.stack.addWidget(picker)
        self.stack.addWidget(self.holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- page protocol
    def refresh(self) -> None:
        """Reload the locations; a count screen of another database is put away."""
        if self.count_screen is not None and self._screen_db is not self.host.db:
            self.back_to_locations()
        selected = self.selected_location_id()
        try:
            found = count_overview.list_count_locations(self.host.db)
        except Exception as exc:  # shown the house way; the page stays usable
            self.host.report_error(exc)
            return
        self.model.set_rows(found)
        self.select_location(selected if selected is not None else None)

    def focus_search(self) -> None:
        """Focus the location search box."""
        if self.count_screen is None:
            self.search.setFocus()
            self.search.selectAll()

    # -- choosing
    def _filter(self, text: str) -> None:
        """Show the locations matching the search; the first is the one Enter opens."""
        self.proxy.setFilterFixedString(text)
        current = self.table.currentIndex()
        if self.proxy.rowCount() and not current.isValid():
            self.table.selectRow(0)

    def scanned_on_list(self, text: str) -> CountScreen | None:
        """A scan while the locations are shown: a location's label opens its count."""
        code = text.strip()
        for row in self.model.rows():
            if row.code.lower() == code.lower():
                self.say(HINT)
                return self.open_count(row.location_id)
        shown = code.replace(GS, "<GS>")
        self.say(
            f"Nothing was counted: “{shown}” is not the label of a location here. Choose the "
            "location first (scan the label on its door or shelf, or pick it and press Enter), "
            "then scan the items.",
            True,
        )
        if ScannerSettings.load().sound:
            QApplication.beep()
        return None

    def say(self, text: str, error: bool = False) -> None:
        """A line under the list: what to do, or (in red) what went wrong."""
        self.hint.setText(text)
        self.hint.setStyleSheet("color: #8a0012; font-weight: bold;" if error else HINT_STYLE)
        if error:
            self.host.show_status(text)

    def selected_location_id(self) -> int | None:
        """The location chosen in the list."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row: CountLocation = index.data(RecordRole)
        return row.location_id

    def select_location(self, location_id: int | None) -> None:
        """Make a location the chosen one (the first one if it is not listed)."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if location_id is None or index.data(RecordRole).location_id == location_id:
                self.table.setCurrentIndex(index)
                self.table.selectRow(row)
                return

    def count_selected(self) -> CountScreen | None:
        """Open the count screen for the chosen location."""
        location_id = self.selected_location_id()
        if location_id is None:
            self.host.show_status("Choose a location to count first.")
            return None
        return self.open_count(location_id)

    def open_count(self, location_id: int) -> CountScreen | None:
        """Show the count screen of a location in this page (resuming its open count)."""
        self.back_to_locations()
        try:
            screen = CountScreen(self.host.db, location_id, parent=self.holder)
        except Exception as exc:
            self.host.report_error(exc)
            return None
        screen.proposal_requested.connect(self.proposal_requested.emit)
        screen.settings_requested.connect(self.edit_scanner_settings)
        self.holder_layout.addWidget(screen, 1)
        self.count_screen = screen
        self._screen_db = self.host.db
        self.stack.setCurrentWidget(self.holder)
        screen.table.setFocus()
        return screen

    def load_scans_from_file(self) -> None:
        """A handheld batch file, into the count being shown or the chosen location's."""
        screen = self.count_screen or self.count_selected()
        if screen is not None:
            screen.load_scans_from_file()

    def back_to_locations(self) -> None:
        """Put the count screen away (the count stays open unless it was finished)."""
        screen, self.count_screen = self.count_screen, None
        if screen is not None:
            screen.stop()
            screen.hide()
            screen.setParent(None)
            screen.deleteLater()
            self.stack.setCurrentIndex(0)
            self.refresh()
            self.select_location(screen.sheet.location_id)
        self.stack.setCurrentIndex(0)

    def edit_scanner_settings(self) -> None:
        """The scanner settings dialog, for the location being counted or chosen."""
        location_id = (
            self.count_screen.sheet.location_id
            if self.count_screen is not None
            else self.selected_location_id()
        )
        changed = edit_scanner_settings(self.host.db, self, location_id=location_id)
        if changed is None:
            return
        self.catcher.set_max_interval(changed.max_interval_ms)
        if self.count_screen is not None:
            self.count_screen.apply_settings(changed)
        self.host.show_status("Scanner settings saved.")

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back to the page after a finished count shows the locations again."""
        if self.count_screen is not None and self.count_screen.finished:
            self.back_to_locations()
        super().showEvent(event)
