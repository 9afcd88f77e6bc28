"""The printed paper's data: order sheets, pick lists, count sheets and labels, read in one go."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.domain.orders import OPEN_STATUSES, OrderKind
from parstudio.domain.paper import (
    CountSheet,
    CountSheetLine,
    Label,
    OrderSheet,
    OrderSheetLine,
    PartyAddress,
    PickGroup,
    PickLine,
    PickList,
)
from parstudio.models import Bin, Item, Location, Order, OrderLine, ParSetting, Supplier
from parstudio.services.core.database import Database
from parstudio.services.core.store import get_or_raise

NOT_COUNTED = "NOT COUNTED"
STOREROOM = "STOREROOM"


def _tidy(value: Decimal | None) -> Decimal | None:
    """A quantity without trailing zeros (the database keeps four decimals)."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


# --- orders -------------------------------------------------------------------------------------


def _find_orders(
    session: Session,
    kind: OrderKind,
    numbers: Sequence[str] | None,
    location_codes: Sequence[str] | None,
) -> list[Order]:
    query = select(Order).where(Order.kind == kind.value)
    if numbers:
        query = query.where(Order.number.in_(list(numbers)))
    else:
        query = query.where(Order.status.in_([s.value for s in OPEN_STATUSES]))
    if location_codes:
        ids = _location_ids(session, location_codes)
        touching = select(OrderLine.order_id).where(OrderLine.location_id.in_(ids))
        if kind is OrderKind.TRANSFER:
            query = query.where(Order.id.in_(touching) | Order.source_location_id.in_(ids))
        else:
            query = query.where(Order.id.in_(touching))
    found = list(session.scalars(query.order_by(Order.number)))
    missing = sorted(set(numbers or ()) - {order.number for order in found})
    if missing:
        raise NotFoundError(f"There is no {_kind_word(kind)} numbered {', '.join(missing)}.")
    return found


def _kind_word(kind: OrderKind) -> str:
    return "purchase order" if kind is OrderKind.PURCHASE else "storeroom transfer"


def _location_ids(session: Session, codes: Sequence[str]) -> list[int]:
    query = select(Location.code, Location.id).where(Location.code.in_(list(codes)))
    rows = {code: location_id for code, location_id in session.execute(query)}
    unknown = [code for code in codes if code not in rows]
    if unknown:
        raise NotFoundError(f"There is no location {', '.join(unknown)}.")
    return [rows[code] for code in codes]


def _order_of_kind(session: Session, order_id: int, kind: OrderKind) -> Order:
    order = get_or_raise(session, Order, order_id, "order")
    if order.kind != kind.value:
        raise ValidationError(
            f"{order.number} is a {_kind_word(OrderKind(order.kind))}, not a {_kind_word(kind)}."
        )
    return order


def order_kind(db: Database, *, order_id: int) -> OrderKind:
    """Whether an order is a purchase order (order sheet) or a transfer (pick list)."""
    with db.reading() as session:
        return OrderKind(get_or_raise(session, Order, order_id, "order").kind)


def order_sheet(db: Database, *, order_id: int) -> OrderSheet:
    """The order sheet of one purchase order."""
    with db.reading() as session:
        return _order_sheet(session, _order_of_kind(session, order_id, OrderKind.PURCHASE))


def order_sheets(
    db: Database,
    *,
    numbers: Sequence[str] | None = None,
    location_codes: Sequence[str] | None = None,
) -> list[OrderSheet]:
    """Order sheets of the named purchase orders, else of every open one (draft, sent, partial)."""
    with db.reading() as session:
        found = _find_orders(session, OrderKind.PURCHASE, numbers, location_codes)
        return [_order_sheet(session, order) for order in found]


def deliver_to(session: Session, destination_ids: Sequence[int]) -> Location | None:
    """Where a supplier delivers: the one destination, else the department's storeroom."""
    # Decision: department name and delivery address live on the locations (no separate table);
    # a purchase order for several locations is delivered to their department's storeroom.
    locations = list(
        session.scalars(
            select(Location).where(Location.id.in_(destination_ids)).order_by(Location.code)
        )
    )
    if len(locations) == 1:
        return locations[0]
    department = next((row.department for row in locations if row.department), None)
    storerooms = select(Location).where(Location.kind == STOREROOM, Location.active.is_(True))
    if department is not None:
        storerooms = storerooms.where(Location.department == department)
    storeroom = session.scalars(storerooms.order_by(Location.code)).first()
    return storeroom or (locations[0] if locations else None)


def _address(location: Location | None) -> PartyAddress:
    if location is None:
        return PartyAddress("")
    lines = [line.strip() for line in (location.delivery_address or "").splitlines()]
    lines = [line for line in lines if line] or [f"{location.code} · {location.name}"]
    if location.cost_centre:
        lines.append(f"Cost centre {location.cost_centre}")
    return PartyAddress(location.department or location.name, tuple(lines))


