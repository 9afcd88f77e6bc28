"""Usage history: what was used between counts, spread over weeks and months.

DOMAIN.md defines usage at a PAR location from its counts: usage = previous count + received −
this count. The usage of an interval between two counts is spread evenly over the days of the
interval, so a location counted every two weeks still gets a figure for each week; a week (or
month) is *complete* only when every one of its days lies between two counts.

Lines that are not counted on hand (two-bin ``ORDER PAR``, requisition ``ORDER QTY``) have no
on-hand figures, so their usage is what was received: in a steady state a two-bin line uses what
it is refilled with.

A storeroom's own lines are different again: what leaves its shelf is what it *issues*, the
transfers it sends to PAR locations. Its counts also see the large supplier deliveries that
come in between, so a line that issued anything in the history uses its issues instead.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

ZERO = Decimal(0)
CENT = Decimal("0.01")
DAYS_PER_WEEK = 7


@dataclass(frozen=True, slots=True)
class StockEvent:
    """A count (what was on the shelf) or a receipt (what was put on it) at one moment.

    Stock thrown away is a receipt of a negative quantity: it left the shelf, unused.
    An issue (what a storeroom sent out) is an event too, with ``is_count`` False, passed
    to :func:`build_history` apart from the counts and receipts.
    """

    at: datetime
    quantity: Decimal
    is_count: bool


@dataclass(frozen=True, slots=True)
class UsageInterval:
    """The usage between two consecutive counts, with the figures it came from."""

    start: datetime
    end: datetime
    previous: Decimal
    received: Decimal
    counted: Decimal
    usage: Decimal
    unexplained_gain: bool
    """More was counted than was there and received: almost always an unrecorded receipt."""


@dataclass(frozen=True, slots=True)
class PeriodUsage:
    """Usage over one week (starting Monday) or one month (starting on the 1st)."""

    start: date
    end: date
    """The last day of the period (inclusive)."""
    usage: Decimal
    complete: bool
    """Every day of the period lies between two counts (or, by receipts, after the first)."""


def week_start(day: date) -> date:
    """The Monday of the week that holds ``day``."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    """The first day of the month that holds ``day``."""
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after the month that holds ``day``."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@lru_cache(maxsize=64)
def week_starts(first: date, last: date) -> tuple[date, ...]:
    """The Mondays of every week from the week of ``first`` to the week of ``last``."""
    start, end = week_start(first), week_start(last)
    return tuple(start + timedelta(days=7 * k) for k in range((end - start).days // 7 + 1))


@lru_cache(maxsize=64)
def month_starts(first: date, last: date) -> tuple[date, ...]:
    """The first days of every month from the month of ``first`` to the month of ``last``."""
    months, day = [], month_start(first)
    while day <= last:
        months.append(day)
        day = next_month(day)
    return tuple(months)


def usage_intervals(events: Iterable[StockEvent]) -> list[UsageInterval]:
    """The usage between each pair of consecutive counts.

    A receipt belongs to the interval that ends with the first count at or after it; receipts
    before the first count have nothing to be compared with and are left out.
    """
    ordered = sorted(events, key=lambda e: (e.at, e.is_count))
    intervals: list[UsageInterval] = []
    previous: StockEvent | None = None
    received = ZERO
    for event in ordered:
        if not event.is_count:
            if previous is not None:
                received += event.quantity
            continue
        if previous is not None:
            raw = previous.quantity + received - event.quantity
            intervals.append(
                UsageInterval(
                    start=previous.at,
                    end=event.at,
                    previous=previous.quantity,
                    received=received,
                    counted=event.quantity,
                    usage=max(raw, ZERO),
                    unexplained_gain=raw < 0,
                )
            )
        previous, received = event, ZERO
    return intervals


def spread(
    intervals: Sequence[UsageInterval], starts: Sequence[date], *, monthly: bool = False
) -> list[PeriodUsage]:
    """Spread each interval's usage evenly over its days and total it per period.

    ``starts`` are the first days of consecutive weeks (or months, with ``monthly``).
    An interval covers the days after its first count up to and including its last count's day;
    two counts on one day put their usage on that day.
    """
    if not starts:
        return []
    starts = tuple(starts)
    ends, bounds, lengths = period_bounds(starts, monthly)
    limit = ends[-1].toordinal()
    totals = [ZERO] * len(starts)
    covered = [0] * len(starts)
    for interval in intervals:
        first, last = interval.start.date().toordinal(), interval.end.date().toordinal()
        if last <= first:
            index = bisect_right(bounds, last) - 1
            if index >= 0 and last <= limit:
                totals[index] += interval.usage
            continue
        span = last - first
        day = max(first + 1, bounds[0])
        while day <= min(last, limit):
            index = bisect_right(bounds, day) - 1
            period_last = bounds[index + 1] - 1 if index + 1 < len(bounds) else limit
            chunk_end = min(last, period_last)
            days = chunk_end - day + 1
            totals[index] += interval.usage * days / span
            covered[index] += days
            day = chunk_end + 1
    # Most periods of a sparse history are empty: skip the rounding of a zero.
    return [
        PeriodUsage(
            starts[k],
            ends[k],
            totals[k].quantize(CENT, rounding=ROUND_HALF_UP) if totals[k] else ZERO,
            covered[k] >= lengths[k],
        )
        for k in range(len(starts))
    ]


@lru_cache(maxsize=64)
def period_bounds(
    starts: tuple[date, ...], monthly: bool
) -> tuple[list[date], list[int], list[int]]:
    """Ends, first-day ordinals and lengths in days of consecutive periods (cached: every
    setting of a request shares them)."""
    ends = _period_ends(starts, monthly=monthly)
    return (
        ends,
        [d.toordinal() for d in starts],
        [(e - s).days + 1 for s, e in zip(starts, ends, strict=True)],
    )


def received_per_period(
    receipts: Iterable[StockEvent],
    starts: Sequence[date],
    *,
    since: date | None = None,
    monthly: bool = False,
) -> list[PeriodUsage]:
    """Receipts (or issues) totalled per period: the usage of lines that are not counted on
    hand, or of a storeroom's lines by what they issued.

    Periods before ``since`` (the first day history is known from) are not complete.
    """
    if not starts:
        return []
    starts = tuple(starts)
    ends, bounds, _lengths = period_bounds(starts, monthly)
    totals = [ZERO] * len(starts)
    for receipt in receipts:
        day = receipt.at.date()
        index = bisect_right(bounds, day.toordinal()) - 1
        if index >= 0 and day <= ends[index]:
            totals[index] += receipt.quantity
    return [
        PeriodUsage(
            starts[k],
            ends[k],
            # What was thrown away in a period is taken off what it received, down to 0.
            max(totals[k], ZERO).quantize(CENT, rounding=ROUND_HALF_UP) if totals[k] else ZERO,
            since is None or starts[k] >= since,
        )
        for k in range(len(starts))
    ]


def complete_usage(periods: Iterable[PeriodUsage]) -> list[Decimal]:
    """The usage of the complete periods, oldest first."""
    return [p.usage for p in periods if p.complete]


def _period_ends(starts: Sequence[date], *, monthly: bool) -> list[date]:
    ends = [b - timedelta(days=1) for b in starts[1:]]
    last = starts[-1]
    ends.append(next_month(last) - timedelta(days=1) if monthly else last + timedelta(days=6))
    return ends


@dataclass(frozen=True, slots=True)
class UsageHistory:
    """A PAR setting's usage per week and per month, with its stockouts and deliveries."""

    setting_id: int
    source: str
    """"counts" (on-hand counts and receipts), "receipts" (lines not counted on hand) or
    "issues" (a storeroom's lines: transfers sent out)."""
    weeks: tuple[PeriodUsage, ...]
    months: tuple[PeriodUsage, ...]
    stockouts: tuple[date, ...]
    """Days a count found none on the shelf."""
    deliveries: tuple[tuple[date, Decimal], ...]
    unexplained_gains: int

    def complete_weeks(self) -> list[tuple[date, Decimal]]:
        """(Monday, usage) of every complete week, oldest first."""
        return [(w.start, w.usage) for w in self.weeks if w.complete]


