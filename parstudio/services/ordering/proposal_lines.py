"""One proposal line from one row of the proposal query: the count it rests on, then the engine."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from parstudio.domain.count_evidence import LineActivity, StaleCount, count_basis, stale_count
from parstudio.domain.enums import CountType, Method, Rounding
from parstudio.domain.flexpar import SeasonalLevel, levels_in_force
from parstudio.domain.orders import OrderKind, ProposalLine
from parstudio.domain.quantities import transfer_pack
from parstudio.domain.replenishment import LineStatus, OrderInput, OrderResult, compute_order

_COUNT_TYPES = {kind.value: kind for kind in CountType}
_METHODS = {method.value: method for method in Method}
_ROUNDINGS = {rounding.value: rounding for rounding in Rounding}
_NONE = Decimal(0)


@dataclass(frozen=True, slots=True)
class ProposalContext:
    """What every line of one proposal is computed against, read once."""

    day: date
    open_supply: dict[tuple[int, int], Decimal]
    ordered: dict[int, str]
    seasons: dict[int, list[SeasonalLevel]]
    explain: bool = False
    """Word every line at once (for a caller that reads them all: an export, a printout)."""


def build_line(row: Any, context: ProposalContext) -> ProposalLine:
    """The proposal line of one row of `proposal_query`."""
    # Unpacked by position: a hundred thousand rows read by name cost more than the query.
    # tests/services/ordering/test_proposal_query.py holds this order to PROPOSAL_COLUMNS.
    (
        setting_id,
        location_id,
        item_id,
        method,
        setting_count_type,
        par_level,
        min_level,
        max_level,
        moq,
        lot_multiple,
        rounding,
        storage_capacity,
        weekly,
        open_demand,
        setting_supply,
        location_code,
        default_type,
        item_code,
        description,
        unit,
        pack_size,
        pack_price,
        shelf_life_days,
        bin_code,
        count_line_id,
        quantity,
        counted_at,
        counted_by,
        store_code,
        issue_pack,
        supplier_code,
        received_since,
        ordered_since,
        transferred_since,
    ) = row
    count_type = _COUNT_TYPES[setting_count_type or default_type]
    par_note = min_note = max_note = ""
    own_seasons = context.seasons.get(setting_id)
    if own_seasons:
        levels = levels_in_force(
            par_level=par_level,
            min_level=min_level,
            max_level=max_level,
            seasons=own_seasons,
            day=context.day,
        )
        par_level, min_level, max_level = levels.par_level, levels.min_level, levels.max_level
        par_note, min_note, max_note = levels.par_note, levels.min_note, levels.max_note
    if store_code:
        # A storeroom issues in units (or its own issue pack), never in the supplier's packs;
        # the line's price is the supplier's, per unit, times the issue pack.
        source_kind, source_code = OrderKind.TRANSFER, store_code
        pack_size, pack_price = transfer_pack(issue_pack, pack_size, pack_price)
    elif supplier_code:
        source_kind, source_code = OrderKind.PURCHASE, supplier_code
    else:
        source_kind, source_code = None, None

    already = context.ordered.get(count_line_id) if count_line_id is not None else None
    stale = None
    moved = received_since or ordered_since or transferred_since
    if already is None and moved and count_type is not CountType.NOT_COUNTED:
        activity = LineActivity(
            received_at=received_since, ordered_at=ordered_since, transferred_at=transferred_since
        )
        stale = stale_count(counted_at, activity)
    line_input = OrderInput(
        method=_METHODS[method],
        count_type=count_type,
        counted=count_line_id is not None and already is None and stale is None,
        on_hand=quantity if count_type is CountType.ON_HAND else None,
        requested=quantity if count_type is CountType.ORDER_QTY else None,
        par_level=par_level,
        min_level=min_level,
        max_level=max_level,
        par_note=par_note,
        min_note=min_note,
        max_note=max_note,
        open_demand=open_demand or _NONE,
        open_supply=(setting_supply or _NONE)
        + context.open_supply.get((location_id, item_id), _NONE),
        pack_size=pack_size,
        moq=moq,
        lot_multiple=lot_multiple,
        rounding=_ROUNDINGS[rounding],
        storage_capacity=storage_capacity,
        shelf_life_days=shelf_life_days,
        daily_usage=(weekly / 7) if weekly is not None else None,
        unit=unit,
    )
    if context.explain:  # every line is read: the engine once, with the words
        basis = _basis(line_input.count_type, quantity, counted_at, counted_by)
        result = compute_order(replace(line_input, basis=basis))
    else:  # the numbers now, the words when the line is read: most of 100,000 lines never are
        result = compute_order(line_input, explain=False)
    explained: str | Explanation
    if result.reason is None:  # computed: ORDER or NOTHING TO ORDER
        status, reason = result.status, None
        explained = (
            result.explanation
            if context.explain
            else Explanation(line_input, quantity, counted_at, counted_by)
        )
    else:
        basis = _basis(count_type, quantity, counted_at, counted_by)
        status, explained, reason = _status(result, basis, already, stale)
    return ProposalLine(
        setting_id=setting_id,
        location_id=location_id,
        location_code=location_code,
        item_id=item_id,
        item_code=item_code,
        description=description,
        unit=unit,
        pack_size=pack_size,
        pack_price=pack_price,
        bin=bin_code,
        method=method,
        count_type=count_type,
        status=status,
        on_hand=quantity,
        counted_at=counted_at,
        count_line_id=count_line_id,
        need=result.need,
        packs=result.packs,
        units=result.units,
        explained=explained,
        warnings=result.warnings,
        reason=reason,
        source_kind=source_kind,
        source_code=source_code,
        already_ordered=already,
        counted_by=counted_by,
    )


@dataclass(frozen=True, slots=True)
class Explanation:
    """The words of a computed line, worked out when they are first read: the engine again,
    with the count the line rests on, so they are the very words of an explained run."""

    line_input: OrderInput
    quantity: Decimal | None
    counted_at: datetime | None
    counted_by: str | None

    def __call__(self) -> str:
        basis = _basis(self.line_input.count_type, self.quantity, self.counted_at, self.counted_by)
        return compute_order(replace(self.line_input, basis=basis)).explanation


def _basis(
    count_type: CountType, quantity: Decimal | None, counted_at: datetime | None, by: str | None
) -> str:
    """The count a line rests on, first in its explanation ("" when it has none)."""
    if counted_at is None:
        return ""
    return count_basis(count_type, quantity, counted_at.astimezone(), by)


def _status(
    result: OrderResult, basis: str, already: str | None, stale: StaleCount | None
) -> tuple[LineStatus, str, str | None]:
    """The line's status, explanation and reason, once the count's history is known."""
    if result.status is not LineStatus.MISSING_COUNT or result.reason is None:
        return result.status, result.explanation, result.reason
    if already is not None:
        text = f"{basis} → already ordered on {already}; count again to reorder"
        return LineStatus.ALREADY_ORDERED, text, text
    if stale is not None:
        text = f"{basis} → {stale.reason[0].lower()}{stale.reason[1:]}"
        return LineStatus.STALE_COUNT, text, stale.reason
    return result.status, result.explanation, result.reason
