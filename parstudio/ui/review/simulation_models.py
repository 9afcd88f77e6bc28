"""Table models of the what-if dialog: the totals side by side, and each line's figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from parstudio.domain.quantities import format_money
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
from parstudio.ui.kit.table_models import Column, ColumnTableModel

BETTER = QColor("#d8f0dc")
WORSE = QColor("#f8d7d4")
_BY_LABEL = {m.label: m for m in (*TOTAL_MEASURES, *LINE_MEASURES)}


def shown(value: Decimal | int | None, *, money: bool = False) -> str:
    """A figure as the dialog shows it."""
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    if money:
        return format_money(value)
    return fq(value.quantize(Decimal("0.1")) if abs(value) >= 10 else value)


def _total_column(label: str, at: int) -> Column:
    if at == 0:
        return Column(label, lambda row: row[0], lambda row: row[0], width=200)

    def text(row: list[Any]) -> str:
        measure = _BY_LABEL.get(row[0])
        return shown(row[at], money=bool(measure and measure.money))

    return Column(label, text, lambda row: row[at], numeric=True, width=92)


def _total_columns(labels: Sequence[str]) -> tuple[Column, ...]:
    return tuple(_total_column(label, at) for at, label in enumerate(labels))


class TotalsModel(ColumnTableModel):
    """One row per measure: current, proposed, (leanest), change; the better side tinted."""

    columns = _total_columns(["Measure", "Current", "Proposed", "Change"])

    @property
    def headers(self) -> list[str]:
        """The column headings."""
        return [column.label for column in self.columns]

    def show(self, comparison: Comparison | None) -> None:
        """Show a comparison's totals (None: empty)."""
        self.beginResetModel()
        if comparison is None:
            self._rows = []
        else:
            self._rows = list(summary_rows(comparison))
            self.columns = _total_columns(
                [
                    "Measure",
                    "Current",
                    comparison.input.proposed_name.capitalize(),
                    *(["Leanest"] if comparison.leanest is not None else []),
                    "Change",
                ]
            )
        self.endResetModel()

    def extra_data(self, row: list[Any], column: int, role: int) -> Any:
        measure = _BY_LABEL.get(row[0])
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


def _line_text(column: LineColumn) -> Callable[[ComparedLine], str]:
    def text(line: ComparedLine) -> str:
        value = column.read(line)
        return value if isinstance(value, str) else shown(value)

    return text


def _line_key(column: LineColumn) -> Callable[[ComparedLine], Any]:
    def key(line: ComparedLine) -> Any:
        value = column.read(line)
        return value if value is not None else Decimal(-1)

    return key


class LinesModel(ColumnTableModel):
    """Each replayed line: its levels and main figures now and under the proposed levels."""

    columns = tuple(
        Column(
            column.heading,
            _line_text(column),
            _line_key(column),
            numeric=column.measure is not None,
            width=column.width,
        )
        for column in LINE_COLUMNS
    )

    @property
    def lines(self) -> list[ComparedLine]:
        """The lines shown."""
        return self._rows

    def show(self, comparison: Comparison | None) -> None:
        """Show a comparison's lines (None: empty)."""
        self.set_rows(comparison.lines if comparison is not None else [])

    def extra_data(self, row: ComparedLine, column: int, role: int) -> Any:
        line_column = LINE_COLUMNS[column]
        if role == Qt.ItemDataRole.BackgroundRole and line_column.against is not None:
            assert line_column.measure is not None
            return _tint(line_column.measure, line_column.against(row), line_column.read(row))
        if role == Qt.ItemDataRole.ToolTipRole and row.leanest is not None and row.leanest.note:
            return row.leanest.note
        return None

    def level_now(self, line: ComparedLine) -> Decimal | None:
        """The line's current level (PAR, or Max)."""
        return level_of(line.setting, line.current.levels)
