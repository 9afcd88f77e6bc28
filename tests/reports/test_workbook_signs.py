"""Error cells and formulas found in an .xlsx while its real size is checked (one unpacking)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from parstudio.domain.worksheet_cells import ErrorCell
from parstudio.reports.workbook_cells import XLSX_SIGNS, holds_sign, problem_cells
from parstudio.reports.worksheet_read import read_workbook


@pytest.mark.parametrize(
    "block",
    [
        b"",
        b'<c r="A1" t="e"><v>#N/A</v></c>',
        b'<c r="A1"><f>SUM(B1:B2)</f><v>3</v></c>',
        b'<c r="A1"><f t="shared" si="0"/></c>',
        b'<x:c r="A1"><x:f>1+1</x:f></x:c>',
        b'<x:c r="A1"><x:f ref="A1"/></x:c>',
        b'<c r="A1" t="inlineStr"><is><t>Box of 10: fine &lt;f</t></is></c>',
        b"<c><fx/></c> :fa <f",
    ],
)
def test_the_quick_sign_search_finds_what_the_plain_one_finds(block: bytes) -> None:
    assert holds_sign(block) == any(sign in block for sign in XLSX_SIGNS)


def _big_sheet(path: Path, last: object) -> None:
    # Several megabytes of sheet XML, so the sign sits blocks after the first one.
    book = Workbook(write_only=True)
    sheet = book.create_sheet("PAR worksheet")
    sheet.append(["Location", "Item Code", "PAR Level"])
    for n in range(60_000):
        sheet.append(["MAIN", f"ITEM-{n:06d}", n % 40])
    sheet.append(["MAIN", "LAST", last])
    book.save(path)


def test_a_formula_far_down_a_big_sheet_is_found(tmp_path: Path) -> None:
    path = tmp_path / "formula.xlsx"
    _big_sheet(path, "=1/0")
    rows = read_workbook(path).sheets[0].rows
    assert isinstance(rows[-1][2], ErrorCell)
    assert problem_cells(path, "xlsx")["PAR worksheet"].keys() == {(len(rows) - 1, 2)}


def test_a_big_sheet_without_formulas_has_no_problem_cells(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    _big_sheet(path, 5)
    rows = read_workbook(path).sheets[0].rows
    assert rows[-1] == ["MAIN", "LAST", 5]
    assert not any(isinstance(c, ErrorCell) for row in rows for c in row)
