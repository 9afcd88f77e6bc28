"""A parsed worksheet row, and how a cell's value is shown back to the user in a message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any


def show_value(raw: Any) -> str:
    """A cell value as the user would recognise it in a message."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.strftime("%Y-%m-%d %H:%M") if raw.time() != time() else raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


@dataclass(frozen=True, slots=True)
class WorksheetRow:
    """One row of a PAR worksheet, parsed: only the columns the file has are in the dicts."""

    row: int
    location: str
    item_code: str
    item: Mapping[str, Any] = field(default_factory=dict)
    """Item fields given (field name → value; None where the cell was blank)."""
    setting: Mapping[str, Any] = field(default_factory=dict)
    """PAR-setting fields given, likewise."""
    count: Decimal | None = None
    sheet: str = ""
    counted_on: datetime | None = None
    """The Counted On cell (naive local time), or None: the count is dated at the import."""

    @property
    def key(self) -> tuple[str, str]:
        """Location (any case) and item code: what makes a row unique."""
        return (self.location.upper(), self.item_code)
