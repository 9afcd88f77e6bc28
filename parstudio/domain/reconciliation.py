"""Reconciliation: billable usage seen in counts and receipts against what was recorded to cases.

For one billable item at one location, the **usage** is what the shelf says was used, by the
usage rule of ``domain/usage.py`` (previous count + received − thrown away − this count), over
the counts that bracket the period's days: from the last count before the period's first day
(or the first count in it) to the first count after its last day (or the last count in it).
The **recorded** quantity is what was scanned to cases between those same two counts (voided
lines left out). Both figures cover exactly the same stretch of time, so nothing is prorated
and a gap is never an artefact of spreading usage over days. The **gap** is usage − recorded:

- positive: more left the shelf than was recorded to cases — used and not billed (or lost);
- negative: more was recorded to cases than the counts show was used — a count missed a
  receipt, or a line was recorded twice;
- unknown ("not counted"): no two counts around any day of the period, so nothing says what
  was used; such a line is listed with what was recorded in the period, never taken as 0.

The two counts compared between are on each line; when they do not cover every day of the
period (counts stop or start inside it) the line says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from parstudio.domain.charges import DayRange, extended
from parstudio.domain.usage import StockEvent, UsageInterval, usage_intervals

ZERO = Decimal(0)


class GapStatus(StrEnum):
    """What a reconciliation line's gap says."""

    UNBILLED = "Unbilled"
    OVER_RECORDED = "Recorded more than seen"
    MATCHES = "Matches"
    NOT_COUNTED = "Not counted"


Use = tuple[datetime, Decimal]
"""A use recorded to a case: when (timezone-aware) and how many."""


@dataclass(frozen=True, slots=True)
class SeenUsage:
    """The usage counts and receipts show between the two counts that bracket a period."""

    usage: Decimal | None
    """None: no two counts around any day of the period."""
    compared_from: datetime | None
    """The count the comparison starts after."""
    compared_to: datetime | None
    """The count the comparison ends with."""
    complete: bool
    """Every day of the period lies between the two counts."""


def _covers_some_day(interval: UsageInterval, period: DayRange) -> bool:
    start, end = interval.start.date(), interval.end.date()
    if end <= start:  # two counts on one day: that day's usage
        return period.first <= end <= period.last
    return max(start + timedelta(days=1), period.first) <= min(end, period.last)


def seen_usage(events: Iterable[StockEvent], period: DayRange) -> SeenUsage:
    """What the counts, receipts and waste (negative receipts) of a line say was used between
    the counts that bracket the period's days (the events' own local dates)."""
    intervals = [i for i in usage_intervals(events) if _covers_some_day(i, period)]
    if not intervals:
        return SeenUsage(None, None, None, False)
    start, end = intervals[0].start, intervals[-1].end
    complete = start.date() < period.first and end.date() >= period.last
    usage = sum((i.usage for i in intervals), ZERO)
    return SeenUsage(usage, start, end, complete)


def recorded_between(uses: Iterable[Use], seen: SeenUsage, period: DayRange) -> Decimal:
    """What was recorded to cases after the first compared count through the second; with no
    counts to compare between, what was recorded on the period's days."""
    if seen.compared_from is None or seen.compared_to is None:
        low, high = period.first, period.last
        return sum((q for at, q in uses if low <= at.astimezone().date() <= high), ZERO)
    start, end = seen.compared_from, seen.compared_to
    return sum((q for at, q in uses if start < at <= end), ZERO)


