"""Importing a PAR worksheet: read it, check it against the database, preview, apply in one go."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from parstudio.domain.errors import ConflictError
from parstudio.domain.progress import Progress
from parstudio.domain.worksheet import (
    CellError,
    HeaderMap,
    WorksheetRow,
    check_setting,
    column_for_field,
    column_letter,
    is_blank,
    map_headers,
    parse_rows,
    show_value,
)
from parstudio.domain.worksheet_preview import (
    CountToRecord,
    FieldChange,
    ImportPreview,
    ParsedWorksheet,
    RecordChange,
)
from parstudio.models import Barcode, Bin, Count, CountLine, Item, Location, ParSetting, Supplier
from parstudio.reports.worksheet_read import (
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    SheetData,
    read_first_sheet,
)
from parstudio.services._store import writing
from parstudio.services.database import Database
from parstudio.services.items import barcode_kind

T = TypeVar("T")
_BATCH = 900  # values in one IN (…): under SQLite's old limit of 999 bound parameters
_WRITE_BATCH = 5000  # rows per executemany
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
_ITEM_COLUMNS = (
    "description",
    "unit",
    "pack_size",
    "supplier_item_no",
    "pack_price",
    "shelf_life_days",
)


def _chunks(values: Iterable[T], size: int = _BATCH) -> Iterable[list[T]]:
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class _Plan:
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


def read_worksheet(
    path: Path | str,
    *,
    progress: Progress | None = None,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_rows: int = MAX_ROWS,
) -> SheetData:
    """Read the first sheet of a worksheet file (checked for safety first); writes nothing."""
    return read_first_sheet(
        path, max_uncompressed_bytes=max_uncompressed_bytes, max_rows=max_rows, progress=progress
    )


def parse_worksheet(
    sheet: SheetData,
    *,
    path: Path | str,
    header_overrides: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ParsedWorksheet:
    """Map a sheet's headers and parse its rows, with every cell-level error; no database."""
    header = map_headers(sheet.header, header_overrides, sheet=sheet.name)
    if header.errors:
        return ParsedWorksheet(str(path), sheet.name, header, (), header.errors)
    rows, errors = parse_rows(sheet.rows, header, sheet=sheet.name, progress=progress)
    read = sum(1 for cells in sheet.rows if not all(is_blank(c) for c in cells))
    return ParsedWorksheet(str(path), sheet.name, header, tuple(rows), tuple(errors), read)


def _parsed(
    path: Path | str | None,
    worksheet: ParsedWorksheet | None,
    header_overrides: Mapping[str, str] | None,
    limits: dict[str, int],
    phases: _Phases,
) -> ParsedWorksheet:
    if worksheet is not None:
        return worksheet
    if path is None:
        raise TypeError("give a path or a parsed worksheet")
    sheet = read_worksheet(path, progress=phases.next(), **limits)
    return parse_worksheet(
        sheet, path=path, header_overrides=header_overrides, progress=phases.next()
    )


def preview_import(
    db: Database,
    *,
    path: Path | str | None = None,
    worksheet: ParsedWorksheet | None = None,
    header_overrides: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_rows: int = MAX_ROWS,
) -> ImportPreview:
    """What importing this worksheet (a file, or one already parsed) would do; writes nothing.

    ``progress(done, total)`` is told how far the work is; raising CancelledError in it stops.
    """
    phases = _Phases(progress, (2 if worksheet is None else 0) + 1)
    limits = {"max_uncompressed_bytes": max_uncompressed_bytes, "max_rows": max_rows}
    parsed = _parsed(path, worksheet, header_overrides, limits, phases)
    with db.reading() as session:
        fingerprint = _fingerprint(session)
        plan, context = _plan(session, parsed, phases.next())
    phases.finish()
    if not plan.preview.is_valid or not plan.preview.has_changes:
        return plan.preview
    return _replace(plan.preview, prepared=_Prepared(parsed, plan, context, fingerprint))


