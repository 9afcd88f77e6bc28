"""The reconciliation through the database, on both: the hand-worked department of
tests/domain/test_reconciliation.py recorded as counts, receipts, waste, cases and use."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parstudio.domain.charges import DayRange
from parstudio.domain.reconciliation import GapStatus
from parstudio.services.billing.reconciliation import export_reconciliation, reconciliation
from parstudio.services.core.database import Database
from tests.services.billing.department import NOV1, NOV30, OCT31, fill_department

NOVEMBER = DayRange(NOV1, NOV30)


@pytest.fixture
def department(db: Database) -> Database:
    fill_department(db)
    return db


def test_usage_seen_against_what_was_recorded_to_cases(department: Database) -> None:
    report = reconciliation(department, period=NOVEMBER)
    found = {
        (line.location_code, line.item_code): (
            line.usage,
            line.recorded,
            line.gap,
            line.gap_value,
            line.status,
        )
        for line in report.lines
    }
    assert found == {
        ("CT1", "STENT"): (Decimal(12), Decimal(9), Decimal(3), Decimal("3600.00"),
                           GapStatus.UNBILLED),
        ("CT1", "CATH"): (Decimal(6), Decimal(8), Decimal(-2), Decimal("-171.00"),
                          GapStatus.OVER_RECORDED),
        # Between the counts of 16 Oct and 15 Nov: 6 used, nothing prorated.
        ("CT1", "PLATE"): (Decimal(6), Decimal(1), Decimal(5), Decimal("1500.00"),
                           GapStatus.UNBILLED),
        # Between the counts of 31 Oct and 10 Dec: 40 used, 30 recorded.
        ("CT2", "SCREW"): (Decimal(40), Decimal(30), Decimal(10), Decimal("400.00"),
                           GapStatus.UNBILLED),
        ("CT2", "COIL"): (Decimal(2), Decimal(2), Decimal(0), None, GapStatus.MATCHES),
        ("CT2", "STENT"): (None, Decimal(2), None, None, GapStatus.NOT_COUNTED),
        ("CT2", "GRAFT"): (None, Decimal(0), None, None, GapStatus.NOT_COUNTED),
        # Billable, used, no PAR setting at CT1: nothing counts it.
        ("CT1", "BAND"): (None, Decimal(3), None, None, GapStatus.NOT_COUNTED),
    }  # fmt: skip
    # Gauze is not billable: not reconciled, though it is counted and used.
    assert report.lines[0].item_code == "STENT" and report.lines[1].item_code == "PLATE"
    assert report.lines[-1].status is GapStatus.NOT_COUNTED
    assert report.unbilled_value == Decimal("5500.00")


def test_a_location_a_department_and_the_export(department: Database, tmp_path: Path) -> None:
    ct2 = reconciliation(department, period=NOVEMBER, location_codes=["CT2"])
    assert {line.location_code for line in ct2.lines} == {"CT2"}
    assert reconciliation(department, period=NOVEMBER, department="Medicine").lines == ()
    path = tmp_path / "reconciliation.xlsx"
    export_reconciliation(department, path=path, period=NOVEMBER, department="Imaging")
    rows = list(load_workbook(path).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][7:14] == (
        "Counted From",
        "Counted To",
        "Usage Seen",
        "Recorded To Cases",
        "Gap",
        "Gap Value",
        "Status",
    )
    assert rows[1][2] == "STENT" and rows[1][11:14] == (3, 3600, "Unbilled")
    assert rows[1][7].date() == OCT31 and rows[1][8].date() == NOV30
    uncounted = [row for row in rows[1:9] if row[13] == "Not counted"]
    assert len(uncounted) == 3 and all(row[9] is None and row[11] is None for row in uncounted)
    assert all(row[7] is None and row[8] is None for row in uncounted)
    csv_path = tmp_path / "reconciliation.csv"
    export_reconciliation(department, path=csv_path, period=NOVEMBER)
    text = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert len(text) == 9 and text[1].startswith("CT1,Room CT1,STENT,")
