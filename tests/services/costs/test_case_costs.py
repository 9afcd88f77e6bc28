"""Cost allocation by procedure and physician, from use on cases, on both databases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from parstudio.domain.report_period import ReportPeriod
from parstudio.services.core.database import Database
from parstudio.services.costs.allocation import cost_allocation, export_cost_allocation
from parstudio.services.review.period_usage import SettingFilter
from tests.services.billing.department import fill_department

NOVEMBER = ReportPeriod(date(2026, 11, 1), date(2026, 11, 1))
TODAY = date(2026, 12, 7)


def test_use_on_cases_by_procedure_and_physician(db: Database, tmp_path: Path) -> None:
    fill_department(db)
    found = cost_allocation(db, period=NOVEMBER, today=TODAY).by_case
    # Hip: 5 stents × 900 + 8 catheters × 20 + 3 bands × 1 + 10 gauze × 0.10; knee: 4 stents
    # and a plate (the voided 7 stents and the December stent left out); the CT2 case has no
    # procedure: 30 screws × 5 + 2 stents × 900, and 2 coils without a unit cost.
    assert [(r.name, r.cases, r.lines, r.cost, r.unpriced_lines) for r in found.by_procedure] == [
        ("Hip", 1, 4, Decimal("4664.00"), 0),
        ("Knee", 1, 2, Decimal("3750.00"), 0),
        ("(none)", 1, 3, Decimal("1950.00"), 1),
    ]
    assert [(r.name, r.cost) for r in found.by_physician] == [
        ("Dr Lee", Decimal("4664.00")),
        ("Dr Shah", Decimal("3750.00")),
        ("(none)", Decimal("1950.00")),
    ]
    assert (found.cases, found.lines, found.cost) == (3, 9, Decimal("10364.00"))
    assert found.note == "1 use line without a unit cost left out of the cost."

    ct2 = cost_allocation(
        db, period=NOVEMBER, wanted=SettingFilter(location_codes=("CT2",)), today=TODAY
    ).by_case
    assert [(r.name, r.cost) for r in ct2.by_procedure] == [("(none)", Decimal("1950.00"))]
    october = ReportPeriod(date(2026, 10, 1), date(2026, 10, 1))
    assert cost_allocation(db, period=october, today=TODAY).by_case.lines == 0

    path = tmp_path / "costs.xlsx"
    export_cost_allocation(db, path=path, period=NOVEMBER, today=TODAY)
    book = load_workbook(path)
    assert book.sheetnames[-1] == "By Procedure and Physician"
    rows = list(book["By Procedure and Physician"].iter_rows(values_only=True))
    assert rows[0] == ("By", "Name", "Cases", "Use Lines", "Cost", "Lines Without Cost")
    assert rows[1] == ("Procedure", "Hip", 1, 4, 4664, 0)
    assert rows[4] == ("Procedure", "Total", 3, 9, 10364, 1)
    assert rows[5][:2] == ("Physician", "Dr Lee")
