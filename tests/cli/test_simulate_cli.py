"""``parstudio simulate``: the comparison on screen and in the Excel file it writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parstudio.cli import main
from parstudio.demo.department import build_demo
from parstudio.services.core.database import open_database, sqlite_url
from parstudio.services.review import suggestions as review

TODAY = date(2026, 11, 25)
PERIOD = ["--from", "2025-11-25", "--to", TODAY.isoformat()]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(sqlite_url(path))
    build_demo(db, today=TODAY)
    review.refresh_profiles(db, through=TODAY)
    db.close()
    return path


def test_simulate_writes_the_comparison_to_excel(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "what-if.xlsx"
    args = ["--database", str(demo_file), "simulate", "--location", "CT1", *PERIOD]
    assert main([*args, "--levels", "suggested", "--leanest", "98", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "What if: CT1, current vs suggested levels, 2025-11-25 to 2026-11-25" in printed
    assert f"Wrote {out}." in printed

    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["Summary", "Lines", "Not replayed"]
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert summary[0] == ("Measure", "Current", "Suggested", "Leanest", "Change")
    by_measure = {row[0]: row[1:] for row in summary[1:] if row and row[0]}
    lines_replayed = by_measure["Lines replayed"][0]
    assert lines_replayed > 40
    current, proposed, _leanest, change = by_measure["Stockout days (line-days)"]
    assert change == proposed - current
    assert by_measure["Service level (% of line-days)"][2] is not None
    # The printed table shows the same figures as the workbook.
    assert f"{current:>12}" in next(s for s in printed.splitlines() if "Stockout days" in s)
    assert any(row and "Usage is replayed as recorded" in str(row[0]) for row in summary)

    lines = list(book["Lines"].iter_rows(values_only=True))
    header = lines[0]
    assert header[:7] == (
        "Location",
        "Item Code",
        "Description",
        "Unit",
        "Method",
        "Current Level",
        "Proposed Level",
    )
    assert len(lines) - 1 == lines_replayed
    assert {row[0] for row in lines[1:]} == {"CT1"}
    days = header.index("Current Stockout days")
    assert sum(row[days] for row in lines[1:]) == current
    book.close()


def test_simulate_writes_a_pdf(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "what-if.pdf"
    args = ["--database", str(demo_file), "simulate", "--location", "MRI1", *PERIOD]
    assert main([*args, "--levels", "current", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--location", "NOPE"], "There is no location NOPE"),
        (["--out", "x.csv"], "give a file ending in .xlsx or .pdf"),
        (["--levels", "missing.xlsx"], "no such file"),
        (["--from", "25/11/2025"], "write it as YYYY-MM-DD"),
        (["--leanest", "120"], "up to 100"),
    ],
)
def test_simulate_refuses_bad_options_plainly(
    demo_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    code = main(["--database", str(demo_file), "simulate", *extra])
    assert code == 2
    assert message in capsys.readouterr().err
