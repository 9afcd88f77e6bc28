"""What-if replay: a period's recorded usage replayed day by day against a set of levels.

DOMAIN.md "What-if replay": start from the first recorded on-hand; each day take that day's
recorded usage off the shelf; on each count day of the location compute the order with the
real engine (``compute_order``) from the simulated shelf; the order arrives after the source's
lead time on its next delivery day. A stockout day is a day whose usage could not be met in
full; the unmet part is lost, not back-ordered.

Each day, in order: what is due arrives; stock past its shelf life is taken off (oldest first,
counted as expired); the day's usage is taken; on a count day, the shelf left at the end of the
day is counted and the order computed. Quantities run in hundredths of a unit as whole numbers
(see simulation_series); every order goes through ``compute_order`` in Decimal.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from parstudio.domain.quantities import fill_level
from parstudio.domain.simulation_engine import Answers, orderer
from parstudio.domain.simulation_lean import Tally, outcome, outcome_of, replay_lean
from parstudio.domain.simulation_records import (
    CENT,
    ONE,
    PERCENT,
    ZERO,
    Levels,
    LineOutcome,
    SimSetting,
)
from parstudio.domain.simulation_series import DailySeries, calendar, to_hundredths

__all__ = [
    "CENT",
    "ONE",
    "PERCENT",
    "ZERO",
    "Levels",
    "LineOutcome",
    "SimSetting",
    "replay",
    "replay_tally",
]


def replay(
    setting: SimSetting,
    levels: Levels,
    series: DailySeries,
    *,
    trace: bool = False,
    arrivals_out: set[tuple[str, int]] | None = None,
    daily_stock: list[int] | None = None,
    answers: Answers | None = None,
) -> LineOutcome:
    """Replay one line's recorded usage against ``levels``; with ``trace`` keep its daily shelf
    and orders. ``arrivals_out`` collects (source, day ordinal) of its deliveries, and
    ``daily_stock`` its end-of-day stock in hundredths (days 1…), for the totals; ``answers``
    the engine's answers shared by the lines of one replay (see ``orderer``)."""
    if not trace:
        tally = replay_tally(
            setting,
            levels,
            series,
            arrivals_out=arrivals_out,
            daily_stock=daily_stock,
            answers=answers,
        )
        return outcome_of(setting, levels, series, tally)
    traced = _replay(setting, levels, series, True, arrivals_out, daily_stock, answers)
    assert isinstance(traced, LineOutcome)
    return traced


def replay_tally(
    setting: SimSetting,
    levels: Levels,
    series: DailySeries,
    *,
    arrivals_out: set[tuple[str, int]] | None = None,
    daily_stock: list[int] | None = None,
    answers: Answers | None = None,
) -> Tally:
    """``replay`` without trace, its outcome as whole numbers (``outcome_of`` makes it)."""
    found = _replay(setting, levels, series, False, arrivals_out, daily_stock, answers)
    assert not isinstance(found, LineOutcome)
    return found


def _replay(
    setting: SimSetting,
    levels: Levels,
    series: DailySeries,
    trace: bool,
    arrivals_out: set[tuple[str, int]] | None,
    daily_stock: list[int] | None,
    answers: Answers | None,
) -> LineOutcome | Tally:
    """The replay: traced, its outcome (with shelf and orders); else its tally."""
    days = series.days
    is_count, arrival_day = calendar(
        series.start, days, setting.delivery_weekdays, setting.lead_time_days
    )
    start_level = fill_level(setting.method, levels.par_level, levels.max_level)
    opening = series.on_hand if series.on_hand is not None else (start_level or ZERO)
    stock = to_hundredths(opening)
    capacity = (
        to_hundredths(setting.storage_capacity) if setting.storage_capacity is not None else None
    )
    shelf_life = setting.shelf_life_days
    lots: deque[list[int]] = deque()
    if shelf_life is not None and stock > 0:
        lots.append([shelf_life, stock])
    order_for = orderer(setting, levels, series.start, answers)
    # Stock of a shelf life longer than the replay (even ordered with no delivery day, due
    # on day −1) never expires in it: its lots change nothing, so it runs the lean loop.
    if (shelf_life is None or shelf_life > days + 1) and not trace:
        return replay_lean(
            setting,
            levels,
            series,
            stock,
            order_for,
            is_count,
            arrival_day,
            arrivals_out,
            daily_stock,
            capacity,
        )
    due: dict[int, int] = {}
    in_transit = 0
    usage = series.usage
    stock_sum = peak = stockout_days = events = unmet = over = expired = 0
    order_lines = ordered = 0
    delivered_days: set[int] = set()
    shelf: list[int] = [stock] if trace else []
    orders: list[tuple[int, int, int]] = []
    previous_out = False
    invalid = ""
    if is_count[0]:
        placed, invalid = order_for(stock, in_transit, 0)
        if placed:
            in_transit += _place(placed, 0, arrival_day, due, lots, shelf_life, orders)
            order_lines += 1
            ordered += placed
    for day in range(1, days + 1):
        arriving = due.pop(day, 0)
        if arriving:
            stock += arriving
            in_transit -= arriving
            delivered_days.add(day)
        if stock > peak:
            peak = stock
        if capacity is not None and stock > capacity:
            over += 1
        if lots:
            while lots and lots[0][0] <= day:
                gone = min(lots.popleft()[1], stock)
                expired += gone
                stock -= gone
        used = usage[day - 1]
        if used > stock:
            unmet += used - stock
            _take(lots, stock)
            stock = 0
            stockout_days += 1
            if not previous_out:
                events += 1
            previous_out = True
        else:
            stock -= used
            if lots:
                oldest = lots[0]
                if 0 <= used < oldest[1]:  # the usual day: from the oldest lot alone
                    oldest[1] -= used
                else:
                    _take(lots, used)
            previous_out = False
        stock_sum += stock
        if daily_stock is not None:
            daily_stock.append(stock)
        if trace:
            shelf.append(stock)
        if is_count[day]:
            placed, problem = order_for(stock, in_transit, day)
            invalid = invalid or problem
            if placed:
                in_transit += _place(placed, day, arrival_day, due, lots, shelf_life, orders)
                order_lines += 1
                ordered += placed
    if arrivals_out is not None:
        ordinal = series.start.toordinal()
        arrivals_out.update((setting.source, ordinal + day) for day in delivered_days)
    counts = (stockout_days, events, order_lines, len(delivered_days), over)
    hundredths = (stock_sum, stock, peak, unmet, ordered, expired)
    if not trace:
        return counts, hundredths, invalid
    return outcome(
        setting,
        levels,
        series,
        counts=counts,
        hundredths=hundredths,
        invalid=invalid,
        shelf=shelf,
        orders=orders,
    )


def _place(
    units: int,
    day: int,
    arrival_day: Sequence[int],
    due: dict[int, int],
    lots: deque[list[int]],
    shelf_life: int | None,
    orders: list[tuple[int, int, int]],
) -> int:
    """Book an order placed on ``day``; the units now in transit."""
    on = arrival_day[day]
    due[on] = due.get(on, 0) + units
    if shelf_life is not None:
        lots.append([on + shelf_life, units])
    orders.append((day, units, on))
    return units


def _take(lots: deque[list[int]], units: int) -> None:
    """Use ``units`` from the oldest lots on the shelf (first expiring, first out)."""
    for lot in lots:
        if units <= 0:
            return
        taken = min(lot[1], units)
        lot[1] -= taken
        units -= taken
    while lots and lots[0][1] <= 0:
        lots.popleft()
