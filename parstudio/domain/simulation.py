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
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from parstudio.domain.enums import CountType, Method, Rounding
from parstudio.domain.flexpar import SeasonalLevel, levels_in_force
from parstudio.domain.replenishment import LineStatus, OrderInput, compute_order
from parstudio.domain.simulation_series import (
    HUNDRED,
    DailySeries,
    calendar,
    from_hundredths,
    to_hundredths,
)

ZERO = Decimal(0)
ONE = Decimal(1)
PERCENT = Decimal("0.1")
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Levels:
    """The levels a line is replayed with (a PAR line's PAR, a MIN/MAX line's Min and Max)."""

    par_level: Decimal | None = None
    min_level: Decimal | None = None
    max_level: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SimSetting:
    """One PAR setting as the replay needs it: the order engine's terms and the calendar."""

    setting_id: int
    location_code: str
    item_code: str
    description: str = ""
    unit: str = "EA"
    method: Method = Method.PAR
    count_type: CountType = CountType.ON_HAND
    pack_size: Decimal = ONE
    pack_price: Decimal | None = None
    moq: int | None = None
    lot_multiple: int | None = None
    rounding: Rounding = Rounding.UP
    storage_capacity: Decimal | None = None
    shelf_life_days: int | None = None
    weekly_usage: Decimal | None = None
    """The setting's typed weekly usage: the proposal's shelf-life cap works from it."""
    source: str = ""
    """The supplier or storeroom the line is replenished from (a delivery is per source)."""
    lead_time_days: int = 1
    delivery_weekdays: frozenset[int] = frozenset({0})
    seasons: tuple[SeasonalLevel, ...] = ()

    def unit_price(self) -> Decimal | None:
        """The price of one unit of issue, when the pack price is known."""
        if self.pack_price is None or not self.pack_size:
            return None
        return self.pack_price / self.pack_size


@dataclass(frozen=True, slots=True, kw_only=True)
class LineOutcome:
    """What a replay of one line came to."""

    setting_id: int
    levels: Levels
    days: int
    stockout_days: int
    stockout_events: int
    """Runs of consecutive stockout days."""
    unmet: Decimal
    """Units of usage that could not be met (lost)."""
    average_stock: Decimal
    peak_stock: Decimal
    average_value: Decimal | None
    peak_value: Decimal | None
    order_lines: int
    ordered_units: Decimal
    deliveries: int
    days_over_capacity: int
    expired_units: Decimal
    invalid: str = ""
    """Why the engine refused the line's levels (then nothing was ordered)."""
    shelf: tuple[Decimal, ...] = ()
    """End-of-day stock of days 0…days, when asked for (the chart)."""
    orders: tuple[tuple[date, Decimal, date], ...] = ()
    """(day ordered, units, day due) of each order, when asked for."""
    start: date | None = None

    @property
    def service_level(self) -> Decimal:
        """Share of days without a stockout, in % (one decimal)."""
        if not self.days:
            return Decimal(100)
        return (Decimal(100) * (self.days - self.stockout_days) / self.days).quantize(PERCENT)


def replay(
    setting: SimSetting,
    levels: Levels,
    series: DailySeries,
    *,
    trace: bool = False,
    arrivals_out: set[tuple[str, int]] | None = None,
    daily_stock: list[int] | None = None,
) -> LineOutcome:
    """Replay one line's recorded usage against ``levels``; with ``trace`` keep its daily shelf
    and orders. ``arrivals_out`` collects (source, day ordinal) of its deliveries, and
    ``daily_stock`` its end-of-day stock in hundredths (days 1…), for the totals."""
    days = series.days
    is_count, arrival_day = calendar(
        series.start, days, setting.delivery_weekdays, setting.lead_time_days
    )
    start_level = levels.max_level if setting.method is Method.MIN_MAX else levels.par_level
    opening = series.on_hand if series.on_hand is not None else (start_level or ZERO)
    stock = to_hundredths(opening)
    capacity = (
        to_hundredths(setting.storage_capacity) if setting.storage_capacity is not None else None
    )
    shelf_life = setting.shelf_life_days
    lots: deque[list[int]] = deque()
    if shelf_life is not None and stock > 0:
        lots.append([shelf_life, stock])
    order_for = _orderer(setting, levels, series.start)
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
    average = (
        (Decimal(stock_sum) / days / HUNDRED).quantize(CENT) if days else from_hundredths(stock)
    )
    price = setting.unit_price()
    peak_units = from_hundredths(peak)
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
        deliveries=len(delivered_days),
        days_over_capacity=over,
        expired_units=from_hundredths(expired),
        invalid=invalid,
        shelf=tuple(from_hundredths(s) for s in shelf),
        orders=tuple(
            (
                series.start + timedelta(days=placed_on),
                from_hundredths(units),
                series.start + timedelta(days=due_on),
            )
            for placed_on, units, due_on in orders
        ),
        start=series.start,
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


