"""Checks over a whole worksheet: a line twice, an item described two ways, a setting's levels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from parstudio.domain.enums import CountType, Method
from parstudio.domain.worksheet_columns import COLUMNS, Column
from parstudio.domain.worksheet_headers import CellError, HeaderMap, column_letter
from parstudio.domain.worksheet_rows import WorksheetRow, show_value

Headers = HeaderMap | Mapping[str, HeaderMap]
"""One sheet's header map, or each sheet's by name (rows of a workbook span sheets)."""


def _where(headers: Headers, sheet: str, name: str) -> str:
    header = headers if isinstance(headers, HeaderMap) else headers.get(sheet)
    index = None if header is None else header.index_of(name)
    return "" if index is None else column_letter(index)


def find_duplicates(
    rows: Sequence[WorksheetRow], header: Headers, *, sheet: str = ""
) -> list[CellError]:
    """Rows that repeat a Location + Item Code of an earlier row."""
    first: dict[tuple[str, str], WorksheetRow] = {}
    errors = []
    for row in rows:
        key = (row.location.upper(), row.item_code)
        if key in first:
            earlier = first[key]
            where = (
                f"rows {earlier.row} and {row.row}"
                if earlier.sheet == row.sheet
                else f"sheet “{earlier.sheet}” row {earlier.row} and here"
            )
            errors.append(
                CellError(
                    row.row,
                    _where(header, row.sheet or sheet, "Item Code"),
                    "Item Code",
                    f"Item {row.item_code} at {row.location} is on {where}; keep one of them.",
                    row.sheet or sheet,
                )
            )
        else:
            first[key] = row
    return errors


def find_item_conflicts(
    rows: Sequence[WorksheetRow], header: Headers, *, sheet: str = ""
) -> list[CellError]:
    """An item on several rows must be described the same way on each (blanks aside)."""
    seen: dict[tuple[str, str], tuple[Any, WorksheetRow]] = {}
    errors = []
    by_field = {c.field: c for c in COLUMNS if c.target == "item"}
    first_seen: dict[str, WorksheetRow] = {}
    compared: set[str] = set()
    for row in rows:
        first = first_seen.get(row.item_code)
        if first is None:
            # Most items: one description, perhaps on many rows; its fields are taken field by
            # field only if a later row describes it otherwise.
            first_seen[row.item_code] = row
            continue
        if first.item is row.item or first.item == row.item:
            continue  # described exactly as on its first row (often the very same dict)
        if row.item_code not in compared:
            compared.add(row.item_code)
            for name, value in first.item.items():
                if value is not None and value != ():
                    seen[(row.item_code, name)] = (value, first)
        for name, value in row.item.items():
            if value is None or value == ():
                continue
            key = (row.item_code, name)
            if key not in seen:
                seen[key] = (value, row)
                continue
            other, earlier = seen[key]
            if other != value:
                column = by_field[name]
                other_row = (
                    f"row {earlier.row}"
                    if earlier.sheet == row.sheet
                    else f"sheet “{earlier.sheet}” row {earlier.row}"
                )
                errors.append(
                    CellError(
                        row.row,
                        _where(header, row.sheet or sheet, column.name),
                        column.name,
                        f"Item {row.item_code} has {column.name} “{_show(other)}” on "
                        f"{other_row} but “{_show(value)}” here; an item has one {column.name}.",
                        row.sheet or sheet,
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
