"""The worksheet commands end to end through files: import, export, propose."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from parstudio.cli import main
from parstudio.services.core.database import open_database
from parstudio.services.ordering import proposals


def _book(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


WARD = [
    ["Loc", "Item #", "Description", "Pkg Qty", "Vendor", "Par", "MOQ", "Qty On Hand", "Notes"],
    ["CT1", "SYR-10", "Syringe 10 mL", 10, "Medline", 24, 3, 8, "top shelf"],
    ["CT1", "GAUZE", "Gauze 4x4", 1, "Medline", 50, None, 45, None],
    ["ER", "SYR-10", "Syringe 10 mL", 10, "Medline", 12, None, 0, None],
]


def test_import_with_counts_then_propose_writes_the_engines_quantities(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = str(tmp_path / "office.sqlite")
    sheet = _book(tmp_path / "ward.xlsx", WARD)

    assert main(["--database", database, "import-worksheet", str(sheet)]) == 0
    preview = capsys.readouterr().out
    assert "Would import: 8 new, 0 changed, 0 unchanged, 3 count(s)." in preview
    assert "Columns ignored: I “Notes”." in preview
    assert "Nothing has been written yet" in preview

    assert main(["--database", database, "import-worksheet", str(sheet), "--apply"]) == 0
    assert "Imported: 8 new" in capsys.readouterr().out

    out = tmp_path / "proposal.xlsx"
    assert main(["--database", database, "propose", str(out)]) == 0
    assert "Wrote the proposal (3 lines)" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out, read_only=True).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    got = {
        (r[header.index("Location")], r[header.index("Item Code")]): r[header.index("Order Packs")]
        for r in rows[1:]
    }
    db = open_database(database)
    try:
        expected = {
            (line.location_code, line.item_code): line.packs
            for line in proposals.propose_orders(db).lines
        }
    finally:
        db.close()
    assert got == expected == {("CT1", "GAUZE"): 5, ("CT1", "SYR-10"): 3, ("ER", "SYR-10"): 2}

    only_er = tmp_path / "er.xlsx"
    assert main(["--database", database, "propose", str(only_er), "--location", "er"]) == 0
    er_rows = list(
        openpyxl.load_workbook(only_er, read_only=True).active.iter_rows(values_only=True)
    )
    assert [r[0] for r in er_rows[1:]] == ["ER"]


def test_export_then_import_reports_no_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = str(tmp_path / "office.sqlite")
    assert (
        main(
            [
                "--database",
                database,
                "import-worksheet",
                str(_book(tmp_path / "w.xlsx", WARD)),
                "--apply",
            ]
        )
        == 0
    )
    exported = tmp_path / "export.xlsx"
    assert main(["--database", database, "export-worksheet", str(exported)]) == 0
    assert "Wrote 3 PAR settings" in capsys.readouterr().out
    assert main(["--database", database, "import-worksheet", str(exported), "--apply"]) == 0
    assert "No changes: 0 new, 0 changed, 3 unchanged." in capsys.readouterr().out


def test_an_invalid_worksheet_exits_1_with_every_message_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = str(tmp_path / "office.sqlite")
    bad = [list(r) for r in WARD]
    bad[1][5] = "lots"
    bad[2][3] = 0
    sheet = _book(tmp_path / "bad.xlsx", bad)
    assert main(["--database", database, "import-worksheet", str(sheet), "--apply"]) == 1
    err = capsys.readouterr().err
    assert "Row 2, column F (PAR Level): PAR level must be a number, not “lots”." in err
    assert "Row 3, column D (Pack Size): Pack size must be more than 0, not “0”." in err
    assert "nothing was imported" in err
    db = open_database(database)
    try:
        assert proposals.propose_orders(db).lines == ()
    finally:
        db.close()


def test_map_option_and_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = str(tmp_path / "office.sqlite")
    sheet = _book(
        tmp_path / "t.xlsx", [["Dept", "Stock", "Name", "Target"], ["OR", "S1", "Suture", 6]]
    )
    args = ["--database", database, "import-worksheet", str(sheet)]
    assert main(args) == 1
    assert "The sheet has no Location column." in capsys.readouterr().err
    mapped = [*args, "--map", "Dept=Location", "--map", "Stock=Item Code", "--map", "Target=PAR"]
    assert main(mapped) == 0
    assert "New PAR settings (1): OR / S1" in capsys.readouterr().out
    assert main([*args, "--map", "Dept"]) == 2
    assert "should be written as" in capsys.readouterr().err

    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    assert main(["--database", database, "import-worksheet", str(text)]) == 1
    assert (
        "notes.xlsx is not a spreadsheet (.xlsx, .xlsm, .xls, .ods or .csv). Nothing was imported."
        in capsys.readouterr().err
    )


def test_export_orders_and_catalogue_and_worksheet_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = str(tmp_path / "office.sqlite")
    sheet = _book(tmp_path / "ward.xlsx", WARD)
    assert main(["--database", database, "import-worksheet", str(sheet), "--apply"]) == 0
    db = open_database(database)
    try:
        from parstudio.domain.orders import ApprovedLine
        from parstudio.services.ordering import orders

        lines = [
            ApprovedLine(line.setting_id, line.packs, line.packs, line.count_line_id)
            for line in proposals.propose_orders(db).to_order
        ]
        orders.approve_lines(db, lines=lines)
    finally:
        db.close()
    capsys.readouterr()

    out = tmp_path / "orders.xlsx"
    assert main(["--database", database, "export-orders", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote 3 order lines to {out}.\n"
    rows = list(openpyxl.load_workbook(out)["Orders"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Order No", "Kind", "Status") and len(rows) == 4
    assert main(["--database", database, "export-orders", str(out), "--status", "sent"]) == 0
    assert capsys.readouterr().out == f"Wrote 0 order lines to {out}.\n"
    with pytest.raises(SystemExit):
        main(["--database", database, "export-orders", str(out), "--status", "LOST"])
    assert "invalid choice" in capsys.readouterr().err

    out = tmp_path / "catalogue.xlsx"
    assert main(["--database", database, "export-catalogue", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote 2 items to {out}.\n"
    assert openpyxl.load_workbook(out).sheetnames == ["Catalogue", "Columns"]

    out = tmp_path / "plain.xlsx"
    assert main(["--database", database, "export-worksheet", str(out), "--no-counts"]) == 0
    ws = openpyxl.load_workbook(out)["PAR worksheet"]
    header = [c.value for c in ws[1]]
    last, packs = header.index("Last Count") + 1, header.index("Order Packs") + 1
    assert all(ws.cell(r, last).value is None for r in range(2, ws.max_row + 1))
    assert all(ws.cell(r, packs).value is None for r in range(2, ws.max_row + 1))
    assert main(["--database", database, "export-worksheet", str(out), "--no-proposal"]) == 0
    ws = openpyxl.load_workbook(out)["PAR worksheet"]
    assert {ws.cell(r, last).value for r in range(2, ws.max_row + 1)} == {8, 45, 0}
    assert all(ws.cell(r, packs).value is None for r in range(2, ws.max_row + 1))
