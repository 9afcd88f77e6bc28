"""What if: replay a period under current and proposed levels, find the leanest, accept them.

The replay runs off the UI thread (a Task) with its progress in the dialog; the result is a
plain Comparison the dialog keeps, so finding the leanest levels and drawing a line's chart
need no second read of the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import ParStudioError
from parstudio.domain.progress import Progress
from parstudio.domain.simulation_compare import (
    ASSUMPTIONS,
    ComparedLine,
    Comparison,
    with_leanest,
)
from parstudio.reports.simulation import notes_of
from parstudio.services.catalog import locations
from parstudio.services.review import simulation
from parstudio.ui.kit.background import Receiver, Task
from parstudio.ui.kit.charts import make_view
from parstudio.ui.kit.dialogs import to_date, to_qdate
from parstudio.ui.kit.page import PageHost, make_table
from parstudio.ui.kit.table_models import RecordRole, SortRole
from parstudio.ui.review.simulation_chart import empty_chart, shelf_chart
from parstudio.ui.review.simulation_models import LINE_COLUMNS, LinesModel, TotalsModel
from parstudio.ui.review.simulation_outcome import accept_leanest, summary, write_comparison

FROM_FILE = "file"


class SimulationDialog(QDialog):
    """Current against proposed levels over a period, line by line and in total."""

    def __init__(
        self,
        parent: QWidget,
        host: PageHost,
        *,
        setting_ids: Sequence[int] = (),
        location_id: int | None = None,
        levels_changed: Callable[[object], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("What if — replay under other levels")
        self.host = host
        self.setting_ids = list(setting_ids)
        self.levels_changed = levels_changed
        self.comparison: Comparison | None = None
        self.task: Task | None = None
        self.level_file: Path | None = None

        self.scope = QComboBox(self)
        self.scope.setObjectName("simulation_scope")
        if self.setting_ids:
            self.scope.addItem(f"The {len(self.setting_ids)} selected lines", ("lines", None))
        departments: set[str] = set()
        for record in locations.list_locations(host.db):
            self.scope.addItem(f"{record.code} — {record.name}", ("location", record.id))
            if record.department:
                departments.add(record.department)
        for name in sorted(departments):
            self.scope.addItem(f"Department {name}", ("department", name))
        if location_id is not None and not self.setting_ids:
            self.scope.setCurrentIndex(max(self.scope.findData(("location", location_id)), 0))
        today = date.today()
        self.first = QDateEdit(to_qdate(today - timedelta(days=365)), self)
        self.last = QDateEdit(to_qdate(today), self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.levels = QComboBox(self)
        self.levels.setObjectName("simulation_levels")
        self.levels.addItem("the review's suggestions", simulation.SUGGESTED)
        self.levels.addItem("the current levels (a check)", simulation.CURRENT)
        self.levels.addItem("levels from a PAR worksheet…", FROM_FILE)
        self.levels.activated.connect(self._levels_chosen)
        self.run_button = QPushButton("Simulate", self)
        self.run_button.setObjectName("simulate_run")
        self.run_button.setDefault(True)
        top = QHBoxLayout()
        for widget in (
            QLabel("Replay", self),
            self.scope,
            QLabel("from", self),
            self.first,
            QLabel("to", self),
            self.last,
            QLabel("under", self),
            self.levels,
        ):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.run_button)

        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.status = QLabel("Choose what to replay and press Simulate.", self)
        self.status.setObjectName("simulation_status")
        self.cancel_button = QPushButton("Cancel", self)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.progress)
        status_row.addWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

        self.totals_model = TotalsModel(self)
        self.totals = make_table(self)
        self.totals.setObjectName("simulation_totals")
        self.totals.setModel(self.totals_model)
        self.totals.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.totals.horizontalHeader().setStretchLastSection(True)
        self.chart = make_view(empty_chart("Choose a line to see its simulated shelf"), self)
        self.chart.setMinimumSize(400, 260)
        upper = QSplitter(Qt.Orientation.Horizontal, self)
        upper.addWidget(self.totals)
        upper.addWidget(self.chart)
        upper.setSizes([600, 600])

        self.lines_model = LinesModel(self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.lines_model)
        proxy.setSortRole(SortRole)
        self.lines: QTableView = make_table(self)
        self.lines.setObjectName("simulation_lines")
        self.lines.setModel(proxy)
        self.lines.setSortingEnabled(True)
        self.lines.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for column, spec in enumerate(LINE_COLUMNS):
            self.lines.horizontalHeader().resizeSection(column, spec.width)
        self.lines.selectionModel().currentRowChanged.connect(lambda *_a: self._chart_line())
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper)
        splitter.addWidget(self.lines)
        splitter.setSizes([330, 300])

        self.assumptions = QTextBrowser(self)
        self.assumptions.setObjectName("simulation_assumptions")
        self.assumptions.setMaximumHeight(74)
        self.assumptions.setPlainText("\n".join(ASSUMPTIONS))

        self.service_level = QSpinBox(self)
        self.service_level.setObjectName("service_level")
        self.service_level.setRange(50, 100)
        self.service_level.setValue(98)
        self.service_level.setSuffix(" % of days")
        self.leanest_button = QPushButton("Find leanest levels", self)
        self.leanest_button.setObjectName("find_leanest")
        self.accept_button = QPushButton("Accept leanest", self)
        self.accept_button.setObjectName("accept_leanest")
        self.export_button = QPushButton("Export…", self)
        close = QPushButton("Close", self)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Leanest levels with no stockout on", self))
        buttons.addWidget(self.service_level)
        buttons.addWidget(self.leanest_button)
        buttons.addWidget(self.accept_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(status_row)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.assumptions)
        layout.addLayout(buttons)

        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self._cancel)
        self.leanest_button.clicked.connect(self.find_leanest)
        self.accept_button.clicked.connect(self.accept_leanest)
        self.export_button.clicked.connect(self.export)
        close.clicked.connect(self.reject)
        self.resize(1220, 760)
        self._enable()

    # -- running
    def _levels_chosen(self) -> None:
        if self.levels.currentData() != FROM_FILE:
            return
        name, _filter = QFileDialog.getOpenFileName(
            self, "Levels from a PAR worksheet", "", "Excel workbooks (*.xlsx)"
        )
        if not name:
            self.levels.setCurrentIndex(0)
            return
        self.level_file = Path(name)
        self.levels.setItemText(2, f"levels from {self.level_file.name}")

    def chosen_levels(self) -> str | Path:
        """What the proposed levels are: suggested, current, or a file."""
        data = self.levels.currentData()
        if data == FROM_FILE:
            if self.level_file is None:
                raise ParStudioError("Choose the PAR worksheet whose levels to replay.")
            return self.level_file
        return str(data)

    def run(self) -> None:
        """Replay the chosen lines in the background."""
        try:
            levels = self.chosen_levels()
        except ParStudioError as exc:
            self.status.setText(exc.message)
            return
        kind, value = self.scope.currentData()
        db = self.host.db
        first, last = to_date(self.first.date()), to_date(self.last.date())
        scope_text = self.scope.currentText().split(" — ")[0]

        def job(progress: Progress) -> Comparison:
            ids = None
            if kind == "department":
                ids = simulation.location_ids_for(db, department=value)
            elif kind == "location":
                ids = [value]
            return simulation.simulate_levels(
                db,
                first=first,
                last=last,
                setting_ids=self.setting_ids if kind == "lines" else None,
                location_ids=ids,
                levels=levels,
                scope=scope_text,
                progress=progress,
            )

        self._start(job, "Reading usage and replaying…", self._simulated)

    def find_leanest(self) -> None:
        """Search each line's leanest level for the chosen service level, in the background."""
        if self.comparison is None:
            return
        comparison = self.comparison
        target = Decimal(self.service_level.value())

        def job(progress: Progress) -> Comparison:
            return with_leanest(comparison, service_level=target, progress=progress)

        self._start(job, f"Finding the leanest levels for {target} % of days…", self._simulated)

    def _start(
        self, job: Callable[[Progress], Any], text: str, done: Callable[[Any], None]
    ) -> None:
        self.task = Task(job)
        self.task.receiver = Receiver(  # type: ignore[attr-defined]
            self.task,
            self,
            on_progress=self._progress,
            on_done=done,
            on_error=self._failed,
            on_cancel=self._cancelled,
        )
        self.status.setText(text)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self._enable()
        self.task.start()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _ended(self) -> None:
        self.task = None
        self.progress.hide()
        self.cancel_button.hide()
        self._enable()

    def _cancelled(self) -> None:
        self._ended()
        self.status.setText("Stopped; nothing was changed.")

    def _failed(self, exc: BaseException) -> None:
        self._ended()
        if isinstance(exc, ParStudioError):
            self.status.setText(exc.message)
        else:
            self.host.report_error(exc)

    def _simulated(self, comparison: Comparison) -> None:
        self._ended()
        self.show_comparison(comparison)

    def show_comparison(self, comparison: Comparison) -> None:
        """Show a comparison: totals, lines, notes, and the first line's chart."""
        self.comparison = comparison
        self.totals_model.show(comparison)
        header = self.totals.horizontalHeader()
        header.resizeSection(0, 200)
        for column in range(1, self.totals_model.columnCount()):
            header.resizeSection(column, 92)
        self.lines_model.show(comparison)
        self.assumptions.setPlainText("\n".join(notes_of(comparison)))
        self.status.setText(summary(comparison))
        if comparison.lines:
            self.lines.selectRow(0)
            self._chart_line()
        self._enable()

    def selected_line(self) -> ComparedLine | None:
        """The line whose chart is shown."""
        index = self.lines.currentIndex()
        return index.data(RecordRole) if index.isValid() else None

    def _chart_line(self) -> None:
        line = self.selected_line()
        if self.comparison is None or line is None:
            return
        old = self.chart.chart()
        self.chart.setChart(shelf_chart(self.comparison, line))
        old.deleteLater()

    def _enable(self) -> None:
        busy = self.task is not None
        have = self.comparison is not None and bool(self.comparison.lines)
        found = have and self.comparison is not None and self.comparison.leanest is not None
        self.run_button.setEnabled(not busy)
        self.leanest_button.setEnabled(have and not busy)
        self.accept_button.setEnabled(found and not busy)
        self.export_button.setEnabled(have and not busy)

    # -- accepting and exporting
    def accept_leanest(self) -> None:
        """Accept every leanest level found (that differs), through the review, undoably."""
        if self.comparison is None:
            return
        try:
            said = accept_leanest(self.host, self.comparison, self.levels_changed)
        except ParStudioError as exc:
            said = exc.message
        self.status.setText(said)

    def export(self) -> None:
        """Write the comparison to an .xlsx workbook or a PDF."""
        if self.comparison is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, "Export the comparison", "what-if.xlsx", "Excel (*.xlsx);;PDF (*.pdf)"
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """Write the comparison to ``path`` (.pdf, else .xlsx)."""
        assert self.comparison is not None
        try:
            written = write_comparison(path, self.comparison)
        except (ParStudioError, OSError) as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(f"Wrote {written.name}.")

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
        super().reject()
