"""Scans kept on a workstation while the server is unreachable: one JSON line per scan."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

__all__ = ["JournalEntry", "new_client_id", "parse_journal"]


def new_client_id() -> str:
    """A fresh, unique id for a scan kept locally (the server stores it to record it once)."""
    return str(uuid.uuid4())


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

    def to_line(self) -> str:
        """The entry as one line of JSON (no newline inside: scanned control characters escaped)."""
        return json.dumps(
            {
                "client_id": self.client_id,
                "count_id": self.count_id,
                "location_id": self.location_id,
                "text": self.text,
                "user_name": self.user_name,
                "scanned_at": self.scanned_at.isoformat(),
                "group_separator": self.group_separator,
                "scan_adds_one": self.scan_adds_one,
            },
            ensure_ascii=True,
        )

    @classmethod
    def from_line(cls, line: str) -> JournalEntry:
        """Read one line written by `to_line`; ValueError if it is not one."""
        data = json.loads(line)
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


def parse_journal(text: str) -> tuple[list[JournalEntry], int]:
    """The entries of a journal file, and how many lines could not be read.

    Only the last line can be torn (the computer stopped while writing it), and that scan was
    never acknowledged, so it is skipped; an entry repeated (written twice) is kept once.
    """
    entries: list[JournalEntry] = []
    seen: set[str] = set()
    unreadable = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            entry = JournalEntry.from_line(line)
        except (ValueError, KeyError, TypeError):
            unreadable += 1
            continue
        if entry.client_id not in seen:
            seen.add(entry.client_id)
            entries.append(entry)
    return entries, unreadable
