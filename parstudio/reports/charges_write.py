"""The charge file and the reconciliation, as a workbook (.xlsx) or a CSV file for billing.

The workbook prints as the other report workbooks do (bold frozen header, set widths, number
formats, a total row and notes). The CSV file has one header row and the lines only, in UTF-8
with a byte-order mark so that Excel opens accented names correctly; numbers are plain
(a point for decimals, no thousands separator) and times local, "YYYY-MM-DD HH:MM".
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from parstudio.domain.charges import ChargeCapture
from parstudio.domain.errors import ParStudioError, ValidationError
from parstudio.domain.reconciliation import Reconciliation
from parstudio.reports.xlsx_tables import Kind, TableColumn, TableRow, TableSheet, write_tables

CHARGES_SHEET = "Charges"
RECONCILIATION_SHEET = "Reconciliation"
SUFFIXES = (".xlsx", ".csv")

CHARGE_COLUMNS = (
    TableColumn("Case", 16),
    TableColumn("Case Opened", 16, Kind.TIME),
    TableColumn("Location", 10),
    TableColumn("Procedure", 22),
    TableColumn("Physician", 18),
    TableColumn("Item Code", 14),
    TableColumn("Description", 36),
    TableColumn("Charge Code", 13),
    TableColumn("Quantity", 9, Kind.UNITS),
    TableColumn("Unit", 6),
    TableColumn("Unit Charge Price", 12, Kind.PRICE),
    TableColumn("Extended Charge", 13, Kind.MONEY),
    TableColumn("Lot", 12),
    TableColumn("Serial", 14),
    TableColumn("Used At", 16, Kind.TIME),
    TableColumn("Used By", 14),
    TableColumn("Problem", 30),
)

RECONCILIATION_COLUMNS = (
    TableColumn("Location", 10),
    TableColumn("Location Name", 22),
    TableColumn("Item Code", 14),
    TableColumn("Description", 36),
    TableColumn("Unit", 6),
    TableColumn("Charge Code", 13),
    TableColumn("Charge Price", 11, Kind.PRICE),
    TableColumn("Counted From", 16, Kind.TIME),
    TableColumn("Counted To", 16, Kind.TIME),
    TableColumn("Usage Seen", 11, Kind.UNITS),
    TableColumn("Recorded To Cases", 12, Kind.UNITS),
    TableColumn("Gap", 9, Kind.UNITS),
    TableColumn("Gap Value", 12, Kind.MONEY),
    TableColumn("Status", 22),
    TableColumn("Note", 50),
)


def _local(at: datetime) -> datetime:
    return at.astimezone().replace(tzinfo=None, microsecond=0, second=0)


def charge_rows(capture: ChargeCapture) -> Iterator[list[Any]]:
    """One row per line, in the columns' order."""
    for line in capture.lines:
        yield [
            line.case_identifier,
            _local(line.case_opened_at),
            line.location_code,
            line.procedure,
            line.physician,
            line.item_code,
            line.description,
            line.charge_code,
            line.quantity,
            line.unit,
            line.unit_price,
            line.extended_price,
            line.lot,
            line.serial,
            _local(line.used_at),
            line.used_by,
            line.problem or None,
        ]


def reconciliation_rows(report: Reconciliation) -> Iterator[list[Any]]:
    """One row per (location, item), largest unbilled value first."""
    for line in report.lines:
        yield [
            line.location_code,
            line.location_name,
            line.item_code,
            line.description,
            line.unit,
            line.charge_code,
            line.charge_price,
            _local(line.compared_from) if line.compared_from else None,
            _local(line.compared_to) if line.compared_to else None,
            line.usage,
            line.recorded,
            line.gap,
            line.gap_value,
            line.status.value,
            line.note or None,
        ]


def _suffix(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(
            f"{Path(path).name}: give a file name ending in .xlsx (Excel) or .csv.", field="out"
        )
    return suffix


def check_file_name(path: Path | str) -> None:
    """Refuse a file name that is neither .xlsx nor .csv, before anything is read."""
    _suffix(path)


def write_charge_file(path: Path | str, capture: ChargeCapture) -> None:
    """The charge file: .xlsx with a total row and notes, or .csv with the lines only."""
    if _suffix(path) == ".csv":
        _write_csv(path, CHARGE_COLUMNS, charge_rows(capture))
        return
    total: list[Any] = [None] * len(CHARGE_COLUMNS)
    total[0], total[11] = "Total", capture.total
    notes = [
        f"Charge capture {capture.period.label}, {capture.scope}: {capture.summary}.",
        "Billable items used on cases (voided lines left out). Extended charge = quantity × "
        "unit charge price.",
    ]
    if capture.problems:
        notes.append(
            f"{capture.problems} line(s) have no charge code or no charge price (column "
            "Problem): set them on the item and export again."
        )
    rows = [TableRow(row) for row in charge_rows(capture)]
    sheet = TableSheet(
        CHARGES_SHEET, CHARGE_COLUMNS, [*rows, TableRow(total, True)], notes, landscape=True
    )
    write_tables(path, [sheet])


def write_reconciliation_file(path: Path | str, report: Reconciliation) -> None:
    """The reconciliation: .xlsx with notes, or .csv with the lines only."""
    if _suffix(path) == ".csv":
        _write_csv(path, RECONCILIATION_COLUMNS, reconciliation_rows(report))
        return
    notes = [
        f"Reconciliation {report.period.label}, {report.scope}: {report.summary}.",
        "Usage seen = previous count + received − thrown away − this count, from the count "
        "before the period (Counted From) to the count after it (Counted To); recorded to cases "
        "between the same two counts. Gap = usage seen − recorded to cases: positive is used "
        "and not recorded to a case (unbilled); negative is recorded more than the counts show.",
    ]
    rows = [TableRow(row) for row in reconciliation_rows(report)]
    sheet = TableSheet(RECONCILIATION_SHEET, RECONCILIATION_COLUMNS, rows, notes, landscape=True)
    write_tables(path, [sheet])


def _csv_value(column: TableColumn, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, Decimal) and column.kind is Kind.MONEY:
        return f"{value.quantize(Decimal('0.01')):f}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    text = str(value)
    # A spreadsheet opening the file would run text starting like a formula.
    return "'" + text if text[:1] in ("=", "+", "@") else text


def _write_csv(path: Path | str, columns: Sequence[TableColumn], rows: Iterator[list[Any]]) -> None:
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow([column.heading for column in columns])
            writer.writerows(
                [_csv_value(column, value) for column, value in zip(columns, row, strict=True)]
                for row in rows
            )
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ParStudioError(f"Cannot write {path}: {exc.strerror}.") from exc
