"""The shelf's paper: count sheets and labels of PAR settings, items and locations."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.enums import CountType, Method
from parstudio.domain.errors import NotFoundError
from parstudio.domain.paper import CountSheet, CountSheetLine, Label
from parstudio.domain.quantities import fill_level
from parstudio.models import Bin, Item, Location, ParSetting
from parstudio.services.core.database import Database
from parstudio.services.core.store import get_or_raise


def tidy(value: Decimal | None) -> Decimal | None:
    """A quantity without trailing zeros (the database keeps four decimals)."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def location_ids_by_code(session: Session, codes: Sequence[str]) -> list[int]:
    query = select(Location.code, Location.id).where(Location.code.in_(list(codes)))
    rows = {code: location_id for code, location_id in session.execute(query)}
    unknown = [code for code in codes if code not in rows]
    if unknown:
        raise NotFoundError(f"There is no location {', '.join(unknown)}.")
    return [rows[code] for code in codes]


# --- count sheets -------------------------------------------------------------------------------


def count_sheet(db: Database, *, location_id: int) -> CountSheet:
    """The paper count of one location, in bin order (lines not counted are left off)."""
    with db.reading() as session:
        return _count_sheet(session, get_or_raise(session, Location, location_id, "location"))


def count_sheets(db: Database, *, location_codes: Sequence[str] | None = None) -> list[CountSheet]:
    """Count sheets of the named locations, else of every active location with settings."""
    with db.reading() as session:
        return [_count_sheet(session, row) for row in _stocked(session, location_codes)]


def stocked_location_codes(
    db: Database, *, location_codes: Sequence[str] | None = None
) -> list[str]:
    """The named locations (checked), else every active location with PAR settings, by code."""
    with db.reading() as session:
        return [row.code for row in _stocked(session, location_codes)]


def _stocked(session: Session, location_codes: Sequence[str] | None) -> list[Location]:
    if location_codes:
        ids = location_ids_by_code(session, location_codes)
        return [row for row in (session.get(Location, i) for i in ids) if row is not None]
    with_settings = select(ParSetting.location_id).where(ParSetting.active.is_(True))
    return list(
        session.scalars(
            select(Location)
            .where(Location.active.is_(True), Location.id.in_(with_settings))
            .order_by(Location.code)
        )
    )


def _settings_in_bin_order(session: Session, location_id: int) -> Any:
    return session.execute(
        select(ParSetting, Item.code, Item.description, Item.unit, Bin.code)
        .join(Item, Item.id == ParSetting.item_id)
        .outerjoin(Bin, Bin.id == ParSetting.bin_id)
        .where(ParSetting.location_id == location_id, ParSetting.active.is_(True))
        .order_by(Bin.sort_order.is_(None), Bin.sort_order, Bin.code, Item.code)
    ).all()


def _expected(setting: ParSetting) -> Decimal | None:
    return tidy(fill_level(setting.method, setting.par_level, setting.max_level))


def _count_sheet(session: Session, location: Location) -> CountSheet:
    lines = []
    for setting, code, description, unit, bin_code in _settings_in_bin_order(session, location.id):
        count_type = setting.count_type or location.default_count_type
        if count_type == CountType.NOT_COUNTED:
            continue
        lines.append(
            CountSheetLine(
                bin=bin_code or "",
                item_code=code,
                description=description,
                unit=unit,
                count_type=count_type,
                expected=None if location.blind_count else _expected(setting),
            )
        )
    return CountSheet(
        location_code=location.code,
        location_name=location.name,
        department=location.department or "",
        blind=location.blind_count,
        lines=tuple(lines),
    )


# --- labels -------------------------------------------------------------------------------------


def _levels(setting: ParSetting, unit: str) -> str:
    if setting.method == Method.MIN_MAX:
        return f"Min {tidy(setting.min_level) or '—'} · Max {tidy(setting.max_level) or '—'} {unit}"
    return f"PAR {tidy(setting.par_level) or '—'} {unit}"


def shelf_labels(
    db: Database,
    *,
    setting_ids: Sequence[int] | None = None,
    location_codes: Sequence[str] | None = None,
) -> list[Label]:
    """Shelf labels of PAR settings: the given ones, else every active one at the locations."""
    with db.reading() as session:
        query = (
            select(ParSetting, Item.code, Item.description, Item.unit, Bin.code, Location.code)
            .join(Item, Item.id == ParSetting.item_id)
            .join(Location, Location.id == ParSetting.location_id)
            .outerjoin(Bin, Bin.id == ParSetting.bin_id)
        )
        if setting_ids is not None:
            query = query.where(ParSetting.id.in_(list(setting_ids)))
        else:
            query = query.where(ParSetting.active.is_(True))
            if location_codes:
                query = query.where(
                    ParSetting.location_id.in_(location_ids_by_code(session, location_codes))
                )
        query = query.order_by(
            Location.code, Bin.sort_order.is_(None), Bin.sort_order, Bin.code, Item.code
        )
        return [
            Label(
                code=code,
                description=description,
                facts=(
                    _levels(setting, unit),
                    f"Bin {bin_code}" if bin_code else "",
                    location_code,
                ),
                barcode_value=code,
            )
            for setting, code, description, unit, bin_code, location_code in session.execute(query)
        ]


def item_labels(db: Database, *, item_ids: Sequence[int]) -> list[Label]:
    """Labels of items without a location: code, description, pack and supplier number."""
    with db.reading() as session:
        rows = session.execute(
            select(Item).where(Item.id.in_(list(item_ids))).order_by(Item.code)
        ).scalars()
        return [
            Label(
                code=item.code,
                description=item.description,
                facts=(
                    f"Pack {tidy(item.pack_size)} {item.unit}",
                    f"Supplier no. {item.supplier_item_no}" if item.supplier_item_no else "",
                ),
                barcode_value=item.code,
            )
            for item in rows
        ]


def _kind_name(kind: str) -> str:
    return "PAR location" if kind == "PAR LOCATION" else kind.capitalize()


def location_labels(
    db: Database, *, location_codes: Sequence[str] | None = None, bins: bool = True
) -> list[Label]:
    """Labels of locations (and their bins, in walking order): each barcode holds its code."""
    with db.reading() as session:
        query = select(Location).where(Location.active.is_(True)).order_by(Location.code)
        if location_codes:
            query = select(Location).where(
                Location.id.in_(location_ids_by_code(session, location_codes))
            )
            query = query.order_by(Location.code)
        labels: list[Label] = []
        for location in session.scalars(query):
            labels.append(
                Label(
                    code=location.code,
                    description=location.name,
                    facts=(_kind_name(location.kind), location.department or ""),
                    barcode_value=location.code,
                )
            )
            if not bins:
                continue
            for bin_row in session.scalars(
                select(Bin).where(Bin.location_id == location.id).order_by(Bin.sort_order, Bin.code)
            ):
                labels.append(
                    Label(
                        code=bin_row.code,
                        description=f"{location.code} · {location.name}",
                        facts=(bin_row.description or "", "Bin"),
                        barcode_value=bin_row.code,
                    )
                )
        return labels
