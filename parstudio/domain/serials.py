"""Serial-tracked items (implants, equipment): each unit's story from receipt to the case.

Receiving a serial-tracked item takes one serial per unit; a serial already received for the
item is refused. A serial's history is its receipt, the counts that saw it, the case it was
used on, and whether it is on the recall list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from parstudio.domain.barcodes import decode_scan
from parstudio.domain.errors import ValidationError


class SerialEventKind(StrEnum):
    """What happened to a serial."""

    RECEIVED = "Received"
    COUNTED = "Seen in a count"
    USED = "Used on a case"
    RECALLED = "Put on the recall list"


@dataclass(frozen=True, slots=True)
class SerialEvent:
    """One moment in a serial's history."""

    serial: str
    kind: SerialEventKind
    at: datetime
    location_code: str | None
    detail: str
    """The order number, the count, or the case identifier (masked for viewers)."""
    by: str | None


@dataclass(frozen=True, slots=True)
class SerialStatus:
    """Where one serial is by its history: received, last seen, used, recalled."""

    serial: str
    received_at: datetime | None
    received_location: str | None
    order_number: str | None
    last_seen_at: datetime | None
    last_seen_location: str | None
    case: str | None
    used_at: datetime | None
    used_location: str | None
    recalled: bool
    recall_reason: str | None

    @property
    def where(self) -> str:
        """Where the unit is by the latest evidence, in words."""
        if self.case is not None:
            return f"Used on case {self.case}" + (
                f" at {self.used_location}" if self.used_location else ""
            )
        moments = [
            (at, f"Seen in a count at {place}")
            for at, place in ((self.last_seen_at, self.last_seen_location),)
            if at is not None
        ] + [
            (at, f"Received at {place}")
            for at, place in ((self.received_at, self.received_location),)
            if at is not None
        ]
        if not moments:
            return "Not received, counted or used"
        return max(moments, key=lambda pair: pair[0])[1]


@dataclass(frozen=True, slots=True)
class SerialHistory:
    """An item's serials (or one of them): their status and their events, oldest first."""

    item_code: str
    description: str
    serial: str | None
    """The serial asked for; None for every serial of the item."""
    statuses: tuple[SerialStatus, ...]
    events: tuple[SerialEvent, ...]

    def events_of(self, serial: str) -> list[SerialEvent]:
        """The events of one serial, oldest first."""
        return [event for event in self.events if event.serial == serial]


@dataclass(frozen=True, slots=True)
class RecalledSerialRecord:
    """A serial on the recall list, and where it is by its history."""

    item_code: str
    description: str
    serial: str
    reason: str | None
    created_at: datetime
    created_by: str | None
    status: SerialStatus


def serial_from_scan(text: str) -> str:
    """The serial a scan carries (GS1 AI 21, HIBC), or the text itself when typed."""
    if not text.strip():
        return ""
    decoded = decode_scan(text)
    return (decoded.serial if decoded.serial and not decoded.error else text).strip()


def check_serials(
    *, item_code: str, units: Decimal, serials: Sequence[str], already: Sequence[str]
) -> list[str]:
    """The serials of a receipt of a serial-tracked item, tidied, or a message why not.

    One serial per unit (a scanned label gives its serial); none blank, none twice, none
    received for the item before.
    """
    tidy = [serial_from_scan(s) for s in serials]
    if any(not s for s in tidy):
        raise ValidationError(f"{item_code}: a serial is blank.", field="serials")
    if units != units.to_integral_value() or Decimal(len(tidy)) != units:
        raise ValidationError(
            f"{item_code} is serial-tracked: receive one serial per unit "
            f"({units.normalize():f} units, {len(tidy)} serial{'s' if len(tidy) != 1 else ''}).",
            field="serials",
        )
    twice = sorted({s for s in tidy if tidy.count(s) > 1})
    if twice:
        raise ValidationError(
            f"{item_code}: serial {', '.join(twice)} is given twice.", field="serials"
        )
    before = sorted(set(tidy) & set(already))
    if before:
        plural = "s" if len(before) > 1 else ""
        raise ValidationError(
            f"{item_code}: serial{plural} {', '.join(before)} "
            f"{'were' if plural else 'was'} already received.",
            field="serials",
        )
    return tidy
