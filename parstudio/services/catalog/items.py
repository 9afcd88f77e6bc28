"""Items and their barcodes: list, search, add, edit, deactivate."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from parstudio.domain.catalog import ItemRecord
from parstudio.domain.errors import DuplicateError, ValidationError
from parstudio.domain.fields import ITEM_FIELDS, parse_fields
from parstudio.models import Barcode, CountLine, Item, OrderLine, ParSetting, Receipt, Supplier
from parstudio.services.core.database import Database
from parstudio.services.core.store import apply_fields, check_version, get_or_raise, writing


def _record(row: Any, supplier_code: str | None, barcodes: Sequence[str]) -> ItemRecord:
    """The record of an item, from its ORM object or a Core row of the item table's columns."""
    return ItemRecord(
        id=row.id,
        code=row.code,
        description=row.description,
        unit=row.unit,
        pack_size=row.pack_size,
        supplier_id=row.supplier_id,
        supplier_code=supplier_code,
        supplier_item_no=row.supplier_item_no,
        pack_price=row.pack_price,
        category=row.category,
        barcodes=tuple(barcodes),
        expensed=row.expensed,
        consignment=row.consignment,
        shelf_life_days=row.shelf_life_days,
        active=row.active,
        version=row.version,
        billable=bool(row.billable),
        charge_code=row.charge_code,
        charge_price=row.charge_price,
        serial_tracked=bool(row.serial_tracked),
    )


def _filtered(query: Any, search: str | None, include_inactive: bool) -> Any:
    if not include_inactive:
        query = query.where(Item.active.is_(True))
    if search:
        text = search.strip().lower()
        pattern = f"%{text}%"
        query = query.where(
            or_(
                func.lower(Item.code).like(pattern),
                func.lower(Item.description).like(pattern),
                func.lower(Item.supplier_item_no).like(pattern),
                func.lower(Item.category).like(pattern),
                exists().where(Barcode.item_id == Item.id, Barcode.code == search.strip()),
            )
        )
    return query


def count_items(db: Database, *, search: str | None = None, include_inactive: bool = False) -> int:
    """How many items match the search."""
    query = _filtered(select(func.count(Item.id)), search, include_inactive)
    with db.reading() as session:
        return int(session.scalar(query) or 0)


