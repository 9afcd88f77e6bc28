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
    OrderSheet,
    OrderSheetLine,
    PartyAddress,
    PickGroup,
    PickLine,
    PickList,
)
from parstudio.models import Bin, Item, Location, Order, OrderLine, ParSetting, Supplier, User
from parstudio.services.core.database import Database
from parstudio.services.core.settings import currency_of
from parstudio.services.core.store import get_or_raise
from parstudio.services.ordering.shelf_paper import (
    count_sheet,
    count_sheets,
    item_labels,
    location_ids_by_code,
    location_labels,
    shelf_labels,
    stocked_location_codes,
    tidy,
)

__all__ = [
    "count_sheet",
    "count_sheets",
    "item_labels",
    "location_labels",
    "order_kind",
    "order_sheet",
    "order_sheets",
    "pick_list",
    "pick_lists",
    "shelf_labels",
    "stocked_location_codes",
]

STOREROOM = "STOREROOM"


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
        ids = location_ids_by_code(session, location_codes)
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
            pack_size=tidy(line.pack_size) or Decimal(1),
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
        approved_by=_person(session, order.approved_by),
        status=order.status,
        notes=order.notes,
        currency=currency_of(session),
    )


def _person(session: Session, login: str | None) -> str | None:
    """A person's name from their login (the login itself if no account has it)."""
    if not login:
        return None
    name = session.scalar(select(User.display_name).where(User.login == login))
    return name or login


def pick_list(db: Database, *, order_id: int) -> PickList:
    """The pick list of one transfer (from a storeroom, or from a PAR location: a rebalance)."""
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
            pack_size=tidy(line.pack_size) or Decimal(1),
            packs=line.packs,
            lot=line.lot,
            expiry=line.expiry,
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
