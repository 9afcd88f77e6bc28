"""The consignment usage workbook: every vendor's replenish-on-use lines, with vendor totals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from parstudio.domain.consignment import ConsignmentUsage
from parstudio.reports.consignment_usage import INTRO
from parstudio.reports.xlsx_tables import Kind, TableColumn, TableRow, TableSheet, write_tables

SHEET = "Consignment usage"
COLUMNS = (
    TableColumn("Vendor", 24),
    TableColumn("Location", 12),
    TableColumn("Location Name", 24),
    TableColumn("Item Code", 14),
    TableColumn("Vendor Item No", 16),
    TableColumn("Description", 44),
    TableColumn("Unit", 7),
    TableColumn("Units Used", 11, Kind.UNITS),
    TableColumn("Unit Price", 12, Kind.PRICE),
    TableColumn("Value", 13, Kind.MONEY),
)


def rows(report: ConsignmentUsage) -> Iterator[TableRow]:
    """The lines of each vendor, then the vendor's total."""
    for vendor in report.vendors:
        for line in vendor.lines:
            yield TableRow(
                [
                    vendor.vendor,
                    line.location_code,
                    line.location_name,
                    line.item_code,
                    line.vendor_item_no,
                    line.description,
                    line.unit,
                    line.used,
                    line.unit_price,
                    line.value,
                ]
            )
        yield TableRow([vendor.vendor, "Total", *[None] * 7, vendor.total], total=True)


def write_consignment_usage(path: Path | str, report: ConsignmentUsage) -> None:
    """Write the workbook."""
    notes = [
        f"Consignment usage {report.period.label} ({report.period.first:%d %b %Y} to "
        f"{report.period.end:%d %b %Y}), made on {report.made_on:%d %b %Y}.",
        INTRO,
    ]
    if not report.vendors:
        notes.append("No consignment item was used in this period.")
    write_tables(path, [TableSheet(SHEET, COLUMNS, rows(report), notes)])
