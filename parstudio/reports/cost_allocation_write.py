"""The cost allocation workbook: a summary by department, cost centre and location, and detail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from parstudio.domain.case_costs import CaseCosts
from parstudio.domain.cost_allocation import CostAllocation, Totals
from parstudio.reports.xlsx_tables import Kind, TableColumn, TableRow, TableSheet, write_tables

SUMMARY_SHEET = "Summary"
DETAIL_SHEET = "Detail"
CASES_SHEET = "By Procedure and Physician"
CONSIGNMENT_NOTE = (
    "Consignment stock is the vendor's until it is used and is billed on use: its usage value "
    "counts as spend (its receipts do not) and is shown again under Of Which Consignment."
)

SUMMARY_COLUMNS = (
    TableColumn("Department", 22),
    TableColumn("Cost Centre", 16),
    TableColumn("Location", 14),
    TableColumn("Location Name", 30),
    TableColumn("Usage Value", 14, Kind.MONEY),
    TableColumn("Spend", 14, Kind.MONEY),
    TableColumn("Of Which Consignment", 14, Kind.MONEY),
    TableColumn("Settings", 10, Kind.UNITS),
    TableColumn("Items Without Price", 12, Kind.UNITS),
)

DETAIL_COLUMNS = (
    TableColumn("Department", 22),
    TableColumn("Cost Centre", 14),
    TableColumn("Location", 12),
    TableColumn("Item Code", 14),
    TableColumn("Description", 44),
    TableColumn("Unit", 7),
    TableColumn("Units Used", 11, Kind.UNITS),
    TableColumn("Unit Cost", 11, Kind.PRICE),
    TableColumn("Usage Value", 13, Kind.MONEY),
    TableColumn("Units Received", 11, Kind.UNITS),
    TableColumn("Spend", 13, Kind.MONEY),
    TableColumn("Consignment", 12),
    TableColumn("Counted Throughout", 12),
)


CASE_COLUMNS = (
    TableColumn("By", 12),
    TableColumn("Name", 34),
    TableColumn("Cases", 9, Kind.UNITS),
    TableColumn("Use Lines", 10, Kind.UNITS),
    TableColumn("Cost", 14, Kind.MONEY),
    TableColumn("Lines Without Cost", 12, Kind.UNITS),
)


def case_rows(costs: CaseCosts) -> Iterator[TableRow]:
    """The procedures, then the physicians, each with a total row."""
    for by, rows in (("Procedure", costs.by_procedure), ("Physician", costs.by_physician)):
        for row in rows:
            yield TableRow([by, row.name, row.cases, row.lines, row.cost, row.unpriced_lines])
        yield TableRow(
            [by, "Total", costs.cases, costs.lines, costs.cost, costs.unpriced_lines], total=True
        )


def case_notes(report: CostAllocation) -> list[str]:
    """What the cases sheet covers."""
    notes = [
        f"What was used on cases {report.period.label}, {report.scope}: quantity × the unit "
        "cost recorded when it was used (voided lines left out). Cases without a procedure or "
        "a physician are under (none).",
    ]
    if report.by_case.note:
        notes.append(report.by_case.note)
    return notes


def _money(totals: Totals) -> list[object]:
    return [
        totals.usage_value,
        totals.spend,
        totals.consignment,
        totals.settings,
        totals.unpriced_items,
    ]


def summary_rows(report: CostAllocation) -> Iterator[TableRow]:
    """Location rows, with a total row after each cost centre and department, then overall."""
    for department in report.departments:
        for centre in department.cost_centres:
            for place in centre.locations:
                yield TableRow(
                    [department.name, centre.name, place.code, place.name, *_money(place.totals)]
                )
            yield TableRow(
                [department.name, centre.name, "Total", None, *_money(centre.totals)], total=True
            )
        yield TableRow([department.name, "Total", None, None, *_money(department.totals)], True)
    yield TableRow(["All departments", "Total", None, None, *_money(report.totals)], total=True)


def detail_rows(report: CostAllocation) -> Iterator[TableRow]:
    """One row per PAR setting."""
    for line in report.lines:
        facts = line.facts
        yield TableRow(
            [
                facts.department,
                facts.cost_centre,
                facts.location_code,
                facts.item_code,
                facts.description,
                facts.unit,
                line.used,
                facts.unit_cost,
                line.usage_value,
                line.received,
                line.spend,
                "yes" if facts.consignment else "no",
                "yes" if line.known else "no",
            ]
        )


def report_notes(report: CostAllocation) -> list[str]:
    """What the workbook covers and leaves out."""
    notes = [
        f"Cost allocation {report.period.label} ({report.period.first:%d %b %Y} to "
        f"{report.period.end:%d %b %Y}), {report.scope}.",
        "Usage value = units used × unit cost (pack price ÷ pack size); spend = units received "
        "× unit cost.",
        CONSIGNMENT_NOTE,
    ]
    if report.note:
        notes.append(report.note[0].upper() + report.note[1:])
    return notes


def write_cost_allocation(path: Path | str, report: CostAllocation) -> None:
    """Write the summary and detail sheets."""
    notes = report_notes(report)
    write_tables(
        path,
        [
            TableSheet(SUMMARY_SHEET, SUMMARY_COLUMNS, summary_rows(report), notes),
            TableSheet(DETAIL_SHEET, DETAIL_COLUMNS, detail_rows(report)),
            TableSheet(CASES_SHEET, CASE_COLUMNS, case_rows(report.by_case), case_notes(report)),
        ],
    )
