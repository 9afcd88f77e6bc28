"""The what-if replay's lean loop, for the common line, and the outcome of a replay."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import chain, islice
from operator import add

from parstudio.domain.simulation_engine import MIN_MAX, PACKS, Orderer, packs_shortcut
from parstudio.domain.simulation_records import CENT, Levels, LineOutcome, SimSetting
from parstudio.domain.simulation_series import HUNDRED, DailySeries, from_hundredths


def replay_lean(
    setting: SimSetting,
    levels: Levels,
    series: DailySeries,
    stock: int,
    order_for: Orderer,
    is_count: Sequence[bool],
    arrival_day: Sequence[int],
    arrivals_out: set[tuple[str, int]] | None,
    daily_stock: list[int] | None,
    capacity: int | None = None,
) -> Tally:
    """``replay`` for a line none of whose stock expires in the replay, no trace asked for:
    the same days in the same order, with no lots to look at, the deliveries due kept in a
    list by day, the days over ``capacity`` (hundredths) counted afterwards from the daily
    stock, and the engine's remembered answer looked up by a key worked out here
    (``packs_shortcut``). Its tally is the full loop's, figure for figure, without the list of
    orders (a traced replay keeps them; tests/domain/test_simulation.py checks it against the
    full loop)."""
    days = series.days
    opening = stock
    due = [0] * (max(days, max(arrival_day, default=0)) + 2)
    in_transit = order_lines = ordered = 0
    unmet = stockout_days = events = 0
    previous_out = False
    invalid = ""
    delivered: list[int] = []
    stocks: list[int] = []
    keep = stocks.append
    shortcut = packs_shortcut(setting, levels)
    how, level, pack, low = shortcut if shortcut is not None else (PACKS, 0, 1, 0)
    remembered: dict[int | bool, tuple[int, str]] = {}
    if is_count[0]:
        placed, invalid = order_for(stock, in_transit, 0)
        if placed:
            on = arrival_day[0]
            due[on] += placed
            in_transit += placed
            order_lines += 1
            ordered += placed
    # Stock rises only when a delivery arrives, so the peak is the opening shelf or a shelf
    # just delivered to.
    peak = max(stock, 0) if days else 0
    for day, used, counted in zip(
        range(1, days + 1), series.usage, islice(is_count, 1, None), strict=True
    ):
        arriving = due[day]
        if arriving:
            stock += arriving
            in_transit -= arriving
            delivered.append(day)
            if stock > peak:
                peak = stock
        if used > stock:
            unmet += used - stock
            stock = 0
            stockout_days += 1
            if not previous_out:
                events += 1
            previous_out = True
        else:
            stock -= used
            previous_out = False
        keep(stock)
        if counted:
            if shortcut is None:
                placed, problem = order_for(stock, in_transit, day)
            else:
                key: int | bool
                if how == PACKS:  # the packs of the level − on hand
                    key = -((stock - level) // pack) if stock < level else 0
                elif how == MIN_MAX:  # the packs of Max − (on hand + on the way), below Min
                    seen = stock + in_transit
                    key = -((seen - level) // pack) if seen < low and seen < level else 0
                else:  # a two-bin line signals
                    key = in_transit == 0 and stock <= level
                answer = remembered.get(key)
                if answer is None:
                    answer = remembered[key] = order_for(stock, in_transit, day)
                placed, problem = answer
            if problem and not invalid:
                invalid = problem
            if placed:
                on = arrival_day[day]
                due[on] += placed
                in_transit += placed
                order_lines += 1
                ordered += placed
    over = 0
    if capacity is not None and days:
        # Over capacity: the shelf once the day's delivery is in (yesterday's stock + due).
        shelved = map(add, chain((opening,), islice(stocks, days - 1)), islice(due, 1, days + 1))
        over = sum(map(capacity.__lt__, shelved))
    if daily_stock is not None:
        daily_stock.extend(stocks)
    if arrivals_out is not None:
        ordinal = series.start.toordinal()
        arrivals_out.update((setting.source, ordinal + day) for day in delivered)
    # No orders kept: a traced replay (the chart's) keeps them, and nothing else reads them.
    return (
        (stockout_days, events, order_lines, len(delivered), over),
        (sum(stocks), stock, peak, unmet, ordered, 0),
        invalid,
    )


Tally = tuple[tuple[int, int, int, int, int], tuple[int, int, int, int, int, int], str]
"""A replay's outcome as whole numbers: its counts (stockout days and events, order lines,
deliveries, days over capacity), its quantities in hundredths (the sum of the end-of-day
stock, the last day's stock, the peak, unmet, ordered and expired) and why its levels were
refused. Quick to send between processes; ``outcome_of`` makes the record."""


def outcome_of(
    setting: SimSetting, levels: Levels, series: DailySeries, tally: Tally
) -> LineOutcome:
    """The outcome record of an untraced replay from its tally."""
    counts, hundredths, invalid = tally
    return outcome(
        setting,
        levels,
        series,
        counts=counts,
        hundredths=hundredths,
        invalid=invalid,
        shelf=[],
        orders=[],
    )


def outcome(
    setting: SimSetting,
    levels: Levels,
    series: DailySeries,
    *,
    counts: tuple[int, int, int, int, int],
    hundredths: tuple[int, int, int, int, int, int],
    invalid: str,
    shelf: list[int],
    orders: list[tuple[int, int, int]],
) -> LineOutcome:
    """A replay's outcome from its counts (stockout days and events, order lines, deliveries,
    days over capacity) and its quantities in hundredths (the sum of the end-of-day stock, the
    last day's stock, the peak, unmet, ordered and expired)."""
    stockout_days, events, order_lines, deliveries, over = counts
    stock_sum, stock, peak, unmet, ordered, expired = hundredths
    days = series.days
    average = (
        (Decimal(stock_sum) / days / HUNDRED).quantize(CENT) if days else from_hundredths(stock)
    )
    price = setting.unit_price()
    peak_units = from_hundredths(peak)
    placed, units, due = zip(*orders, strict=True) if orders else ((), (), ())
    dates = _dates(series.start, max(due, default=0) + 1)
    on: Callable[[int], date] = dates.__getitem__
    if min(due, default=0) < 0:

        def on(day: int) -> date:
            # No delivery day at all (an empty calendar) books an order for day −1, as ever.
            return dates[day] if day >= 0 else series.start + timedelta(days=day)

    return LineOutcome(
        setting_id=setting.setting_id,
        levels=levels,
        days=days,
        stockout_days=stockout_days,
        stockout_events=events,
        unmet=from_hundredths(unmet),
        average_stock=average,
        peak_stock=peak_units,
        average_value=(average * price).quantize(CENT) if price is not None else None,
        peak_value=(peak_units * price).quantize(CENT) if price is not None else None,
        order_lines=order_lines,
        ordered_units=from_hundredths(ordered),
        deliveries=deliveries,
        days_over_capacity=over,
        expired_units=from_hundredths(expired),
        invalid=invalid,
        shelf=tuple(from_hundredths(s) for s in shelf),
        orders=tuple(zip(map(on, placed), map(_units, units), map(on, due), strict=True)),
        start=series.start,
    )


@lru_cache(maxsize=64)
def _dates(start: date, span: int) -> tuple[date, ...]:
    """The dates of days 0…span − 1 of a replay (cached: a location's lines share them)."""
    return tuple(start + timedelta(days=day) for day in range(span))


@lru_cache(maxsize=4096)
def _units(hundredths: int) -> Decimal:
    """Units from hundredths (cached: the same order sizes come back all year)."""
    return from_hundredths(hundredths)
