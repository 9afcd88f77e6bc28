"""A workstation's journal of scans made while the server was unreachable, and its replay.

Each scan is appended to a JSON-lines file in the data folder and fsync'd before the screen
says it is kept. Replaying sends the scans in the order they were made, each with its client
id: the server skips an id it already holds, so a replay cut off halfway (or run twice) counts
every scan once. A scan the server refuses for good (its count was finished meanwhile, say) is
moved to a "refused" file beside the journal, never silently dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from parstudio.domain.counting import ScanOutcome
from parstudio.domain.errors import ConnectionLostError, DuplicateError, ParStudioError
from parstudio.domain.scan_journal import JournalEntry, new_client_id, parse_journal
from parstudio.services.core.database import Database, data_folder
from parstudio.services.counting.scans import record_scan

__all__ = ["ReplayResult", "ScanJournal", "journal_for"]


@dataclass
class ReplayResult:
    """What one replay of the journal did."""

    sent: list[tuple[JournalEntry, ScanOutcome]] = field(default_factory=list)
    already: int = 0  # scans the server already held (a replay cut off before)
    refused: list[tuple[JournalEntry, str]] = field(default_factory=list)
    waiting: int = 0  # scans still in the journal (the connection went away again)

    @property
    def complete(self) -> bool:
        """Whether the journal is empty now."""
        return self.waiting == 0


class ScanJournal:
    """The journal file of one database on this computer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.refused_path = path.with_name(path.stem + "-refused.jsonl")
        self.lock_path = path.with_name(path.stem + ".lock")

    def entries(self) -> list[JournalEntry]:
        """The scans waiting to be sent, oldest first."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return parse_journal(text)[0]

    def __len__(self) -> int:
        return len(self.entries())

    def keep(
        self,
        db: Database,
        *,
        count_id: int,
        location_id: int,
        text: str,
        group_separator: str,
        scan_adds_one: bool | None = None,
    ) -> JournalEntry:
        """Append a scan to the journal, on disk (fsync'd) before this returns."""
        entry = JournalEntry(
            client_id=new_client_id(),
            count_id=count_id,
            location_id=location_id,
            text=text,
            user_name=db.user_name,
            scanned_at=datetime.now(UTC),
            group_separator=group_separator,
            scan_adds_one=scan_adds_one,
        )
        with self._locked():
            new_file = not self.path.exists()
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(entry.to_line() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            if new_file:
                _fsync_folder(self.path.parent)  # so the new file's name survives a power cut
        return entry

    def replay(self, db: Database) -> ReplayResult:
        """Send the waiting scans in order; stops (keeping the rest) if the server goes again."""
        entries = self.entries()
        result = ReplayResult()
        done: set[str] = set()
        try:
            for entry in entries:
                try:
                    outcome = record_scan(
                        db,
                        count_id=entry.count_id,
                        text=entry.text,
                        group_separator=entry.group_separator,
                        today=entry.scanned_at.astimezone().date(),
                        scan_adds_one=entry.scan_adds_one,
                        client_id=entry.client_id,
                        scanned_at=entry.scanned_at,
                        scanned_by=entry.user_name,
                    )
                except ConnectionLostError:
                    break
                except DuplicateError:
                    result.already += 1  # another replay recorded it at the same moment
                except ParStudioError as exc:
                    self._refuse(entry, str(exc))
                    result.refused.append((entry, str(exc)))
                else:
                    if outcome.already_recorded:
                        result.already += 1
                    else:
                        result.sent.append((entry, outcome))
                done.add(entry.client_id)
        finally:
            # Even if this rewrite never happens, the ids make the next replay skip what was sent.
            if done:
                result.waiting = self._rewrite(done)
            else:
                result.waiting = len(entries)
        return result

    def _rewrite(self, done: set[str]) -> int:
        """Drop the scans in `done` from the journal; returns how many still wait.

        The file is read again under the lock, so a scan another window on this computer kept
        meanwhile stays; the new journal replaces the old in one rename.
        """
        with self._locked():
            remaining = [entry for entry in self.entries() if entry.client_id not in done]
            if not remaining:
                self.path.unlink(missing_ok=True)
                return 0
            scratch = self.path.with_suffix(".tmp")
            with scratch.open("w", encoding="utf-8") as handle:
                handle.writelines(entry.to_line() + "\n" for entry in remaining)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(scratch, self.path)
            _fsync_folder(self.path.parent)
            return len(remaining)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold this journal's lock (two windows of PAR Studio on one computer share it)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock_path.open("a+b") as handle:
            if sys.platform == "win32":  # pragma: no cover - Windows
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                try:
                    yield
                finally:
                    handle.seek(0)
                    msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _refuse(self, entry: JournalEntry, reason: str) -> None:
        with self.refused_path.open("a", encoding="utf-8") as handle:
            handle.write(entry.to_line()[:-1] + f', "refused": {json.dumps(reason)}}}\n')
            handle.flush()
            os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def journal_for(db: Database, folder: Path | None = None) -> ScanJournal:
    """The journal of this database on this computer (one file per database, by its address)."""
    address = make_url(db.url).render_as_string(hide_password=True)
    digest = hashlib.sha256(address.encode("utf-8")).hexdigest()[:12]
    return ScanJournal((folder or data_folder()) / f"scan-journal-{digest}.jsonl")
