"""The count screen's banner while the server is unreachable, and the timer that sends kept scans.

Scans the server cannot take go to the workstation's scan journal (services/counting/journal.py);
the banner says so and how many wait, and every few seconds the journal is replayed until the
server takes them all.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from parstudio.domain.scan_journal import JournalEntry
from parstudio.services.core.database import Database
from parstudio.services.counting.journal import ReplayResult, ScanJournal

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
        self.hide()

    @property
    def waiting(self) -> int:
        """How many scans wait in the journal (as of the last keep or replay)."""
        return self._waiting

    @property
    def offline(self) -> bool:
        """Whether scans are being kept locally (new scans must join the queue, in order)."""
        return self._waiting > 0

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

    def retry(self) -> ReplayResult | None:
        """Send the kept scans if the server is back; None if there was nothing to send."""
        if not self.journal.entries():
            self._show_waiting(0)
            return None
        try:
            result = self.journal.replay(self._db)
        except OSError as exc:  # the journal itself could not be rewritten: try again later
            self.setText(f"{UNREACHABLE}\nThe scan journal could not be updated: {exc}")
            return None
        self._show_waiting(result.waiting)
        if result.sent or result.refused or result.already:
            self.replayed.emit(result)
        return result

    def resume(self) -> ReplayResult | None:
        """On opening a count: send what an earlier session kept, or go on waiting for it."""
        self._waiting = len(self.journal.entries())
        return self.retry()

    def _show_waiting(self, waiting: int) -> None:
        self._waiting = waiting
        if waiting == 0:
            self.timer.stop()
            self.hide()
            return
        scans = "1 scan is" if waiting == 1 else f"{waiting} scans are"
        self.setText(f"{UNREACHABLE}\n{scans} waiting to be sent. Trying again every few seconds.")
        self.show()
        if not self.timer.isActive():
            self.timer.start()

    def stop(self) -> None:
        """Stop retrying (the screen is going away; the journal stays for the next opening)."""
        self.timer.stop()
