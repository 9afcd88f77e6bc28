"""Exported worksheets print well: landscape, one page wide, header on every page, filters."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from parstudio.domain.listing_columns import ORDER_COLUMNS
from parstudio.domain.worksheet_columns import WORKSHEET_COLUMNS
from parstudio.reports.worksheet_write import MONEY_FORMAT, write_sheet


def test_a_worksheet_prints_landscape_fitted_to_width_with_its_header_on_every_page(
    tmp_path: Path,
) -> None:
    path = tmp_path / "w.xlsx"
    rows = [[None] * len(WORKSHEET_COLUMNS) for _ in range(3)]
    write_sheet(path, WORKSHEET_COLUMNS, rows)
    sheet = openpyxl.load_workbook(path)["PAR worksheet"]
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    last = openpyxl.utils.get_column_letter(len(WORKSHEET_COLUMNS))
    assert sheet.auto_filter.ref == f"A1:{last}4"
    for index, column in enumerate(WORKSHEET_COLUMNS):
        letter = openpyxl.utils.get_column_letter(index + 1)
        assert sheet.column_dimensions[letter].width >= len(column.name) + 2, column.name


def test_money_is_written_with_two_decimals(tmp_path: Path) -> None:
    path = tmp_path / "o.xlsx"
    names = [c.name for c in ORDER_COLUMNS]
    row: list[object] = [None] * len(names)
    row[names.index("Pack Price")] = Decimal("12.5")
    row[names.index("Line Total")] = Decimal(25)
    write_sheet(path, ORDER_COLUMNS, [row], sheet_name="Orders", mark_columns=False)
    sheet = openpyxl.load_workbook(path)["Orders"]
    price = sheet.cell(2, names.index("Pack Price") + 1)
    total = sheet.cell(2, names.index("Line Total") + 1)
    assert (price.value, price.number_format) == (12.5, MONEY_FORMAT)
    assert (total.value, total.number_format) == (25, MONEY_FORMAT)
