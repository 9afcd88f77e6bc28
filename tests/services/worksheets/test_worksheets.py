"""The PAR worksheet through the services: import (preview and apply), export, proposal."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from parstudio.domain.errors import NotFoundError, WorksheetError
from parstudio.domain.worksheet import COLUMN_BY_NAME
from parstudio.models import Barcode, Bin, Count, CountLine, Item, Location, ParSetting, Supplier
from parstudio.reports.worksheet_read import read_first_sheet
from parstudio.reports.worksheet_write import write_worksheet
from parstudio.services import worksheets
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database
from parstudio.services.ordering import proposals

HEADER = [
    "Location", "Item Code", "Description", "Unit of Issue", "Pack Size", "Supplier", "Barcodes",
    "Bin", "Method", "Count Type", "PAR Level", "Min", "Max", "MOQ", "Count",
]  # fmt: skip
ROWS: list[list[Any]] = [
    ["CT1", "SYR-10", "Syringe 10 mL", "EA", 10, "Medline", "00612479123456", "A-01", None, None,
     24, None, None, 3, 8],
    ["CT1", "GLV-M", "Gloves M", "BX", 100, "Medline", None, "A-02", "MIN/MAX", None, None, 100,
     400, None, 40],
    ["CT1", "GAUZE", "Gauze 4x4", "PK", None, "Owens", None, "A-03", None, "ORDER QTY", None,
     None, None, None, 30],
    ["ER", "SYR-10", None, None, None, None, None, None, None, None, 12, None, None, None, None],
]  # fmt: skip
TABLES = (Supplier, Location, Item, Barcode, Bin, ParSetting, Count, CountLine)


def write_book(path: Path, header: list[Any], rows: list[list[Any]]) -> Path:
    """A worksheet file as a user's spreadsheet program would save it."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def row_counts(db: Database) -> dict[str, int]:
    with db.reading() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in TABLES
        }


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return write_book(tmp_path / "ward.xlsx", HEADER, ROWS)


def test_import_into_an_empty_database_creates_everything_and_records_counts(
    db: Database, sheet: Path
) -> None:
    preview = worksheets.preview_import(db, path=sheet)
    assert preview.is_valid, preview.summary_text()
    assert preview.new_locations == ("CT1", "ER")
    assert preview.new_suppliers == ("Medline", "Owens")
    assert preview.new_items == ("GAUZE", "GLV-M", "SYR-10")
    assert preview.new_settings == ("CT1 / SYR-10", "CT1 / GLV-M", "CT1 / GAUZE", "ER / SYR-10")
    assert [(c.item_code, c.count_type, c.quantity) for c in preview.counts] == [
        ("SYR-10", "ON HAND", 8),
        ("GLV-M", "ON HAND", 40),
        ("GAUZE", "ORDER QTY", 30),
    ]
    assert row_counts(db)["item"] == 0, "a preview writes nothing"

    applied = worksheets.apply_import(db, path=sheet)
    assert applied.applied and applied.is_valid
    assert "Imported: 11 new, 0 changed, 0 unchanged, 3 count(s)." in applied.summary_text()

    syringe = items.find_item_by_code(db, code="SYR-10")
    assert syringe is not None
    assert (syringe.description, syringe.unit, syringe.pack_size) == ("Syringe 10 mL", "EA", 10)
    assert syringe.supplier_code == "Medline" and syringe.barcodes == ("00612479123456",)
    gauze = items.find_item_by_code(db, code="GAUZE")
    assert gauze is not None and gauze.pack_size == 1, "blank pack size of a new item is 1"
    assert [s.code for s in suppliers.list_suppliers(db)] == ["Medline", "Owens"]
    ct1 = locations.find_location(db, code="ct1")
    assert ct1 is not None and ct1.kind == "PAR LOCATION" and ct1.bins == ("A-01", "A-02", "A-03")
    settings = {s.item_code: s for s in par_settings.list_par_settings(db, location_id=ct1.id)}
    assert settings["SYR-10"].par_level == 24 and settings["SYR-10"].moq == 3
    assert settings["GLV-M"].method == "MIN/MAX" and settings["GLV-M"].max_level == 400
    assert settings["GAUZE"].count_type == "ORDER QTY" and settings["GAUZE"].par_level is None
    with db.reading() as session:
        sources = session.execute(select(Count.source, Count.location_id)).all()
        lines = session.execute(select(CountLine.count_type, CountLine.quantity)).all()
    assert sources == [("WORKSHEET", ct1.id)], "one count per location"
    assert sorted((t, q) for t, q in lines) == [
        ("ON HAND", 8), ("ON HAND", 40), ("ORDER QTY", 30)
    ]  # fmt: skip


