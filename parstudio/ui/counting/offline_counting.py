"""The count screen's offline side: scans kept while the server is away, and their hand-off.

A base of `CountScreen`: it opens from the sheet last seen here when the server cannot be
reached, keeps scans in this computer's journal, shows what the offline banner's replay did,
and offers the scans set aside because their count had been finished.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from parstudio.domain.barcodes import GS
from parstudio.domain.counting import CountSheet
from parstudio.domain.errors import ConnectionLostError, ParStudioError
from parstudio.domain.scan_journal import JournalEntry
from parstudio.services.counting import scans as counting
from parstudio.services.counting.journal import ReplayResult, ScanJournal
from parstudio.services.counting.sheet_cache import last_known_sheet, remember_sheet
from parstudio.ui.counting.batch_dialog import BatchLoading

__all__ = ["OfflineCounting"]


class OfflineCounting(BatchLoading):
    """Counting while the server is away: a base of `CountScreen`, on its batch loading."""

    # The screen's own journal (`BatchLoading` declares the rest the offline side uses).
    _journal: ScanJournal

    def _open_sheet(self, location_id: int) -> tuple[CountSheet, datetime | None]:
        """The location's open count; while the server is away, the sheet last seen here."""
        folder = self._journal.path.parent
        try:
            sheet = counting.open_count(self._db, location_id=location_id)
        except ConnectionLostError as exc:
            known = last_known_sheet(self._db, location_id, folder)
            if known is None:
                raise ConnectionLostError(
                    f"{exc} This computer has not counted this location before, so it has no "
                    "sheet to count from until the server is back."
                ) from exc
            return known
        with contextlib.suppress(OSError):  # only a help for a later outage
            remember_sheet(self._db, sheet, folder)
        return sheet, None

    def _entry(self, text: str, client_id: str, scanned_at: datetime) -> JournalEntry:
        return JournalEntry(
            client_id=client_id,
            count_id=self.sheet.count_id,
            location_id=self.sheet.location_id,
            text=text,
            user_name=self._db.user_name,
            scanned_at=scanned_at,
            group_separator=self.scanner.group_separator,
            scan_adds_one=self.scanner.scan_adds_one,
        )

    def _keep(self, text: str, client_id: str, scanned_at: datetime) -> None:
        """Keep a scan in this computer's journal while the server is unreachable."""
        try:
            self.offline_banner.keep_entry(self._entry(text, client_id, scanned_at))
        except OSError as exc:
            self.show_message(
                f"The server is unreachable and the scan could not be kept on this computer "
                f"either ({exc}). It was NOT recorded: scan it again when the server is back.",
                error=True,
            )
            self.beep()
            return
        shown = text.strip().replace(GS, "<GS>")
        self.show_message(
            f"Kept on this computer: {shown}. It is counted when the server is back "
            f"({self.offline_banner.waiting} waiting)."
        )

    def _set_aside(self, text: str, client_id: str, scanned_at: datetime, reason: str) -> None:
        """A scan refused because the count was finished meanwhile: kept for the user to decide."""
        self.beep()
        shown = text.strip().replace(GS, "<GS>")
        try:
            self._journal.refuse(self._entry(text, client_id, scanned_at), reason)
        except OSError as exc:
            self.show_message(f"{reason} The scan {shown} was NOT counted ({exc}).", error=True)
            return
        self.show_message(
            f"{reason} The scan {shown} was not counted; it is kept in "
            f"{self._journal.refused_path} for you to decide (scan it again in a new count).",
            error=True,
        )

    def _journal_replayed(self, result: ReplayResult) -> None:
        """Show what the kept scans did once the server took them."""
        for entry, outcome in result.sent:
            if entry.count_id == self.sheet.count_id and outcome.line is not None:
                self.model.update_line(outcome.line)
        if result.already:  # sent before the connection dropped: show the line as it stands
            try:
                self.sheet = counting.get_count_sheet(self._db, count_id=self.sheet.count_id)
                self.model.set_lines(self.sheet.lines)
            except ParStudioError:
                pass  # the lines shown stay as they were; the next scan repaints its own
        self._refresh_tally()
        self._refresh_unmatched()
        torn = (
            f" {result.torn} line(s) of the journal were cut off by a power cut while being "
            f"written and were skipped (kept in {self._journal.torn_path})."
            if result.torn
            else ""
        )
        if result.refused:
            first = result.refused[0][1]
            self.show_message(
                f"{len(result.refused)} kept scan(s) could not be recorded: {first} They are "
                f"listed in {self._journal.refused_path}.{torn}",
                error=True,
            )
        elif result.complete:
            sent = len(result.sent) + result.already
            self.show_message(
                f"The server is back: {sent} kept scan(s) sent and counted.{torn}", error=bool(torn)
            )
        else:
            self.show_message(
                f"{len(result.sent)} kept scan(s) sent; the rest are still waiting.{torn}",
                error=bool(torn),
            )

    def _show_set_aside(self) -> int:
        """Show the button for this location's set-aside scans, if any; how many there are."""
        try:
            waiting = len(self._journal.set_aside_for(self.sheet.location_id))
        except OSError:
            waiting = 0
        self.set_aside_button.setText(f"Count {waiting} set-aside scan(s) here…")
        self.set_aside_button.setVisible(waiting > 0 and not self._finished)
        return waiting

    def count_set_aside_here(self) -> None:
        """The user's decision: count this location's set-aside scans in this count."""
        try:
            moved = self._journal.count_set_aside(
                location_id=self.sheet.location_id, count_id=self.sheet.count_id
            )
        except OSError as exc:
            self.show_message(f"The set-aside scans could not be read ({exc}).", error=True)
            return
        self._show_set_aside()
        if moved:
            self.show_message(f"Counting {moved} set-aside scan(s) in this count…")
            self.offline_banner.resume()

    def _server_back(self) -> None:
        """Opened without the server, and it is back: show the count as the server has it."""
        if self._show_sheet(
            lambda: counting.open_count(self._db, location_id=self.sheet.location_id)
        ):
            self.show_message("The server is back: the sheet shows the count as it has it.")

    def _refuse_while_offline(self, what: str) -> bool:
        """Whether to refuse an action that must wait until the kept scans are sent."""
        if not self.offline_banner.offline:
            return False
        self.show_message(
            f"{what} waits until the server is back and the kept scans are sent.", error=True
        )
        return True
