"""The order-quantity engine: from a PAR setting and its latest count to the packs to order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from parstudio.domain.enums import CountType, Method, Rounding
from parstudio.domain.order_checks import check_levels, count_problems, finite
from parstudio.domain.quantities import (
    MINUS,
    ONE,
    ZERO,
    ceil_div,
    fill_level,
    floor_div,
    format_quantity,
    n_packs,
)

__all__ = [
    "MINUS",
    "LineStatus",
    "OrderInput",
    "OrderResult",
    "Step",
    "check_levels",
    "compute_order",
    "fill_level",
    "format_quantity",
]


class LineStatus(StrEnum):
    """What the engine made of one line."""

    ORDER = "ORDER"
    NOTHING_TO_ORDER = "NOTHING TO ORDER"
    MISSING_COUNT = "MISSING COUNT"
    STALE_COUNT = "NEEDS A NEW COUNT"
    """The latest count is older than the line's latest receipt, order or transfer."""
    ALREADY_ORDERED = "ALREADY ORDERED"
    """The latest count was already ordered from: informative, nothing for a person to do."""
    INVALID = "INVALID"

    @property
    def needs_a_person(self) -> bool:
        """Whether someone must act (count again, fix the setting) before the line can order."""
        return self in (LineStatus.MISSING_COUNT, LineStatus.STALE_COUNT, LineStatus.INVALID)


# The engine's records are not frozen: a proposal builds hundreds of thousands of them, and
# frozen dataclasses took a third longer to construct (see bench/README.md). Nothing changes
# them after construction.
@dataclass(slots=True, kw_only=True)
class OrderInput:
    """One PAR setting with its latest count, as the engine needs it (quantities in units)."""

    method: Method
    count_type: CountType
    counted: bool
    """True when a count has been recorded since the last order."""
    on_hand: Decimal | None = None
    requested: Decimal | None = None
    """The quantity entered on an ORDER QTY (requisition) count."""
    par_level: Decimal | None = None
    min_level: Decimal | None = None
    max_level: Decimal | None = None
    open_demand: Decimal = ZERO
    open_supply: Decimal = ZERO
    pack_size: Decimal = ONE
    moq: int | None = None
    """Minimum order quantity, in packs."""
    lot_multiple: int | None = None
    """Order in multiples of this many packs."""
    rounding: Rounding = Rounding.UP
    storage_capacity: Decimal | None = None
    """Units that fit at the location."""
    shelf_life_days: int | None = None
    daily_usage: Decimal | None = None
    unit: str = "EA"
    par_note: str = ""
    """Shown after the PAR level in the trace, e.g. " (winter ×1.3 of 31)" for a seasonal level."""
    min_note: str = ""
    max_note: str = ""
    basis: str = ""
    """The count the line rests on, first in the trace: "counted 14 on 4 Dec by anna"."""


@dataclass(slots=True)
class Step:
    """One step of the working: its label, its result and how it reads in the trace."""

    label: str
    """One of "need", "packs", "moq", "multiple", "storage cap", "shelf-life cap"."""
    value: Decimal
    """The result of the step: units for "need", packs for every other step."""
    text: str


@dataclass(slots=True, kw_only=True)
class OrderResult:
    """The engine's answer for one line: what to order, and why."""

    status: LineStatus
    need: Decimal
    """The need in units, before packs and modifiers."""
    packs: int
    units: Decimal
    """packs × pack size."""
    warnings: tuple[str, ...] = ()
    explanation: str = ""
    steps: tuple[Step, ...] = ()
    reason: str | None = None
    """Why the line was not computed, for INVALID and MISSING_COUNT."""
    capped: bool = False


