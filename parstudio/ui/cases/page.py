"""The Cases page: choose where supplies are used, then record them on cases by scanning.

Like the Count page, the case screen is shown inside the page: a location is chosen (by its
label, or from the list), and "Back to locations" puts the screen away.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton

from parstudio.domain.catalog import LocationRecord
from parstudio.domain.enums import LocationKind
from parstudio.services.catalog import locations
from parstudio.ui.cases.screen import CaseScreen
from parstudio.ui.counting.location_picker import LocationPickerPage
from parstudio.ui.kit.page import PageHost
from parstudio.ui.kit.table_models import Column, ColumnTableModel

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


class CasesPage(LocationPickerPage):
    """Choose a location and record use on cases there."""

    def __init__(self, host: PageHost) -> None:
        self.case_screen: CaseScreen | None = None
        super().__init__(
            host,
            UseLocationsModel(),
            name="cases",
            title="Use on cases",
            hint=HINT,
            open_text="&Record use here",
        )
        self.pattern_button = QPushButton("Case label &pattern…", self)
        self.pattern_button.clicked.connect(self.edit_pattern)
        self.buttons.insertWidget(0, self.pattern_button)

    @property
    def location_screen(self) -> CaseScreen | None:
        """The case screen shown in the page, if any."""
        return self.case_screen

    def not_a_location(self, shown: str) -> str:
        return (
            f"Nothing was recorded: “{shown}” is not a location's label. Choose the location "
            "first, then scan the case label and the items."
        )

    # -- page protocol
    def refresh(self) -> None:
        """Reload the locations; a case screen of another database is put away."""
        if self.screen_of_other_database():
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

    def open_row(self, row: LocationRecord) -> CaseScreen | None:
        return self.open_location(row)

    def open_location(self, location: Any) -> CaseScreen | None:
        """Show the case screen of a location in this page."""
        self.back_to_locations()
        self.say(HINT)
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
        self.case_screen = screen
        self.show_screen(screen)
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
        self.put_away(screen)
