"""A handheld scanner's batch file on the count screen: its preview, then recording it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.barcodes import GS, ScanDecode
from parstudio.domain.counting import CountSheet
from parstudio.domain.errors import ParStudioError
from parstudio.domain.scan_batch import read_batch
from parstudio.services.counting import scans as counting
from parstudio.services.counting.batch import (
    BatchPreview,
    BatchResult,
    load_batch,
    preview_batch,
)
from parstudio.ui.counting.screen_layout import CountScreenLayout

if TYPE_CHECKING:
    from parstudio.services.core.database import Database
    from parstudio.ui.counting.scanner_settings import ScannerSettings

__all__ = ["BatchLoading", "BatchPreviewDialog", "preview_summary"]


def preview_summary(preview: BatchPreview, file_name: str, location: str) -> str:
    """One paragraph: what the file holds and what loading it would do."""
    batch = preview.batch
    parts = [f"{file_name}: {len(batch.lines)} scan(s) for {location}."]
    if batch.problems:
        parts.append(
            f"{len(batch.problems)} line(s) cannot be read (red below): correct or delete them "
            "in the file and load it again. Nothing is recorded until then."
        )
    if preview.already:
        parts.append(f"{len(preview.already)} were recorded by an earlier load and are skipped.")
    if preview.unreadable:
        parts.append(f"{preview.unreadable} barcode(s) are unreadable and will be listed.")
    if not batch.problems:
        parts.append(f"{preview.to_record} scan(s) will be recorded, each as if scanned here.")
    return " ".join(parts)


_KIND_NAMES = {"gs1": "GS1", "hibc": "HIBC", "ean_upc": "EAN/UPC", "plain": "item or label code"}


def _reads_as(decode: ScanDecode) -> str:
    """What a barcode reads as, e.g. "GS1 09501101530003, lot B7, expiry 31 Jan 2030"."""
    parts = [f"{_KIND_NAMES.get(decode.kind.value, decode.kind.value)} {decode.gtin or ''}".strip()]
    if decode.lot:
        parts.append(f"lot {decode.lot}")
    if decode.expiry:
        parts.append(f"expiry {decode.expiry:%d %b %Y}")
    if decode.quantity:
        parts.append(f"{decode.quantity} on the label")
    return ", ".join(parts)


class BatchPreviewDialog(QDialog):
    """Every line of the file, what it is, and a button to record them."""

    def __init__(
        self, preview: BatchPreview, file_name: str, location: str, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Load scans from a file")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        summary = QLabel(preview_summary(preview, file_name, location))
        summary.setWordWrap(True)
        layout.addWidget(summary)
        rows: list[tuple[int, str, str, str, str, bool]] = []
        for line, decode in preview.decoded:
            when = f"{line.scanned_at:%d %b %Y %H:%M:%S}" if line.scanned_at else ""
            if line.client_id in preview.already:
                what, bad = "already recorded", False
            elif decode.error:
                what, bad = decode.error, True
            else:
                what, bad = _reads_as(decode), False
            quantity = "" if line.quantity is None else str(line.quantity)
            rows.append((line.line_no, line.barcode, quantity, when, what, bad))
        for problem in preview.batch.problems:
            rows.append((problem.line_no, problem.text, "", "", problem.reason, True))
        rows.sort()
        self.table = QTableWidget(len(rows), 5)
        self.table.setHorizontalHeaderLabels(["Line", "Barcode", "Quantity", "Scanned", "Reads as"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, (line_no, barcode, quantity, when, what, bad) in enumerate(rows):
            for column, text in enumerate(
                (str(line_no), barcode.replace(GS, "<GS>"), quantity, when, what)
            ):
                cell = QTableWidgetItem(text)
                if bad:
                    cell.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.record_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.record_button.setText(f"Record {preview.to_record} scan(s)")
        self.record_button.setEnabled(preview.to_record > 0 and not preview.batch.problems)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class BatchLoading(CountScreenLayout):
    """The count screen's Load scans from a file…: a base of `CountScreen`, on its layout."""

    # The screen's own, which loading a file uses.
    _db: Database
    _finished: bool
    scanner: ScannerSettings

    if TYPE_CHECKING:

        def _refuse_while_offline(self, what: str) -> bool: ...

        def beep(self) -> None: ...

        def _refresh_unmatched(self) -> None: ...

    def load_scans_from_file(self, path: Path | None = None) -> BatchResult | None:
        """Preview a handheld scanner's batch file, then record it scan by scan."""
        if self._finished or self._refuse_while_offline("Loading scans from a file"):
            return None
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self,
                "Load scans from a file",
                "",
                "Scanner exports (*.txt *.csv *.dat *.tsv);;All files (*)",
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            batch = read_batch(path.read_bytes(), scope=self.sheet.location_code)
            preview = preview_batch(
                self._db, batch=batch, group_separator=self.scanner.group_separator
            )
        except OSError as exc:
            self.show_message(f"Cannot read {path.name}: {exc.strerror or exc}.", error=True)
            return None
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return None
        if not self.confirm_batch(preview, path.name):
            self.show_message(f"Nothing from {path.name} was recorded.")
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = load_batch(
                self._db,
                count_id=self.sheet.count_id,
                batch=batch,
                group_separator=self.scanner.group_separator,
                scan_adds_one=self.scanner.scan_adds_one,
            )
        except ParStudioError as exc:
            self.show_message(f"{exc} The scans before it are recorded.", error=True)
            return None
        finally:
            QApplication.restoreOverrideCursor()
            self._reload_lines()
        warnings = result.warnings
        recorded = len(result.outcomes) - result.already
        text = f"{path.name}: {recorded} scan(s) recorded"
        text += f", {result.already} already recorded before." if result.already else "."
        if warnings:
            first_line, first = warnings[0]
            text += f" {len(warnings)} need attention; line {first_line.line_no}: {first.message}"
            self.beep()
        self.show_message(text, error=bool(warnings))
        return result

    def confirm_batch(self, preview: BatchPreview, file_name: str) -> bool:
        """Show what the file holds; whether to record it."""
        location = f"{self.sheet.location_code} {self.sheet.location_name}"
        dialog = BatchPreviewDialog(preview, file_name, location, self)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _reload_lines(self) -> None:
        """Show every line as the database holds it (after many scans at once)."""
        self._show_sheet(lambda: counting.get_count_sheet(self._db, count_id=self.sheet.count_id))

    def _show_sheet(self, read: Callable[[], CountSheet]) -> bool:
        """Show the whole sheet as ``read`` gives it; False (and why, in the message line) if
        it cannot be read."""
        try:
            self.sheet = read()
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return False
        self.model.set_lines(self.sheet.lines)
        self._refresh_tally()
        self._refresh_unmatched()
        return True
