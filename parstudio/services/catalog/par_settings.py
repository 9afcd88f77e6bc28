"""PAR settings: one item at one location, edited in a grid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from parstudio.domain.catalog import ParSettingRecord
from parstudio.domain.enums import Method, Rounding
from parstudio.domain.errors import DuplicateError, ValidationError
from parstudio.domain.fields import PAR_FIELDS, check_par_levels, parse_fields
from parstudio.models import Bin, CountLine, Item, Location, OrderLine, ParSetting, Supplier
from parstudio.services.catalog.locations import ensure_bins
from parstudio.services.core.database import Database
from parstudio.services.core.store import apply_fields, check_version, get_or_raise, writing

_source_location = aliased(Location)


def _query() -> Any:
    return (
        select(
            ParSetting,
            Location.code,
            Location.default_count_type,
            Item.code,
            Item.description,
            Item.unit,
            Item.pack_size,
            Bin.code,
            Bin.sort_order,
            Supplier.code,
            _source_location.code,
        )
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .outerjoin(Bin, Bin.id == ParSetting.bin_id)
        .outerjoin(Supplier, Supplier.id == ParSetting.source_supplier_id)
        .outerjoin(_source_location, _source_location.id == ParSetting.source_location_id)
    )


def _record(row: Any) -> ParSettingRecord:
    setting: ParSetting = row[0]
    (location_code, default_type, item_code, description, unit, pack_size, bin_code, _order) = row[
        1:9
    ]
    supplier_code, source_location_code = row[9], row[10]
    return ParSettingRecord(
        id=setting.id,
        location_id=setting.location_id,
        location_code=location_code,
        item_id=setting.item_id,
        item_code=item_code,
        description=description,
        unit=unit,
        pack_size=pack_size,
        bin=bin_code,
        method=setting.method,
        count_type=setting.count_type,
        par_level=setting.par_level,
        min_level=setting.min_level,
        max_level=setting.max_level,
        moq=setting.moq,
        lot_multiple=setting.lot_multiple,
        rounding=setting.rounding,
        storage_capacity=setting.storage_capacity,
        weekly_usage=setting.weekly_usage,
        open_demand=setting.open_demand,
        open_supply=setting.open_supply,
        issue_pack=setting.issue_pack,
        source=source_location_code or supplier_code,
        active=setting.active,
        version=setting.version,
        effective_count_type=setting.count_type or default_type,
    )


def list_par_settings(
    db: Database,
    *,
    location_id: int | None = None,
    search: str | None = None,
    include_inactive: bool = False,
) -> list[ParSettingRecord]:
    """PAR settings of a location (or all), in bin order then item code."""
    query = _query().order_by(
        Location.code, Bin.sort_order.is_(None), Bin.sort_order, Bin.code, Item.code
    )
    if location_id is not None:
        query = query.where(ParSetting.location_id == location_id)
    if not include_inactive:
        query = query.where(ParSetting.active.is_(True))
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            func.lower(Item.code).like(pattern) | func.lower(Item.description).like(pattern)
        )
    with db.reading() as session:
        return [_record(row) for row in session.execute(query)]


def get_par_setting(db: Database, *, setting_id: int) -> ParSettingRecord:
    """One PAR setting."""
    with db.reading() as session:
        return _load(session, setting_id)


def _load(session: Session, setting_id: int) -> ParSettingRecord:
    row = session.execute(_query().where(ParSetting.id == setting_id)).first()
    if row is None:
        get_or_raise(session, ParSetting, setting_id, "PAR setting")
        raise AssertionError("unreachable")
    return _record(row)


def _current_values(row: ParSetting) -> dict[str, Any]:
    return {spec.name: getattr(row, spec.name, None) for spec in PAR_FIELDS}


def _resolve_source(session: Session, code: str | None) -> tuple[int | None, int | None]:
    """A source code names a storeroom (internal transfer) or a supplier (purchase)."""
    if not code:
        return None, None
    lowered = code.strip().lower()
    location_id = session.scalar(
        select(Location.id).where(
            func.lower(Location.code) == lowered, Location.kind == "STOREROOM"
        )
    )
    if location_id is not None:
        return None, location_id
    supplier_id = session.scalar(select(Supplier.id).where(func.lower(Supplier.code) == lowered))
    if supplier_id is not None:
        return supplier_id, None
    raise ValidationError(f"“{code}” is neither a storeroom nor a supplier code.", field="source")


def _store(session: Session, row: ParSetting, values: dict[str, Any], user: str) -> None:
    values = dict(values)
    if "bin" in values:
        code = values.pop("bin")
        values["bin_id"] = ensure_bins(session, row.location_id, [code])[code] if code else None
    if "source" in values:
        values["source_supplier_id"], values["source_location_id"] = _resolve_source(
            session, values.pop("source")
        )
    for name, default in (("method", Method.PAR), ("rounding", Rounding.UP)):
        if name in values and values[name] is None:
            values[name] = default
    merged = {**_current_values(row), **values}
    check_par_levels(merged)
    apply_fields(row, values, user)


def create_par_setting(
    db: Database, *, location_id: int, item_id: int, fields: Mapping[str, Any]
) -> ParSettingRecord:
    """Put an item at a location with the given PAR fields."""
    values = parse_fields(PAR_FIELDS, fields, partial=True)
    with writing(db) as session:
        location = get_or_raise(session, Location, location_id, "location")
        item = get_or_raise(session, Item, item_id, "item")
        taken = session.scalar(
            select(ParSetting.id).where(
                ParSetting.location_id == location_id, ParSetting.item_id == item_id
            )
        )
        if taken is not None:
            raise DuplicateError(
                f"Item {item.code} already has a PAR setting at {location.code}.", field="item"
            )
        row = ParSetting(
            location_id=location_id, item_id=item_id, method=Method.PAR, rounding=Rounding.UP
        )
        _store(session, row, values, db.user_name)
        session.add(row)
        session.flush()
        return _load(session, row.id)


def update_par_setting(
    db: Database,
    *,
    setting_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> ParSettingRecord:
    """Change some fields of a PAR setting; levels that contradict each other are refused."""
    values = parse_fields(PAR_FIELDS, changes, partial=True)
    with writing(db) as session:
        row = get_or_raise(session, ParSetting, setting_id, "PAR setting")
        check_version(row, expected_version, "PAR setting")
        _store(session, row, values, db.user_name)
        session.flush()
        return _load(session, row.id)


def change_par_setting_in(
    session: Session,
    row: ParSetting,
    changes: Mapping[str, Any],
    user: str,
    expected_version: int | None = None,
) -> None:
    """update_par_setting's checks and changes inside the caller's transaction."""
    values = parse_fields(PAR_FIELDS, changes, partial=True)
    check_version(row, expected_version, "PAR setting")
    _store(session, row, values, user)


def set_par_setting_active(db: Database, *, setting_id: int, active: bool) -> ParSettingRecord:
    """Deactivate (or reactivate) a PAR setting; its counts stay."""
    with writing(db) as session:
        row = get_or_raise(session, ParSetting, setting_id, "PAR setting")
        row.active = active
        row.updated_by = db.user_name
        session.flush()
        return _load(session, row.id)


def delete_par_setting_if_unused(db: Database, *, setting_id: int) -> bool:
    """Delete a PAR setting with no counts of its item there (undoing an add); else False."""
    with writing(db) as session:
        row = get_or_raise(session, ParSetting, setting_id, "PAR setting")
        counted = session.scalar(
            select(CountLine.id)
            .where(CountLine.location_id == row.location_id, CountLine.item_id == row.item_id)
            .limit(1)
        )
        ordered = session.scalar(
            select(OrderLine.id).where(OrderLine.par_setting_id == setting_id).limit(1)
        )
        if counted or ordered:
            return False
        session.delete(row)
        return True
