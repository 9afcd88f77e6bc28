"""Order proposals: the latest counts of many PAR settings through the order engine, in batches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from parstudio.domain.enums import CountType, Method, Rounding, weekday_code
from parstudio.domain.flexpar import SeasonalLevel, levels_in_force
from parstudio.domain.orders import OPEN_STATUSES, OrderKind, Proposal, ProposalLine
from parstudio.domain.replenishment import LineStatus, OrderInput, compute_order
from parstudio.models import (
    Bin,
    Count,
    CountLine,
    Item,
    Location,
    Order,
    OrderLine,
    ParSetting,
    Supplier,
)
from parstudio.services.core.database import Database
from parstudio.services.review.seasons import seasons_of

_store = aliased(Location)
_item_supplier = aliased(Supplier)


def locations_due(db: Database, *, on: date) -> list[int]:
    """PAR locations whose delivery schedule includes this day (no schedule: every day)."""
    code = weekday_code(on)
    query = select(Location.id, Location.delivery_weekdays).where(
        Location.active.is_(True), Location.kind != "STOREROOM"
    )
    with db.reading() as session:
        return [
            location_id
            for location_id, days in session.execute(query)
            if not days or code in days.split(",")
        ]


def _latest_count_line() -> Any:
    """The id of the setting's latest line among finished counts; an open count is not in.

    A correlated lookup per setting walks the (item, location, time) index backwards, which
    is far quicker on years of history than ranking every count line with a window function.
    """
    return (
        select(CountLine.id)
        .join(Count, Count.id == CountLine.count_id)
        .where(
            CountLine.item_id == ParSetting.item_id,
            CountLine.location_id == ParSetting.location_id,
            Count.finished_at.is_not(None),
        )
        .order_by(CountLine.recorded_at.desc(), CountLine.id.desc())
        .limit(1)
        .correlate(ParSetting)
        .scalar_subquery()
    )


def proposal_query(location_ids: Sequence[int] | None) -> Any:
    """The one query that reads every row a proposal needs."""
    latest = aliased(CountLine, name="latest")
    query = (
        # Plain columns, not ParSetting objects: building 100,000 ORM objects took longer
        # than the query itself.
        select(
            ParSetting.id,
            ParSetting.location_id,
            ParSetting.item_id,
            ParSetting.method,
            ParSetting.count_type,
            ParSetting.par_level,
            ParSetting.min_level,
            ParSetting.max_level,
            ParSetting.moq,
            ParSetting.lot_multiple,
            ParSetting.rounding,
            ParSetting.storage_capacity,
            ParSetting.weekly_usage,
            ParSetting.open_demand,
            ParSetting.open_supply,
            Location.code.label("location_code"),
            Location.default_count_type,
            Item.code.label("item_code"),
            Item.description,
            Item.unit,
            Item.pack_size,
            Item.pack_price,
            Item.shelf_life_days,
            Bin.code.label("bin_code"),
            latest.id.label("count_line_id"),
            latest.quantity,
            latest.recorded_at.label("counted_at"),
            _store.code.label("store_code"),
            func.coalesce(Supplier.code, _item_supplier.code).label("supplier_code"),
        )
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .outerjoin(Bin, Bin.id == ParSetting.bin_id)
        .outerjoin(latest, latest.id == _latest_count_line())
        .outerjoin(_store, _store.id == ParSetting.source_location_id)
        .outerjoin(Supplier, Supplier.id == ParSetting.source_supplier_id)
        .outerjoin(_item_supplier, _item_supplier.id == Item.supplier_id)
        .where(ParSetting.active.is_(True), Location.active.is_(True), Item.active.is_(True))
        .order_by(Location.code, Bin.sort_order.is_(None), Bin.sort_order, Bin.code, Item.code)
    )
    if location_ids is not None:
        query = query.where(ParSetting.location_id.in_(list(location_ids)))
    return query


def _open_supply(session: Session) -> dict[tuple[int, int], Decimal]:
    query = (
        select(
            OrderLine.location_id,
            OrderLine.item_id,
            func.sum(OrderLine.packs * OrderLine.pack_size - OrderLine.received_units),
        )
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.status.in_([s.value for s in OPEN_STATUSES]))
        .group_by(OrderLine.location_id, OrderLine.item_id)
    )
    return {(loc, item): Decimal(qty or 0) for loc, item, qty in session.execute(query)}


def _ordered_counts(session: Session) -> dict[int, str]:
    query = (
        select(OrderLine.count_line_id, Order.number)
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.count_line_id.is_not(None), Order.status != "CANCELLED")
    )
    return {line_id: number for line_id, number in session.execute(query) if line_id is not None}


def propose_orders(
    db: Database, *, location_ids: Sequence[int] | None = None, on: date | None = None
) -> Proposal:
    """Compute the order proposal from the latest counts of the chosen (or all) locations.

    The levels are those in force on ``on`` (default today): a setting's season from the flex
    PAR calendar replaces or scales its own levels on the days it covers.
    """
    day = on or date.today()
    with db.reading() as session:
        # Core execution: plain rows, without the ORM loading machinery per row.
        rows = session.connection().execute(proposal_query(location_ids)).all()
        open_supply = _open_supply(session)
        ordered = _ordered_counts(session)
        # One query for every season; a department has few, so no filter by setting is needed.
        seasons = seasons_of(session, None)
        codes = sorted({row.location_code for row in rows})
    lines = [_line(row, open_supply, ordered, seasons, day) for row in rows]
    return Proposal(lines=tuple(lines), location_codes=tuple(codes))


_COUNT_TYPES = {kind.value: kind for kind in CountType}
_METHODS = {method.value: method for method in Method}
_ROUNDINGS = {rounding.value: rounding for rounding in Rounding}
_NONE = Decimal(0)


def _line(
    row: Any,
    open_supply: dict[tuple[int, int], Decimal],
    ordered: dict[int, str],
    seasons: dict[int, list[SeasonalLevel]],
    day: date,
) -> ProposalLine:
    # Unpacked by position: a hundred thousand rows read by name cost more than the query.
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
        store_code,
        supplier_code,
    ) = row
    count_type = _COUNT_TYPES[setting_count_type or default_type]
    par_note = min_note = max_note = ""
    own_seasons = seasons.get(setting_id)
    if own_seasons:
        levels = levels_in_force(
            par_level=par_level,
            min_level=min_level,
            max_level=max_level,
            seasons=own_seasons,
            day=day,
        )
        par_level, min_level, max_level = levels.par_level, levels.min_level, levels.max_level
        par_note, min_note, max_note = levels.par_note, levels.min_note, levels.max_note
    already = ordered.get(count_line_id) if count_line_id is not None else None
    counted = count_line_id is not None and already is None
    line_input = OrderInput(
        method=_METHODS[method],
        count_type=count_type,
        counted=counted,
        on_hand=quantity if count_type is CountType.ON_HAND else None,
        requested=quantity if count_type is CountType.ORDER_QTY else None,
        par_level=par_level,
        min_level=min_level,
        max_level=max_level,
        par_note=par_note,
        min_note=min_note,
        max_note=max_note,
        open_demand=open_demand or _NONE,
        open_supply=(setting_supply or _NONE) + open_supply.get((location_id, item_id), _NONE),
        pack_size=pack_size,
        moq=moq,
        lot_multiple=lot_multiple,
        rounding=_ROUNDINGS[rounding],
        storage_capacity=storage_capacity,
        shelf_life_days=shelf_life_days,
        daily_usage=(weekly / 7) if weekly is not None else None,
        unit=unit,
    )
    result = compute_order(line_input)
    explanation = result.explanation
    if already is not None and result.status is LineStatus.MISSING_COUNT:
        explanation = f"Already ordered on {already} from the latest count; count again to reorder."
    if store_code:
        source_kind, source_code = OrderKind.TRANSFER, store_code
    elif supplier_code:
        source_kind, source_code = OrderKind.PURCHASE, supplier_code
    else:
        source_kind, source_code = None, None
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
        status=result.status,
        on_hand=quantity,
        counted_at=counted_at,
        count_line_id=count_line_id,
        need=result.need,
        packs=result.packs,
        units=result.units,
        explanation=explanation,
        warnings=result.warnings,
        reason=result.reason if already is None else explanation,
        source_kind=source_kind,
        source_code=source_code,
        already_ordered=already,
    )
