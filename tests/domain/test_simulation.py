"""The what-if replay: hand-checked cases, and the properties a replay must keep."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parstudio.domain.enums import CountType, Method, Rounding
from parstudio.domain.leanest import find_leanest
from parstudio.domain.simulation import Levels, SimSetting, replay
from parstudio.domain.simulation_run import simulate
from parstudio.domain.simulation_series import (
    DailySeries,
    calendar,
    daily_series,
    daily_series_exact,
    delivery_weekdays,
)
from parstudio.domain.usage import StockEvent

MONDAY = date(2026, 1, 5)
MON_THU = frozenset({0, 3})


def line(**changes: object) -> SimSetting:
    terms: dict[str, object] = {
        "setting_id": 1,
        "location_code": "CT1",
        "item_code": "GAUZE",
        "pack_price": D(5),
        "lead_time_days": 1,
        "delivery_weekdays": MON_THU,
        "source": "MED",
    }
    terms.update(changes)
    return SimSetting(**terms)  # type: ignore[arg-type]


def steady(days: int = 14, per_day: int = 10, on_hand: str = "30") -> DailySeries:
    """Day 0 is a Monday count of ``on_hand``; then ``per_day`` used every day."""
    return DailySeries(MONDAY, D(on_hand), (per_day * 100,) * days, "counts")


# Usage 10 a day, every day; counted (and delivered) Monday and Thursday; one day's lead
# time, so an order counted on Monday arrives on Thursday and one counted on Thursday arrives
# the next Monday. Day 0 is a Monday whose count found 30. Each day: arrivals, then the day's
# 10 used, then (on a count day) the shelf left is counted and PAR − shelf ordered.
#
# PAR 30. Mon0 30 → no order. Tue 20, Wed 10, Thu 0 (met in full) → order 30 for Mon.
#   Fri, Sat, Sun: 0 on the shelf, 10 wanted → 3 stockout days (one event).
#   Mon7 30 − 10 = 20 → order 10 for Thu. Tue 10, Wed 0, Thu10 10 − 10 = 0 → order 30 for Mon.
#   Fri, Sat, Sun out again (second event). Mon14 30 − 10 = 20 → order 10 (due after the end).
#   End-of-day shelf, days 1–14: 20 10 0 0 0 0 20 10 0 0 0 0 0 20 = 80 → average 80/14 = 5.71.
#   Peak 30 (day 1, and each Monday delivery). Orders on days 3, 7, 10, 14: 4 lines, 80 units;
#   deliveries days 7, 10, 14: 3. Unmet 6 × 10 = 60. Service (14 − 6)/14 = 57.1 %.
# PAR 40. Mon0 30 → order 10 for Thu. Tue 20, Wed 10, Thu3 10 + 10 − 10 = 10 → order 30.
#   Fri 0 (met), Sat and Sun out (2 days). Mon7 30 − 10 = 20 → order 20. Tue 10, Wed 0,
#   Thu10 20 − 10 = 10 → order 30. Fri 0, Sat and Sun out. Mon14 30 − 10 = 20 → order 20.
#   Shelf: 20 10 10 0 0 0 20 10 0 10 0 0 0 20 = 100 → 7.14. Peak 30. Orders days 0, 3, 7,
#   10, 14: 5 lines, 10 + 30 + 20 + 30 + 20 = 110 units; deliveries days 3, 7, 10, 14: 4.
#   4 stockout days in 2 events, unmet 40, service 10/14 = 71.4 %.
# PAR 60. Mon0 30 → order 30. Tue 20, Wed 10, Thu3 10 + 30 − 10 = 30 → order 30. Fri 20,
#   Sat 10, Sun 0 (met). Mon7 30 − 10 = 20 → order 40. Tue 10, Wed 0, Thu10 40 − 10 = 30 →
#   order 30. Fri 20, Sat 10, Sun 0. Mon14 30 − 10 = 20 → order 40.
#   Shelf: 20 10 30 20 10 0 20 10 0 30 20 10 0 20 = 200 → 14.29. Peak 40 (Thursdays).
#   5 lines, 30 + 30 + 40 + 30 + 40 = 170 units; 4 deliveries; no stockout: 100 %.
HAND_CHECKED = [
    # PAR, stockout days, events, unmet, average, peak, lines, units, deliveries, service %
    ("30", 6, 2, "60", "5.71", "30", 4, "80", 3, "57.1"),
    ("40", 4, 2, "40", "7.14", "30", 5, "110", 4, "71.4"),
    ("60", 0, 0, "0", "14.29", "40", 5, "170", 4, "100.0"),
]


@pytest.mark.parametrize(
    ("par", "out_days", "events", "unmet", "average", "peak", "lines", "units", "deliveries", "sl"),
    HAND_CHECKED,
)
def test_constant_usage_against_three_par_levels(
    par: str,
    out_days: int,
    events: int,
    unmet: str,
    average: str,
    peak: str,
    lines: int,
    units: str,
    deliveries: int,
    sl: str,
) -> None:
    outcome = replay(line(), Levels(par_level=D(par)), steady(), trace=True)
    assert outcome.days == 14
    assert outcome.stockout_days == out_days
    assert outcome.stockout_events == events
    assert outcome.unmet == D(unmet)
    assert outcome.average_stock == D(average)
    assert outcome.peak_stock == D(peak)
    assert outcome.order_lines == lines
    assert outcome.ordered_units == D(units)
    assert outcome.deliveries == deliveries
    assert outcome.service_level == D(sl)
    assert outcome.average_value == D(average) * 5
    assert outcome.peak_value == D(peak) * 5
    assert len(outcome.shelf) == 15 and outcome.shelf[0] == D(30)


def test_orders_are_the_engines_with_packs_and_their_days() -> None:
    # PAR 40 in packs of 25: Mon0 shelf 30, need 10 → 1 pack = 25 units, due Thursday.
    outcome = replay(line(pack_size=D(25)), Levels(par_level=D(40)), steady(days=3), trace=True)
    assert outcome.orders[0] == (MONDAY, D(25), MONDAY + timedelta(days=3))


def test_storage_capacity_cuts_orders_and_counts_days_over_it() -> None:
    # Capacity 35: the PAR 60 orders are cut to what fits, so the line never goes over it,
    # except when the opening shelf already is.
    capped = replay(line(storage_capacity=D(35)), Levels(par_level=D(60)), steady())
    assert capped.peak_stock <= D(35)
    assert capped.days_over_capacity == 0
    over = replay(line(storage_capacity=D(20)), Levels(par_level=D(10)), steady(on_hand="50"))
    # 50 on the shelf, 10 used a day: over 20 at the start of days 1, 2, 3.
    assert over.days_over_capacity == 3


def test_stock_past_its_shelf_life_is_thrown_away_first_in_first_out() -> None:
    # Nothing used; 10 on hand with a shelf life of 3 days, PAR 10. On Thursday (day 3) the
    # opening stock expires; the Thursday count orders 10 for Monday (day 7), which expires on
    # day 10, a Thursday, and is ordered again for day 14, when it arrives: 10 on the shelf is
    # the PAR, so nothing more is ordered.
    outcome = replay(
        line(shelf_life_days=3),
        Levels(par_level=D(10)),
        steady(per_day=0, on_hand="10"),
        trace=True,  # the orders are kept when traced
    )
    assert outcome.expired_units == D(20)
    assert [(o[0] - MONDAY).days for o in outcome.orders] == [3, 10]


def test_min_max_orders_count_what_is_on_the_way() -> None:
    # Min 20, Max 50, lead 4 days: the Monday order (shelf 20 − 10... ) arrives the next
    # Monday, so on Thursday it is still on the way and is counted as open supply.
    outcome = replay(
        line(method=Method.MIN_MAX, lead_time_days=4),
        Levels(min_level=D(25), max_level=D(50)),
        steady(days=7),
        trace=True,
    )
    # Mon0 30 ≥ 25: nothing. Thu3 0 < 25 → 50 due Mon7. Mon7: 50 − 10 = 40: nothing.
    assert [o[1] for o in outcome.orders] == [D(50)]


def test_two_bin_lines_signal_once_a_bin_is_empty() -> None:
    # ORDER PAR 20 (two bins of 20): Mon0 30 > 20, no signal; Thu3 0 ≤ 20 → 20 for Mon7;
    # nothing more while it is on the way; Mon7 20 − 10 = 10: the first bin is empty again.
    outcome = replay(
        line(count_type=CountType.ORDER_PAR), Levels(par_level=D(20)), steady(days=7), trace=True
    )
    assert [((o[0] - MONDAY).days, o[1]) for o in outcome.orders] == [(3, D(20)), (7, D(20))]


def test_invalid_levels_order_nothing_and_say_why() -> None:
    outcome = replay(line(), Levels(), steady(days=3))
    assert outcome.order_lines == 0
    assert "PAR level is missing" in outcome.invalid


def test_calendar_delivers_on_the_next_delivery_day_after_the_lead_time() -> None:
    is_count, arrival = calendar(MONDAY, 14, MON_THU, 1)
    assert [d for d in range(15) if is_count[d]] == [0, 3, 7, 10, 14]
    assert arrival[0] == 3 and arrival[3] == 7 and arrival[14] == 17
    _, slow = calendar(MONDAY, 14, MON_THU, 4)
    assert slow[0] == 7 and slow[3] == 7


def test_delivery_weekdays_from_the_schedule_or_spread_over_the_week() -> None:
    assert delivery_weekdays("MON,THU", 5) == {0, 3}
    assert delivery_weekdays("", 2) == {0, 4} or delivery_weekdays("", 2) == {0, 3}
    assert delivery_weekdays("", 1) == {0}
    assert delivery_weekdays("", 7) == set(range(7))


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_daily_series_spreads_count_usage_exactly_over_the_days() -> None:
    # Count 30 on Monday, receive 10 on Tuesday, count 20 on Thursday: 20 used over 3 days.
    events = [
        StockEvent(at(MONDAY), D(30), True),
        StockEvent(at(MONDAY + timedelta(days=1)), D(10), False),
        StockEvent(at(MONDAY + timedelta(days=3)), D(20), True),
    ]
    series = daily_series(events, first=MONDAY, last=MONDAY + timedelta(days=30))
    assert series is not None
    assert series.start == MONDAY and series.on_hand == D(30)
    assert series.usage == (666, 667, 667)
    assert series.total() == D(20)


def test_daily_series_of_a_line_not_counted_on_hand_uses_its_receipts() -> None:
    events = [StockEvent(at(MONDAY + timedelta(days=k)), D(5), False) for k in (1, 4, 8)]
    series = daily_series(events, first=MONDAY, last=MONDAY + timedelta(days=9))
    assert series is not None and series.on_hand is None and series.source == "receipts"
    assert series.total() == D(15)


def test_too_little_history_is_not_replayed() -> None:
    result = simulate([line()], {1: Levels(par_level=D(40))}, {1: steady(days=10)})
    assert result.outcomes == () and result.too_little_history == (1,)


def test_totals_add_up_the_lines_and_share_deliveries_by_source() -> None:
    first, second = line(), line(setting_id=2, item_code="TAPE")
    levels = {1: Levels(par_level=D(40)), 2: Levels(par_level=D(60))}
    result = simulate([first, second], levels, {1: steady(days=28), 2: steady(days=28)})
    one, two = result.outcomes
    assert result.totals.stockout_days == one.stockout_days + two.stockout_days
    assert result.totals.order_lines == one.order_lines + two.order_lines
    # Same source and the same delivery days: one delivery a day for both lines.
    assert result.totals.deliveries == max(one.deliveries, two.deliveries)
    assert result.totals.average_value == one.average_value + two.average_value  # type: ignore[operator]
    assert result.totals.peak_value <= one.peak_value + two.peak_value  # type: ignore[operator]


usage_days = st.lists(st.integers(0, 3000), min_size=1, max_size=70)


@settings(max_examples=150, deadline=None)
@given(
    usage=usage_days,
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    weekday=st.integers(0, 6),
    on_hand=st.integers(0, 100),
    par=st.integers(0, 80),
    more=st.integers(1, 40),
)
def test_raising_a_par_never_adds_a_stockout(
    usage: list[int], weekdays: frozenset[int], weekday: int, on_hand: int, par: int, more: int
) -> None:
    # One pack a unit and an order that arrives by the next count: the shelf under the higher
    # PAR is never lower. (With bigger packs, rounding up can let a lower PAR end higher.)
    start = MONDAY + timedelta(days=weekday)
    series = DailySeries(start, D(on_hand), tuple(usage), "counts")
    setting = line(delivery_weekdays=weekdays, lead_time_days=1)
    lower = replay(setting, Levels(par_level=D(par)), series)
    higher = replay(setting, Levels(par_level=D(par + more)), series)
    assert higher.stockout_days <= lower.stockout_days
    assert higher.unmet <= lower.unmet


@settings(max_examples=150, deadline=None)
@given(
    days=st.integers(1, 90),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    level=st.integers(0, 100),
    extra=st.integers(0, 50),
    pack=st.integers(1, 12),
    moq=st.none() | st.integers(1, 5),
    lead=st.integers(0, 9),
    min_max=st.booleans(),
)
def test_a_line_with_no_usage_never_orders(
    days: int,
    weekdays: frozenset[int],
    level: int,
    extra: int,
    pack: int,
    moq: int | None,
    lead: int,
    min_max: bool,
) -> None:
    # Starting at or above its level, with nothing used and nothing expiring.
    series = DailySeries(MONDAY, D(level + extra), (0,) * days, "counts")
    setting = line(
        delivery_weekdays=weekdays,
        pack_size=D(pack),
        moq=moq,
        lead_time_days=lead,
        method=Method.MIN_MAX if min_max else Method.PAR,
    )
    levels = (
        Levels(min_level=D(level), max_level=D(level + 10))
        if min_max
        else Levels(par_level=D(level))
    )
    outcome = replay(setting, levels, series)
    assert outcome.order_lines == 0
    assert outcome.stockout_days == 0


def test_leanest_par_for_every_day_is_the_hand_checked_60() -> None:
    # From the table above: PAR 60 has no stockout; PAR 59 leaves 29 on Thursday evening for
    # the 30 used Friday to Sunday, so Sunday runs out.
    found = find_leanest(line(), steady(days=28), Levels(par_level=D(40)), service_level=D(100))
    assert found.met and found.level == D(60)
    assert found.outcome.stockout_days == 0
    missed = replay(line(), Levels(par_level=D(59)), steady(days=28))
    assert missed.stockout_days > 0


def test_leanest_stops_at_the_storage_capacity_and_says_so() -> None:
    found = find_leanest(
        line(storage_capacity=D(45)), steady(days=28), Levels(par_level=D(40)), service_level=D(100)
    )
    assert not found.met and found.level == D(45)
    assert "storage capacity" in found.note


def test_leanest_min_max_keeps_the_share_of_min() -> None:
    found = find_leanest(
        line(method=Method.MIN_MAX),
        steady(days=28),
        Levels(min_level=D(20), max_level=D(40)),
        service_level=D(90),
    )
    assert found.met and found.levels.max_level is not None
    assert found.levels.min_level == (found.levels.max_level / 2).to_integral_value(
        rounding="ROUND_FLOOR"
    )


@settings(max_examples=60, deadline=None)
@given(usage=st.lists(st.integers(0, 2000), min_size=28, max_size=60), target=st.integers(50, 100))
def test_leanest_level_meets_the_target_and_one_less_does_not(
    usage: list[int], target: int
) -> None:
    series = DailySeries(MONDAY, D(20), tuple(usage), "counts")
    found = find_leanest(line(), series, Levels(par_level=D(10)), service_level=D(target))
    if not found.met:
        # Out of reach: the 20 on the shelf ran out before any order could arrive.
        assert found.outcome.service_level < target and "Misses" in found.note
        return
    assert found.outcome.service_level >= target
    if found.level:
        below = replay(line(), Levels(par_level=found.level - 1), series)
        assert below.service_level < target


@settings(max_examples=120, deadline=None)
@given(
    usage=st.lists(st.integers(0, 2500), min_size=1, max_size=60),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    on_hand=st.integers(0, 80),
    level=st.integers(0, 80),
    pack=st.sampled_from(["1", "5", "12", "2.5"]),
    moq=st.none() | st.integers(1, 4),
    multiple=st.none() | st.integers(1, 3),
    down=st.booleans(),
    lead=st.integers(0, 8),
    kind=st.sampled_from(list(CountType)),
    min_max=st.booleans(),
)
def test_remembering_answers_by_packs_changes_no_order(
    usage: list[int],
    weekdays: frozenset[int],
    on_hand: int,
    level: int,
    pack: str,
    moq: int | None,
    multiple: int | None,
    down: bool,
    lead: int,
    kind: CountType,
    min_max: bool,
) -> None:
    # A storage capacity too big to bind makes the replay ask the engine for every distinct
    # shelf; without it, answers are remembered by packs. The orders must be the same.
    terms = {
        "delivery_weekdays": weekdays,
        "pack_size": D(pack),
        "moq": moq,
        "lot_multiple": multiple,
        "rounding": Rounding.DOWN if down else Rounding.UP,
        "lead_time_days": lead,
        "count_type": kind,
        "method": Method.MIN_MAX if min_max else Method.PAR,
    }
    levels = (
        Levels(min_level=D(level), max_level=D(level + 15))
        if min_max
        else Levels(par_level=D(level))
    )
    series = DailySeries(MONDAY, D(on_hand), tuple(usage), "counts")
    remembered = replay(line(**terms), levels, series, trace=True)
    asked = replay(line(**terms, storage_capacity=D(10**9)), levels, series, trace=True)
    assert remembered.orders == asked.orders
    assert remembered.shelf == asked.shelf


@settings(max_examples=300, deadline=None)
@given(
    # Whole units as well, so the shelf lands exactly on a level now and then.
    usage=st.lists(
        st.integers(0, 2500) | st.integers(0, 25).map(lambda units: units * 100), max_size=60
    ),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    on_hand=st.none() | st.integers(0, 80),
    level=st.none() | st.integers(0, 80),
    pack=st.sampled_from(["1", "5", "12", "2.5", "0.333"]),
    moq=st.none() | st.integers(1, 4),
    lead=st.integers(0, 8),
    kind=st.sampled_from(list(CountType)),
    min_max=st.booleans(),
    price=st.none() | st.sampled_from(["3", "0.07"]),
)
def test_the_lean_loop_gives_the_full_loops_outcome(
    usage: list[int],
    weekdays: frozenset[int],
    on_hand: int | None,
    level: int | None,
    pack: str,
    moq: int | None,
    lead: int,
    kind: CountType,
    min_max: bool,
    price: str | None,
) -> None:
    # A line without shelf life or capacity, not traced, runs the lean loop; traced, the full
    # one. Every figure, the orders, the deliveries and the daily stock must be the same.
    setting = line(
        delivery_weekdays=weekdays,
        pack_size=D(pack),
        moq=moq,
        lead_time_days=lead,
        count_type=kind,
        method=Method.MIN_MAX if min_max else Method.PAR,
        pack_price=D(price) if price is not None else None,
    )
    value = D(level) if level is not None else None
    levels = (
        Levels(min_level=value, max_level=value + 15 if value is not None else None)
        if min_max
        else Levels(par_level=value)
    )
    series = DailySeries(
        MONDAY, D(on_hand) if on_hand is not None else None, tuple(usage), "counts"
    )
    lean_arrivals: set[tuple[str, int]] = set()
    full_arrivals: set[tuple[str, int]] = set()
    lean_stock: list[int] = []
    full_stock: list[int] = []
    lean = replay(setting, levels, series, arrivals_out=lean_arrivals, daily_stock=lean_stock)
    full = replay(
        setting, levels, series, trace=True, arrivals_out=full_arrivals, daily_stock=full_stock
    )
    assert full.shelf or not series.days + 1
    assert lean == replace(full, shelf=(), orders=())
    assert lean_arrivals == full_arrivals
    assert lean_stock == full_stock


@settings(max_examples=200, deadline=None)
@given(
    recorded=st.lists(
        st.tuples(
            st.integers(0, 90),  # day
            st.sampled_from([0, 7, 12, 18]),  # hour
            st.integers(-500, 9000),  # hundredths
            st.booleans(),  # a count
        ),
        max_size=25,
    ),
    first_day=st.integers(0, 60),
    span=st.integers(0, 60),
)
def test_the_exact_daily_series_is_the_reviews(
    recorded: list[tuple[int, int, int, bool]], first_day: int, span: int
) -> None:
    # The bulk reader works in hundredths on naive UTC times; the series must be the one the
    # review's StockEvents give, day for day (receipts before or after a count on one day,
    # two counts at one moment, waste, a period starting before or after the first count).
    start = datetime(2026, 1, 5)
    exact = [
        (start + timedelta(days=day, hours=hour), hundredths, count, hundredths / 100)
        for day, hour, hundredths, count in recorded
    ]
    events = [
        StockEvent(at.replace(tzinfo=UTC), D(str(quantity)), count)
        for at, _hundredths, count, quantity in exact
    ]
    first = MONDAY + timedelta(days=first_day)
    last = first + timedelta(days=span)
    ours = daily_series_exact(
        exact, first=first, last=last, on_hand=lambda quantity: D(str(quantity))
    )
    assert ours == daily_series(events, first=first, last=last)
