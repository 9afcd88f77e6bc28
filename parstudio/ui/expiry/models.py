"""Table models of the Expiry page: lots expiring soon, and the locations holding a recalled lot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from parstudio.domain.expiry import ExpiringLot, RecallHolding
from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.waste import WasteRecord
from parstudio.ui.kit.formatting import money
from parstudio.ui.kit.table_models import Column, ColumnTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
EXPIRED_COLOUR = QColor("#b00020")
SOON_COLOUR = QColor("#a35a00")

# (header, tooltip, value of a row, right-aligned)
RowColumn = tuple[str, str, Callable[[Any], Any], bool]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fq(value)
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    return str(value)


def _sort(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, (Decimal, int)):
        return float(value)
    if isinstance(value, date):
        return value.toordinal()
    return "" if value is None else str(value).lower()


class RowsModel(ColumnTableModel, Generic[Row]):
    """Rows whose columns are (header, tooltip, value of a row, right-aligned) tuples in
    ``COLUMNS``: the cell shows the value tidily (``display``) and sorts by it (``sort_value``)."""

    COLUMNS: ClassVar[tuple[RowColumn, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.columns = tuple(
            Column(header, value_of, value_of, numeric=right, tip=tip)
            for header, tip, value_of, right in cls.COLUMNS
        )

    def cell_text(self, row: Row, column: int) -> str:
        return self.display(row, column, self.COLUMNS[column][2](row))

    def cell_key(self, row: Row, column: int) -> Any:
        return self.sort_value(column, self.COLUMNS[column][2](row))

    def extra_data(self, row: Row, column: int, role: int) -> Any:
        return self.decorate(row, column, role)

    def sort_value(self, column: int, value: Any) -> Any:
        """What a cell sorts by: numbers as numbers, text without regard to case."""
        return _sort(value)

    def display(self, row: Row, column: int, value: Any) -> str:
        """The text of a cell: the value, tidily."""
        return _text(value)

    def decorate(self, row: Row, column: int, role: int) -> Any:
        """Colours and fonts of a cell; none by default."""
        return None


def _days_left(lot: ExpiringLot) -> str:
    if lot.expired:
        return f"expired {-lot.days_left} d ago" if lot.days_left < -1 else "expired"
    return "today" if lot.days_left == 0 else f"{lot.days_left} d"


class ExpiringModel(RowsModel[ExpiringLot]):
    """Lots expiring soon, soonest (and expired) first."""

    COLUMNS = (
        ("Location", "", lambda e: e.lot.location_code, False),
        ("Item", "", lambda e: e.lot.item_code, False),
        ("Description", "", lambda e: e.lot.description, False),
        ("Lot", "", lambda e: e.lot.lot, False),
        ("Expiry", "", lambda e: e.lot.expiry, False),
        ("Days left", "Days from today to the expiry date", lambda e: e.days_left, True),
        ("Quantity", "On hand by the latest count", lambda e: e.lot.quantity, True),
        ("Counted", "The day of the latest count", lambda e: e.lot.counted_on, False),
        (
            "Use first",
            "First expiry, first out: which lot of the item to use first",
            lambda e: e.hint,
            False,
        ),
    )
    DAYS_COLUMN = 5
    HINT_COLUMN = 8

    def display(self, row: ExpiringLot, column: int, value: Any) -> str:
        return _days_left(row) if column == self.DAYS_COLUMN else _text(value)

    def decorate(self, row: ExpiringLot, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DAYS_COLUMN:
            return QBrush(EXPIRED_COLOUR if row.expired else SOON_COLOUR)
        if role == Qt.ItemDataRole.FontRole and (
            row.expired or (column == self.HINT_COLUMN and row.hint.startswith("Use lot"))
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None


class HoldingsModel(RowsModel[RecallHolding]):
    """The locations that hold a lot."""

    COLUMNS = (
        ("Location", "", lambda h: h.location_code, False),
        ("Name", "", lambda h: h.location_name, False),
        ("Units", "", lambda h: h.quantity, True),
        ("Seen", "The day of the count or receipt", lambda h: h.seen_on, False),
        (
            "From",
            "",
            lambda h: "latest count" if h.source == "count" else "receipt since count",
            False,
        ),
    )


class WasteModel(RowsModel[WasteRecord]):
    """Waste recorded, newest first."""

    COLUMNS = (
        ("Recorded", "When it was thrown away (local time)", lambda w: w.recorded_at, False),
        ("Location", "", lambda w: w.location_code, False),
        ("Item", "", lambda w: w.item_code, False),
        ("Description", "", lambda w: w.description, False),
        ("Lot", "", lambda w: w.lot, False),
        ("Expiry", "", lambda w: w.expiry, False),
        ("Quantity", "Units thrown away", lambda w: w.quantity, True),
        ("Reason", "", lambda w: w.reason.label, False),
        ("Cost", "Quantity × the unit cost on the day", lambda w: w.cost, True),
        ("By", "Who recorded it", lambda w: w.recorded_by, False),
        ("Note", "", lambda w: w.note, False),
    )
    EXPIRY_COLUMN = 5
    QUANTITY_COLUMN = 6
    COST_COLUMN = 8
    NOTE_COLUMN = 10

    def display(self, row: WasteRecord, column: int, value: Any) -> str:
        if isinstance(value, datetime):
            return f"{value.astimezone():%d %b %Y %H:%M}"
        if column == self.QUANTITY_COLUMN:
            return f"{fq(row.quantity)} {row.unit}"
        if column == self.COST_COLUMN:
            return money(row.cost) if row.cost is not None else "no price"
        return _text(value)

    def sort_value(self, column: int, value: Any) -> Any:
        if value is None and column in (self.EXPIRY_COLUMN, self.COST_COLUMN):
            return -1.0  # blanks first, and of the same type as the others
        return _sort(value)

    def decorate(self, row: WasteRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NOTE_COLUMN:
            return row.note
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == self.COST_COLUMN
            and row.cost is None
        ):
            return QBrush(QColor("#777"))
        return None
