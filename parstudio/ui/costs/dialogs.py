"""Cost allocation… and Consignment usage…: a period, filters, the figures, Excel and PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.consignment import ConsignmentUsage
from parstudio.domain.cost_allocation import CostAllocation
from parstudio.domain.errors import ParStudioError
from parstudio.domain.report_period import last_complete_month, last_complete_quarter
from parstudio.services.catalog import locations
from parstudio.services.core.database import Database
from parstudio.services.costs import allocation as cost_allocation
from parstudio.services.costs import consignment
from parstudio.services.ordering import printing
from parstudio.services.review import charts
from parstudio.services.review.period_usage import SettingFilter
from parstudio.ui.costs.case_costs import CaseCostsView
from parstudio.ui.costs.models import COL_NAME, ConsignmentModel, CostAllocationModel
from parstudio.ui.costs.report_dialog import PeriodPicker, ReportDialog, filter_combo
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.formatting import money
from parstudio.ui.kit.page import make_table
from parstudio.ui.kit.print_preview import preview


class CostAllocationDialog(ReportDialog):
    """Usage value and spend by department, cost centre and location, with Export to Excel."""

    export_title = "Export cost allocation"

    def __init__(self, parent: QWidget | None, db: Database, *, today: date | None = None) -> None:
        super().__init__(parent, db, today, "Cost allocation", 700)
        self.report: CostAllocation | None = None

        self.period = PeriodPicker(self, last_complete_quarter(self.today), self.today)
        self.department = filter_combo(
            self, "department", "All departments", [(n, n) for n in charts.departments(db)]
        )
        self.cost_centre = filter_combo(
            self,
            "cost_centre",
            "All cost centres",
            [(n, n) for n in cost_allocation.cost_centres(db)],
        )
        self.location = filter_combo(
            self,
            "location",
            "All locations",
            [(f"{r.code} — {r.name}", r.code) for r in locations.list_locations(db)],
        )
        self.location.setMinimumWidth(200)
        tools = QHBoxLayout()
        tools.addWidget(self.period)
        tools.addSpacing(12)
        for combo in (self.department, self.cost_centre, self.location):
            tools.addWidget(combo)
        tools.addStretch(1)

        self.model = CostAllocationModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("allocation_tree")
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount()):
            label = self.model.headerData(column, Qt.Orientation.Horizontal)
            width = max(header.fontMetrics().horizontalAdvance(label) + 28, 110)
            header.resizeSection(column, width)
        self.stack_with_empty(self.tree)
        self.cases = CaseCostsView(self)
        self.views = QTabWidget(self)
        self.views.addTab(self.stack, "By department")
        self.views.addTab(self.cases, "By procedure and physician")

        self.summary = QLabel(self)
        self.summary.setObjectName("allocation_summary")
        self.summary.setWordWrap(True)
        self.note = QLabel(self)
        self.note.setObjectName("allocation_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.note.setText(
            "Usage value = units used × unit cost (pack price ÷ pack size). Spend = units "
            "received × unit cost. Consignment stock is the vendor's until used and billed on "
            "use: its usage value counts as spend, its receipts do not."
        )
        buttons = self.button_row()

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.views, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)

        self.period.on_change(self.reload)
        for combo in (self.department, self.cost_centre, self.location):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    def wanted(self) -> SettingFilter:
        """The filters chosen."""
        code = self.location.currentData()
        return SettingFilter(
            department=self.department.currentData(),
            cost_centre=self.cost_centre.currentData(),
            location_codes=(code,) if code else (),
        )

    def reload(self) -> None:
        """Work the figures out again for the period and filters chosen."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.report = cost_allocation.cost_allocation(
                self.db, period=self.period.period(), wanted=self.wanted(), today=self.today
            )
        except ParStudioError as exc:
            self.report = None
            self.model.set_report(None)
            self.cases.set_costs(None)
            self.show_empty(str(exc))
            self.export_button.setEnabled(False)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        report = self.report
        self.model.set_report(report)
        self.cases.set_costs(report.by_case)
        self.export_button.setEnabled(bool(report.departments) or bool(report.by_case.lines))
        if not report.departments:
            self.show_empty("No PAR setting has usage or receipts in this period.")
            return
        self.stack.show_rows(True)
        self.tree.expandToDepth(1)
        totals = report.totals
        text = (
            f"<b>{report.period.label}</b>, {report.scope}: usage value "
            f"<b>{money(totals.usage_value)}</b>, spend <b>{money(totals.spend)}</b> "
            f"(of which consignment {money(totals.consignment)}), {totals.settings} PAR settings."
        )
        if report.note:
            text += f"<br>{report.note[0].upper()}{report.note[1:]}"
        self.summary.setText(text)

    def workbook(self) -> tuple[str, Callable[[str], None]] | None:
        """The figures on screen, to write to a workbook."""
        report = self.report
        if report is None:
            return None
        return (
            f"cost-allocation-{report.period.key}.xlsx",
            lambda target: cost_allocation.write_cost_allocation_file(path=target, report=report),
        )


