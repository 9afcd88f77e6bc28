"""The count screen for one location: scan or type quantities, undo, link unknown barcodes, finish.

It is a plain widget: the scanning station (`parstudio count`) shows it as its own window, and
the main window's Count page shows it inside the page.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QListWidgetItem,
    QMessageBox,
    QWidget,
)

from parstudio.domain.barcodes import GS
from parstudio.domain.counting import CountReview, CountSheet, ScanKind, ScanOutcome
from parstudio.domain.errors import ConnectionLostError, CountFinishedError, ParStudioError
from parstudio.domain.scan_effect import adds_one_here
from parstudio.domain.scan_journal import new_client_id
from parstudio.domain.scanner_input import BrokenScan, ScanEvent
from parstudio.services.core.database import Database
from parstudio.services.counting import scans as counting
from parstudio.services.counting.journal import ScanJournal, journal_for
from parstudio.services.counting.sheet_cache import forget_sheet, remember_sheet
from parstudio.ui.counting.dialogs import FinishReviewDialog, LinkDialog
from parstudio.ui.counting.offline_counting import OfflineCounting
from parstudio.ui.counting.scan_catcher import ScanCatcher
from parstudio.ui.counting.scanner_settings import ScannerSettings
from parstudio.ui.counting.sheet_model import CountSheetModel

__all__ = ["CountScreen"]


class CountScreen(OfflineCounting):
    """Count one location with a barcode scanner or by typing, every scan saved at once."""

    proposal_requested = Signal(int)
    count_finished = Signal(int)

    def __init__(
        self,
        db: Database,
        location_id: int,
        *,
        settings: QSettings | None = None,
        clock: Callable[[], float] | None = None,
        journal: ScanJournal | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._journal = journal if journal is not None else journal_for(db)
        self._qsettings = settings
        self.scanner = ScannerSettings.load(settings)
        self._finished = False
        self.sheet: CountSheet
        self.sheet, kept_at = self._open_sheet(location_id)
        self.model = CountSheetModel(self)
        self.model.set_lines(self.sheet.lines)
        self._build(db, self._journal)
        self._wire()
        self.catcher = ScanCatcher(
            self,
            max_interval_ms=self.scanner.max_interval_ms,
            clock=clock,
            fallback=self.table,
            catch_undo=True,
            typing_target=self._typing_target,
        )
        self.catcher.scanned.connect(self._scanned)
        self.catcher.broken.connect(self._broken)
        self.catcher.undo_requested.connect(self.undo_last_scan)
        self.catcher.start()
        self._refresh_tally()
        if kept_at is not None:
            self.offline_banner.away(kept_at)
            self.show_message(
                "The server cannot be reached: counting from this location's sheet as this "
                f"computer last saw it ({kept_at.astimezone():%d %b %H:%M}). Scans are kept here "
                "and counted when the server is back.",
                error=True,
            )
            self.offline_banner.replayed.connect(self._journal_replayed)
            self.offline_banner.server_back.connect(self._server_back)
            return
        self._refresh_unmatched()
        if self.sheet.resumed:
            started = self.sheet.started_at.astimezone()
            self.show_message(
                f"Count resumed where it was: started {started:%d %b %H:%M} by "
                f"{self.sheet.counted_by or 'someone'}, {self.sheet.counted} line(s) counted. "
                f"You are counting as {db.user_name}: scan the next item."
            )
        else:
            self.show_message("Scan an item, a bin label, or choose a line and type a quantity.")
        self.offline_banner.replayed.connect(self._journal_replayed)
        self.offline_banner.resume()  # scans kept by an earlier session go first
        set_aside = self._show_set_aside()
        if set_aside:
            self.show_message(
                f"{set_aside} scan(s) of this location were set aside because their count had "
                "been finished. Count them in this count with the button below, or leave them.",
                error=True,
            )

    def _wire(self) -> None:
        """Connect the widgets `_build` made to what they do."""
        self.quantity.returnPressed.connect(self.save_typed_quantity)
        self.quantity.installEventFilter(self)  # arrow keys move the line from the box
        self.link_button.clicked.connect(self._link_selected)
        self.unmatched.currentRowChanged.connect(
            lambda row: self.link_button.setEnabled(row >= 0 and not self._finished)
        )
        self.undo_action.triggered.connect(self.undo_last_scan)
        self.undo_button.clicked.connect(self.undo_last_scan)
        self.finish_button.clicked.connect(self.finish_count)
        self.set_aside_button.clicked.connect(self.count_set_aside_here)
        self.load_button.clicked.connect(lambda: self.load_scans_from_file())

    def _typing_target(self, widget: QWidget) -> QWidget:
        """Where typed keys go: what is typed on the table goes to the quantity box."""
        if widget is self.table and self.quantity.isEnabled():
            self.quantity.setFocus()
            return self.quantity
        return widget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and down in the quantity box move the current line, as in the table."""
        if watched is self.quantity and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if step is not None:
                line = self.current_line()
                row = self.model.row_of(line.setting_id) if line is not None else None
                target = 0 if row is None else row + step
                if 0 <= target < self.model.rowCount():
                    self.table.selectRow(target)
                return True
        return super().eventFilter(watched, event)

    @property
    def scan_adds_one(self) -> bool:
        """Whether a scan of an ON HAND item adds one here (workstation override, else location)."""
        return adds_one_here(self.sheet.scan_adds_one, self.scanner.scan_adds_one)

    def apply_settings(self, scanner: ScannerSettings) -> None:
        """Use changed scanner settings, and the location's options as they now are."""
        self.scanner = scanner
        self.catcher.set_max_interval(scanner.max_interval_ms)
        try:
            self.sheet = counting.get_count_sheet(self._db, count_id=self.sheet.count_id)
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
        self._show_options()

    # --- actions -----------------------------------------------------------------------------

    def _scanned(self, event: ScanEvent) -> None:
        self.handle_scan(event.text)

    def _broken(self, broken: BrokenScan) -> None:
        """Keys that came at scanner speed but not as one scan: say so, count nothing."""
        self.show_message(
            f"A scan came in pieces ({broken.describe()}) and was NOT counted: scan it again. "
            "If this happens often, raise the speed threshold in Scanner settings.",
            error=True,
        )
        self.beep()

    def handle_scan(self, text: str) -> ScanOutcome | None:
        """Record one scan and show what it did; the row is repainted once it is committed.

        The scan gets its client id as it is made: if the server took it but the reply was
        lost, the same id kept and sent again is recognised there, never counted twice.
        """
        if self._finished:
            self.show_message("This count is finished; nothing more is recorded.", error=True)
            self.beep()
            return None
        client_id, scanned_at = new_client_id(), datetime.now(UTC)
        if self.offline_banner.offline:  # scans already waiting: this one queues behind them
            self._keep(text, client_id, scanned_at)
            return None
        try:
            outcome = counting.record_scan(
                self._db,
                count_id=self.sheet.count_id,
                text=text,
                group_separator=self.scanner.group_separator,
                scan_adds_one=self.scanner.scan_adds_one,
                client_id=client_id,
                scanned_at=scanned_at,
            )
        except ConnectionLostError:
            self.beep()  # once, as the server goes: the banner says the rest
            self._keep(text, client_id, scanned_at)
            return None
        except CountFinishedError as exc:
            self._set_aside(text, client_id, scanned_at, str(exc))
            return None
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            self.beep()
            return None
        self._apply(outcome)
        if outcome.warning or outcome.kind in (ScanKind.UNKNOWN, ScanKind.UNREADABLE):
            self.beep()
        if outcome.kind is ScanKind.UNKNOWN:
            self._refresh_unmatched()
        if outcome.needs_quantity:
            self.quantity.setFocus()
            self.quantity.selectAll()
        return outcome

    def beep(self) -> None:
        """Sound the alarm for a problem scan, unless sound is turned off."""
        if self.scanner.sound:
            QApplication.beep()

    def save_typed_quantity(self) -> None:
        """Save what is in the quantity box for the current line, then go to the next line."""
        if self._refuse_while_offline("Typing a quantity"):
            return
        line = self.current_line()
        if line is None:
            self.show_message("Choose a line first (arrow keys), then type its quantity.")
            return
        try:
            outcome = counting.set_quantity(
                self._db,
                count_id=self.sheet.count_id,
                setting_id=line.setting_id,
                quantity=self.quantity.text(),
            )
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            self.quantity.selectAll()
            return
        self._apply(outcome)
        self.quantity.clear()
        row = self.model.row_of(line.setting_id)
        if row is not None and row + 1 < self.model.rowCount():
            self.table.selectRow(row + 1)

    def undo_last_scan(self) -> None:
        """Take back your latest scan or typed quantity."""
        if self._finished or self._refuse_while_offline("Undo"):
            return
        try:
            outcome = counting.undo_last_scan(self._db, count_id=self.sheet.count_id)
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return
        self._apply(outcome)
        self._refresh_unmatched()

    def link_unmatched(self, scan_id: int, code: str, item_id: int) -> ScanOutcome | None:
        """Link an unknown barcode to an item and count the kept scan for it."""
        try:
            counting.link_barcode(self._db, code=code, item_id=item_id)
            outcome = counting.reapply_scan(
                self._db, scan_id=scan_id, group_separator=self.scanner.group_separator
            )
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return None
        self._apply(outcome)
        self._refresh_unmatched()
        return outcome

    def _link_selected(self) -> None:
        current = self.unmatched.currentItem()
        if current is None:
            return
        scan_id, code = current.data(Qt.ItemDataRole.UserRole)
        dialog = LinkDialog(code, self.model.lines(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.item_id() is not None:
            item_id = dialog.item_id()
            assert item_id is not None
            self.link_unmatched(scan_id, code, item_id)

    def finish_count(self) -> CountReview | None:
        """Review lines never counted and variances; close the count when the user agrees."""
        if self._refuse_while_offline("Finishing the count"):
            return None
        try:
            review = counting.finish_count(self._db, count_id=self.sheet.count_id)
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return None
        if not self.confirm_finish(review):
            self.show_message("The count stays open; go on scanning.")
            return review
        try:
            review = counting.finish_count(self._db, count_id=self.sheet.count_id, confirm=True)
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return None
        self._finished = True
        with contextlib.suppress(OSError):
            forget_sheet(self._db, self.sheet.location_id, self._journal.path.parent)
        for widget in (
            self.quantity,
            self.undo_button,
            self.finish_button,
            self.link_button,
            self.load_button,
        ):
            widget.setEnabled(False)
        self.set_aside_button.setVisible(False)
        self.undo_action.setEnabled(False)
        self.show_message(f"Count of {review.location_code} finished and saved.")
        self.count_finished.emit(self.sheet.count_id)
        if self.offer_proposal():
            self.proposal_requested.emit(self.sheet.location_id)
        return review

    @property
    def finished(self) -> bool:
        """Whether this screen's count has been closed."""
        return self._finished

    def confirm_finish(self, review: CountReview) -> bool:
        """Show the review and ask whether to close the count."""
        dialog = FinishReviewDialog(review, blind=self.sheet.blind, parent=self)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def offer_proposal(self) -> bool:
        """Ask whether to go on to the order proposal for this location."""
        answer = QMessageBox.question(
            self,
            "Propose orders",
            f"Propose orders for {self.sheet.location_code} from this count?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # --- showing -----------------------------------------------------------------------------

    def _refresh_unmatched(self) -> None:
        self.unmatched.clear()
        try:
            scans = counting.list_unmatched_scans(self._db, count_id=self.sheet.count_id)
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return
        for scan in scans:
            when = scan.recorded_at.astimezone()
            entry = QListWidgetItem(scan.code.replace(GS, "<GS>"))
            entry.setData(Qt.ItemDataRole.UserRole, (scan.scan_id, scan.code))
            raw = scan.raw.replace(GS, "<GS>")
            entry.setToolTip(f"Scanned {when:%d %b %H:%M} by {scan.recorded_by or '?'}: {raw}")
            self.unmatched.addItem(entry)
        if self.unmatched.count():
            self.unmatched.setCurrentRow(0)
        self.link_button.setEnabled(self.unmatched.count() > 0 and not self._finished)

    def stop(self) -> None:
        """Stop catching keys and retrying (the screen is going away)."""
        self.catcher.stop()
        self.offline_banner.stop()
        if not self._finished:  # the sheet as it stands, for opening it while the server is away
            with contextlib.suppress(OSError):
                shown = replace(self.sheet, lines=tuple(self.model.lines()))
                remember_sheet(self._db, shown, self._journal.path.parent)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop watching keys once the window closes."""
        self.stop()
        super().closeEvent(event)
