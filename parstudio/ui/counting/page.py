"""The Count page: pick a location, then count it on the count screen shown inside the page.

The count screen is embedded rather than opened as another window: a clerk counting from the
main app keeps one window with big type, scans are caught only while the count screen is shown,
and "Back to locations" is one click. A dedicated scanning station runs
`parstudio count --location CODE` instead, which shows the same screen alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QPushButton

from parstudio.domain.counting import CountLocation
from parstudio.services.counting import overview as count_overview
from parstudio.ui.counting.location_picker import LocationPickerPage
from parstudio.ui.counting.scanner_settings_dialog import edit_scanner_settings
from parstudio.ui.counting.screen import CountScreen
from parstudio.ui.kit.page import PageHost
from parstudio.ui.kit.table_models import Column, ColumnTableModel, RecordRole

__all__ = ["CountLocationsModel", "CountPage"]


BOLD = QFont()
BOLD.setBold(True)
HINT = (
    "Scan the location's label, or choose it and press Enter. An open count is resumed where "
    "it was; several scanners may count the same location at once."
)


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


class CountPage(LocationPickerPage):
    """Choose a location and count it here."""

    proposal_requested = Signal(int)

    def __init__(self, host: PageHost) -> None:
        self.count_screen: CountScreen | None = None
        super().__init__(
            host,
            CountLocationsModel(),
            name="count",
            title="Count a location",
            hint=HINT,
            open_text="&Count this location",
        )
        self.count_button = self.open_button
        self.settings_button = QPushButton("Scanner &settings…", self)
        self.settings_button.clicked.connect(self.edit_scanner_settings)
        self.buttons.insertWidget(0, self.settings_button)

    @property
    def location_screen(self) -> CountScreen | None:
        """The count screen shown in the page, if any."""
        return self.count_screen

    def not_a_location(self, shown: str) -> str:
        return (
            f"Nothing was counted: “{shown}” is not the label of a location here. Choose the "
            "location first (scan the label on its door or shelf, or pick it and press Enter), "
            "then scan the items."
        )

    # -- page protocol
    def refresh(self) -> None:
        """Reload the locations; a count screen of another database is put away."""
        if self.screen_of_other_database():
            self.back_to_locations()
        selected = self.selected_location_id()
        try:
            found = count_overview.list_count_locations(self.host.db)
        except Exception as exc:  # shown the house way; the page stays usable
            self.host.report_error(exc)
            return
        self.model.set_rows(found)
        self.select_location(selected if selected is not None else None)

    # -- choosing
    def selected_location_id(self) -> int | None:
        """The location chosen in the list."""
        row: CountLocation | None = self.selected_row()
        return None if row is None else row.location_id

    def select_location(self, location_id: int | None) -> None:
        """Make a location the chosen one (the first one if it is not listed)."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if location_id is None or self.proxy.data(index, RecordRole).location_id == location_id:
                self.table.setCurrentIndex(index)
                self.table.selectRow(row)
                return

    def count_selected(self) -> CountScreen | None:
        """Open the count screen for the chosen location."""
        row: CountLocation | None = self.selected_row()
        if row is None:
            self.host.show_status("Choose a location to count first.")
            return None
        return self.open_count(row.location_id)

    def open_row(self, row: CountLocation) -> CountScreen | None:
        return self.open_count(row.location_id)

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
        self.count_screen = screen
        self.show_screen(screen)
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
        self.put_away(screen)
        if screen is not None:
            self.refresh()
            self.select_location(screen.sheet.location_id)

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
