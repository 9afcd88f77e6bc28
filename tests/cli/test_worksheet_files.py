"""Worksheets made by real spreadsheet software, imported through the command line.

The files in tests/fixtures/worksheets were saved by LibreOffice (see make_fixtures.py there).
Every test reads the database afterwards: a refused file leaves it exactly as it was, a read
file changes exactly what it should.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from parstudio.cli import main
from parstudio.models import Count, CountLine, Item, Location, ParSetting
from parstudio.services.catalog import items
from parstudio.services.core.database import open_database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "worksheets"


def _run(database: str, name: str | Path, *extra: str) -> int:
    return main(["--database", database, "import-worksheet", str(FIXTURES / name), *extra])


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A database holding base.xlsx: CT1 and ER, SYR-10, GAUZE and GLV-M."""
    database = str(tmp_path / "office.sqlite")
    assert _run(database, "base.xlsx", "--apply") == 0
    capsys.readouterr()
    return database


def _state(database: str) -> dict[str, Any]:
    """Everything an import may touch, to compare before and after."""
    db = open_database(database)
    try:
        with db.reading() as session:
            settings = session.execute(
                select(Location.code, Item.code, ParSetting)
                .join(Location, Location.id == ParSetting.location_id)
                .join(Item, Item.id == ParSetting.item_id)
            ).all()
            return {
                "settings": {
                    (loc, code): (s.par_level, s.moq, s.weekly_usage, s.count_type, s.version)
                    for loc, code, s in settings
                },
                "items": {
                    i.code: (i.description, i.unit, i.supplier_item_no, i.version)
                    for i in session.scalars(select(Item))
                },
                "locations": sorted(session.scalars(select(Location.code))),
                "count_lines": sorted(
                    (line.location_id, line.item_id, line.quantity, line.recorded_at)
                    for line in session.scalars(select(CountLine))
                ),
                "counts": session.scalar(select(func.count()).select_from(Count)),
            }
    finally:
        db.close()


