"""The table model of a count sheet: one row per PAR setting of the location, in bin order."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from parstudio.domain.counting import CountSheetLine
from parstudio.domain.enums import CountType

__all__ = ["CountSheetModel", "number_text"]

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
FONT = Qt.ItemDataRole.FontRole.value
RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
NUMBER_COLUMNS = frozenset((4, 5))


def number_text(value: Decimal | None) -> str:
    """A quantity as a clerk writes it: 12, 2.5; blank for none."""
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral_value() else str(value)


class CountSheetModel(QAbstractTableModel):
    """The lines of a count sheet, one row per PAR setting in bin order."""

    COL_BIN, COL_ITEM, COL_DESCRIPTION, COL_TYPE, COL_EXPECTED, COL_COUNTED, COL_LOT = range(7)
    HEADERS = ("Bin", "Item", "Description", "Type", "Expected", "Counted", "Lot / expiry")
    LINE_ROLE = Qt.ItemDataRole.UserRole.value + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[CountSheetLine] = []
        self._rows: dict[int, int] = {}
        self._texts: dict[int, tuple[str, ...]] = {}
        self._counted = 0
        self._to_count = 0
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
        self._texts = {}
        to_count = [line for line in self._lines if line.to_count]
        self._to_count = len(to_count)
        self._counted = sum(1 for line in to_count if line.is_counted)
        self.endResetModel()

    def update_line(self, line: CountSheetLine) -> int | None:
        """Replace one line and repaint only its row; returns the row, or None if not shown."""
        row = self._rows.get(line.setting_id)
        if row is None:
            return None
        old = self._lines[row]
        self._to_count += line.to_count - old.to_count
        self._counted += (line.to_count and line.is_counted) - (old.to_count and old.is_counted)
        self._lines[row] = line
        self._texts.pop(row, None)
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
        """(lines counted, lines to count), kept up to date line by line."""
        return self._counted, self._to_count

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

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Called for every visible cell and role on each repaint: plain ints, cached texts.
        row = index.row()
        if not 0 <= row < len(self._lines) or not index.isValid():
            return None
        column = index.column()
        if role == DISPLAY:
            return self._row_texts(row)[column]
        line = self._lines[row]
        if role == BACKGROUND:
            return self._counted_brush if line.counted is not None else None
        if role == ALIGNMENT:
            return RIGHT if column in NUMBER_COLUMNS else None
        if role == FONT:
            return self._bold if column == self.COL_COUNTED else None
        if role == FOREGROUND:
            return self._flag_brush if line.flags and column == self.COL_LOT else None
        if role == self.LINE_ROLE:
            return line
        if role == TOOLTIP and column in (self.COL_DESCRIPTION, self.COL_LOT):
            return self._row_texts(row)[column] or None
        return None

    def _row_texts(self, row: int) -> tuple[str, ...]:
        texts = self._texts.get(row)
        if texts is None:
            texts = self._texts[row] = row_texts(self._lines[row])
        return texts


def row_texts(line: CountSheetLine) -> tuple[str, ...]:
    """What each column of a line shows."""
    counted = number_text(line.counted)
    if line.count_type == CountType.ORDER_PAR and line.is_counted:
        counted = "empty bin"
    # Problems first, so a narrow column still shows them.
    parts = [f"⚠ {flag}" for flag in line.flags]
    parts.append(line.lot or "")
    if line.expiry:
        parts.append(f"exp {line.expiry:%d %b %y}")
    return (
        line.bin or "",
        line.item_code,
        line.description,
        line.count_type,
        number_text(line.expected),
        counted,
        " · ".join(p for p in parts if p),
    )
