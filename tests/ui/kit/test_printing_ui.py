"""Printing from the app: the preview shows the PDF's pages; Save PDF and Print give the same."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtPrintSupport import QPrinter

from parstudio.demo.department import build_demo
from parstudio.domain.errors import ValidationError
from parstudio.domain.orders import ApprovedLine
from parstudio.domain.paper import Label, LabelStock, PaperSize, PrintedDocument, PrintOptions
from parstudio.services.core.database import Database
from parstudio.services.ordering import orders, printing, proposals
from parstudio.ui.kit import print_preview
from parstudio.ui.kit.print_preview import PrintPreviewDialog, saved_options
from parstudio.ui.ordering import orders_page
from parstudio.ui.shell.main_window import MainWindow
from tests.support.pdfs import barcodes, page_sizes, texts


@pytest.fixture
def demo_window(window: MainWindow) -> MainWindow:
    """The main window on the demo department, with this week's proposal approved."""
    db = window.db
    build_demo(db, today=date(2026, 11, 25))
    proposal = proposals.propose_orders(db)
    orders.approve_lines(
        db,
        lines=[
            ApprovedLine(line.setting_id, line.packs, line.packs, line.count_line_id)
            for line in proposal.to_order
        ],
        order_date=date(2026, 11, 25),
    )
    window.refresh_pages()
    return window


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every preview a page opens: its maker and choices, instead of a modal dialog."""
    opened: list[dict[str, Any]] = []

    def record(_parent: Any, make: Any, *, labels: bool = False, title: str = "") -> None:
        opened.append({"make": make, "labels": labels, "title": title})

    # Pages import the preview when they print; the Orders page imports it with itself.
    for module in (orders_page, print_preview):
        monkeypatch.setattr(module, "preview", record)
    return opened


def made(qtbot: Any, dialog: PrintPreviewDialog) -> bool:
    """Wait for the document the preview makes off the UI thread; whether one was made."""
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    return dialog.document is not None


def label_document(db: Database) -> Any:
    def make(options: PrintOptions) -> PrintedDocument:
        return printing.location_labels_for(db, location_codes=["MRI1"], options=options)

    return make


def test_preview_shows_pages_and_remembers_the_paper(
    qtbot: Any, demo_window: MainWindow, tmp_path: Path
) -> None:
    dialog = PrintPreviewDialog(demo_window, label_document(demo_window.db), labels=True)
    qtbot.addWidget(dialog)
    dialog.make_document()
    assert dialog.busy and not dialog.save_button.isEnabled()  # made off the UI thread
    assert made(qtbot, dialog) and dialog.document is not None and dialog.document.pages == 1
    assert dialog.save_button.isEnabled()
    assert dialog.pages_layout.count() == 1
    assert "1 page" in dialog.summary.text()
    assert dialog.label_choices.isVisibleTo(dialog)
    dialog.paper.setCurrentIndex(dialog.paper.findData(PaperSize.LETTER))
    assert made(qtbot, dialog) and dialog.document is not None
    assert page_sizes(dialog.document.pdf) == [(612.0, 792.0)]
    assert saved_options().paper is PaperSize.LETTER
    assert QSettings().value("printing/paper") == "letter"
    dialog.stock.setCurrentIndex(dialog.stock.findData(LabelStock.SINGLE_2X1))
    assert made(qtbot, dialog) and dialog.document.pages > 10  # one label a page
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(tmp_path / "preview.png"))


def test_save_pdf_and_print_give_the_previewed_pages(
    qtbot: Any, demo_window: MainWindow, tmp_path: Path
) -> None:
    dialog = PrintPreviewDialog(demo_window, label_document(demo_window.db), labels=True)
    qtbot.addWidget(dialog)
    dialog.make_document()
    assert made(qtbot, dialog) and dialog.document is not None
    saved = dialog.save_pdf(str(tmp_path / "labels.pdf"))
    assert saved is not None and saved.read_bytes() == dialog.document.pdf

    task = dialog.print_document(pdf_printer(tmp_path / "printed.pdf"))
    assert task is not None
    qtbot.waitUntil(lambda: dialog.printing is None, timeout=30_000)
    assert "page(s) sent to the printer" in dialog.summary.text()
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert len(page_sizes(printed)) == dialog.document.pages
    want = [text for page in barcodes(dialog.document.pdf) for _kind, text in page]
    got = [text for page in barcodes(printed) for _kind, text in page]
    assert got == want and want[0] == "MRI1"


def pdf_printer(path: Path) -> QPrinter:
    """A printer that prints to a PDF file."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.fixture
def one_label_a_page(
    qtbot: Any, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> tuple[PrintPreviewDialog, set[int]]:
    """A preview of labels one a page (many pages), each page slow to draw as a large sheet's
    is; and the threads the pages were drawn on."""
    dialog = PrintPreviewDialog(demo_window, label_document(demo_window.db), labels=True)
    qtbot.addWidget(dialog)
    dialog.stock.setCurrentIndex(dialog.stock.findData(LabelStock.SINGLE_2X1))
    assert made(qtbot, dialog) and dialog.document is not None
    assert dialog.document.pages > 10
    drawn_on: set[int] = set()
    draw = print_preview._page_image

    def slow_page(*args: Any) -> Any:
        drawn_on.add(threading.get_ident())
        time.sleep(0.05)
        return draw(*args)

    monkeypatch.setattr(print_preview, "_page_image", slow_page)
    return dialog, drawn_on


def test_printing_runs_off_the_ui_thread_and_sends_every_page(
    qtbot: Any, one_label_a_page: tuple[PrintPreviewDialog, set[int]], tmp_path: Path
) -> None:
    dialog, drawn_on = one_label_a_page
    assert dialog.document is not None
    pages = dialog.document.pages
    ticks: list[bool] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(dialog.printing is not None))
    timer.start(10)
    printer = pdf_printer(tmp_path / "printed.pdf")
    task = dialog.print_document(printer)
    assert task is not None and task.running  # returned at once: the pages go meanwhile
    assert not dialog.print_button.isEnabled() and dialog.print_document(printer) is None
    qtbot.waitUntil(lambda: dialog.printing is None, timeout=60_000)
    timer.stop()
    assert sum(ticks) >= 10  # the event loop ran the timer all through the print
    assert drawn_on and threading.get_ident() not in drawn_on
    assert dialog.summary.text().endswith(f"{pages} page(s) sent to the printer")
    assert dialog.print_button.isEnabled()
    assert len(page_sizes((tmp_path / "printed.pdf").read_bytes())) == pages


