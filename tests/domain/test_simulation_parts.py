"""A what-if comparison replayed in parts (as worker processes replay it) is the one-pass
comparison, figure for figure; and the shortcuts the parts take change nothing."""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from itertools import pairwise

from hypothesis import example, given, settings
from hypothesis import strategies as st

from parstudio.domain.enums import CountType, Method, Rounding
from parstudio.domain.simulation import Levels, SimSetting, replay
from parstudio.domain.simulation_compare import SimulationInput, compare, comparison_of
from parstudio.domain.simulation_engine import Answers, orderer
from parstudio.domain.simulation_parts import replay_part, same_levels
from parstudio.domain.simulation_run import simulate
from parstudio.domain.simulation_series import (
    DailySeries,
    daily_series,
    daily_series_exact,
)
from parstudio.domain.usage import StockEvent

MONDAY = date(2026, 1, 5)

lines = st.lists(
    st.tuples(
        st.lists(st.integers(0, 1500), min_size=0, max_size=60),  # usage, hundredths a day
        st.integers(0, 4),  # start, days after MONDAY
        st.none() | st.integers(0, 60),  # opening count
        st.sampled_from([None, 10, 25, 40]),  # current level
        st.sampled_from(["same", "same", "up", "down", "none"]),  # proposed against current
        st.booleans(),  # MIN/MAX
        st.sampled_from(["1", "5", "12"]),  # pack size
        st.sampled_from([frozenset({0}), frozenset({0, 3}), frozenset(range(5))]),
        st.sampled_from(["A", "B"]),  # source
        st.sampled_from([None, "3", "0.07"]),  # pack price
        st.sampled_from(list(CountType)),
    ),
    min_size=0,
    max_size=12,
)


def _levels(level: int | None, min_max: bool) -> Levels:
    value = D(level) if level is not None else None
    if min_max:
        return Levels(min_level=value, max_level=value + 15 if value is not None else None)
    return Levels(par_level=value)


def _input(drawn: list[tuple[object, ...]]) -> SimulationInput:
    settings_, series, current, proposed = [], {}, {}, {}
    for number, line in enumerate(drawn, start=1):
        usage, start, on_hand, level, change, min_max, pack, weekdays, source, price, kind = line
        assert isinstance(usage, list) and isinstance(start, int)
        settings_.append(
            SimSetting(
                setting_id=number,
                location_code="CT1",
                item_code=f"I{number}",
                method=Method.MIN_MAX if min_max else Method.PAR,
                count_type=kind,  # type: ignore[arg-type]
                pack_size=D(str(pack)),
                pack_price=D(str(price)) if price is not None else None,
                delivery_weekdays=weekdays,  # type: ignore[arg-type]
                source=str(source),
            )
        )
        series[number] = DailySeries(
            MONDAY + timedelta(days=start),
            D(on_hand) if on_hand is not None else None,  # type: ignore[arg-type]
            tuple(usage),
            "counts",
        )
        current[number] = _levels(level, bool(min_max))  # type: ignore[arg-type]
        if change == "same":
            proposed[number] = _levels(level, bool(min_max))  # type: ignore[arg-type]
        elif change != "none":
            moved = None if level is None else max(level + (7 if change == "up" else -7), 0)  # type: ignore[operator]
            proposed[number] = _levels(moved, bool(min_max))
    return SimulationInput(
        first=MONDAY,
        last=MONDAY + timedelta(days=70),
        scope="test",
        settings=tuple(settings_),
        series=series,
        current=current,
        proposed=proposed,
        proposed_name="test",
    )


@settings(max_examples=150, deadline=None)
@given(drawn=lines, cuts=st.lists(st.integers(0, 12), max_size=4), order=st.randoms())
def test_parts_in_any_order_are_the_one_pass_replays(
    drawn: list[tuple[object, ...]], cuts: list[int], order: object
) -> None:
    # Replayed in chunks (cut anywhere, finished in any order, pickled there and back as a
    # worker process sends them), the comparison is the two passes of ``simulate``, figure for
    # figure: every line's outcome, the totals (shared deliveries, the peak value of the
    # shelves, summed across chunks) and the lines left out.
    data = _input(drawn)
    current = simulate(data.settings, data.current, data.series, min_days=1)
    proposed = simulate(data.settings, data.proposed, data.series, min_days=1)
    bounds = sorted({0, len(data.settings), *(c for c in cuts if c <= len(data.settings))})
    answers: Answers = {}
    parts = [
        pickle.loads(
            pickle.dumps(
                replay_part(
                    data.settings[low:high],
                    data.current,
                    data.proposed,
                    data.series,
                    min_days=1,
                    answers=answers,
                )
            )
        )
        for low, high in pairwise(bounds)
    ]
    order.shuffle(parts)  # type: ignore[attr-defined]
    ours = comparison_of(data, parts)
    assert [line.current for line in ours.lines] == [
        o for o in current.outcomes if o.setting_id in proposed.by_setting()
    ]
    assert [line.proposed for line in ours.lines] == [
        proposed.by_setting()[line.setting.setting_id] for line in ours.lines
    ]
    # simulate keeps too-short lines out by MIN_DAYS; with min_days=1 only empty ones are.
    whole = replay_part(data.settings, data.current, data.proposed, data.series, min_days=1)
    assert tuple(whole.too_little_history) == current.too_little_history
    assert ours.too_little_history == tuple(
        s for s in data.settings if s.setting_id in set(current.too_little_history)
    )
    assert ours.current == current.totals
    assert ours.proposed == proposed.totals


