"""The PAR worksheet: matching a file's headers to them, and reading its rows.

Pure: works on the header texts and cell values a reader hands over (str, float, int, bool,
date, datetime or None), and returns plain rows and cell-level error messages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from parstudio.domain.enums import CountType, Method
from parstudio.domain.errors import ValidationError
from parstudio.domain.fields import (
    Kind,
)
from parstudio.domain.progress import Progress
from parstudio.domain.worksheet_columns import (
    COLUMN_BY_NAME,
    COLUMNS,
    COUNT_SPEC,
    PROPOSAL_COLUMNS,
    WORKSHEET_COLUMNS,
    Column,
)

__all__ = [
    "COLUMNS",
    "COLUMN_BY_NAME",
    "COUNT_SPEC",
    "PROPOSAL_COLUMNS",
    "WORKSHEET_COLUMNS",
    "Column",
]

PROGRESS_EVERY = 2000
"""Rows between two progress reports."""


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


_MEMO_LIMIT = 20_000


def _fast_parser(column: Column) -> Any:
    """The column's cell parser, with shortcuts for what worksheets hold most.

    Worksheets run to a million rows. Plain texts are taken as they are; other columns repeat
    a few values (EA, PAR, UP, the same levels), so each is parsed once and remembered. Only
    str and float cells are remembered, each type apart (1.0 == True in Python, and a bool is
    not a number here); errors are never remembered, and anything unusual takes the careful
    path, which words the error.
    """
    spec = column.spec
    assert spec is not None
    blank = () if spec.kind is Kind.LIST else None
    limit = spec.max_length or 1 << 30
    memos: dict[type, dict[Any, Any]] = {str: {}, float: {}}

    def careful(raw: Any) -> Any:
        if raw is None and not spec.required:
            return blank
        memo = memos.get(type(raw))
        if memo is None:
            return _cell_value(column, raw)
        try:
            return memo[raw]
        except KeyError:
            value = _cell_value(column, raw)
            if len(memo) < _MEMO_LIMIT:
                memo[raw] = value
            return value

    def text(raw: Any) -> Any:
        if type(raw) is str:
            value = raw.strip()
            # Excel's error values (#N/A, #REF!…) all start with "#": those take the long way.
            if value and len(value) <= limit and value[0] != "#":
                return value
        return careful(raw)

    def codes(raw: Any) -> Any:
        if type(raw) is str and "," not in raw and ";" not in raw and "\n" not in raw:
            value = raw.strip()
            if value and value[0] != "#":
                return (value,)
        return careful(raw)

    if spec.kind is Kind.TEXT:
        return text
    if spec.kind is Kind.LIST:
        return codes
    return careful


def _row_plan(header: HeaderMap) -> list[tuple[int, str, Column, str, str, Any]]:
    """(index, letter, column, target, field, parser) of each column import reads."""
    return [
        (index, column_letter(index), column, column.target, column.field, _fast_parser(column))
        for index, column in sorted(header.columns.items())
        if not column.export_only
    ]


def parse_row(
    cells: Sequence[Any],
    header: HeaderMap,
    *,
    row: int,
    sheet: str = "",
    plan: list[tuple[int, str, Column, str, str, Any]] | None = None,
) -> tuple[WorksheetRow | None, list[CellError]]:
    """Parse one row: the row, or the errors of every cell that is wrong."""
    errors: list[CellError] = []
    values: dict[str, dict[str, Any]] = {"key": {}, "item": {}, "setting": {}, "count": {}}
    width = len(cells)
    for index, letter, column, target, name, parser in plan or _row_plan(header):
        raw = cells[index] if index < width else None
        try:
            values[target][name] = parser(raw)
        except ValidationError as exc:
            errors.append(CellError(row, letter, column.name, exc.message, sheet))
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
    rows: Sequence[Sequence[Any]],
    header: HeaderMap,
    *,
    first_row: int = 2,
    sheet: str = "",
    progress: Progress | None = None,
) -> tuple[list[WorksheetRow], list[CellError]]:
    """Parse every non-blank row, then refuse duplicates and items described two ways."""
    parsed: list[WorksheetRow] = []
    errors: list[CellError] = []
    plan = _row_plan(header)
    # Hot loop (a million rows at most): the columns of each part of a row, looked up once.
    parts = {
        target: [
            (i, letter, col, name, parse) for i, letter, col, t, name, parse in plan if t == target
        ]
        for target in ("key", "item", "setting", "count")
    }
    key_part, item_part, setting_part, count_part = (
        parts["key"],
        parts["item"],
        parts["setting"],
        parts["count"],
    )
    key_fast, item_fast, setting_fast, count_fast = (
        [(index, name, parse) for index, _letter, _column, name, parse in part]
        for part in (key_part, item_part, setting_part, count_part)
    )
    location_at = header.index_of("Location")
    full_width = max((index for index, *_rest in plan), default=-1) + 1
    total = len(rows)
    for offset, cells in enumerate(rows):
        if progress is not None and offset % PROGRESS_EVERY == 0:
            progress(offset, total)
        width = len(cells)
        if cells.count(None) == width:
            continue
        first = cells[location_at] if location_at is not None and location_at < width else None
        if is_blank(first) and all(is_blank(c) for c in cells):
            continue
        if width < full_width:
            cells = [*cells, *([None] * (full_width - width))]
        try:
            # Most rows are fine: parse them whole; a row with a problem is parsed again, cell
            # by cell, to name every problem in it.
            key = {name: parse(cells[index]) for index, name, parse in key_fast}
            item = {name: parse(cells[index]) for index, name, parse in item_fast}
            setting = {name: parse(cells[index]) for index, name, parse in setting_fast}
            count = {name: parse(cells[index]) for index, name, parse in count_fast}
        except ValidationError:
            number = first_row + offset
            for part in (key_part, item_part, setting_part, count_part):
                for index, letter, column, _name, parse in part:
                    try:
                        parse(cells[index])
                    except ValidationError as exc:
                        errors.append(CellError(number, letter, column.name, exc.message, sheet))
            continue
        parsed.append(
            WorksheetRow(
                first_row + offset,
                key["location"],
                key["code"],
                item,
                setting,
                count.get("count"),
            )
        )
    errors.extend(find_duplicates(parsed, header, sheet=sheet))
    errors.extend(find_item_conflicts(parsed, header, sheet=sheet))
    errors.sort(key=lambda e: (e.row, len(e.column), e.column))
    if progress is not None:
        progress(total, total)
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
        key = (row.location.upper(), row.item_code)
        if key in first:
            errors.append(
                CellError(
                    row.row,
                    _where(header, "Item Code"),
                    "Item Code",
                    f"Item {row.item_code} at {row.location} is on rows {first[key]} and "
                    f"{row.row}; keep one of them.",
                    sheet,
                )
            )
        else:
            first[key] = row.row
    return errors


def find_item_conflicts(
    rows: Sequence[WorksheetRow], header: HeaderMap, *, sheet: str = ""
) -> list[CellError]:
    """An item on several rows must be described the same way on each (blanks aside)."""
    seen: dict[tuple[str, str], tuple[Any, int]] = {}
    errors = []
    by_field = {c.field: c for c in COLUMNS if c.target == "item"}
    first_seen: dict[str, Mapping[str, Any]] = {}
    for row in rows:
        first = first_seen.setdefault(row.item_code, row.item)
        if first is not row.item and first == row.item:
            continue  # described exactly as on its first row
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
    method = values.get("method") or Method.PAR
    count_type = values.get("count_type") or default_count_type
    if (
        method == Method.PAR
        and values.get("par_level") is None
        and count_type in (CountType.ON_HAND, CountType.ORDER_PAR)
    ):
        return "par_level", (
            f"A PAR line counted {count_type} needs a PAR level (or use Method MIN/MAX, or "
            "Count Type ORDER QTY)."
        )
    min_level, max_level = values.get("min_level"), values.get("max_level")
    if method == Method.MIN_MAX and (min_level is None or max_level is None):
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