def apply_import(
    db: Database,
    *,
    path: Path | str | None = None,
    worksheet: ParsedWorksheet | None = None,
    header_overrides: Mapping[str, str] | None = None,
    expected: ImportPreview | None = None,
    progress: Progress | None = None,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_rows: int = MAX_ROWS,
) -> ImportPreview:
    """Import the worksheet in one transaction if it is valid; an invalid one writes nothing.

    With ``expected`` (the preview the user saw), an import that would now do something else,
    because the database changed meanwhile, is refused. Cancelling (CancelledError raised in
    ``progress``) rolls everything back.
    """
    phases = _Phases(progress, (2 if worksheet is None else 0) + 2)
    limits = {"max_uncompressed_bytes": max_uncompressed_bytes, "max_rows": max_rows}
    parsed = _parsed(path, worksheet, header_overrides, limits, phases)
    with writing(db) as session:
        reused = _reuse(session, expected, parsed)
        plan, context = reused or _plan(session, parsed, phases.next())
        if not plan.preview.is_valid or not plan.preview.has_changes:
            return _replace(plan.preview, prepared=None)
        if expected is not None and _differs(expected, plan.preview):
            raise ConflictError(
                "The database changed since the preview (someone else edited these items or "
                "PAR settings). Nothing was imported; preview the worksheet again."
            )
        _write(session, plan, context, db.user_name, phases.next())
    phases.finish()
    return _replace(plan.preview, applied=True, prepared=None)


class _Prepared:
    """The plan behind a preview; apply may use it once, if the database has not changed."""

    def __init__(
        self, parsed: ParsedWorksheet, plan: _Plan, context: _Context, fingerprint: tuple[Any, ...]
    ) -> None:
        self.parsed = parsed
        self.fingerprint = fingerprint
        self.plan: tuple[_Plan, _Context] | None = (plan, context)

    def take(self) -> tuple[_Plan, _Context] | None:
        """The plan, once: writing changes it, so a second apply plans afresh."""
        plan, self.plan = self.plan, None
        return plan


def _reuse(
    session: Session, expected: ImportPreview | None, parsed: ParsedWorksheet
) -> tuple[_Plan, _Context] | None:
    """The preview's own plan when it is for this worksheet and nothing changed since."""
    prepared = expected.prepared if expected is not None else None
    if not isinstance(prepared, _Prepared) or prepared.parsed is not parsed:
        return None
    plan = prepared.take()
    if plan is None or _fingerprint(session) != prepared.fingerprint:
        return None
    return plan


def _fingerprint(session: Session) -> tuple[Any, ...]:
    """A summary of every table a plan reads, which any insert, update or delete changes."""
    found: list[Any] = []
    for model in (Item, ParSetting, Location, Supplier):
        # Every update raises a version; inserts and deletes change the count or the ids.
        found.extend(
            session.execute(select(func.count(), func.sum(model.version), func.sum(model.id))).one()
        )
    found.extend(session.execute(select(func.count(), func.sum(Barcode.id))).one())
    found.extend(
        session.execute(select(func.count(), func.sum(Bin.id), func.sum(Bin.sort_order))).one()
    )
    return tuple(found)


def _differs(expected: ImportPreview, now: ImportPreview) -> bool:
    return (
        expected.new_locations != now.new_locations
        or expected.new_suppliers != now.new_suppliers
        or expected.new_items != now.new_items
        or expected.new_settings != now.new_settings
        or expected.changed_items != now.changed_items
        or expected.changed_settings != now.changed_settings
        or expected.counts != now.counts
    )


