"""What a worksheet import does or did: the preview a user reads before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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
        lines = [f"Worksheet {Path(self.path).name}, sheet “{self.sheet}”: {self.rows} rows."]
        if self.extra_columns:
            lines.append("Columns ignored: " + ", ".join(self.extra_columns) + ".")
        if self.errors:
            lines.append(f"{len(self.errors)} problem(s); nothing was imported:")
            lines.extend(f"  {error}" for error in self.errors)
            return "\n".join(lines)
        changed = len(self.changed_items) + len(self.changed_settings)
        new = (
            len(self.new_locations)
            + len(self.new_suppliers)
            + len(self.new_items)
            + len(self.new_settings)
        )
        if not self.has_changes:
            lines.append(f"No changes: 0 new, 0 changed, {self.unchanged} unchanged.")
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
            lines.append(f"{verb}: {len(self.counts)} at " + ", ".join(places) + ".")
        if not self.applied:
            lines.append("Nothing has been written yet; apply the import to save it.")
        return "\n".join(lines)


def _shortlist(names: Sequence[str], limit: int = 20) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" … and {len(names) - limit} more" if len(names) > limit else "")
