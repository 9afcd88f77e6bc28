"""The PAR worksheet: reading its rows, cell by cell, into plain rows and messages.

Pure: works on the cell values a reader hands over (str, float, int, bool, date, datetime,
None or an ErrorCell), and returns plain rows and cell-level error messages. Header matching
is in ``worksheet_headers``, the checks over a whole file in ``worksheet_checks``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from decimal import Decimal
from typing import Any

from parstudio.domain.errors import ValidationError
from parstudio.domain.fields import Kind
from parstudio.domain.progress import Progress
from parstudio.domain.worksheet_cells import (
    DOT,
    check_cell,
    code_text,
    count_date,
    is_repeated_header,
    is_totals_row,
    number_text,
)
from parstudio.domain.worksheet_checks import find_duplicates, find_item_conflicts
from parstudio.domain.worksheet_columns import (
    COLUMN_BY_NAME,
    COLUMNS,
    COUNT_SPEC,
    PROPOSAL_COLUMNS,
    WORKSHEET_COLUMNS,
    Column,
)
from parstudio.domain.worksheet_headers import (
    CellError,
    HeaderMap,
    column_letter,
    find_column,
    header_key,
    map_headers,
)
from parstudio.domain.worksheet_rows import WorksheetRow, show_value

__all__ = [
    "COLUMNS",
    "COLUMN_BY_NAME",
    "COUNT_SPEC",
    "PROPOSAL_COLUMNS",
    "WORKSHEET_COLUMNS",
    "CellError",
    "Column",
    "HeaderMap",
    "WorksheetRow",
    "column_letter",
    "find_column",
    "header_key",
    "map_headers",
    "show_value",
]

_DONE: list[Any] = []
"""What a consumed row is replaced with."""

PROGRESS_EVERY = 2000
"""Rows between two progress reports."""


EXCEL_ERRORS = frozenset(
    ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!")
)


def _cell_value(column: Column, raw: Any, decimal: str = DOT) -> Any:
    """Parse one cell with its column's field spec, saying what was found when refused."""
    spec = column.spec
    assert spec is not None
    check_cell(raw)
    if spec.name == "counted_on":
        return count_date(raw)
    value = raw
    if column.numeric:
        if isinstance(raw, float):
            # Spreadsheets keep numbers as binary floats; the shortest repr is what was typed.
            value = Decimal(repr(raw))
        elif isinstance(raw, str):
            value = number_text(raw, decimal)
        elif isinstance(raw, date | time):
            raise ValidationError(f"{spec.label} must be a number, not “{show_value(raw)}”.")
    else:
        value = code_text(raw)  # a code typed as a number is its digits
    if isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS:
        raise ValidationError(f"the cell holds the error {raw.strip()} (fix the formula).")
    try:
        return spec.parse(value)
    except ValidationError as exc:
        message = exc.message
        if "not “" not in message and not is_blank(raw):
            message = f"{message.rstrip('.')}, not “{show_value(raw)}”."
        raise ValidationError(message, field=spec.name) from exc


