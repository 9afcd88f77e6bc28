"""The PAR worksheet: its columns, matching a file's headers to them, and reading its rows.

Pure: works on the header texts and cell values a reader hands over (str, float, int, bool,
date, datetime or None), and returns plain rows and cell-level error messages.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from parstudio.domain.enums import CountType, Method
from parstudio.domain.errors import ValidationError
from parstudio.domain.fields import (
    ITEM_FIELDS,
    LOCATION_FIELDS,
    PAR_FIELDS,
    ZERO,
    FieldSpec,
    Kind,
    spec_by_name,
)

_ITEM = spec_by_name(ITEM_FIELDS)
_PAR = spec_by_name(PAR_FIELDS)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the PAR worksheet."""

    name: str
    """The canonical header, as PAR Studio writes it."""
    target: str
    """What the column fills: ``key``, ``item``, ``setting``, ``count`` or ``export`` (ignored)."""
    spec: FieldSpec | None = None
    required: bool = False
    synonyms: tuple[str, ...] = ()
    width: int = 12
    help: str = ""
    choices: tuple[str, ...] = ()

    @property
    def field(self) -> str:
        """The field the column fills (the spec's name), or '' for an export-only column."""
        return self.spec.name if self.spec else ""

    @property
    def export_only(self) -> bool:
        """Whether import ignores this column."""
        return self.target == "export"

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers."""
        return self.spec is not None and self.spec.kind in (Kind.INT, Kind.DECIMAL)


def _optional(spec: FieldSpec) -> FieldSpec:
    return dataclasses.replace(spec, required=False)


COUNT_SPEC = FieldSpec("count", "Count", Kind.DECIMAL, minimum=ZERO)

COLUMNS: tuple[Column, ...] = (
    Column(
        "Location",
        "key",
        dataclasses.replace(
            spec_by_name(LOCATION_FIELDS)["code"], name="location", label="Location"
        ),
        required=True,
        synonyms=(
            "Loc",
            "Location Code",
            "Dept Location",
            "Department Location",
            "PAR Location",
            "PAR Area",
            "Area",
            "Storage Location",
        ),
        width=12,
        help="Location code. A code PAR Studio does not know yet becomes a new PAR location.",
    ),
    Column(
        "Item Code",
        "key",
        _ITEM["code"],
        required=True,
        synonyms=(
            "Item",
            "Item #",
            "Item Number",
            "Item No",
            "Item ID",
            "Product Code",
            "Product",
            "Product #",
            "SKU",
            "Material",
            "Material Number",
        ),
        width=16,
        help="Item code. A code PAR Studio does not know yet becomes a new item.",
    ),
    Column(
        "Description",
        "item",
        _optional(_ITEM["description"]),
        synonyms=("Desc", "Item Description", "Product Description", "Item Name", "Name"),
        width=40,
        help="Needed for a new item; left blank, an existing item keeps its description.",
    ),
    Column(
        "Unit",
        "item",
        _ITEM["unit"],
        synonyms=("UOM", "Unit of Issue", "UOI", "Unit of Measure", "Issue Unit", "Units"),
        width=8,
        help="Unit of issue (EA, BX, PR…); EA for a new item when blank.",
    ),
    Column(
        "Barcodes",
        "item",
        _ITEM["barcodes"],
        synonyms=("Barcode", "GTIN", "GTINs", "UPC", "UPCs", "EAN"),
        width=24,
        help="The item's barcodes, separated by commas. Replaces the item's list; blank keeps it.",
    ),
    Column(
        "Pack Size",
        "item",
        _ITEM["pack_size"],
        synonyms=(
            "Pkg Qty",
            "Case Qty",
            "Pack Qty",
            "Pack Quantity",
            "Units per Pack",
            "Qty per Pack",
            "Package Quantity",
            "Conversion",
            "Pack",
        ),
        width=10,
        help="Units of issue per order pack; 1 for a new item when blank.",
    ),
    Column(
        "Supplier",
        "item",
        _ITEM["supplier_code"],
        synonyms=(
            "Vendor",
            "Vendor Name",
            "Vendor Code",
            "Supplier Name",
            "Supplier Code",
            "Distributor",
        ),
        width=14,
        help="Supplier code or name. A supplier PAR Studio does not know yet is created, "
        "with its name as its code.",
    ),
    Column(
        "Supplier Item No",
        "item",
        _ITEM["supplier_item_no"],
        synonyms=(
            "Supplier Item",
            "Supplier Item #",
            "Supplier Item Number",
            "Vendor Item",
            "Vendor Item #",
            "Vendor Item No",
            "Vendor Item Number",
            "Mfr #",
            "Mfr No",
            "Manufacturer Number",
            "Catalog #",
            "Catalog Number",
            "Cat #",
        ),
        width=16,
        help="The supplier's catalogue number.",
    ),
    Column(
        "Pack Price",
        "item",
        _ITEM["pack_price"],
        synonyms=("Price", "Pkg Price", "Case Price", "Pack Cost", "Cost"),
        width=10,
        help="Price per order pack.",
    ),
    Column(
        "Bin",
        "setting",
        _PAR["bin"],
        synonyms=("Bin Location", "Bin #", "Shelf", "Position"),
        width=10,
        help="Shelf or bin position inside the location (e.g. A-03-2).",
    ),
    Column(
        "Method",
        "setting",
        _PAR["method"],
        synonyms=("PAR Method", "Replenishment Method"),
        width=10,
        help="PAR, or MIN/MAX. PAR for a new line when blank.",
        choices=tuple(m.value for m in Method),
    ),
    Column(
        "Count Type",
        "setting",
        _PAR["count_type"],
        synonyms=("Count Method", "Counting Type"),
        width=13,
        help="ON HAND, ORDER PAR, ORDER QTY or NOT COUNTED; blank = the location's default.",
        choices=tuple(c.value for c in CountType),
    ),
    Column(
        "PAR Level",
        "setting",
        _PAR["par_level"],
        synonyms=("PAR", "PAR Qty", "PAR Quantity", "PAR Lvl", "PAR Value"),
        width=10,
        help="Units to refill to (method PAR).",
    ),
    Column(
        "Min",
        "setting",
        _PAR["min_level"],
        synonyms=("Minimum", "Min Qty", "Min Level", "Reorder Point", "ROP"),
        width=8,
        help="Order when the effective stock is below this (method MIN/MAX).",
    ),
    Column(
        "Max",
        "setting",
        _PAR["max_level"],
        synonyms=("Maximum", "Max Qty", "Max Level"),
        width=8,
        help="Refill to this (method MIN/MAX).",
    ),
    Column(
        "MOQ",
        "setting",
        _PAR["moq"],
        synonyms=("Minimum Order Quantity", "Min Order Qty", "Min Order", "Minimum Order"),
        width=8,
        help="Minimum order quantity, in whole packs.",
    ),
    Column(
        "Lot Multiple",
        "setting",
        _PAR["lot_multiple"],
        synonyms=("Order Multiple", "Multiple", "Lot Size"),
        width=10,
        help="Order in multiples of this many packs.",
    ),
    Column(
        "Rounding",
        "setting",
        _PAR["rounding"],
        synonyms=("Round", "Rounding Direction"),
        width=9,
        help="UP (default) or DOWN, to the lot multiple.",
        choices=("UP", "DOWN"),
    ),
    Column(
        "Storage Capacity",
        "setting",
        _PAR["storage_capacity"],
        synonyms=("Capacity", "Max Capacity", "Storage"),
        width=10,
        help="Units that fit at the location; an order never overfills it.",
    ),
    Column(
        "Shelf Life Days",
        "item",
        _ITEM["shelf_life_days"],
        synonyms=("Shelf Life", "Shelf Life (Days)", "Expiry Days"),
        width=10,
        help="Whole days; an order is never more than is used before it expires.",
    ),
    Column(
        "Weekly Usage",
        "setting",
        _PAR["weekly_usage"],
        synonyms=(
            "Usage per Week",
            "Avg Weekly Usage",
            "Average Weekly Usage",
            "Weekly Use",
            "Usage",
        ),
        width=10,
        help="Units used per week, when the history is not in the database.",
    ),
    Column(
        "Count",
        "count",
        COUNT_SPEC,
        synonyms=(
            "Qty On Hand",
            "On Hand",
            "Quantity On Hand",
            "QOH",
            "Counted",
            "Count Qty",
            "Counted Qty",
        ),
        width=8,
        help="On import, a count: the quantity on hand (ON HAND) or requested (ORDER QTY); "
        "any value records the empty bin of an ORDER PAR line. Left blank on export.",
    ),
    Column("Last Count", "export", width=10, help="Export only: the latest recorded count."),
    Column("Last Counted", "export", width=17, help="Export only: when it was recorded."),
    Column(
        "Open Supply",
        "setting",
        _PAR["open_supply"],
        synonyms=("On Order",),
        width=10,
        help="Units already on order from outside PAR Studio (MIN/MAX).",
    ),
    Column(
        "Open Demand",
        "setting",
        _PAR["open_demand"],
        synonyms=("Allocated", "Reserved"),
        width=10,
        help="Units already promised to others (MIN/MAX).",
    ),
    Column("Order Packs", "export", width=9, help="Export only: packs the proposal orders."),
    Column("Order Units", "export", width=9, help="Export only: the same in units."),
    Column("Explanation", "export", width=60, help="Export only: how the order was worked out."),
    Column("Status", "export", width=14, help="Proposal only: ORDER, NOTHING, MISSING COUNT…"),
    Column(
        "Reason / Warnings",
        "export",
        synonyms=("Reason", "Warnings"),
        width=50,
        help="Proposal only: why a line was not computed, or what cut it.",
    ),
)

WORKSHEET_COLUMNS = tuple(c for c in COLUMNS if c.name not in ("Status", "Reason / Warnings"))
"""The columns of the exported PAR worksheet, in order."""

PROPOSAL_COLUMNS = COLUMNS
"""The columns of the exported proposal: the worksheet's and Status, Reason / Warnings."""