def test_the_proposal_file_matches_the_engine(db: Database, sheet: Path, tmp_path: Path) -> None:
    worksheets.apply_import(db, path=sheet)
    written = worksheets.export_proposal(db, path=tmp_path / "proposal.xlsx")
    data = read_first_sheet(tmp_path / "proposal.xlsx")
    columns = {name: i for i, name in enumerate(data.header)}
    from_file = {
        (r[columns["Location"]], r[columns["Item Code"]]): (
            r[columns["Order Packs"]],
            r[columns["Status"]],
        )
        for r in data.rows
    }
    engine = {
        (line.location_code, line.item_code): (line.packs, line.status.value)
        for line in proposals.propose_orders(db).lines
    }
    assert written == 4 and data.name == "Proposal"
    assert from_file == engine
    assert from_file[("CT1", "SYR-10")] == (3, "ORDER")  # PAR 24 − 8 = 16 → 2 packs → MOQ 3
    assert from_file[("CT1", "GAUZE")] == (30, "ORDER")
    assert from_file[("ER", "SYR-10")] == (0, "MISSING COUNT")


def test_export_then_import_of_the_same_file_changes_nothing(
    db: Database, sheet: Path, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=sheet)
    exported = tmp_path / "export.xlsx"
    assert worksheets.export_worksheet(db, path=exported) == 4
    before = row_counts(db)
    preview = worksheets.apply_import(db, path=exported)
    assert preview.is_valid and not preview.has_changes and not preview.extra_columns
    assert "No changes: 0 new, 0 changed, 4 unchanged" in preview.summary_text()
    assert row_counts(db) == before
    with db.reading() as session:
        assert set(session.scalars(select(ParSetting.version))) == {1}


def test_the_exported_worksheet_is_laid_out_for_people(
    db: Database, sheet: Path, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=sheet)
    exported = tmp_path / "export.xlsx"
    worksheets.export_worksheet(db, path=exported, location_codes=["CT1"])
    book = openpyxl.load_workbook(exported)
    assert book.sheetnames == ["PAR worksheet", "Columns"]
    ws = book["PAR worksheet"]
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    assert ws["A1"].fill.fgColor.rgb.endswith("FFE699"), "key columns are marked"
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(2, values_only=True)}
    assert set(rows) == {"SYR-10", "GLV-M", "GAUZE"}, "only CT1"
    syringe = rows["SYR-10"]
    assert syringe["PAR Level"] == 24 and isinstance(syringe["Pack Size"], int)
    assert syringe["Count"] is None and syringe["Last Count"] == 8
    assert syringe["Order Packs"] == 3 and syringe["Order Units"] == 30
    assert "MOQ 3" in syringe["Explanation"]
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    method = header.index("Method")
    letter = openpyxl.utils.get_column_letter(method + 1)
    assert lists[f"{letter}2:{letter}1048576"] == '"PAR,MIN/MAX"'
    assert len(lists) == 3
    assert [c.value for c in book["Columns"][1]][:2] == ["Column", "Required"]


def test_formula_looking_text_is_exported_as_text(db: Database, tmp_path: Path) -> None:
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT"})
    texts = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1-2", "-3", "=1/0"]
    for n, text in enumerate(texts):
        item = items.create_item(db, fields={"code": f"I{n}", "description": text})
        par_settings.create_par_setting(
            db, location_id=ct.id, item_id=item.id, fields={"par_level": "5"}
        )
    exported = tmp_path / "export.xlsx"
    worksheets.export_worksheet(db, path=exported)
    ws = openpyxl.load_workbook(exported)["PAR worksheet"]
    cells = {ws.cell(r, 2).value: ws.cell(r, 3) for r in range(2, ws.max_row + 1)}
    for n, text in enumerate(texts):
        assert cells[f"I{n}"].data_type == "s"
        assert cells[f"I{n}"].value == text
    assert not worksheets.apply_import(db, path=exported).has_changes


