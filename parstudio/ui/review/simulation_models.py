"""Table models of the what-if dialog: the totals side by side, and each line's figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.simulation_compare import ComparedLine, Comparison
from parstudio.domain.simulation_measures import (
    LINE_MEASURES,
    TOTAL_MEASURES,
    Measure,
    better,
    level_of,
    levels_text,
)
from parstudio.reports.simulation import summary_rows
from parstudio.ui.kit.table_models import RecordRole, SortRole

BETTER = QColor("#d8f0dc")
WORSE = QColor("#f8d7d4")
AnyIndex = QModelIndex | QPersistentModelIndex
_BY_LABEL = {m.label: m for m in (*TOTAL_MEASURES, *LINE_MEASURES)}


def shown(value: Decimal | int | None, *, money: bool = False) -> str:
    """A figure as the dialog shows it."""
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    if money:
        return f"{value.quantize(Decimal('0.01')):,}"
    return fq(value.quantize(Decimal("0.1")) if abs(value) >= 10 else value)


class TotalsModel(QAbstractTableModel):
    """One row per measure: current, proposed, (leanest), change; the better side tinted."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers: list[str] = ["Measure", "Current", "Proposed", "Change"]
        self.rows: list[list[Any]] = []

    def show(self, comparison: Comparison | None) -> None:
        """Show a comparison's totals (None: empty)."""
        self.beginResetModel()
        if comparison is None:
            self.rows = []
        else:
            self.rows = list(summary_rows(comparison))
            self.headers = [
                "Measure",
                "Current",
                comparison.input.proposed_name.capitalize(),
                *(["Leanest"] if comparison.leanest is not None else []),
                "Change",
            ]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        measure = _BY_LABEL.get(row[0])
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row[0]
            return shown(row[column], money=bool(measure and measure.money))
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and measure and 2 <= column < len(row) - 1:
            return _tint(measure, row[1], row[column])
        return None


def _tint(measure: Measure, before: Any, after: Any) -> QBrush | None:
    verdict = better(measure, before, after)
    if verdict > 0:
        return QBrush(BETTER)
    if verdict < 0:
        return QBrush(WORSE)
    return None


@dataclass(frozen=True, slots=True)
class LineColumn:
    """A column of the lines table: heading, how it reads a line, the figure it is set against."""

    heading: str
    read: Callable[[ComparedLine], Any]
    measure: Measure | None = None
    against: Callable[[ComparedLine], Any] | None = None
    width: int = 70


def _measure(label: str) -> Measure:
    return next(m for m in LINE_MEASURES if m.label == label)


def _lean_outcome(line: ComparedLine) -> Any:
    return line.leanest.outcome if line.leanest is not None else None


def _figure_columns(label: str, short: str) -> list[LineColumn]:
    measure = _measure(label)
    return [
        LineColumn(f"{short} now", lambda x: measure.read(x.current), measure),
        LineColumn(
            f"{short} new",
            lambda x: measure.read(x.proposed),
            measure,
            lambda x: measure.read(x.current),
        ),
    ]


LINE_COLUMNS: tuple[LineColumn, ...] = (
    LineColumn("Location", lambda x: x.setting.location_code, width=80),
    LineColumn("Item", lambda x: x.setting.item_code, width=90),
    LineColumn("Description", lambda x: x.setting.description, width=190),
    LineColumn("Level now", lambda x: levels_text(x.setting, x.current.levels), width=78),
    LineColumn("Level new", lambda x: levels_text(x.setting, x.proposed.levels), width=78),
    *_figure_columns("Stockout days", "Out"),
    *_figure_columns("Service %", "SL %"),
    *_figure_columns("Average stock", "Avg"),
    *_figure_columns("Order lines", "Orders"),
    LineColumn(
        "Leanest",
        lambda x: (
            ""
            if x.leanest is None
            else f"{fq(x.leanest.level or Decimal(0))}{'' if x.leanest.met else ' (missed)'}"
        ),
        width=80,
    ),
    LineColumn(
        "SL % lean",
        lambda x: _lean_outcome(x).service_level if x.leanest is not None else None,
        _measure("Service %"),
        lambda x: x.current.service_level,
    ),
    LineColumn(
        "Avg lean",
        lambda x: _lean_outcome(x).average_stock if x.leanest is not None else None,
        _measure("Average stock"),
        lambda x: x.current.average_stock,
    ),
)


class LinesModel(QAbstractTableModel):
    """Each replayed line: its levels and main figures now and under the proposed levels."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[ComparedLine] = []

    def show(self, comparison: Comparison | None) -> None:
        """Show a comparison's lines (None: empty)."""
        self.beginResetModel()
        self.lines = list(comparison.lines) if comparison is not None else []
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LINE_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return LINE_COLUMNS[section].heading
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        column = LINE_COLUMNS[index.column()]
        if role == RecordRole:
            return line
        value = column.read(line)
        if role == Qt.ItemDataRole.DisplayRole:
            return value if isinstance(value, str) else shown(value)
        if role == SortRole:
            return value if value is not None else Decimal(-1)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.measure is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and column.against is not None:
            assert column.measure is not None
            return _tint(column.measure, column.against(line), value)
        if role == Qt.ItemDataRole.ToolTipRole and line.leanest is not None and line.leanest.note:
            return line.leanest.note
        return None

    def level_now(self, line: ComparedLine) -> Decimal | None:
        """The line's current level (PAR, or Max)."""
        return level_of(line.setting, line.current.levels)
