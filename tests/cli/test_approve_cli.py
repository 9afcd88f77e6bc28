"""The scheduled weekly run from the command line on the demo department: approve, then print."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from parstudio.cli import main
from parstudio.models import Order, OrderLine
from parstudio.services.core.database import open_database
from parstudio.services.ordering import proposals
from tests.support.pdfs import texts


def _orders(path: Path) -> tuple[int, int]:
    """Orders and order lines in the database."""
    db = open_database(str(path))
    try:
        with db.reading() as session:
            orders = session.scalar(select(func.count(Order.id))) or 0
            lines = session.scalar(select(func.count(OrderLine.id))) or 0
    finally:
        db.close()
    return orders, lines


def test_approve_then_print_the_weeks_paper(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite"
    base = ["--database", str(path)]
    assert main([*base, "demo"]) == 0
    before = _orders(path)
    # `propose` writes the same proposal: the stale lines order nothing and say why.
    sheet = tmp_path / "proposal.xlsx"
    assert main([*base, "propose", str(sheet)]) == 0
    rows = list(load_workbook(sheet, read_only=True).worksheets[0].iter_rows(values_only=True))
    header = [str(cell) for cell in rows[0]]
    status, packs, why = (header.index(n) for n in ("Status", "Order Packs", "Reason / Warnings"))
    stale = [row for row in rows[1:] if row[status] == "NEEDS A NEW COUNT"]
    db = open_database(str(path))
    try:
        assert len(stale) == len(proposals.propose_orders(db).stale_count) > 0
    finally:
        db.close()
    assert all(not row[packs] and str(row[why]).startswith("Needs a new count") for row in stale)
    capsys.readouterr()

    assert main([*base, "approve", "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert dry.startswith("Dry run: would approve ") and "Nothing was saved." in dry
    assert _orders(path) == before

    assert main([*base, "approve"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Approved ")
    assert "Needs attention (not ordered): " in out and "need a new count" in out
    after = _orders(path)
    assert after[0] > before[0] and after[1] > before[1]
    numbers = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert any(n.startswith("PO-") for n in numbers) and any(n.startswith("TR-") for n in numbers)

    # A second run finds every count already ordered and creates nothing new.
    assert main([*base, "approve"]) == 0
    again = capsys.readouterr().out
    assert again.startswith("Nothing to approve")
    assert _orders(path) == after

    sheets = tmp_path / "sheets"
    assert main([*base, "print", "order-sheets", "--out", str(sheets)]) == 0
    picks = tmp_path / "picks"
    assert main([*base, "print", "pick-lists", "--out", str(picks)]) == 0
    sheet_files = sorted(sheets.glob("*.pdf"))
    pick_files = sorted(picks.glob("*.pdf"))
    assert sheet_files and pick_files
    sheet_texts = ["\n".join(texts(pdf.read_bytes())) for pdf in sheet_files]
    for text in sheet_texts:
        assert "Status" not in text and "Draft" not in text
        assert "CART-CRA…" not in text and "Order total\n$" in text
    assert any("\nCART-CRASH\n" in text for text in sheet_texts)  # the crash cart, uncut
    assert any(f"{number}" in p.name for number in numbers for p in pick_files)


def test_a_clerk_cannot_approve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "office.sqlite"
    base = ["--database", str(path)]
    monkeypatch.setenv("PARSTUDIO_NEW_PASSWORD", "manager-pw")
    assert main([*base, "users", "add", "anna", "--role", "manager"]) == 0
    monkeypatch.setenv("PARSTUDIO_PASSWORD", "manager-pw")
    monkeypatch.setenv("PARSTUDIO_NEW_PASSWORD", "clerk-pw1")
    assert main([*base, "--user", "anna", "users", "add", "carl", "--role", "clerk"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("PARSTUDIO_PASSWORD", "clerk-pw1")
    assert main([*base, "--user", "carl", "approve"]) == 2
    assert "Only a manager" in capsys.readouterr().err
    assert main([*base, "--user", "carl", "approve", "--dry-run"]) == 0
    assert _orders(path) == (0, 0)
    assert main([*base, "approve", "--location", "NOWHERE", "--dry-run"]) == 2
    assert "NOWHERE" in capsys.readouterr().err
