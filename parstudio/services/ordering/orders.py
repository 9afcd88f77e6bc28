"""Orders: approving a proposal into purchase orders and transfers, sending, receiving."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.enums import weekday_code
from parstudio.domain.errors import ConflictError, ValidationError
from parstudio.domain.orders import (
    ApprovedLine,
    OrderKind,
    OrderRecord,
    OrderStatus,
)
from parstudio.domain.progress import Progress, no_progress
from parstudio.domain.quantities import transfer_pack
from parstudio.domain.serials import check_serials, serial_from_scan
from parstudio.models import Item, Location, Order, OrderLine, ParSetting, Receipt, Supplier
from parstudio.services.core.database import Database
from parstudio.services.core.store import (
    check_version,
    chunks,
    get_or_raise,
    preload,
    writing,
)
from parstudio.services.ordering.across import refuse_below_par
from parstudio.services.ordering.order_records import get_order, list_orders, load_order

__all__ = [
    "approve_lines",
    "cancel_order",
    "expected_delivery",
    "get_order",
    "list_orders",
    "load_order",
    "mark_rush",
    "next_number",
    "receive_order",
    "send_order",
]


def expected_delivery(order_date: date, lead_time_days: int, weekdays: str | None) -> date:
    """The first delivery day on or after order date + lead time."""
    day = order_date + timedelta(days=max(lead_time_days, 0))
    allowed = [d for d in (weekdays or "").split(",") if d]
    if not allowed:
        return day
    for _ in range(7):
        if weekday_code(day) in allowed:
            return day
        day += timedelta(days=1)
    return day


def next_number(session: Session, prefix: str) -> str:
    """The next serial after the highest of a prefix (PO-2026-00042 → PO-2026-00043)."""
    numbers = session.scalars(
        select(Order.number).where(Order.number.like(f"{prefix}%")).order_by(Order.number.desc())
    )
    for number in numbers:
        # Numbers not of the serial form (the demo's rush orders, PO-2026-R016) are not counted.
        serial = number[len(prefix) :]
        if serial.isdigit():
            return f"{prefix}{int(serial) + 1:05d}"
    return f"{prefix}00001"


def approve_lines(
    db: Database,
    *,
    lines: Sequence[ApprovedLine],
    order_date: date | None = None,
    progress: Progress | None = None,
) -> list[OrderRecord]:
    """Turn approved proposal lines into draft orders: one per supplier and one per storeroom.

    All or nothing, in one transaction. ``progress`` hears (lines done, lines in all), twice
    over: as the lines are sorted into orders, then as the orders are written; raising
    CancelledError in it writes nothing.
    """
    order_date = order_date or date.today()
    report = progress or no_progress
    for line in lines:
        if line.packs < 0:
            raise ValidationError("An order quantity cannot be negative.", field="packs")
    wanted = [line for line in lines if line.packs > 0]
    if not wanted:
        raise ValidationError("There is nothing to order: every line is 0.")
    with writing(db) as session:
        groups: dict[tuple[OrderKind, int], list[tuple[ApprovedLine, ParSetting, Item]]] = (
            defaultdict(list)
        )
        # A department's approval is tens of thousands of lines: its settings and items read
        # in a few queries, not two each (held here: the session keeps only weak references).
        settings = preload(session, ParSetting, {line.setting_id for line in wanted})
        items = {item.id: item for item in preload(session, Item, {s.item_id for s in settings})}
        total = 2 * len(wanted)
        for done, line in enumerate(wanted):
            if done % _REPORT_EVERY == 0:
                report(done, total)
            setting = get_or_raise(session, ParSetting, line.setting_id, "PAR setting")
            item = items.get(setting.item_id) or get_or_raise(
                session, Item, setting.item_id, "item"
            )
            groups[_source(session, setting, item, line.from_location_id)].append(
                (line, setting, item)
            )
        _refuse_reordering(session, wanted)
        refuse_below_par(session, _taken_from_surplus(groups), today=order_date)
        created = []
        done = len(wanted)
        for (kind, source_id), members in sorted(groups.items()):
            report(done, total)
            created.append(
                _create_order(session, db.user_name, kind, source_id, members, order_date)
            )
            session.flush()
            done += len(members)
        report(total, total)
        return [load_order(session, order.id) for order in created]


_REPORT_EVERY = 500


def _taken_from_surplus(
    groups: Mapping[tuple[OrderKind, int], list[tuple[ApprovedLine, ParSetting, Item]]],
) -> dict[tuple[int, int], Decimal]:
    """Units each (location, item) gives from its surplus on lines switched to a transfer."""
    taken: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for (_kind, source_id), members in groups.items():
        for line, _setting, item in members:
            if line.from_location_id is not None:
                taken[(source_id, item.id)] += Decimal(line.packs)
    return dict(taken)


def _source(
    session: Session, setting: ParSetting, item: Item, from_location_id: int | None = None
) -> tuple[OrderKind, int]:
    if from_location_id is not None:
        return OrderKind.TRANSFER, from_location_id  # surplus at another PAR location
    if setting.source_location_id is not None:
        return OrderKind.TRANSFER, setting.source_location_id
    supplier_id = setting.source_supplier_id or item.supplier_id
    if supplier_id is None:
        location = session.get(Location, setting.location_id)
        where = location.code if location else "this location"
        raise ValidationError(
            f"Item {item.code} at {where} has no supplier or storeroom to order from; "
            "set one on the item or its PAR setting."
        )
    return OrderKind.PURCHASE, supplier_id


def _refuse_reordering(session: Session, lines: Sequence[ApprovedLine]) -> None:
    count_ids = [line.count_line_id for line in lines if line.count_line_id is not None]
    for part in chunks(count_ids):
        taken = session.execute(
            select(Order.number)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(OrderLine.count_line_id.in_(part), Order.status != OrderStatus.CANCELLED)
        ).first()
        if taken is None:
            continue
        raise ConflictError(
            f"Some of these lines were already ordered on {taken[0]} (perhaps from another "
            "workstation). Refresh the proposal."
        )


def _create_order(
    session: Session,
    user: str,
    kind: OrderKind,
    source_id: int,
    members: list[tuple[ApprovedLine, ParSetting, Item]],
    order_date: date,
) -> Order:
    if kind is OrderKind.PURCHASE:
        supplier = session.get(Supplier, source_id)
        assert supplier is not None
        expected = expected_delivery(
            order_date, supplier.lead_time_days, supplier.delivery_weekdays
        )
        prefix = f"PO-{order_date.year}-"
    else:
        # A storeroom run goes out on the destination's next delivery day (today if it is
        # one); with several destinations, the earliest of them.
        destinations = session.scalars(
            select(Location.delivery_weekdays).where(
                Location.id.in_({setting.location_id for _line, setting, _item in members})
            )
        )
        expected = min(expected_delivery(order_date, 0, days) for days in destinations)
        prefix = f"TR-{order_date.year}-"
    order = Order(
        number=next_number(session, prefix),
        kind=kind.value,
        supplier_id=source_id if kind is OrderKind.PURCHASE else None,
        source_location_id=source_id if kind is OrderKind.TRANSFER else None,
        status=OrderStatus.DRAFT.value,
        order_date=order_date,
        expected_date=expected,
        approved_by=user,
        updated_by=user,
    )
    session.add(order)
    session.flush()
    issue_packs = (
        _issue_packs(session, source_id, {item.id for _line, _setting, item in members})
        if kind is OrderKind.TRANSFER
        else {}
    )
    for line, setting, item in members:
        pack_size, pack_price = item.pack_size, item.pack_price
        if line.from_location_id is not None:
            pack_size, pack_price = transfer_pack(None, item.pack_size, item.pack_price)
        elif kind is OrderKind.TRANSFER:
            # What a storeroom issues an item in (its setting's issue pack, else 1 unit).
            issue_pack = issue_packs.get(item.id)
            pack_size, pack_price = transfer_pack(issue_pack, item.pack_size, item.pack_price)
        session.add(
            OrderLine(
                order_id=order.id,
                par_setting_id=setting.id,
                count_line_id=line.count_line_id,
                location_id=setting.location_id,
                item_id=item.id,
                packs=line.packs,
                proposed_packs=line.proposed_packs,
                pack_size=pack_size,
                pack_price=pack_price,
                explanation=line.explanation,
                overridden_by=user if line.overridden else None,
            )
        )
    return order


def _issue_packs(
    session: Session, storeroom_id: int, item_ids: set[int]
) -> dict[int, Decimal | None]:
    """The issue packs a storeroom's settings give its items (item id → pack; none: no pack)."""
    found: dict[int, Decimal | None] = {}
    for part in chunks(sorted(item_ids)):
        query = select(ParSetting.item_id, ParSetting.issue_pack).where(
            ParSetting.location_id == storeroom_id,
            ParSetting.item_id.in_(part),
            ParSetting.issue_pack.is_not(None),
        )
        found.update({item_id: pack for item_id, pack in session.execute(query)})
    return found


