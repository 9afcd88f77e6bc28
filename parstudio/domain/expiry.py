"""Lots on hand: what expires soon, which lot to use first (FEFO), and where a recalled lot is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from parstudio.domain.errors import ValidationError

HORIZONS = (30, 60, 90)


@dataclass(frozen=True, slots=True)
class LotOnHand:
    """A quantity of one lot of an item at a location, as its latest count recorded it."""

    location_id: int
    location_code: str
    location_name: str
    item_id: int
    item_code: str
    description: str
    lot: str | None
    expiry: date | None
    quantity: Decimal
    counted_on: date


@dataclass(frozen=True, slots=True)
class ExpiringLot:
    """A lot expiring within the horizon, with its days left and the FEFO hint for the item."""

    lot: LotOnHand
    days_left: int
    hint: str

    @property
    def expired(self) -> bool:
        """True when the expiry date has passed."""
        return self.days_left < 0


@dataclass(frozen=True, slots=True)
class RecallHolding:
    """A location that holds (or was last sent) a recalled lot."""

    location_code: str
    location_name: str
    quantity: Decimal
    seen_on: date
    source: str  # "count", "scan" or "receipt"


@dataclass(frozen=True, slots=True)
class RecallList:
    """Where a lot of an item is: the holdings, newest evidence per location."""

    item_code: str
    description: str
    lot: str
    reason: str | None
    on_recall_list: bool
    holdings: tuple[RecallHolding, ...]
    made_on: date

    @property
    def total(self) -> Decimal:
        """Units of the lot across all the locations."""
        return sum((h.quantity for h in self.holdings), Decimal(0))

    @property
    def summary(self) -> str:
        """ "2 locations, 16 units in all", for headings."""
        places = len(self.holdings)
        units = f"{self.total.normalize():f}"
        return f"{places} location{'' if places == 1 else 's'}, {units} units in all"


def check_horizon(days: int) -> int:
    """The expiring-soon horizon in days (30, 60 or 90), or a ValidationError."""
    if days not in HORIZONS:
        raise ValidationError(
            f"Expiring within {days} days is not offered: choose 30, 60 or 90 days.",
            field="days",
        )
    return days


def fefo_hints(lots: Sequence[LotOnHand]) -> dict[tuple[int, int, str | None], str]:
    """The first-expiry-first-out hint of each lot, keyed by (location, item, lot).

    Lots of one item at one location are ordered by expiry (a lot without one goes last);
    the first is used first, every other one after the lot before it.
    """
    by_place: dict[tuple[int, int], list[LotOnHand]] = {}
    for lot in lots:
        by_place.setdefault((lot.location_id, lot.item_id), []).append(lot)
    hints: dict[tuple[int, int, str | None], str] = {}
    for (location_id, item_id), group in by_place.items():
        ordered = sorted(group, key=lambda x: (x.expiry is None, x.expiry or date.max, x.lot or ""))
        for position, lot in enumerate(ordered):
            if len(ordered) == 1:
                hint = "Only lot on hand"
            elif position == 0:
                hint = f"Use lot {lot.lot or '(no lot)'} first"
            else:
                hint = f"Use after lot {ordered[position - 1].lot or '(no lot)'}"
            hints[(location_id, item_id, lot.lot)] = hint
    return hints


def expiring_within(lots: Iterable[LotOnHand], *, today: date, days: int) -> list[ExpiringLot]:
    """Lots with stock whose expiry is at most `days` away (expired ones included), soonest first.

    The FEFO hint is worked out over all the item's lots at the location, so a lot expiring
    later than the horizon still appears in the hint of the lot to use before it.
    """
    check_horizon(days)
    held = [lot for lot in lots if lot.quantity > 0]
    hints = fefo_hints(held)
    soon = [
        ExpiringLot(lot, (lot.expiry - today).days, hints[(lot.location_id, lot.item_id, lot.lot)])
        for lot in held
        if lot.expiry is not None and (lot.expiry - today).days <= days
    ]
    soon.sort(key=lambda e: (e.days_left, e.lot.location_code, e.lot.item_code, e.lot.lot or ""))
    return soon


def merge_lots(lots: Iterable[LotOnHand]) -> list[LotOnHand]:
    """One row per (location, item, lot): quantities of repeated scans of a lot added up."""
    merged: dict[tuple[int, int, str | None], LotOnHand] = {}
    for lot in lots:
        key = (lot.location_id, lot.item_id, lot.lot)
        seen = merged.get(key)
        if seen is None:
            merged[key] = lot
        else:
            expiry = min((d for d in (seen.expiry, lot.expiry) if d), default=None)
            merged[key] = replace(seen, quantity=seen.quantity + lot.quantity, expiry=expiry)
    return list(merged.values())