def test_printing_can_be_cancelled(
    qtbot: Any, one_label_a_page: tuple[PrintPreviewDialog, set[int]], tmp_path: Path
) -> None:
    dialog, drawn_on = one_label_a_page
    task = dialog.print_document(pdf_printer(tmp_path / "cancelled.pdf"))
    assert task is not None
    qtbot.waitUntil(lambda: bool(drawn_on), timeout=10_000)
    task.dialog.canceled.emit()  # type: ignore[attr-defined]  # as its Cancel button does
    qtbot.waitUntil(lambda: dialog.printing is None, timeout=30_000)
    assert dialog.summary.text().endswith("printing cancelled")
    assert dialog.print_button.isEnabled()


def test_pages_open_the_right_paper(
    demo_window: MainWindow, previews: list[dict[str, Any]]
) -> None:
    demo_window.show_page("Orders")
    page = demo_window.page("Orders")
    page.select_row(0)
    assert page.print_button.isEnabled()
    page.print_selected()
    made = previews[-1]["make"](PrintOptions())
    assert made.filename.startswith(("order-sheet-", "pick-list-"))
    assert previews[-1]["title"] in made.title

    locations = demo_window.page("Locations")
    locations.select_record(next(r.id for r in locations.model.records() if r.code == "CT1"))
    assert locations.count_sheet_action.isEnabled()
    locations.print_count_sheet()
    assert "COUNT SHEET" in texts(previews[-1]["make"](PrintOptions()).pdf)[0]
    locations.print_labels()
    assert previews[-1]["labels"]

    demo_window.print_from("PAR Settings", "print_labels")
    shelf = previews[-1]["make"](PrintOptions())
    assert shelf.title == "Shelf labels" and shelf.pages >= 1

    demo_window.show_page("Items")
    items_page = demo_window.page("Items")
    items_page.view.selectRow(0)
    demo_window.print_current()
    assert previews[-1]["title"] == "Labels for 1 item(s)"


def test_print_menu_lists_every_kind_of_paper(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    print_menu = next(a.menu() for a in file_menu.actions() if a.text() == "&Print")
    texts_ = [a.text() for a in print_menu.actions() if a.text()]
    assert texts_ == [
        "Print this page's paper…",
        "Order sheet or pick list…",
        "Count sheet…",
        "Location and bin labels…",
        "Shelf labels…",
        "Item labels…",
    ]


def test_problems_are_explained_not_raised(
    qtbot: Any, window: MainWindow, messages: list[str], tmp_path: Path
) -> None:
    def refuse(_options: PrintOptions) -> PrintedDocument:
        raise ValidationError("There are no labels to print: pick some rows first.")

    dialog = PrintPreviewDialog(window, refuse, labels=True)
    qtbot.addWidget(dialog)
    dialog.make_document()
    assert not made(qtbot, dialog)
    assert messages == ["There are no labels to print: pick some rows first."]
    assert dialog.save_pdf(str(tmp_path / "x.pdf")) is None  # nothing to save

    fine = PrintPreviewDialog(window, _tiny, labels=True)
    qtbot.addWidget(fine)
    fine.make_document()
    assert made(qtbot, fine)
    assert fine.save_pdf(str(tmp_path / "missing-folder" / "x.pdf")) is None
    assert messages[-1].startswith(f"Cannot write {tmp_path / 'missing-folder' / 'x.pdf'}")


def _tiny(options: PrintOptions) -> PrintedDocument:
    return printing.labels_document(
        [Label("SYR-10", "Syringe 10 mL")], options, title="One label", filename="one"
    )


def test_preview_makes_the_document_off_the_ui_thread_then_opens(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, int]] = []
    maker_threads: list[bool] = []

    def make(options: PrintOptions) -> PrintedDocument:
        from PySide6.QtCore import QThread

        maker_threads.append(QThread.currentThread() is window.thread())
        return _tiny(options)

    def exec_(dialog: PrintPreviewDialog) -> int:
        assert dialog.document is not None
        shown.append((dialog.summary.text(), dialog.pages_layout.count()))
        return 0

    monkeypatch.setattr(PrintPreviewDialog, "exec", exec_)
    print_preview.preview(window, make, labels=True, title="One label")
    assert shown == []  # not yet: the document is being made
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert shown == [("One label · 1 page(s)", 1)]
    assert maker_threads == [False]


def test_a_refused_preview_says_why_and_opens_nothing(
    qtbot: Any, window: MainWindow, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(_options: PrintOptions) -> PrintedDocument:
        raise ValidationError("There are no labels to print: pick some rows first.")

    opened: list[PrintPreviewDialog] = []
    monkeypatch.setattr(PrintPreviewDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    print_preview.preview(window, refuse, labels=True)
    status = window.statusBar()
    qtbot.waitUntil(lambda: bool(status.currentMessage()), timeout=30_000)
    assert status.currentMessage() == "There are no labels to print: pick some rows first."
    assert opened == [] and messages == []
