"""`parstudio recall ITEM LOT`: the locations that hold a lot, and the recall list PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from parstudio.cli import main
from parstudio.services.catalog import items, locations
from parstudio.services.core.database import open_database
from tests.services.expiry.test_expiry import count, soon
from tests.support.pdfs import texts


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "lots.sqlite"
    db = open_database(str(path))
    try:
        ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"}).id
        ir = locations.create_location(db, fields={"code": "IR1", "name": "IR suite"}).id
        item = items.create_item(db, fields={"code": "IOH350", "description": "Iohexol 350"}).id
        count(db, ct, item, 3, 4, "R9", soon(100))
        count(db, ir, item, 3, 2, "OTHER", soon(100))
    finally:
        db.close()
    return path


def test_recall_prints_the_locations_and_writes_the_pdf(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "recall.pdf"
    assert main(["--database", str(database), "recall", "ioh350", "R9", "--pdf", str(pdf)]) == 0
    out = capsys.readouterr().out
    assert "IOH350 Iohexol 350, lot R9 (not on the recall list)" in out
    assert "CT1" in out and "IR1" not in out
    assert "1 location, 4 units in all" in out
    (page,) = texts(pdf.read_bytes())
    assert "RECALL LIST" in page and "CT room 1" in page


def test_recall_of_an_unknown_item_is_a_clear_error(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--database", str(database), "recall", "NOPE", "R9"]) == 2
    assert "There is no item with the code NOPE" in capsys.readouterr().err