def compute_order(line: OrderInput, *, explain: bool = True) -> OrderResult:
    """Return the packs to order for one line, with the working, following DOMAIN.md steps 1–6.

    ``explain=False`` leaves out the words of the working (no steps, no explanation; the
    warnings and reasons are kept): the same numbers, status and flags, for a proposal of
    100,000 lines that words only the lines someone reads (by calling again with the words).
    """
    problems = check_levels(
        line.method,
        line.par_level,
        line.min_level,
        line.max_level,
        line.pack_size,
        line.moq,
        line.lot_multiple,
        line.storage_capacity,
        count_type=line.count_type,
        shelf_life_days=line.shelf_life_days,
    )
    daily_usage = finite("Daily usage", line.daily_usage, problems)
    if daily_usage is not None and daily_usage < 0:
        problems.append("Daily usage must not be negative")
    if problems:
        return _not_computed(LineStatus.INVALID, problems)

    if line.count_type is CountType.NOT_COUNTED:
        return _not_computed(
            LineStatus.MISSING_COUNT, ["Count type is NOT COUNTED, so no order is proposed"]
        )
    if not line.counted:
        return _not_computed(LineStatus.MISSING_COUNT, ["No count since the last order"])
    problems = count_problems(
        line.count_type, line.on_hand, line.requested, line.open_demand, line.open_supply
    )
    if problems:
        return _not_computed(LineStatus.INVALID, problems)

    need, need_text = _need(line, explain)
    # Without words the steps are not kept: the list stands in for them, unread.
    steps = [Step("need", need, need_text)] if explain else []
    if need == 0:
        if explain:
            steps.append(Step("packs", ZERO, "nothing to order"))
        return _result(line, need, 0, steps, [], capped=False, explain=explain)

    pack = line.pack_size
    packs = ceil_div(need, pack)
    if explain:
        steps.append(Step("packs", Decimal(packs), f"{n_packs(packs)} of {format_quantity(pack)}"))

    if line.moq is not None:
        packs = max(packs, line.moq)
        if explain:
            steps.append(Step("moq", Decimal(packs), f"MOQ {line.moq} → {packs}"))

    if line.lot_multiple is not None:
        packs, text = _apply_multiple(packs, line.lot_multiple, line.rounding, line.moq)
        if explain:
            steps.append(Step("multiple", Decimal(packs), text))

    warnings: list[str] = []
    packs_before_caps = packs
    packs = _apply_storage_cap(line, packs, steps, warnings)
    packs = _apply_shelf_life_cap(line, packs, steps, warnings)
    capped = packs < packs_before_caps
    if capped and packs > 0:
        # The cap wins over the supplier's rules, but the clerk must know the line may be refused.
        if line.moq is not None and packs < line.moq:
            warnings.append(
                f"The capped order ({n_packs(packs)}) is below the MOQ of "
                f"{n_packs(line.moq)}; check with the supplier"
            )
        if line.lot_multiple is not None and packs % line.lot_multiple:
            warnings.append(
                f"The capped order ({n_packs(packs)}) is not a multiple of "
                f"{n_packs(line.lot_multiple)}; check with the supplier"
            )
    _warn_if_oversized(line, packs, warnings)
    return _result(line, need, packs, steps, warnings, capped=capped, explain=explain)


def _warn_if_oversized(line: OrderInput, packs: int, warnings: list[str]) -> None:
    """Warn when the packs bring more than twice the level the shelf is filled to."""
    level = fill_level(line.method, line.par_level, line.max_level)
    units = packs * line.pack_size
    if level is None or level <= 0 or units <= 2 * level:
        return
    name = "Max" if line.method is Method.MIN_MAX else "PAR"
    fq = format_quantity
    warnings.append(
        f"Orders {fq(units)} {line.unit}, more than twice the {name} of {fq(level)} "
        f"(packs of {fq(line.pack_size)}): check before approving"
    )


def _need(line: OrderInput, explain: bool) -> tuple[Decimal, str]:
    """Return the need in units (step 1) and how it reads in the trace ("" unless ``explain``)."""
    unit = line.unit
    fq = format_quantity
    if line.count_type is CountType.ORDER_QTY:
        assert line.requested is not None  # checked by count_problems
        if not explain:
            return line.requested, ""
        return line.requested, f"ORDER QTY: requested {fq(line.requested)} {unit}"
    if line.count_type is CountType.ORDER_PAR:
        # A two-bin MIN/MAX line has no PAR level; Max is its fill-to level.
        if line.method is Method.PAR:
            assert line.par_level is not None
            if not explain:
                return line.par_level, ""
            return line.par_level, f"ORDER PAR: PAR {fq(line.par_level)}{line.par_note} {unit}"
        assert line.max_level is not None
        if not explain:
            return line.max_level, ""
        return line.max_level, f"ORDER PAR: Max {fq(line.max_level)}{line.max_note} {unit}"

    assert line.on_hand is not None
    if line.method is Method.PAR:
        assert line.par_level is not None
        difference = line.par_level - line.on_hand
        need = ZERO if difference < 0 else difference
        if not explain:
            return need, ""
        text = (
            f"PAR {fq(line.par_level)}{line.par_note} − on hand {fq(line.on_hand)}"
            f" = {fq(difference)} {unit}"
        )
        if difference < 0:
            return need, f"{text}, not positive"
        return need, text

    assert line.min_level is not None and line.max_level is not None
    effective = line.on_hand - line.open_demand + line.open_supply
    below = effective < line.min_level
    need = line.max_level - effective if below else ZERO
    if not explain:
        return need, ""
    text = f"on hand {fq(line.on_hand)}"
    if line.open_demand:
        text += f" − demand {fq(line.open_demand)}"
    if line.open_supply:
        text += f" + supply {fq(line.open_supply)}"
    if line.open_demand or line.open_supply:
        text += f" = {fq(effective)}"
    if not below:
        return need, f"{text}, not below Min {fq(line.min_level)}{line.min_note}"
    shown = f"({fq(effective)})" if effective < 0 else fq(effective)
    return need, (
        f"{text} < Min {fq(line.min_level)}{line.min_note}"
        f" → Max {fq(line.max_level)}{line.max_note} − {shown}"
        f" = {fq(need)} {unit}"
    )


