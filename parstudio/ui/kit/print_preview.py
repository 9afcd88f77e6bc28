"""Print preview: the PDF's own pages on screen, then Save PDF… or Print… (the same pages).

The document and its page images are made off the UI thread (``ui/kit/background.py``), and so
are the pages sent to a printer: a large order sheet or a sheet of labels takes seconds, and the
window keeps answering.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2
from PySide6.QtCore import QMarginsF, QSettings, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import CancelledError, ParStudioError
from parstudio.domain.paper import (
    BarcodeSymbology,
    LabelStock,
    PaperSize,
    PrintedDocument,
    PrintOptions,
)
from parstudio.domain.progress import Progress, no_progress
from parstudio.ui.kit.background import Receiver, Task, run_with_progress
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.geometry import fit_and_remember

PREVIEW_DPI = 80
PRINT_DPI = 300  # enough for barcodes; more only makes the spool file bigger
MAX_PREVIEW_PAGES = 25  # each page image is about 2 MB

Maker = Callable[[PrintOptions], PrintedDocument]
Made = tuple[PrintedDocument, list[QImage]]


def make_pages(make: Maker, options: PrintOptions, progress: Progress) -> Made:
    """The document and the images of the pages the preview shows (runs off the UI thread:
    a QImage, unlike a QPixmap, may be made there)."""
    document = make(options)
    progress(1, 2)  # a cancelled preview stops here
    shown = range(min(document.pages, MAX_PREVIEW_PAGES))
    images = page_images(document.pdf, PREVIEW_DPI, shown)
    progress(2, 2)
    return document, images


def saved_options(settings: QSettings | None = None) -> PrintOptions:
    """The user's printing choices, remembered between sessions."""
    settings = settings or QSettings()

    def choice(key: str, kind: Any, default: Any) -> Any:
        try:
            return kind(str(settings.value(f"printing/{key}", default.value)))
        except ValueError:
            return default

    return PrintOptions(
        paper=choice("paper", PaperSize, PaperSize.A4),
        stock=choice("labelStock", LabelStock, LabelStock.SHEET_3X10),
        symbology=choice("barcode", BarcodeSymbology, BarcodeSymbology.CODE128),
    )


def save_options(options: PrintOptions, settings: QSettings | None = None) -> None:
    """Remember the printing choices."""
    settings = settings or QSettings()
    settings.setValue("printing/paper", options.paper.value)
    settings.setValue("printing/labelStock", options.stock.value)
    settings.setValue("printing/barcode", options.symbology.value)


def page_images(pdf: bytes, dpi: float, pages: range | None = None) -> list[QImage]:
    """Pages of a PDF drawn as images at dpi (pdfium; no poppler needed)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        wanted = pages if pages is not None else range(len(document))
        return [_page_image(document, index, dpi) for index in wanted]
    finally:
        document.close()


def _page_image(document: pypdfium2.PdfDocument, index: int, dpi: float) -> QImage:
    bitmap = document[index].render(scale=dpi / 72, rev_byteorder=True)
    width, height = bitmap.width, bitmap.height
    image = QImage(bitmap.buffer, width, height, bitmap.stride, QImage.Format.Format_RGB888)
    return image.copy()  # own the pixels before pdfium frees its buffer


def page_size_points(pdf: bytes) -> tuple[float, float]:
    """Width and height of the first page, in points."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        width, height = document[0].get_size()
        return float(width), float(height)
    finally:
        document.close()


def print_pdf(pdf: bytes, printer: QPrinter, progress: Progress = no_progress) -> int:
    """Send the PDF's pages to a printer, each page drawn whole on a sheet; returns pages sent.

    Runs off the UI thread (Qt paints on a QPrinter from any thread): one page is drawn as an
    image and painted at a time, reported to ``progress``; a cancel there aborts the print run.
    """
    width, height = page_size_points(pdf)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(
                QSizeF(width, height),
                QPageSize.Unit.Point,
                "",
                QPageSize.SizeMatchPolicy.FuzzyMatch,
            ),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    document = pypdfium2.PdfDocument(pdf)
    try:
        count = len(document)
        first, last = printer.fromPage(), printer.toPage()
        wanted = range(first - 1, last) if first > 0 else range(count)
        wanted = range(max(wanted.start, 0), min(wanted.stop, count))
        dpi = min(PRINT_DPI, max(printer.resolution(), 150))
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("The printer could not be started.")
        try:
            for n, index in enumerate(wanted):
                progress(n, len(wanted))
                if n:
                    printer.newPage()
                image = _page_image(document, index, dpi)
                target = painter.viewport()
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(target.x(), target.y(), image.scaled(scaled))
            progress(len(wanted), len(wanted))
        except CancelledError:
            printer.abort()
            raise
        finally:
            painter.end()
    finally:
        document.close()
    return len(wanted)