def _orderer(setting: SimSetting, levels: Levels, start: date):  # type: ignore[no-untyped-def]
    """A function (on hand, in transit, day number) → (units ordered in hundredths, problem)
    for one line, through ``compute_order``.

    The engine is pure, so its answers are remembered. Without a cap, DOMAIN.md steps 2–4 make
    the order a function of the packs the need comes to (ceil(need ÷ pack size), then MOQ and
    lot multiple), so the answer is remembered by those packs: a year of daily counts asks the
    engine a few times per line, not hundreds. A line with a cap (which looks at the on-hand
    itself) or a season is remembered by its exact shelf.
    """
    remembered: dict[object, tuple[int, str]] = {}
    kind = setting.count_type
    weekly = setting.weekly_usage
    daily = weekly / 7 if weekly is not None else None
    fill_level = levels.max_level if setting.method is Method.MIN_MAX else levels.par_level
    by_packs = _packs_key(setting, levels, daily)

    def order_for(on_hand: int, in_transit: int, number: int) -> tuple[int, str]:
        if kind is CountType.NOT_COUNTED:
            return 0, ""
        day = start + timedelta(days=number) if setting.seasons else start
        seasonal = setting.seasons and any(s.contains(day) for s in setting.seasons)
        key: object
        if by_packs is not None and not seasonal:
            key = by_packs(on_hand, in_transit)
        else:
            key = (on_hand, in_transit, day if seasonal else None)
        known = remembered.get(key)
        if known is not None:
            return known
        par, low, high = levels.par_level, levels.min_level, levels.max_level
        if seasonal:
            found = levels_in_force(
                par_level=par, min_level=low, max_level=high, seasons=setting.seasons, day=day
            )
            par, low, high = found.par_level, found.min_level, found.max_level
        shelf = Decimal(on_hand) / HUNDRED
        counted = True
        requested = None
        if kind is CountType.ORDER_PAR:
            # Two bins of the level each: the empty bin is signalled once the first one is
            # used up, and not again while its refill is on the way.
            level = high if setting.method is Method.MIN_MAX else par
            counted = in_transit == 0 and level is not None and shelf <= level
        elif kind is CountType.ORDER_QTY:
            # A requisition asks for what brings the shelf back up to the level.
            level = high if setting.method is Method.MIN_MAX else par
            requested = max((level if level is not None else fill_level or ZERO) - shelf, ZERO)
        result = compute_order(
            OrderInput(
                method=setting.method,
                count_type=kind,
                counted=counted,
                on_hand=shelf if kind is CountType.ON_HAND else None,
                requested=requested,
                par_level=par,
                min_level=low,
                max_level=high,
                open_supply=Decimal(in_transit) / HUNDRED,
                pack_size=setting.pack_size,
                moq=setting.moq,
                lot_multiple=setting.lot_multiple,
                rounding=setting.rounding,
                storage_capacity=setting.storage_capacity,
                shelf_life_days=setting.shelf_life_days,
                daily_usage=daily,
                unit=setting.unit,
            )
        )
        problem = result.reason or "" if result.status is LineStatus.INVALID else ""
        answer = (to_hundredths(result.units), problem)
        remembered[key] = answer
        return answer

    if by_packs is None or setting.seasons or kind is CountType.NOT_COUNTED:
        return order_for

    def remembered_by_packs(on_hand: int, in_transit: int, number: int) -> tuple[int, str]:
        # The common case, kept short: it runs on every count day of every line.
        known = remembered.get(by_packs(on_hand, in_transit))
        return known if known is not None else order_for(on_hand, in_transit, number)

    return remembered_by_packs


def _packs_key(setting: SimSetting, levels: Levels, daily: Decimal | None):  # type: ignore[no-untyped-def]
    """The packs (steps 1–2) a count comes to, in whole hundredths, as a key for the engine's
    answer; None when the answer may depend on more (a cap, or levels finer than hundredths)."""
    capped = setting.storage_capacity is not None or (
        setting.shelf_life_days is not None and daily is not None
    )
    figures = (levels.par_level, levels.min_level, levels.max_level, setting.pack_size)
    if capped or any(f is not None and (f * HUNDRED) % 1 for f in figures):
        return None
    pack = to_hundredths(setting.pack_size)
    if pack <= 0:
        return None
    kind, min_max = setting.count_type, setting.method is Method.MIN_MAX
    fill = levels.max_level if min_max else levels.par_level
    level = to_hundredths(fill) if fill is not None else None
    low = to_hundredths(levels.min_level) if levels.min_level is not None else None

    def packs(need: int) -> int:
        return -(-need // pack) if need > 0 else 0

    if level is not None and kind is CountType.ON_HAND and not min_max:

        def par_key(on_hand: int, _in_transit: int) -> object:
            # ON HAND PAR: the packs of PAR − on hand (0 when on hand is at or above PAR).
            return -((on_hand - level) // pack) if on_hand < level else 0

        return par_key

    def key(on_hand: int, in_transit: int) -> object:
        if level is None:
            return "no level"
        if kind is CountType.ORDER_PAR:
            return ("signal", in_transit == 0 and on_hand <= level)
        if kind is CountType.ORDER_QTY:
            return ("asked", packs(level - on_hand))
        if min_max:
            effective = on_hand + in_transit
            return ("min/max", 0 if low is None or effective >= low else packs(level - effective))
        return ("par", packs(level - on_hand))

    return key