def list_items(
    db: Database,
    *,
    search: str | None = None,
    include_inactive: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[ItemRecord]:
    """Items sorted by code, a page at a time, filtered by code, description or barcode."""
    # The item table's columns through Core, not ORM objects: the list only reads them, and the
    # first screenful of a large catalogue paints sooner without an identity map to fill.
    columns = Item.__table__.columns
    query = _filtered(
        select(*columns, Supplier.code.label("supplier_code_")).outerjoin(
            Supplier, Item.supplier_id == Supplier.id
        ),
        search,
        include_inactive,
    ).order_by(Item.code)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with db.reading() as session:
        rows = session.execute(query).all()
        codes = _barcodes_of(session, [row.id for row in rows])
        return [_record(row, row.supplier_code_, codes.get(row.id, ())) for row in rows]


def _barcodes_of(session: Session, item_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start : start + 500]
        query = select(Barcode.item_id, Barcode.code).where(Barcode.item_id.in_(chunk))
        for item_id, code in session.execute(query.order_by(Barcode.id)):
            found[item_id].append(code)
    return found


def get_item(db: Database, *, item_id: int) -> ItemRecord:
    """One item with its barcodes."""
    with db.reading() as session:
        row = get_or_raise(session, Item, item_id, "item")
        return _load_record(session, row)


def find_item_by_code(db: Database, *, code: str) -> ItemRecord | None:
    """The item with this item code, if any."""
    with db.reading() as session:
        row = session.scalar(select(Item).where(Item.code == code.strip()))
        return _load_record(session, row) if row else None


def _load_record(session: Session, row: Item) -> ItemRecord:
    supplier_code = (
        session.scalar(select(Supplier.code).where(Supplier.id == row.supplier_id))
        if row.supplier_id
        else None
    )
    return _record(row, supplier_code, _barcodes_of(session, [row.id]).get(row.id, ()))


def _supplier_id(session: Session, code: str | None) -> int | None:
    if not code:
        return None
    supplier_id = session.scalar(
        select(Supplier.id).where(func.lower(Supplier.code) == code.strip().lower())
    )
    if supplier_id is None:
        supplier_id = session.scalar(
            select(Supplier.id).where(func.lower(Supplier.name) == code.strip().lower())
        )
    if supplier_id is None:
        raise ValidationError(f"There is no supplier “{code}”.", field="supplier_code")
    return supplier_id


def _store(session: Session, row: Item, values: dict[str, Any], user: str) -> None:
    values = dict(values)
    barcodes = values.pop("barcodes", None)
    if "supplier_code" in values:
        values["supplier_id"] = _supplier_id(session, values.pop("supplier_code"))
    if "unit" in values:
        values["unit"] = (values["unit"] or "EA").upper()
    if "pack_size" in values and values["pack_size"] is None:
        values["pack_size"] = 1
    _check_code_free(session, row, values.get("code"))
    apply_fields(row, values, user)
    if row.id is None:
        session.add(row)
        session.flush()
    if barcodes is not None:
        _replace_barcodes(session, row, barcodes)


def _check_code_free(session: Session, row: Item, code: str | None) -> None:
    if code is None:
        return
    other = session.scalar(select(Item.id).where(Item.code == code, Item.id != row.id))
    if other is not None:
        raise DuplicateError(f"An item with the code “{code}” already exists.", field="code")


def _replace_barcodes(session: Session, row: Item, codes: Sequence[str]) -> None:
    taken = session.execute(
        select(Barcode.code, Item.code)
        .join(Item, Item.id == Barcode.item_id)
        .where(Barcode.code.in_(list(codes)), Barcode.item_id != row.id)
    ).first()
    if taken is not None:
        raise DuplicateError(
            f"The barcode {taken[0]} already belongs to item {taken[1]}.", field="barcodes"
        )
    existing = {
        b.code: b for b in session.scalars(select(Barcode).where(Barcode.item_id == row.id))
    }
    for code, barcode in existing.items():
        if code not in codes:
            session.delete(barcode)
    session.flush()
    for code in codes:
        if code not in existing:
            session.add(Barcode(item_id=row.id, code=code, kind=barcode_kind(code)))


def barcode_kind(code: str) -> str:
    """Name the sort of barcode from its shape (GTIN/UPC digits, HIBC, or other)."""
    if code.isdigit() and len(code) in (8, 12, 13, 14):
        return "GTIN"
    if code.startswith("+"):
        return "HIBC"
    return "OTHER"


def create_item(db: Database, *, fields: Mapping[str, Any]) -> ItemRecord:
    """Add an item from raw field values."""
    values = parse_fields(ITEM_FIELDS, fields, partial=False)
    with writing(db, duplicate=lambda _e: f"The item code “{values['code']}” is taken.") as s:
        row = Item()
        _store(s, row, values, db.user_name)
        s.flush()
        return _load_record(s, row)


def update_item(
    db: Database, *, item_id: int, changes: Mapping[str, Any], expected_version: int | None = None
) -> ItemRecord:
    """Change some fields of an item (barcodes replace the item's list)."""
    values = parse_fields(ITEM_FIELDS, changes, partial=True)
    with writing(db) as session:
        row = get_or_raise(session, Item, item_id, "item")
        check_version(row, expected_version, "item")
        _store(session, row, values, db.user_name)
        session.flush()
        return _load_record(session, row)


def set_item_active(db: Database, *, item_id: int, active: bool) -> ItemRecord:
    """Deactivate (or reactivate) an item; its counts and PAR settings stay."""
    with writing(db) as session:
        row = get_or_raise(session, Item, item_id, "item")
        row.active = active
        row.updated_by = db.user_name
        session.flush()
        return _load_record(session, row)


def find_item_by_barcode(db: Database, *, codes: Sequence[str]) -> ItemRecord | None:
    """The item that any of these codes names: a linked barcode first, then the item code."""
    if not codes:
        return None
    with db.reading() as session:
        for code in codes:
            row = session.scalar(
                select(Item).join(Barcode, Barcode.item_id == Item.id).where(Barcode.code == code)
            )
            if row is None:
                row = session.scalar(select(Item).where(Item.code == code))
            if row is not None:
                return _load_record(session, row)
    return None


def delete_item_if_unused(db: Database, *, item_id: int) -> bool:
    """Delete an item nothing refers to (undoing its creation); False if it is in use."""
    with writing(db) as session:
        row = get_or_raise(session, Item, item_id, "item")
        for model in (ParSetting, CountLine, Receipt, OrderLine):
            if session.scalar(select(model.id).where(model.item_id == item_id).limit(1)):
                return False
        session.delete(row)
        return True
