"""What a worksheet import does or did: the preview a user reads before anything is written."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from parstudio.domain.worksheet import CellError, HeaderMap, WorksheetRow


@dataclass(frozen=True, slots=True)
class ParsedWorksheet:
    """A worksheet read and checked cell by cell, ready to compare with the database."""

    path: str
    sheet: str
    header: HeaderMap
    rows: tuple[WorksheetRow, ...]
    errors: tuple[CellError, ...] = ()
    rows_read: int = 0
    """Rows of the sheet that are not blank, including those with errors."""
    headers: Mapping[str, HeaderMap] = field(default_factory=dict)
    """Each sheet's header map, by sheet name (a workbook may hold one sheet per location)."""
    sheets: tuple[str, ...] = ()
    """The sheets read, in order."""
    skipped_sheets: tuple[str, ...] = ()
    """Sheets that hold no worksheet (instructions, notes, hidden), with why."""
    skipped_rows: tuple[str, ...] = ()
    """Rows left out (totals, repeated headers), with where and why."""
    sheet_locations: tuple[tuple[str, str, int], ...] = ()
    """(sheet, location named by the sheet, header row) of sheets without a Location column."""
    decimal: str = "."
    """The decimal separator of numbers typed as text in this file."""
    has_count_dates: bool = False
    """Whether some sheet has a Counted On column."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that an import changes: column name, old and new value as shown."""

    column: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.column}: {self.old or '(blank)'} → {self.new or '(blank)'}"


