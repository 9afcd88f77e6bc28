"""The Rebalance suggestions as a file: an .xlsx workbook or a .csv, one row per move."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from parstudio.domain.errors import ValidationError
from parstudio.domain.quantities import format_quantity
from parstudio.domain.rebalance import Rebalance
from parstudio.reports.xlsx_tables import Kind, TableColumn, TableRow, TableSheet, write_tables

SHEET = "Rebalance"
COLUMNS = (
    TableColumn("Reason", 18),
    TableColumn("Item Code", 14),
    TableColumn("Description", 36),
    TableColumn("Unit", 7),
    TableColumn("From", 12),
    TableColumn("To", 12),
    TableColumn("Lot", 12),
    TableColumn("Expiry", 12),
    TableColumn("Quantity", 10, Kind.UNITS),
    TableColumn("Explanation", 90),
)


def _values(result: Rebalance) -> Iterator[list[Any]]:
    for move in result.suggestions:
        yield [
            move.kind.label,
            move.item_code,
            move.description,
            move.unit,
            move.source_code,
            move.destination_code,
            move.lot or "",
            move.expiry.isoformat() if move.expiry else "",
            move.quantity,
            move.explanation,
        ]


def _csv(value: Any) -> str:
    if isinstance(value, Decimal):
        return format_quantity(value)
    return str(value)


def write_rebalance(path: Path | str, result: Rebalance) -> None:
    """Write the suggestions to ``path``: .xlsx or .csv by its extension."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        with target.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow([column.heading for column in COLUMNS])
            writer.writerows([_csv(value) for value in row] for row in _values(result))
            for note in result.notes:
                writer.writerow([note])
        return
    if suffix != ".xlsx":
        raise ValidationError(
            f"Write the suggestions to an .xlsx or a .csv file, not “{target.name}”.", field="out"
        )
    notes = list(result.notes) or ["Nothing was left out."]
    if not result.suggestions:
        notes.insert(0, "No move is suggested: every location holds what it will use.")
    rows = (TableRow(values) for values in _values(result))
    write_tables(target, [TableSheet(SHEET, COLUMNS, rows, notes)])
