"""What people call a record: an item's code, a location's code, an order's number.

The audit log stores a table and an id; these queries turn them into the names the supply
office uses ("GLS-003 at CT1", "PO-2026-00012 GLS-003 → CT1"), and find the ids whose name
matches a search, so that searching the log for "GLS-003" finds every change to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from parstudio.domain.cases import masked
from parstudio.models.cases import PatientCase, UseLine
from parstudio.models.catalog import Barcode, Bin, Item, Location, ParSetting, Supplier
from parstudio.models.counts import Count, CountLine, Receipt, Waste
from parstudio.models.orders import Order, OrderLine
from parstudio.models.review import ParReviewDecision, ParSeason
from parstudio.models.users import AuditEntry, User


def _at(item_code: Any, location_code: Any) -> Any:
    return item_code + literal(" at ") + location_code


def _setting_names() -> Select[int, str]:
    return (
        select(ParSetting.id, _at(Item.code, Location.code))
        .join(Item, Item.id == ParSetting.item_id)
        .join(Location, Location.id == ParSetting.location_id)
    )


def _child_of_setting(model: Any, suffix: Any) -> Callable[[], Select[int, str]]:
    def names() -> Select[int, str]:
        return (
            select(model.id, _at(Item.code, Location.code) + suffix)
            .join(ParSetting, ParSetting.id == model.par_setting_id)
            .join(Item, Item.id == ParSetting.item_id)
            .join(Location, Location.id == ParSetting.location_id)
        )

    return names


def _item_at_location(model: Any) -> Callable[[], Select[int, str]]:
    def names() -> Select[int, str]:
        return (
            select(model.id, _at(Item.code, Location.code))
            .join(Item, Item.id == model.item_id)
            .join(Location, Location.id == model.location_id)
        )

    return names


def _order_line_names() -> Select[int, str]:
    destination = aliased(Location)
    return (
        select(
            OrderLine.id,
            Order.number + literal(" ") + Item.code + literal(" → ") + destination.code,
        )
        .join(Order, Order.id == OrderLine.order_id)
        .join(Item, Item.id == OrderLine.item_id)
        .join(destination, destination.id == OrderLine.location_id)
    )


def _use_line_names() -> Select[int, str]:
    return (
        select(UseLine.id, Item.code + literal(" on case ") + PatientCase.identifier)
        .join(Item, Item.id == UseLine.item_id)
        .join(PatientCase, PatientCase.id == UseLine.case_id)
    )


# Each: a query of (id, name) over one table. Tables not here keep "#id".
NAMES: dict[str, Callable[[], Select[int, str]]] = {
    "item": lambda: select(Item.id, Item.code),
    "supplier": lambda: select(Supplier.id, Supplier.code),
    "location": lambda: select(Location.id, Location.code),
    "app_user": lambda: select(User.id, User.login),
    "purchase_order": lambda: select(Order.id, Order.number),
    "bin": lambda: select(Bin.id, Location.code + literal(" bin ") + Bin.code).join(
        Location, Location.id == Bin.location_id
    ),
    "barcode": lambda: select(
        Barcode.id, Barcode.code + literal(" (") + Item.code + literal(")")
    ).join(Item, Item.id == Barcode.item_id),
    "par_setting": _setting_names,
    "par_season": _child_of_setting(ParSeason, literal(", season ") + ParSeason.name),
    "par_review_decision": _child_of_setting(ParReviewDecision, literal("")),
    "order_line": _order_line_names,
    "count": lambda: select(Count.id, Location.code + literal(" count")).join(
        Location, Location.id == Count.location_id
    ),
    "count_line": _item_at_location(CountLine),
    "receipt": _item_at_location(Receipt),
    "waste": _item_at_location(Waste),
    "patient_case": lambda: select(PatientCase.id, PatientCase.identifier),
    "use_line": _use_line_names,
}

# Tables whose names hold a case identifier, which viewers never see: for them, a query of
# (id, the case's id, what comes before the case) so the name is built with the mask instead.
MASKED: dict[str, Callable[[], Select[int, int, str]]] = {
    "patient_case": lambda: select(PatientCase.id, PatientCase.id, literal("")),
    "use_line": lambda: select(UseLine.id, UseLine.case_id, Item.code + literal(" on case ")).join(
        Item, Item.id == UseLine.item_id
    ),
}


def record_names(
    session: Session, keys: Iterable[tuple[str, int]], *, hide_identifiers: bool = False
) -> dict[tuple[str, int], str]:
    """The names of these (table, id) records; records gone or unnamed are left out.

    With ``hide_identifiers`` (a viewer), a case is named by its mask, never its identifier.
    """
    wanted: dict[str, set[int]] = {}
    for table, record_id in keys:
        if table in NAMES:
            wanted.setdefault(table, set()).add(record_id)
    found: dict[tuple[str, int], str] = {}
    for table, ids in wanted.items():
        if hide_identifiers and table in MASKED:
            masking = MASKED[table]()
            for record_id, case_id, before in session.execute(
                masking.where(masking.selected_columns[0].in_(sorted(ids)))
            ):
                found[(table, int(record_id))] = f"{before}{masked(int(case_id))}"
            continue
        query = NAMES[table]()
        id_column = query.selected_columns[0]
        for record_id, name in session.execute(query.where(id_column.in_(sorted(ids)))):
            found[(table, int(record_id))] = str(name)
    return found


def named_like(pattern: str, *, hide_identifiers: bool = False) -> ColumnElement[bool]:
    """Audit entries about a record whose name contains ``pattern`` (lower case, with %).

    With ``hide_identifiers`` a case's identifier is not searched: a viewer cannot find out
    which identifiers exist by searching for them.
    """
    clauses = []
    for table, names in NAMES.items():
        if hide_identifiers and table in MASKED:
            continue
        query = names()
        id_column, name_column = query.selected_columns[0], query.selected_columns[1]
        matching = query.with_only_columns(id_column).where(func.lower(name_column).like(pattern))
        clauses.append(and_(AuditEntry.table_name == table, AuditEntry.record_id.in_(matching)))
    return or_(*clauses)
