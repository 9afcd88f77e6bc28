"""The order engine as a what-if replay asks it: ``compute_order`` for one line's count, its
answers remembered (the engine is pure) by the packs a count comes to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from parstudio.domain.enums import CountType, Method
from parstudio.domain.flexpar import levels_in_force
from parstudio.domain.quantities import fill_level, floor_div
from parstudio.domain.replenishment import LineStatus, OrderInput, compute_order
from parstudio.domain.simulation_records import ZERO, Levels, SimSetting
from parstudio.domain.simulation_series import HUNDRED, to_hundredths

Orderer = Callable[[int, int, int], tuple[int, str]]
"""(on hand, in transit, day number) → (units ordered in hundredths, why the levels were
refused or "")."""
Answers = dict[tuple[object, ...], dict[object, tuple[int, str]]]
"""The engine's answers remembered for lines of the same terms and levels, by those terms."""


def orderer(
    setting: SimSetting, levels: Levels, start: date, answers: Answers | None = None
) -> Orderer:
    """A function (on hand, in transit, day number) → (units ordered in hundredths, problem)
    for one line, through ``compute_order``.

    The engine is pure, so its answers are remembered. Without a cap, DOMAIN.md steps 2–4 make
    the order a function of the packs the need comes to (ceil(need ÷ pack size), then MOQ and
    lot multiple), so the answer is remembered by those packs: a year of daily counts asks the
    engine a few times per line, not hundreds. A line with a cap (which looks at the on-hand
    itself) or a season is remembered by its exact shelf.

    ``answers``, when given, is shared by the lines of one replay: a line whose terms and levels
    are another's (to the last written digit) gets the engine's answers that line got.
    """
    remembered: dict[object, tuple[int, str]] = (
        answers.setdefault(_terms(setting, levels), {})
        if answers is not None and not setting.seasons
        else {}
    )
    kind = setting.count_type
    weekly = setting.weekly_usage
    daily = weekly / 7 if weekly is not None else None
    filled_to = fill_level(setting.method, levels.par_level, levels.max_level)
    by_packs = _packs_key(setting, levels, daily)
    by_caps = _capped_key(setting, levels, daily) if by_packs is None else None

    def order_for(on_hand: int, in_transit: int, number: int) -> tuple[int, str]:
        if kind is CountType.NOT_COUNTED:
            return 0, ""
        day = start + timedelta(days=number) if setting.seasons else start
        seasonal = setting.seasons and any(s.contains(day) for s in setting.seasons)
        key: object
        if by_packs is not None and not seasonal:
            key = by_packs(on_hand, in_transit)
        elif by_caps is not None and not seasonal and on_hand >= 0:
            key = by_caps(on_hand, in_transit)
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
            level = fill_level(setting.method, par, high)
            counted = in_transit == 0 and level is not None and shelf <= level
        elif kind is CountType.ORDER_QTY:
            # A requisition asks for what brings the shelf back up to the level.
            level = fill_level(setting.method, par, high)
            requested = max((level if level is not None else filled_to or ZERO) - shelf, ZERO)
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


def _terms(setting: SimSetting, levels: Levels) -> tuple[object, ...]:
    """Everything of a line (without seasons) the engine's answer depends on besides the
    count: Decimals by their text, so 5 and 5.0 are not taken for one another."""
    return (
        setting.method,
        setting.count_type,
        str(setting.pack_size),
        setting.moq,
        setting.lot_multiple,
        setting.rounding,
        str(setting.storage_capacity),
        setting.shelf_life_days,
        str(setting.weekly_usage),
        setting.unit,
        str(levels.par_level),
        str(levels.min_level),
        str(levels.max_level),
    )


def _packs_key(setting: SimSetting, levels: Levels, daily: Decimal | None):  # type: ignore[no-untyped-def]
    """The packs (steps 1–2) a count comes to, in whole hundredths, as a key for the engine's
    answer; None when the answer may depend on more (a cap, or levels finer than hundredths)."""
    capped = setting.storage_capacity is not None or (
        setting.shelf_life_days is not None and daily is not None
    )
    return None if capped else _uncapped_key(setting, levels)


def _capped_key(setting: SimSetting, levels: Levels, daily: Decimal | None):  # type: ignore[no-untyped-def]
    """For a line with a cap: the packs before the caps (``_uncapped_key``) and the packs
    each cap allows, worked out as the engine works them out (DOMAIN.md step 5) from the
    shelf: the engine's answer is a function of these. None when the packs are not."""
    packs_key = _uncapped_key(setting, levels)
    if packs_key is None:
        return None
    pack, room = setting.pack_size, setting.storage_capacity
    life = setting.shelf_life_days
    used = daily * life if life is not None and daily is not None else None
    # The engine caps a count that is not an on-hand as if the shelf were empty.
    counted = setting.count_type is CountType.ON_HAND

    def key(on_hand: int, in_transit: int) -> object:
        shelf = Decimal(on_hand) / HUNDRED if counted else ZERO
        return (
            "capped",
            packs_key(on_hand, in_transit),
            floor_div(room - shelf, pack) if room is not None else None,
            floor_div(used - shelf, pack) if used is not None else None,
        )

    return key


def _uncapped_key(setting: SimSetting, levels: Levels):  # type: ignore[no-untyped-def]
    """The packs (steps 1–4) a count comes to, before any cap; None when levels or the pack
    are finer than hundredths, or the pack is not positive."""
    figures = (levels.par_level, levels.min_level, levels.max_level, setting.pack_size)
    if any(f is not None and (f * HUNDRED) % 1 for f in figures):
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


PACKS, MIN_MAX, SIGNAL = 0, 1, 2
"""How a count's key is worked out by ``packs_shortcut``'s caller: the packs of the level −
on hand; the packs of Max − (on hand + on the way) once that is below Min; or whether a
two-bin line signals (nothing on the way and the shelf down to the level)."""


def packs_shortcut(setting: SimSetting, levels: Levels) -> tuple[int, int, int, int] | None:
    """(how, fill level, pack size, Min or 0) in hundredths when the engine's answer on a
    count is a function of a key the replay can work out itself (a line without cap, season,
    or levels finer than hundredths: see ``_packs_key``, whose keys these are); otherwise
    None. ``how`` is PACKS (ON HAND PAR, requisitions), MIN_MAX (ON HAND MIN/MAX with a Min)
    or SIGNAL (two-bin)."""
    min_max = setting.method is Method.MIN_MAX
    fill = levels.max_level if min_max else levels.par_level
    kind = setting.count_type
    if setting.seasons or kind is CountType.NOT_COUNTED or fill is None:
        return None
    weekly = setting.weekly_usage
    if _packs_key(setting, levels, weekly / 7 if weekly is not None else None) is None:
        return None
    level, pack = to_hundredths(fill), to_hundredths(setting.pack_size)
    if kind is CountType.ORDER_PAR:
        return SIGNAL, level, pack, 0
    if kind is CountType.ORDER_QTY or not min_max:
        return PACKS, level, pack, 0
    if levels.min_level is None:
        return None
    return MIN_MAX, level, pack, to_hundredths(levels.min_level)
