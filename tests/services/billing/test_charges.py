"""Charge capture on both databases: billable use on cases in a period, to Excel and CSV."""

from __future__ import annotations

import csv
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parstudio.domain.charges import DayRange
from parstudio.domain.errors import NotFoundError, PermissionDenied, ValidationError
from parstudio.domain.roles import Role
from parstudio.services.billing.charges import charge_capture, export_charges
from parstudio.services.core.database import Database
from tests.services.billing.department import NOV1, NOV30, fill_department

NOVEMBER = DayRange(NOV1, NOV30)


@pytest.fixture
def department(db: Database) -> Database:
    fill_department(db)
    return db


def test_billable_use_of_the_period_voided_and_later_lines_left_out(department: Database) -> None:
    found = charge_capture(department, period=NOVEMBER)
    assert [(line.case_identifier, line.item_code, line.quantity) for line in found.lines] == [
        ("V1001", "STENT", Decimal(5)),
        ("V1001", "CATH", Decimal(8)),
        ("V1002", "PLATE", Decimal(1)),
        ("V1001", "BAND", Decimal(3)),
        ("V1002", "STENT", Decimal(4)),
        ("V2001", "SCREW", Decimal(30)),
        ("V2001", "COIL", Decimal(2)),
        ("V2001", "STENT", Decimal(2)),
    ]
    hip_stent = found.lines[0]
    assert (hip_stent.charge_code, hip_stent.unit_price) == ("C-STENT", Decimal(1200))
    assert hip_stent.extended_price == Decimal("6000.00")
    assert (hip_stent.serial, hip_stent.procedure, hip_stent.physician) == (
        "SN-1",
        "Hip",
        "Dr Lee",
    )
    # 6000 + 684 + 300 + 7.50 + 4800 + 1200 + 2400; the coil has no price.
    assert found.total == Decimal("15391.50")
    assert [line.problem for line in found.lines if line.problem] == [
        "No charge code",
        "No charge price",
    ]
    assert found.problems == 2 and found.cases == 3


def test_locations_or_a_department_narrow_it_and_unknown_ones_are_refused(
    department: Database,
) -> None:
    ct2 = charge_capture(department, period=NOVEMBER, location_codes=["CT2"])
    assert {line.location_code for line in ct2.lines} == {"CT2"} and ct2.scope == "Location CT2"
    imaging = charge_capture(department, period=NOVEMBER, department="Imaging")
    assert len(imaging.lines) == 8
    assert charge_capture(department, period=NOVEMBER, department="Medicine").lines == ()
    with pytest.raises(NotFoundError, match="There is no location XX"):
        charge_capture(department, period=NOVEMBER, location_codes=["CT1", "XX"])
    with pytest.raises(NotFoundError, match="department “Surgery”"):
        charge_capture(department, period=NOVEMBER, department="Surgery")
    one_day = charge_capture(department, period=DayRange(date(2026, 11, 15), date(2026, 11, 15)))
    assert len(one_day.lines) == 4
    with pytest.raises(ValidationError, match="ends"):
        DayRange(NOV30, NOV1)


def test_the_charge_file_as_a_workbook_and_as_csv(department: Database, tmp_path: Path) -> None:
    book = tmp_path / "charges.xlsx"
    export_charges(department, path=book, period=NOVEMBER)
    sheet = load_workbook(book).active
    assert sheet is not None and sheet.freeze_panes == "A2"
    # Printed across the page, fitted to its width, the header on every page.
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1"
    assert sheet["O2"].number_format == "yyyy-mm-dd hh:mm"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Case", "Case Opened", "Location") and rows[0][-1] == "Problem"
    assert rows[1][0] == "V1001" and rows[1][11] == 6000
    assert rows[4][-1] == "No charge code"
    assert rows[9][0] == "Total" and rows[9][11] == 15391.5
    assert any("2 lines without a charge code or price" in str(r[0]) for r in rows[10:])

    text = tmp_path / "charges.csv"
    export_charges(department, path=text, period=NOVEMBER, location_codes=["CT2"])
    raw = text.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0][0] == "Case" and len(lines) == 4
    assert lines[1][5:12] == ["SCREW", "Screw", "C-SCREW", "30", "EA", "40", "1200.00"]
    assert lines[2][-1] == "No charge price" and lines[2][11] == ""
    with pytest.raises(ValidationError, match=r"\.xlsx \(Excel\) or \.csv"):
        export_charges(department, path=tmp_path / "charges.pdf", period=NOVEMBER)
    assert not (tmp_path / "charges.pdf").exists()


def test_viewers_see_masked_identifiers_and_may_not_export(
    department: Database, tmp_path: Path
) -> None:
    department.role = Role.VIEWER
    seen = charge_capture(department, period=NOVEMBER)
    assert re.fullmatch(r"•••• #\d+", seen.lines[0].case_identifier)
    assert all("V1" not in line.case_identifier for line in seen.lines)
    with pytest.raises(PermissionDenied, match="Viewers cannot export the charge file"):
        export_charges(department, path=tmp_path / "c.csv", period=NOVEMBER)
    assert not (tmp_path / "c.csv").exists()
