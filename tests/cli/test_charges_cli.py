"""`parstudio charges` (and --reconcile), and the cases in `parstudio cost-allocation`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parstudio.cli import main
from parstudio.services.core.database import open_database
from tests.services.billing.department import fill_department


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("billing") / "billing.sqlite"
    db = open_database(str(path))
    try:
        fill_department(db)
    finally:
        db.close()
    return path


def _run(database: Path, *args: str) -> int:
    return main(["--database", str(database), *args])


NOVEMBER = ("--from", "2026-11-01", "--to", "2026-11-30")


def test_the_charge_file_as_excel_and_csv(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "charges.xlsx"
    assert _run(database, "charges", *NOVEMBER, "--out", str(book)) == 0
    out = capsys.readouterr().out
    assert "Wrote the charge file 01 Nov 2026 – 30 Nov 2026 (All departments)" in out
    assert "8 lines on 3 cases, charges 15,391.50; 2 lines without a charge code or price" in out
    assert "Problem column" in out
    rows = list(load_workbook(book).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][0] == "Case" and rows[9][0] == "Total"

    text = tmp_path / "ct1.csv"
    args = ("charges", *NOVEMBER, "--location", "CT1", "--out", str(text))
    assert _run(database, *args) == 0
    lines = list(csv.reader(text.read_text(encoding="utf-8-sig").splitlines()))
    assert len(lines) == 6 and {row[2] for row in lines[1:]} == {"CT1"}
    assert "(Location CT1)" in capsys.readouterr().out


def test_reconcile_writes_the_reconciliation(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "gap.csv"
    args = ("charges", *NOVEMBER, "--department", "Imaging", "--reconcile", "--out", str(target))
    assert _run(database, *args) == 0
    out = capsys.readouterr().out
    assert "Wrote the reconciliation 01 Nov 2026 – 30 Nov 2026 (Department Imaging)" in out
    assert "8 lines: 3 unbilled (value 5,500.00), 1 recorded more than seen, 3 not counted" in out
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][:3] == ["CT1", "Room CT1", "STENT"] and rows[1][11:14] == [
        "3",
        "3600.00",
        "Unbilled",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-11-31", "--to", "2026-11-30"), "“2026-11-31” is not a date"),
        (("--from", "2026-12-01", "--to", "2026-11-30"), "ends (30 Nov 2026) before it starts"),
        ((*NOVEMBER, "--location", "CT9"), "There is no location CT9"),
        ((*NOVEMBER, "--department", "Surgery"), "No location belongs to the department"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    database: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    target = tmp_path / "charges.xlsx"
    assert _run(database, "charges", *args, "--out", str(target)) == 2
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_a_file_that_is_neither_excel_nor_csv(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "charges.pdf"
    assert _run(database, "charges", *NOVEMBER, "--out", str(target)) == 2
    assert "ending in .xlsx (Excel) or .csv" in capsys.readouterr().err
    assert not target.exists()


def test_cost_allocation_prints_the_cost_by_procedure_and_physician(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "costs.xlsx"
    assert (
        _run(database, "cost-allocation", str(target), "--from", "2026-11", "--to", "2026-11") == 0
    )
    out = capsys.readouterr().out
    assert "Used on cases: 10,364.00 on 3 case(s), 9 use line(s)" in out
    assert "By procedure:" in out and "By physician:" in out
    assert "    Hip" in out and "4,664.00" in out and "    Dr Shah" in out
    assert "1 use line without a unit cost left out of the cost." in out
