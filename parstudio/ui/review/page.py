"""The Review page: PAR levels out of line with their usage, with evidence, chart and decisions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import ParStudioError
from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.review import (
    Formula,
    RefreshSummary,
    ReviewLine,
    ReviewList,
)
from parstudio.domain.suggestions import ParReview
from parstudio.services.catalog import locations
from parstudio.services.review import charts, seasons
from parstudio.services.review import suggestions as review
from parstudio.ui.kit.background import Task, run_with_progress
from parstudio.ui.kit.charts import SpendChartDialog, make_view, usage_chart
from parstudio.ui.kit.page import PageHost, make_table, table_or_empty
from parstudio.ui.kit.permissions import permit
from parstudio.ui.kit.table_models import SortRole
from parstudio.ui.review.decisions import DecisionCommand, refresh_job, summary_text
from parstudio.ui.review.evidence import evidence_html, usage_chart_placeholder
from parstudio.ui.review.filters import empty_text, freshness_text, review_bar
from parstudio.ui.review.model import ReviewModel, size_columns


class ReviewPage(QWidget):
    """Settings whose suggestion differs by more than a chosen %, to accept or reject."""

    levels_changed = Signal()
    """Accepting (or undoing) changed PAR levels: the PAR Settings page is out of date."""

    def __init__(self, host: PageHost) -> None:
        super().__init__()
        self.host = host
        self.current: ReviewList | None = None
        self.task: Task | None = None
        self.model = ReviewModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)

        bar = review_bar(self)
        self.threshold, self.min_units = bar.threshold, bar.min_units
        self.formula, self.location = bar.formula, bar.location
        self.recompute_button, self.reports_button = bar.recompute_button, bar.reports_button
        self.quarterly_action, self.costs_action = bar.quarterly_action, bar.costs_action
        self.consignment_action, self.spend_action = bar.consignment_action, bar.spend_action
        top = bar.layout

        self.freshness = QLabel(self)
        self.freshness.setObjectName("freshness")
        self.freshness.setWordWrap(True)

        self.view = make_table(self)
        self.view.setObjectName("review_table")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.view.horizontalHeader()
        size_columns(header)
        header.setStretchLastSection(True)
        # Unsorted until a header is clicked: the service's order (location, then item).
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)
        self.list_stack, self.empty = table_or_empty(self, self.view)

        self.accept_button = QPushButton("Accept selected", self)
        self.reject_button = QPushButton("Reject selected", self)
        self.accept_button.setObjectName("accept")
        self.reject_button.setObjectName("reject")
        self.selection_label = QLabel(self)
        self.simulate_button = QPushButton("Simulate…", self)
        self.simulate_button.setObjectName("simulate")
        self.simulate_button.setToolTip(
            "What if: replay last year's usage under the suggested (or other) levels"
        )
        self.simulate_button.clicked.connect(self.simulate)
        decide_row = QHBoxLayout()
        decide_row.addWidget(self.selection_label)
        decide_row.addStretch(1)
        decide_row.addWidget(self.simulate_button)
        decide_row.addWidget(self.reject_button)
        decide_row.addWidget(self.accept_button)
        list_side = QWidget(self)
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.list_stack, 1)
        list_layout.addLayout(decide_row)

        self.evidence = QTextBrowser(self)
        self.evidence.setObjectName("evidence")
        self.evidence.setOpenLinks(False)
        self.detail: ParReview | None = None
        self.add_seasons_button = QPushButton("Put the seasons found in the calendar", self)
        self.add_seasons_button.setToolTip(
            "Add the seasons found to this setting's flex PAR calendar, as factors"
        )
        self.add_seasons_button.setVisible(False)
        self.add_seasons_button.clicked.connect(self.add_found_seasons)
        evidence_side = QWidget(self)
        evidence_layout = QVBoxLayout(evidence_side)
        evidence_layout.setContentsMargins(0, 0, 0, 0)
        evidence_layout.addWidget(self.evidence, 1)
        evidence_layout.addWidget(self.add_seasons_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.chart_view = make_view(usage_chart_placeholder(), self)
        self.chart_view.setMinimumSize(360, 300)  # the list keeps its figures at 1280 px
        detail = QSplitter(Qt.Orientation.Vertical, self)
        detail.addWidget(evidence_side)
        detail.addWidget(self.chart_view)
        detail.setSizes([260, 420])

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(list_side)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([1200, 640])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.freshness)
        layout.addWidget(splitter, 1)

        self.threshold.valueChanged.connect(lambda _v: self.reload())
        self.min_units.valueChanged.connect(lambda _v: self.reload())
        self.formula.currentIndexChanged.connect(lambda _i: self.reload())
        self.location.currentIndexChanged.connect(lambda _i: self.reload())
        self.recompute_button.clicked.connect(self.recompute)
        self.spend_action.triggered.connect(self.show_spend)
        self.quarterly_action.triggered.connect(self.show_quarterly_report)
        self.costs_action.triggered.connect(self.show_costs)
        self.consignment_action.triggered.connect(self.show_consignment)
        self.accept_button.clicked.connect(lambda: self.decide(accept=True))
        self.reject_button.clicked.connect(lambda: self.decide(accept=False))
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selected())

    # -- page interface
    def refresh(self) -> None:
        """Read the locations and the list again."""
        chosen = self.location.currentData()
        self.location.blockSignals(True)
        self.location.clear()
        self.location.addItem("All locations", None)
        for record in locations.list_locations(self.host.db):
            self.location.addItem(f"{record.code} — {record.name}", record.id)
        index = self.location.findData(chosen)
        self.location.setCurrentIndex(max(index, 0))
        self.location.blockSignals(False)
        self.reload()

    def focus_search(self) -> None:
        """The review has no search box: focus the table."""
        self.view.setFocus()

    # -- reading
    def chosen_formula(self) -> Formula:
        """The formula the list compares with."""
        return Formula(self.formula.currentData())

    def reload(self) -> None:
        """Read the list for the chosen difference, formula and location."""
        location_id = self.location.currentData()
        try:
            self.current = review.review_list(
                self.host.db,
                threshold_pct=Decimal(self.threshold.value()),
                min_units=Decimal(self.min_units.value()),
                formula=self.chosen_formula(),
                location_ids=None if location_id is None else [location_id],
            )
        except ParStudioError as exc:
            self.host.show_status(exc.message)
            return
        self.model.set_lines(self.current.lines)
        self.freshness.setText(freshness_text(self.current, self.threshold.value()))
        self.list_stack.show_rows(
            bool(self.current.lines), empty_text(self.current, self.threshold.value())
        )
        self._selected()

    def selected_lines(self) -> list[ReviewLine]:
        """The lines of the selected rows, in table order."""
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [self.model.line(self.proxy.mapToSource(self.proxy.index(r, 0)).row()) for r in rows]

    def _selected(self) -> None:
        lines = self.selected_lines()
        count = len(lines)
        for button in (self.accept_button, self.reject_button):
            permit(button, self.host.db, "par_review_decision", enabled=count > 0)
        self.accept_button.setText(f"Accept {count} selected" if count > 1 else "Accept selected")
        self.reject_button.setText(f"Reject {count} selected" if count > 1 else "Reject selected")
        self.selection_label.setText(f"{count} selected" if count else "Select lines to decide.")
        self.detail = None
        self.add_seasons_button.setVisible(False)
        if count == 1:
            self.show_detail(lines[0])
        else:
            self.evidence.setHtml(
                "<p style='color:#666'>Select one line to see its evidence and chart.</p>"
            )
            self.chart_view.setChart(usage_chart_placeholder())

    def show_detail(self, line: ReviewLine) -> None:
        """The evidence and the chart of one line."""
        db = self.host.db
        try:
            detail = review.review_detail(db, setting_id=line.setting_id)
            data = charts.setting_chart(db, setting_id=line.setting_id)
        except ParStudioError as exc:
            self.evidence.setPlainText(exc.message)
            return
        self.detail = detail
        self.evidence.setHtml(evidence_html(line, detail))
        self.add_seasons_button.setVisible(bool(detail.seasonal))
        self.chart_view.setChart(
            usage_chart(data, f"{line.item_code} at {line.location_code}", compact=True)
        )

    # -- actions
    def decide(self, *, accept: bool) -> None:
        """Accept or reject the selected lines, recorded with who, when and old → new."""
        lines = self.selected_lines()
        if not lines:
            return
        verb = "Accept" if accept else "Reject"
        if len(lines) > 1:
            answer = QMessageBox.question(
                self,
                f"{verb} suggestions",
                f"{verb} the suggestions of {len(lines)} settings?"
                + (" Their levels will be changed." if accept else ""),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        formula = self.chosen_formula()
        try:
            made = review.decide(self.host.db, lines=lines, accept=accept, formula=formula)
        except ParStudioError as exc:
            QMessageBox.warning(self, "PAR Studio", exc.message)
            self.reload()
            return
        except Exception as exc:
            self.host.report_error(exc)
            return
        what = f"{lines[0].item_code} at {lines[0].location_code}"
        self.host.undo_stack.push(
            DecisionCommand(
                f"{verb} the suggestion for {what}"
                if len(lines) == 1
                else f"{verb} {len(lines)} suggestions",
                db=self.host.db,
                lines=lines,
                made=made,
                accept=accept,
                formula=formula,
                done=self.decisions_changed,
                report=self.host.report_error,
            )
        )
        done = "Accepted" if accept else "Rejected"
        if len(made) == 1:
            d = made[0]
            self.host.show_status(
                f"{done}: {what} {d.level} "
                f"{fq(d.old_value) if d.old_value is not None else '—'} → {fq(d.new_value)}."
            )
        else:
            self.host.show_status(f"{done} {len(made)} suggestions.")
        self.decisions_changed()

    def decisions_changed(self, message: object = None) -> None:
        """Decisions were made or undone: read the list again; levels may have changed."""
        self.reload()
        self.levels_changed.emit()
        if isinstance(message, str):
            self.host.show_status(message)

    def add_found_seasons(self) -> None:
        """Add the seasons found for the selected line to its flex PAR calendar."""
        lines = self.selected_lines()
        if len(lines) != 1 or self.detail is None or not self.detail.seasons.seasons:
            return
        line = lines[0]
        try:
            added = seasons.add_found_seasons(
                self.host.db, setting_id=line.setting_id, found=self.detail.seasons.seasons
            )
        except ParStudioError as exc:
            QMessageBox.warning(self, "PAR Studio", exc.message)
            return
        names = ", ".join(f"{s.name} {s.range_label} {s.levels_label}" for s in added)
        self.host.show_status(f"Added to the calendar of {line.item_code}: {names}.")

    def recompute(self) -> None:
        """Work out every suggestion again from the history, off the UI thread, with Stop."""
        if self.task is not None:
            return
        location_id = self.location.currentData()

        job = refresh_job(self.host.db, None if location_id is None else [location_id])
        self.recompute_button.setEnabled(False)
        self.task = run_with_progress(
            self,
            "Working out usage and suggestions…",
            job,
            on_done=self._recomputed,
            on_error=self._recompute_failed,
            on_cancel=self._recompute_ended,
            title="Recompute suggestions",
            cancel_text="Stop",
            describe=lambda done, total: (
                f"Working out usage and suggestions… {done:,} of {total:,} settings"
            ),
        )
        self.task.dialog.canceled.connect(self._stopping)  # type: ignore[attr-defined]

    def _stopping(self) -> None:
        self.host.show_status(
            "Stopping after the locations being worked out now; what is done is kept."
        )

    def _recompute_ended(self) -> None:
        self.task = None
        self.recompute_button.setEnabled(True)

    def _recomputed(self, summary: RefreshSummary) -> None:
        self._recompute_ended()
        self.host.show_status(summary_text(summary))
        self.reload()

    def _recompute_failed(self, exc: BaseException) -> None:
        self._recompute_ended()
        self.host.report_error(exc)
        self.reload()  # the locations saved before the error show their new figures

    def simulate(self) -> None:
        """Open the what-if replay for the selected lines (else the chosen location)."""
        from parstudio.ui.review.simulation_dialog import SimulationDialog

        SimulationDialog(
            self,
            self.host,
            setting_ids=[line.setting_id for line in self.selected_lines()],
            location_id=self.location.currentData(),
            levels_changed=self.decisions_changed,
        ).exec()

    def show_spend(self) -> None:
        """The department spend-per-month chart."""
        SpendChartDialog(self, self.host.db).exec()

    def quarterly_report(self) -> Any:
        """The quarterly review report dialog, not yet shown."""
        from parstudio.ui.review.quarterly_report import QuarterlyReportDialog

        return QuarterlyReportDialog(self.host, self)

    def show_quarterly_report(self) -> None:
        """Open the quarterly review report."""
        self.quarterly_report().exec()

    def show_costs(self) -> None:
        """The cost allocation by department, cost centre and location."""
        from parstudio.ui.costs.dialogs import open_cost_allocation

        open_cost_allocation(self, self.host.db)

    def show_consignment(self) -> None:
        """The consignment items' usage per vendor, to print or export."""
        from parstudio.ui.costs.dialogs import open_consignment_usage

        open_consignment_usage(self, self.host.db)
