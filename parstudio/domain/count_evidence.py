"""The count a proposal line rests on: how it reads, and whether the stock has moved past it.

A count (or a two-bin empty-bin signal) describes the shelf at the moment it was taken. Once
something arrives, is ordered or is sent away for that item at that location, the count no
longer says what is there, and ordering from it orders again what is already coming. So a
count older than the line's latest receipt, order or transfer is *stale*: the line orders
nothing and asks for a new count.

Decision (docs/proposals.md): a count is stale only when an event is strictly later than it.
A receipt recorded at the same moment as the count, or before it within the same minute, leaves
the count standing (count time ≥ event time); a receipt even a second after it makes it stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from parstudio.domain.enums import CountType
from parstudio.domain.quantities import format_quantity

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True, kw_only=True)
class LineActivity:
    """The latest moments stock moved for one item at one location (None: never)."""

    received_at: datetime | None = None
    """The latest receipt at the location (a delivery or a storeroom transfer arriving)."""
    ordered_at: datetime | None = None
    """The latest approved order line for the location: purchase or transfer in, not cancelled."""
    transferred_at: datetime | None = None
    """The latest transfer out of the location (a storeroom sending the item to a room)."""


@dataclass(frozen=True, slots=True)
class StaleCount:
    """Why a count no longer describes the shelf: the events after it, oldest first."""

    counted_at: datetime
    events: tuple[tuple[str, datetime], ...]

    @property
    def reason(self) -> str:
        """For Needs attention, e.g. "Needs a new count: counted 4 Dec, received 5 Dec"."""
        moved = ", ".join(f"{word} {day_text(moment)}" for word, moment in self.events)
        return f"Needs a new count: counted {day_text(self.counted_at)}, then {moved}"


def stale_count(counted_at: datetime, activity: LineActivity) -> StaleCount | None:
    """The events that make a count stale (strictly later than it), or None if it stands."""
    events = [
        (word, moment)
        for word, moment in (
            ("received", activity.received_at),
            ("ordered", activity.ordered_at),
            ("transferred out", activity.transferred_at),
        )
        if moment is not None and moment > counted_at
    ]
    if not events:
        return None
    return StaleCount(counted_at, tuple(sorted(events, key=lambda event: event[1])))


def latest(*moments: datetime | None) -> datetime | None:
    """The latest of some moments, ignoring the missing ones."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def day_text(moment: date) -> str:
    """A day as the office writes it on a proposal: "4 Dec"."""
    return f"{moment.day} {MONTHS[moment.month - 1]}"


def count_basis(
    count_type: CountType,
    quantity: Decimal | None,
    counted_at: datetime,
    counted_by: str | None,
) -> str:
    """The count a line rests on, first in its explanation: "counted 14 on 4 Dec by anna"."""
    by = f" by {counted_by}" if counted_by else ""
    when = f"on {day_text(counted_at)}"
    if count_type is CountType.ORDER_PAR:
        return f"bin empty {when}{by}"
    if count_type is CountType.ORDER_QTY:
        asked = f" {format_quantity(quantity)}" if quantity is not None else ""
        return f"requested{asked} {when}{by}"
    counted = format_quantity(quantity) if quantity is not None else "nothing"
    return f"counted {counted} {when}{by}"
