"""Orders as records: the list of orders, and one order with its lines in bin order."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parstudio.domain.orders import (
    OPEN_STATUSES,
    OrderKind,
    OrderLineRecord,
    OrderRecord,
    OrderStatus,
)
from parstudio.models import Bin, Item, Location, Order, OrderLine, ParSetting, Supplier
from parstudio.services.core.database import Database
from parstudio.services.core.store import get_or_raise


def _header_query() -> Any:
    supplier_name = func.coalesce(Supplier.name, Location.name)
    totals = (
        select(
            OrderLine.order_id,
            func.count(OrderLine.id).label("lines"),
            func.coalesce(func.sum(OrderLine.packs * OrderLine.pack_price), 0).label("total"),
        )
        .group_by(OrderLine.order_id)
        .subquery()
    )
    return (
        select(
            Order,
            func.coalesce(Supplier.code, Location.code),
            supplier_name,
            Supplier.account_number,
            totals.c.lines,
            totals.c.total,
        )
        .outerjoin(Supplier, Supplier.id == Order.supplier_id)
        .outerjoin(Location, Location.id == Order.source_location_id)
        .outerjoin(totals, totals.c.order_id == Order.id)
    )


def _record(row: Any, lines: tuple[OrderLineRecord, ...] = ()) -> OrderRecord:
    order: Order = row[0]
    return OrderRecord(
        id=order.id,
        number=order.number,
        kind=OrderKind(order.kind),
        status=OrderStatus(order.status),
        order_date=order.order_date,
        expected_date=order.expected_date,
        source_code=row[1] or "",
        source_name=row[2] or "",
        supplier_account=row[3],
        approved_by=order.approved_by,
        line_count=int(row[4] or 0),
        total=Decimal(row[5] or 0),
        version=order.version,
        lines=lines,
        notes=order.notes,
        rush=bool(order.rush),
    )


def list_orders(
    db: Database, *, statuses: Sequence[OrderStatus] | None = None, open_only: bool = False
) -> list[OrderRecord]:
    """Orders, newest first."""
    query = _header_query().order_by(Order.order_date.desc(), Order.number.desc())
    wanted = list(OPEN_STATUSES) if open_only else list(statuses or [])
    if wanted:
        query = query.where(Order.status.in_([s.value for s in wanted]))
    with db.reading() as session:
        return [_record(row) for row in session.execute(query)]


def get_order(db: Database, *, order_id: int) -> OrderRecord:
    """One order with its lines, in the destination's bin order."""
    with db.reading() as session:
        return load_order(session, order_id)


def load_order(session: Session, order_id: int) -> OrderRecord:
    """One order with its lines, read in an open session."""
    row = session.execute(_header_query().where(Order.id == order_id)).first()
    if row is None:
        get_or_raise(session, Order, order_id, "order")
        raise AssertionError("unreachable")
    query = (
        select(
            OrderLine,
            Location.code,
            Item.code,
            Item.description,
            Item.unit,
            Item.supplier_item_no,
            Bin.code,
            Item.serial_tracked,
        )
        .join(Location, Location.id == OrderLine.location_id)
        .join(Item, Item.id == OrderLine.item_id)
        .outerjoin(ParSetting, ParSetting.id == OrderLine.par_setting_id)
        .outerjoin(Bin, Bin.id == ParSetting.bin_id)
        .where(OrderLine.order_id == order_id)
        .order_by(Location.code, Bin.sort_order.is_(None), Bin.sort_order, Bin.code, Item.code)
    )
    lines = tuple(
        OrderLineRecord(
            id=line.id,
            location_code=location_code,
            item_id=line.item_id,
            item_code=item_code,
            description=description,
            unit=unit,
            supplier_item_no=supplier_item_no,
            bin=bin_code,
            packs=line.packs,
            proposed_packs=line.proposed_packs,
            pack_size=line.pack_size,
            pack_price=line.pack_price,
            received_units=line.received_units,
            explanation=line.explanation,
            overridden_by=line.overridden_by,
            serial_tracked=bool(serial_tracked),
            lot=line.lot,
            expiry=line.expiry,
        )
        for (
            line,
            location_code,
            item_code,
            description,
            unit,
            supplier_item_no,
            bin_code,
            serial_tracked,
        ) in session.execute(query)
    )
    return _record(row, lines)
