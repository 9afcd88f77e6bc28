"""Recording stock thrown away (expired, damaged, recalled) and reading it back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, select

from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.domain.waste import WasteReason, WasteRecord, check_quantity, parse_reason
from parstudio.models import Item, Location, Waste
from parstudio.models.base import utcnow
from parstudio.services.core.database import Database
from parstudio.services.core.store import get_or_raise, writing


def _quantity(value: Decimal | int | str) -> Decimal:
    if not str(value).strip():
        raise ValidationError("Give the quantity thrown away.", field="quantity")
    try:
        quantity = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(f"“{value}” is not a quantity.", field="quantity") from None
    return check_quantity(quantity)


def record_waste(
    db: Database,
    *,
    location_id: int,
    item_id: int,
    quantity: Decimal | int | str,
    reason: WasteReason | str,
    lot: str | None = None,
    expiry: date | None = None,
    note: str | None = None,
    at: datetime | None = None,
) -> WasteRecord:
    """Record stock of an item thrown away at a location, priced at the item's unit cost now."""
    units = _quantity(quantity)
    why = reason if isinstance(reason, WasteReason) else parse_reason(reason)
    with writing(db) as session:
        item = get_or_raise(session, Item, item_id, "item")
        get_or_raise(session, Location, location_id, "location")
        row = Waste(
            location_id=location_id,
            item_id=item_id,
            quantity=units,
            reason=why.value,
            lot=(lot or "").strip() or None,
            expiry=expiry,
            unit_cost=None if item.pack_price is None else item.pack_price / item.pack_size,
            note=(note or "").strip() or None,
            recorded_at=at or utcnow(),
            recorded_by=db.user_name,
        )
        session.add(row)
        session.flush()
        return _records(session, [row.id])[0]


def restore_waste(db: Database, *, record: WasteRecord) -> WasteRecord:
    """Put back a removed waste record as it was: its time, cost and who recorded it (for undo)."""
    with writing(db) as session:
        get_or_raise(session, Item, record.item_id, "item")
        get_or_raise(session, Location, record.location_id, "location")
        row = Waste(
            location_id=record.location_id,
            item_id=record.item_id,
            quantity=check_quantity(record.quantity),
            reason=record.reason.value,
            lot=record.lot,
            expiry=record.expiry,
            unit_cost=record.unit_cost,
            note=record.note,
            recorded_at=record.recorded_at,
            recorded_by=record.recorded_by,
        )
        session.add(row)
        session.flush()
        return _records(session, [row.id])[0]


def remove_waste(db: Database, *, waste_id: int) -> None:
    """Take back a waste record (to undo one recorded by mistake)."""
    with writing(db) as session:
        get_or_raise(session, Waste, waste_id, "waste record")
        session.execute(delete(Waste).where(Waste.id == waste_id))


def list_waste(
    db: Database,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    location_ids: Sequence[int] | None = None,
) -> list[WasteRecord]:
    """Waste recorded from ``since`` up to (not including) ``until``, newest first."""
    with db.reading() as session:
        return _records(session, None, since=since, until=until, location_ids=location_ids)


def _records(
    session: Any,
    ids: Sequence[int] | None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    location_ids: Sequence[int] | None = None,
) -> list[WasteRecord]:
    query = (
        select(Waste, Location.code, Item.code, Item.description, Item.unit)
        .join(Location, Location.id == Waste.location_id)
        .join(Item, Item.id == Waste.item_id)
        .order_by(Waste.recorded_at.desc(), Waste.id.desc())
    )
    if ids is not None:
        query = query.where(Waste.id.in_(list(ids)))
    if since is not None:
        query = query.where(Waste.recorded_at >= since)
    if until is not None:
        query = query.where(Waste.recorded_at < until)
    if location_ids is not None:
        query = query.where(Waste.location_id.in_(list(location_ids)))
    records = []
    for row, location_code, item_code, description, unit in session.execute(query):
        records.append(
            WasteRecord(
                id=row.id,
                location_id=row.location_id,
                location_code=location_code,
                item_id=row.item_id,
                item_code=item_code,
                description=description,
                unit=unit,
                quantity=row.quantity,
                reason=WasteReason(row.reason),
                lot=row.lot,
                expiry=row.expiry,
                unit_cost=row.unit_cost,
                note=row.note,
                recorded_at=row.recorded_at,
                recorded_by=row.recorded_by,
            )
        )
    if ids is not None and not records:
        raise NotFoundError("That waste record no longer exists.")
    return records
