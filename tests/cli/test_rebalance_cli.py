"""`parstudio rebalance` on the demo department: list, write to .xlsx and .csv, accept."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from parstudio.cli import main
from parstudio.models import Order, OrderLine
from parstudio.services.core.database import open_database


def _transfers(path: Path) -> list[tuple[str, str | None, str | None]]:
    """(number, notes, lot of the first line) of every transfer in the database."""
    db = open_database(str(path))
    try:
        with db.reading() as session:
            rows = session.execute(
                select(Order.number, Order.notes, OrderLine.lot)
                .join(OrderLine, OrderLine.order_id == Order.id)
                .where(Order.notes.like("Rebalance%"))
                .order_by(Order.number, OrderLine.id)
            ).all()
    finally:
        db.close()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_rebalance_lists_writes_and_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite"
    base = ["--database", str(path)]
    assert main([*base, "demo"]) == 0
    capsys.readouterr()

    assert main([*base, "rebalance"]) == 0
    out = capsys.readouterr().out
    assert " would expire" in out and " above its PAR of " in out and "→" in out
    assert "Nothing was saved" in out
    listed = [line for line in out.splitlines() if "→" in line]
    assert _transfers(path) == []

    xlsx, table = tmp_path / "moves.xlsx", tmp_path / "moves.csv"
    assert main([*base, "rebalance", "--out", str(xlsx)]) == 0
    assert main([*base, "rebalance", "--out", str(table)]) == 0
    rows = list(load_workbook(xlsx, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:6] == ("Reason", "Item Code", "Description", "Unit", "From", "To")
    moves = [row for row in rows[1:] if len(row) > 1 and row[1]]
    assert len(moves) == len(listed) and any(row[0] == "Expiring lot" for row in moves)
    with table.open(encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    assert lines[0][:2] == ["Reason", "Item Code"]
    assert [line[1] for line in lines[1 : len(listed) + 1]] == [row[1] for row in moves]
    capsys.readouterr()
    assert main([*base, "rebalance", "--out", str(tmp_path / "moves.txt")]) == 2
    assert ".xlsx or a .csv" in capsys.readouterr().err

    assert main([*base, "rebalance", "--location", "CT1", "--location", "NOWHERE"]) == 2
    assert "NOWHERE" in capsys.readouterr().err

    assert main([*base, "rebalance", "--accept"]) == 0
    accepted = capsys.readouterr().out
    assert "draft transfers" in accepted and "print pick-lists" in accepted
    made = _transfers(path)
    assert made and any(lot for _number, _notes, lot in made)
    # Accepted moves made the counts stale: nothing is suggested twice.
    assert main([*base, "rebalance", "--accept"]) == 0
    assert _transfers(path) == made


def test_only_a_manager_accepts(
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
    assert main([*base, "--user", "carl", "rebalance", "--accept"]) == 2
    assert "Only a manager" in capsys.readouterr().err
    assert main([*base, "--user", "carl", "rebalance"]) == 0
    assert "No move is suggested" in capsys.readouterr().out
