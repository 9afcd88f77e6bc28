"""Plain records of a count in progress: the sheet, its lines, what a scan did, the review."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from parstudio.domain.enums import CountType

__all__ = [
    "CountLocation",
    "CountReview",
    "CountSheet",
    "CountSheetLine",
    "ScanFlag",
    "ScanKind",
    "ScanOutcome",
    "UnmatchedScan",
    "Variance",
    "flag_label",
    "variance_of",
]


class ScanKind(StrEnum):
    """What a scan turned out to be."""

    ITEM = "ITEM"
    BIN = "BIN"
    LOCATION = "LOCATION"
    UNKNOWN = "UNKNOWN"
    UNREADABLE = "UNREADABLE"
    TYPED = "TYPED"


class ScanFlag(StrEnum):
    """Why a scanned unit must not go back on the shelf."""

    EXPIRED = "EXPIRED"
    RECALLED = "RECALLED"


def flag_label(flag: str, lot: str | None, serial: str | None = None) -> str:
    """What a count line shows of a flagged scan: "RECALLED L123", "RECALLED SN 9001",
    "RECALLED L123 SN 9001" (a unit with both), or the flag alone."""
    parts = [str(flag), *([lot] if lot else []), *([f"SN {serial}"] if serial else [])]
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class CountSheetLine:
    """One PAR setting of the location as the count screen shows it."""

    setting_id: int
    item_id: int
    item_code: str
    description: str
    unit: str
    bin: str | None
    count_type: CountType
    expected: Decimal | None
    counted: Decimal | None = None
    lot: str | None = None
    expiry: date | None = None
    flags: tuple[str, ...] = ()
    """Problems seen while scanning this line, e.g. "EXPIRED L123" or "RECALLED B7"."""

    @property
    def is_counted(self) -> bool:
        """Whether a quantity has been recorded for this line in this count."""
        return self.counted is not None

    @property
    def to_count(self) -> bool:
        """Whether the line must be counted: ON HAND lines; two-bin and requisition lines are
        recorded only when a bin is empty or something is wanted."""
        return self.count_type == CountType.ON_HAND

    def with_count(self, counted: Decimal | None) -> CountSheetLine:
        """This line with another counted quantity."""
        return replace(self, counted=counted)


@dataclass(frozen=True, slots=True)
class CountSheet:
    """An open count at one location with every line to count, in bin order."""

    count_id: int
    location_id: int
    location_code: str
    location_name: str
    blind: bool
    scan_adds_one: bool
    started_at: datetime
    counted_by: str | None
    lines: tuple[CountSheetLine, ...]
    resumed: bool = False

    @property
    def counted(self) -> int:
        """How many lines to count have a quantity."""
        return sum(1 for line in self.lines if line.to_count and line.is_counted)

    @property
    def to_count(self) -> int:
        """How many lines are to be counted."""
        return sum(1 for line in self.lines if line.to_count)


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """What one scan (or typed quantity, or undo) did, for the screen to acknowledge."""

    kind: ScanKind
    message: str
    line: CountSheetLine | None = None
    warning: bool = False
    needs_quantity: bool = False
    scan_id: int | None = None
    changed: bool = False
    already_recorded: bool = False  # a journalled scan the server already held: not recorded again


@dataclass(frozen=True, slots=True)
class UnmatchedScan:
    """A scan whose barcode matched no item, waiting to be linked to one."""

    scan_id: int
    count_id: int
    location_code: str
    raw: str
    code: str
    recorded_at: datetime
    recorded_by: str | None


@dataclass(frozen=True, slots=True)
class Variance:
    """A counted line further from its expected quantity than the tolerance allows."""

    line: CountSheetLine
    expected: Decimal
    counted: Decimal
    difference: Decimal
    percent: Decimal


@dataclass(frozen=True, slots=True)
class CountReview:
    """What finishing a count would leave behind: lines never counted, large variances."""

    count_id: int
    location_id: int
    location_code: str
    counted: int
    to_count: int
    uncounted: tuple[CountSheetLine, ...]
    variances: tuple[Variance, ...]
    tolerance_pct: Decimal
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        """Whether the count is closed."""
        return self.finished_at is not None


def variance_of(line: CountSheetLine, tolerance_pct: Decimal) -> Variance | None:
    """The line's variance when an ON HAND count is off its expected by more than tolerance %."""
    if line.count_type != CountType.ON_HAND or line.counted is None:
        return None
    if line.expected is None or line.expected <= 0:
        return None
    difference = line.counted - line.expected
    percent = (abs(difference) * 100 / line.expected).quantize(Decimal("0.1"))
    if percent <= tolerance_pct:
        return None
    return Variance(line, line.expected, line.counted, difference, percent)


@dataclass(frozen=True, slots=True)
class CountLocation:
    """A location as the Count page lists it: its lines, its open count, its last count."""

    location_id: int
    code: str
    name: str
    kind: str
    lines: int
    open_count_id: int | None = None
    open_started_at: datetime | None = None
    open_counted_by: str | None = None
    open_lines_counted: int = 0
    last_finished_at: datetime | None = None