COLUMN_BY_NAME = {c.name: c for c in COLUMNS}


def header_key(text: str) -> str:
    """A header reduced for matching: lower case, letters, digits and '#' only."""
    return "".join(ch for ch in str(text).lower() if ch.isalnum() or ch == "#")


_BY_KEY: dict[str, Column] = {}
for _column in COLUMNS:
    for _text in (_column.name, *_column.synonyms):
        _BY_KEY.setdefault(header_key(_text), _column)


def find_column(text: str) -> Column | None:
    """The column a header text names (its name or a synonym, any case and spacing)."""
    return _BY_KEY.get(header_key(text))


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class CellError:
    """A problem in one cell (or row) of a worksheet, worded for the user."""

    row: int
    column: str
    """Column letter, or '' when the problem is not in one column."""
    column_name: str
    message: str
    sheet: str = ""

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row > 1 else "Header row"
        if self.column:
            where += f", column {self.column}"
        if self.column_name:
            where += f" ({self.column_name})"
        sheet = f"Sheet “{self.sheet}”, " if self.sheet else ""
        return f"{sheet}{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """How a file's header row maps onto the worksheet's columns."""

    columns: Mapping[int, Column]
    """Column index → the PAR Studio column it holds."""
    extra: tuple[tuple[str, str], ...] = ()
    """(letter, header) of columns that are not PAR Studio columns; ignored and reported."""
    missing: tuple[str, ...] = ()
    """Required columns the file does not have."""
    errors: tuple[CellError, ...] = ()

    def index_of(self, name: str) -> int | None:
        """The index of the column with this canonical name, if the file has it."""
        for index, column in self.columns.items():
            if column.name == name:
                return index
        return None

    def has(self, name: str) -> bool:
        """Whether the file has this column."""
        return self.index_of(name) is not None


IGNORE = ("", "-", "ignore")
"""What a header override may map to, to ignore a column."""


def map_headers(
    headers: Sequence[Any], overrides: Mapping[str, str] | None = None, *, sheet: str = ""
) -> HeaderMap:
    """Match headers to columns (overrides first, then names and synonyms)."""
    by_key = {header_key(k): v for k, v in (overrides or {}).items()}
    present = {header_key(h) for h in headers if h is not None}
    errors: list[CellError] = []
    for their, ours in (overrides or {}).items():
        if header_key(their) not in present:
            errors.append(
                CellError(
                    1,
                    "",
                    "",
                    f"The mapping names a header “{their}” the sheet does not have.",
                    sheet,
                )
            )
        if ours.strip().lower() not in IGNORE and find_column(ours) is None:
            names = ", ".join(c.name for c in COLUMNS)
            errors.append(
                CellError(
                    1, "", "", f"“{ours}” is not a PAR Studio column; use one of {names}.", sheet
                )
            )
    columns: dict[int, Column] = {}
    extra: list[tuple[str, str]] = []
    taken: dict[str, int] = {}
    for index, header in enumerate(headers):
        text = "" if header is None else str(header).strip()
        if not text:
            continue
        key = header_key(text)
        if key in by_key:
            target = by_key[key]
            if target.strip().lower() in IGNORE:
                extra.append((column_letter(index), text))
                continue
            column = find_column(target)
        else:
            column = find_column(text)
        if column is None:
            extra.append((column_letter(index), text))
            continue
        if column.name in taken:
            first = taken[column.name]
            errors.append(
                CellError(
                    1,
                    column_letter(index),
                    text,
                    f"Columns {column_letter(first)} (“{headers[first]}”) and "
                    f"{column_letter(index)} (“{text}”) both mean {column.name}; "
                    "rename or map one of them.",
                    sheet,
                )
            )
            continue
        taken[column.name] = index
        columns[index] = column
    missing = tuple(c.name for c in COLUMNS if c.required and c.name not in taken)
    for name in missing:
        errors.append(CellError(1, "", name, f"The sheet has no {name} column.", sheet))
    return HeaderMap(columns=columns, extra=tuple(extra), missing=missing, errors=tuple(errors))


def show_value(raw: Any) -> str:
    """A cell value as the user would recognise it in a message."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.strftime("%Y-%m-%d %H:%M") if raw.time() != time() else raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


