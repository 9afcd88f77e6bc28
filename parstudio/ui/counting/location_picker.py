"""A page that lists locations and shows a scanning screen for the chosen one inside itself.

The Count page and the Cases page work the same way: find a location by typing, choose it and
press Enter, or scan the label on its door; the screen opens in the page, and "Back to
locations" puts it away. A scan while the list is shown records nothing but a location.
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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.barcodes import GS
from parstudio.services.core.database import Database
from parstudio.ui.counting.scan_catcher import ScanCatcher
from parstudio.ui.counting.scanner_settings import ScannerSettings
from parstudio.ui.kit.page import PageHost, make_table
from parstudio.ui.kit.table_models import ColumnTableModel, RecordRole, SortRole

HINT_STYLE = "color: #555555;"
ERROR_STYLE = "color: #8a0012; font-weight: bold;"


class LocationPickerPage(QWidget):
    """Locations to choose from, and the screen of the chosen one shown in their place."""

    def __init__(
        self,
        host: PageHost,
        model: ColumnTableModel,
        *,
        name: str,
        title: str,
        hint: str,
        open_text: str,
    ) -> None:
        super().__init__()
        self.host = host
        self.hint_text = hint
        self._screen_db: Database | None = None
        self.search = QLineEdit(self)
        self.search.setObjectName(f"{name}_search")
        self.search.setPlaceholderText("Find a location (code or name)")
        self.search.setClearButtonEnabled(True)
        self.model = model
        model.setParent(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self.open_selected)
        self.table: QTableView = make_table(self)
        self.table.setObjectName(f"{name}_locations")
        self.table.setModel(self.proxy)
        for column, spec in enumerate(model.columns):
            self.table.setColumnWidth(column, spec.width)
        # The name takes the spare width; the other columns keep the widths that fit them.
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.open_button = QPushButton(open_text, self)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_selected)
        self.hint = QLabel(hint, self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)

        picker = QWidget(self)
        picker_layout = QVBoxLayout(picker)
        picker_layout.setContentsMargins(8, 8, 8, 8)
        picker_layout.addWidget(QLabel(f"<b>{title}</b>", picker))
        picker_layout.addWidget(self.search)
        picker_layout.addWidget(self.table, 1)
        picker_layout.addWidget(self.hint)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.open_button)
        picker_layout.addLayout(self.buttons)

        self.holder = QWidget(self)
        self.holder_layout = QVBoxLayout(self.holder)
        self.holder_layout.setContentsMargins(0, 0, 0, 0)
        self.back_button = QPushButton("◀ &Back to locations", self.holder)
        self.back_button.clicked.connect(self.back_to_locations)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        self.holder_layout.addLayout(top)

        # A scan of a location's label opens it; a scan of anything else records nothing here.
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

    # -- what a page says of itself
    def open_row(self, row: Any) -> QWidget | None:
        """Show the screen of a listed location (a page's own)."""
        raise NotImplementedError

    def not_a_location(self, shown: str) -> str:
        """What is said when a scan on the list is not a location's label."""
        return f"Nothing was recorded: “{shown}” is not the label of a location here."

    @property
    def location_screen(self) -> QWidget | None:
        """The screen shown in the page, if any (a page's own)."""
        raise NotImplementedError

    # -- choosing
    def _filter(self, text: str) -> None:
        """Show the locations matching the search; the first is the one Enter opens."""
        self.proxy.setFilterFixedString(text)
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def focus_search(self) -> None:
        """Focus the location search box."""
        if self.location_screen is None:
            self.search.setFocus()
            self.search.selectAll()

    def selected_row(self) -> Any:
        """The location chosen in the list (None: none)."""
        index = self.table.currentIndex()
        return index.data(RecordRole) if index.isValid() else None

    def open_selected(self) -> QWidget | None:
        """The screen of the chosen location."""
        row = self.selected_row()
        if row is None:
            self.host.show_status("Choose a location first.")
            return None
        return self.open_row(row)

    def scanned_on_list(self, text: str) -> QWidget | None:
        """A scan while the locations are shown: a location's label opens its screen."""
        code = text.strip()
        for row in self.model.rows():
            if row.code.lower() == code.lower():
                self.say(self.hint_text)
                return self.open_row(row)
        self.say(self.not_a_location(code.replace(GS, "<GS>")[:60]), True)
        if ScannerSettings.load().sound:
            QApplication.beep()
        return None

    def say(self, text: str, error: bool = False) -> None:
        """A line under the list: what to do, or (in red) what went wrong."""
        self.hint.setText(text)
        self.hint.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)
        if error:
            self.host.show_status(text)

    # -- the screen in the page
    def show_screen(self, screen: QWidget) -> None:
        """Put a location's screen in the page, in place of the list."""
        self.holder_layout.addWidget(screen, 1)
        self._screen_db = self.host.db
        self.stack.setCurrentWidget(self.holder)

    def screen_of_other_database(self) -> bool:
        """Whether the screen shown belongs to a database closed since (then it goes)."""
        return self.location_screen is not None and self._screen_db is not self.host.db

    def put_away(self, screen: Any) -> None:
        """Stop a screen and show the list again."""
        if screen is not None:
            screen.stop()
            screen.hide()
            screen.setParent(None)
            screen.deleteLater()
        self.stack.setCurrentIndex(0)

    def back_to_locations(self) -> None:
        """Put the screen away (a page's own)."""
        raise NotImplementedError
