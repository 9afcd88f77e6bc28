"""The consignment usage PDF and the cost allocation workbook, read back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from parstudio.domain.consignment import ConsignmentLine, ConsignmentUsage, VendorUsage
from parstudio.domain.cost_allocation import allocate
from parstudio.domain.paper import PaperSize
from parstudio.domain.report_period import ReportPeriod
from parstudio.reports.consignment_usage import consignment_usage_pdf
from parstudio.reports.cost_allocation_write import write_cost_allocation
from tests.domain.test_cost_grouping import QUARTER, usage
from tests.support.pdfs import page_sizes, texts


def _line(k: int, price: str | None = "12.50") -> ConsignmentLine:
    used = Decimal(k % 7 + 1)
    unit_price = None if price is None else Decimal(price)
    return ConsignmentLine(
        location_code=f"L{k // 10}",
        location_name=f"Room {k // 10}",
        item_code=f"IT-{k:03}",
        vendor_item_no=f"V{k}",
        description=f"Coil number {k}",
        unit="EA",
        used=used,
        unit_price=unit_price,
        value=None if unit_price is None else used * unit_price,
        known=True,
    )


def test_each_vendor_starts_a_page_and_pages_are_numbered_through() -> None:
    many = (*(_line(k) for k in range(70)), _line(70, None))
    report = ConsignmentUsage(
        ReportPeriod(date(2026, 7, 1), date(2026, 9, 1)),
        date(2026, 10, 2),
        (VendorUsage("Bracco", "BRACCO", (_line(1), _line(2))), VendorUsage("Owens", None, many)),
    )
    pdf = consignment_usage_pdf(report, PaperSize.LETTER)
    assert set(page_sizes(pdf)) == {(612.0, 792.0)}
    pages = texts(pdf)
    assert len(pages) == 4  # Bracco's page, and three of Owens's 71 lines on US Letter
    assert [f"Page {n} of 4" in page for n, page in enumerate(pages, start=1)] == [True] * 4
    assert "Bracco (BRACCO)" in pages[0] and "2 lines at 1 location" in pages[0]
    assert "Total" in pages[0] and "Owens" not in pages[0]
    assert "62.50" in pages[0]  # 2 × 12.50 + 3 × 12.50
    assert "Owens" in pages[1] and "71 lines at 8 locations" in pages[1]
    assert "Consignment usage · Owens" in pages[2]  # the heading of a following page
    owens_total = sum((line.value for line in many if line.value is not None), Decimal(0))
    assert f"{owens_total:,.2f}" in pages[3] and "Total" not in pages[2]
    assert "1 line without a price is not in the total." in pages[3]
    assert "IT-070" in pages[3] and "no price" in pages[3]
    assert consignment_usage_pdf(report, PaperSize.LETTER) == pdf  # the same bytes each time


def test_an_empty_report_says_nothing_was_used() -> None:
    report = ConsignmentUsage(
        ReportPeriod(date(2026, 9, 1), date(2026, 9, 1)), date(2026, 10, 2), ()
    )
    (page,) = texts(consignment_usage_pdf(report))
    assert "No consignment item was used in this period." in page


def test_the_workbook_keeps_text_as_text_and_money_as_numbers(tmp_path: Path) -> None:
    report = allocate(
        [
            usage("CT1", "=HYPERLINK(\"x\")", used=(0, 3, 0, 0), received=(0, 1, 0, 0),
                  unit_cost="1.2345"),
            usage("CT1", "COIL", used=(0, 1, 1, 1), received=(0, 9, 0, 0), unit_cost="50",
                  consignment=True),
        ],
        QUARTER,
    )  # fmt: skip
    path = tmp_path / "costs.xlsx"
    write_cost_allocation(path, report)
    book = load_workbook(path)
    detail = book["Detail"]
    assert detail.freeze_panes == "A2"
    assert detail.column_dimensions["E"].width == 44
    injected = next(row for row in detail.iter_rows(min_row=2) if row[3].value.startswith("="))
    assert injected[3].data_type == "s"  # never a formula
    assert injected[7].value == 1.2345 and injected[7].number_format == "#,##0.00##"
    assert injected[8].value == 3.7  # 3 × 1.2345 to the cent
    assert injected[6].number_format == "#,##0"
    summary = book["Summary"]
    values = [row for row in summary.iter_rows(values_only=True)]
    overall = next(row for row in values if row[0] == "All departments")
    assert overall[4:7] == (153.7, 151.23, 150)  # usage 3.70 + 150; spend 1.23 + 150 on use
    notes = [row[0] for row in values if row[0] and "billed on use" in str(row[0])]
    assert notes