def test_the_writer_keeps_any_text_a_string(tmp_path: Path) -> None:
    texts = ["\tTAB", "\r=CR", "=A1", "@x", "+1", "-1"]
    path = tmp_path / "w.xlsx"
    columns = [COLUMN_BY_NAME["Description"]]
    assert write_worksheet(path, columns, [{"Description": t} for t in texts]) == len(texts)
    ws = openpyxl.load_workbook(path)["PAR worksheet"]
    cells = [ws.cell(r, 1) for r in range(2, len(texts) + 2)]
    assert [c.data_type for c in cells] == ["s"] * len(texts)
    # XML turns a carriage return into a line feed; the text stays text either way.
    assert [c.value for c in cells] == [t.replace("\r", "\n") for t in texts]


def test_a_changed_par_level_shows_old_and_new(db: Database, sheet: Path, tmp_path: Path) -> None:
    worksheets.apply_import(db, path=sheet)
    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("PAR Level")] = 30
    rows[0][HEADER.index("Count")] = None
    rows[1][HEADER.index("Unit of Issue")] = "CS"
    rows[1][HEADER.index("Count")] = None
    rows[2][HEADER.index("Count")] = None
    changed = write_book(tmp_path / "changed.xlsx", HEADER, rows)
    preview = worksheets.preview_import(db, path=changed)
    assert preview.is_valid
    assert [(c.key, [str(f) for f in c.changes]) for c in preview.changed_settings] == [
        ("CT1 / SYR-10", ["PAR Level: 24 → 30"])
    ]
    assert [(c.key, [str(f) for f in c.changes]) for c in preview.changed_items] == [
        ("GLV-M", ["Unit of Issue: BX → CS"])
    ]
    assert preview.unchanged == 2 and preview.counts == ()
    text = preview.summary_text()
    assert "0 new, 2 changed, 2 unchanged" in text and "PAR Level: 24 → 30" in text
    worksheets.apply_import(db, path=changed)
    ct1 = locations.find_location(db, code="CT1")
    assert ct1 is not None
    setting = next(
        s for s in par_settings.list_par_settings(db, location_id=ct1.id) if s.item_code == "SYR-10"
    )
    assert setting.par_level == 30 and setting.version == 2
    glove = items.find_item_by_code(db, code="GLV-M")
    assert glove is not None and glove.unit == "CS" and glove.version == 2


def test_blank_cells_of_existing_records_clear_values_but_keep_defaults(
    db: Database, sheet: Path, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=sheet)
    header = ["Location", "Item Code", "UOM", "Pack Size", "PAR Level", "MOQ", "Barcodes"]
    changed = write_book(
        tmp_path / "blank.xlsx", header, [["CT1", "SYR-10", None, None, 24, None, None]]
    )
    preview = worksheets.apply_import(db, path=changed)
    assert [str(f) for c in preview.changed_settings for f in c.changes] == ["MOQ: 3 → (blank)"]
    assert preview.changed_items == ()
    syringe = items.find_item_by_code(db, code="SYR-10")
    assert syringe is not None
    assert (syringe.unit, syringe.pack_size, syringe.barcodes) == ("EA", 10, ("00612479123456",))


def test_header_overrides_map_a_users_own_headers(db: Database, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "theirs.xlsx",
        ["Dept", "Stock No", "Item Name", "Target", "Remarks"],
        [["OR", "S1", "Suture", 6, "ok"]],
    )
    refused = worksheets.preview_import(db, path=path)
    assert not refused.is_valid
    assert {e.column_name for e in refused.errors} == {"Location", "Item Code"}
    preview = worksheets.apply_import(
        db,
        path=path,
        header_overrides={"Dept": "Location", "stock no": "Item Code", "Target": "PAR Level"},
    )
    assert preview.is_valid and preview.extra_columns == ("E “Remarks”",)
    settings = par_settings.list_par_settings(db)
    assert [(s.location_code, s.item_code, s.par_level) for s in settings] == [("OR", "S1", 6)]


