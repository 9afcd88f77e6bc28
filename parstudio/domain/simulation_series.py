"""What a what-if replay runs on: a line's recorded daily usage, and its location's calendar.

Usage is derived as the review derives it (domain/usage.py): between two on-hand counts it is
previous count + received − this count (waste taken off), spread evenly over the days of the
interval; a line not counted on hand uses what it received; a storeroom line uses what it
issued. Here it is kept per day, in hundredths of a unit (whole numbers, so a year of days is
replayed in integer arithmetic; the total of an interval is kept exactly).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import islice, repeat
from operator import add, itemgetter, sub

from parstudio.domain.enums import weekday_numbers
from parstudio.domain.usage import StockEvent, usage_intervals

HUNDRED = Decimal(100)
MIN_DAYS = 28
"""Fewer days of recorded usage than this is too little history to replay."""


def to_hundredths(quantity: Decimal) -> int:
    """A quantity in whole hundredths of a unit (rounded half up)."""
    return int((quantity * HUNDRED).to_integral_value(rounding=ROUND_HALF_UP))


def from_hundredths(value: int | float) -> Decimal:
    """A quantity back from hundredths of a unit."""
    if isinstance(value, float):
        return (Decimal(repr(value)) / HUNDRED).quantize(Decimal("0.01"))
    return Decimal(value) / HUNDRED


@dataclass(frozen=True, slots=True)
class DailySeries:
    """A line's recorded usage, day by day, from the day of the count the replay starts from."""

    start: date
    """Day 0: the day of the first recorded on-hand (or of the first usage recorded)."""
    on_hand: Decimal | None
    """What that count found; None for a line never counted on hand (it starts at its level)."""
    usage: tuple[int, ...]
    """Usage of days 1, 2, … in hundredths of a unit."""
    source: str
    """"counts", "receipts" or "issues", as in the review."""

    @property
    def days(self) -> int:
        """Days replayed."""
        return len(self.usage)

    @property
    def end(self) -> date:
        """The last day replayed."""
        return self.start + timedelta(days=len(self.usage))

    def total(self) -> Decimal:
        """Total recorded usage."""
        return from_hundredths(sum(self.usage))


def daily_series(
    events: Sequence[StockEvent],
    *,
    first: date,
    last: date,
    issues: Sequence[StockEvent] = (),
) -> DailySeries | None:
    """A line's daily usage from ``first`` to ``last``, or None when nothing was recorded.

    ``events`` are its on-hand counts, receipts and waste (waste as a negative receipt), and
    may reach back before ``first``: the replay starts from the latest count on or before
    ``first`` (else the first one after it) and ends at the last day whose usage is known.
    """
    counts = sorted((e for e in events if e.is_count), key=lambda e: e.at)
    if issues:
        start_count = _start_count(counts, first)
        on_hand = start_count.quantity if start_count is not None else None
        start = start_count.at.date() if start_count is not None else first
        per_day = _per_day((e for e in issues if e.at.date() > start), start, last)
        return DailySeries(start, on_hand, per_day, "issues")
    if len(counts) >= 2:
        start_count = _start_count(counts, first)
        assert start_count is not None
        start = start_count.at.date()
        end = min(counts[-1].at.date(), last)
        if end <= start:
            return None
        usage = [0] * (end - start).days
        for interval in usage_intervals(e for e in events if e.at >= start_count.at):
            _spread(usage, start, interval.start.date(), interval.end.date(), interval.usage)
        return DailySeries(start, start_count.quantity, tuple(usage), "counts")
    receipts = [e for e in events if not e.is_count and first <= e.at.date() <= last]
    if not receipts:
        return None
    start = min(e.at.date() for e in receipts) - timedelta(days=1)
    return DailySeries(start, None, _per_day(receipts, start, last), "receipts")


def _start_count(counts: Sequence[StockEvent], first: date) -> StockEvent | None:
    before = [c for c in counts if c.at.date() <= first]
    if before:
        return before[-1]
    return counts[0] if counts else None


def _per_day(events: Iterable[StockEvent], start: date, last: date) -> tuple[int, ...]:
    """Quantities totalled per day after ``start`` through ``last`` (negative totals: 0)."""
    days = (last - start).days
    if days <= 0:
        return ()
    totals = [0] * days
    for event in events:
        index = (event.at.date() - start).days - 1
        if 0 <= index < days:
            totals[index] += to_hundredths(event.quantity)
    return tuple(max(value, 0) for value in totals)


def _spread(usage: list[int], start: date, begins: date, ends: date, quantity: Decimal) -> None:
    """Spread one interval's usage over its days (after ``begins``, through ``ends``)."""
    _spread_hundredths(
        usage, start.toordinal(), begins.toordinal(), ends.toordinal(), to_hundredths(quantity)
    )


