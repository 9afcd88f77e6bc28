"""Writing a checked worksheet import: bulk inserts and batched updates, in one transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from parstudio.domain.progress import Progress
from parstudio.models import Barcode, Bin, Item, Location, ParSetting, Supplier
from parstudio.services.catalog.items import barcode_kind
from parstudio.services.core.store import chunks
from parstudio.services.worksheets.context import (
    ITEM_COLUMNS,
    SETTING_FIELDS,
    WRITE_BATCH,
    Context,
    Plan,
)
from parstudio.services.worksheets.counts import record_counts


def write_plan(
    session: Session, plan: Plan, context: Context, user: str, progress: Progress | None
) -> None:
    """Write a checked plan in the session's transaction, reporting progress as it goes."""
    report = progress or (lambda _done, _total: None)
    total = 3 + len(plan.new_settings) + len(plan.setting_updates) + len(plan.counts)
    now = datetime.now(UTC)
    audit = {"updated_by": user, "created_at": now, "updated_at": now, "version": 1}
    if plan.new_suppliers:
        session.execute(
            insert(Supplier),
            [
                {
                    "code": code,
                    "name": code,
                    "lead_time_days": 2,
                    "delivery_weekdays": "",
                    "active": True,
                    **audit,
                }
                for code in plan.new_suppliers.values()
            ],
        )
        for supplier_id, code in session.execute(
            select(Supplier.id, Supplier.code).where(
                Supplier.code.in_(list(plan.new_suppliers.values()))
            )
        ):
            context.suppliers[code.lower()] = (supplier_id, code)
    if plan.new_locations:
        session.execute(
            insert(Location),
            [
                {
                    "code": code,
                    "name": code,
                    "kind": "PAR LOCATION",
                    "default_count_type": "ON HAND",
                    "deliveries_per_week": 1,
                    "delivery_weekdays": "",
                    "blind_count": False,
                    "scan_adds_one": True,
                    "active": True,
                    **audit,
                }
                for code in plan.new_locations.values()
            ],
        )
        for batch in chunks(list(plan.new_locations.values())):
            for location_id, code, count_type in session.execute(
                select(Location.id, Location.code, Location.default_count_type).where(
                    Location.code.in_(batch)
                )
            ):
                context.locations[code.lower()] = (location_id, code, count_type)

    def supplier_of(value: int | str | None) -> int | None:
        if value is None or isinstance(value, int):
            return value
        return context.suppliers[value.lower()][0]

    item_ids = {code: item.id for code, item in context.items.items()}
    if plan.new_items:
        session.execute(
            insert(Item),
            [
                {
                    "code": code,
                    **{k: v for k, v in values.items() if k in ITEM_COLUMNS},
                    "supplier_id": supplier_of(values["supplier_id"]),
                    "expensed": True,
                    "consignment": False,
                    "active": True,
                    **audit,
                }
                for code, values in plan.new_items.items()
            ],
        )
        for batch in chunks(list(plan.new_items)):
            for code, item_id in session.execute(
                select(Item.code, Item.id).where(Item.code.in_(batch))
            ):
                item_ids[code] = item_id
        barcodes = [
            {"item_id": item_ids[code], "code": barcode, "kind": barcode_kind(barcode)}
            for code, values in plan.new_items.items()
            for barcode in values["barcodes"]
        ]
        if barcodes:
            session.execute(insert(Barcode), barcodes)
    item_updates = []
    for item_id, values in plan.item_updates.items():
        if "supplier_id" in values:
            values = {**values, "supplier_id": supplier_of(values["supplier_id"])}
        item_updates.append((item_id, values))
    _update(session, Item, item_updates, user, now)
    for code, barcodes_of_item in plan.barcode_updates.items():
        item_id = item_ids[code]
        session.execute(delete(Barcode).where(Barcode.item_id == item_id))
        session.execute(
            insert(Barcode),
            [{"item_id": item_id, "code": b, "kind": barcode_kind(b)} for b in barcodes_of_item],
        )

    report(1, total)
    bin_ids = _ensure_bins(session, plan, context)
    done = 2
    if plan.new_settings:
        inserts = []
        for row, extra in plan.new_settings:
            values = {**row.setting, **extra}
            location_id = context.locations[row.location.lower()][0]
            record = {k: v for k, v in values.items() if k != "bin"}
            record["bin_id"] = (
                bin_ids.get((location_id, values["bin"])) if values.get("bin") else None
            )
            inserts.append(
                {
                    **{name: None for name in SETTING_FIELDS if name != "bin"},
                    **record,
                    "location_id": location_id,
                    "item_id": item_ids[row.item_code],
                    "active": True,
                    **audit,
                }
            )
        for insert_batch in chunks(inserts, WRITE_BATCH):
            session.execute(insert(ParSetting), insert_batch)
            done += len(insert_batch)
            report(done, total)
    setting_updates = []
    for setting_id, (row, values) in plan.setting_updates.items():
        values = dict(values)
        if "bin" in values:
            location_id = context.locations[row.location.lower()][0]
            code = values.pop("bin")
            values["bin_id"] = bin_ids.get((location_id, code)) if code else None
        setting_updates.append((setting_id, values))
    _update(session, ParSetting, setting_updates, user, now)
    done += len(setting_updates)
    report(done, total)
    record_counts(session, plan, context, item_ids, user)
    report(total, total)


def _update(
    session: Session,
    model: Any,
    changes: Sequence[tuple[int, dict[str, Any]]],
    user: str,
    now: datetime,
) -> None:
    """Update rows by id, one executemany per set of changed columns."""
    table = model.__table__
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row_id, values in changes:
        if values:
            names = tuple(sorted(values))
            by_columns[names].append({"row_id": row_id, **{f"new_{k}": values[k] for k in names}})
    for names, parameters in by_columns.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(
                {
                    **{name: bindparam(f"new_{name}") for name in names},
                    "version": table.c.version + 1,
                    "updated_by": user,
                    "updated_at": now,
                }
            )
        )
        for batch in chunks(parameters, WRITE_BATCH):
            # Through the session, so the write guard and the audit see it.
            session.execute(statement, batch)


def _ensure_bins(session: Session, plan: Plan, context: Context) -> dict[tuple[int, str], int]:
    wanted: dict[int, list[str]] = defaultdict(list)
    changed = [(row, row.setting) for row, _extra in plan.new_settings]
    for row, values in [*changed, *plan.setting_updates.values()]:
        code = values.get("bin")
        if code:
            location_id = context.locations[row.location.lower()][0]
            if code not in wanted[location_id]:
                wanted[location_id].append(code)
    found: dict[tuple[int, str], int] = {}
    if not wanted:
        return found
    last: dict[int, int] = defaultdict(int)
    for batch in chunks(list(wanted)):
        for bin_id, location_id, code, order in session.execute(
            select(Bin.id, Bin.location_id, Bin.code, Bin.sort_order).where(
                Bin.location_id.in_(batch)
            )
        ):
            found[(location_id, code)] = bin_id
            last[location_id] = max(last[location_id], order or 0)
    missing = []
    for location_id, codes in wanted.items():
        for code in codes:
            if (location_id, code) not in found:
                last[location_id] += 1
                missing.append(
                    {"location_id": location_id, "code": code, "sort_order": last[location_id]}
                )
    if missing:
        session.execute(insert(Bin), missing)
        for batch in chunks(list(wanted)):
            for bin_id, location_id, code in session.execute(
                select(Bin.id, Bin.location_id, Bin.code).where(Bin.location_id.in_(batch))
            ):
                found[(location_id, code)] = bin_id
    return found
