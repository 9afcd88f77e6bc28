"""Report workbooks (.xlsx): sheets of typed columns with number formats, written write-only.

Each sheet has a bold, frozen header row and set column widths; numbers are numbers with a
number format (money with two decimals, units without needless decimals); text is written
formula-safe by the worksheet writer's own rule; a row can be bold (a total).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from parstudio.domain.errors import ParStudioError
from parstudio.reports.worksheet_write import cell_value

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_TOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
_RIGHT = Alignment(horizontal="right")
MONEY_FORMAT = "#,##0.00"
PRICE_FORMAT = "#,##0.00##"
WHOLE_FORMAT = "#,##0"
UNITS_FORMAT = "#,##0.###"
TIME_FORMAT = "yyyy-mm-dd hh:mm"


class Kind(StrEnum):
    """How a column's values are written."""

    TEXT = "text"
    MONEY = "money"
    PRICE = "price"
    UNITS = "units"
    TIME = "time"
    """A local date and time (given without a zone), shown to the minute."""


@dataclass(frozen=True, slots=True)
class TableColumn:
    """A column: header, width in characters, kind of value."""

    heading: str
    width: float
    kind: Kind = Kind.TEXT


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row's values in column order; ``total`` rows are bold and shaded."""

    values: Sequence[Any]
    total: bool = False


@dataclass(slots=True)
class TableSheet:
    """A sheet: its name, columns, rows, and notes written under the rows."""

    name: str
    columns: Sequence[TableColumn]
    rows: Iterable[TableRow]
    notes: Sequence[str] = field(default_factory=tuple)
    landscape: bool = False
    """Printed across the page, fitted to its width, the header row on every page."""


def write_tables(path: Path | str, sheets: Sequence[TableSheet]) -> None:
    """Write the sheets into one workbook at ``path``."""
    workbook = Workbook(write_only=True)
    for table in sheets:
        sheet = workbook.create_sheet(table.name)
        sheet.freeze_panes = "A2"
        if table.landscape:
            sheet.page_setup.orientation = "landscape"
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            sheet.page_setup.fitToWidth = 1
            sheet.page_setup.fitToHeight = 0
            sheet.print_title_rows = "1:1"
        for index, column in enumerate(table.columns):
            sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
        sheet.append([_header_cell(sheet, column) for column in table.columns])
        for row in table.rows:
            sheet.append(
                [
                    _cell(sheet, column, value, row.total)
                    for column, value in zip(table.columns, row.values, strict=True)
                ]
            )
        if table.notes:
            sheet.append([])
            for note in table.notes:
                sheet.append([cell_value(sheet, note)])
    try:
        workbook.save(str(path))
    except OSError as exc:
        raise ParStudioError(f"Cannot write {path}: {exc.strerror}.") from exc


def _header_cell(sheet: Any, column: TableColumn) -> Cell:
    cell = WriteOnlyCell(sheet, value=column.heading)
    cell.font = _BOLD
    cell.fill = _HEADER_FILL
    if column.kind is not Kind.TEXT:
        cell.alignment = _RIGHT
    return cell


def _cell(sheet: Any, column: TableColumn, value: Any, total: bool) -> Any:
    if value is None and not total:
        return None
    if column.kind is Kind.TIME and isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = TIME_FORMAT
        return cell
    if column.kind is Kind.TEXT or not isinstance(value, Decimal | int):
        plain = cell_value(sheet, value)
        if not total:
            return plain
        cell = plain if isinstance(plain, Cell) else WriteOnlyCell(sheet, value=plain)
    else:
        number = Decimal(value)
        whole = number == number.to_integral_value()
        cell = WriteOnlyCell(sheet, value=int(number) if whole else float(number))
        cell.number_format = {
            Kind.MONEY: MONEY_FORMAT,
            Kind.PRICE: PRICE_FORMAT,
            Kind.UNITS: WHOLE_FORMAT if whole else UNITS_FORMAT,
        }[column.kind]
    if total:
        cell.font = _BOLD
        cell.fill = _TOTAL_FILL
    return cell
