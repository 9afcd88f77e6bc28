"""What the cost reports' dialogs share: the period picker, filter lists, a dialog with a
summary line and Export to Excel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from parstudio.domain.errors import ParStudioError
from parstudio.domain.report_period import ReportPeriod
from parstudio.domain.usage import month_start
from parstudio.services.core.database import Database
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.geometry import fit_and_remember
from parstudio.ui.kit.page import TableBody, table_or_empty

XLSX_FILTER = "Excel workbooks (*.xlsx)"
HISTORY_MONTHS = 24


def month_choices(today: date) -> list[date]:
    """The months a report can cover: this month and the 23 before it, newest first."""
    months = [month_start(today)]
    while len(months) < HISTORY_MONTHS:
        months.append(month_start(months[-1] - timedelta(days=1)))
    return months


class PeriodPicker(QWidget):
    """From month – To month, as two drop-downs of the months with history."""

    def __init__(self, parent: QWidget, default: ReportPeriod, today: date) -> None:
        super().__init__(parent)
        self.first = QComboBox(self)
        self.first.setObjectName("from_month")
        self.last = QComboBox(self)
        self.last.setObjectName("to_month")
        self.months = month_choices(today)
        for combo in (self.first, self.last):
            for month in self.months:
                combo.addItem(f"{month:%b %Y}")
            combo.setMaxVisibleItems(12)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("From", self))
        layout.addWidget(self.first)
        layout.addWidget(QLabel("to", self))
        layout.addWidget(self.last)
        self.set_period(default)

    def set_period(self, period: ReportPeriod) -> None:
        """Show a period (months outside the list pick the nearest end)."""
        for combo, month in ((self.first, period.first), (self.last, period.last)):
            index = self.months.index(month) if month in self.months else len(self.months) - 1
            combo.setCurrentIndex(index)

    def period(self) -> ReportPeriod:
        """The months chosen; a From after the To is refused with a message."""
        return ReportPeriod(
            self.months[self.first.currentIndex()], self.months[self.last.currentIndex()]
        )

    def on_change(self, slot: Any) -> None:
        """Call slot whenever either month changes."""
        self.first.currentIndexChanged.connect(lambda _i: slot())
        self.last.currentIndexChanged.connect(lambda _i: slot())


def filter_combo(
    parent: QWidget, name: str, everything: str, choices: list[tuple[str, Any]]
) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.addItem(everything, None)
    for text, data in choices:
        combo.addItem(text, data)
    return combo


def save_path(parent: QWidget, title: str, name: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, name, XLSX_FILTER)
    return path or None


class ReportDialog(QDialog):
    """What both report dialogs share: the empty state, the buttons and Export to Excel."""

    summary: QLabel
    empty: QLabel
    stack: TableBody
    export_button: QPushButton
    export_title: str
    """The title of the Save dialog Export to Excel asks where in."""

    def __init__(
        self, parent: QWidget | None, db: Database, today: date | None, title: str, height: int
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today or date.today()
        self.setWindowTitle(title)
        fit_and_remember(self, "cost_report", QSize(1100, height))

    def stack_with_empty(self, view: QWidget) -> TableBody:
        """The figures' view, and the message shown in its place when there are none."""
        self.stack, self.empty = table_or_empty(self, view)
        return self.stack

    def button_row(self, *extra: QPushButton) -> QHBoxLayout:
        """The summary, then any extra buttons, Export to Excel… and Close."""
        self.export_button = QPushButton("Export to Excel…", self)
        self.export_button.setObjectName("export")
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (*extra, self.export_button, close):
            buttons.addWidget(button)
        self.export_button.clicked.connect(lambda: self.export())
        return buttons

    def workbook(self) -> tuple[str, Callable[[str], None]] | None:
        """The file name Export to Excel suggests and what writes it; None with nothing shown."""
        raise NotImplementedError

    def export(self, path: str | None = None) -> Path | None:
        """Write what is on screen to a workbook (asks where)."""
        job = self.workbook()
        if job is None:
            return None
        name, write = job
        return self.write_workbook(path, self.export_title, name, write)

    def show_empty(self, text: str) -> None:
        """Show a message in place of the figures."""
        self.stack.show_rows(False, text)
        self.summary.setText("")

    def write_workbook(
        self, path: str | None, title: str, name: str, write: Callable[[str], None]
    ) -> Path | None:
        """Ask where (unless given a path), write, and say so under the figures."""
        path = path or save_path(self, title, name)
        if path is None:
            return None
        try:
            write(path)
        except ParStudioError as exc:
            show_error(self, exc)
            return None
        self.summary.setText(f"Wrote {Path(path).name}.")
        return Path(path)
