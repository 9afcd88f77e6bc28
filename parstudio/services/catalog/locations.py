"""Locations (storerooms and PAR locations) and their bins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from parstudio.domain.catalog import LocationRecord
from parstudio.domain.enums import CountType
from parstudio.domain.errors import DuplicateError, ValidationError
from parstudio.domain.fields import LOCATION_FIELDS, parse_fields
from parstudio.models import Bin, Count, CountLine, Location, Order, OrderLine, ParSetting, Receipt
from parstudio.services.core.database import Database
from parstudio.services.core.store import (
    apply_fields,
    check_version,
    get_or_raise,
    weekdays_text,
    weekdays_tuple,
    writing,
)


def _record(
    row: Location, parent_code: str | None, settings: int, bins: Sequence[str]
) -> LocationRecord:
    return LocationRecord(
        id=row.id,
        code=row.code,
        name=row.name,
        kind=row.kind,
        department=row.department,
        cost_centre=row.cost_centre,
        parent_code=parent_code,
        default_count_type=row.default_count_type,
        deliveries_per_week=row.deliveries_per_week,
        delivery_weekdays=weekdays_tuple(row.delivery_weekdays),
        blind_count=row.blind_count,
        scan_adds_one=row.scan_adds_one,
        delivery_address=row.delivery_address,
        active=row.active,
        version=row.version,
        setting_count=settings,
        bins=tuple(bins),
    )


def list_locations(
    db: Database,
    *,
    search: str | None = None,
    kind: str | None = None,
    include_inactive: bool = False,
) -> list[LocationRecord]:
    """Locations sorted by code, with their parent's code and how many PAR settings they hold."""
    parent = aliased(Location)
    settings = (
        select(func.count(ParSetting.id))
        .where(ParSetting.location_id == Location.id, ParSetting.active.is_(True))
        .scalar_subquery()
    )
    query = (
        select(Location, parent.code, settings)
        .outerjoin(parent, Location.parent_id == parent.id)
        .order_by(Location.code)
    )
    if not include_inactive:
        query = query.where(Location.active.is_(True))
    if kind:
        query = query.where(Location.kind == kind)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Location.code).like(pattern),
                func.lower(Location.name).like(pattern),
                func.lower(Location.department).like(pattern),
                func.lower(Location.cost_centre).like(pattern),
            )
        )
    with db.reading() as session:
        rows = session.execute(query).all()
        bins = _bins_of(session, [row.id for row, _, _ in rows])
        return [
            _record(row, parent_code, count or 0, bins.get(row.id, ()))
            for row, parent_code, count in rows
        ]


