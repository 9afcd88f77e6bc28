"""Writing a PAR worksheet (.xlsx) from plain rows, with openpyxl's fast write-only mode.

Every text is written as a plain string cell: a description such as ``=HYPERLINK(...)`` or
``@SUM(A1)`` stays text and is never turned into a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from parstudio.domain.worksheet import COLUMNS, Column

SHEET_NAME = "PAR worksheet"
COLUMNS_SHEET = "Columns"
_KEY_FILL = PatternFill("solid", fgColor="FFE699")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_EXPORT_FILL = PatternFill("solid", fgColor="EDEDED")
_BOLD = Font(bold=True)
_DATE_FORMAT = "yyyy-mm-dd hh:mm"
_MAX_VALIDATED_ROW = 1_048_576


def write_worksheet(
    path: Path | str,
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    *,
    sheet_name: str = SHEET_NAME,
) -> int:
    """Write rows (column name → value) under a frozen, bold header; returns rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
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
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = _BOLD
        cell.fill = (
            _KEY_FILL if column.required else _EXPORT_FILL if column.export_only else _HEADER_FILL
        )
        header.append(cell)
    sheet.append(header)
    written = 0
    for row in rows:
        sheet.append([_cell(sheet, row.get(column.name)) for column in columns])
        written += 1
    _write_column_help(workbook, columns)
    workbook.save(str(path))
    return written


def _cell(sheet: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        if not value.startswith("="):
            return value  # openpyxl stores every other text as a string already
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, never a formula
        return cell
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = _DATE_FORMAT
        return cell
    return value


def _write_column_help(workbook: Workbook, columns: Sequence[Column]) -> None:
    sheet = workbook.create_sheet(COLUMNS_SHEET)
    for letter, width in (("A", 20), ("B", 14), ("C", 90), ("D", 40)):
        sheet.column_dimensions[letter].width = width
    header = []
    for text in ("Column", "Required", "Meaning", "Also accepted as"):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = _BOLD
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in columns or COLUMNS:
        required = "yes" if column.required else "export only" if column.export_only else ""
        texts = (column.name, required, column.help, ", ".join(column.synonyms))
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
