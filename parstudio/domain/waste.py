"""Waste: stock taken off the shelf unused, why, and what it cost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from parstudio.domain.errors import ValidationError

CENT = Decimal("0.01")
# A lot this close to its expiry (or past it) is taken off the shelf as expired by default.
EXPIRING_DAYS = 30


class WasteReason(StrEnum):
    """Why stock was thrown away."""

    EXPIRED = "EXPIRED"
    DAMAGED = "DAMAGED"
    RECALLED = "RECALLED"
    OTHER = "OTHER"

    @property
    def label(self) -> str:
        """The reason in the supply office's words."""
        return _LABELS[self]


_LABELS = {
    WasteReason.EXPIRED: "Expired",
    WasteReason.DAMAGED: "Damaged or opened",
    WasteReason.RECALLED: "Recalled",
    WasteReason.OTHER: "Other",
}


def parse_reason(text: str) -> WasteReason:
    """The reason named by a value or a label, case-insensitively."""
    key = text.strip().upper()
    for reason in WasteReason:
        if key in (reason.value, reason.label.upper()):
            return reason
    allowed = ", ".join(r.label for r in WasteReason)
    raise ValidationError(
        f"“{text.strip()}” is not a reason for waste; use {allowed}.", field="reason"
    )


def default_reason(expiry: date | None, today: date) -> WasteReason:
    """Expired for a lot past its expiry or within EXPIRING_DAYS of it; else Damaged."""
    if expiry is not None and (expiry - today).days <= EXPIRING_DAYS:
        return WasteReason.EXPIRED
    return WasteReason.DAMAGED


def check_quantity(quantity: Decimal) -> Decimal:
    """A wasted quantity must be more than nothing."""
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError("The quantity thrown away must be more than 0.", field="quantity")
    return quantity


@dataclass(frozen=True, slots=True)
class WasteRecord:
    """Stock of one item (one lot, if known) thrown away at a location."""

    id: int
    location_id: int
    location_code: str
    item_id: int
    item_code: str
    description: str
    unit: str
    quantity: Decimal
    reason: WasteReason
    lot: str | None
    expiry: date | None
    unit_cost: Decimal | None
    note: str | None
    recorded_at: datetime
    recorded_by: str | None

    @property
    def cost(self) -> Decimal | None:
        """Quantity × unit cost at the time, to the cent; None without a price."""
        return waste_cost(self.quantity, self.unit_cost)


def waste_cost(quantity: Decimal, unit_cost: Decimal | None) -> Decimal | None:
    """Quantity × unit cost, to the cent; None without a price."""
    if unit_cost is None:
        return None
    return (quantity * unit_cost).quantize(CENT, rounding=ROUND_HALF_UP)
