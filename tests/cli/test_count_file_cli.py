"""`parstudio count --location CODE --from-file FILE`: preview, --apply, and a second load."""

from __future__ import annotations

from pathlib import Path

import pytest

from parstudio.cli import main
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import open_database
from parstudio.services.counting import scans as counting


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "office.sqlite"
    db = open_database(str(path))
    room = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    gloves = items.create_item(db, fields={"code": "GLV-M", "description": "Gloves M"})
    par_settings.create_par_setting(
        db, location_id=room.id, item_id=gloves.id, fields={"par_level": "10"}
    )
    db.close()
    return path


def gloves_counted(path: Path) -> object:
    db = open_database(str(path))
    try:
        sheet = counting.open_count(db, location_id=locations.find_location(db, code="CT1").id)
        return next(line.counted for line in sheet.lines if line.item_code == "GLV-M")
    finally:
        db.close()


def test_a_batch_file_is_previewed_then_recorded_once(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "scanner.csv"
    batch.write_text("GLV-M,3\nGLV-M\nNOPE-1\n", encoding="utf-8")
    command = ["--database", str(office), "count", "--location", "CT1", "--from-file", str(batch)]

    assert main(command) == 0
    assert "3 scan(s) to record. Run again with --apply" in capsys.readouterr().out
    assert gloves_counted(office) is None

    assert main([*command, "--apply"]) == 0
    out = capsys.readouterr().out
    assert "line 3: Unknown barcode NOPE-1" in out
    assert "2 of items, 1 unknown" in out
    assert gloves_counted(office) == 4

    assert main([*command, "--apply"]) == 0
    assert "3 already recorded before" in capsys.readouterr().out
    assert gloves_counted(office) == 4


def test_a_file_with_a_bad_line_records_nothing_and_says_where(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "scanner.txt"
    batch.write_text("GLV-M\nGLV-M;lots\n", encoding="utf-8")

    code = main(
        [
            "--database",
            str(office),
            "count",
            "--location",
            "CT1",
            "--from-file",
            str(batch),
            "--apply",
        ]
    )

    assert code == 1
    out = capsys.readouterr().out
    assert "line 2: GLV-M;lots: The quantity “lots” is not a whole number." in out
    assert "nothing was recorded" in out
    assert gloves_counted(office) is None


def test_a_missing_file_is_a_message(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = office.parent / "nope.csv"
    code = main(
        ["--database", str(office), "count", "--location", "CT1", "--from-file", str(missing)]
    )
    assert code == 2
    assert "Cannot read" in capsys.readouterr().err
