"""Usage per week and per month in whole numbers: the figures ``build_history`` gives
(domain/usage.py, which stays the rule), for a fraction of the work.

``build_history`` turns every count and receipt into a ``StockEvent``, every pair of counts into
a ``UsageInterval`` and adds Decimal shares (usage × days ÷ span, 28 digits) into each period.
Here quantities are whole numbers (of 1/``scale`` of a unit), the usage between two counts is
laid over its days at a common denominator (the least common multiple of the spans), and each
period's exact total is rounded to the cent once. That is the cent Decimal arithmetic gives
whenever its own rounding (at the 28th digit) cannot carry the total across a half cent: always
when every span divides a power of ten's divisors (2ᵃ5ᵇ), and otherwise unless the exact total
lies within 10⁻²⁰ of a half cent. Then, or when a figure is out of the range that reasoning
holds for, ``None`` is returned and the caller works that setting out with ``build_history``.
tests/domain/test_usage_exact.py checks the two agree on random histories.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, getcontext
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from math import lcm
from operator import add, floordiv, itemgetter, mod, mul, not_, sub
from typing import Any

from parstudio.domain.usage import (
    ZERO,
    PeriodUsage,
    UsageHistory,
    month_starts,
    period_bounds,
    week_starts,
)

Row = Sequence[Any]
"""(tag, at, amount, is_count): ``at`` orders the events (text times of one format, or
datetimes), ``amount`` is the quantity in whole 1/scale units, ``tag`` is the caller's (handed
to ``quantity_of`` to give a delivery's recorded quantity)."""

DECIMAL_DIGITS = 28
LARGEST_CENTS = 10**12
"""Totals from 10 000 000 000 units up are left to the Decimal rule (its 28 digits)."""
CLOSE = 10**20
CACHED_CENTS = 100_000
_WHEN_KIND = itemgetter(1, 3)
_AT = itemgetter(1)
_AMOUNT = itemgetter(2)
_KIND = itemgetter(3)


@dataclass(frozen=True, slots=True)
class Periods:
    """Usage per week or per month, as parallel tuples (``UsageHistory``'s periods, unbuilt)."""

    starts: tuple[date, ...]
    ends: tuple[date, ...]
    usage: tuple[Decimal, ...]
    complete: tuple[bool, ...]

    def complete_usage(self) -> list[tuple[date, Decimal]]:
        """(start, usage) of every complete period, oldest first."""
        return list(compress(zip(self.starts, self.usage, strict=True), self.complete))

    def periods(self) -> tuple[PeriodUsage, ...]:
        """The same as ``PeriodUsage`` records."""
        return tuple(map(PeriodUsage, self.starts, self.ends, self.usage, self.complete))


NO_PERIODS = Periods((), (), (), ())


@dataclass(frozen=True, slots=True)
class UsageFigures:
    """A setting's usage history as ``build_history`` works it out, kept as figures."""

    setting_id: int
    source: str
    weeks: Periods
    months: Periods
    stockouts: tuple[date, ...]
    deliveries: tuple[tuple[date, Decimal], ...]
    unexplained_gains: int

    def complete_weeks(self) -> list[tuple[date, Decimal]]:
        """(Monday, usage) of every complete week, oldest first."""
        return self.weeks.complete_usage()

    def history(self) -> UsageHistory:
        """The same figures as a ``UsageHistory``."""
        return UsageHistory(
            setting_id=self.setting_id,
            source=self.source,
            weeks=self.weeks.periods(),
            months=self.months.periods(),
            stockouts=self.stockouts,
            deliveries=self.deliveries,
            unexplained_gains=self.unexplained_gains,
        )


def figures_of(history: UsageHistory, *, with_deliveries: bool = True) -> UsageFigures:
    """A ``UsageHistory`` as figures (for settings worked out by ``build_history``)."""

    def periods(found: Sequence[PeriodUsage]) -> Periods:
        if not found:
            return NO_PERIODS
        return Periods(
            tuple(p.start for p in found),
            tuple(p.end for p in found),
            tuple(p.usage for p in found),
            tuple(p.complete for p in found),
        )

    return UsageFigures(
        setting_id=history.setting_id,
        source=history.source,
        weeks=periods(history.weeks),
        months=periods(history.months),
        stockouts=history.stockouts,
        deliveries=history.deliveries if with_deliveries else (),
        unexplained_gains=history.unexplained_gains,
    )


class _Cents(dict[int, Decimal]):
    """Decimal of a number of cents, made once (−1: no usage at all, Decimal 0 as the rule
    gives it; 0: a total that rounds to 0.00)."""

    def __missing__(self, cents: int) -> Decimal:
        if len(self) >= CACHED_CENTS:
            self.clear()
        made = self[cents] = ZERO if cents < 0 else Decimal(cents).scaleb(-2)
        return made