def test_an_unknown_supplier_name_matches_an_existing_code_or_name(
    db: Database, tmp_path: Path
) -> None:
    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline Industries"})
    path = write_book(
        tmp_path / "s.xlsx",
        ["Location", "Item Code", "Description", "Vendor", "PAR"],
        [["CT1", "A", "a", "medline industries", 1], ["CT1", "B", "b", "med", 1]],
    )
    preview = worksheets.apply_import(db, path=path)
    assert preview.new_suppliers == ()
    assert {i.supplier_code for i in items.list_items(db)} == {"MED"}


def _not_a_zip(path: Path) -> None:
    path.write_bytes(b"Location,Item Code\nCT1,A\n")


def _encrypted(path: Path) -> None:
    path.write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    )


def _old_xls(path: Path) -> None:
    path.write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 1000 + "Workbook".encode("utf-16-le")
    )


def _corrupt_zip(path: Path) -> None:
    write_book(path, HEADER, ROWS)
    data = bytearray(path.read_bytes())
    data[200:600] = b"\xff" * 400
    path.write_bytes(bytes(data))


def _zip_not_a_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")


def _bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * 3_000_000)


def _empty_sheet(path: Path) -> None:
    write_book(path, [], [])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_not_a_zip, "is not a spreadsheet (.xlsx, .xlsm, .xls, .ods or .csv)"),
        (_encrypted, "is password-protected (encrypted)"),
        (_old_xls, "could not be read as a workbook"),
        (_corrupt_zip, "is damaged"),
        (_zip_not_a_workbook, "is a zip file but not a spreadsheet"),
        (_bomb, "unpacks to more than 1.0 MB"),
        (_empty_sheet, "is empty"),
    ],
)
def test_unreadable_files_are_refused_and_write_nothing(
    db: Database, sheet: Path, tmp_path: Path, make: Any, message: str
) -> None:
    worksheets.apply_import(db, path=sheet)
    before = row_counts(db)
    path = tmp_path / "bad.xlsx"
    make(path)
    with pytest.raises(WorksheetError) as caught:
        worksheets.apply_import(db, path=path, max_uncompressed_bytes=1024 * 1024)
    assert message in str(caught.value)
    assert row_counts(db) == before


def test_too_many_rows_are_refused(db: Database, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "big.xlsx", ["Location", "Item Code"], [["A", str(n)] for n in range(11)]
    )
    with pytest.raises(WorksheetError, match="more than 10 rows"):
        worksheets.preview_import(db, path=path, max_rows=10)
    assert worksheets.preview_import(db, path=path, max_rows=11).rows == 11


def test_bad_cells_give_every_error_with_row_and_column_and_write_nothing(
    db: Database, sheet: Path, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=sheet)
    before = row_counts(db)
    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("PAR Level")] = "twenty"
    rows[1][HEADER.index("MOQ")] = 1.5
    rows[3][HEADER.index("PAR Level")] = "=1/0"  # openpyxl caches no value: read as blank
    rows.append(
        ["ER", "NEW-1", None, None, None, None, None, None, None, None, 5, None, None, None, None]
    )
    path = write_book(tmp_path / "bad.xlsx", HEADER, rows)
    preview = worksheets.apply_import(db, path=path)
    assert not preview.is_valid and not preview.applied
    messages = [str(e) for e in preview.errors]
    assert messages[:2] == [
        "Sheet “Sheet”, Row 2, column K (PAR Level): PAR level must be a number, not “twenty”.",
        "Sheet “Sheet”, Row 3, column N (MOQ): MOQ (packs) must be a whole number, not “1.5”.",
    ]
    assert row_counts(db) == before
    assert "nothing was imported" in preview.summary_text()


