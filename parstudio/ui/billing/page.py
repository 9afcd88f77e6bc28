"""The Charges page: the charge file of a period, the reconciliation, and serials."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.charges import DayRange
from parstudio.domain.errors import ParStudioError
from parstudio.ui.billing.models import ChargeModel, ReconciliationModel
from parstudio.ui.billing.serials import SerialHistoryView
from parstudio.ui.expiry.models import RowsModel
from parstudio.ui.kit.background import Receiver, Task
from parstudio.ui.kit.location_choice import LocationsButton
from parstudio.ui.kit.page import PageHost, sorted_table, table_or_empty

CHARGE_WIDTHS = (78, 122, 60, 90, 85, 70, 140, 80, 40, 72, 80, 90)
RECONCILIATION_WIDTHS = (70, 80, 170, 90, 120, 80, 75, 60, 85, 150)
DEFAULT_DAYS = 30
FILTERS = {".xlsx": "Excel workbooks (*.xlsx)", ".csv": "CSV files (*.csv)"}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ScopeBar(QWidget):
    """From and To days, a location or a department: what a charge file covers."""

    changed = Signal()

    def __init__(self, parent: QWidget, today: date) -> None:
        super().__init__(parent)
        self.first = QDateEdit(_qdate(today - timedelta(days=DEFAULT_DAYS - 1)), self)
        self.last = QDateEdit(_qdate(today), self)
        for edit, name in ((self.first, "from_day"), (self.last, "to_day")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
            edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.locations = LocationsButton(self)
        self.locations.changed.connect(self.changed.emit)
        self.everywhere = self.locations.everywhere
        self.department = QComboBox(self)
        self.department.setObjectName("department")
        self.department.setMinimumWidth(150)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("From", self))
        layout.addWidget(self.first)
        layout.addWidget(QLabel("to", self))
        layout.addWidget(self.last)
        layout.addSpacing(12)
        layout.addWidget(self.locations)
        layout.addWidget(self.department)
        layout.addStretch(1)
        self.department.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def set_choices(self, departments: list[str], places: list[tuple[str, str]]) -> None:
        """The departments and (code, name) of the locations to choose from."""
        self.locations.set_places(places)
        picked = self.department.currentData()
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItem("All departments", None)
        for name in departments:
            self.department.addItem(name, name)
        self.department.setCurrentIndex(max(self.department.findData(picked), 0))
        self.department.blockSignals(False)

    @property
    def place_actions(self) -> list[QAction]:
        """The entries of the locations' menu, one a location."""
        return self.locations.place_actions

    def location_codes(self) -> tuple[str, ...]:
        """The codes of the locations ticked (none: all)."""
        return self.locations.codes()

    def choose_locations(self, codes: list[str]) -> None:
        """Tick exactly these locations (none: all) and read again once."""
        self.locations.choose(codes)

    def period(self) -> DayRange:
        """The days chosen (a To before the From is refused with a message)."""
        return DayRange(self.first.date().toPython(), self.last.date().toPython())  # type: ignore[arg-type]

    def choice(self) -> dict[str, Any]:
        """The location codes and department chosen, as the services take them."""
        return {
            "location_codes": self.location_codes(),
            "department": self.department.currentData(),
        }