class _Phases:
    """Turns the steps of one job (read, check, compare, write) into one progress scale."""

    STEP = 1000

    def __init__(self, progress: Progress | None, count: int) -> None:
        self.progress = progress
        self.count = max(count, 1)
        self.index = -1

    def next(self) -> Progress | None:
        """The progress callback of the next step."""
        self.index += 1
        if self.progress is None:
            return None
        base, report, total = self.index * self.STEP, self.progress, self.count * self.STEP

        def step(done: int, of: int) -> None:
            report(base + (done * self.STEP // of if of else self.STEP), total)

        step(0, 1)
        return step

    def finish(self) -> None:
        """Report the whole job done."""
        if self.progress is not None:
            total = self.count * self.STEP
            self.progress(total, total)


def _replace(preview: ImportPreview, **changes: Any) -> ImportPreview:
    return dataclasses.replace(preview, **changes)


@dataclass
class _Context:
    """What the database already holds for the codes a worksheet names."""

    locations: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # lower → id,code,type
    suppliers: dict[str, tuple[int, str]] = field(default_factory=dict)  # lower code/name → id,code
    supplier_codes: dict[int, str] = field(default_factory=dict)
    items: dict[str, Any] = field(default_factory=dict)  # code → item row
    barcodes: dict[int, tuple[str, ...]] = field(default_factory=dict)
    barcode_owner: dict[str, str] = field(default_factory=dict)  # barcode → item code
    settings: dict[tuple[int, int], Any] = field(default_factory=dict)  # → setting row
    bins: dict[int, str] = field(default_factory=dict)  # bin id → code


def _load(session: Session, rows: Sequence[WorksheetRow]) -> _Context:
    context = _Context()
    location_keys = sorted({r.location.lower() for r in rows})
    for batch in _chunks(location_keys):
        query = select(Location.id, Location.code, Location.default_count_type).where(
            func.lower(Location.code).in_(batch)
        )
        for location_id, code, count_type in session.execute(query):
            context.locations[code.lower()] = (location_id, code, count_type)
    supplier_keys = sorted(
        {str(r.item["supplier_code"]).lower() for r in rows if r.item.get("supplier_code")}
    )
    for keys in _chunks(supplier_keys):
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
    item_columns += [getattr(Item, name) for name in _ITEM_COLUMNS]
    for codes_batch in _chunks(item_codes):
        for item in session.execute(select(*item_columns).where(Item.code.in_(codes_batch))):
            context.items[item.code] = item
    item_ids = [item.id for item in context.items.values()]
    found: dict[int, list[str]] = defaultdict(list)
    for ids in _chunks(item_ids):
        for item_id, code in session.execute(
            select(Barcode.item_id, Barcode.code)
            .where(Barcode.item_id.in_(ids))
            .order_by(Barcode.id)
        ):
            found[item_id].append(code)
    context.barcodes = {item_id: tuple(codes) for item_id, codes in found.items()}
    named = sorted({code for r in rows for code in (r.item.get("barcodes") or ())})
    for named_batch in _chunks(named):
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
    for ids in _chunks(sorted(location_ids)):
        query = select(*setting_columns).where(ParSetting.location_id.in_(ids))
        for setting in session.execute(query):
            values: dict[str, Any] = dict(zip(setting_names, setting, strict=True))
            if values["item_id"] in wanted_items:
                context.settings[(values["location_id"], values["item_id"])] = values
    for ids in _chunks(sorted(location_ids)):
        for bin_id, code in session.execute(
            select(Bin.id, Bin.code).where(Bin.location_id.in_(ids))
        ):
            context.bins[bin_id] = code
    return context


def _plan(
    session: Session, parsed: ParsedWorksheet, progress: Progress | None
) -> tuple[_Plan, _Context]:
    header = parsed.header
    extra = tuple(f"{letter} “{text}”" for letter, text in header.extra)
    base = ImportPreview(
        path=parsed.path,
        sheet=parsed.sheet,
        rows=parsed.rows_read or len(parsed.rows),
        extra_columns=extra,
    )
    if header.errors:
        return _Plan(_replace(base, errors=parsed.errors)), _Context()
    # The rows that parsed are checked against the database even when others did not, so
    # the user sees every problem of the file at once.
    rows = list(parsed.rows)
    context = _load(session, rows)
    if progress is not None:
        progress(1, 2)
    plan = _Plan(base, rows=rows, header=header)
    errors = [*parsed.errors, *_resolve(plan, context, header, parsed.sheet)]
    errors.sort(key=lambda e: (e.row, len(e.column), e.column))
    plan.preview = _replace(plan.preview, errors=tuple(errors))
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


def _resolve(plan: _Plan, context: _Context, header: HeaderMap, sheet: str) -> list[CellError]:
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
    for row in plan.rows:
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
            new = {name: values.get(name) for name in _ITEM_COLUMNS}
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
        for name in _ITEM_COLUMNS:
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
            setting_bin = context.bins.get(setting["bin_id"] or 0)
            update = {}
            shown = []
            if not setting["active"]:
                # A row for a deactivated line brings it back: the worksheet lists active lines.
                update["active"] = True
                shown.append(FieldChange("Active", "no", "yes"))
            for name, value in row.setting.items():
                if value is None and name in _SETTING_DEFAULTS:
                    continue
                old = setting_bin if name == "bin" else setting[name]
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
    plan.preview = _replace(
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
    plan: _Plan, context: _Context, text: str | None, row: int, error: Any
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


def _write(
    session: Session, plan: _Plan, context: _Context, user: str, progress: Progress | None
) -> None:
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
        for batch in _chunks(list(plan.new_locations.values())):
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
                    **{k: v for k, v in values.items() if k in _ITEM_COLUMNS},
                    "supplier_id": supplier_of(values["supplier_id"]),
                    "expensed": True,
                    "consignment": False,
                    "active": True,
                    **audit,
                }
                for code, values in plan.new_items.items()
            ],
        )
        for batch in _chunks(list(plan.new_items)):
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
        for row, values in plan.new_settings:
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
        for insert_batch in _chunks(inserts, _WRITE_BATCH):
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
    _record_counts(session, plan, context, item_ids, user, now)
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
        for batch in _chunks(parameters, _WRITE_BATCH):
            session.connection().execute(statement, batch)


