"""The demo department's year of waste (expired and damaged stock) and rush orders.

They have their own random stream, so adding them leaves the rest of the demo as it was.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from parstudio.demo.catalogue import COUNTERS
from parstudio.domain.enums import weekday_code
from parstudio.domain.orders import OrderKind, OrderStatus
from parstudio.domain.waste import WasteReason
from parstudio.models import Item, Location, Order, OrderLine, ParSetting, Supplier, Waste

WASTE_RECORDS = 48
RUSH_ORDERS = 16
# Most waste in a supply room is stock found past its date; some is opened or damaged packs.
REASONS = (WasteReason.EXPIRED,) * 7 + (WasteReason.DAMAGED,) * 3


def add_waste_and_rush_orders(
    session: Session, rng: random.Random, *, first: date, last: date, user: str
) -> None:
    """Waste records and received rush orders spread over the demo's history."""
    rows = session.execute(
        select(
            ParSetting.id.label("setting_id"),
            ParSetting.location_id,
            Location.kind,
            Item.id.label("item_id"),
            Item.shelf_life_days,
            Item.pack_price,
            Item.pack_size,
            Item.supplier_id,
        )
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .order_by(ParSetting.id)
    ).all()
    par_rows = [r for r in rows if r.kind != "STOREROOM"]
    _add_waste(session, rng, [r for r in par_rows if r.shelf_life_days], first, last)
    _add_rush_orders(session, rng, [r for r in par_rows if r.supplier_id], first, last, user)


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8 + rng.randrange(9), rng.randrange(60)), tzinfo=UTC)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _add_waste(
    session: Session, rng: random.Random, rows: list[Any], first: date, last: date
) -> None:
    if not rows:
        return
    records = []
    for _ in range(WASTE_RECORDS):
        row = rng.choice(rows)
        day = _day(rng, first, last)
        reason = rng.choice(REASONS)
        expired = reason is WasteReason.EXPIRED
        records.append(
            {
                "location_id": row.location_id,
                "item_id": row.item_id,
                "quantity": Decimal(rng.randint(1, 6)),
                "reason": reason.value,
                "lot": f"L{rng.randrange(10_000, 99_999)}",
                "expiry": day - timedelta(days=rng.randrange(1, 20)) if expired else None,
                "unit_cost": None
                if row.pack_price is None
                else Decimal(row.pack_price) / Decimal(row.pack_size),
                "note": "found past its date at the count" if expired else "pack opened or torn",
                "recorded_at": _moment(day, rng),
                "recorded_by": rng.choice(COUNTERS),
            }
        )
    session.execute(insert(Waste), records)


def _add_rush_orders(
    session: Session, rng: random.Random, rows: list[Any], first: date, last: date, user: str
) -> None:
    by_location: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for row in rows:
        by_location[(row.location_id, row.supplier_id)].append(row)
    if not by_location:
        return
    schedules = dict(session.execute(select(Supplier.id, Supplier.delivery_weekdays)).all())
    days = sorted(_day(rng, first, last - timedelta(days=3)) for _ in range(RUSH_ORDERS))
    serials: dict[int, int] = defaultdict(int)
    for order_day in days:
        # Numbered as approving a proposal numbers orders, so later orders follow on.
        serials[order_day.year] += 1
        serial = serials[order_day.year]
        key = rng.choice(sorted(by_location))
        location_id, supplier_id = key
        # Half are marked rush by whoever placed them; the others only show as off schedule:
        # delivered the next day although the supplier does not deliver on that day.
        marked = rng.random() < 0.5
        expected = _off_schedule_day(order_day, schedules.get(supplier_id) or "")
        # Dated when it was placed, not when the demo was built: proposals read the moment
        # an item was last ordered to tell whether its count still stands.
        placed = _moment(order_day, rng)
        order_id = session.execute(
            insert(Order).returning(Order.id),
            {
                "number": f"PO-{order_day.year}-{serial:05d}",
                "kind": OrderKind.PURCHASE.value,
                "supplier_id": supplier_id,
                "status": OrderStatus.RECEIVED.value,
                "order_date": order_day,
                "expected_date": expected,
                "sent_at": placed,
                "created_at": placed,
                "updated_at": placed,
                "approved_by": user,
                "updated_by": user,
                "rush": marked,
                "notes": "Stat order: ran short before the next delivery",
            },
        ).scalar_one()
        picked = rng.sample(by_location[key], min(len(by_location[key]), rng.randint(1, 3)))
        lines = []
        for row in picked:
            packs = rng.randint(1, 3)
            lines.append(
                {
                    "order_id": order_id,
                    "par_setting_id": row.setting_id,
                    "location_id": location_id,
                    "item_id": row.item_id,
                    "packs": packs,
                    "proposed_packs": packs,
                    "pack_size": row.pack_size,
                    "pack_price": row.pack_price,
                    "received_units": Decimal(packs) * Decimal(row.pack_size),
                    "explanation": "Rush order placed by phone",
                    "created_at": placed,
                }
            )
        session.execute(insert(OrderLine), lines)


def _off_schedule_day(order_day: date, weekdays: str) -> date:
    """The first day after the order on which the supplier has no delivery (or the next day)."""
    allowed = {d for d in weekdays.split(",") if d}
    for ahead in range(1, 8):
        day = order_day + timedelta(days=ahead)
        if weekday_code(day) not in allowed:
            return day
    return order_day + timedelta(days=1)