def is_blank(value: Any) -> bool:
    """Whether a cell holds nothing."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_blank_row(cells: Sequence[Any]) -> bool:
    """Whether every cell of a row holds nothing (its first cell looked at before the rest)."""
    return cells.count(None) == len(cells) or (
        is_blank(cells[0]) and all(is_blank(c) for c in cells)
    )


_MEMO_LIMIT = 20_000


def _fast_parser(column: Column, decimal: str = DOT) -> Any:
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
            return _cell_value(column, raw, decimal)
        try:
            return memo[raw]
        except KeyError:
            value = _cell_value(column, raw, decimal)
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

    if spec.name == "counted_on":
        return careful
    if spec.kind is Kind.TEXT:
        return text
    if spec.kind is Kind.LIST:
        return codes
    return careful


def _row_plan(
    header: HeaderMap, decimal: str = DOT
) -> list[tuple[int, str, Column, str, str, Any]]:
    """(index, letter, column, target, field, parser) of each column import reads."""
    return [
        (
            index,
            column_letter(index),
            column,
            column.target,
            column.field,
            _fast_parser(column, decimal),
        )
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
    location: str | None = None,
) -> tuple[WorksheetRow | None, list[CellError]]:
    """Parse one row: the row, or the errors of every cell that is wrong."""
    errors: list[CellError] = []
    values: dict[str, dict[str, Any]] = {"key": {}, "item": {}, "setting": {}, "count": {}}
    if location is not None:
        values["key"]["location"] = location
    width = len(cells)
    for index, letter, column, target, name, parser in plan or _row_plan(header):
        raw = cells[index] if index < width else None
        try:
            values[target][name] = parser(raw)
        except ValidationError as exc:
            errors.append(CellError(row, letter, column.name, exc.message, sheet))
    if errors:
        return None, errors
    return _row(row, values, sheet), []


def _row(number: int, values: dict[str, dict[str, Any]], sheet: str) -> WorksheetRow:
    count = values["count"]
    return WorksheetRow(
        number,
        values["key"]["location"],
        values["key"]["code"],
        values["item"],
        values["setting"],
        count.get("count"),
        sheet,
        count.get("counted_on"),
    )


def parse_rows(
    rows: Sequence[Sequence[Any]],
    header: HeaderMap,
    *,
    first_row: int = 2,
    sheet: str = "",
    progress: Progress | None = None,
    decimal: str = DOT,
    location: str | None = None,
    skipped: list[tuple[int, str]] | None = None,
    check_whole: bool = True,
    consume: bool = False,
) -> tuple[list[WorksheetRow], list[CellError]]:
    """Parse every non-blank row, then refuse duplicates and items described two ways.

    ``location`` is every row's location when the sheet has no Location column (it is named
    after one). Totals rows and repeated header rows are left out, each added to ``skipped``
    as (row, why). ``check_whole=False`` leaves the checks across rows to the caller (a
    workbook's sheets are checked together). ``consume=True`` lets go of each row of ``rows``
    (a list) once it is parsed, so a big sheet is not held twice.
    """
    parsed: list[WorksheetRow] = []
    errors: list[CellError] = []
    plan = _row_plan(header, decimal)
    header_texts = dict(header.texts) or {i: c.name for i, c in header.columns.items()}
    code_at = header.index_of("Item Code")
    code_at = len(header.columns) + 1_000_000 if code_at is None else code_at
    # Hot loop (a million rows at most): the columns of each part of a row, looked up once.
    parts = {
        target: [
            (i, letter, col, name, parse) for i, letter, col, t, name, parse in plan if t == target
        ]
        for target in ("key", "item", "setting", "count")
    }
    key_fast, item_fast, setting_fast, count_fast = (
        [(index, name, parse) for index, _letter, _column, name, parse in parts[target]]
        for target in ("key", "item", "setting", "count")
    )
    fixed_key = {} if location is None else {"location": location}
    items_seen: dict[str, dict[str, Any]] = {}
    places: dict[str, str] = {}
    settings_seen: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = {}
    full_width = max((index for index, *_rest in plan), default=-1) + 1
    total = len(rows)
    release = isinstance(rows, list) and consume
    for offset, cells in enumerate(rows):
        if release:
            rows[offset] = _DONE  # type: ignore[index]  # its memory serves the parsed rows
        if progress is not None and offset % PROGRESS_EVERY == 0:
            progress(offset, total)
        width = len(cells)
        if is_blank_row(cells):
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
            if _left_out(cells, header, header_texts, code_at, number, skipped):
                continue
            for part in parts.values():
                for index, letter, column, _name, parse in part:
                    try:
                        parse(cells[index])
                    except ValidationError as exc:
                        errors.append(CellError(number, letter, column.name, exc.message, sheet))
            continue
        if _left_out(cells, header, header_texts, code_at, first_row + offset, skipped, fast=True):
            continue
        key.update(fixed_key)
        key["location"] = places.setdefault(key["location"], key["location"])  # one str each
        # An item on many rows (one per location) keeps one dict of its fields, not one a row.
        shared = items_seen.get(key["code"])
        if shared == item:
            item = shared
        elif shared is None:
            items_seen[key["code"]] = item
        # Settings repeat too (the same levels on many lines): identical ones share one dict.
        same = tuple(setting.items())
        if len(settings_seen) < _MEMO_LIMIT:
            setting = settings_seen.setdefault(same, setting)
        else:
            setting = settings_seen.get(same) or setting
        parsed.append(
            WorksheetRow(
                first_row + offset,
                key["location"],
                key["code"],
                item,
                setting,
                count.get("count"),
                sheet,
                count.get("counted_on"),
            )
        )
    if check_whole:
        errors.extend(find_duplicates(parsed, header, sheet=sheet))
        errors.extend(find_item_conflicts(parsed, header, sheet=sheet))
    errors.sort(key=lambda e: (e.row, len(e.column), e.column))
    if progress is not None:
        progress(total, total)
    return parsed, errors


def _left_out(
    cells: Sequence[Any],
    header: HeaderMap,
    header_texts: dict[int, str],
    code_at: int,
    number: int,
    skipped: list[tuple[int, str]] | None,
    *,
    fast: bool = False,
) -> bool:
    """Whether a row is a totals row or a repeated header row (then noted in ``skipped``)."""
    if fast:
        # A row that parsed has an item code: only a code reading "Total…" can be a total.
        code = cells[code_at] if code_at < len(cells) else None
        if not isinstance(code, str):
            return False
        if code.strip() == header_texts.get(code_at) and is_repeated_header(cells, header_texts):
            why = "the header row repeated"
        elif code[:1] in "TtSsGg" and is_totals_row(cells, code_at):
            why = "a totals row"
        else:
            return False
    elif is_repeated_header(cells, header_texts):
        why = "the header row repeated"
    elif is_totals_row(cells, code_at):
        why = "a totals row"
    else:
        return False
    if skipped is not None:
        skipped.append((number, why))
    return True