def _ensure_bins(session: Session, plan: _Plan, context: _Context) -> dict[tuple[int, str], int]:
    wanted: dict[int, list[str]] = defaultdict(list)
    for row, values in [*plan.new_settings, *plan.setting_updates.values()]:
        code = values.get("bin")
        if code:
            location_id = context.locations[row.location.lower()][0]
            if code not in wanted[location_id]:
                wanted[location_id].append(code)
    found: dict[tuple[int, str], int] = {}
    if not wanted:
        return found
    last: dict[int, int] = defaultdict(int)
    for batch in _chunks(list(wanted)):
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
        for batch in _chunks(list(wanted)):
            for bin_id, location_id, code in session.execute(
                select(Bin.id, Bin.location_id, Bin.code).where(Bin.location_id.in_(batch))
            ):
                found[(location_id, code)] = bin_id
    return found


def _record_counts(
    session: Session,
    plan: _Plan,
    context: _Context,
    item_ids: dict[str, int],
    user: str,
    now: datetime,
) -> None:
    by_location: dict[int, list[tuple[WorksheetRow, str]]] = defaultdict(list)
    for row, count_type in plan.counts:
        by_location[context.locations[row.location.lower()][0]].append((row, count_type))
    for location_id, entries in by_location.items():
        count_id = session.execute(
            insert(Count)
            .values(
                location_id=location_id,
                started_at=now,
                finished_at=now,
                counted_by=user,
                source=WORKSHEET_SOURCE,
            )
            .returning(Count.id)
        ).scalar_one()
        lines = [
            {
                "count_id": count_id,
                "location_id": location_id,
                "item_id": item_ids[row.item_code],
                "count_type": count_type,
                "quantity": row.count,
                "recorded_at": now,
                "recorded_by": user,
            }
            for row, count_type in entries
        ]
        for batch in _chunks(lines):
            session.execute(insert(CountLine), batch)
