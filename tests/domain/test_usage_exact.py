"""Usage worked out in whole numbers (domain/usage_exact) against the rule (build_history)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from parstudio.domain.usage import (
    StockEvent,
    build_history,
    month_starts,
    period_bounds,
    usage_intervals,
    week_starts,
)
from parstudio.domain.usage_exact import UsageFigures, figures_of, usage_figures

FIRST = date(2025, 12, 1)
LAST = date(2026, 5, 20)
SCALE = 10_000
DAYS = (LAST - FIRST).days


def _text(at: datetime) -> str:
    """A time as SQLite keeps it (SQLAlchemy's format, UTC without an offset)."""
    return at.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _text_days(ats: Iterable[Any]) -> list[int]:
    return [date.fromisoformat(at[:10]).toordinal() for at in ats]


def _moment_days(ats: Iterable[Any]) -> list[int]:
    return [at.toordinal() for at in ats]


Event = tuple[datetime, Decimal, bool]


def _as_text_rows(events: list[Event]) -> list[tuple[Any, ...]]:
    # SQLite's rows: the text time and a whole quantity (the tag is free: the setting id).
    return [(7, _text(at), int(quantity), int(is_count)) for at, quantity, is_count in events]


def _as_moment_rows(events: list[Event]) -> list[tuple[Any, ...]]:
    # Any driver's rows made whole: the Decimal (as the tag), the aware time, ten-thousandths.
    return [
        (quantity, at, int(quantity * SCALE), int(is_count)) for at, quantity, is_count in events
    ]


def _rule(events: list[Event], issues: Sequence[Event] = (), **periods: bool) -> Any:
    return build_history(
        7,
        [StockEvent(at, quantity, is_count) for at, quantity, is_count in events],
        first=FIRST,
        last=LAST,
        issues=[StockEvent(at, quantity, False) for at, quantity, _ in issues],
        **periods,
    )


def _whole(
    events: list[Event], issues: Sequence[Event] = (), **periods: bool
) -> UsageFigures | None:
    return usage_figures(
        7,
        _as_moment_rows(events),
        first=FIRST,
        last=LAST,
        scale=SCALE,
        days_of=_moment_days,
        quantity_of=lambda row: row[0],
        issues=_as_moment_rows(list(issues)),
        **periods,
    )


def _on_a_half_cent(events: list[Event]) -> bool:
    """Whether some week's or month's exact usage (in fractions, no rounding at all) lies on a
    half cent: the only case the whole numbers leave to the rule."""
    intervals = usage_intervals([StockEvent(*event) for event in events])
    for monthly in (False, True):
        starts = month_starts(FIRST, LAST) if monthly else week_starts(FIRST, LAST)
        ends, bounds, _lengths = period_bounds(starts, monthly)
        limit = ends[-1].toordinal()
        totals = [Fraction(0)] * len(starts)
        for interval in intervals:
            first, last = interval.start.date().toordinal(), interval.end.date().toordinal()
            for day in range(max(first + 1, bounds[0]), min(last, limit) + 1):
                totals[bisect_right(bounds, day) - 1] += Fraction(interval.usage) / (last - first)
            if last == first and bounds[0] <= last <= limit:
                totals[bisect_right(bounds, last) - 1] += Fraction(interval.usage)
        if any((total * 200).denominator == 1 and (total * 200) % 2 == 1 for total in totals):
            return True
    return False


def moments() -> st.SearchStrategy[datetime]:
    # Few distinct minutes, so events at the same moment (and counts on one day) happen.
    return st.builds(
        lambda day, minute: (
            datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=UTC)
            + timedelta(days=day, minutes=minute)
        ),
        st.integers(0, DAYS),
        st.sampled_from([0, 1, 420, 421, 1439]),
    )


def histories(quantities: st.SearchStrategy[Decimal]) -> st.SearchStrategy[list[Event]]:
    event = st.tuples(moments(), quantities, st.booleans())
    return st.lists(event, max_size=60)


WHOLE = st.integers(-5, 400).map(Decimal)
FRACTIONAL = st.integers(-50_000, 4_000_000).map(lambda n: Decimal(n).scaleb(-4))
ODD_SPANS = st.lists(st.integers(1, 40), min_size=2, max_size=30)


