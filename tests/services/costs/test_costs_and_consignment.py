"""Cost allocation and consignment usage read from counts and receipts, on both databases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parstudio.domain.errors import NotFoundError
from parstudio.domain.paper import PrintKind, PrintOptions
from parstudio.domain.report_period import ReportPeriod
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database
from parstudio.services.costs.allocation import cost_allocation, export_cost_allocation
from parstudio.services.costs.consignment import consignment_usage_report, consignment_vendors
from parstudio.services.ordering import printing
from parstudio.services.review.period_usage import SettingFilter
from tests.services.review.test_usage_history import record
from tests.support.pdfs import texts

QUARTER = ReportPeriod(date(2026, 7, 1), date(2026, 9, 1))
TODAY = date(2026, 11, 2)
ENDS = [date(2026, 6, 30), date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30)]


@pytest.fixture
def department(db: Database) -> Database:
    """The department of fill_department, on both databases."""
    return fill_department(db)


def fill_department(db: Database) -> Database:
    """Gloves and a consignment coil at CT1, gauze without a price at CT2, gloves on a ward."""
    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline"})
    suppliers.create_supplier(db, fields={"code": "OWENS", "name": "Owens & Minor"})
    ct1, ct2, ward = (
        locations.create_location(db, fields=fields)
        for fields in (
            {"code": "CT1", "name": "CT 1", "department": "Imaging", "cost_centre": "4100"},
            {"code": "CT2", "name": "CT 2", "department": "Imaging", "cost_centre": "4100"},
            {"code": "W3", "name": "Ward 3", "department": "Medicine"},
        )
    )
    gloves = items.create_item(
        db,
        fields={"code": "GLV", "description": "Gloves", "pack_size": "10", "pack_price": "5.00",
                "supplier_code": "MED"},
    )  # fmt: skip
    coil = items.create_item(
        db,
        fields={"code": "COIL", "description": "Embolization coil", "pack_price": "80.00",
                "supplier_code": "OWENS", "supplier_item_no": "OW-77", "consignment": True},
    )  # fmt: skip
    gauze = items.create_item(db, fields={"code": "GAUZE", "description": "Gauze"})
    for location, item in ((ct1, gloves), (ct1, coil), (ct2, gauze), (ward, gloves)):
        par_settings.create_par_setting(
            db, location_id=location.id, item_id=item.id, fields={"par_level": "10"}
        )
    # Gloves at CT1: 10 a day, 100 put back every 10 days from 1 June to 9 October.
    days = [date(2026, 6, 1) + timedelta(days=10 * k) for k in range(14)]
    record(db, ct1.id, gloves.id, [(d, 100) for d in days], [(d, 100) for d in days[1:]])
    # The coil: counted at each month's end; 6 used in July (4 came), 3 in August, 1 in September.
    record(
        db,
        ct1.id,
        coil.id,
        list(zip([*ENDS, date(2026, 10, 31)], [10, 8, 5, 4, 4], strict=True)),
        [(date(2026, 7, 15), 4)],
    )
    record(db, ct2.id, gauze.id, [(ENDS[0], 100), (ENDS[3], 8)])
    # The ward: 50 → 20 with 62 received in August: 92 used (one a day).
    record(db, ward.id, gloves.id, [(ENDS[0], 50), (ENDS[3], 20)], [(date(2026, 8, 15), 62)])
    return db


def test_usage_value_and_spend_by_department_cost_centre_and_location(
    department: Database,
) -> None:
    report = cost_allocation(department, period=QUARTER, today=TODAY)
    imaging, medicine = report.departments
    assert (imaging.name, medicine.name) == ("Imaging", "Medicine")
    centre = imaging.cost_centres[0]
    ct1, ct2 = centre.locations
    # Gloves: 92 days × 10 = 920 used × 0.50; 10 deliveries of 100 in the quarter × 0.50.
    gloves = next(line for line in ct1.lines if line.facts.item_code == "GLV")
    assert (gloves.used, gloves.received) == (Decimal(920), Decimal(1000))
    assert (gloves.usage_value, gloves.spend) == (Decimal("460.00"), Decimal("500.00"))
    assert gloves.known
    # The coil is billed on use: 10 used × 80.00, whatever was received.
    coil = next(line for line in ct1.lines if line.facts.item_code == "COIL")
    assert (coil.used, coil.received) == (Decimal(10), Decimal(4))
    assert coil.spend == coil.usage_value == Decimal("800.00")
    assert ct1.totals.usage_value == Decimal("1260.00")
    assert ct1.totals.spend == Decimal("1300.00")
    assert ct1.totals.consignment == Decimal("800.00")
    assert ct2.lines[0].used == Decimal(92)
    assert ct2.totals.unpriced_items == 1 and ct2.totals.usage_value == 0
    assert centre.totals.spend == imaging.totals.spend == Decimal("1300.00")
    assert medicine.cost_centres[0].name == "(no cost centre)"
    assert (medicine.totals.usage_value, medicine.totals.spend) == (
        Decimal("46.00"),
        Decimal("31.00"),
    )
    assert report.totals.usage_value == Decimal("1306.00")
    assert report.totals.spend == Decimal("1331.00")
    assert report.totals.consignment == Decimal("800.00")
    assert "1 item without a price" in report.note


def test_filters_and_an_unknown_location(department: Database) -> None:
    imaging = cost_allocation(
        department, period=QUARTER, wanted=SettingFilter(department="Imaging"), today=TODAY
    )
    assert [d.name for d in imaging.departments] == ["Imaging"]
    assert imaging.scope == "Department Imaging"
    ward = cost_allocation(
        department, period=QUARTER, wanted=SettingFilter(location_codes=("W3",)), today=TODAY
    )
    assert ward.totals.spend == Decimal("31.00")
    assert ward.scope == "Location W3"
    with pytest.raises(NotFoundError, match="no location NOPE"):
        cost_allocation(department, period=QUARTER, wanted=SettingFilter(location_codes=("NOPE",)))


def test_the_workbook_has_a_summary_and_a_detail_sheet_with_numbers(
    department: Database, tmp_path: Path
) -> None:
    path = tmp_path / "costs.xlsx"
    export_cost_allocation(department, path=path, period=QUARTER, today=TODAY)
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "Detail", "By Procedure and Physician"]
    summary = book["Summary"]
    assert summary.freeze_panes == "A2"
    assert summary["A1"].value == "Department" and summary["A1"].font.b
    rows = list(summary.iter_rows(values_only=True))
    assert rows[1][:7] == ("Imaging", "4100", "CT1", "CT 1", 1260, 1300, 800)
    assert rows[2][:5] == ("Imaging", "4100", "CT2", "CT 2", 0)
    assert rows[2][8] == 1  # an item without a price
    assert rows[3][:6] == ("Imaging", "4100", "Total", None, 1260, 1300)
    assert summary["E2"].number_format == "#,##0.00"
    assert summary["E4"].font.b
    overall = next(row for row in rows if row[0] == "All departments")
    assert overall[4:7] == (1306, 1331, 800)
    assert any("Jul–Sep 2026" in str(row[0]) for row in rows if row[0])
    detail = book["Detail"]
    lines = list(detail.iter_rows(values_only=True))
    assert lines[0][:6] == ("Department", "Cost Centre", "Location", "Item Code", "Description",
                            "Unit")  # fmt: skip
    coil = next(row for row in lines if row[3] == "COIL")
    assert coil[6:] == (10, 80, 800, 4, 800, "yes", "yes")
    gloves = next(row for row in lines if row[3] == "GLV" and row[2] == "CT1")
    assert gloves[6:11] == (920, 0.5, 460, 1000, 500)
    gauze = next(row for row in lines if row[3] == "GAUZE")
    assert gauze[7] is None and gauze[8] is None
    assert len(lines) == 5


def test_consignment_usage_per_vendor_as_pdf_and_workbook(
    department: Database, tmp_path: Path
) -> None:
    assert consignment_vendors(department) == ["Owens & Minor"]
    report = consignment_usage_report(department, period=QUARTER, today=TODAY)
    (owens,) = report.vendors
    assert (owens.vendor, owens.vendor_code) == ("Owens & Minor", "OWENS")
    (line,) = owens.lines
    assert (line.location_code, line.item_code, line.vendor_item_no) == ("CT1", "COIL", "OW-77")
    assert (line.used, line.unit_price, line.value) == (Decimal(10), Decimal(80), Decimal("800.00"))
    september = consignment_usage_report(
        department, period=ReportPeriod(date(2026, 9, 1), date(2026, 9, 1)), today=TODAY
    )
    assert september.vendors[0].lines[0].used == Decimal(1)
    # Last month by default: October, when nothing was used.
    assert consignment_usage_report(department, today=TODAY).vendors == ()
    assert consignment_usage_report(department, period=QUARTER, vendor="Medline").vendors == ()

    (document,) = printing.documents(
        department, kind=PrintKind.CONSIGNMENT_USAGE, options=PrintOptions(), period=QUARTER
    )
    assert document.filename == "consignment-usage-2026-07_2026-09-Owens_Minor.pdf"
    (page,) = texts(document.pdf)
    assert "CONSIGNMENT USAGE" in page and "Owens & Minor (OWENS)" in page
    assert "Replenish on use · Jul–Sep 2026" in page
    assert "COIL" in page and "OW-77" in page and "800.00" in page
    assert "Total" in page and "Page 1 of 1" in page

    from parstudio.reports.consignment_usage_write import write_consignment_usage

    path = tmp_path / "consignment.xlsx"
    write_consignment_usage(path, report)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1] == ("Owens & Minor", "CT1", "CT 1", "COIL", "OW-77", "Embolization coil",
                       "EA", 10, 80, 800)  # fmt: skip
    assert rows[2][:2] == ("Owens & Minor", "Total") and rows[2][-1] == 800