def _bins_of(session: Session, location_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not location_ids:
        return found
    query = (
        select(Bin.location_id, Bin.code)
        .where(Bin.location_id.in_(location_ids))
        .order_by(Bin.location_id, Bin.sort_order, Bin.code)
    )
    for location_id, code in session.execute(query):
        found.setdefault(location_id, []).append(code)
    return found


def get_location(db: Database, *, location_id: int) -> LocationRecord:
    """One location."""
    with db.reading() as session:
        row = get_or_raise(session, Location, location_id, "location")
        return _load(session, row)


def find_location(db: Database, *, code: str) -> LocationRecord | None:
    """The location with this code (any case), if any."""
    with db.reading() as session:
        row = session.scalar(
            select(Location).where(func.lower(Location.code) == code.strip().lower())
        )
        return _load(session, row) if row else None


def _load(session: Session, row: Location) -> LocationRecord:
    parent_code = (
        session.scalar(select(Location.code).where(Location.id == row.parent_id))
        if row.parent_id
        else None
    )
    count = session.scalar(
        select(func.count(ParSetting.id)).where(
            ParSetting.location_id == row.id, ParSetting.active.is_(True)
        )
    )
    return _record(row, parent_code, count or 0, _bins_of(session, [row.id]).get(row.id, ()))


def _prepare(session: Session, row: Location, values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    if "delivery_weekdays" in values:
        values["delivery_weekdays"] = weekdays_text(values["delivery_weekdays"])
    defaults = {
        "kind": "PAR LOCATION",
        "default_count_type": CountType.ON_HAND,
        "deliveries_per_week": 1,
    }
    for name, default in defaults.items():
        if name in values and values[name] is None:
            values[name] = default
    if "parent_code" in values:
        values["parent_id"] = _parent_id(session, row, values.pop("parent_code"))
    if "code" in values:
        other = session.scalar(
            select(Location.id).where(
                func.lower(Location.code) == values["code"].lower(), Location.id != row.id
            )
        )
        if other is not None:
            raise DuplicateError(
                f"A location with the code “{values['code']}” already exists.", field="code"
            )
    return values


def _parent_id(session: Session, row: Location, code: str | None) -> int | None:
    if not code:
        return None
    parent_id = session.scalar(
        select(Location.id).where(func.lower(Location.code) == code.strip().lower())
    )
    if parent_id is None:
        raise ValidationError(f"There is no location “{code}”.", field="parent_code")
    # Walk up from the new parent: finding this location there would make a loop.
    cursor: int | None = parent_id
    while cursor is not None:
        if row.id is not None and cursor == row.id:
            raise ValidationError("A location cannot be inside itself.", field="parent_code")
        cursor = session.scalar(select(Location.parent_id).where(Location.id == cursor))
    return parent_id


def create_location(db: Database, *, fields: Mapping[str, Any]) -> LocationRecord:
    """Add a location from raw field values."""
    values = parse_fields(LOCATION_FIELDS, fields, partial=False)
    if values.get("scan_adds_one") is False and "scan_adds_one" not in fields:
        values["scan_adds_one"] = True
    with writing(db) as session:
        row = Location()
        apply_fields(row, _prepare(session, row, values), db.user_name)
        session.add(row)
        session.flush()
        return _load(session, row)


def update_location(
    db: Database,
    *,
    location_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> LocationRecord:
    """Change some fields of a location."""
    values = parse_fields(LOCATION_FIELDS, changes, partial=True)
    with writing(db) as session:
        row = get_or_raise(session, Location, location_id, "location")
        check_version(row, expected_version, "location")
        apply_fields(row, _prepare(session, row, values), db.user_name)
        session.flush()
        return _load(session, row)


def set_location_active(db: Database, *, location_id: int, active: bool) -> LocationRecord:
    """Deactivate (or reactivate) a location; its settings and counts stay."""
    with writing(db) as session:
        row = get_or_raise(session, Location, location_id, "location")
        row.active = active
        row.updated_by = db.user_name
        session.flush()
        return _load(session, row)


def set_bins(db: Database, *, location_id: int, codes: Sequence[str]) -> LocationRecord:
    """Set a location's bins in walking order; bins still used by PAR settings are kept."""
    with writing(db) as session:
        row = get_or_raise(session, Location, location_id, "location")
        ensure_bins(session, location_id, codes, reorder=True)
        session.flush()
        return _load(session, row)


def ensure_bins(
    session: Session, location_id: int, codes: Sequence[str], *, reorder: bool = False
) -> dict[str, int]:
    """Make sure these bins exist at the location; returns bin ids by code."""
    existing = {
        b.code: b for b in session.scalars(select(Bin).where(Bin.location_id == location_id))
    }
    next_order = max((b.sort_order for b in existing.values()), default=0) + 1
    for position, code in enumerate(codes):
        if code in existing:
            if reorder:
                existing[code].sort_order = position + 1
            continue
        existing[code] = Bin(
            location_id=location_id,
            code=code,
            sort_order=position + 1 if reorder else next_order,
        )
        next_order += 1
        session.add(existing[code])
    session.flush()
    return {code: b.id for code, b in existing.items()}


def delete_location_if_unused(db: Database, *, location_id: int) -> bool:
    """Delete a location nothing refers to (undoing its creation); False if it is in use."""
    with writing(db) as session:
        row = get_or_raise(session, Location, location_id, "location")
        checks = (
            select(ParSetting.id).where(ParSetting.location_id == location_id),
            select(ParSetting.id).where(ParSetting.source_location_id == location_id),
            select(Location.id).where(Location.parent_id == location_id),
            select(Count.id).where(Count.location_id == location_id),
            select(CountLine.id).where(CountLine.location_id == location_id),
            select(Receipt.id).where(Receipt.location_id == location_id),
            select(OrderLine.id).where(OrderLine.location_id == location_id),
            select(Order.id).where(Order.source_location_id == location_id),
        )
        if any(session.scalar(query.limit(1)) for query in checks):
            return False
        for bin_row in session.scalars(select(Bin).where(Bin.location_id == location_id)):
            session.delete(bin_row)
        session.flush()
        session.delete(row)
        return True
