"""The table model of a count sheet: one row per PAR setting of the location, in bin order."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from parstudio.domain.counting import CountSheetLine

__all__ = ["CountSheetModel", "number_text"]

Index = QModelIndex | QPersistentModelIndex


def number_text(value: Decimal | None) -> str:
    """A quantity as a clerk writes it: 12, 2.5; blank for none."""
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral_value() else str(value)


class CountSheetModel(QAbstractTableModel):
    """The lines of a count sheet, one row per PAR setting in bin order."""

    COL_BIN, COL_ITEM, COL_DESCRIPTION, COL_TYPE, COL_EXPECTED, COL_COUNTED, COL_LOT = range(7)
    HEADERS = ("Bin", "Item", "Description", "Count type", "Expected", "Counted", "Lot / expiry")
    LINE_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[CountSheetLine] = []
        self._rows: dict[int, int] = {}
        # Made once: data() is asked for them for every visible cell on every repaint.
        self._bold = QFont()
        self._bold.setBold(True)
        self._counted_brush = QBrush(QColor("#e6f4ea"))
        self._flag_brush = QBrush(QColor("#b00020"))

    def set_lines(self, lines: Sequence[CountSheetLine]) -> None:
        """Show a whole sheet (a reset: used when the count is opened)."""
        self.beginResetModel()
        self._lines = list(lines)
        self._rows = {line.setting_id: row for row, line in enumerate(self._lines)}
        self.endResetModel()

    def update_line(self, line: CountSheetLine) -> int | None:
        """Replace one line and repaint only its row; returns the row, or None if not shown."""
        row = self._rows.get(line.setting_id)
        if row is None:
            return None
        self._lines[row] = line
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
        return row

    def row_of(self, setting_id: int) -> int | None:
        """The row showing a PAR setting."""
        return self._rows.get(setting_id)

    def line_at(self, row: int) -> CountSheetLine | None:
        """The line in a row."""
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def lines(self) -> list[CountSheetLine]:
        """Every line, in row order."""
        return list(self._lines)

    def tally(self) -> tuple[int, int]:
        """(lines counted, lines to count)."""
        to_count = [line for line in self._lines if line.to_count]
        return sum(1 for line in to_count if line.is_counted), len(to_count)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == self.LINE_ROLE:
            return line
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.COL_DESCRIPTION, self.COL_LOT):
            return self._display(line, column) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.COL_EXPECTED,
            self.COL_COUNTED,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and line.flags and column == self.COL_LOT:
            return self._flag_brush
        if role == Qt.ItemDataRole.BackgroundRole and line.is_counted:
            return self._counted_brush
        if role == Qt.ItemDataRole.FontRole and column == self.COL_COUNTED:
            return self._bold
        return None

    def _display(self, line: CountSheetLine, column: int) -> str:
        match column:
            case self.COL_BIN:
                return line.bin or ""
            case self.COL_ITEM:
                return line.item_code
            case self.COL_DESCRIPTION:
                return line.description
            case self.COL_TYPE:
                return line.count_type
            case self.COL_EXPECTED:
                return number_text(line.expected)
            case self.COL_COUNTED:
                if line.count_type == "ORDER PAR" and line.is_counted:
                    return "empty bin"
                return number_text(line.counted)
            case self.COL_LOT:
                # Problems first, so a narrow column still shows them.
                parts = [f"⚠ {flag}" for flag in line.flags]
                parts.append(line.lot or "")
                if line.expiry:
                    parts.append(f"exp {line.expiry:%d %b %y}")
                return " · ".join(p for p in parts if p)
        return ""
