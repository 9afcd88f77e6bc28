"""Suppliers: list, add, edit, deactivate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select

from parstudio.domain.catalog import SupplierRecord
from parstudio.domain.fields import SUPPLIER_FIELDS, parse_fields
from parstudio.models import Item, Order, ParSetting, Supplier
from parstudio.services.core.database import Database
from parstudio.services.core.store import (
    apply_fields,
    check_version,
    get_or_raise,
    weekdays_text,
    weekdays_tuple,
    writing,
)


def to_record(row: Supplier) -> SupplierRecord:
    """A plain record of a supplier row."""
    return SupplierRecord(
        id=row.id,
        code=row.code,
        name=row.name,
        account_number=row.account_number,
        contact_name=row.contact_name,
        phone=row.phone,
        email=row.email,
        lead_time_days=row.lead_time_days,
        delivery_weekdays=weekdays_tuple(row.delivery_weekdays),
        notes=row.notes,
        active=row.active,
        version=row.version,
    )


def list_suppliers(
    db: Database, *, search: str | None = None, include_inactive: bool = False
) -> list[SupplierRecord]:
    """Suppliers sorted by name, filtered by a search text over code and name."""
    query = select(Supplier).order_by(func.lower(Supplier.name))
    if not include_inactive:
        query = query.where(Supplier.active.is_(True))
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            or_(func.lower(Supplier.code).like(pattern), func.lower(Supplier.name).like(pattern))
        )
    with db.reading() as session:
        return [to_record(row) for row in session.scalars(query)]


def get_supplier(db: Database, *, supplier_id: int) -> SupplierRecord:
    """One supplier."""
    with db.reading() as session:
        return to_record(get_or_raise(session, Supplier, supplier_id, "supplier"))


def _prepare(values: dict[str, Any]) -> dict[str, Any]:
    if "delivery_weekdays" in values:
        values["delivery_weekdays"] = weekdays_text(values["delivery_weekdays"])
    if "lead_time_days" in values and values["lead_time_days"] is None:
        values["lead_time_days"] = 2
    return values


def _duplicate_message(values: Mapping[str, Any]) -> str:
    return f"A supplier with the code “{values.get('code')}” already exists."


def create_supplier(db: Database, *, fields: Mapping[str, Any]) -> SupplierRecord:
    """Add a supplier from raw field values."""
    values = _prepare(parse_fields(SUPPLIER_FIELDS, fields, partial=False))
    with writing(db, duplicate=lambda _e: _duplicate_message(values)) as session:
        row = Supplier()
        apply_fields(row, values, db.user_name)
        session.add(row)
        session.flush()
        return to_record(row)


def update_supplier(
    db: Database,
    *,
    supplier_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> SupplierRecord:
    """Change some fields of a supplier."""
    values = _prepare(parse_fields(SUPPLIER_FIELDS, changes, partial=True))
    with writing(db, duplicate=lambda _e: _duplicate_message(values)) as session:
        row = get_or_raise(session, Supplier, supplier_id, "supplier")
        check_version(row, expected_version, "supplier")
        apply_fields(row, values, db.user_name)
        session.flush()
        return to_record(row)


def set_supplier_active(db: Database, *, supplier_id: int, active: bool) -> SupplierRecord:
    """Deactivate (or reactivate) a supplier; nothing that refers to it is touched."""
    with writing(db) as session:
        row = get_or_raise(session, Supplier, supplier_id, "supplier")
        row.active = active
        row.updated_by = db.user_name
        session.flush()
        return to_record(row)


def delete_supplier_if_unused(db: Database, *, supplier_id: int) -> bool:
    """Delete a supplier nothing refers to (undoing its creation); False if it is in use."""
    with writing(db) as session:
        row = get_or_raise(session, Supplier, supplier_id, "supplier")
        used = (
            session.scalar(select(Item.id).where(Item.supplier_id == supplier_id).limit(1))
            or session.scalar(
                select(ParSetting.id).where(ParSetting.source_supplier_id == supplier_id).limit(1)
            )
            or session.scalar(select(Order.id).where(Order.supplier_id == supplier_id).limit(1))
        )
        if used:
            return False
        session.delete(row)
        return True