def send_order(db: Database, *, order_id: int, expected_version: int | None = None) -> OrderRecord:
    """Mark a draft order as sent to the supplier (or released to the storeroom)."""
    with writing(db) as session:
        order = get_or_raise(session, Order, order_id, "order")
        check_version(order, expected_version, "order")
        if order.status != OrderStatus.DRAFT:
            raise ValidationError(f"Order {order.number} is {order.status.lower()}, not a draft.")
        order.status = OrderStatus.SENT.value
        order.sent_at = datetime.now(UTC)
        order.updated_by = db.user_name
        session.flush()
        return load_order(session, order.id)


def mark_rush(
    db: Database, *, order_id: int, rush: bool, expected_version: int | None = None
) -> OrderRecord:
    """Mark an order as a rush order (placed outside the delivery schedule), or unmark it."""
    with writing(db) as session:
        order = get_or_raise(session, Order, order_id, "order")
        check_version(order, expected_version, "order")
        if order.status == OrderStatus.CANCELLED:
            raise ValidationError(f"Order {order.number} is cancelled.")
        order.rush = rush
        order.updated_by = db.user_name
        session.flush()
        return load_order(session, order.id)


def cancel_order(db: Database, *, order_id: int) -> OrderRecord:
    """Cancel an order nothing has been received against; its lines can be proposed again."""
    with writing(db) as session:
        order = get_or_raise(session, Order, order_id, "order")
        if order.status not in (OrderStatus.DRAFT, OrderStatus.SENT):
            raise ValidationError(
                f"Order {order.number} is {order.status.lower()}; only drafts and sent orders "
                "with nothing received can be cancelled."
            )
        order.status = OrderStatus.CANCELLED.value
        order.updated_by = db.user_name
        session.flush()
        return load_order(session, order.id)


