"""The review table: PAR settings whose suggestion is out of line, with the evidence."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView

from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.review import ReviewLine
from parstudio.ui.kit.table_models import Column, ColumnTableModel

UP_COLOUR = QColor("#1a6e2e")
DOWN_COLOUR = QColor("#a33a00")

# (attribute, header, tooltip)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("location_code", "Location", ""),
    ("item_code", "Item", ""),
    ("description", "Description", ""),
    ("level", "Level", "PAR, or Max for a Min/Max line"),
    ("current", "Current", "The level now"),
    ("suggested", "Suggested", "The suggestion by the chosen formula"),
    ("change_pct", "Change", "Suggested against current, in %"),
    ("other", "Other", "The suggestion by the other formula"),
    ("weeks_used", "Weeks", "Complete weeks of usage the suggestion rests on"),
    ("average", "Avg/wk", "Average weekly usage over those weeks"),
    ("peak", "Peak/wk", "The busiest of those weeks"),
    ("stockouts", "Stockouts", "Counts of 0 in the history"),
    ("season", "Season found", "Seasons found in a year or more of history"),
)
NAMES = tuple(name for name, _label, _tip in COLUMNS)
NUMERIC = frozenset(
    {"current", "suggested", "change_pct", "other", "weeks_used", "average", "peak", "stockouts"}
)
WIDTHS = {
    "location_code": 100,
    "item_code": 80,
    "description": 190,
    "level": 45,
    "current": 60,
    "suggested": 70,
    "change_pct": 60,
    "other": 50,
    "weeks_used": 50,
    "average": 70,
    "peak": 70,
    "stockouts": 70,
}


def size_columns(header: QHeaderView) -> None:
    """Give each column its width, or more if its header needs it."""
    for column, (name, label, _tip) in enumerate(COLUMNS):
        fit = header.fontMetrics().horizontalAdvance(label) + 28
        header.resizeSection(column, max(WIDTHS.get(name, 120), fit))


def _text(name: str, value: Any) -> str:
    if value is None:
        return "—" if name in ("current", "change_pct") else ""
    if name == "change_pct":
        sign = "+" if value > 0 else ""
        return f"{sign}{value.quantize(Decimal(1))} %"
    if isinstance(value, Decimal):
        return fq(value)
    return str(value)


def _key(name: str, value: Any) -> Any:
    if value is None:
        return float("-inf") if name in NUMERIC else ""
    return float(value) if name in NUMERIC else str(value).lower()


def _column(name: str, label: str, tip: str) -> Column:
    return Column(
        label,
        lambda line: _text(name, getattr(line, name)),
        lambda line: _key(name, getattr(line, name)),
        numeric=name in NUMERIC,
        width=WIDTHS.get(name, 120),
        tip=tip,
    )


class ReviewModel(ColumnTableModel):
    """Review lines as rows; sortable through SortRole."""

    columns = tuple(_column(*column) for column in COLUMNS)
    COL_CHANGE = NAMES.index("change_pct")
    COL_SUGGESTED = NAMES.index("suggested")
    COL_SEASON = NAMES.index("season")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._bold = QFont()
        self._bold.setBold(True)

    @property
    def lines(self) -> list[ReviewLine]:
        """The lines shown."""
        return self._rows

    def set_lines(self, lines: Sequence[ReviewLine]) -> None:
        """Show these lines."""
        self.set_rows(lines)

    def line(self, row: int) -> ReviewLine:
        """The line of a row."""
        return self._rows[row]  # type: ignore[no-any-return]

    def extra_data(self, row: ReviewLine, column: int, role: int) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == self.COL_CHANGE
            and row.change_pct is not None
        ):
            return QBrush(UP_COLOUR if row.change_pct > 0 else DOWN_COLOUR)
        if role == Qt.ItemDataRole.FontRole and column == self.COL_SUGGESTED:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_SEASON and row.season:
            return row.season
        return None
