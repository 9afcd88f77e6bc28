"""Shelf, location and bin labels: 3 × 10 label sheets (A4 or Letter) or single 2 × 1 in labels."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from parstudio.domain.paper import BarcodeSymbology, Label, LabelStock, PaperSize
from parstudio.reports.barcode_marks import draw_barcode
from parstudio.reports.pdf_common import (
    GREY,
    INK,
    SANS,
    SANS_BOLD,
    finish,
    fit,
    new_canvas,
    page_size,
    register_fonts,
)
from parstudio.reports.units import inch, mm


@dataclass(frozen=True, slots=True)
class Sheet:
    """Where the labels sit on one page of a label stock, in points."""

    page: tuple[float, float]
    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    pitch_x: float
    pitch_y: float
    padding: float

    @property
    def per_page(self) -> int:
        """Labels on one page."""
        return self.columns * self.rows

    def origin(self, slot: int) -> tuple[float, float]:
        """Lower-left corner of the label in this slot (filled across, then down)."""
        row, column = divmod(slot, self.columns)
        x = self.left + column * self.pitch_x
        y = self.page[1] - self.top - row * self.pitch_y - self.height
        return x, y


def sheet_for(stock: LabelStock, paper: PaperSize) -> Sheet:
    """The geometry of a label stock on a paper size."""
    if stock is LabelStock.SINGLE_2X1:
        return Sheet((2 * inch, 1 * inch), 1, 1, 2 * inch, 1 * inch, 0, 0, 0, 0, 2 * mm)
    if paper is PaperSize.LETTER:
        # Avery 5160 and its look-alikes: 2⅝ × 1 in, 30 to a Letter sheet.
        return Sheet(
            page_size(paper), 3, 10, 2.625 * inch, 1 * inch,
            0.1875 * inch, 0.5 * inch, 2.75 * inch, 1 * inch, 2.5 * mm,
        )  # fmt: skip
    # 70 × 29.7 mm, 30 to an A4 sheet with no margins.
    return Sheet(page_size(paper), 3, 10, 70 * mm, 29.7 * mm, 0, 0, 70 * mm, 29.7 * mm, 3 * mm)


def labels_pdf(
    labels: Sequence[Label],
    *,
    stock: LabelStock = LabelStock.SHEET_3X10,
    paper: PaperSize = PaperSize.A4,
    symbology: BarcodeSymbology = BarcodeSymbology.CODE128,
    title: str = "Labels",
) -> bytes:
    """The labels as PDF bytes, filling sheets across then down (the same bytes each time)."""
    register_fonts()
    sheet = sheet_for(stock, paper)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, sheet.page, title=title, subject=f"{title}, {stock.display_name}")
    if not labels:
        canvas.setFont(SANS, 9)
        canvas.drawString(10, sheet.page[1] - 20, "No labels.")
        canvas.showPage()
    for start in range(0, len(labels), sheet.per_page):
        for slot, label in enumerate(labels[start : start + sheet.per_page]):
            x, y = sheet.origin(slot)
            draw_label(canvas, label, x, y, sheet, symbology)
        canvas.showPage()
    return finish(canvas, buffer)


def draw_label(
    canvas: Canvas, label: Label, x: float, y: float, sheet: Sheet, symbology: BarcodeSymbology
) -> None:
    """One label in its box: code, description and facts, with the barcode below or beside."""
    pad = sheet.padding
    inner_w, inner_h = sheet.width - 2 * pad, sheet.height - 2 * pad
    left, bottom, top = x + pad, y + pad, y + sheet.height - pad
    value = label.barcode_value or label.code
    if symbology is BarcodeSymbology.QR:
        side = inner_h
        draw_barcode(canvas, symbology, value, left + inner_w - side, bottom, side, side)
        text_w = inner_w - side - 1.5 * mm
        _text(canvas, label, left, top, text_w, description_lines=2, facts=3)
        return
    text_h = 11.5 * mm
    _text(canvas, label, left, top, inner_w, description_lines=1, facts=1)
    draw_barcode(
        canvas, symbology, value, left - 1 * mm, bottom, inner_w + 2 * mm, inner_h - text_h
    )


def _text(
    canvas: Canvas,
    label: Label,
    left: float,
    top: float,
    width: float,
    *,
    description_lines: int,
    facts: int,
) -> None:
    canvas.setFillColorRGB(*INK)
    canvas.setFont(SANS_BOLD, 10)
    canvas.drawString(left, top - 3.6 * mm, fit(label.code, SANS_BOLD, 10, width))
    canvas.setFont(SANS, 6.5)
    y = top - 6.8 * mm
    words = label.description
    for n in range(description_lines):
        line = fit(words, SANS, 6.5, width)
        if n < description_lines - 1 and line.endswith("…"):
            cut = line[:-1].rfind(" ")
            line = line[:cut] if cut > 0 else line[:-1]
        canvas.drawString(left, y, line)
        words = words[len(line) :].strip()
        y -= 2.7 * mm
        if not words:
            break
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(SANS, 6)
    present = [fact for fact in label.facts if fact]
    shown = present[:facts] if facts > 1 else [" · ".join(present)]
    for fact in shown:
        if fact:
            canvas.drawString(left, y, fit(fact, SANS, 6, width))
            y -= 2.6 * mm
    canvas.setFillColorRGB(*INK)
