"""Exports of orders and the catalogue, export options, progress and cancelling of worksheets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from parstudio.domain.errors import CancelledError, ConflictError
from parstudio.domain.orders import ApprovedLine, OrderStatus
from parstudio.domain.progress import CancelFlag
from parstudio.services import worksheets
from parstudio.services.catalog import items, par_settings
from parstudio.services.core.database import Database
from parstudio.services.ordering import orders, proposals
from tests.services.worksheets.test_worksheets import HEADER, ROWS, row_counts, write_book


@pytest.fixture
def ward(db: Database, tmp_path: Path) -> Database:
    """The test worksheet imported (with its counts), and its proposal approved as orders."""
    worksheets.apply_import(db, path=write_book(tmp_path / "ward.xlsx", HEADER, ROWS))
    proposal = proposals.propose_orders(db)
    orders.approve_lines(db, lines=proposal.as_proposed(), order_date=date(2026, 11, 23))
    return db


def sheet_rows(path: Path, name: str) -> tuple[Any, list[dict[str, Any]]]:
    """The sheet and its rows as header → value."""
    ws = openpyxl.load_workbook(path)[name]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(2, values_only=True)]
    return ws, rows


def test_orders_export_has_one_row_per_line_with_numbers_as_numbers(
    ward: Database, tmp_path: Path
) -> None:
    path = tmp_path / "orders.xlsx"
    assert worksheets.export_orders(ward, path=path) == 3
    ws, rows = sheet_rows(path, "Orders")
    assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    assert ws.column_dimensions["J"].width == 40, "Description is wide enough to read"
    by_item = {r["Item Code"]: r for r in rows}
    syringe = by_item["SYR-10"]
    assert syringe["Kind"] == "PURCHASE" and syringe["Source"] == "Medline"
    assert syringe["Status"] == "DRAFT" and syringe["Location"] == "CT1"
    assert syringe["Packs"] == 3 and syringe["Units"] == 30 and syringe["Pack Size"] == 10
    assert isinstance(syringe["Packs"], int)
    assert syringe["Order Date"].date() == date(2026, 11, 23)
    assert "MOQ 3" in syringe["Explanation"]
    assert by_item["GAUZE"]["Units"] == 30
    assert openpyxl.load_workbook(path).sheetnames == ["Orders", "Columns"]

    assert worksheets.export_orders(ward, path=path, statuses=[OrderStatus.RECEIVED]) == 0


def test_catalogue_export_lists_items_with_barcodes_and_where_they_are_stocked(
    ward: Database, tmp_path: Path
) -> None:
    path = tmp_path / "catalogue.xlsx"
    assert worksheets.export_catalogue(ward, path=path) == 3
    _ws, rows = sheet_rows(path, "Catalogue")
    by_code = {r["Item Code"]: r for r in rows}
    assert list(by_code) == ["GAUZE", "GLV-M", "SYR-10"], "in code order"
    syringe = by_code["SYR-10"]
    assert syringe["Barcodes"] == "00612479123456" and syringe["Supplier"] == "Medline"
    assert syringe["PAR Locations"] == 2 and syringe["Pack Size"] == 10
    assert syringe["Active"] == "yes" and syringe["Expensed"] == "yes"
    assert syringe["Billable"] == "no" and syringe["Serial Tracked"] == "no"
    assert syringe["Charge Code"] is None and syringe["Charge Price"] is None
    gauze = by_code["GAUZE"]
    found = items.find_item_by_code(ward, code="GAUZE")
    assert found is not None
    items.set_item_active(ward, item_id=found.id, active=False)
    assert worksheets.export_catalogue(ward, path=path) == 2
    assert worksheets.export_catalogue(ward, path=path, include_inactive=True) == 3
    assert gauze["Unit"] == "PK"


def test_formula_looking_text_stays_a_string_in_every_export(db: Database, tmp_path: Path) -> None:
    hostile = '=HYPERLINK("http://evil.example","click")'
    rows = [["CT1", "X1", hostile, "EA", None, "Medline", None, None, None, None, 5, None, None,
             None, 2]]  # fmt: skip
    book = write_book(tmp_path / "in.xlsx", HEADER, rows)
    written = openpyxl.load_workbook(book)
    cell = written.active.cell(2, 3)  # type: ignore[union-attr]
    cell.value, cell.data_type = hostile, "s"  # as a user typed it: text, not a formula
    written.save(book)
    assert worksheets.apply_import(db, path=book).applied
    proposal = proposals.propose_orders(db)
    orders.approve_lines(
        db,
        lines=[ApprovedLine(line.setting_id, 1, 1, line.count_line_id) for line in proposal.lines],
    )
    for export, name, sheet in (
        (worksheets.export_worksheet, "ws.xlsx", "PAR worksheet"),
        (worksheets.export_proposal, "proposal.xlsx", "Proposal"),
        (worksheets.export_orders, "orders.xlsx", "Orders"),
        (worksheets.export_catalogue, "catalogue.xlsx", "Catalogue"),
    ):
        path = tmp_path / name
        export(db, path=path)  # type: ignore[operator]
        ws = openpyxl.load_workbook(path)[sheet]
        header = [c.value for c in ws[1]]
        cell = ws.cell(2, header.index("Description") + 1)
        assert cell.data_type == "s", name
        assert cell.value == hostile, name


def test_export_without_counts_or_proposal_leaves_those_columns_blank(
    ward: Database, tmp_path: Path
) -> None:
    path = tmp_path / "plain.xlsx"
    worksheets.export_worksheet(ward, path=path, include_counts=False, include_proposal=False)
    _ws, rows = sheet_rows(path, "PAR worksheet")
    assert all(r["Last Count"] is None and r["Order Packs"] is None for r in rows)
    worksheets.export_worksheet(ward, path=path, include_counts=True, include_proposal=False)
    _ws, rows = sheet_rows(path, "PAR worksheet")
    syringe = next(r for r in rows if r["Item Code"] == "SYR-10" and r["Location"] == "CT1")
    assert syringe["Last Count"] == 8 and syringe["Last Counted"] is not None
    assert syringe["Order Packs"] is None


def test_progress_is_reported_and_cancelling_an_import_writes_nothing(
    db: Database, tmp_path: Path
) -> None:
    path = write_book(tmp_path / "ward.xlsx", HEADER, ROWS)
    seen: list[tuple[int, int]] = []
    preview = worksheets.preview_import(db, path=path, progress=lambda d, t: seen.append((d, t)))
    assert preview.is_valid
    assert seen[-1][0] == seen[-1][1] and all(d <= t for d, t in seen)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen), "progress only goes forward"

    before = row_counts(db)
    flag = CancelFlag()

    def cancel_when_writing(done: int, total: int) -> None:
        if done > total * 3 // 4:  # in the last step: writing
            flag.cancel()

    with pytest.raises(CancelledError):
        worksheets.apply_import(db, path=path, progress=flag.reporting(cancel_when_writing))
    assert row_counts(db) == before, "a cancelled import is rolled back"


def test_export_progress_reaches_the_end(db: Database, tmp_path: Path) -> None:
    worksheets.apply_import(db, path=write_book(tmp_path / "ward.xlsx", HEADER, ROWS))
    seen: list[tuple[int, int]] = []
    worksheets.export_worksheet(
        db, path=tmp_path / "out.xlsx", progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (4, 4)


def syringe_at_ct1(db: Database) -> Any:
    return next(
        s
        for s in par_settings.list_par_settings(db)
        if (s.location_code, s.item_code) == ("CT1", "SYR-10")
    )


def test_apply_refuses_when_the_database_changed_since_the_preview(
    db: Database, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=write_book(tmp_path / "ward.xlsx", HEADER, ROWS))
    edit = write_book(
        tmp_path / "edit.xlsx", ["Location", "Item Code", "PAR Level"], [["CT1", "SYR-10", 30]]
    )
    sheet = worksheets.read_worksheet(edit)
    parsed = worksheets.parse_worksheet(sheet, path="edit.xlsx")
    preview = worksheets.preview_import(db, worksheet=parsed)
    assert [str(c) for c in preview.changed_settings[0].changes] == ["PAR Level: 24 → 30"]

    # Someone else edits the same line meanwhile.
    setting = syringe_at_ct1(db)
    par_settings.update_par_setting(db, setting_id=setting.id, changes={"par_level": "26"})
    with pytest.raises(ConflictError, match="changed since the preview"):
        worksheets.apply_import(db, worksheet=parsed, expected=preview)

    fresh = worksheets.preview_import(db, worksheet=parsed)
    assert [str(c) for c in fresh.changed_settings[0].changes] == ["PAR Level: 26 → 30"]
    done = worksheets.apply_import(db, worksheet=parsed, expected=fresh)
    assert done.applied
    assert syringe_at_ct1(db).par_level == Decimal(30)