EXCEL_ERRORS = frozenset(
    ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!")
)


def _cell_value(column: Column, raw: Any) -> Any:
    """Parse one cell with its column's field spec, saying what was found when refused."""
    spec = column.spec
    assert spec is not None
    value = raw
    if isinstance(raw, float) and column.numeric:
        # Spreadsheets keep numbers as binary floats; the shortest repr is what the user typed.
        value = Decimal(repr(raw))
    if column.numeric and isinstance(raw, date | time):
        raise ValidationError(f"{spec.label} must be a number, not “{show_value(raw)}”.")
    if isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS:
        raise ValidationError(f"the cell holds the error {raw.strip()} (fix the formula).")
    try:
        return spec.parse(value)
    except ValidationError as exc:
        message = exc.message
        if "not “" not in message and not is_blank(raw):
            message = f"{message.rstrip('.')}, not “{show_value(raw)}”."
        raise ValidationError(message, field=spec.name) from exc


@dataclass(frozen=True, slots=True)
class WorksheetRow:
    """One row of a PAR worksheet, parsed: only the columns the file has are in the dicts."""

    row: int
    location: str
    item_code: str
    item: Mapping[str, Any] = field(default_factory=dict)
    """Item fields given (field name → value; None where the cell was blank)."""
    setting: Mapping[str, Any] = field(default_factory=dict)
    """PAR-setting fields given, likewise."""
    count: Decimal | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Location (any case) and item code: what makes a row unique."""
        return (self.location.upper(), self.item_code)


def is_blank(value: Any) -> bool:
    """Whether a cell holds nothing."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_row(
    cells: Sequence[Any], header: HeaderMap, *, row: int, sheet: str = ""
) -> tuple[WorksheetRow | None, list[CellError]]:
    """Parse one row: the row, or the errors of every cell that is wrong."""
    errors: list[CellError] = []
    values: dict[str, dict[str, Any]] = {"key": {}, "item": {}, "setting": {}, "count": {}}
    for index, column in header.columns.items():
        if column.export_only:
            continue
        raw = cells[index] if index < len(cells) else None
        try:
            values[column.target][column.field] = _cell_value(column, raw)
        except ValidationError as exc:
            errors.append(CellError(row, column_letter(index), column.name, exc.message, sheet))
    if errors:
        return None, errors
    return (
        WorksheetRow(
            row=row,
            location=values["key"]["location"],
            item_code=values["key"]["code"],
            item=values["item"],
            setting=values["setting"],
            count=values["count"].get("count"),
        ),
        [],
    )


