"""What moved for each item at each location: open orders, and what moved since its count."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parstudio.domain.orders import OPEN_STATUSES, OrderKind, OrderStatus
from parstudio.models import Order, OrderLine, ParSetting, Receipt

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


def moved_since_count(latest: Any) -> tuple[Any, Any, Any]:
    """The latest receipt, order and transfer out after a setting's latest count, as scalar
    subqueries correlated to ParSetting and the ``latest`` count line (NULL: none since).

    Only what is later than the count is read: most lines have none, so few timestamps come
    back, and each lookup walks the (item, location, time) index from its end.
    """
    after = latest.recorded_at
    alive = Order.status != OrderStatus.CANCELLED.value
    received = (
        select(func.max(Receipt.received_at))
        .where(
            Receipt.item_id == ParSetting.item_id,
            Receipt.location_id == ParSetting.location_id,
            Receipt.received_at > after,
        )
        .scalar_subquery()
    )
    ordered = (
        select(func.max(OrderLine.created_at))
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            OrderLine.item_id == ParSetting.item_id,
            OrderLine.location_id == ParSetting.location_id,
            OrderLine.created_at > after,
            alive,
        )
        .scalar_subquery()
    )
    transferred = (
        select(func.max(OrderLine.created_at))
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            OrderLine.item_id == ParSetting.item_id,
            Order.source_location_id == ParSetting.location_id,
            Order.kind == OrderKind.TRANSFER.value,
            OrderLine.created_at > after,
            alive,
        )
        .scalar_subquery()
    )
    return received, ordered, transferred