_CENTS = _Cents()


def usage_figures(
    setting_id: int,
    rows: Sequence[Row],
    *,
    first: date,
    last: date,
    scale: int,
    days_of: Callable[[Iterable[Any]], list[int]],
    quantity_of: Callable[[Row], Decimal],
    with_weeks: bool = True,
    with_months: bool = True,
    with_deliveries: bool = True,
    issues: Sequence[Row] = (),
) -> UsageFigures | None:
    """``build_history(…)`` of these events (counts, receipts, waste as negative receipts), as
    figures; None when the rounding could differ from the Decimal rule's (see above).

    ``days_of`` gives the dates of ``at``s as ordinals; ``quantity_of`` a delivery's quantity
    as the Decimal ``build_history`` would have been given. Without ``with_weeks``,
    ``with_months`` or ``with_deliveries`` those are left empty, for callers that need only
    the others.
    """
    if getcontext().prec != DECIMAL_DIGITS:
        return None
    weeks_from = week_starts(first, last) if with_weeks else ()
    months_from = month_starts(first, last) if with_months else ()
    ordered = sorted(rows, key=_WHEN_KIND)
    # Column-wise (map, compress…): a large location has a million rows.
    kinds = list(map(_KIND, ordered))
    counts = list(compress(ordered, kinds))
    count_days = days_of(map(_AT, counts))
    amounts = list(map(_AMOUNT, counts))
    empty = set(compress(count_days, map(not_, amounts)))
    stockouts = tuple(map(date.fromordinal, sorted(empty)))
    receipts = list(compress(ordered, map(not_, kinds)))
    delivered = [r for r in receipts if r[2] > 0] if with_deliveries else []
    deliveries = tuple(
        zip(
            map(date.fromordinal, days_of(map(_AT, delivered))),
            map(quantity_of, delivered),
            strict=True,
        )
    )
    last_day = last.toordinal()
    if issues:
        per_day = list(zip(days_of(map(_AT, issues)), map(_AMOUNT, issues), strict=True))
        first_issue = min(day for day, _amount in per_day)
        weeks = _received(per_day, weeks_from, first_issue, False, scale, last_day)
        months = _received(per_day, months_from, first_issue, True, scale, last_day)
        source, gains = "issues", 0
    elif len(counts) >= 2:
        spread = _by_counts(kinds, receipts, count_days, amounts, scale)
        found_weeks = _spread(spread, weeks_from, False, last_day)
        found_months = _spread(spread, months_from, True, last_day)
        if found_weeks is None or found_months is None:
            return None
        weeks, months = found_weeks, found_months
        source, gains = "counts", spread.gains
    else:
        per_day = list(zip(days_of(map(_AT, receipts)), map(_AMOUNT, receipts), strict=True))
        since = min(days_of(map(_AT, ordered)), default=None)
        weeks = _received(per_day, weeks_from, since, False, scale, last_day)
        months = _received(per_day, months_from, since, True, scale, last_day)
        source, gains = "receipts", 0
    if weeks is None or months is None:
        return None
    return UsageFigures(setting_id, source, weeks, months, stockouts, deliveries, gains)


@dataclass(frozen=True, slots=True)
class _Spread:
    """Usage between counts laid over days: ``daily[i]`` is the usage of day ``start + 1 + i``
    in 1/``denominator`` units; ``same_day`` the usage of two counts on one day."""

    start: int
    daily: list[int]
    same_day: list[tuple[int, int]]
    denominator: int
    terminating: bool
    gains: int


def _by_counts(
    kinds: list[Any], receipts: list[Row], days: list[int], counted: list[int], scale: int
) -> _Spread:
    """The usage between consecutive counts (``usage_intervals``), laid over their days."""
    # What came in before each count since the one before it: a receipt belongs to the
    # interval that ends with the first count after it (at the same moment, counts sort last).
    received = [0] * len(days)
    before = accumulate(kinds)  # counts up to each row: a receipt's is the count it precedes
    last = len(days)
    for receipt, seen in zip(receipts, compress(before, map(not_, kinds)), strict=True):
        if 0 < seen < last:  # (before the first count, or after the last: no interval)
            received[seen] += receipt[2]
    raw = list(map(sub, map(add, counted[:-1], received[1:]), counted[1:]))
    used = [value if value > 0 else 0 for value in raw]
    spans = list(map(sub, days[1:], days[:-1]))
    common = lcm(*(set(spans) - {0})) if any(spans) else 1  # (0: two counts on one day)
    # Each day of an interval gets usage ÷ span: at the common denominator, a whole number.
    rates = map(mul, used, map(floordiv, repeat(common), map(_at_least_one, spans)))
    daily = list(chain.from_iterable(map(repeat, rates, spans)))
    same_day = [
        (days[k + 1], used[k] * common) for k in compress(range(len(spans)), map(not_, spans))
    ]
    gains = sum(1 for value in raw if value < 0)
    return _Spread(days[0], daily, same_day, common * scale, _terminating(common), gains)


