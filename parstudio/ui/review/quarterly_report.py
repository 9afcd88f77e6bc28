"""The quarterly review report on screen: key figures, a tab per section, and Print."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QSize, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.paper import PrintedDocument, PrintOptions
from parstudio.domain.quarterly_review import Quarter, QuarterlyReport
from parstudio.services.review import period_usage
from parstudio.services.review import quarterly as quarterly_review
from parstudio.ui.kit.background import run_with_progress
from parstudio.ui.kit.formatting import money
from parstudio.ui.kit.geometry import fit_and_remember
from parstudio.ui.kit.page import PageHost, make_table, table_or_empty
from parstudio.ui.kit.table_models import ColumnTableModel, SortRole
from parstudio.ui.review.quarterly_models import (
    MoverModel,
    OutOfLineModel,
    QuarterWasteModel,
    RushModel,
    StockoutModel,
    StockValueModel,
    UsageModel,
    percent,
)

QUARTERS_BACK = 8
STRETCH = ("Description", "Why", "Location")
ALL = "All"
CARD_STYLE = (
    "QFrame#figure { border: 1px solid #c9ced6; border-radius: 6px; background: #fbfcfe; }"
    "QLabel#figure_value { font-size: 17pt; font-weight: 600; color: #1d2b3a; }"
    "QLabel#figure_caption { color: #56606b; }"
    "QLabel#figure_detail { color: #56606b; font-size: 9pt; }"
)


class Figure(QFrame):
    """One key figure: a caption, a big number, and a line of detail under it."""

    def __init__(self, caption: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("figure")
        self.caption = QLabel(caption, self)
        self.caption.setObjectName("figure_caption")
        self.value = QLabel("—", self)
        self.value.setObjectName("figure_value")
        self.detail = QLabel("", self)
        self.detail.setObjectName("figure_detail")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def show_figure(self, value: str, detail: str) -> None:
        """Show a new figure and its detail."""
        self.value.setText(value)
        self.detail.setText(detail)


class Section(QWidget):
    """One section of the report: a line of explanation, and its table or an empty message."""

    def __init__(self, model: ColumnTableModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.model = model
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setObjectName("section_note")
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SortRole)
        self.view = make_table(self)
        self.view.setModel(proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        proxy.sort(-1)
        header = self.view.horizontalHeader()
        labels = [spec.label for spec in model.columns]
        # The widest text column takes the spare width, not whichever column comes last.
        stretch = next((labels.index(t) for t in STRETCH if t in labels), len(labels) - 1)
        for column, spec in enumerate(model.columns):
            header.resizeSection(column, spec.width)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.stack, self.empty = table_or_empty(self, self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.note)
        layout.addWidget(self.stack, 1)

    def show_rows(self, rows: Any, note: str, empty: str) -> None:
        """Show these rows, or the empty message when there are none."""
        self.model.set_rows(list(rows))
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.stack.show_rows(self.model.rowCount() > 0, empty)


class QuarterlyReportDialog(QDialog):
    """The quarterly review report for a quarter, narrowed by department, cost centre or place."""

    def __init__(self, host: PageHost, parent: QWidget, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.today = today or date.today()
        self.report: QuarterlyReport | None = None
        self.task: Any = None
        self.setWindowTitle("Quarterly review report")
        self.setStyleSheet(CARD_STYLE)
        fit_and_remember(self, "quarterly_report", QSize(1180, 760))

        self.quarter = QComboBox(self)
        self.quarter.setObjectName("quarter")
        first = Quarter.containing(self.today)
        shown = first
        for _ in range(QUARTERS_BACK):
            ended = shown.end < self.today
            self.quarter.addItem(shown.label + ("" if ended else " — so far"), shown)
            shown = shown.previous
        self.quarter.setCurrentIndex(1)  # the last complete quarter
        self.department = QComboBox(self)
        self.department.setObjectName("department")
        self.cost_centre = QComboBox(self)
        self.cost_centre.setObjectName("cost_centre")
        self.location = QComboBox(self)
        self.location.setObjectName("location")
        self.location.setMinimumWidth(200)
        for combo in (self.department, self.cost_centre, self.location):
            combo.addItem(ALL, None)
        self._fill_scopes()
        filters = QHBoxLayout()
        for label, combo in (
            ("Quarter", self.quarter),
            ("Department", self.department),
            ("Cost centre", self.cost_centre),
            ("Location", self.location),
        ):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(combo)
        filters.addStretch(1)

        self.heading = QLabel(self)
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.usage_figure = Figure("Usage this quarter", self)
        self.stock_figure = Figure("Stock value on hand", self)
        self.waste_figure = Figure("Waste", self)
        self.rush_figure = Figure("Rush orders", self)
        self.stockout_figure = Figure("Stockouts", self)
        figures = QGridLayout()
        for column, figure in enumerate(
            (
                self.usage_figure,
                self.stock_figure,
                self.waste_figure,
                self.rush_figure,
                self.stockout_figure,
            )
        ):
            figures.addWidget(figure, 0, column)
            figures.setColumnStretch(column, 1)

        self.usage = Section(UsageModel(self), self)
        self.stockouts = Section(StockoutModel(self), self)
        self.waste = Section(QuarterWasteModel(self), self)
        self.rush = Section(RushModel(self), self)
        self.stock = Section(StockValueModel(self), self)
        self.movers = Section(MoverModel(self), self)
        self.out_of_line = Section(OutOfLineModel(self), self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("sections")
        for title, section in (
            ("Usage by location", self.usage),
            ("Stockouts", self.stockouts),
            ("Waste", self.waste),
            ("Rush orders", self.rush),
            ("Stock value", self.stock),
            ("Top movers", self.movers),
            ("Most out of line", self.out_of_line),
        ):
            self.tabs.addTab(section, title)

        self.print_button = QPushButton("Print or save PDF…", self)
        self.print_button.setObjectName("print")
        self.print_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_report)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.heading)
        layout.addLayout(figures)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

        for combo in (self.quarter, self.department, self.cost_centre, self.location):
            combo.currentIndexChanged.connect(self.load)

    def _fill_scopes(self) -> None:
        try:
            departments, centres, places = period_usage.report_scopes(self.host.db)
        except Exception as exc:
            self.host.report_error(exc)
            return
        for name in departments:
            self.department.addItem(name, name)
        for centre in centres:
            self.cost_centre.addItem(centre, centre)
        for code, name in places:
            self.location.addItem(f"{code} — {name}", code)

    def wanted(self) -> period_usage.SettingFilter:
        """The scope chosen in the filters."""
        code = self.location.currentData()
        return period_usage.SettingFilter(
            department=self.department.currentData(),
            cost_centre=self.cost_centre.currentData(),
            location_codes=(code,) if code else (),
        )

    def load(self, *_args: Any) -> None:
        """Read the report for the chosen quarter and scope, off the UI thread."""
        if self.task is not None:
            self.task.cancel()
        quarter: Quarter = self.quarter.currentData()
        wanted, db, today = self.wanted(), self.host.db, self.today
        self.print_button.setEnabled(False)
        self.heading.setText(f"Reading {quarter.label}…")

        def job(_progress: Any) -> QuarterlyReport:
            return quarterly_review.quarterly_review(
                db, quarter=quarter, wanted=wanted, today=today
            )

        def failed(exc: BaseException) -> None:
            self.task = None
            self.heading.setText("The report could not be read.")
            self.host.report_error(exc)

        self.task = run_with_progress(
            self,
            f"Reading the quarterly review for {quarter.label}…",
            job,
            on_done=self.show_report,
            on_error=failed,
        )

    def show_report(self, report: QuarterlyReport) -> None:
        """Show a report that was read."""
        self.task = None
        self.report = report
        self.print_button.setEnabled(True)
        self.heading.setText(
            f"{report.quarter.label} · {report.scope} · {report.settings} PAR settings"
        )
        total = report.total_usage
        self.usage_figure.show_figure(
            money(total.this_quarter),
            f"{percent(total.change_vs_last)} on last quarter · "
            + (
                f"{percent(total.change_vs_year)} on a year before"
                if total.year_before_known
                else "no history a year before"
            ),
        )
        consignment = report.total_consignment_value
        self.stock_figure.show_figure(
            money(report.total_stock_value),
            f"at {report.quarter.end.isoformat()}"
            + (f" · consignment {money(consignment)} not included" if consignment else ""),
        )
        records = len(report.waste)
        self.waste_figure.show_figure(
            money(report.waste_cost), f"{records} record{'' if records == 1 else 's'} of waste"
        )
        self.rush_figure.show_figure(
            str(len(report.rush_orders)), f"worth {money(report.rush_value)}"
        )
        items = len(report.stockouts)
        self.stockout_figure.show_figure(
            str(report.stockout_events),
            f"empty shelves found, {items} item{'' if items == 1 else 's'}",
        )
        self._show_sections(report)

    def _show_sections(self, report: QuarterlyReport) -> None:
        quarter = report.quarter
        unpriced = (
            f" {report.unpriced_settings} settings have no price and are left out."
            if report.unpriced_settings
            else ""
        )
        self.usage.show_rows(
            report.usage,
            f"Units used × pack price ÷ pack size, in {quarter.label}, in {quarter.previous.label} "
            f"and in {quarter.year_before.label}.{unpriced}",
            "No PAR settings in this scope.",
        )
        self.stockouts.show_rows(
            report.stockouts,
            "On-hand counts that found none on the shelf.",
            "No stockouts this quarter.",
        )
        reasons = ", ".join(
            f"{w.reason.label} {money(w.cost)} ({w.records})" for w in report.waste_by_reason
        )
        self.waste.show_rows(
            report.waste,
            f"At the unit cost on the day it was thrown away. {reasons}.",
            "No waste recorded this quarter.",
        )
        self.rush.show_rows(
            report.rush_orders,
            "Orders marked rush, or expected on a day outside the delivery schedule.",
            "No rush orders this quarter.",
        )
        self.stock.show_rows(
            report.stock_value,
            f"Latest on-hand counts by {quarter.end.isoformat()} × unit cost. Consignment stock "
            "belongs to the vendor and is not in the stock value.",
            "Nothing counted on hand by the end of the quarter.",
        )
        self.movers.show_rows(
            report.movers,
            "The settings that used the most this quarter, by value.",
            "Nothing was used this quarter.",
        )
        through = report.suggestions_through
        self.out_of_line.show_rows(
            report.out_of_line,
            f"Suggestions worked out from history up to {through.isoformat()}; decide them on "
            "the Review page."
            if through
            else "",
            "Suggestions have not been worked out yet: Recompute suggestions on the Review page."
            if through is None
            else "Every level is within 25 % of its suggestion.",
        )

    def print_report(self) -> None:
        """Preview the report as a PDF, to print or save."""
        from parstudio.services.ordering import printing
        from parstudio.ui.kit.print_preview import preview

        report = self.report
        if report is None:
            return

        def make(options: PrintOptions) -> PrintedDocument:
            return printing.quarterly_review_document(report, options)

        preview(self, make, title=f"Quarterly review {report.quarter.code}")

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.report is None and self.task is None:
            self.load()
