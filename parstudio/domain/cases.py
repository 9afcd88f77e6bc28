"""Use on a case: the case label pattern, what viewers see of an identifier, and the records.

A case is a visit, encounter or procedure case; of the patient only the identifier on the case
label is kept. Items scanned while a case is open are recorded as used on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from parstudio.domain.errors import ValidationError
from parstudio.domain.fields import FieldSpec, Kind
from parstudio.domain.roles import Role

DEFAULT_CASE_PATTERN = r"[A-Za-z]{0,4}-?\d{5,12}"
"""Visit, encounter and case numbers as most systems print them: up to four letters, an
optional dash, then 5 to 12 digits (V0012345, ENC-2026001234, 88001234)."""

IDENTIFIER_LENGTH = 60
"""The longest identifier the database keeps."""

MASK = "••••"
"""What a viewer sees in place of an identifier."""

CASE_FIELDS = (
    FieldSpec("procedure", "Procedure", max_length=120),
    FieldSpec("physician", "Physician", max_length=120),
)
USE_QUANTITY = FieldSpec("quantity", "Quantity", Kind.DECIMAL, positive=True)


def check_case_pattern(pattern: str) -> re.Pattern[str]:
    """The case label pattern compiled, or a ValidationError saying why it cannot be used."""
    text = (pattern or "").strip()
    if not text:
        raise ValidationError("The case label pattern is empty.", field="pattern")
    try:
        compiled = re.compile(text)
    except re.error as exc:
        raise ValidationError(
            f"The case label pattern “{text}” is not a valid regular expression: {exc}.",
            field="pattern",
        ) from exc
    if compiled.fullmatch(""):
        raise ValidationError(
            f"The case label pattern “{text}” matches an empty scan: it must need at least "
            "one character.",
            field="pattern",
        )
    return compiled


def is_case_label(pattern: str, text: str) -> bool:
    """Whether a scan or typed text is a case label: the whole of it matches the pattern."""
    body = text.strip()
    if not body or len(body) > IDENTIFIER_LENGTH:
        return False
    try:
        return re.fullmatch(pattern, body) is not None
    except re.error:
        return False


def sees_identifiers(role: Role | None) -> bool:
    """Whether this role is shown case identifiers: clerks and managers, never viewers."""
    return role in (Role.MANAGER, Role.CLERK)


def unit_cost(pack_price: Decimal | None, pack_size: Decimal | None) -> Decimal | None:
    """The cost of one unit of issue from the pack price, to the database's four places."""
    if pack_price is None or not pack_size:
        return None
    return (pack_price / pack_size).quantize(Decimal("0.0001"))


def masked(case_id: int) -> str:
    """A viewer's name for a case: the dots and PAR Studio's own number, nothing of the label."""
    return f"{MASK} #{case_id}"


class UseRefusal(StrEnum):
    """Why a scan on the Cases screen recorded nothing."""

    NO_CASE = "no case"
    NOT_A_LABEL = "not a case label"
    UNREADABLE = "unreadable"
    NO_ITEM_NUMBER = "no item number"
    UNKNOWN = "unknown barcode"
    NEEDS_SERIAL = "needs serial"
    SERIAL_ELSEWHERE = "serial used on another case"
    SERIAL_AGAIN = "serial already on this case"
    ONE_PER_SERIAL = "one unit per serial"


class UseRefused(ValidationError):
    """A scan refused on the Cases screen: nothing was written; `reason` says which rule."""

    def __init__(self, reason: UseRefusal, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A case as the Cases screen shows it (identifier masked for viewers)."""

    id: int
    identifier: str
    location_id: int
    location_code: str
    procedure: str | None
    physician: str | None
    opened_at: datetime
    opened_by: str | None
    closed_at: datetime | None = None
    version: int = 1
    lines: int = 0
    """Use lines not voided."""
    identifier_hidden: bool = False

    @property
    def is_open(self) -> bool:
        """Whether items may still be recorded on it."""
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class UseLineRecord:
    """One item used on a case, with what the billing office needs of the item."""

    id: int
    case_id: int
    location_id: int
    item_id: int
    item_code: str
    description: str
    unit: str
    quantity: Decimal
    lot: str | None
    serial: str | None
    expiry: date | None
    unit_cost: Decimal | None
    billable: bool
    charge_code: str | None
    charge_price: Decimal | None
    used_at: datetime
    used_by: str | None
    voided: bool = False
    voided_at: datetime | None = None
    voided_by: str | None = None


@dataclass(frozen=True, slots=True)
class CaseScan:
    """What a scan on the Cases screen did: opened a case, or recorded a line on it."""

    message: str
    case: CaseRecord
    line: UseLineRecord | None = None
    opened: bool = False
    """The scan was a case label: ``case`` is now the open case (new or re-opened)."""
    created: bool = False
    """The case label was new: the case was created by this scan."""
    already_recorded: bool = False
    """The workstation sent this scan before (same client id): the line recorded then."""
    warning: str = ""
    """Recorded, and someone must act: a recalled lot or serial, or an expired lot, was used."""
