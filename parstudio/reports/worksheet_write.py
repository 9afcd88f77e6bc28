"""Writing worksheets (.xlsx) from plain rows, with openpyxl's fast write-only mode.

Every text is written as a plain string cell: a description such as ``=HYPERLINK(...)`` or
``@SUM(A1)`` stays text and is never turned into a formula. Styles are set on the header row
and on the columns, not per cell, and each drop-down list is one validation over a whole
column, so a 50,000-row sheet costs little more than its cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from parstudio.domain.progress import Progress
from parstudio.domain.worksheet import COLUMNS, Column

SHEET_NAME = "PAR worksheet"
COLUMNS_SHEET = "Columns"
_KEY_FILL = PatternFill("solid", fgColor="FFE699")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_EXPORT_FILL = PatternFill("solid", fgColor="EDEDED")
_BOLD = Font(bold=True)
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
_MAX_VALIDATED_ROW = 1_048_576
_PROGRESS_EVERY = 2000


def write_worksheet(
    path: Path | str,
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    *,
    sheet_name: str = SHEET_NAME,
) -> int:
    """Write rows (column name → value) under a frozen, bold header; returns rows written."""
    names = [column.name for column in columns]
    return write_sheet(
        path, columns, ([row.get(name) for name in names] for row in rows), sheet_name=sheet_name
    )


def write_sheet(
    path: Path | str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = SHEET_NAME,
    mark_columns: bool = True,
    total: int = 0,
    progress: Progress | None = None,
) -> int:
    """Write rows (values in column order) under a frozen, bold header; returns rows written.

    ``mark_columns`` colours the headers of the PAR worksheet's key and export-only columns.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns):
        # Never narrower than its header, so no header is cut off on screen or on paper.
        width = max(column.width, len(column.name) + 3)
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    set_up_printing(sheet)
    _add_choices(sheet, columns)
    sheet.append(_header(sheet, columns, mark_columns))
    converters = [(index, _converter(column)) for index, column in enumerate(columns)]
    written = 0
    append = sheet.append
    for values in rows:
        cells = list(values)
        for index, convert in converters:
            value = cells[index]
            if value is not None:
                cells[index] = convert(sheet, value)
        append(cells)
        written += 1
        if progress is not None and written % _PROGRESS_EVERY == 0:
            progress(written, max(total, written))
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{written + 1}"
    _write_column_help(workbook, columns, with_required=mark_columns)
    workbook.save(str(path))
    if progress is not None:
        progress(written, max(total, written))
    return written


def set_up_printing(sheet: Any) -> None:
    """Print landscape, fitted to the page's width, with the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True


def _header(sheet: Any, columns: Sequence[Column], mark_columns: bool) -> list[Any]:
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = _BOLD
        cell.alignment = _HEADER_ALIGNMENT
        if mark_columns and column.required:
            cell.fill = _KEY_FILL
        elif mark_columns and column.export_only:
            cell.fill = _EXPORT_FILL
        else:
            cell.fill = _HEADER_FILL
        header.append(cell)
    return header


def _add_choices(sheet: Any, columns: Sequence[Column]) -> None:
    # One validation per column range, not per cell: a cell-by-cell list bloats the file.
    for index, column in enumerate(columns):
        if column.choices:
            letter = get_column_letter(index + 1)
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.name,
                error=f"{column.name} must be one of: {', '.join(column.choices)}",
            )
            validation.add(f"{letter}2:{letter}{_MAX_VALIDATED_ROW}")
            sheet.data_validations.append(validation)


MONEY_COLUMNS = frozenset(("Pack Price", "Line Total"))
MONEY_FORMAT = "#,##0.00"


def _converter(column: Column) -> Callable[[Any, Any], Any]:
    """How a column's values become cells."""
    if column.name in MONEY_COLUMNS:
        return _money
    return _number if column.numeric else _text_or_other


def _money(sheet: Any, value: Any) -> Any:
    if not isinstance(value, Decimal | int | float) or isinstance(value, bool):
        return _text_or_other(sheet, value)
    cell = WriteOnlyCell(sheet, value=float(value))
    cell.number_format = MONEY_FORMAT
    return cell


def _number(sheet: Any, value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return _text_or_other(sheet, value)


def cell_value(sheet: Any, value: Any) -> Any:
    """A value as a write-only cell takes it: text never a formula, times local, yes/no."""
    return _text_or_other(sheet, value)


def _text_or_other(sheet: Any, value: Any) -> Any:
    if isinstance(value, str):
        if not value.startswith("="):
            return value  # openpyxl stores every other text as a string already
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, never a formula
        return cell
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return _local(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value
    return value


def _write_column_help(
    workbook: Workbook, columns: Sequence[Column], *, with_required: bool = True
) -> None:
    sheet = workbook.create_sheet(COLUMNS_SHEET)
    set_up_printing(sheet)
    titles = (
        ("Column", "Required", "Meaning", "Also accepted as")
        if with_required
        else (
            "Column",
            "Meaning",
        )
    )
    widths = (20, 14, 90, 40) if with_required else (20, 90)
    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    header = []
    for text in titles:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = _BOLD
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in columns or COLUMNS:
        required = "yes" if column.required else "export only" if column.export_only else ""
        texts = (
            (column.name, required, column.help, ", ".join(column.synonyms))
            if with_required
            else (column.name, column.help)
        )
        cells = []
        for text in texts:
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)


def _local(value: datetime) -> datetime:
    """A time as the user's clock shows it (Excel has no time zones)."""
    return value.astimezone().replace(tzinfo=None) if value.tzinfo else value
