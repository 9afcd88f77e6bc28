"""The table model of a count sheet: one row per PAR setting of the location, in bin order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from parstudio.domain.counting import CountSheetLine
from parstudio.domain.enums import CountType
from parstudio.ui.kit.table_models import Column, ColumnTableModel, RecordRole

__all__ = ["CountSheetModel", "number_text"]

TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
FONT = Qt.ItemDataRole.FontRole.value
NUMBER_COLUMNS = frozenset((4, 5))


def number_text(value: Decimal | None) -> str:
    """A quantity as a clerk writes it: 12, 2.5; blank for none."""
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral_value() else str(value)


def _text_at(column: int) -> Callable[[CountSheetLine], str]:
    return lambda line: row_texts(line)[column]


class CountSheetModel(ColumnTableModel):
    """The lines of a count sheet, one row per PAR setting in bin order."""

    COL_BIN, COL_ITEM, COL_DESCRIPTION, COL_TYPE, COL_EXPECTED, COL_COUNTED, COL_LOT = range(7)
    HEADERS = ("Bin", "Item", "Description", "Type", "Expected", "Counted", "Lot / expiry")
    LINE_ROLE = RecordRole
    columns = tuple(
        Column(
            header,
            _text_at(at),
            _text_at(at),
            numeric=at in NUMBER_COLUMNS,
        )
        for at, header in enumerate(HEADERS)
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._row_of: dict[int, int] = {}
        # Each line's texts by setting, made when first painted; a scan drops only its line's.
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
        self._row_of = {line.setting_id: row for row, line in enumerate(lines)}
        self._texts = {}
        to_count = [line for line in lines if line.to_count]
        self._to_count = len(to_count)
        self._counted = sum(1 for line in to_count if line.is_counted)
        self.set_rows(lines)

    def update_line(self, line: CountSheetLine) -> int | None:
        """Replace one line and repaint only its row; returns the row, or None if not shown."""
        row = self._row_of.get(line.setting_id)
        if row is None:
            return None
        old = self._rows[row]
        self._to_count += line.to_count - old.to_count
        self._counted += (line.to_count and line.is_counted) - (old.to_count and old.is_counted)
        self._texts.pop(line.setting_id, None)
        self.replace_row(row, line)
        return row

    def row_of(self, setting_id: int) -> int | None:
        """The row showing a PAR setting."""
        return self._row_of.get(setting_id)

    def line_at(self, row: int) -> CountSheetLine | None:
        """The line in a row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def lines(self) -> list[CountSheetLine]:
        """Every line, in row order."""
        return self.rows()

    def tally(self) -> tuple[int, int]:
        """(lines counted, lines to count), kept up to date line by line."""
        return self._counted, self._to_count

    def cell_text(self, row: CountSheetLine, column: int) -> str:
        texts = self._texts.get(row.setting_id)
        return (texts or self._line_texts(row))[column]

    def extra_data(self, row: CountSheetLine, column: int, role: int) -> Any:
        if role == BACKGROUND:
            return self._counted_brush if row.counted is not None else None
        if role == FONT:
            return self._bold if column == self.COL_COUNTED else None
        if role == FOREGROUND:
            return self._flag_brush if row.flags and column == self.COL_LOT else None
        if role == TOOLTIP and column in (self.COL_DESCRIPTION, self.COL_LOT):
            return self._line_texts(row)[column] or None
        return None

    def _line_texts(self, line: CountSheetLine) -> tuple[str, ...]:
        texts = self._texts.get(line.setting_id)
        if texts is None:
            texts = self._texts[line.setting_id] = row_texts(line)
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