@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls", "csv"])
def test_an_export_resaved_by_libreoffice_changes_nothing(
    office: str, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(office)
    assert _run(office, f"export.{kind}", "--apply") == 0
    assert "No changes: 0 new, 0 changed, 4 unchanged." in capsys.readouterr().out
    assert _state(office) == before


def test_a_csv_export_into_an_empty_database_keeps_codes_as_text(tmp_path: Path) -> None:
    database = str(tmp_path / "empty.sqlite")
    assert _run(database, "export.csv", "--apply") == 0
    db = open_database(database)
    found = items.find_item_by_barcode(db, codes=["00612479123456"])
    assert found is not None and found.code == "SYR-10", "the leading zeros are kept"


@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
def test_error_cells_saved_by_libreoffice_are_refused_by_name_and_place(
    office: str, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(office)
    assert _run(office, f"errors.{kind}", "--apply") == 1
    err = capsys.readouterr().err
    assert "Sheet “PAR”, Row 2, column D (MOQ): the cell holds the error #DIV/0!" in err
    assert "Sheet “PAR”, Row 3, column E (Count): the cell holds the error #N/A" in err
    after = _state(office)
    assert after == before, "nothing written: MOQ 2 kept, no count recorded"
    assert after["settings"][("CT1", "SYR-10")][1] == 2


def test_a_formula_saved_without_its_value_is_refused_in_every_column(
    office: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(office)
    assert _run(office, "unsaved_formula.xlsx", "--apply") == 1
    err = capsys.readouterr().err
    assert "Row 2, column C (Description): the cell holds a formula saved without its value" in err
    assert "Row 2, column D (PAR Level): the cell holds a formula saved without its value" in err
    after = _state(office)
    assert after == before and after["settings"][("ER", "GLV-M")][0] == 29


def test_codes_typed_as_numbers_are_stored_as_their_digits(office: str) -> None:
    assert _run(office, "numbers.xlsx", "--apply") == 0
    db = open_database(office)
    found = items.find_item_by_barcode(db, codes=["10884838001241"])
    assert found is not None and found.code == "100234"
    assert found.supplier_item_no == "4711" and found.barcodes == ("10884838001241",)


@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
def test_an_office_workbook_with_a_sheet_per_location_is_read_whole(
    office: str, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(office)
    assert _run(office, f"office.{kind}", "--apply") == 0
    out = capsys.readouterr().out
    assert "Sheets skipped: Instructions (no header row naming PAR Studio columns)." in out
    assert "sheet “CT1” → location CT1, sheet “ER” → location ER" in out
    assert "Sheet “CT1”, row 6: the header row repeated" in out
    assert "Sheet “CT1”, row 8: a totals row" in out
    assert "C “Unit” (sheet CT1)" in out
    after = _state(office)
    assert after["locations"] == ["CT1", "ER"], "no location made of a title or a unit"
    assert after["settings"][("CT1", "SYR-10")][0] == 30
    assert after["settings"][("CT1", "NEW-1")][0] == 4
    assert after["settings"][("ER", "GLV-M")] == before["settings"][("ER", "GLV-M")]
    assert after["items"]["GAUZE"][1] == "PK", "a Unit column naming the ward is not the unit"
    quantities = sorted(line[2] for line in after["count_lines"])
    assert quantities == [2, 7, 11, 41] and after["counts"] == 2
    # The same file again: the same counts on the same day are not recorded twice.
    assert _run(office, f"office.{kind}", "--apply") == 0
    assert "4 count(s) already recorded" in capsys.readouterr().out
    again = _state(office)
    assert again["count_lines"] == after["count_lines"] and again["counts"] == 2


def test_sheets_named_after_no_location_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = str(tmp_path / "empty.sqlite")
    assert _run(database, "office.xlsx", "--apply") == 1
    err = capsys.readouterr().err
    assert "Sheet “CT1”, Row 3 (Location): The sheet has no Location column and no location" in err
    assert _state(database)["items"] == {}


def test_counts_carry_their_counted_on_date_and_are_recorded_once(
    office: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(office, "counted_on.xlsx") == 0
    assert "Counts to record: 2 at CT1, dated 2026-03-02 (Counted On)." in capsys.readouterr().out
    assert _run(office, "counted_on.xlsx", "--apply") == 0
    lines = _state(office)["count_lines"]
    assert [(q, at.astimezone().replace(tzinfo=None)) for _l, _i, q, at in lines] == [
        (Decimal(8), datetime(2026, 3, 2)),
        (Decimal(45), datetime(2026, 3, 2, 14, 30)),
    ] or sorted(q for *_x, q, _at in lines) == [8, 45]
    assert {at.astimezone().replace(tzinfo=None) for *_x, at in lines} == {
        datetime(2026, 3, 2),
        datetime(2026, 3, 2, 14, 30),
    }
    assert _run(office, "counted_on.xlsx", "--apply") == 0
    assert _state(office)["count_lines"] == lines


def test_a_comma_decimal_csv_is_read_with_its_decimal_comma(
    office: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(office, "comma_decimal.csv", "--apply") == 0
    assert "read with a decimal comma" in capsys.readouterr().out
    state = _state(office)
    assert state["settings"][("CT1", "SYR-10")][2] == Decimal("2.5")
    assert state["settings"][("CT1", "GAUZE")][2] == Decimal("12.75")
    assert state["items"]["GAUZE"][0] == "Gaze 4×4 (Kompressen)", "Windows-1252 decoded"


def test_an_ambiguous_comma_number_is_refused_with_how_to_write_it(
    office: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(office)
    assert _run(office, "ambiguous.csv", "--apply") == 1
    assert (
        "Row 2, column C (PAR Level): “1,200” can be read two ways; write numbers with a point "
        "for decimals and no thousands separator (1200, or 1.2)." in capsys.readouterr().err
    )
    assert _state(office) == before


def test_two_hundred_thousand_rows_with_one_problem_give_one_message(
    office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.csv"
    lines = ["Location,Item Code,Description,PAR Level"]
    lines += [f"CT1,BIG-{n},Item {n},lots" for n in range(200_000)]
    path.write_text("\n".join(lines) + "\n")
    before = _state(office)
    assert _run(office, path, "--apply") == 1
    err = capsys.readouterr().err
    assert "200000 problem(s); nothing was imported:" in err
    assert (
        "Sheet “big”, 200,000 rows (2, 3, 4, 5, 6, …), column D (PAR Level): PAR level must be a "
        "number, not “lots”." in err
    )
    assert len(err.splitlines()) < 10
    assert _state(office) == before