def _apply_multiple(
    packs: int, multiple: int, rounding: Rounding, moq: int | None
) -> tuple[int, str]:
    """Return packs rounded to the lot multiple (step 4) and how it reads in the trace."""
    up = -(-packs // multiple) * multiple
    if rounding is Rounding.UP:
        return up, f"multiple {multiple} UP → {up}"
    down = packs // multiple * multiple
    if down == 0:
        return up, f"multiple {multiple} DOWN would give 0, so UP → {up}"
    if moq is not None and down < moq:
        return up, f"multiple {multiple} DOWN would give {down}, below MOQ {moq}, so UP → {up}"
    return down, f"multiple {multiple} DOWN → {down}"


def _apply_storage_cap(line: OrderInput, packs: int, steps: list[Step], warnings: list[str]) -> int:
    """Return packs cut to what fits at the location (step 5), noting any cut."""
    if line.storage_capacity is None:
        return packs
    fq = format_quantity
    on_hand = line.on_hand if line.on_hand is not None else ZERO
    limit = floor_div(line.storage_capacity - on_hand, line.pack_size)
    if packs <= limit:
        return packs
    room = (
        f"({fq(line.storage_capacity)} − on hand {fq(on_hand)})"
        if line.on_hand is not None
        else fq(line.storage_capacity)
    )
    steps.append(
        Step(
            "storage cap",
            Decimal(limit),
            f"storage cap {room} ÷ {fq(line.pack_size)} → at most {limit} → {limit}",
        )
    )
    there = f" and {fq(on_hand)} {line.unit} are on hand" if line.on_hand is not None else ""
    warnings.append(
        f"Storage capacity cut this line from {n_packs(packs)} to {n_packs(limit)}: "
        f"{fq(line.storage_capacity)} {line.unit} fit{there}"
    )
    return limit


def _apply_shelf_life_cap(
    line: OrderInput, packs: int, steps: list[Step], warnings: list[str]
) -> int:
    """Return packs cut to what is used before it expires (step 5), noting any cut."""
    if line.shelf_life_days is None or line.daily_usage is None:
        return packs
    fq = format_quantity
    on_hand = line.on_hand if line.on_hand is not None else ZERO
    used = line.daily_usage * line.shelf_life_days
    limit = floor_div(used - on_hand, line.pack_size)
    if packs <= limit:
        return packs
    usage = f"{fq(line.daily_usage)} {line.unit}/day × {line.shelf_life_days} days"
    if line.on_hand is not None:
        usage = f"({usage} − on hand {fq(on_hand)})"
    steps.append(
        Step(
            "shelf-life cap",
            Decimal(limit),
            f"shelf life {usage} ÷ {fq(line.pack_size)} → at most {limit} → {limit}",
        )
    )
    there = f", and {fq(on_hand)} {line.unit} are on hand" if line.on_hand is not None else ""
    warnings.append(
        f"Shelf life cut this line from {n_packs(packs)} to {n_packs(limit)}: "
        f"at {fq(line.daily_usage)} {line.unit} a day only {fq(used)} {line.unit} are used "
        f"within the {line.shelf_life_days}-day shelf life{there}"
    )
    return limit


def _not_computed(status: LineStatus, problems: list[str]) -> OrderResult:
    """Return a result for a line that could not be computed, saying why."""
    reason = "; ".join(problems)
    return OrderResult(
        status=status, need=ZERO, packs=0, units=ZERO, explanation=reason, reason=reason
    )


def _result(
    line: OrderInput,
    need: Decimal,
    packs: int,
    steps: list[Step],
    warnings: list[str],
    *,
    capped: bool,
    explain: bool,
) -> OrderResult:
    """Return the result of a computed line, with its trace joined from the steps."""
    explanation = ""
    if explain:
        explanation = " → ".join(step.text for step in steps)
        if steps[-1].label != "packs":
            explanation += " pack" if packs == 1 else " packs"
        if line.basis:
            explanation = f"{line.basis} → {explanation}"
    return OrderResult(
        status=LineStatus.ORDER if packs > 0 else LineStatus.NOTHING_TO_ORDER,
        need=need,
        packs=packs,
        units=packs * line.pack_size,
        warnings=tuple(warnings),
        explanation=explanation,
        steps=tuple(steps) if explain else (),
        capped=capped,
    )
