"""Stock for the demo's Rebalance page: a lot one room will not use before it expires while
another room uses the item fast, and one room above PAR while another is short.

A delivery put away just before each room's latest count of the item, and that count finding
it: the latest counts say so, and Rebalance has something to suggest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.rebalance import Holding
from parstudio.models import CountLine, Item, Receipt, Scan
from parstudio.services.ordering.across import read_places

EXPIRES_IN_DAYS = 14
LOT = "RB4471"
SURPLUS = Decimal(6)


def add_stock_to_rebalance(
    session: Session, *, today: date, weekly: Mapping[tuple[int, int], Decimal]
) -> None:
    """An expiring lot at a slow room and a fast room for it; a surplus and a shortage.

    ``weekly`` is each (location, item)'s planned weekly usage: the review has not learned
    it yet while the demo is built.
    """
    learned = [
        replace(
            p.holding,
            weekly_usage=weekly.get((p.holding.location_id, p.holding.item_id)),
        )
        for p in read_places(session, today=today)
    ]
    places = [
        holding
        for holding in learned
        if holding.usable
        and not holding.storeroom
        and holding.level is not None
        and holding.level >= 8
        and (holding.weekly_usage or 0) > 0
        and holding.open_supply == 0
    ]
    # Only an item with a shelf life comes in dated lots.
    dated = set(session.scalars(select(Item.id).where(Item.shelf_life_days > EXPIRES_IN_DAYS)))
    by_item: dict[int, list[Holding]] = {}
    for holding in places:
        by_item.setdefault(holding.item_id, []).append(holding)
    # The slowest room with a room that uses the item at least four times as fast: the lot
    # is generous, so the review's learned usage (near the plan, not equal to it) agrees.
    pairs = sorted(
        (
            (slow.daily_usage, -fast.daily_usage, slow.item_code, slow, fast)
            for item_id, held in by_item.items()
            if item_id in dated
            for slow in held
            for fast in held
            if fast.daily_usage * EXPIRES_IN_DAYS >= 30 and slow.daily_usage < fast.daily_usage / 4
        ),
        key=lambda pair: (pair[0], pair[1], pair[2], pair[3].location_code),
    )
    used: set[int] = set()
    used_item = None
    if pairs:
        *_keys, slow, fast = pairs[0]
        used, used_item = {slow.location_id, fast.location_id}, slow.item_id
        _expiring_lot(session, slow, fast, today)
    # Surplus and shortage: another item, two other rooms.
    others = sorted(
        (
            (above.item_code, above.location_code, below.location_code, above, below)
            for item_id, held in by_item.items()
            if item_id != used_item
            for above in held
            for below in held
            if above.location_id not in used and below.location_id not in (*used, above.location_id)
        ),
        key=lambda row: row[:3],
    )
    if others:
        *_codes, above, below = others[0]
        assert above.level is not None and below.level is not None
        _recount(session, above, above.level + SURPLUS, lot=None)
        _recount(session, below, max(below.level - SURPLUS, Decimal(0)), lot=None)


def _expiring_lot(session: Session, slow: Holding, fast: Holding, today: date) -> None:
    """A delivered lot the slow room cannot use in time; the fast room nearly out."""
    expiry = today + timedelta(days=EXPIRES_IN_DAYS)
    will_use = slow.daily_usage * EXPIRES_IN_DAYS
    lot_quantity = Decimal(math.ceil(will_use * Decimal("1.5"))) + 6
    assert slow.level is not None
    _recount(session, slow, slow.level + lot_quantity, lot=(LOT, expiry, lot_quantity))
    # The fast room is nearly out: it uses the lot well before it expires.
    _recount(session, fast, min(fast.on_hand or Decimal(0), Decimal(2)), lot=None)


def _recount(
    session: Session,
    holding: Holding,
    quantity: Decimal,
    *,
    lot: tuple[str, date, Decimal] | None,
) -> None:
    """The latest count of the line found ``quantity``; what the shelf gained was delivered
    shortly before it (the count, not a new one, so every count round stays whole)."""
    line = session.scalars(
        select(CountLine)
        .where(CountLine.location_id == holding.location_id, CountLine.item_id == holding.item_id)
        .order_by(CountLine.recorded_at.desc(), CountLine.id.desc())
        .limit(1)
    ).one()
    before = holding.on_hand or Decimal(0)
    if quantity > before:
        session.add(
            Receipt(
                location_id=holding.location_id,
                item_id=holding.item_id,
                quantity=quantity - before,
                received_at=line.recorded_at - timedelta(minutes=30),
                received_by="Receiving dock",
                lot=lot[0] if lot else None,
                expiry=lot[1] if lot else None,
            )
        )
    line.quantity = quantity
    if lot is not None:
        name, expiry, held = lot
        session.add(
            Scan(
                count_id=line.count_id,
                kind="GS1",
                raw=f"(17){expiry:%y%m%d}(10){name}",
                item_id=holding.item_id,
                lot=name,
                expiry=expiry,
                quantity_before=None,
                quantity_after=held,
                recorded_at=line.recorded_at,
                recorded_by=line.recorded_by,
            )
        )
    session.flush()