@dataclass(frozen=True, slots=True)
class ReconciliationLine:
    """One billable item at one location: seen, recorded, and the gap between them."""

    location_code: str
    location_name: str
    item_code: str
    description: str
    unit: str
    charge_code: str | None
    charge_price: Decimal | None
    usage: Decimal | None
    counted_throughout: bool
    recorded: Decimal
    compared_from: datetime | None = None
    """The count the comparison starts after (None: not counted)."""
    compared_to: datetime | None = None
    """The count the comparison ends with."""

    @property
    def gap(self) -> Decimal | None:
        """Usage − recorded; None when the usage is not known."""
        return None if self.usage is None else self.usage - self.recorded

    @property
    def gap_value(self) -> Decimal | None:
        """The gap at the charge price; None without a usage or a price."""
        gap = self.gap
        return None if gap is None else extended(gap, self.charge_price)

    @property
    def status(self) -> GapStatus:
        """Unbilled, recorded more than seen, matches, or not counted."""
        gap = self.gap
        if gap is None:
            return GapStatus.NOT_COUNTED
        if gap > 0:
            return GapStatus.UNBILLED
        if gap < 0:
            return GapStatus.OVER_RECORDED
        return GapStatus.MATCHES

    @property
    def note(self) -> str:
        """What the user should know of the figures, in words."""
        parts = []
        if self.status is GapStatus.NOT_COUNTED:
            parts.append("no counts around the period: usage unknown")
        elif not self.counted_throughout:
            parts.append("the counts do not cover the whole period: compared between them")
        if self.status is GapStatus.OVER_RECORDED:
            parts.append("more recorded to cases than the counts show was used")
        if self.charge_price is None:
            parts.append("no charge price")
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]


@dataclass(frozen=True, slots=True)
class LineFacts:
    """What a reconciliation line is about: the location, the item and its charge."""

    location_code: str
    location_name: str
    item_code: str
    description: str
    unit: str
    charge_code: str | None
    charge_price: Decimal | None


def reconcile_line(
    facts: LineFacts, events: Sequence[StockEvent], uses: Sequence[Use], period: DayRange
) -> ReconciliationLine:
    """A line's usage between the counts around the period against what was recorded to
    cases between the same counts."""
    seen = seen_usage(events, period)
    return ReconciliationLine(
        location_code=facts.location_code,
        location_name=facts.location_name,
        item_code=facts.item_code,
        description=facts.description,
        unit=facts.unit,
        charge_code=facts.charge_code,
        charge_price=facts.charge_price,
        usage=seen.usage,
        counted_throughout=seen.complete,
        recorded=recorded_between(uses, seen, period),
        compared_from=seen.compared_from,
        compared_to=seen.compared_to,
    )


def gap_order(line: ReconciliationLine) -> tuple[int, Decimal, Decimal, str, str]:
    """Largest unbilled value first, then by units; lines without a usage last."""
    if line.gap is None:
        return (1, ZERO, ZERO, line.location_code, line.item_code)
    return (0, -(line.gap_value or ZERO), -line.gap, line.location_code, line.item_code)


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The reconciliation of a period: its lines, largest unbilled value first."""

    period: DayRange
    scope: str
    lines: tuple[ReconciliationLine, ...]

    @property
    def unbilled_value(self) -> Decimal:
        """The value of the positive gaps (at charge price)."""
        return sum(
            (line.gap_value or ZERO for line in self.lines if line.status is GapStatus.UNBILLED),
            ZERO,
        )

    def count(self, status: GapStatus) -> int:
        """How many lines have that status."""
        return sum(1 for line in self.lines if line.status is status)

    @property
    def summary(self) -> str:
        """The lines by status and the unbilled value, in words."""
        unbilled = self.count(GapStatus.UNBILLED)
        over = self.count(GapStatus.OVER_RECORDED)
        uncounted = self.count(GapStatus.NOT_COUNTED)
        return (
            f"{len(self.lines)} lines: {unbilled} unbilled (value {self.unbilled_value:,.2f}), "
            f"{over} recorded more than seen, {uncounted} not counted"
        )


def reconcile(
    lines: Iterable[ReconciliationLine], *, period: DayRange, scope: str
) -> Reconciliation:
    """The lines in gap order."""
    return Reconciliation(period, scope, tuple(sorted(lines, key=gap_order)))