def _at_least_one(span: int) -> int:
    return span or 1


def _spread(
    spread: _Spread, starts: tuple[date, ...], monthly: bool, last_day: int
) -> Periods | None:
    """``domain.usage.spread`` of these intervals, then only periods ending by ``last_day``
    complete (as ``build_history`` does)."""
    if not starts:
        return NO_PERIODS
    ends, bounds, last_days, limit = _shape(starts, monthly)
    count = len(starts)
    totals = [0] * count
    start = spread.start
    end = min(start + len(spread.daily), limit)
    low = max(start + 1, bounds[0])
    complete = [False] * count
    if low <= end:
        running = [0, *accumulate(spread.daily)]
        # Day d's usage is running[d - start] - running[d - start - 1].
        first_period = bisect_right(bounds, low) - 1
        last_period = bisect_right(bounds, end) - 1
        edges = [low, *bounds[first_period + 1 : last_period + 1], end + 1]
        sampled = [running[day - start - 1] for day in edges]
        totals[first_period : last_period + 1] = map(sub, sampled[1:], sampled[:-1])
        # A period is complete when every one of its days lies between two counts (and it
        # has ended by ``last_day``).
        whole_from = first_period if bounds[first_period] >= low else first_period + 1
        whole_to = bisect_right(last_days, min(end, last_day))
        if whole_to > whole_from:
            complete[whole_from:whole_to] = repeat(True, whole_to - whole_from)
    for day, used in spread.same_day:
        k = bisect_right(bounds, day) - 1
        if k >= 0 and day <= limit:
            totals[k] += used
    usage = _rounded(totals, spread.denominator, spread.terminating)
    if usage is None:
        return None
    return Periods(starts, ends, usage, tuple(complete))


def _rounded(totals: list[int], denominator: int, terminating: bool) -> tuple[Decimal, ...] | None:
    """Totals (in 1/denominator units) to the cent, half up; None when Decimal's rounding at
    28 digits could have made it the other cent (or the figures are too large to tell)."""
    twice = 2 * denominator
    halves = list(map(add, map(mul, totals, repeat(200)), repeat(denominator)))
    cents = list(map(floordiv, halves, repeat(twice)))
    for k in compress(range(len(totals)), map(not_, totals)):
        cents[k] = -1  # no usage at all: Decimal 0, as the rule has it
    if max(cents) >= LARGEST_CENTS:
        return None
    if not terminating:
        # Within Decimal's error of a half cent: 10⁻²⁰ of the total, far above its 28 digits.
        # (A period without usage is never close: its rest is half of ``twice``.)
        tolerance = (max(halves) + twice) // CLOSE
        rests = list(map(mod, halves, repeat(twice)))
        if min(rests) <= tolerance or max(rests) >= twice - tolerance:
            return None
    return tuple(map(_CENTS.__getitem__, cents))


def _received(
    per_day: Sequence[tuple[int, int]],
    starts: tuple[date, ...],
    since: int | None,
    monthly: bool,
    scale: int,
    last_day: int,
) -> Periods | None:
    """``received_per_period`` (with ``since``) of (day, amount) events, then only periods
    ending by ``last_day`` complete."""
    if not starts:
        return NO_PERIODS
    ends, bounds, last_days, _limit = _shape(starts, monthly)
    count = len(starts)
    totals = [0] * count
    for day, amount in per_day:
        k = bisect_right(bounds, day) - 1
        if 0 <= k < count:
            totals[k] += amount
    # What was thrown away in a period is taken off what it received, down to 0.
    cents = [
        (200 * total + scale) // (2 * scale) if total > 0 else (0 if total else -1)
        for total in totals
    ]
    if max(cents) >= LARGEST_CENTS:
        return None
    complete = tuple(
        since is not None and bound >= since and end <= last_day
        for bound, end in zip(bounds, last_days, strict=False)
    )
    return Periods(starts, ends, tuple(map(_CENTS.__getitem__, cents)), complete)


@lru_cache(maxsize=64)
def _shape(
    starts: tuple[date, ...], monthly: bool
) -> tuple[tuple[date, ...], list[int], list[int], int]:
    """Ends, first-day ordinals (with the day after the last period), last-day ordinals, and
    the last day of all."""
    ends, bounds, _lengths = period_bounds(starts, monthly)
    last_days = [end.toordinal() for end in ends]
    return tuple(ends), [*bounds, last_days[-1] + 1], last_days, last_days[-1]


@lru_cache(maxsize=256)
def _terminating(denominator: int) -> bool:
    """Whether dividing by this ends in a finite decimal (its only prime factors 2 and 5)."""
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1