def parse_rows(
    rows: Sequence[Sequence[Any]], header: HeaderMap, *, first_row: int = 2, sheet: str = ""
) -> tuple[list[WorksheetRow], list[CellError]]:
    """Parse every non-blank row, then refuse duplicates and items described two ways."""
    parsed: list[WorksheetRow] = []
    errors: list[CellError] = []
    for offset, cells in enumerate(rows):
        if all(is_blank(c) for c in cells):
            continue
        row, problems = parse_row(cells, header, row=first_row + offset, sheet=sheet)
        errors.extend(problems)
        if row is not None:
            parsed.append(row)
    errors.extend(find_duplicates(parsed, header, sheet=sheet))
    errors.extend(find_item_conflicts(parsed, header, sheet=sheet))
    errors.sort(key=lambda e: (e.row, len(e.column), e.column))
    return parsed, errors


def _where(header: HeaderMap, name: str) -> str:
    index = header.index_of(name)
    return "" if index is None else column_letter(index)


def find_duplicates(
    rows: Sequence[WorksheetRow], header: HeaderMap, *, sheet: str = ""
) -> list[CellError]:
    """Rows that repeat a Location + Item Code of an earlier row."""
    first: dict[tuple[str, str], int] = {}
    errors = []
    for row in rows:
        if row.key in first:
            errors.append(
                CellError(
                    row.row,
                    _where(header, "Item Code"),
                    "Item Code",
                    f"Item {row.item_code} at {row.location} is on rows {first[row.key]} and "
                    f"{row.row}; keep one of them.",
                    sheet,
                )
            )
        else:
            first[row.key] = row.row
    return errors


