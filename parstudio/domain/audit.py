"""Audit entries as the screens show them: who changed what, old → new."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parstudio.domain.roles import table_label

# Field names as people say them; anything else is shown with spaces for underscores.
FIELD_LABELS = {
    "par_level": "PAR level",
    "min_level": "Min",
    "max_level": "Max",
    "moq": "MOQ",
    "lot_multiple": "lot multiple",
    "count_type": "count type",
    "pack_size": "pack size",
    "pack_price": "pack price",
    "supplier_id": "supplier",
    "bin_id": "bin",
    "received_units": "received",
    "display_name": "name",
}


# One record of a table, as a noun before its name.
RECORD_NOUNS = {
    "supplier": "Supplier",
    "item": "Item",
    "barcode": "Barcode",
    "location": "Location",
    "bin": "Bin",
    "par_setting": "PAR setting",
    "count": "Count",
    "count_line": "Count line",
    "receipt": "Receipt",
    "waste": "Waste",
    "purchase_order": "Order",
    "order_line": "Order line",
    "app_user": "User",
    "par_season": "Season",
    "par_review_decision": "Review decision",
    "patient_case": "Case",
    "use_line": "Use line",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one record: its value before and after."""

    field: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        """The field's name for people."""
        return FIELD_LABELS.get(self.field, self.field.replace("_", " "))

    def describe(self) -> str:
        """“PAR level 10 → 12”."""
        return f"{self.label} {self.old_to_new()}"

    def old_to_new(self) -> str:
        """“10 → 12”."""
        return f"{_show(self.old)} → {_show(self.new)}"


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit entry: a change to one record, or a summary of a bulk write."""

    id: int
    at: datetime
    user_name: str
    table: str
    record_id: int | None
    record_version: int | None
    action: str
    rows: int
    changes: tuple[FieldChange, ...]
    record_name: str | None = None
    """What people call the record (item code, location code, order number), if it still exists."""

    @property
    def what(self) -> str:
        """The kind of record, in the supply office's words."""
        return table_label(self.table)

    @property
    def title(self) -> str:
        """The record as people name it: “PAR setting GLS-003 at CT1”, else “PAR settings #26”."""
        if self.record_id is None:
            return self.what[:1].upper() + self.what[1:]
        if self.record_name:
            return f"{RECORD_NOUNS.get(self.table, self.what)} {self.record_name}"
        return f"{self.what[:1].upper()}{self.what[1:]} #{self.record_id}"

    def summary(self) -> str:
        """One line: what was done, and to which fields."""
        if self.record_id is None:
            verb = {"insert": "added", "update": "changed", "delete": "removed"}[self.action]
            return f"{verb} {self.rows} {self.what} at once (import or bulk change)"
        if self.action == "insert":
            return "created"
        if self.action == "delete":
            return "removed"
        if not self.changes:
            return "saved (no field changed)"
        return "; ".join(change.describe() for change in self.changes)


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:  # a time the log keeps in UTC, shown local to the minute like the When column
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            moment = moment.astimezone()
        return moment.strftime("%Y-%m-%d %H:%M")
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)
