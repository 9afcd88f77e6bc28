"""One item's stock at every location that carries it: the latest counts beside PAR."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from parstudio.domain.enums import CountType, Method
from parstudio.domain.rebalance import HeldLot

ZERO = Decimal(0)


def count_note(count_type: CountType | str | None) -> str:
    """What the latest count says of the shelf, when it is not an on-hand count."""
    if count_type is None:
        return "not counted"
    kind = CountType(count_type)
    if kind is CountType.ON_HAND:
        return ""
    if kind is CountType.ORDER_QTY:
        return "counted as order quantity"
    if kind is CountType.ORDER_PAR:
        return "counted as an empty bin"
    return "not counted"


@dataclass(frozen=True, slots=True)
class LocationStock:
    """The item at one location: on hand from the latest finished count, beside its PAR."""

    location_code: str
    location_name: str
    storeroom: bool
    method: Method
    level: Decimal | None
    """The PAR level, or the Max of a MIN/MAX line."""
    on_hand: Decimal | None
    """None when the latest finished count is not an ON HAND count (see ``note``)."""
    counted_at: datetime | None
    note: str
    """"" for an on-hand count; else "not counted", "counted as order quantity" ..."""
    open_supply: Decimal
    weekly_usage: Decimal | None
    expiring: tuple[HeldLot, ...] = ()
    counting: bool = False
    stale: bool = False

    @property
    def surplus(self) -> Decimal | None:
        """Units on hand above the level (0 when not above; None when unknown)."""
        if self.on_hand is None or self.level is None:
            return None
        return max(self.on_hand - self.level, ZERO)

    @property
    def shortage(self) -> Decimal | None:
        """Units below the level (0 when not below; None when unknown)."""
        if self.on_hand is None or self.level is None:
            return None
        return max(self.level - self.on_hand, ZERO)

    @property
    def status(self) -> str:
        """What to know before trusting the row, in words ("" when nothing)."""
        parts = [self.note] if self.note else []
        if self.counting:
            parts.append("being counted now")
        if self.stale:
            parts.append("stock moved since the count")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class StockAcross:
    """One item at every location carrying it."""

    item_id: int
    item_code: str
    description: str
    unit: str
    rows: tuple[LocationStock, ...]

    @property
    def on_hand(self) -> Decimal:
        """Units on hand where an on-hand count says so."""
        return sum((row.on_hand or ZERO for row in self.rows), ZERO)