@dataclass(frozen=True, slots=True)
class RecordChange:
    """An existing item or PAR setting that an import changes."""

    key: str
    row: int
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class CountToRecord:
    """A count from the Count column."""

    location_code: str
    item_code: str
    count_type: str
    quantity: Decimal
    row: int
    counted_at: datetime | None = None
    """When the count was taken (aware UTC)."""
    at_import: bool = True
    """Dated at the import (no Counted On); otherwise by its Counted On cell."""
    sheet: str = ""

    @property
    def key(self) -> tuple[str, str, str, Decimal, int, str]:
        """What the count is, without the import's own time (which moves between two runs)."""
        return (
            self.location_code,
            self.item_code,
            self.count_type,
            self.quantity,
            self.row,
            self.sheet,
        )


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What importing a worksheet does (or did), or why it cannot."""

    path: str
    sheet: str = ""
    rows: int = 0
    new_locations: tuple[str, ...] = ()
    new_suppliers: tuple[str, ...] = ()
    new_items: tuple[str, ...] = ()
    new_settings: tuple[str, ...] = ()
    changed_items: tuple[RecordChange, ...] = ()
    changed_settings: tuple[RecordChange, ...] = ()
    unchanged: int = 0
    counts: tuple[CountToRecord, ...] = ()
    extra_columns: tuple[str, ...] = ()
    errors: tuple[CellError, ...] = ()
    warnings: tuple[str, ...] = ()
    """Worth a look before applying, but no reason to refuse (near-duplicate new codes)."""
    skipped_sheets: tuple[str, ...] = ()
    skipped_rows: tuple[str, ...] = ()
    sheet_locations: tuple[str, ...] = ()
    """Sheets without a Location column that took their location from their name."""
    decimal: str = "."
    counts_dated: bool = False
    """Whether the file has a Counted On column."""
    counts_already_recorded: int = 0
    """Counts of the file that are already in the database (same location, item, quantity
    and day): not recorded again."""
    applied: bool = False
    prepared: Any = field(default=None, compare=False, repr=False)
    """The service's own plan behind this preview, which applying it may reuse."""

    @property
    def is_valid(self) -> bool:
        """Whether the file can be imported."""
        return not self.errors

    @property
    def has_changes(self) -> bool:
        """Whether importing writes anything."""
        return bool(
            self.new_locations
            or self.new_suppliers
            or self.new_items
            or self.new_settings
            or self.changed_items
            or self.changed_settings
            or self.counts
        )

    def summary_text(self) -> str:
        """The preview as lines of text for the command line and the import dialog."""
        what = "sheets" if ", " in self.sheet else "sheet"
        lines = [f"Worksheet {Path(self.path).name}, {what} “{self.sheet}”: {self.rows} rows."]
        lines.extend(self._reading_notes())
        if self.errors:
            lines.append(f"{len(self.errors)} problem(s); nothing was imported:")
            lines.extend(f"  {line}" for line in grouped_errors(self.errors))
            return "\n".join(lines)
        lines.extend(f"Warning: {warning}" for warning in self.warnings)
        changed = len(self.changed_items) + len(self.changed_settings)
        new = (
            len(self.new_locations)
            + len(self.new_suppliers)
            + len(self.new_items)
            + len(self.new_settings)
        )
        if not self.has_changes:
            lines.append(f"No changes: 0 new, 0 changed, {self.unchanged} unchanged.")
            lines.extend(self._already())
            return "\n".join(lines)
        verb = "Imported" if self.applied else "Would import"
        lines.append(
            f"{verb}: {new} new, {changed} changed, {self.unchanged} unchanged, "
            f"{len(self.counts)} count(s)."
        )
        for title, names in (
            ("New locations", self.new_locations),
            ("New suppliers", self.new_suppliers),
            ("New items", self.new_items),
            ("New PAR settings", self.new_settings),
        ):
            if names:
                lines.append(f"{title} ({len(names)}): " + _shortlist(names))
        for title, changes in (
            ("Changed items", self.changed_items),
            ("Changed PAR settings", self.changed_settings),
        ):
            if changes:
                lines.append(f"{title} ({len(changes)}):")
                lines.extend(
                    f"  row {c.row}, {c.key}: " + "; ".join(str(f) for f in c.changes)
                    for c in changes[:200]
                )
                if len(changes) > 200:
                    lines.append(f"  … and {len(changes) - 200} more")
        if self.counts:
            places = sorted({c.location_code for c in self.counts})
            verb = "Counts recorded" if self.applied else "Counts to record"
            lines.append(
                f"{verb}: {len(self.counts)} at " + ", ".join(places) + ", " + self._dated() + "."
            )
        lines.extend(self._already())
        if not self.applied:
            lines.append("Nothing has been written yet; apply the import to save it.")
        return "\n".join(lines)

    def _reading_notes(self) -> list[str]:
        lines = []
        if self.extra_columns:
            lines.append("Columns ignored: " + ", ".join(self.extra_columns) + ".")
        if self.sheet_locations:
            lines.append("Location from the sheet's name: " + ", ".join(self.sheet_locations) + ".")
        if self.skipped_sheets:
            lines.append("Sheets skipped: " + ", ".join(self.skipped_sheets) + ".")
        if self.skipped_rows:
            lines.append(f"Rows skipped ({len(self.skipped_rows)}):")
            lines.extend(f"  {note}" for note in self.skipped_rows[:20])
            if len(self.skipped_rows) > 20:
                lines.append(f"  … and {len(self.skipped_rows) - 20} more")
        if self.decimal == ",":
            lines.append("Numbers typed as text are read with a decimal comma (2,5 = 2.5).")
        return lines

    def _already(self) -> list[str]:
        if not self.counts_already_recorded:
            return []
        return [
            f"{self.counts_already_recorded} count(s) already recorded (same location, item, "
            "quantity and day): not recorded again."
        ]

    def _dated(self) -> str:
        dated = [c for c in self.counts if not c.at_import and c.counted_at is not None]
        at_import = len(self.counts) - len(dated)
        parts = []
        if dated:
            days = sorted({c.counted_at.astimezone().date() for c in dated if c.counted_at})
            span = days[0].isoformat() + (f" to {days[-1].isoformat()}" if len(days) > 1 else "")
            parts.append(f"dated {span} (Counted On)")
        if at_import:
            first = next(c for c in self.counts if c.at_import)
            when = first.counted_at.astimezone() if first.counted_at else None
            stamp = f" ({when:%Y-%m-%d %H:%M})" if when else ""
            many = f"{at_import} " if dated else ""
            parts.append(f"{many}dated at the import{stamp}, without a Counted On date")
        return "; ".join(parts)


GROUP_ROWS = 5
"""Rows named in a grouped message before “… and N more”."""


def grouped_errors(errors: Sequence[CellError]) -> list[str]:
    """The errors as lines: one line per problem that repeats down a column, with its first rows.

    200,000 rows with the same problem give one line, not 200,000.
    """
    groups: dict[tuple[str, str, str, str], list[CellError]] = {}
    for error in errors:
        pattern = _QUOTED.sub("“…”", error.message)
        groups.setdefault((error.sheet, error.column, error.column_name, pattern), []).append(error)
    lines: list[str] = []
    for (sheet, column, name, _pattern), found in groups.items():
        if len(found) <= 3:
            lines.extend(str(error) for error in found)
            continue
        rows = ", ".join(str(e.row) for e in found[:GROUP_ROWS])
        where = f"Sheet “{sheet}”, " if sheet else ""
        where += f"{len(found):,} rows ({rows}, …)"
        if column:
            where += f", column {column}"
        if name:
            where += f" ({name})"
        alike = (
            ""
            if all(e.message == found[0].message for e in found)
            else (f" (that is row {found[0].row}; the others alike)")
        )
        lines.append(f"{where}: {found[0].message}{alike}")
    return lines


_QUOTED = re.compile(r"“[^”]*”")


def _shortlist(names: Sequence[str], limit: int = 20) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" … and {len(names) - limit} more" if len(names) > limit else "")
