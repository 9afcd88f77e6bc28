"""Reading a worksheet file into checked rows: every sheet, its header row, its cells."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

from parstudio.domain.progress import Progress
from parstudio.domain.worksheet import is_blank_row, parse_rows
from parstudio.domain.worksheet_cells import decimal_style
from parstudio.domain.worksheet_checks import find_duplicates, find_item_conflicts
from parstudio.domain.worksheet_headers import CellError, HeaderMap, find_header_row, map_headers
from parstudio.domain.worksheet_preview import ParsedWorksheet
from parstudio.reports.worksheet_read import (
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    RawSheet,
    SheetData,
    read_workbook,
)
from parstudio.services.core.bulk import collector_paused


def read_worksheet(
    path: Path | str,
    *,
    progress: Progress | None = None,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_rows: int = MAX_ROWS,
) -> SheetData:
    """Read every sheet of a worksheet file (checked for safety first); writes nothing."""
    # Tens of thousands of rows of cells: the cycle collector would walk them over and over.
    with collector_paused():
        return read_workbook(
            path,
            max_uncompressed_bytes=max_uncompressed_bytes,
            max_rows=max_rows,
            progress=progress,
        )


def parse_worksheet(
    sheet: SheetData,
    *,
    path: Path | str,
    header_overrides: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    consume: bool = False,
) -> ParsedWorksheet:
    """Find each sheet's header row and parse its rows, with every cell-level error.

    ``consume=True`` empties the sheets' rows as they are parsed (for a caller that read the
    file only to parse it): a big file is then not held twice.
    """
    # A row's fields and values are tens of thousands of new objects the collector would walk
    # again and again (a third of an import's time); they hold no cycles.
    with collector_paused():
        return _parse(sheet, path, header_overrides, progress, consume)


def _parse(
    sheet: SheetData,
    path: Path | str,
    header_overrides: Mapping[str, str] | None,
    progress: Progress | None,
    consume: bool,
) -> ParsedWorksheet:
    """parse_worksheet, without the cycle collector."""
    found: list[tuple[RawSheet, int, HeaderMap, str | None]] = []
    skipped: list[str] = []
    for raw in sheet.sheets:
        if raw.hidden:
            skipped.append(f"{raw.name} (hidden)")
            continue
        index = find_header_row(raw.rows, header_overrides)
        if index is None:
            skipped.append(f"{raw.name} (no header row naming PAR Studio columns)")
            continue
        header = _header(raw, index, header_overrides)
        location = None
        if "Location" in header.missing and header.has("Item Code"):
            location = raw.name.strip()
            header = dataclasses.replace(
                header,
                missing=tuple(m for m in header.missing if m != "Location"),
                errors=tuple(e for e in header.errors if e.column_name != "Location"),
            )
        found.append((raw, index, header, location))
    if not found:
        header = _header(sheet.main, sheet.header_row, header_overrides)
        return ParsedWorksheet(str(path), sheet.name, header, (), header.errors or _nothing(sheet))
    headers = {raw.name: header for raw, _index, header, _location in found}
    main = found[0][2]
    header_errors = [e for _raw, _i, header, _loc in found for e in header.errors]
    names = tuple(raw.name for raw, *_rest in found)
    base = ParsedWorksheet(
        str(path),
        ", ".join(names),
        main,
        (),
        tuple(header_errors),
        headers=headers,
        sheets=names,
        skipped_sheets=tuple(skipped),
        sheet_locations=tuple((raw.name, loc, i + 1) for raw, i, _h, loc in found if loc),
        has_count_dates=any(h.has("Counted On") for h in headers.values()),
    )
    if header_errors:
        return base
    # The style depends only on which texts the numeric columns hold, not where or how often.
    decimal = decimal_style(
        sorted(
            text
            for raw, index, header, _loc in found
            for text in _numeric_texts(
                raw.rows[index + 1 :], [i for i, c in header.columns.items() if c.numeric]
            )
        )
    )
    rows = []
    errors: list[CellError] = []
    left_out: list[str] = []
    read = 0
    for raw, index, header, location in found:
        skipped_rows: list[tuple[int, str]] = []
        body = raw.rows[index + 1 :]
        read += sum(1 for cells in body if not is_blank_row(cells))
        if consume:
            raw.rows.clear()
        parsed, problems = parse_rows(
            body,
            header,
            first_row=index + 2,
            sheet=raw.name,
            progress=progress if len(found) == 1 else None,
            decimal=decimal,
            location=location,
            skipped=skipped_rows,
            check_whole=False,
            consume=consume,
        )
        rows.extend(parsed)
        errors.extend(problems)
        left_out.extend(f"Sheet “{raw.name}”, row {row}: {why}" for row, why in skipped_rows)
        read -= len(skipped_rows)
    errors.extend(find_duplicates(rows, headers))
    errors.extend(find_item_conflicts(rows, headers))
    order = {name: position for position, name in enumerate(names)}
    errors.sort(key=lambda e: (order.get(e.sheet, 0), e.row, len(e.column), e.column))
    return dataclasses.replace(
        base,
        rows=tuple(rows),
        errors=tuple(errors),
        rows_read=read,
        skipped_rows=tuple(left_out),
        decimal=decimal,
    )


def _numeric_texts(rows: list[list[Any]], numeric: list[int]) -> set[str]:
    """The distinct texts in the numeric columns of the rows."""
    if not numeric:
        return set()
    pick = itemgetter(*numeric) if len(numeric) > 1 else lambda cells: (cells[numeric[0]],)
    try:
        # Every cell's value at C speed, then only the distinct ones looked at.
        values = set(chain.from_iterable(map(pick, rows)))
    except IndexError:  # a short row (a .csv line with fewer cells): cell by cell
        values = {cells[i] for cells in rows for i in numeric if i < len(cells)}
    return {value for value in values if isinstance(value, str)}


def _header(raw: RawSheet, index: int, overrides: Mapping[str, str] | None) -> HeaderMap:
    """A sheet's header map, its errors placed on the sheet's header row."""
    cells = raw.rows[index] if index < len(raw.rows) else []
    header = map_headers(cells, overrides, sheet=raw.name)
    if index:
        header = dataclasses.replace(
            header, errors=tuple(dataclasses.replace(e, row=index + 1) for e in header.errors)
        )
    return header


def _nothing(sheet: SheetData) -> tuple[CellError, ...]:
    return (
        CellError(
            1,
            "",
            "",
            f"No sheet of {sheet.file} has a header row with PAR Studio columns (Location, "
            "Item Code, …) in its first rows.",
            sheet.name,
        ),
    )
