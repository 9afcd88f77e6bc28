"""The count screen's banner while the server is unreachable, and the timer that sends kept scans.

Scans the server cannot take go to the workstation's scan journal (services/counting/journal.py);
the banner says so and how many wait, and every few seconds the journal is replayed until the
server takes them all. The replay runs off the screen's thread (thousands of kept scans take a
while), with its progress in the banner; scans made meanwhile join the journal behind it.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from parstudio.domain.errors import ConnectionLostError, ParStudioError, SignInError
from parstudio.domain.progress import Progress
from parstudio.domain.scan_journal import JournalEntry
from parstudio.services.core.database import Database
from parstudio.services.counting.journal import ReplayResult, ScanJournal
from parstudio.ui.kit.background import Receiver, Task
from parstudio.ui.kit.errors import show_error

__all__ = ["RETRY_MS", "OfflineBanner"]

RETRY_MS = 5000
BANNER_STYLE = (
    "QLabel { font-size: 15pt; font-weight: bold; padding: 8px 12px; background: #fff4ce;"
    " color: #5c3c00; border: 2px solid #e0a800; border-radius: 4px; }"
)
UNREACHABLE = (
    "Server unreachable — scans are being kept on this computer and will be sent when it is back."
)


class OfflineBanner(QLabel):
    """A non-modal banner shown while scans wait in the local journal; it retries on a timer."""

    replayed = Signal(object)  # a ReplayResult, after kept scans were sent (some or all)
    server_back = Signal()  # the server answers again, nothing having been kept meanwhile
    sign_in_needed = Signal()  # the server is back, but nobody is signed in to send the scans

    def __init__(self, db: Database, journal: ScanJournal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.journal = journal
        self.setObjectName("offlineBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self.retry)
        self._waiting = 0
        self._task: Task | None = None
        self._away = False  # opened while the server was unreachable, nothing kept yet
        self._sheet_note = ""  # opened from the sheet last seen here: from when
        self.hide()

    @property
    def waiting(self) -> int:
        """How many scans wait in the journal (as of the last keep or replay)."""
        return self._waiting

    @property
    def offline(self) -> bool:
        """Whether scans are being kept locally (new scans must join the queue, in order)."""
        return self._waiting > 0 or self._away

    def away(self, kept_at: datetime | None = None) -> None:
        """The count was opened while the server was unreachable: keep every scan from the start."""
        self._away = True
        when = f" ({kept_at.astimezone():%d %b %Y %H:%M})" if kept_at is not None else ""
        self._sheet_note = f"\nCounting from the sheet this computer saw last{when}."
        self.setText(UNREACHABLE + self._sheet_note)
        self.show()
        if not self.timer.isActive():
            self.timer.start()

    def keep(
        self,
        *,
        count_id: int,
        location_id: int,
        text: str,
        group_separator: str,
        scan_adds_one: bool | None,
    ) -> JournalEntry:
        """Keep a scan in the journal (on disk before this returns) and show the banner."""
        entry = self.journal.keep(
            self._db,
            count_id=count_id,
            location_id=location_id,
            text=text,
            group_separator=group_separator,
            scan_adds_one=scan_adds_one,
        )
        self._show_waiting(self._waiting + 1)
        return entry

    def keep_entry(self, entry: JournalEntry) -> None:
        """Keep a scan made (and perhaps already sent once) under its own client id."""
        self.journal.keep_entry(entry)
        self._show_waiting(self._waiting + 1)

    @property
    def replaying(self) -> bool:
        """Whether kept scans are being sent right now (in the background)."""
        return self._task is not None

    def retry(self) -> None:
        """Send the kept scans in the background if the server is back (`replayed` says how)."""
        if self._task is not None:
            return
        if not self.journal.entries():
            if self._away:
                self._probe()
            else:
                self._show_waiting(0)
            return
        db, journal = self._db, self.journal

        def job(progress: Progress) -> ReplayResult | None:
            try:
                db.finish_opening()  # a station started without the server: check it first
            except ConnectionLostError:
                return ReplayResult(waiting=len(journal.entries()))
            except SignInError:
                return None  # the --user password no longer holds: ask
            if db.sign_in_required:
                return None  # nobody to send them as: ask who is counting first
            return journal.replay(db, progress=progress)

        task = self._task = Task(job)
        task.receiver = Receiver(  # type: ignore[attr-defined]
            task,
            self,
            on_progress=self._sending,
            on_done=self._replayed,
            on_error=self._replay_failed,
        )
        task.start()

    def _probe(self) -> None:
        """Nothing kept yet since opening without the server: see whether it is back."""
        db = self._db

        def job(_progress: Progress) -> bool:
            with db.reading() as session:
                session.connection().exec_driver_sql("SELECT 1")
            try:
                db.finish_opening()
            except SignInError:
                return False
            return not db.sign_in_required

        task = self._task = Task(job)
        task.receiver = Receiver(  # type: ignore[attr-defined]
            task, self, on_done=self._back, on_error=self._still_away
        )
        task.start()

    def _back(self, signed_in: object) -> None:
        self._task = None
        if not signed_in:
            self.sign_in_needed.emit()
            return
        self._away = False
        self._show_waiting(self._waiting)
        self.server_back.emit()

    def _still_away(self, _exc: BaseException) -> None:
        self._task = None

    def resume(self) -> None:
        """On opening a count: send what an earlier session kept, or go on waiting for it."""
        self._waiting = len(self.journal.entries())
        self.retry()

    def _sending(self, sent: int, total: int) -> None:
        if total > 1:
            self.setText(f"Sending the scans kept on this computer: {sent:,} of {total:,}…")
            self.show()

    def _replayed(self, result: ReplayResult | None) -> None:
        self._task = None
        if result is None:
            self.sign_in_needed.emit()
            return
        if result.sent or result.already or result.refused:
            self._away = False  # the server answered
        self._show_waiting(result.waiting)
        if result.sent or result.refused or result.already or result.torn:
            self.replayed.emit(result)
            if result.waiting:  # scanned while these were sent: send those now, in order
                self.retry()

    def _replay_failed(self, exc: BaseException) -> None:
        self._task = None
        if not isinstance(exc, OSError | ParStudioError):
            show_error(self, exc)  # logged, with details to copy
        # The journal itself could not be read or rewritten: say so, and try again later.
        self._show_waiting(max(self._waiting, 1))
        self.setText(f"{UNREACHABLE}\nThe scan journal could not be updated: {exc}")

    def _show_waiting(self, waiting: int) -> None:
        self._waiting = waiting
        if waiting == 0 and not self._away:
            self.timer.stop()
            self.hide()
            return
        scans = "1 scan is" if waiting == 1 else f"{waiting} scans are"
        note = self._sheet_note if self._away else ""
        self.setText(
            f"{UNREACHABLE}\n{scans} waiting to be sent. Trying again every few seconds.{note}"
        )
        self.show()
        if not self.timer.isActive():
            self.timer.start()

    def stop(self) -> None:
        """Stop retrying (the screen is going away; the journal stays for the next opening)."""
        self.timer.stop()
