"""Usage between counts, spread over weeks and months."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from parstudio.domain.usage import (
    StockEvent,
    build_history,
    complete_usage,
    month_starts,
    received_per_period,
    spread,
    usage_intervals,
    week_start,
    week_starts,
)

D = Decimal


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 7, tzinfo=UTC)


def count(day: date, quantity: int) -> StockEvent:
    return StockEvent(at(day), D(quantity), True)


def receipt(day: date, quantity: int) -> StockEvent:
    return StockEvent(datetime(day.year, day.month, day.day, 5, tzinfo=UTC), D(quantity), False)


def test_usage_is_previous_count_plus_received_minus_this_count() -> None:
    events = [
        receipt(date(2026, 1, 1), 99),  # before the first count: nothing to compare with
        count(date(2026, 1, 5), 10),
        receipt(date(2026, 1, 6), 20),
        count(date(2026, 1, 12), 8),
        count(date(2026, 1, 19), 9),  # a gain with no receipt
    ]
    first, second = usage_intervals(events)
    assert (first.previous, first.received, first.counted, first.usage) == (10, 20, 8, 22)
    assert not first.unexplained_gain
    assert second.usage == 0 and second.unexplained_gain


def test_a_receipt_on_the_day_of_a_count_but_before_it_belongs_to_that_interval() -> None:
    events = [
        count(date(2026, 1, 5), 10),
        receipt(date(2026, 1, 12), 5),
        count(date(2026, 1, 12), 12),
    ]
    (interval,) = usage_intervals(events)
    assert interval.received == 5 and interval.usage == 3


def test_a_fortnight_between_counts_is_spread_evenly_over_both_weeks() -> None:
    monday = date(2026, 1, 5)
    events = [count(monday, 50), count(date(2026, 1, 19), 22)]  # 28 used over 14 days
    weeks = spread(usage_intervals(events), week_starts(monday, date(2026, 1, 25)))
    assert [w.start for w in weeks] == [monday, date(2026, 1, 12), date(2026, 1, 19)]
    # Days after the first count (Tue 6th) to the second count (Mon 19th) inclusive.
    assert [w.usage for w in weeks] == [D(12), D(14), D(2)]
    assert [w.complete for w in weeks] == [False, True, False]
    assert complete_usage(weeks) == [D(14)]


def test_weeks_fully_between_counts_are_complete_and_sum_to_the_usage() -> None:
    days = [date(2026, 1, 4), date(2026, 1, 11), date(2026, 1, 18), date(2026, 1, 25)]
    events = [count(d, q) for d, q in zip(days, (40, 30, 25, 5), strict=True)]
    weeks = spread(usage_intervals(events), week_starts(days[0], days[-1]))
    assert sum(w.usage for w in weeks) == 35
    # Counted on Sundays: each Monday-to-Sunday week lies wholly between two counts.
    assert [w.usage for w in weeks if w.complete] == [D(10), D(5), D(20)]
    assert not weeks[0].complete


def test_monthly_spread_splits_an_interval_across_the_month_end() -> None:
    events = [count(date(2026, 1, 21), 30), count(date(2026, 2, 10), 10)]  # 20 over 20 days
    months = spread(
        usage_intervals(events), month_starts(date(2026, 1, 1), date(2026, 2, 1)), monthly=True
    )
    assert [m.usage for m in months] == [D(10), D(10)]
    assert months[1].end == date(2026, 2, 28)
    assert not any(m.complete for m in months)


def test_two_counts_on_one_day_put_their_usage_on_that_day() -> None:
    events = [count(date(2026, 1, 6), 10), count(date(2026, 1, 6), 7)]
    (week,) = spread(usage_intervals(events), [week_start(date(2026, 1, 6))])
    assert week.usage == 3 and not week.complete


def test_received_per_period_totals_receipts_by_week() -> None:
    receipts = [
        receipt(date(2026, 1, 6), 4),
        receipt(date(2026, 1, 8), 6),
        receipt(date(2026, 1, 13), 5),
    ]
    weeks = received_per_period(
        receipts, week_starts(date(2026, 1, 5), date(2026, 1, 19)), since=date(2026, 1, 5)
    )
    assert [w.usage for w in weeks] == [D(10), D(5), D(0)]
    assert all(w.complete for w in weeks)


def test_periods_outside_the_history_are_empty() -> None:
    events = [count(date(2026, 3, 2), 10), count(date(2026, 3, 9), 3)]
    weeks = spread(usage_intervals(events), week_starts(date(2026, 1, 5), date(2026, 1, 12)))
    assert [w.usage for w in weeks] == [D(0), D(0)]
    assert not any(w.complete for w in weeks)


def test_waste_is_not_usage() -> None:
    """Stock thrown away between two counts is taken off what was there, not counted as used."""
    monday = datetime(2026, 3, 2, 7, tzinfo=UTC)
    events = [
        StockEvent(monday, Decimal(50), True),
        StockEvent(monday + timedelta(days=3), Decimal(-8), False),  # 8 expired, thrown away
        StockEvent(monday + timedelta(days=7), Decimal(30), True),
    ]
    (interval,) = usage_intervals(events)
    assert interval.usage == Decimal(12)
    assert not interval.unexplained_gain


def test_waste_of_a_line_not_counted_on_hand_is_taken_off_its_receipts() -> None:
    monday = date(2026, 3, 2)
    at = datetime(2026, 3, 3, 7, tzinfo=UTC)
    events = [StockEvent(at, Decimal(10), False), StockEvent(at, Decimal(-4), False)]
    history = build_history(1, events, first=monday, last=monday + timedelta(days=13))
    assert history.weeks[0].usage == Decimal(6)
    assert history.deliveries == ((at.date(), Decimal(10)),)
    only_waste = build_history(
        1, [StockEvent(at, Decimal(-4), False)], first=monday, last=monday + timedelta(days=13)
    )
    assert only_waste.weeks[0].usage == Decimal(0)


def issue(day: date, quantity: int) -> StockEvent:
    return StockEvent(datetime(day.year, day.month, day.day, 10, tzinfo=UTC), D(quantity), False)


def storeroom_events() -> list[StockEvent]:
    """A storeroom counted every four weeks, with a big supplier delivery in each interval."""
    return [
        count(date(2026, 1, 4), 200),
        receipt(date(2026, 1, 14), 500),
        count(date(2026, 2, 1), 560),
        receipt(date(2026, 2, 11), 400),
        count(date(2026, 3, 1), 640),
    ]


def test_a_storeroom_line_that_issued_uses_its_issues_per_week() -> None:
    issues = [
        issue(date(2026, 1, 6), 30),  # Tuesday: its week is not complete (nothing known before)
        issue(date(2026, 1, 12), 40),
        issue(date(2026, 1, 15), 25),
        issue(date(2026, 1, 26), 40),
        issue(date(2026, 2, 23), 35),
    ]
    history = build_history(
        7, storeroom_events(), first=date(2026, 1, 1), last=date(2026, 3, 1), issues=issues
    )
    assert history.source == "issues"
    # Weeks from Monday 12 January: 65, 0, 40, then three weeks without issues, then 35.
    assert history.complete_weeks() == [
        (date(2026, 1, 12), D(65)),
        (date(2026, 1, 19), D(0)),
        (date(2026, 1, 26), D(40)),
        (date(2026, 2, 2), D(0)),
        (date(2026, 2, 9), D(0)),
        (date(2026, 2, 16), D(0)),
        (date(2026, 2, 23), D(35)),
    ]
    assert not history.weeks[1].complete  # the week of 5 January, first issue on the Tuesday
    assert [(m.start, m.usage, m.complete) for m in history.months] == [
        (date(2026, 1, 1), D(135), False),  # first issued on the 6th
        (date(2026, 2, 1), D(35), True),
        (date(2026, 3, 1), D(0), False),  # the month is still going
    ]
    # The supplier deliveries are still what it received.
    assert history.deliveries == ((date(2026, 1, 14), D(500)), (date(2026, 2, 11), D(400)))
    assert history.unexplained_gains == 0


def test_the_same_storeroom_line_without_issues_is_used_by_counts() -> None:
    history = build_history(7, storeroom_events(), first=date(2026, 1, 1), last=date(2026, 3, 1))
    assert history.source == "counts"
    # 200 + 500 − 560 = 140 over the four weeks to 1 February, 560 + 400 − 640 = 320 after.
    weeks = history.complete_weeks()
    assert (len(weeks), sum(usage for _monday, usage in weeks)) == (8, D(460))


def test_issues_outside_the_history_count_for_nothing() -> None:
    issues = [issue(date(2025, 12, 29), 50), issue(date(2026, 1, 13), 10)]
    history = build_history(7, [], first=date(2026, 1, 5), last=date(2026, 1, 25), issues=issues)
    assert history.source == "issues"
    assert history.complete_weeks() == [
        (date(2026, 1, 5), D(0)),
        (date(2026, 1, 12), D(10)),
        (date(2026, 1, 19), D(0)),
    ]
    assert history.stockouts == () and history.deliveries == ()


def test_a_history_without_weeks_has_the_same_months() -> None:
    events = [
        StockEvent(at(date(2026, 1, 1)), D(100), True),
        StockEvent(at(date(2026, 2, 15)), D(40), False),
        StockEvent(at(date(2026, 3, 31)), D(20), True),
    ]
    full = build_history(1, events, first=date(2026, 1, 1), last=date(2026, 3, 31))
    months_only = build_history(
        1, events, first=date(2026, 1, 1), last=date(2026, 3, 31), with_weeks=False
    )
    assert months_only.weeks == ()
    assert months_only.months == full.months
    assert months_only.deliveries == full.deliveries