def build_history(
    setting_id: int,
    events: Sequence[StockEvent],
    *,
    first: date,
    last: date,
    with_months: bool = True,
    with_weeks: bool = True,
    issues: Sequence[StockEvent] = (),
) -> UsageHistory:
    """A setting's usage history from first to last (inclusive) from its counts and receipts.

    A storeroom line that issued stock (``issues``: what it sent to PAR locations) uses its
    issues, from the day of the first one on. Otherwise two or more on-hand counts give usage
    by counts; with fewer, the line is not counted on hand and its receipts stand for its
    usage from the first event on.
    """
    weeks_from = week_starts(first, last) if with_weeks else ()
    months_from = month_starts(first, last) if with_months else ()
    counts = [e for e in events if e.is_count]
    receipts = [e for e in events if not e.is_count]
    if issues:
        # Before its first issue nobody knows what a storeroom line sent out (transfers may
        # not have been recorded yet); after it, a week without issues really issued none.
        first_issue = min(e.at.date() for e in issues)
        weeks = received_per_period(issues, weeks_from, since=first_issue)
        months = received_per_period(issues, months_from, since=first_issue, monthly=True)
        source, gains = "issues", 0
    elif len(counts) >= 2:
        intervals = usage_intervals(events)
        weeks = spread(intervals, weeks_from)
        months = spread(intervals, months_from, monthly=True)
        source = "counts"
        gains = sum(1 for i in intervals if i.unexplained_gain)
    else:
        since = min((e.at.date() for e in events), default=None)
        weeks = received_per_period(receipts, weeks_from, since=since)
        months = received_per_period(receipts, months_from, since=since, monthly=True)
        if since is None:
            weeks = [PeriodUsage(w.start, w.end, w.usage, False) for w in weeks]
            months = [PeriodUsage(m.start, m.end, m.usage, False) for m in months]
        source, gains = "receipts", 0
    # Only the periods that end by ``last`` can be complete: the current week is still going.
    weeks = [w if w.end <= last else PeriodUsage(w.start, w.end, w.usage, False) for w in weeks]
    months = [m if m.end <= last else PeriodUsage(m.start, m.end, m.usage, False) for m in months]
    return UsageHistory(
        setting_id=setting_id,
        source=source,
        weeks=tuple(weeks),
        months=tuple(months),
        stockouts=tuple(sorted({c.at.date() for c in counts if c.quantity == 0})),
        deliveries=tuple(
            (r.at.date(), r.quantity)
            for r in sorted(receipts, key=lambda r: r.at)
            if r.quantity > 0
        ),
        unexplained_gains=gains,
    )
