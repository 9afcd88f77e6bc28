"""Exporting the orders and the item catalogue: sheets for reading and sharing, not importing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from parstudio.domain.listing_columns import CATALOGUE_COLUMNS, ORDER_COLUMNS
from parstudio.domain.orders import OrderStatus
from parstudio.domain.progress import Progress
from parstudio.models import Item, Location, Order, OrderLine, ParSetting, Supplier
from parstudio.reports.worksheet_write import write_sheet
from parstudio.services.core.database import Database
from parstudio.services.worksheets.export import barcodes_of


def export_orders(
    db: Database,
    *,
    path: Path | str,
    statuses: Sequence[OrderStatus] | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the orders (all, or those of the given statuses), one row per line; returns rows."""
    source = aliased(Location)
    destination = aliased(Location)
    query = (
        select(
            Order.number,
            Order.kind,
            Order.status,
            Order.order_date,
            Order.expected_date,
            func.coalesce(Supplier.code, source.code),
            func.coalesce(Supplier.name, source.name),
            destination.code,
            Item.code,
            Item.description,
            Item.unit,
            OrderLine.pack_size,
            OrderLine.packs,
            OrderLine.packs * OrderLine.pack_size,
            OrderLine.pack_price,
            OrderLine.packs * OrderLine.pack_price,
            OrderLine.received_units,
            Order.approved_by,
            OrderLine.explanation,
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(Item, Item.id == OrderLine.item_id)
        .join(destination, destination.id == OrderLine.location_id)
        .outerjoin(Supplier, Supplier.id == Order.supplier_id)
        .outerjoin(source, source.id == Order.source_location_id)
        .order_by(Order.order_date.desc(), Order.number.desc(), destination.code, Item.code)
    )
    if statuses:
        query = query.where(Order.status.in_([s.value for s in statuses]))
    with db.reading() as session:
        rows = session.execute(query).all()
    return write_sheet(
        path,
        ORDER_COLUMNS,
        (list(row) for row in rows),
        sheet_name="Orders",
        mark_columns=False,
        total=len(rows),
        progress=progress,
    )


def export_catalogue(
    db: Database,
    *,
    path: Path | str,
    include_inactive: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write the item catalogue, one row per item; returns the rows written."""
    stocked = (
        select(ParSetting.item_id, func.count(ParSetting.id).label("places"))
        .where(ParSetting.active.is_(True))
        .group_by(ParSetting.item_id)
        .subquery()
    )
    query = (
        select(
            Item.id,
            Item.code,
            Item.description,
            Item.unit,
            Item.pack_size,
            Supplier.code,
            Item.supplier_item_no,
            Item.pack_price,
            Item.category,
            Item.expensed,
            Item.consignment,
            Item.shelf_life_days,
            Item.billable,
            Item.charge_code,
            Item.charge_price,
            Item.serial_tracked,
            func.coalesce(stocked.c.places, 0),
            Item.active,
        )
        .outerjoin(Supplier, Supplier.id == Item.supplier_id)
        .outerjoin(stocked, stocked.c.item_id == Item.id)
        .order_by(Item.code)
    )
    if not include_inactive:
        query = query.where(Item.active.is_(True))
    with db.reading() as session:
        rows = session.execute(query).all()
        barcodes = barcodes_of(session, None)

    def values() -> Iterator[list[Any]]:
        for row in rows:
            yield [*row[1:9], barcodes.get(row[0]), *row[9:]]

    return write_sheet(
        path,
        CATALOGUE_COLUMNS,
        values(),
        sheet_name="Catalogue",
        mark_columns=False,
        total=len(rows),
        progress=progress,
    )