def find_item_conflicts(
    rows: Sequence[WorksheetRow], header: HeaderMap, *, sheet: str = ""
) -> list[CellError]:
    """An item on several rows must be described the same way on each (blanks aside)."""
    seen: dict[tuple[str, str], tuple[Any, int]] = {}
    errors = []
    by_field = {c.field: c for c in COLUMNS if c.target == "item"}
    for row in rows:
        for name, value in row.item.items():
            if value is None or value == ():
                continue
            key = (row.item_code, name)
            if key not in seen:
                seen[key] = (value, row.row)
                continue
            other, other_row = seen[key]
            if other != value:
                column = by_field[name]
                errors.append(
                    CellError(
                        row.row,
                        _where(header, column.name),
                        column.name,
                        f"Item {row.item_code} has {column.name} “{_show(other)}” on row "
                        f"{other_row} but “{_show(value)}” here; an item has one {column.name}.",
                        sheet,
                    )
                )
    return errors


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(value)
    return show_value(value)


def check_setting(values: Mapping[str, Any], *, default_count_type: str) -> tuple[str, str] | None:
    """The first problem with a whole PAR setting's levels: (field, message), or None."""
    method = values.get("method") or Method.PAR.value
    count_type = values.get("count_type") or default_count_type
    if (
        method == Method.PAR.value
        and values.get("par_level") is None
        and count_type in (CountType.ON_HAND.value, CountType.ORDER_PAR.value)
    ):
        return "par_level", (
            f"A PAR line counted {count_type} needs a PAR level (or use Method MIN/MAX, or "
            "Count Type ORDER QTY)."
        )
    min_level, max_level = values.get("min_level"), values.get("max_level")
    if method == Method.MIN_MAX.value and (min_level is None or max_level is None):
        return ("min_level" if min_level is None else "max_level"), (
            "A MIN/MAX line needs both Min and Max."
        )
    if min_level is not None and max_level is not None and min_level > max_level:
        return (
            "min_level",
            f"Min ({_show(min_level)}) must not be more than Max ({_show(max_level)}).",
        )
    capacity, par = values.get("storage_capacity"), values.get("par_level")
    if capacity is not None and par is not None and par > capacity:
        return (
            "par_level",
            f"PAR level ({_show(par)}) is more than fits in storage ({_show(capacity)}).",
        )
    return None


def column_for_field(field_name: str) -> Column:
    """The column that fills a field."""
    for column in COLUMNS:
        if column.field == field_name:
            return column
    raise KeyError(field_name)
