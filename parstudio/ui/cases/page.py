"""The Cases page: choose where supplies are used, then record them on cases by scanning.

Like the Count page, the case screen is shown inside the page: a location is chosen (by its
label, or from the list), and "Back to locations" puts the screen away.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.catalog import LocationRecord
from parstudio.domain.enums import LocationKind
from parstudio.services.catalog import locations
from parstudio.services.core.database import Database
from parstudio.ui.cases.screen import CaseScreen
from parstudio.ui.counting.page import HINT_STYLE
from parstudio.ui.counting.scan_catcher import ScanCatcher
from parstudio.ui.counting.scanner_settings import ScannerSettings
from parstudio.ui.kit.page import PageHost, make_table
from parstudio.ui.kit.table_models import Column, ColumnTableModel, RecordRole, SortRole

__all__ = ["CasesPage"]

HINT = (
    "Choose where the supplies are used (scan the location's label, or choose it and press "
    "Enter); then scan each case label and the items used on that case."
)


class UseLocationsModel(ColumnTableModel):
    """The PAR locations supplies are used at."""

    columns = (
        Column("Location", lambda r: r.code, lambda r: r.code.lower(), width=120),
        Column("Name", lambda r: r.name, lambda r: r.name.lower(), width=260),
        Column("Department", lambda r: r.department or "", lambda r: (r.department or "").lower()),
    )


class CasesPage(QWidget):
    """Choose a location and record use on cases there."""

    def __init__(self, host: PageHost) -> None:
        super().__init__()
        self.host = host
        self.case_screen: CaseScreen | None = None
        self._screen_db: Database | None = None
        self.search = QLineEdit(self)
        self.search.setObjectName("cases_search")
        self.search.setPlaceholderText("Find a location (code or name)")
        self.search.setClearButtonEnabled(True)
        self.model = UseLocationsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self.open_selected)
        self.table = make_table(self)
        self.table.setObjectName("cases_locations")
        self.table.setModel(self.proxy)
        for column, spec in enumerate(self.model.columns):
            self.table.setColumnWidth(column, spec.width)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.open_button = QPushButton("&Record use here", self)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_selected)
        self.hint = QLabel(HINT, self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)

        picker = QWidget(self)
        picker_layout = QVBoxLayout(picker)
        picker_layout.setContentsMargins(8, 8, 8, 8)
        picker_layout.addWidget(QLabel("<b>Use on cases</b>", picker))
        picker_layout.addWidget(self.search)
        picker_layout.addWidget(self.table, 1)
        picker_layout.addWidget(self.hint)
        self.pattern_button = QPushButton("Case label &pattern…", self)
        self.pattern_button.clicked.connect(self.edit_pattern)
        row = QHBoxLayout()
        row.addWidget(self.pattern_button)
        row.addStretch(1)
        row.addWidget(self.open_button)
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

        self.catcher = ScanCatcher(
            picker, max_interval_ms=ScannerSettings.load().max_interval_ms, fallback=self.table
        )
        self.catcher.scanned.connect(lambda event: self.scanned_on_list(event.text))
        self.catcher.start()

        self.stack = QStackedWidget(self)
        self.stack.addWidget(picker)
        self.stack.addWidget(self.holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- page protocol
    def refresh(self) -> None:
        """Reload the locations; a case screen of another database is put away."""
        if self.case_screen is not None and self._screen_db is not self.host.db:
            self.back_to_locations()
        try:
            found = locations.list_locations(self.host.db, kind=LocationKind.PAR.value)
        except Exception as exc:  # shown the house way; the page stays usable
            self.host.report_error(exc)
            return
        self.model.set_rows(found)
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        if self.case_screen is not None:
            self.case_screen.reload_cases()

    def focus_search(self) -> None:
        """Focus the location search box."""
        if self.case_screen is None:
            self.search.setFocus()
            self.search.selectAll()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def scanned_on_list(self, text: str) -> CaseScreen | None:
        """A location's label opens the case screen there; anything else is refused."""
        code = text.strip().lower()
        for row in self.model.rows():
            if row.code.lower() == code:
                return self.open_location(row)
        self.hint.setText(
            f"Nothing was recorded: “{text.strip()[:60]}” is not a location's label. Choose the "
            "location first, then scan the case label and the items."
        )
        self.hint.setStyleSheet("color: #8a0012; font-weight: bold;")
        if ScannerSettings.load().sound:
            QApplication.beep()
        return None

    def open_selected(self) -> CaseScreen | None:
        """The case screen of the chosen location."""
        index = self.table.currentIndex()
        if not index.isValid():
            self.host.show_status("Choose a location first.")
            return None
        row: LocationRecord = index.data(RecordRole)
        return self.open_location(row)

    def open_location(self, location: Any) -> CaseScreen | None:
        """Show the case screen of a location in this page."""
        self.back_to_locations()
        self.hint.setText(HINT)
        self.hint.setStyleSheet(HINT_STYLE)
        try:
            screen = CaseScreen(
                self.host.db,
                location.id,
                f"{location.name} ({location.code})",
                parent=self.holder,
            )
        except Exception as exc:
            self.host.report_error(exc)
            return None
        self.holder_layout.addWidget(screen, 1)
        self.case_screen = screen
        self._screen_db = self.host.db
        self.stack.setCurrentWidget(self.holder)
        screen.lines.setFocus()
        return screen

    def edit_pattern(self) -> None:
        """Show (and, for a manager, change) which scans open a case."""
        from parstudio.ui.cases.pattern_dialog import CasePatternDialog

        if CasePatternDialog(self.host.db, self).exec():
            self.host.show_status("Case label pattern saved.")

    def back_to_locations(self) -> None:
        """Put the case screen away."""
        screen, self.case_screen = self.case_screen, None
        if screen is not None:
            screen.stop()
            screen.hide()
            screen.setParent(None)
            screen.deleteLater()
        self.stack.setCurrentIndex(0)
