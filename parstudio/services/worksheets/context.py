"""What the database already holds for the codes a worksheet names, read in batches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, Select, func, or_, select
from sqlalchemy.orm import Session

from parstudio.domain.worksheet import WorksheetRow
from parstudio.domain.worksheet_preview import ImportPreview
from parstudio.models import Barcode, Bin, Item, Location, ParSetting, Supplier
from parstudio.services.core.bulk import read_rows_in_parts
from parstudio.services.core.store import IN_BATCH, chunks

BATCH = IN_BATCH
WRITE_BATCH = 5000  # rows per executemany
_STREAM = 20_000  # rows fetched at a time from a big query
_WHOLE_TABLE_SHARE = 4  # keys for a quarter of a table or more: the table is read whole
WORKSHEET_SOURCE = "WORKSHEET"

# Fields with a default: a blank cell keeps what an existing record has (a new one gets this).
ITEM_DEFAULTS: dict[str, Any] = {"description": None, "unit": "EA", "pack_size": Decimal(1)}
SETTING_DEFAULTS: dict[str, Any] = {"method": "PAR", "rounding": "UP"}
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

ITEM_ROW = ("id", "code", "supplier_id", "active", "version", "updated_by", *ITEM_COLUMNS)
"""The columns of ``Context.items``' rows, in order: ``ITEM_COLUMNS`` come last."""
ITEM_COLUMNS_AT = ITEM_ROW.index(ITEM_COLUMNS[0])
"""Where ``ITEM_COLUMNS`` start in an item's row."""


@dataclass
class Context:
    """What the database already holds for the codes a worksheet names."""

    locations: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # lower → id,code,type
    suppliers: dict[str, tuple[int, str]] = field(default_factory=dict)  # lower code/name → id,code
    supplier_codes: dict[int, str] = field(default_factory=dict)
    items: dict[str, Any] = field(default_factory=dict)  # code → item row
    barcodes: dict[int, tuple[str, ...]] = field(default_factory=dict)
    barcode_owner: dict[str, str] = field(default_factory=dict)  # barcode → item code
    settings: dict[tuple[int, int], tuple[Any, ...]] = field(default_factory=dict)
    """(location id, item id) → the setting's values, in the order of SETTING_NAMES."""
    bins: dict[int, str] = field(default_factory=dict)  # bin id → code
    by_name: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # lower name → location
    """Locations by name, for sheets named after a location (looked up only for those)."""
    sheet_notes: tuple[str, ...] = ()
    """Which sheet took which location from its name, for the preview."""


@dataclass
class Plan:
    """Everything an import writes, resolved against the database."""

    preview: ImportPreview
    rows: list[WorksheetRow] = field(default_factory=list)
    new_suppliers: dict[str, str] = field(default_factory=dict)  # lower key → code
    new_locations: dict[str, str] = field(default_factory=dict)
    new_items: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → values
    item_updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    barcode_updates: dict[str, tuple[str, ...]] = field(default_factory=dict)  # item code → codes
    new_settings: list[tuple[WorksheetRow, dict[str, Any]]] = field(default_factory=list)
    """(row, the defaults its blank fields take) of each new setting."""
    setting_updates: dict[int, tuple[WorksheetRow, dict[str, Any]]] = field(default_factory=dict)
    counts: list[tuple[WorksheetRow, str, datetime]] = field(default_factory=list)
    """(row, count type, when counted, aware UTC) of the counts to record."""
    versions: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)
    """(table, id) → (version previewed, what the preview calls it) of every row updated."""
    newer: str = ""
    """A warning: settings the import changes were changed after the file was saved."""