def _spread_hundredths(usage: list[int], start: int, begins: int, ends: int, total: int) -> None:
    """Spread ``total`` hundredths over the days after ``begins`` through ``ends`` (ordinals),
    exactly: each day gets the difference of the rounded running totals, so the days add up."""
    span = ends - begins
    if span <= 0:
        index = ends - start - 1
        if 0 <= index < len(usage):
            usage[index] += total
        return
    offset = begins - start
    low, high = max(offset, 0), min(offset + span, len(usage))
    if low >= high:
        return
    each, left = divmod(total, span)
    if not left:  # an even spread: the same on every day
        usage[low:high] = map(add, usage[low:high], repeat(each, high - low))
        return
    running = [total * day // span for day in range(low - offset, high - offset + 1)]
    usage[low:high] = map(add, usage[low:high], map(sub, running[1:], running[:-1]))


Exact = tuple[datetime, int, bool, object]
"""A recorded event as ``daily_series_exact`` takes it: when (naive, in UTC), the quantity in
whole hundredths, whether it is a count, and the quantity as recorded (for the opening shelf)."""


def daily_series_exact(
    events: Sequence[Exact], *, first: date, last: date, on_hand: Callable[[object], Decimal]
) -> DailySeries | None:
    """``daily_series`` (without issues) for events whose quantities are whole hundredths, in
    integers: the same series, for a fraction of the work (tests/domain/test_simulation.py
    checks they agree). ``on_hand`` turns the recorded quantity of the opening count into the
    Decimal ``daily_series`` would have had."""
    # One stable sort by (time, count after receipt) gives the counts in time order too.
    ordered = sorted(events, key=_AT_COUNT)
    counts = [e for e in ordered if e[2]]
    if len(counts) >= 2:
        first_day = first.toordinal()
        before = [c for c in counts if c[0].toordinal() <= first_day]
        opening = before[-1] if before else counts[0]
        start = opening[0].toordinal()
        end = min(counts[-1][0].toordinal(), last.toordinal())
        if end <= start:
            return None
        # The intervals between counts follow one another, so their days are appended in
        # order (the running-total spread of ``_spread_hundredths``, by whole runs of days).
        usage: list[int] = []
        append, extend = usage.append, usage.extend
        previous = start
        counted = received = 0
        started = False
        for at, hundredths, is_count, _quantity in islice(
            ordered, bisect_left(ordered, opening[0], key=_at), None
        ):
            if not is_count:
                if started:
                    received += hundredths
                continue
            day = at.toordinal()
            if started:
                used = counted + received - hundredths
                if used < 0:
                    used = 0
                span = day - previous
                if span == 1:
                    append(used)
                elif span:
                    each, left = divmod(used, span)
                    extend(map(each.__add__, _steps(left, span)) if left else repeat(each, span))
                elif usage:  # a second count the same day: its usage is that day's
                    usage[-1] += used
            previous, counted, received, started = day, hundredths, 0, True
        del usage[end - start :]
        return DailySeries(date.fromordinal(start), on_hand(opening[3]), tuple(usage), "counts")
    low, high = first.toordinal(), last.toordinal()
    receipts = [e for e in events if not e[2] and low <= e[0].toordinal() <= high]
    if not receipts:
        return None
    start = min(e[0].toordinal() for e in receipts) - 1
    days = high - start
    totals = [0] * days
    for event in receipts:
        index = event[0].toordinal() - start - 1
        if 0 <= index < days:
            totals[index] += event[1]
    per_day = tuple(value if value > 0 else 0 for value in totals)
    return DailySeries(date.fromordinal(start), None, per_day, "receipts")


@lru_cache(maxsize=1024)
def _steps(left: int, span: int) -> tuple[int, ...]:
    """How ``left`` hundredths fall over ``span`` days by rounded running totals (0 or 1 a
    day): spreading each + left/span a day is each plus these."""
    return tuple(left * (day + 1) // span - left * day // span for day in range(span))


_at = itemgetter(0)
_AT_COUNT = itemgetter(0, 2)


def delivery_weekdays(weekdays: str, deliveries_per_week: int) -> frozenset[int]:
    """The weekdays (0 = Monday) a location is delivered and counted on.

    Its schedule's weekdays when set; otherwise its deliveries a week spread evenly from Monday
    (1: Monday; 2: Monday and Thursday; 3: Monday, Wednesday, Friday; 7: every day).
    """
    days = set(weekday_numbers(weekdays))
    if days:
        return frozenset(days)
    per_week = min(max(int(deliveries_per_week or 1), 1), 7)
    return frozenset(round(k * 7 / per_week) % 7 for k in range(per_week))


@lru_cache(maxsize=4096)
def calendar(
    start: date, days: int, weekdays: frozenset[int], lead_days: int
) -> tuple[tuple[bool, ...], tuple[int, ...]]:
    """For days 0…days of a replay: which are count (and delivery) days, and for each count
    day the day its order arrives, the first delivery day at least the lead time later (at
    least the next day: the count is taken at the end of the day). Cached: a location's lines
    share it."""
    span = days + 1
    wanted = max(lead_days, 1)
    first_weekday = start.weekday()
    is_delivery = tuple((first_weekday + day) % 7 in weekdays for day in range(span + 7 + wanted))
    arrival = [-1] * span
    next_delivery = -1
    for day in range(len(is_delivery) - 1, -1, -1):
        if is_delivery[day]:
            next_delivery = day
        target = day - wanted
        if 0 <= target < span:
            arrival[target] = next_delivery
    return is_delivery[:span], tuple(arrival)
