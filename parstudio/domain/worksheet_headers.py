"""Matching a sheet's header row to the PAR worksheet's columns, and finding that row.

The synonyms live in one table (``worksheet_columns.COLUMNS``); the docs' table is tested
against it. Some headers are deliberately never matched by themselves (``Unit``, ``Part #``):
they mean different things in different offices, and the user maps them once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from parstudio.domain.worksheet_columns import COLUMNS, Column

HEADER_SEARCH_ROWS = 20
"""How far down a sheet its header row is looked for (past titles and blank rows)."""

NEVER_MATCHED = ("Unit", "Units", "Part #", "Part No", "Part Number")
"""Headers that are ambiguous by themselves: read only through a mapping."""

_TARGET_ALIASES = {"unit": "Unit of Issue"}
"""What a mapping may name by an old or short name (the user chose it, so it is not ambiguous)."""


def header_key(text: str) -> str:
    """A header reduced for matching: lower case, letters, digits and '#' only."""
    return "".join(ch for ch in str(text).lower() if ch.isalnum() or ch == "#")


_BY_KEY: dict[str, Column] = {}
for _column in COLUMNS:
    for _text in (_column.name, *_column.synonyms):
        _BY_KEY.setdefault(header_key(_text), _column)
for _text in NEVER_MATCHED:
    _BY_KEY.pop(header_key(_text), None)


def find_column(text: str) -> Column | None:
    """The column a header text names (its name or a synonym, any case and spacing)."""
    return _BY_KEY.get(header_key(text))


def _target(text: str) -> Column | None:
    """The column a mapping names."""
    return find_column(_TARGET_ALIASES.get(header_key(text), text))


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
    texts: Mapping[int, str] = field(default_factory=dict)
    """Column index → the header as the sheet writes it (for the columns read)."""

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
        if ours.strip().lower() not in IGNORE and _target(ours) is None:
            names = ", ".join(c.name for c in COLUMNS)
            errors.append(
                CellError(
                    1, "", "", f"“{ours}” is not a PAR Studio column; use one of {names}.", sheet
                )
            )
    columns: dict[int, Column] = {}
    texts: dict[int, str] = {}
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
            column = _target(target)
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
        texts[index] = text
    missing = tuple(c.name for c in COLUMNS if c.required and c.name not in taken)
    for name in missing:
        errors.append(CellError(1, "", name, f"The sheet has no {name} column.", sheet))
    return HeaderMap(
        columns=columns, extra=tuple(extra), missing=missing, errors=tuple(errors), texts=texts
    )


def find_header_row(
    rows: Sequence[Sequence[Any]], overrides: Mapping[str, str] | None = None
) -> int | None:
    """The index of the header row among a sheet's first rows: the one naming the most columns.

    None when no row names at least two PAR Studio columns (a sheet of notes or instructions).
    """
    best, best_count = None, 1
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [c for c in cells if isinstance(c, str) and c.strip()]
        if len(texts) < 2:
            continue
        count = len(map_headers(cells, overrides).columns)
        if count > best_count:
            best, best_count = index, count
    return best