@settings(max_examples=100, deadline=None)
@given(drawn=lines)
def test_compare_in_one_part_is_two_passes(drawn: list[tuple[object, ...]]) -> None:
    data = _input(drawn)
    ours = compare(data)
    assert ours.current == simulate(data.settings, data.current, data.series).totals
    assert ours.proposed == simulate(data.settings, data.proposed, data.series).totals


@settings(max_examples=150, deadline=None)
@given(
    usage=st.lists(st.lists(st.integers(0, 900), min_size=1, max_size=40), min_size=2, max_size=6),
    level=st.integers(0, 40),
    pack=st.sampled_from(["1", "5", "0.5"]),
    kind=st.sampled_from(list(CountType)),
    min_max=st.booleans(),
)
def test_sharing_the_engines_answers_between_lines_changes_nothing(
    usage: list[list[int]], level: int, pack: str, kind: CountType, min_max: bool
) -> None:
    # Lines of the same terms and levels share the engine's answers within one replay; each
    # line's outcome is what it is replayed alone.
    answers: Answers = {}
    for number, days in enumerate(usage, start=1):
        setting = SimSetting(
            setting_id=number,
            location_code="CT1",
            item_code="GAUZE",
            method=Method.MIN_MAX if min_max else Method.PAR,
            count_type=kind,
            pack_size=D(pack),
            delivery_weekdays=frozenset({0, 2, 4}),
        )
        levels = _levels(level, min_max)
        series = DailySeries(MONDAY, D(level // 2), tuple(days), "counts")
        alone = replay(setting, levels, series)
        assert replay(setting, levels, series, answers=answers) == alone


@settings(max_examples=300, deadline=None)
@given(
    usage=st.lists(st.integers(0, 1200), max_size=50),
    on_hand=st.none() | st.integers(-5, 60),
    level=st.none() | st.integers(0, 60),
    capacity=st.none() | st.integers(0, 70),
    shelf_life=st.sampled_from([None, 1, 3, 10, 49, 50, 51, 52, 53, 400]),
    weekly=st.none() | st.sampled_from(["20", "70"]),
    weekdays=st.sampled_from([frozenset(), frozenset({0}), frozenset({1, 4}), frozenset(range(7))]),
    lead=st.integers(0, 9),
    kind=st.sampled_from(list(CountType)),
    min_max=st.booleans(),
)
def test_a_line_whose_stock_never_expires_in_the_replay_runs_lean_to_the_same_outcome(
    usage: list[int],
    on_hand: int | None,
    level: int | None,
    capacity: int | None,
    shelf_life: int | None,
    weekly: str | None,
    weekdays: frozenset[int],
    lead: int,
    kind: CountType,
    min_max: bool,
) -> None:
    # Not traced, a line with storage capacity, or a shelf life longer than the replay, runs
    # the lean loop (days over capacity counted afterwards); traced, the full one with lots.
    # Every figure, the orders, deliveries and daily stock are the same (also with no delivery
    # day at all, and with a shelf life just one or two days past the replay's end).
    setting = SimSetting(
        setting_id=1,
        location_code="CT1",
        item_code="GAUZE",
        method=Method.MIN_MAX if min_max else Method.PAR,
        count_type=kind,
        pack_price=D(3),
        storage_capacity=D(capacity) if capacity is not None else None,
        shelf_life_days=shelf_life,
        weekly_usage=D(weekly) if weekly is not None else None,
        delivery_weekdays=weekdays,
        lead_time_days=lead,
        source="MED",
    )
    series = DailySeries(
        MONDAY, D(on_hand) if on_hand is not None else None, tuple(usage), "counts"
    )
    levels = _levels(level, min_max)
    lean_arrivals: set[tuple[str, int]] = set()
    full_arrivals: set[tuple[str, int]] = set()
    lean_stock: list[int] = []
    full_stock: list[int] = []
    lean = replay(setting, levels, series, arrivals_out=lean_arrivals, daily_stock=lean_stock)
    full = replay(
        setting, levels, series, trace=True, arrivals_out=full_arrivals, daily_stock=full_stock
    )
    assert lean == replace(full, shelf=(), orders=())
    assert lean_arrivals == full_arrivals
    assert lean_stock == full_stock


@settings(max_examples=400, deadline=None)
@given(
    queries=st.lists(
        # Shelves close to one another, below the levels: the caps tell them apart.
        st.tuples(st.integers(0, 3000), st.integers(0, 3000)),
        min_size=1,
        max_size=40,
    ),
    level=st.none() | st.integers(0, 45),
    pack=st.sampled_from(["1", "5", "12", "2.5", "0.333"]),
    moq=st.none() | st.integers(1, 4),
    multiple=st.none() | st.integers(1, 3),
    down=st.booleans(),
    capacity=st.none() | st.integers(0, 90) | st.just(35).map(lambda c: D("35.5")),
    shelf_life=st.none() | st.integers(1, 60),
    weekly=st.none() | st.sampled_from(["7", "20", "3.5", "10", "2.1", "100", "0"]),
    kind=st.sampled_from(list(CountType)),
    min_max=st.booleans(),
)
# Shelves of 11.2 and 11.8 come to the same packs below PAR 40, but at 10/7 a day for 10 days
# the shelf-life cap allows 3 units after one and 2 after the other.
@example(
    queries=[(1120, 0), (1180, 0)],
    level=40,
    pack="1",
    moq=None,
    multiple=None,
    down=False,
    capacity=None,
    shelf_life=10,
    weekly="10",
    kind=CountType.ON_HAND,
    min_max=False,
)
@example(
    queries=[(1120, 0), (1180, 0)],
    level=40,
    pack="1",
    moq=None,
    multiple=None,
    down=False,
    capacity=D("25.5"),
    shelf_life=None,
    weekly=None,
    kind=CountType.ON_HAND,
    min_max=False,
)
def test_remembering_a_capped_lines_answers_changes_no_order(
    queries: list[tuple[int, int]],
    level: int | None,
    pack: str,
    moq: int | None,
    multiple: int | None,
    down: bool,
    capacity: object,
    shelf_life: int | None,
    weekly: str | None,
    kind: CountType,
    min_max: bool,
) -> None:
    # A line with a storage or shelf-life cap remembers the engine's answers by the packs
    # before the caps and the packs each cap allows; every answer must be the engine's own,
    # asked afresh (an orderer with nothing remembered).
    setting = SimSetting(
        setting_id=1,
        location_code="CT1",
        item_code="GAUZE",
        method=Method.MIN_MAX if min_max else Method.PAR,
        count_type=kind,
        pack_size=D(pack),
        moq=moq,
        lot_multiple=multiple,
        rounding=Rounding.DOWN if down else Rounding.UP,
        storage_capacity=D(capacity) if capacity is not None else None,  # type: ignore[arg-type]
        shelf_life_days=shelf_life,
        weekly_usage=D(weekly) if weekly is not None else None,
    )
    levels = _levels(level, min_max)
    remembered = orderer(setting, levels, MONDAY, {})
    for on_hand, in_transit in queries:
        assert remembered(on_hand, in_transit, 0) == orderer(setting, levels, MONDAY)(
            on_hand, in_transit, 0
        )


def test_levels_are_the_same_only_to_the_last_written_digit() -> None:
    assert same_levels(Levels(D(5)), Levels(D(5)))
    assert not same_levels(Levels(D(5)), Levels(D("5.0")))
    assert not same_levels(Levels(D(5)), Levels(D(6)))
    assert not same_levels(Levels(D(5)), None)


@settings(max_examples=300, deadline=None)
@given(
    recorded=st.lists(
        st.tuples(
            st.integers(0, 12),  # days after the event before
            st.sampled_from([0, 9, 23]),  # hour
            st.integers(-300, 20000),  # hundredths
            st.booleans(),  # a count
        ),
        max_size=30,
    ),
    first_day=st.integers(0, 80),
    span=st.integers(0, 90),
)
def test_the_exact_series_spread_by_runs_of_days_is_the_reviews(
    recorded: list[tuple[int, int, int, bool]], first_day: int, span: int
) -> None:
    # Counts a day, a weekend or a week or more apart (the storeroom's and a weekly room's),
    # two on one day, receipts between them: the days appended run by run are the review's.
    at = datetime(2026, 1, 5)
    exact = []
    for gap, hour, hundredths, count in recorded:
        at = at.replace(hour=0) + timedelta(days=gap, hours=hour)
        exact.append((at, hundredths, count, hundredths / 100))
    events = [
        StockEvent(moment.replace(tzinfo=UTC), D(str(quantity)), count)
        for moment, _hundredths, count, quantity in exact
    ]
    first = MONDAY + timedelta(days=first_day)
    last = first + timedelta(days=span)
    ours = daily_series_exact(
        exact, first=first, last=last, on_hand=lambda quantity: D(str(quantity))
    )
    assert ours == daily_series(events, first=first, last=last)