@settings(max_examples=300, deadline=None)
@given(histories(WHOLE))
def test_whole_quantities_from_sqlite_text_give_the_rules_history(events: list[Event]) -> None:
    expected = _rule(events)
    found = usage_figures(
        7,
        _as_text_rows(events),
        first=FIRST,
        last=LAST,
        scale=1,
        days_of=_text_days,
        quantity_of=lambda row: Decimal(row[2]),
    )
    if found is None:  # the caller works it out by the rule
        assert _on_a_half_cent(events)
    else:
        assert repr(found.history()) == repr(expected)


@settings(max_examples=300, deadline=None)
@given(histories(FRACTIONAL), st.booleans(), st.booleans())
def test_quantities_to_four_places_give_the_rules_history(
    events: list[Event], weeks: bool, months: bool
) -> None:
    expected = _rule(events, with_weeks=weeks, with_months=months)
    found = _whole(events, with_weeks=weeks, with_months=months)
    if found is None:
        assert _on_a_half_cent(events)
    else:
        assert repr(found.history()) == repr(expected)


@settings(max_examples=200, deadline=None)
@given(ODD_SPANS, st.lists(st.integers(0, 300), min_size=30, max_size=30))
def test_counts_at_uneven_spans_give_the_rules_cents(spans: list[int], stock: list[int]) -> None:
    # Spans of 3, 7, 11… days share usage out in thirds, sevenths…: Decimal rounds each share
    # at 28 digits, the whole numbers do not; the cents must still be the same.
    day = datetime(2025, 12, 2, 7, tzinfo=UTC)
    events: list[Event] = []
    for span, quantity in zip(spans, stock, strict=False):
        events.append((day, Decimal(quantity), True))
        events.append((day + timedelta(hours=1), Decimal(quantity % 7), False))
        day += timedelta(days=span)
    expected = _rule(events)
    found = _whole(events)
    if found is None:
        assert _on_a_half_cent(events)
    else:
        assert repr(found.history()) == repr(expected)


@settings(max_examples=100, deadline=None)
@given(
    histories(FRACTIONAL), st.lists(st.tuples(moments(), FRACTIONAL, st.just(False)), min_size=1)
)
def test_a_storerooms_issues_give_the_rules_history(
    events: list[Event], issues: list[Event]
) -> None:
    expected = _rule(events, issues)
    found = _whole(events, issues)
    if found is not None:
        assert repr(found.history()) == repr(expected)


def test_usage_on_a_half_cent_with_shares_in_thirds_is_left_to_the_rule() -> None:
    # 1 unit over the 8 days Sun 11th → Mon 19th puts 7/8 (87.5 cents, on a half cent) in the
    # week of the 12th; another interval of 3 days makes the shares thirds too, so the whole
    # numbers cannot vouch that Decimal's 28 digits round that week as they do.
    at = datetime(2026, 1, 11, 7, tzinfo=UTC)
    events: list[Event] = [
        (at, Decimal(9), True),
        (at + timedelta(days=8), Decimal(8), True),
        (at + timedelta(days=11), Decimal(5), True),
    ]
    assert _whole(events) is None
    # With only the eighths, the same half cent is exact in Decimal too, and worked out here.
    found = _whole(events[:2])
    assert found is not None
    assert repr(found.history()) == repr(_rule(events[:2]))
    assert found.weeks.usage[6:8] == (Decimal("0.88"), Decimal("0.13"))  # 7/8 and 1/8, half up


def test_another_decimal_precision_is_left_to_the_rule() -> None:
    at = datetime(2026, 1, 14, 7, tzinfo=UTC)
    events: list[Event] = [(at, Decimal(9), True), (at + timedelta(days=3), Decimal(8), True)]
    with localcontext() as context:
        context.prec = 12
        assert _whole(events) is None


def test_figures_of_a_history_give_it_back() -> None:
    at = datetime(2026, 1, 14, 7, tzinfo=UTC)
    events: list[Event] = [
        (at, Decimal(9), True),
        (at + timedelta(hours=2), Decimal(4), False),
        (at + timedelta(days=10), Decimal(3), True),
    ]
    history = _rule(events)
    assert figures_of(history).history() == history
    assert figures_of(history).complete_weeks() == history.complete_weeks()
    assert figures_of(history, with_deliveries=False).deliveries == ()