class ReportTab(QWidget):
    """A report of the page: its table (or why it is empty), a summary and Export buttons."""

    def __init__(
        self,
        page: ChargesPage,
        model: RowsModel[Any],
        widths: tuple[int, ...],
        *,
        name: str,
        read: Callable[..., Any],
        write: Callable[[str, Any], None],
        empty_text: str,
    ) -> None:
        super().__init__(page)
        self.page, self.model, self.name = page, model, name
        self.read, self.write, self.empty_text = read, write, empty_text
        self.report: Any = None
        self.task: Task | None = None
        self.view = sorted_table(self, model, widths)
        self.view.setObjectName(f"{name}_table")
        self.body, self.empty = table_or_empty(self, self.view)
        self.summary = QLabel(self)
        self.summary.setObjectName(f"{name}_summary")
        self.summary.setWordWrap(True)
        self.excel_button = QPushButton("Export Excel…", self)
        self.excel_button.setObjectName(f"{name}_excel")
        self.csv_button = QPushButton("Export CSV…", self)
        self.csv_button.setObjectName(f"{name}_csv")
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.excel_button)
        buttons.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.body, 1)
        layout.addLayout(buttons)
        self.excel_button.clicked.connect(lambda: self.export(".xlsx"))
        self.csv_button.clicked.connect(lambda: self.export(".csv"))
        self._enable_exports()

    def may_export(self) -> str:
        """Why the person working may not export (a tooltip), or ''."""
        return ""

    def _enable_exports(self) -> None:
        reason = self.may_export()
        for button in (self.excel_button, self.csv_button):
            button.setEnabled(self.report is not None and bool(self.report.lines) and not reason)
            button.setToolTip(reason)

    def reload(self) -> Task | None:
        """Read the report again for the period and places chosen, off the UI thread."""
        try:
            period = self.page.scope.period()
        except ParStudioError as exc:
            self._show_empty(str(exc))
            return None
        db, choice, read = self.page.host.db, self.page.scope.choice(), self.read
        task = Task(lambda _progress: read(db, period=period, **choice))
        task.receiver = Receiver(  # type: ignore[attr-defined]
            task, self, on_done=lambda found: self._found(task, found), on_error=self._failed
        )
        self.task = task
        self.summary.setText("Reading…")
        task.start()
        return task

    def _show_empty(self, text: str) -> None:
        self.report = None
        self.model.set_rows([])
        self.body.show_rows(False, text)
        self.summary.setText("")
        self._enable_exports()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ParStudioError):
            self._show_empty(str(exc))
            return
        self._show_empty("")
        self.page.host.report_error(exc)

    def _found(self, task: Task, found: Any) -> None:
        if task is not self.task:
            return  # an older read, overtaken by a newer choice
        self.report = found
        self.model.set_rows(list(found.lines))
        self.body.show_rows(bool(found.lines), self.empty_text)
        self.summary.setText(f"<b>{found.period.label}</b>, {found.scope}: {found.summary}.")
        self._enable_exports()

    def export(self, suffix: str, path: str | None = None) -> Path | None:
        """Write what is on screen (asks where, in the export folder); says where it went."""
        from parstudio.ui.worksheets.actions import export_folder, export_target, show_saved

        report = self.report
        if report is None:
            return None
        if path is None:
            start = str(export_folder() / f"{self.name}-{report.period.key}{suffix}")
            path, _ = QFileDialog.getSaveFileName(
                self, f"Export {self.name}", start, FILTERS[suffix]
            )
            if not path:
                return None
            if not path.lower().endswith(suffix):
                path += suffix
        target = export_target(path)
        try:
            self.write(str(target), report)
        except Exception as exc:
            self.page.host.report_error(exc)
            return None
        self.page.host.show_status(f"Wrote {target}.")
        show_saved(self, f"Wrote the {self.name.replace('-', ' ')} to\n{target}", target)
        return target


class ChargeTab(ReportTab):
    """The charge file: viewers see masked case numbers and may not export it."""

    def may_export(self) -> str:
        from parstudio.services.billing.scope import may_see_identifiers

        if may_see_identifiers(self.page.host.db):
            return ""
        return "Viewers cannot export the charge file: it carries case identifiers."


class ChargesPage(QWidget):
    """Charge capture, reconciliation and serials, each in a tab."""

    def __init__(self, host: PageHost, *, today: date | None = None) -> None:
        super().__init__()
        from parstudio.services.billing import charges, reconciliation

        self.host = host
        self.scope = ScopeBar(self, today or date.today())
        self.charges = ChargeTab(
            self,
            ChargeModel(self),
            CHARGE_WIDTHS,
            name="charges",
            read=charges.charge_capture,
            write=lambda path, found: charges.write_charge_capture(
                self.host.db, path=path, capture=found
            ),
            empty_text="No billable item was recorded to a case in this period.",
        )
        self.reconciliation = ReportTab(
            self,
            ReconciliationModel(self),
            RECONCILIATION_WIDTHS,
            name="reconciliation",
            read=reconciliation.reconciliation,
            write=lambda path, found: reconciliation.write_reconciliation(path=path, report=found),
            empty_text="No billable item is stocked or recorded to a case at these locations.",
        )
        self.serials = SerialHistoryView(self, lambda: self.host.db)
        intro = QLabel(
            "Gap = usage seen in counts and receipts − quantity recorded to cases, both between "
            "the same two counts (the ones around the period). Positive: used and not recorded "
            "to a case (unbilled). Negative: more recorded than the counts show.",
            self.reconciliation,
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        self.reconciliation.layout().insertWidget(0, intro)  # type: ignore[union-attr]
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.charges, "Charge capture")
        self.tabs.addTab(self.reconciliation, "Reconciliation")
        self.tabs.addTab(self.serials, "Serials")
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addWidget(self.tabs, 1)
        self.scope.changed.connect(self.reload)
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())
        self._stale = {self.charges, self.reconciliation}

    def refresh(self) -> None:
        """Read the choices and the report on screen again."""
        from parstudio.services.review.period_usage import report_scopes

        departments, _centres, places = report_scopes(self.host.db)
        self.scope.set_choices(departments, places)
        self.serials.load_items()
        self.reload()

    def focus_search(self) -> None:
        """Ctrl+F: the serial search."""
        self.tabs.setCurrentWidget(self.serials)
        self.serials.serial.setFocus()

    def reload(self) -> None:
        """Read the report of the tab shown; the other one when it is shown next."""
        self._stale = {self.charges, self.reconciliation}
        self._tab_changed()

    def _tab_changed(self) -> None:
        current = self.tabs.currentWidget()
        self.scope.setVisible(current is not self.serials)
        if isinstance(current, ReportTab) and current in self._stale:
            self._stale.discard(current)
            current.reload()
