"""A workstation's journal of scans made while the server was unreachable, and its replay.

Each scan is appended to a file of checksummed lines in the data folder (always starting on a
line of its own) and fsync'd before the screen says it is kept. Every scan carries the client
id it was given when it was made, online or kept: the server skips an id it already holds, so a
scan whose commit reached the server but whose reply was lost, a replay cut off halfway, or one
run twice, each count every scan once. A scan the server refuses for good (its count was
finished meanwhile, say) is moved to a "refused" file beside the journal, never silently
dropped; a line torn by a power cut is moved to a "torn" file and reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from parstudio.domain.counting import ScanOutcome
from parstudio.domain.errors import ConnectionLostError, DuplicateError, ParStudioError
from parstudio.domain.scan_journal import JournalEntry, JournalRead, new_client_id, read_journal
from parstudio.services.core.database import Database, data_folder
from parstudio.services.core.urls import same_database_key
from parstudio.services.counting.scans import record_scan

__all__ = ["ReplayResult", "ScanJournal", "journal_for"]


@dataclass
class ReplayResult:
    """What one replay of the journal did."""

    sent: list[tuple[JournalEntry, ScanOutcome]] = field(default_factory=list)
    already: int = 0  # scans the server already held (a replay cut off before)
    refused: list[tuple[JournalEntry, str]] = field(default_factory=list)
    waiting: int = 0  # scans still in the journal (the connection went away again)
    torn: int = 0  # lines torn by a power cut, moved to the torn file

    @property
    def complete(self) -> bool:
        """Whether the journal is empty now."""
        return self.waiting == 0


class ScanJournal:
    """The journal file of one database on this computer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.refused_path = path.with_name(path.stem + "-refused.jsonl")
        self.torn_path = path.with_name(path.stem + "-torn.txt")
        self.lock_path = path.with_name(path.stem + ".lock")

    def read(self) -> JournalRead:
        """The scans waiting to be sent, oldest first, and any lines torn by a power cut."""
        try:
            text = self.path.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return JournalRead()
        return read_journal(text)

    def entries(self) -> list[JournalEntry]:
        """The scans waiting to be sent, oldest first."""
        return self.read().entries

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
        client_id: str | None = None,
        scanned_at: datetime | None = None,
    ) -> JournalEntry:
        """Append a scan to the journal, on disk (fsync'd) before this returns.

        A scan first sent online keeps the `client_id` (and time) it was sent with, so if that
        send did reach the server, the replay finds it there and does not count it again.
        """
        entry = JournalEntry(
            client_id=client_id or new_client_id(),
            count_id=count_id,
            location_id=location_id,
            text=text,
            user_name=db.user_name,
            scanned_at=scanned_at or datetime.now(UTC),
            group_separator=group_separator,
            scan_adds_one=scan_adds_one,
        )
        self.keep_entry(entry)
        return entry

    def keep_entry(self, entry: JournalEntry) -> None:
        """Append an entry on a line of its own, on disk (fsync'd) before this returns."""
        with self._locked():
            self._append_entries([entry])

    def _append_entries(self, entries: list[JournalEntry]) -> None:
        """Append entries (the lock held), each on a line of its own, fsync'd."""
        lines = "".join(entry.to_line() + "\n" for entry in entries).encode("utf-8")
        new_file = not self.path.exists()
        with self.path.open("a+b") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() > 0:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":  # the last line was torn: never join it
                    lines = b"\n" + lines
            handle.write(lines)
            handle.flush()
            os.fsync(handle.fileno())
        if new_file:
            _fsync_folder(self.path.parent)  # so the new file's name survives a power cut

    def set_aside_for(self, location_id: int) -> list[tuple[JournalEntry, str]]:
        """The scans of a location set aside (refused by the server), with why."""
        return [(entry, why) for entry, why in self.refused() if entry.location_id == location_id]

    def count_set_aside(self, *, location_id: int, count_id: int) -> int:
        """Put a location's set-aside scans back in the journal, to be sent into `count_id`.

        The user's decision for scans refused because their count was finished: count them in
        the location's new count. They keep their ids, so they are still counted only once.
        """
        with self._locked():
            found = self.refused()
            taken = [entry for entry, _why in found if entry.location_id == location_id]
            if not taken:
                return 0
            self._append_entries([replace(entry, count_id=count_id) for entry in taken])
            rest = [(entry, why) for entry, why in found if entry.location_id != location_id]
            scratch = self.refused_path.with_suffix(".tmp")
            with scratch.open("w", encoding="utf-8") as handle:
                handle.writelines(_refused_line(entry, why) for entry, why in rest)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(scratch, self.refused_path)
            _fsync_folder(self.refused_path.parent)
            return len(taken)

    def replay(
        self, db: Database, progress: Callable[[int, int], None] | None = None
    ) -> ReplayResult:
        """Send the waiting scans in order; stops (keeping the rest) if the server goes again.

        `progress(sent, total)` is told after each scan (replay runs off the screen's thread).
        """
        read = self.read()
        entries = read.entries
        result = ReplayResult(torn=len(read.torn))
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
                    )
                except ConnectionLostError:
                    break
                except DuplicateError:
                    result.already += 1  # another replay recorded it at the same moment
                except ParStudioError as exc:
                    self.refuse(entry, str(exc))
                    result.refused.append((entry, str(exc)))
                else:
                    if outcome.already_recorded:
                        result.already += 1
                    else:
                        result.sent.append((entry, outcome))
                done.add(entry.client_id)
                if progress is not None:
                    progress(len(done), len(entries))
        finally:
            # Even if this rewrite never happens, the ids make the next replay skip what was sent.
            if done or read.torn:
                result.waiting = self._rewrite(done)
            else:
                result.waiting = len(entries)
        return result

    def _rewrite(self, done: set[str]) -> int:
        """Drop the scans in `done` from the journal; returns how many still wait.

        The file is read again under the lock, so a scan another window on this computer kept
        meanwhile stays; the new journal replaces the old in one rename. Torn lines go to the
        torn file first, so nothing once written is ever thrown away.
        """
        with self._locked():
            read = self.read()
            if read.torn:
                _append(self.torn_path, "".join(line + "\n" for line in read.torn))
            remaining = [entry for entry in read.entries if entry.client_id not in done]
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

    def refuse(self, entry: JournalEntry, reason: str) -> None:
        """Set a scan aside for the user to decide about, with why the server refused it."""
        with self._locked():
            _append(self.refused_path, _refused_line(entry, reason))

    def refused(self) -> list[tuple[JournalEntry, str]]:
        """The scans set aside, with why, oldest first."""
        try:
            lines = self.refused_path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        found = []
        for line in lines:
            try:
                data = json.loads(line)
                reason = str(data.pop("refused", ""))
                entry = JournalEntry.from_line(json.dumps(data))
            except (ValueError, KeyError, TypeError):
                continue
            found.append((entry, reason))
        return found


def _refused_line(entry: JournalEntry, reason: str) -> str:
    return json.dumps({**entry.to_dict(), "refused": reason}, ensure_ascii=True) + "\n"


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
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
    """The journal of this database on this computer: one file per database, however spelt.

    The file is named after the server and database (see `same_database_key`), so opening it
    as postgresql:// or postgresql+psycopg://, by localhost or 127.0.0.1, finds the same kept
    scans. A journal an older PAR Studio named after the address as typed is taken over.
    """
    folder = folder or data_folder()
    journal = ScanJournal(folder / f"scan-journal-{_digest(same_database_key(db.url))}.jsonl")
    typed = make_url(db.url).render_as_string(hide_password=True)
    older = ScanJournal(folder / f"scan-journal-{_digest(typed)}.jsonl")
    if older.path != journal.path and older.path.exists():
        with older._locked():
            for entry in older.entries():
                journal.keep_entry(entry)
            older.path.unlink()
    return journal


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