def _order_sheet(session: Session, order: Order) -> OrderSheet:
    supplier = session.get(Supplier, order.supplier_id) if order.supplier_id else None
    rows = session.execute(
        select(OrderLine, Item.code, Item.supplier_item_no, Item.description, Item.unit, Location)
        .join(Item, Item.id == OrderLine.item_id)
        .join(Location, Location.id == OrderLine.location_id)
        .where(OrderLine.order_id == order.id)
        .order_by(Item.supplier_item_no.is_(None), Item.supplier_item_no, Item.code, Location.code)
    ).all()
    lines = tuple(
        OrderSheetLine(
            item_code=code,
            supplier_item_no=supplier_no or "",
            description=description,
            unit=unit,
            pack_size=_tidy(line.pack_size) or Decimal(1),
            packs=line.packs,
            pack_price=line.pack_price,
            location_code=location.code,
        )
        for line, code, supplier_no, description, unit, location in rows
    )
    destinations = sorted({location.id for *_rest, location in rows})
    contact = (
        tuple(p for p in (supplier.contact_name, supplier.phone, supplier.email) if p)
        if supplier
        else ()
    )
    return OrderSheet(
        number=order.number,
        order_date=order.order_date,
        expected_date=order.expected_date,
        department=_address(deliver_to(session, destinations)),
        supplier=PartyAddress(supplier.name if supplier else "", contact),
        supplier_code=supplier.code if supplier else "",
        supplier_account=supplier.account_number if supplier else None,
        lines=lines,
        approved_by=order.approved_by,
        status=order.status,
        notes=order.notes,
    )


def pick_list(db: Database, *, order_id: int) -> PickList:
    """The pick list of one storeroom transfer."""
    with db.reading() as session:
        return _pick_list(session, _order_of_kind(session, order_id, OrderKind.TRANSFER))


def pick_lists(
    db: Database,
    *,
    numbers: Sequence[str] | None = None,
    location_codes: Sequence[str] | None = None,
) -> list[PickList]:
    """Pick lists of the named transfers, else of every open one."""
    with db.reading() as session:
        found = _find_orders(session, OrderKind.TRANSFER, numbers, location_codes)
        return [_pick_list(session, order) for order in found]


def _pick_list(session: Session, order: Order) -> PickList:
    storeroom = (
        session.get(Location, order.source_location_id) if order.source_location_id else None
    )
    store_setting = aliased(ParSetting)
    store_bin = aliased(Bin)
    rows = session.execute(
        select(
            OrderLine,
            Item.code,
            Item.description,
            Item.unit,
            Location.code,
            Location.name,
            store_bin.code,
            store_bin.sort_order,
        )
        .join(Item, Item.id == OrderLine.item_id)
        .join(Location, Location.id == OrderLine.location_id)
        .outerjoin(
            store_setting,
            (store_setting.location_id == order.source_location_id)
            & (store_setting.item_id == OrderLine.item_id),
        )
        .outerjoin(store_bin, store_bin.id == store_setting.bin_id)
        .where(OrderLine.order_id == order.id)
    ).all()
    grouped: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for line, code, description, unit, dest_code, dest_name, bin_code, bin_order in rows:
        # The storeroom's walking order; items without a storeroom bin come last.
        key = (bin_order is None, bin_order or 0, bin_code or "", code)
        pick = PickLine(
            bin=bin_code or "",
            item_code=code,
            description=description,
            unit=unit,
            pack_size=_tidy(line.pack_size) or Decimal(1),
            packs=line.packs,
        )
        grouped[(dest_code, dest_name)].append((key, pick))
    groups = tuple(
        PickGroup(code, name, tuple(pick for _key, pick in sorted(members, key=lambda m: m[0])))
        for (code, name), members in sorted(grouped.items())
    )
    return PickList(
        number=order.number,
        storeroom_code=storeroom.code if storeroom else "",
        storeroom_name=storeroom.name if storeroom else "",
        department=(storeroom.department or "") if storeroom else "",
        order_date=order.order_date,
        expected_date=order.expected_date,
        groups=groups,
        notes=order.notes,
    )


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
        ids = _location_ids(session, location_codes)
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
    return _tidy(setting.max_level if setting.method == "MIN/MAX" else setting.par_level)


def _count_sheet(session: Session, location: Location) -> CountSheet:
    lines = []
    for setting, code, description, unit, bin_code in _settings_in_bin_order(session, location.id):
        count_type = setting.count_type or location.default_count_type
        if count_type == NOT_COUNTED:
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
    if setting.method == "MIN/MAX":
        return (
            f"Min {_tidy(setting.min_level) or '—'} · Max {_tidy(setting.max_level) or '—'} {unit}"
        )
    return f"PAR {_tidy(setting.par_level) or '—'} {unit}"


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
                    ParSetting.location_id.in_(_location_ids(session, location_codes))
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
                    f"Pack {_tidy(item.pack_size)} {item.unit}",
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
            query = select(Location).where(Location.id.in_(_location_ids(session, location_codes)))
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
