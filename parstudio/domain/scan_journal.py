"""Scans kept on a workstation while the server is unreachable: one checksummed line per scan.

A line is the entry as JSON, a tab, and the CRC-32 of the JSON in eight hex digits. The line
is whole or it is not read: a line torn by a power cut (its tail never reached the disk) fails
its checksum and is skipped and reported, and the entry after it, which always starts on a line
of its own, reads back intact. Lines written before checksums (JSON alone) are still read.
"""

from __future__ import annotations

import json
import re
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["JournalEntry", "JournalRead", "new_client_id", "parse_journal", "read_journal"]

_CHECKSUMMED = re.compile(r"^(\{.*\})\t([0-9a-f]{8})$")


def new_client_id() -> str:
    """A fresh, unique id for a scan, given as it is made (the server records an id once)."""
    return str(uuid.uuid4())


def _checksum(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One scan as the clerk made it, waiting to be sent to the server."""

    client_id: str
    count_id: int
    location_id: int
    text: str
    user_name: str
    scanned_at: datetime
    group_separator: str
    scan_adds_one: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON can hold it."""
        return {
            "client_id": self.client_id,
            "count_id": self.count_id,
            "location_id": self.location_id,
            "text": self.text,
            "user_name": self.user_name,
            "scanned_at": self.scanned_at.isoformat(),
            "group_separator": self.group_separator,
            "scan_adds_one": self.scan_adds_one,
        }

    def to_line(self) -> str:
        """The entry as one checksummed line (no newline inside: control characters escaped)."""
        body = json.dumps(self.to_dict(), ensure_ascii=True)
        return f"{body}\t{_checksum(body)}"

    @classmethod
    def from_line(cls, line: str) -> JournalEntry:
        """Read one line written by `to_line` (or an older, unchecksummed one); else ValueError."""
        line = line.rstrip("\r\n")
        matched = _CHECKSUMMED.match(line)
        if matched is not None:
            body, checksum = matched.groups()
            if _checksum(body) != checksum:
                raise ValueError("a journal line does not match its checksum")
        elif "\t" in line:
            raise ValueError("a journal line is torn")
        else:
            body = line
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("not a journal entry")
        scanned_at = datetime.fromisoformat(str(data["scanned_at"]))
        if scanned_at.tzinfo is None:
            raise ValueError("a journal entry's time has no time zone")
        adds_one = data.get("scan_adds_one")
        return cls(
            client_id=str(data["client_id"]),
            count_id=int(data["count_id"]),
            location_id=int(data["location_id"]),
            text=str(data["text"]),
            user_name=str(data["user_name"]),
            scanned_at=scanned_at,
            group_separator=str(data["group_separator"]),
            scan_adds_one=None if adds_one is None else bool(adds_one),
        )


@dataclass(frozen=True)
class JournalRead:
    """A journal file as read: its entries (each once, in order) and the lines that were torn."""

    entries: list[JournalEntry] = field(default_factory=list)
    torn: list[str] = field(default_factory=list)


def read_journal(text: str) -> JournalRead:
    """The entries of a journal file, and the lines that could not be read.

    A torn line (the computer stopped while writing it) is skipped and returned to be reported;
    an entry repeated (written twice) is kept once.
    """
    read = JournalRead()
    seen: set[str] = set()
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            entry = JournalEntry.from_line(line)
        except (ValueError, KeyError, TypeError):
            read.torn.append(line)
            continue
        if entry.client_id not in seen:
            seen.add(entry.client_id)
            read.entries.append(entry)
    return read


def parse_journal(text: str) -> tuple[list[JournalEntry], int]:
    """The entries of a journal file, and how many lines could not be read."""
    read = read_journal(text)
    return read.entries, len(read.torn)