def load_context(
    session: Session, rows: Sequence[WorksheetRow], sheet_names: Sequence[str] = ()
) -> Context:
    """What the database holds for the locations, items, suppliers and barcodes rows name."""
    context = Context()
    # Core, not the ORM: these are plain column reads, and the ORM's loading per row cost a
    # third of them on a big worksheet.
    connection = session.connection()
    if sheet_names:
        keys = [name.strip().lower() for name in sheet_names]
        by_name = select(
            Location.id, Location.code, Location.default_count_type, Location.name
        ).where(or_(func.lower(Location.code).in_(keys), func.lower(Location.name).in_(keys)))
        for location_id, code, count_type, name in connection.execute(by_name):
            context.by_name[name.lower()] = (location_id, code, count_type)
            context.locations[code.lower()] = (location_id, code, count_type)
        for known in list(context.locations.values()):
            context.by_name[known[1].lower()] = known  # a code beats a name
    location_keys = sorted({place.lower() for place in {r.location for r in rows}})
    for batch in chunks(location_keys):
        query = select(Location.id, Location.code, Location.default_count_type).where(
            func.lower(Location.code).in_(batch)
        )
        for location_id, code, count_type in connection.execute(query):
            context.locations[code.lower()] = (location_id, code, count_type)
    supplier_keys = sorted(
        {str(r.item["supplier_code"]).lower() for r in rows if r.item.get("supplier_code")}
    )
    for keys in chunks(supplier_keys):
        found_suppliers = connection.execute(
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
    item_columns = [getattr(Item, name) for name in ITEM_ROW]
    for item in _rows_for(connection, select(*item_columns), 1, item_codes, Item):
        context.items[item.code] = item
    item_ids = [item.id for item in context.items.values()]
    found: dict[int, list[str]] = defaultdict(list)
    barcodes = select(Barcode.item_id, Barcode.code).order_by(Barcode.id)
    for item_id, code in _rows_for(connection, barcodes, 0, item_ids, Barcode):
        found[item_id].append(code)
    context.barcodes = {item_id: tuple(codes) for item_id, codes in found.items()}
    named = sorted({code for r in rows for code in (r.item.get("barcodes") or ())})
    owners = select(Barcode.code, Item.code).join(Item, Item.id == Barcode.item_id)
    for barcode, owner in _rows_for(connection, owners, 0, named, Barcode):
        context.barcode_owner[barcode] = owner
    for supplier_id, code in connection.execute(
        select(Supplier.id, Supplier.code).where(
            Supplier.id.in_({i.supplier_id for i in context.items.values() if i.supplier_id})
        )
    ):
        context.supplier_codes[supplier_id] = code
    location_ids = {entry[0] for entry in context.locations.values()}
    wanted_items = set(item_ids)
    for ids in chunks(sorted(location_ids)):
        for bin_id, code in connection.execute(
            select(Bin.id, Bin.code).where(Bin.location_id.in_(ids))
        ):
            context.bins[bin_id] = code
    setting_columns = [getattr(ParSetting, name) for name in SETTING_NAMES[:-1]]
    bin_at = SETTING_NAMES.index("bin_id")
    # By location: a worksheet names few locations and many items, so this reads the fewest rows.
    # Kept as tuples (a dict each would cost five times the memory on a big worksheet).
    for ids in chunks(sorted(location_ids)):
        query = select(*setting_columns).where(ParSetting.location_id.in_(ids))
        # Streamed, the driver's rows: those of other items are left out before any conversion.
        for part in read_rows_in_parts(
            connection, query, size=_STREAM, key_at=2, wanted=wanted_items
        ):
            for setting in part:
                context.settings[(setting[1], setting[2])] = (
                    *setting,
                    context.bins.get(setting[bin_at] or 0),
                )
    return context


def _rows_for(
    connection: Connection,
    query: Select[*tuple[Any, ...]],
    key_at: int,
    wanted: Sequence[Any],
    model: type[Any],
) -> Iterator[Row[*tuple[Any, ...]]]:
    """The rows of ``query`` whose column ``key_at`` is one of ``wanted`` (in the query's order).

    A few keys are looked up in batches of ``IN (…)``; when they are a good part of the table
    (a big worksheet names most items), the table is read once and the rows picked here: dozens
    of queries with 900 bound values each cost more than reading the rows they skip.
    """
    if len(wanted) > BATCH:
        total = connection.execute(select(func.count()).select_from(model)).scalar_one()
        if len(wanted) * _WHOLE_TABLE_SHARE >= total:
            keep = set(wanted)
            for fetched in connection.execute(query.execution_options(yield_per=_STREAM)):
                if fetched[key_at] in keep:
                    yield fetched
            return
    key = query.selected_columns[key_at]
    for batch in chunks(wanted):
        yield from connection.execute(query.where(key.in_(batch)))


SETTING_NAMES = (
    "id",
    "location_id",
    "item_id",
    "bin_id",
    "active",
    "version",
    *SETTING_FIELDS[1:],
    "bin",
)
"""The fields of ``Context.settings``' tuples, in order."""


def setting_values(found: tuple[Any, ...]) -> dict[str, Any]:
    """A setting's tuple from the context as a dict (made for one row at a time)."""
    return dict(zip(SETTING_NAMES, found, strict=True))