def receive_order(
    db: Database,
    *,
    order_id: int,
    received_units: Mapping[int, Decimal],
    received_at: datetime | None = None,
    serials: Mapping[int, Sequence[str]] | None = None,
) -> OrderRecord:
    """Record what arrived (units per order line); partial receipts leave the order open.

    A serial-tracked item's line takes its serials (by order line id): one per unit, each a
    receipt of 1; a serial already received for the item is refused, and nothing is recorded.
    """
    received_at = received_at or datetime.now(UTC)
    serials = serials or {}
    with writing(db) as session:
        order = get_or_raise(session, Order, order_id, "order")
        if order.status not in (OrderStatus.SENT, OrderStatus.PARTIAL, OrderStatus.DRAFT):
            raise ValidationError(f"Order {order.number} is {order.status.lower()}.")
        lines = {
            line.id: line
            for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order_id))
        }
        for line_id in serials:
            if line_id not in lines:
                raise ValidationError(f"Line {line_id} is not on order {order.number}.")
        for line_id, units in received_units.items():
            if line_id not in lines:
                raise ValidationError(f"Line {line_id} is not on order {order.number}.")
            if units < 0:
                raise ValidationError("A received quantity cannot be negative.", field="received")
            line = lines[line_id]
            item = session.get(Item, line.item_id)
            assert item is not None
            given = serials.get(line_id, ())
            if not item.serial_tracked and given:
                raise ValidationError(f"{item.code} is not serial-tracked: it takes no serials.")
            if units == 0:
                continue
            line.received_units = line.received_units + units
            for serial, quantity in _receipt_units(session, item, units, given):
                session.add(
                    Receipt(
                        location_id=line.location_id,
                        item_id=line.item_id,
                        quantity=quantity,
                        received_at=received_at,
                        received_by=db.user_name,
                        order_line_id=line.id,
                        serial=serial,
                        # A line that picks one lot (a rebalance) delivers that lot.
                        lot=line.lot,
                        expiry=line.expiry,
                    )
                )
            # The next line's check sees this line's serials (one item on two lines).
            session.flush()
        complete = all(
            line.received_units >= line.packs * line.pack_size for line in lines.values()
        )
        anything = any(line.received_units > 0 for line in lines.values())
        if complete:
            order.status = OrderStatus.RECEIVED.value
        elif anything:
            order.status = OrderStatus.PARTIAL.value
        order.updated_by = db.user_name
        session.flush()
        return load_order(session, order.id)


def _receipt_units(
    session: Session, item: Item, units: Decimal, serials: Sequence[str]
) -> list[tuple[str | None, Decimal]]:
    """The receipts of a line: (serial, 1) per unit of a serial-tracked item, else one."""
    if not item.serial_tracked:
        return [(None, units)]
    # Two receipts of one item at the same moment must not both take a serial: the item's row
    # is held until this one commits (PostgreSQL; SQLite's writes are serial already).
    session.execute(select(Item.id).where(Item.id == item.id).with_for_update())
    already = list(
        session.scalars(
            select(Receipt.serial).where(
                Receipt.item_id == item.id,
                Receipt.serial.in_([serial_from_scan(s) for s in serials]),
            )
        )
    )
    tidy = check_serials(
        item_code=item.code, units=units, serials=serials, already=[s for s in already if s]
    )
    return [(serial, Decimal(1)) for serial in tidy]
