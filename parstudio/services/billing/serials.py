"""Serials of serial-tracked items: each unit's history, and recall by serial."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.cases import masked
from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.domain.serials import (
    RecalledSerialRecord,
    SerialEvent,
    SerialEventKind,
    SerialHistory,
    SerialStatus,
)
from parstudio.models import (
    Count,
    Item,
    Location,
    Order,
    OrderLine,
    PatientCase,
    RecalledSerial,
    Receipt,
    Scan,
    UseLine,
)
from parstudio.models.base import utcnow
from parstudio.services.billing.scope import may_see_identifiers
from parstudio.services.core.database import Database
from parstudio.services.core.store import writing


def _item(session: Session, item_code: str) -> Item:
    code = item_code.strip()
    if not code:
        raise ValidationError("Give the item code.", field="item")
    item = session.scalar(select(Item).where(Item.code == code))
    if item is None:
        raise NotFoundError(f"There is no item {code}.")
    return item


def serial_tracked_items(db: Database) -> list[tuple[str, str]]:
    """(code, description) of the serial-tracked items, by code."""
    with db.reading() as session:
        return [
            (code, description)
            for code, description in session.execute(
                select(Item.code, Item.description)
                .where(Item.serial_tracked.is_(True))
                .order_by(Item.code)
            )
        ]


def serial_history(db: Database, *, item_code: str, serial: str | None = None) -> SerialHistory:
    """What happened to one serial of an item (or to every serial of it): received, seen in
    counts, used on a case, recalled. Viewers see case identifiers masked."""
    wanted = (serial or "").strip() or None
    shown = may_see_identifiers(db)
    with db.reading() as session:
        item = _item(session, item_code)
        events = _events(session, item.id, wanted, shown)
        recalled = {
            r.serial: r
            for r in session.scalars(
                select(RecalledSerial).where(RecalledSerial.item_id == item.id)
            )
            if wanted is None or r.serial == wanted
        }
    events.extend(
        SerialEvent(
            r.serial, SerialEventKind.RECALLED, r.created_at, None, r.reason or "", r.created_by
        )
        for r in recalled.values()
    )
    events.sort(key=lambda e: (e.serial, e.at))
    serials = sorted({e.serial for e in events} | ({wanted} if wanted else set()))
    by_serial: dict[str, list[SerialEvent]] = defaultdict(list)
    for event in events:
        by_serial[event.serial].append(event)
    statuses = tuple(
        _status(s, by_serial[s], recalled[s].reason if s in recalled else None, s in recalled)
        for s in serials
    )
    return SerialHistory(item.code, item.description, wanted, statuses, tuple(events))


def _events(session: Session, item_id: int, serial: str | None, shown: bool) -> list[SerialEvent]:
    received = (
        select(
            Receipt.serial, Receipt.received_at, Location.code, Order.number, Receipt.received_by
        )
        .join(Location, Location.id == Receipt.location_id)
        .outerjoin(OrderLine, OrderLine.id == Receipt.order_line_id)
        .outerjoin(Order, Order.id == OrderLine.order_id)
        .where(Receipt.item_id == item_id, Receipt.serial.is_not(None))
    )
    counted = (
        select(Scan.serial, Scan.recorded_at, Location.code, Scan.recorded_by, Scan.flag)
        .join(Count, Count.id == Scan.count_id)
        .join(Location, Location.id == Count.location_id)
        .where(Scan.item_id == item_id, Scan.serial.is_not(None), Scan.undone.is_(False))
    )
    used = (
        select(
            UseLine.serial,
            UseLine.used_at,
            Location.code,
            PatientCase.id,
            PatientCase.identifier,
            UseLine.used_by,
        )
        .join(Location, Location.id == UseLine.location_id)
        .join(PatientCase, PatientCase.id == UseLine.case_id)
        .where(UseLine.item_id == item_id, UseLine.serial.is_not(None), UseLine.voided.is_(False))
    )
    if serial is not None:
        received = received.where(Receipt.serial == serial)
        counted = counted.where(Scan.serial == serial)
        used = used.where(UseLine.serial == serial)
    events = [
        SerialEvent(
            s or "", SerialEventKind.RECEIVED, at, code, f"Order {number}" if number else "", by
        )
        for s, at, code, number, by in session.execute(received)
    ]
    events += [
        SerialEvent(
            s or "", SerialEventKind.COUNTED, at, code, "flagged RECALLED" if flag else "", by
        )
        for s, at, code, by, flag in session.execute(counted)
    ]
    events += [
        SerialEvent(
            s or "",
            SerialEventKind.USED,
            at,
            code,
            f"Case {identifier if shown else masked(case_id)}",
            by,
        )
        for s, at, code, case_id, identifier, by in session.execute(used)
    ]
    return events


def _status(
    serial: str, events: list[SerialEvent], reason: str | None, recalled: bool
) -> SerialStatus:
    def last(kind: SerialEventKind) -> SerialEvent | None:
        found = [e for e in events if e.kind is kind]
        return found[-1] if found else None

    received, seen, used = (
        last(SerialEventKind.RECEIVED),
        last(SerialEventKind.COUNTED),
        last(SerialEventKind.USED),
    )
    return SerialStatus(
        serial=serial,
        received_at=received.at if received else None,
        received_location=received.location_code if received else None,
        order_number=received.detail.removeprefix("Order ") or None if received else None,
        last_seen_at=seen.at if seen else None,
        last_seen_location=seen.location_code if seen else None,
        case=used.detail.removeprefix("Case ") if used else None,
        used_at=used.at if used else None,
        used_location=used.location_code if used else None,
        recalled=recalled,
        recall_reason=reason,
    )


def recalled_serials(db: Database) -> list[RecalledSerialRecord]:
    """Every serial on the recall list, with where it is, by item code and serial."""
    with db.reading() as session:
        rows = session.execute(
            select(RecalledSerial, Item.code, Item.description)
            .join(Item, Item.id == RecalledSerial.item_id)
            .order_by(Item.code, RecalledSerial.serial)
        ).all()
    found = []
    for recalled, code, description in rows:
        history = serial_history(db, item_code=code, serial=recalled.serial)
        found.append(
            RecalledSerialRecord(
                item_code=code,
                description=description,
                serial=recalled.serial,
                reason=recalled.reason,
                created_at=recalled.created_at,
                created_by=recalled.created_by,
                status=history.statuses[0],
            )
        )
    return found


def add_recalled_serial(
    db: Database, *, item_code: str, serial: str, reason: str | None = None
) -> None:
    """Put a serial of an item on the recall list: scanning it in a count is then flagged."""
    serial = serial.strip()
    if not serial:
        raise ValidationError("Give the serial number that is recalled.", field="serial")
    with writing(
        db, duplicate=lambda _e: f"Serial {serial} is already on the recall list."
    ) as session:
        item = _item(session, item_code)
        session.add(
            RecalledSerial(
                item_id=item.id,
                serial=serial,
                reason=(reason or "").strip() or None,
                created_at=utcnow(),
                created_by=db.user_name,
            )
        )


def remove_recalled_serial(db: Database, *, item_code: str, serial: str) -> None:
    """Take a serial off the recall list (a recall withdrawn, or entered by mistake)."""
    with writing(db) as session:
        item = _item(session, item_code)
        found = session.scalar(
            select(RecalledSerial).where(
                RecalledSerial.item_id == item.id, RecalledSerial.serial == serial.strip()
            )
        )
        if found is None:
            raise NotFoundError(f"Serial {serial} of {item.code} is not on the recall list.")
        session.delete(found)
