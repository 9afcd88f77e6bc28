"""The review table: PAR settings whose suggestion is out of line, with the evidence."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView

from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.review import ReviewLine
from parstudio.ui.kit.table_models import RecordRole, SortRole

AnyIndex = QModelIndex | QPersistentModelIndex
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


class ReviewModel(QAbstractTableModel):
    """Review lines as rows; sortable through SortRole."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[ReviewLine] = []

    def set_lines(self, lines: Sequence[ReviewLine]) -> None:
        """Show these lines."""
        self.beginResetModel()
        self.lines = list(lines)
        self.endResetModel()

    def line(self, row: int) -> ReviewLine:
        """The line of a row."""
        return self.lines[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section][2] or None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        name = COLUMNS[index.column()][0]
        value = getattr(line, name)
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(name, value)
        if role == RecordRole:
            return line
        if role == SortRole:
            if value is None:
                return float("-inf") if name in NUMERIC else ""
            return float(value) if name in NUMERIC else str(value).lower()
        if role == Qt.ItemDataRole.TextAlignmentRole and name in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and name == "change_pct" and value is not None:
            return QBrush(UP_COLOUR if value > 0 else DOWN_COLOUR)
        if role == Qt.ItemDataRole.FontRole and name == "suggested":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and name == "season" and value:
            return value
        return None
