"""Usage of one item at one location, derived from its counts and receipts, with the working."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import pairwise

from parstudio.domain.par_levels import usage_between
from parstudio.domain.replenishment import format_quantity as fq

ZERO = Decimal(0)
SECONDS_PER_DAY = Decimal(86_400)
SHOWN = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class CountPoint:
    """A finished count of the item at the location."""

    at: datetime
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class ReceiptPoint:
    """Units put away at the location (negative: thrown away, unused)."""

    at: datetime
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class UsageSummary:
    """Average usage over a run of counts, its day-to-day spread, and how it was worked out."""

    periods: int
    days: Decimal
    total: Decimal
    weekly: Decimal
    daily: Decimal
    daily_sd: Decimal
    flagged: int
    """Periods where more turned up than was counted and received (a missed receipt)."""
    working: tuple[str, ...]


def summarise_usage(
    counts: Sequence[CountPoint],
    receipts: Sequence[ReceiptPoint],
    *,
    unit: str = "EA",
    on_hand: bool = True,
) -> UsageSummary | None:
    """Usage between consecutive counts (previous + received − this), or None under two counts.

    Lines not counted on hand (ORDER PAR, ORDER QTY) record what was asked for, not what is on
    the shelf; what was received between two counts is what was used, so ``on_hand=False``
    takes the receipts as the usage.

    The spread is the standard deviation of daily usage, estimated from periods of unequal
    length: usage over d days varies d times as much as one day's, so each period contributes
    (usage − mean daily × d)² ÷ d.
    """
    ordered = sorted(counts, key=lambda c: c.at)
    if len(ordered) < 2:
        return None
    arrivals = sorted(receipts, key=lambda r: r.at)
    periods: list[tuple[Decimal, Decimal]] = []
    flagged = 0
    next_receipt = 0
    while next_receipt < len(arrivals) and arrivals[next_receipt].at <= ordered[0].at:
        next_receipt += 1
    for before, after in pairwise(ordered):
        received = wasted = ZERO
        while next_receipt < len(arrivals) and arrivals[next_receipt].at <= after.at:
            quantity = arrivals[next_receipt].quantity
            if quantity < 0:
                wasted -= quantity
            else:
                received += quantity
            next_receipt += 1
        # What was thrown away left the shelf unused: it comes off, down to nothing.
        if not on_hand:
            used = max(received - wasted, ZERO)
        else:
            if before.quantity + received - wasted < after.quantity:
                flagged += 1
            used = max(usage_between(before.quantity, received, after.quantity) - wasted, ZERO)
        days = Decimal((after.at - before.at).total_seconds()) / SECONDS_PER_DAY
        if days > 0:
            periods.append((used, days))
    if not periods:
        return None
    total = sum((used for used, _ in periods), ZERO)
    days = sum((d for _, d in periods), ZERO)
    daily = total / days
    weekly = daily * 7
    spread = ZERO
    if len(periods) > 1:
        squares = sum(((used - daily * d) ** 2 / d for used, d in periods), ZERO)
        spread = (squares / (len(periods) - 1)).sqrt()
    first, last = ordered[0].at.date(), ordered[-1].at.date()
    working = [
        f"{len(periods)} periods between {len(ordered)} counts, {first:%d %b %Y} to "
        f"{last:%d %b %Y} ({_shown(days)} days)",
        (
            f"Usage per period = previous count + received − this count; total {fq(total)} {unit}"
            if on_hand
            else f"Usage per period = units received (the line is not counted on hand); "
            f"total {fq(total)} {unit}"
        ),
        f"Daily usage = {fq(total)} ÷ {_shown(days)} days ≈ {_shown(daily)} {unit}; "
        f"weekly ≈ {_shown(weekly)} {unit}",
        f"Day-to-day spread (σ) ≈ {_shown(spread)} {unit} a day",
    ]
    if flagged:
        working.append(
            f"{flagged} period{'s' if flagged > 1 else ''} had more on the shelf than was "
            "counted and received (a receipt not recorded?): counted as no usage"
        )
    return UsageSummary(
        periods=len(periods),
        days=days,
        total=total,
        weekly=weekly,
        daily=daily,
        daily_sd=spread,
        flagged=flagged,
        working=tuple(working),
    )


def _shown(value: Decimal) -> str:
    return fq(value.quantize(SHOWN))


@dataclass(frozen=True, slots=True)
class CalculatorBasis:
    """What the PAR calculator starts from for one setting: its usage and its delivery rhythm."""

    weeks: int
    usage: UsageSummary | None
    deliveries_per_week: int
    lead_time_days: int
    shelf_life_days: int | None
    storage_capacity: Decimal | None
    unit: str
    current_par: Decimal | None
    typed_weekly_usage: Decimal | None
    """The setting's own Weekly Usage, for items whose history is not in the database."""

    @property
    def days_between_deliveries(self) -> Decimal:
        """Days from one delivery to the next, on average."""
        return Decimal(7) / self.deliveries_per_week
