"""Checking a parsed worksheet against the database: what an import would create and change."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parstudio.domain.progress import Progress
from parstudio.domain.worksheet import (
    CellError,
    HeaderMap,
    WorksheetRow,
    check_setting,
    column_for_field,
    column_letter,
    show_value,
)
from parstudio.domain.worksheet_preview import (
    CountToRecord,
    FieldChange,
    ImportPreview,
    ParsedWorksheet,
    RecordChange,
)
from parstudio.models import Barcode, Bin, Item, Location, ParSetting, Supplier

T = TypeVar("T")
BATCH = 900  # values in one IN (…): under SQLite's old limit of 999 bound parameters
WRITE_BATCH = 5000  # rows per executemany
WORKSHEET_SOURCE = "WORKSHEET"

# Fields with a default: a blank cell keeps what an existing record has (a new one gets this).
_ITEM_DEFAULTS: dict[str, Any] = {"description": None, "unit": "EA", "pack_size": Decimal(1)}
_SETTING_DEFAULTS: dict[str, Any] = {"method": "PAR", "rounding": "UP"}
SETTING_FIELDS = (
    "bin",
    "method",
    "count_type",
    "par_level",
    "min_level",
    "max_level",
    "moq",
    "lot_multiple",
    "rounding",
    "storage_capacity",
    "weekly_usage",
    "open_demand",
    "open_supply",
)
ITEM_COLUMNS = (
    "description",
    "unit",
    "pack_size",
    "supplier_item_no",
    "pack_price",
    "shelf_life_days",
)


def chunks(values: Iterable[T], size: int = BATCH) -> Iterable[list[T]]:
    """Values in lists of at most ``size`` (for IN (…) lists and executemany)."""
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Plan:
    """Everything an import writes, resolved against the database."""

    preview: ImportPreview
    rows: list[WorksheetRow] = field(default_factory=list)
    header: HeaderMap | None = None
    new_suppliers: dict[str, str] = field(default_factory=dict)  # lower key → code
    new_locations: dict[str, str] = field(default_factory=dict)
    new_items: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → values
    item_updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    barcode_updates: dict[str, tuple[str, ...]] = field(default_factory=dict)  # item code → codes
    new_settings: list[tuple[WorksheetRow, dict[str, Any]]] = field(default_factory=list)
    setting_updates: dict[int, tuple[WorksheetRow, dict[str, Any]]] = field(default_factory=dict)
    counts: list[tuple[WorksheetRow, str]] = field(default_factory=list)


def replace(preview: ImportPreview, **changes: Any) -> ImportPreview:
    """The preview with some fields changed."""
    return dataclasses.replace(preview, **changes)


@dataclass
class Context:
    """What the database already holds for the codes a worksheet names."""

    locations: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # lower → id,code,type
    suppliers: dict[str, tuple[int, str]] = field(default_factory=dict)  # lower code/name → id,code
    supplier_codes: dict[int, str] = field(default_factory=dict)
    items: dict[str, Any] = field(default_factory=dict)  # code → item row
    barcodes: dict[int, tuple[str, ...]] = field(default_factory=dict)
    barcode_owner: dict[str, str] = field(default_factory=dict)  # barcode → item code
    settings: dict[tuple[int, int], Any] = field(default_factory=dict)  # → setting row
    bins: dict[int, str] = field(default_factory=dict)  # bin id → code


def load_context(session: Session, rows: Sequence[WorksheetRow]) -> Context:
    """What the database holds for the locations, items, suppliers and barcodes rows name."""
    context = Context()
    location_keys = sorted({r.location.lower() for r in rows})
    for batch in chunks(location_keys):
        query = select(Location.id, Location.code, Location.default_count_type).where(
            func.lower(Location.code).in_(batch)
        )
        for location_id, code, count_type in session.execute(query):
            context.locations[code.lower()] = (location_id, code, count_type)
    supplier_keys = sorted(
        {str(r.item["supplier_code"]).lower() for r in rows if r.item.get("supplier_code")}
    )
    for keys in chunks(supplier_keys):
        found_suppliers = session.execute(
            select(Supplier.id, Supplier.code, Supplier.name).where(
                func.lower(Supplier.code).in_(keys) | func.lower(Supplier.name).in_(keys)
            )
        ).all()
        for supplier_id, code, name in found_suppliers:
            context.suppliers.setdefault(name.lower(), (supplier_id, code))
            context.supplier_codes[supplier_id] = code
        for supplier_id, code, _name in found_suppliers:
            context.suppliers[code.lower()] = (supplier_id, code)  # a code beats a name
    item_codes = sorted({r.item_code for r in rows})
    item_columns = [getattr(Item, name) for name in ("id", "code", "supplier_id", "active")]
    item_columns += [getattr(Item, name) for name in ITEM_COLUMNS]
    for codes_batch in chunks(item_codes):
        for item in session.execute(select(*item_columns).where(Item.code.in_(codes_batch))):
            context.items[item.code] = item
    item_ids = [item.id for item in context.items.values()]
    found: dict[int, list[str]] = defaultdict(list)
    for ids in chunks(item_ids):
        for item_id, code in session.execute(
            select(Barcode.item_id, Barcode.code)
            .where(Barcode.item_id.in_(ids))
            .order_by(Barcode.id)
        ):
            found[item_id].append(code)
    context.barcodes = {item_id: tuple(codes) for item_id, codes in found.items()}
    named = sorted({code for r in rows for code in (r.item.get("barcodes") or ())})
    for named_batch in chunks(named):
        owners = session.execute(
            select(Barcode.code, Item.code)
            .join(Item, Item.id == Barcode.item_id)
            .where(Barcode.code.in_(named_batch))
        )
        context.barcode_owner.update({barcode: owner for barcode, owner in owners})
    for supplier_id, code in session.execute(
        select(Supplier.id, Supplier.code).where(
            Supplier.id.in_({i.supplier_id for i in context.items.values() if i.supplier_id})
        )
    ):
        context.supplier_codes[supplier_id] = code
    location_ids = {entry[0] for entry in context.locations.values()}
    wanted_items = set(item_ids)
    setting_names = ("id", "location_id", "item_id", "bin_id", "active", *SETTING_FIELDS[1:])
    setting_columns = [getattr(ParSetting, name) for name in setting_names]
    # By location: a worksheet names few locations and many items, so this reads the fewest rows.
    for ids in chunks(sorted(location_ids)):
        query = select(*setting_columns).where(ParSetting.location_id.in_(ids))
        for setting in session.execute(query):
            values: dict[str, Any] = dict(zip(setting_names, setting, strict=True))
            if values["item_id"] in wanted_items:
                context.settings[(values["location_id"], values["item_id"])] = values
    for ids in chunks(sorted(location_ids)):
        for bin_id, code in session.execute(
            select(Bin.id, Bin.code).where(Bin.location_id.in_(ids))
        ):
            context.bins[bin_id] = code
    for setting in context.settings.values():
        setting["bin"] = context.bins.get(setting["bin_id"] or 0)
    return context


def make_plan(
    session: Session, parsed: ParsedWorksheet, progress: Progress | None
) -> tuple[Plan, Context]:
    """Check parsed rows against the database: the preview, and everything to write."""
    header = parsed.header
    extra = tuple(f"{letter} “{text}”" for letter, text in header.extra)
    base = ImportPreview(
        path=parsed.path,
        sheet=parsed.sheet,
        rows=parsed.rows_read or len(parsed.rows),
        extra_columns=extra,
    )
    if header.errors:
        return Plan(replace(base, errors=parsed.errors)), Context()
    # The rows that parsed are checked against the database even when others did not, so
    # the user sees every problem of the file at once.
    rows = list(parsed.rows)
    context = load_context(session, rows)
    if progress is not None:
        progress(1, 2)
    plan = Plan(base, rows=rows, header=header)
    errors = [*parsed.errors, *_resolve(plan, context, header, parsed.sheet)]
    errors.sort(key=lambda e: (e.row, len(e.column), e.column))
    plan.preview = replace(plan.preview, errors=tuple(errors))
    return plan, context


def _letter(header: HeaderMap, name: str) -> str:
    index = header.index_of(name)
    return "" if index is None else column_letter(index)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, Decimal):
        return show_value(_tidy(value))
    return show_value(value)


def _tidy(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _resolve(plan: Plan, context: Context, header: HeaderMap, sheet: str) -> list[CellError]:
    errors: list[CellError] = []
    changed_items: dict[str, RecordChange] = {}
    changed_settings: list[RecordChange] = []
    new_settings: list[str] = []
    unchanged = 0
    counts: list[CountToRecord] = []

    def error(row: int, name: str, message: str) -> None:
        errors.append(CellError(row, _letter(header, name), name, message, sheet))

    # Items: one merged view per code (blanks on some rows do not count against values on others).
    merged: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    first_item: dict[str, Any] = {}
    for row in plan.rows:
        first = first_item.setdefault(row.item_code, row.item)
        if first is not row.item and first == row.item:
            continue  # the same as its first row: nothing to merge
        first_row.setdefault(row.item_code, row.row)
        values = merged.setdefault(row.item_code, {})
        for name, value in row.item.items():
            if value is None or value == ():
                values.setdefault(name, None)
            else:
                values[name] = value
    barcode_claims: dict[str, str] = {}
    for code, values in merged.items():
        row_number = first_row[code]
        supplier_id: int | str | None = None
        if "supplier_code" in values:
            supplier_id = _supplier(plan, context, values["supplier_code"], row_number, error)
        for barcode in values.get("barcodes") or ():
            owner = context.barcode_owner.get(barcode) or barcode_claims.get(barcode)
            if owner is not None and owner != code:
                error(
                    row_number,
                    "Barcodes",
                    f"The barcode {barcode} already belongs to item {owner}.",
                )
            barcode_claims[barcode] = code
        existing = context.items.get(code)
        if existing is None:
            if not values.get("description"):
                error(row_number, "Description", f"Item {code} is new and needs a Description.")
            new = {name: values.get(name) for name in ITEM_COLUMNS}
            for name, default in _ITEM_DEFAULTS.items():
                if new.get(name) is None:
                    new[name] = default
            new["unit"] = (new["unit"] or "EA").upper()
            new["supplier_id"] = supplier_id
            new["barcodes"] = values.get("barcodes") or ()
            plan.new_items[code] = new
            continue
        update: dict[str, Any] = {}
        shown: list[FieldChange] = []
        for name in ITEM_COLUMNS:
            if name not in values:
                continue
            value = values[name]
            if value is None and name in _ITEM_DEFAULTS:
                continue
            if name == "unit":
                value = value.upper()
            old = getattr(existing, name)
            if old != value:
                update[name] = value
                shown.append(FieldChange(column_for_field(name).name, _show(old), _show(value)))
        if "supplier_code" in values and supplier_id != existing.supplier_id:
            update["supplier_id"] = supplier_id
            old_code = context.supplier_codes.get(existing.supplier_id or 0, "")
            new_code = (
                context.supplier_codes.get(supplier_id, "")
                if isinstance(supplier_id, int)
                else str(supplier_id or "")
            )
            shown.append(FieldChange("Supplier", old_code, new_code))
        if not existing.active:
            update["active"] = True
            shown.append(FieldChange("Active", "no", "yes"))
        codes = values.get("barcodes")
        # A cell's text is trimmed, but an HIBC code may end in a space (its check character):
        # compare trimmed, so an export read back does not "change" such a barcode.
        had = tuple(b.strip() for b in context.barcodes.get(existing.id, ()))
        if codes and tuple(codes) != had:
            plan.barcode_updates[code] = tuple(codes)
            shown.append(
                FieldChange("Barcodes", _show(context.barcodes.get(existing.id, ())), _show(codes))
            )
        if shown:
            plan.item_updates[existing.id] = update
            changed_items[code] = RecordChange(code, row_number, tuple(shown))

    # Locations, settings and counts, row by row.
    for row in plan.rows:
        key = row.location.lower()
        known = context.locations.get(key)
        if known is None and key not in plan.new_locations:
            plan.new_locations[key] = row.location
        default_type = known[2] if known else "ON HAND"
        item = context.items.get(row.item_code)
        setting = context.settings.get((known[0], item.id)) if known is not None and item else None
        if setting is None:
            values = dict(row.setting)
            for name, default in _SETTING_DEFAULTS.items():
                if values.get(name) is None:
                    values[name] = default
            problem = check_setting(values, default_count_type=default_type)
            if problem:
                error(row.row, column_for_field(problem[0]).name, problem[1])
            plan.new_settings.append((row, values))
            new_settings.append(f"{known[1] if known else row.location} / {row.item_code}")
            count_type = values.get("count_type") or default_type
        else:
            update = {}
            shown = []
            # Most rows of a re-imported export match exactly: one subset test, done in C.
            same = setting["active"] and row.setting.items() <= setting.items()
            if not setting["active"]:
                # A row for a deactivated line brings it back: the worksheet lists active lines.
                update["active"] = True
                shown.append(FieldChange("Active", "no", "yes"))
            for name, value in () if same else row.setting.items():
                if value is None and name in _SETTING_DEFAULTS:
                    continue
                old = setting[name]
                if old != value:
                    update[name] = value
                    shown.append(FieldChange(column_for_field(name).name, _show(old), _show(value)))
            if shown:
                current = {name: setting.get(name) for name in SETTING_FIELDS}
                problem = check_setting({**current, **update}, default_count_type=default_type)
                if problem:
                    error(row.row, column_for_field(problem[0]).name, problem[1])
                plan.setting_updates[setting["id"]] = (row, update)
                label = f"{known[1] if known else row.location} / {row.item_code}"
                changed_settings.append(RecordChange(label, row.row, tuple(shown)))
            elif row.item_code not in changed_items:
                unchanged += 1
            count_type = update.get("count_type", setting["count_type"]) or default_type
        if row.count is not None:
            plan.counts.append((row, count_type))
            counts.append(
                CountToRecord(
                    known[1] if known else row.location,
                    row.item_code,
                    count_type,
                    row.count,
                    row.row,
                )
            )
    plan.preview = replace(
        plan.preview,
        new_locations=tuple(sorted(plan.new_locations.values())),
        new_suppliers=tuple(sorted(plan.new_suppliers.values())),
        new_items=tuple(sorted(plan.new_items)),
        new_settings=tuple(new_settings),
        changed_items=tuple(changed_items.values()),
        changed_settings=tuple(changed_settings),
        unchanged=unchanged,
        counts=tuple(counts),
    )
    return errors


def _supplier(
    plan: Plan, context: Context, text: str | None, row: int, error: Any
) -> int | str | None:
    """The id of a known supplier, or the code of one to create ('' when blank)."""
    if not text:
        return None
    key = text.strip().lower()
    if key in context.suppliers:
        return context.suppliers[key][0]
    if len(text) > 40:
        error(
            row,
            "Supplier",
            f"The supplier “{text}” is new and its name is too long to be its code (at most "
            "40 characters); add the supplier first, then use its code.",
        )
    plan.new_suppliers.setdefault(key, text.strip())
    return plan.new_suppliers[key]
