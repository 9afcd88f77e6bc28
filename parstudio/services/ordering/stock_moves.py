"""What moved for each item at each location since its count: open orders, receipts, transfers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parstudio.domain.count_evidence import LineActivity
from parstudio.domain.orders import OPEN_STATUSES, OrderKind, OrderStatus
from parstudio.models import Order, OrderLine, Receipt

Key = tuple[int, int]
"""(location id, item id)."""


def open_supply(session: Session) -> dict[Key, Decimal]:
    """Units on open orders not yet received, per destination and item."""
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


def ordered_counts(session: Session) -> dict[int, str]:
    """The order number each count line was already ordered from (cancelled orders aside)."""
    query = (
        select(OrderLine.count_line_id, Order.number)
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.count_line_id.is_not(None), Order.status != OrderStatus.CANCELLED.value)
    )
    return {line_id: number for line_id, number in session.execute(query) if line_id is not None}


def line_activity(session: Session, location_ids: Sequence[int] | None) -> dict[Key, LineActivity]:
    """The latest receipt, order and transfer out of each item at each location.

    An order counts from the moment it was approved (its line was created), whatever its state
    now but cancelled; a transfer out is a line of a storeroom transfer, seen from the storeroom.
    """
    ids = list(location_ids) if location_ids is not None else None
    receipts = select(Receipt.location_id, Receipt.item_id, func.max(Receipt.received_at))
    if ids is not None:
        receipts = receipts.where(Receipt.location_id.in_(ids))
    receipts = receipts.group_by(Receipt.location_id, Receipt.item_id)

    alive = Order.status != OrderStatus.CANCELLED.value
    orders = (
        select(OrderLine.location_id, OrderLine.item_id, func.max(OrderLine.created_at))
        .join(Order, Order.id == OrderLine.order_id)
        .where(alive)
    )
    if ids is not None:
        orders = orders.where(OrderLine.location_id.in_(ids))
    orders = orders.group_by(OrderLine.location_id, OrderLine.item_id)

    sent = (
        select(Order.source_location_id, OrderLine.item_id, func.max(OrderLine.created_at))
        .join(Order, Order.id == OrderLine.order_id)
        .where(alive, Order.kind == OrderKind.TRANSFER.value)
    )
    if ids is not None:
        sent = sent.where(Order.source_location_id.in_(ids))
    sent = sent.group_by(Order.source_location_id, OrderLine.item_id)

    moments: dict[Key, dict[str, datetime]] = {}
    for name, query in (
        ("received_at", receipts),
        ("ordered_at", orders),
        ("transferred_at", sent),
    ):
        for location_id, item_id, moment in session.execute(query):
            if location_id is not None and moment is not None:
                moments.setdefault((location_id, item_id), {})[name] = moment
    return {key: LineActivity(**found) for key, found in moments.items()}