class ConsignmentUsageDialog(ReportDialog):
    """Each vendor's consignment items used in a period: print the list, or export it."""

    export_title = "Export consignment usage"

    def __init__(self, parent: QWidget | None, db: Database, *, today: date | None = None) -> None:
        super().__init__(parent, db, today, "Consignment usage", 620)
        self.report: ConsignmentUsage | None = None

        self.period = PeriodPicker(self, last_complete_month(self.today), self.today)
        self.vendor = filter_combo(
            self,
            "vendor",
            "All vendors",
            [(name, name) for name in consignment.consignment_vendors(db)],
        )
        self.vendor.setMinimumWidth(200)
        tools = QHBoxLayout()
        tools.addWidget(self.period)
        tools.addSpacing(12)
        tools.addWidget(QLabel("Vendor:", self))
        tools.addWidget(self.vendor)
        tools.addStretch(1)

        self.model = ConsignmentModel(self)
        self.view = make_table(self)
        self.view.setObjectName("consignment_table")
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        for column, width in enumerate((150, 80, 90, 100, 330, 50, 60, 90, 100)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.stack_with_empty(self.view)

        intro = QLabel(
            "Consignment stock is the vendor's until it is used. Send each vendor what was used "
            "(whole units, from counts and receipts) so they can invoice it and replenish it.",
            self,
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        self.summary = QLabel(self)
        self.summary.setObjectName("consignment_summary")
        self.print_button = QPushButton("Print…", self)
        self.print_button.setObjectName("print")
        buttons = self.button_row(self.print_button)

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(intro)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

        self.period.on_change(self.reload)
        self.vendor.currentIndexChanged.connect(lambda _i: self.reload())
        self.print_button.clicked.connect(lambda: self.print_preview())
        self.reload()

    def reload(self) -> None:
        """Read the usage again for the period and vendor chosen."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.report = consignment.consignment_usage_report(
                self.db,
                period=self.period.period(),
                vendor=self.vendor.currentData(),
                today=self.today,
            )
        except ParStudioError as exc:
            self.report = None
            self.model.set_rows([])
            self.show_empty(str(exc))
            self._enable(False)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        report = self.report
        self.model.set_report(report)
        used = bool(report.vendors)
        self._enable(used)
        if not used:
            self.show_empty(f"No consignment item was used in {report.period.label}.")
            return
        self.stack.show_rows(True)
        lines = sum(len(vendor.lines) for vendor in report.vendors)
        vendors = len(report.vendors)
        self.summary.setText(
            f"<b>{report.period.label}</b>: {lines} line{'s' if lines != 1 else ''} for "
            f"{vendors} vendor{'s' if vendors != 1 else ''}, value <b>{money(report.total)}</b>"
        )

    def _enable(self, on: bool) -> None:
        self.print_button.setEnabled(on)
        self.export_button.setEnabled(on)

    def print_preview(self) -> None:
        """The replenish-on-use list in the print preview (each vendor from a new page)."""
        report = self.report
        if report is None:
            return

        def make(options: Any) -> Any:
            return printing.consignment_usage_document(report, options)

        preview(self, make, title=f"Consignment usage {report.period.label}")

    def workbook(self) -> tuple[str, Callable[[str], None]] | None:
        """The lines on screen, to write to a workbook."""
        report = self.report
        if report is None:
            return None
        return (
            f"consignment-usage-{report.period.key}.xlsx",
            lambda target: consignment.write_consignment_usage_file(path=target, report=report),
        )


def open_cost_allocation(parent: QWidget | None, db: Database) -> None:
    """Open the cost allocation; an error reading it is shown and nothing opens."""
    try:
        dialog = CostAllocationDialog(parent, db)
    except Exception as exc:
        show_error(parent, exc)
        return
    dialog.exec()


def open_consignment_usage(parent: QWidget | None, db: Database) -> None:
    """Open consignment usage; an error reading it is shown and nothing opens."""
    try:
        dialog = ConsignmentUsageDialog(parent, db)
    except Exception as exc:
        show_error(parent, exc)
        return
    dialog.exec()
