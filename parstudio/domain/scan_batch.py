"""Reading a handheld scanner's batch export: the scans it kept in memory, one a line.

Cordless scanners in batch (memory) mode keep what they scan and export it when docked, as a
text file. The usual layouts are read:

- one barcode a line;
- `barcode,quantity` (the quantity keyed in on the handheld);
- `barcode,quantity,time` (or `barcode,quantity,date,time`);
- the same with a tab or a semicolon between the fields, and a header line (`barcode,qty…`).

Each line gets a stable id made from the file's bytes and its line number, so loading the
same file again does not record any scan twice.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from datetime import datetime

__all__ = ["BatchLine", "BatchProblem", "ScanBatch", "read_batch"]

_DELIMITERS = ("\t", ";", ",")
_HEADER_WORDS = {"barcode", "code", "data", "scan", "item", "upc", "ean", "gtin"}
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
)
_MAX_QUANTITY = 100_000


@dataclass(frozen=True, slots=True)
class BatchLine:
    """One scan of the file: where it is, what was scanned, how many, and when."""

    line_no: int
    barcode: str
    quantity: int | None  # None: no quantity given (one scan, as if scanned live)
    scanned_at: datetime | None
    client_id: str


@dataclass(frozen=True, slots=True)
class BatchProblem:
    """A line that cannot be read, and why (nothing of it is recorded)."""

    line_no: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class ScanBatch:
    """What a batch file holds: its readable scans and the lines it could not read."""

    lines: tuple[BatchLine, ...]
    problems: tuple[BatchProblem, ...]
    digest: str


def read_batch(data: bytes, *, scope: str = "") -> ScanBatch:
    """Read a batch export (bytes as saved); `scope` (e.g. the location) goes into each
    line's id, so the same file loaded at another location counts there too."""
    digest = hashlib.sha256(scope.encode("utf-8") + b"\0" + data).hexdigest()
    text = _decode(data)
    lines: list[BatchLine] = []
    problems: list[BatchProblem] = []
    # Not str.splitlines(): it would also split at the group separator (ASCII 29) of a GS1 scan.
    rows = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line_no, raw in enumerate(rows, start=1):
        if not raw.strip(" "):
            continue
        # Trailing blanks stay with the barcode: an HIBC check character may be a space, and
        # decoding the scan drops blanks that are not one.
        row = raw.lstrip(" ")
        fields = _split(row)
        if line_no == 1 and _is_header(fields):
            continue
        barcode = fields[0].lstrip()
        if not barcode.strip():
            problems.append(BatchProblem(line_no, raw, "The line has no barcode."))
            continue
        try:
            quantity = _quantity(fields[1]) if len(fields) > 1 and fields[1].strip() else None
            scanned_at = _time(fields[2:]) if len(fields) > 2 else None
        except ValueError as exc:
            problems.append(BatchProblem(line_no, raw, str(exc)))
            continue
        client_id = f"{digest[:28]}:{line_no:07d}"
        lines.append(BatchLine(line_no, barcode, quantity, scanned_at, client_id))
    return ScanBatch(tuple(lines), tuple(problems), digest)


def _decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else Latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _split(row: str) -> list[str]:
    """The line's fields, split at the first delimiter of tab, semicolon, comma it holds."""
    for delimiter in _DELIMITERS:
        if delimiter in row:
            return next(csv.reader([row], delimiter=delimiter))
    return [row]


def _is_header(fields: list[str]) -> bool:
    return fields[0].strip().lower() in _HEADER_WORDS


def _quantity(text: str) -> int:
    value = text.strip()
    if not value.isdecimal():
        raise ValueError(f"The quantity “{value}” is not a whole number.")
    quantity = int(value)
    if not 1 <= quantity <= _MAX_QUANTITY:
        raise ValueError(f"The quantity {quantity} is not between 1 and {_MAX_QUANTITY:,}.")
    return quantity


def _time(fields: list[str]) -> datetime | None:
    """When the scan was made: one field with date and time, or a date and a time field."""
    text = " ".join(field.strip() for field in fields[:2] if field.strip())
    if not text:
        return None
    for form in _TIME_FORMATS:
        try:
            return datetime.strptime(text, form).astimezone()
        except ValueError:
            continue
    raise ValueError(
        f"The time “{text}” is not a date and time PAR Studio reads (e.g. 2026-12-07 14:30:05)."
    )
