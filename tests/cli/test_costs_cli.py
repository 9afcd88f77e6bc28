"""`parstudio cost-allocation` and `parstudio print consignment-usage` on the demo department."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parstudio.cli import main
from parstudio.demo.department import build_demo
from parstudio.domain.report_period import last_complete_month, last_complete_quarter
from parstudio.services.core.database import open_database
from parstudio.services.costs.allocation import cost_allocation
from parstudio.services.costs.consignment import consignment_usage_report
from parstudio.services.review.period_usage import SettingFilter
from tests.support.pdfs import texts


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo department, with history up to today (the commands read up to today)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(str(path))
    try:
        build_demo(db, today=date.today())
    finally:
        db.close()
    return path


def _run(demo: Path, *args: str) -> int:
    return main(["--database", str(demo), *args])


def test_cost_allocation_writes_the_last_quarter_by_default(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "costs.xlsx"
    assert _run(demo, "cost-allocation", str(target)) == 0
    quarter = last_complete_quarter(date.today())
    db = open_database(str(demo))
    try:
        expected = cost_allocation(db, period=quarter)
    finally:
        db.close()
    out = capsys.readouterr().out
    assert f"Wrote the cost allocation {quarter.label} (All departments)" in out
    assert f"spend {expected.totals.spend:,.2f}" in out
    rows = list(load_workbook(target)["Summary"].iter_rows(values_only=True))
    overall = next(row for row in rows if row[0] == "All departments")
    assert Decimal(str(overall[4])) == expected.totals.usage_value
    assert Decimal(str(overall[5])) == expected.totals.spend
    assert Decimal(str(overall[6])) == expected.totals.consignment > 0  # IR's consignment stock
    assert {row[0] for row in rows[1:] if row[1] != "Total" and row[2]} == {"Imaging"}


def test_cost_allocation_with_months_and_filters(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "ir.xlsx"
    month = last_complete_month(date.today()).first
    assert (
        _run(
            demo,
            "cost-allocation",
            str(target),
            "--from",
            f"{month:%Y-%m}",
            "--to",
            f"{month:%Y-%m}",
            "--department",
            "Imaging",
            "--location",
            "IR1",
            "--location",
            "CT1",
        )
        == 0
    )
    detail = list(load_workbook(target)["Detail"].iter_rows(values_only=True))
    assert {row[2] for row in detail[1:]} == {"IR1", "CT1"}
    db = open_database(str(demo))
    try:
        wanted = SettingFilter(department="Imaging", location_codes=("IR1", "CT1"))
        expected = cost_allocation(db, period=last_complete_month(date.today()), wanted=wanted)
    finally:
        db.close()
    assert len(detail) - 1 == expected.totals.settings


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "July"], "not a month"),
        (["--from", "2026-09", "--to", "2026-07"], "after its first month"),
        (["--location", "NOPE"], "no location NOPE"),
    ],
)
def test_cost_allocation_refuses_bad_input_and_writes_nothing(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    target = tmp_path / "costs.xlsx"
    assert _run(demo, "cost-allocation", str(target), *args) == 2
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_print_consignment_usage_one_pdf_per_vendor(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    month = last_complete_month(date.today())
    out = tmp_path / "out"
    assert _run(demo, "print", "consignment-usage", "--out", str(out)) == 0
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [f"consignment-usage-{month.key}-Owens_Minor.pdf"]
    db = open_database(str(demo))
    try:
        (owens,) = consignment_usage_report(db, period=month).vendors
    finally:
        db.close()
    pages = texts(files[0].read_bytes())
    text = "\n".join(pages)
    assert "CONSIGNMENT USAGE" in pages[0] and "Owens & Minor (OWENS)" in pages[0]
    assert f"Replenish on use · {month.label}" in pages[0]
    assert f"{owens.total:,.2f}" in pages[-1]
    for line in owens.lines:
        assert line.item_code in text
    assert all(line.item_code.startswith(("BXN", "IRD")) for line in owens.lines)
    assert "1 page" in capsys.readouterr().out or len(pages) > 1


def test_print_consignment_usage_with_nothing_used(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = _run(demo, "print", "consignment-usage", "--out", str(out), "--location", "XR1")
    assert code == 0
    assert "no consignment item was used" in capsys.readouterr().out


def test_months_only_apply_to_consignment_usage(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(demo, "print", "labels", "--out", str(tmp_path / "out"), "--from", "2026-07")
    assert code == 2
    assert "only apply to consignment-usage" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