class PrintPreviewDialog(QDialog):
    """A document's pages, its paper (and label) choices, and Save PDF… / Print…."""

    def __init__(
        self, parent: QWidget | None, make: Maker, *, labels: bool = False, title: str = ""
    ) -> None:
        super().__init__(parent)
        self.make = make
        self.document: PrintedDocument | None = None
        self.making: Task | None = None
        self.printing: Task | None = None
        self._again = False
        self._cursor = False
        self.setWindowTitle(title or "Print preview")
        # A4 at a readable size where the screen allows; never past its edge (1280×800).
        fit_and_remember(self, "print_preview", QSize(880, 900))
        options = saved_options()

        self.paper = QComboBox(self)
        self.paper.addItem("A4", PaperSize.A4)
        self.paper.addItem("US Letter", PaperSize.LETTER)
        self.stock = QComboBox(self)
        for stock in LabelStock:
            self.stock.addItem(stock.display_name, stock)
        self.barcode = QComboBox(self)
        self.barcode.addItem("Code 128", BarcodeSymbology.CODE128)
        self.barcode.addItem("QR code", BarcodeSymbology.QR)
        for combo, value in (
            (self.paper, options.paper),
            (self.stock, options.stock),
            (self.barcode, options.symbology),
        ):
            combo.setCurrentIndex(max(combo.findData(value), 0))

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Paper:", self))
        bar.addWidget(self.paper)
        self.label_choices = QWidget(self)
        label_bar = QHBoxLayout(self.label_choices)
        label_bar.setContentsMargins(12, 0, 0, 0)
        label_bar.addWidget(QLabel("Labels:", self))
        label_bar.addWidget(self.stock)
        label_bar.addWidget(QLabel("Barcode:", self))
        label_bar.addWidget(self.barcode)
        self.label_choices.setVisible(labels)
        bar.addWidget(self.label_choices)
        bar.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setObjectName("preview_summary")
        bar.addWidget(self.summary)

        self.pages = QWidget(self)
        self.pages.setStyleSheet("background: #8a8a8a;")
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_layout.setSpacing(14)
        scroll = QScrollArea(self)
        scroll.setWidget(self.pages)
        scroll.setWidgetResizable(True)

        self.save_button = QPushButton("Save PDF…", self)
        self.print_button = QPushButton("Print…", self)
        self.print_button.setDefault(True)
        close = QPushButton("Close", self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.save_button, self.print_button, close):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        self.save_button.clicked.connect(lambda: self.save_pdf())
        self.print_button.clicked.connect(lambda: self.print_document())
        close.clicked.connect(self.reject)
        for combo in (self.paper, self.stock, self.barcode):
            combo.currentIndexChanged.connect(lambda _i: self.make_document())

    def options(self) -> PrintOptions:
        """The choices on screen."""
        # Qt hands the enum members back as plain strings.
        return PrintOptions(
            paper=PaperSize(self.paper.currentData()),
            stock=LabelStock(self.stock.currentData()),
            symbology=BarcodeSymbology(self.barcode.currentData()),
        )

    def make_document(self) -> Task:
        """Make the document with the current choices off the UI thread; its pages show when it
        is made. Choices changed meanwhile make it once more, after this one."""
        options = self.options()
        save_options(options)
        if self.making is not None:
            self._again = True
            return self.making
        make = self.make
        task = Task(lambda progress: make_pages(make, options, progress))
        Receiver(task, self, on_done=self.show_made, on_error=self._failed)
        self.making = task
        self._set_busy(True)
        task.start()
        return task

    @property
    def busy(self) -> bool:
        """Whether a document is being made (until its pages or its error are shown)."""
        return self.making is not None

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.save_button, self.print_button):
            widget.setEnabled(not busy and self.printing is None and self.document is not None)
        if busy:
            self.summary.setText("Making the document…")
        if busy and not self._cursor:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        elif not busy and self._cursor:
            QApplication.restoreOverrideCursor()
        self._cursor = busy

    def _finished(self) -> bool:
        """After a document was made or refused: make it again if the choices changed."""
        self.making = None
        if self._again:
            self._again = False
            self._set_busy(False)
            self.make_document()
            return False
        self._set_busy(False)
        return True

    def show_made(self, made: Made) -> None:
        """Show a document made off the UI thread, with its page images."""
        self.document, images = made
        if self._finished():
            self._show_pages(self.document, images)

    def _failed(self, exc: BaseException) -> None:
        self.document = None
        if self._finished():
            self.summary.setText("")
            show_error(self, exc)

    def _show_pages(self, document: PrintedDocument, images: list[QImage]) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for image in images:
            page = QLabel(self.pages)
            page.setPixmap(QPixmap.fromImage(image))
            page.setMinimumSize(image.size())  # whole pages, scrolled: never squeezed and cut
            page.setStyleSheet("background: white; border: 1px solid #555;")
            self.pages_layout.addWidget(page)
        more = document.pages - len(images)
        if more > 0:
            note = QLabel(f"… and {more} more pages (all are saved and printed).", self.pages)
            note.setStyleSheet("color: white;")
            self.pages_layout.addWidget(note)
        self.summary.setText(f"{document.title} · {document.pages} page(s)")

    def save_pdf(self, path: str | None = None) -> Path | None:
        """Write the PDF where the user chooses (``path`` skips the file dialog)."""
        if self.document is None:
            return None
        if path is None:
            folder = str(QSettings().value("printing/folder", str(Path.home())))
            path, _filter = QFileDialog.getSaveFileName(
                self, "Save PDF", str(Path(folder) / self.document.filename), "PDF files (*.pdf)"
            )
            if not path:
                return None
        target = Path(path)
        try:
            target.write_bytes(self.document.pdf)
        except OSError as exc:
            show_error(self, ParStudioError(f"Cannot write {target}: {exc.strerror}."))
            return None
        QSettings().setValue("printing/folder", str(target.parent))
        return target

    def print_document(self, printer: QPrinter | None = None) -> Task | None:
        """Print through the system print dialog (``printer`` skips the dialog).

        The pages are drawn and sent off the UI thread, with a progress window (after a second)
        and Cancel; returns the printing task, or None when nothing is printed.
        """
        document = self.document
        if document is None or self.printing is not None:
            return None
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(document.title)
            dialog = QPrintDialog(printer, self)
            dialog.setMinMax(1, max(document.pages, 1))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
        chosen = printer  # the job keeps the printer alive until it ends

        def ended(text: str) -> None:
            self.printing = None
            self._set_busy(self.making is not None)
            self.summary.setText(f"{document.title} · {text}")

        def failed(exc: BaseException) -> None:
            ended(f"{document.pages} page(s)")
            show_error(self, exc)

        self.printing = run_with_progress(
            self,
            f"Printing {document.title}…",
            lambda progress: print_pdf(document.pdf, chosen, progress),
            on_done=lambda pages: ended(f"{pages} page(s) sent to the printer"),
            on_error=failed,
            on_cancel=lambda: ended("printing cancelled"),
            describe=lambda done, total: f"Printing page {min(done + 1, total)} of {total}…",
        )
        self._set_busy(self.making is not None)
        return self.printing


def preview(parent: QWidget, make: Maker, *, labels: bool = False, title: str = "") -> None:
    """Make the document off the UI thread (a progress window after a second, with Cancel),
    then open its preview; errors making it are shown and nothing opens."""
    dialog = PrintPreviewDialog(parent, make, labels=labels, title=title)
    options = dialog.options()

    def made(result: Made) -> None:
        dialog.show_made(result)
        dialog.exec()

    def failed(exc: BaseException) -> None:
        dialog.deleteLater()
        if not isinstance(exc, CancelledError):
            show_error(parent, exc)

    run_with_progress(
        parent,
        f"Making {title or 'the document'}…",
        lambda progress: make_pages(make, options, progress),
        on_done=made,
        on_error=failed,
        on_cancel=dialog.deleteLater,
    )