def test_a_formula_without_a_saved_value_is_refused_in_every_column(
    db: Database, tmp_path: Path
) -> None:
    path = write_book(
        tmp_path / "f.xlsx",
        ["Location", "Item Code", "Description", "PAR Level", "MOQ"],
        [["CT1", "A", "=UPPER(1)", "=SUM(1,2)", None], ["CT1", "B", "b", 5, "=1/0"]],
    )
    preview = worksheets.apply_import(db, path=path)
    unsaved = "the cell holds a formula saved without its value"
    assert [(e.row, e.column, e.message.startswith(unsaved)) for e in preview.errors] == [
        (2, "C", True),
        (2, "D", True),
        (3, "E", True),
    ]
    assert row_counts(db)["item"] == 0


def test_a_new_item_needs_a_description_and_barcodes_are_not_shared(
    db: Database, sheet: Path, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=sheet)
    path = write_book(
        tmp_path / "n.xlsx",
        ["Location", "Item Code", "Description", "Barcodes", "PAR Level"],
        [["CT1", "NEW", None, "00612479123456", 4]],
    )
    preview = worksheets.preview_import(db, path=path)
    assert [e.message for e in preview.errors] == [
        "Item NEW is new and needs a Description.",
        "The barcode 00612479123456 already belongs to item SYR-10.",
    ]


def test_export_of_an_unknown_location_is_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="There is no location “NOPE”"):
        worksheets.export_worksheet(db, path=tmp_path / "x.xlsx", location_codes=["NOPE"])


def test_a_larger_worksheet_imports_in_batches(sqlite_db: Database, tmp_path: Path) -> None:
    rows = [
        [f"L{n % 7}", f"ITEM-{n:05}", f"Item {n}", 1 + n % 5, n % 3 + 1, n % 4] for n in range(3000)
    ]
    path = write_book(
        tmp_path / "big.xlsx",
        ["Location", "Item Code", "Description", "PAR Level", "MOQ", "Count"],
        rows,
    )
    preview = worksheets.apply_import(sqlite_db, path=path)
    assert preview.is_valid and len(preview.new_items) == 3000 and len(preview.counts) == 3000
    assert row_counts(sqlite_db)["count"] == 7
    again = worksheets.preview_import(sqlite_db, path=path)
    assert Decimal(str(sum(c.quantity for c in preview.counts))) == sum(n % 4 for n in range(3000))
    # The same counts on the same day are already recorded: applying again records none.
    assert again.unchanged == 3000 and again.new_items == () and again.counts == ()
    assert again.counts_already_recorded == 3000
    assert worksheets.apply_import(sqlite_db, path=path).counts == ()
    assert row_counts(sqlite_db)["count_line"] == 3000 and row_counts(sqlite_db)["count"] == 7


def test_a_row_for_a_deactivated_line_brings_it_back(
    db: Database, sheet: Path, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=sheet)
    exported = tmp_path / "export.xlsx"
    worksheets.export_worksheet(db, path=exported)
    setting = next(s for s in par_settings.list_par_settings(db) if s.location_code == "ER")
    par_settings.set_par_setting_active(db, setting_id=setting.id, active=False)
    preview = worksheets.apply_import(db, path=exported)
    assert [(c.key, [str(f) for f in c.changes]) for c in preview.changed_settings] == [
        ("ER / SYR-10", ["Active: no → yes"])
    ]
    assert par_settings.get_par_setting(db, setting_id=setting.id).active


def test_near_duplicate_new_codes_are_warned_about_in_the_preview(
    db: Database, sheet: Path, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=sheet)
    path = write_book(
        tmp_path / "near.xlsx",
        ["Location", "Item Code", "Description", "PAR Level"],
        [
            ["CT1", "syr 10", "Syringe again", 5],
            ["CT1", "gls-001", "Gloves S", 5],
            ["CT1", "GLS001", "Gloves S", 5],
        ],
    )
    preview = worksheets.preview_import(db, path=path)
    assert preview.is_valid
    assert preview.warnings == (
        "New items gls-001 and GLS001 differ only in capitals or punctuation: check they are "
        "not the same item.",
        "New item syr 10 looks like the existing item SYR-10 (only capitals or punctuation "
        "differ): check it is not the same item.",
    )
    assert "Warning: New item syr 10 looks like the existing item SYR-10" in preview.summary_text()
