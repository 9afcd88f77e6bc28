"""The count sheet PDF: one location in bin order, a barcode and a box to write the count in."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from parstudio.domain.paper import CountSheet, CountSheetLine, PaperSize
from parstudio.reports.barcode_marks import draw_code128
from parstudio.reports.pdf_common import (
    GREY,
    HEADINGS,
    INK,
    MARGIN,
    OTHER_HEADER,
    SANS,
    SANS_BOLD,
    Column,
    draw_footer,
    draw_headings_under,
    draw_row_rule,
    draw_running_header,
    finish,
    fit,
    layout_columns,
    new_canvas,
    page_size,
    paginate,
    quantity,
    register_fonts,
)
from parstudio.reports.units import mm

ROW = 13 * mm
FONT_SIZE = 8.5
FIRST_HEADER = 40 * mm

COLUMNS = (
    ("Bin", 0.09, False),
    ("Item", 0.38, False),
    ("Scan", 0.24, False),
    ("Count type", 0.10, False),
    ("Expected", 0.09, True),
    ("Counted", 0.10, False),
)


def rows_per_page(size: tuple[float, float], first: bool) -> int:
    """How many count lines fit on a page."""
    header = FIRST_HEADER if first else OTHER_HEADER
    return max(int((size[1] - 2 * MARGIN - header - HEADINGS) // ROW), 1)


def count_sheet_pdf(sheet: CountSheet, paper: PaperSize = PaperSize.A4) -> bytes:
    """The count sheet as PDF bytes (the same bytes for the same sheet)."""
    register_fonts()
    size = page_size(paper)
    columns = tuple(layout_columns(MARGIN, size[0] - 2 * MARGIN, COLUMNS))
    pages = paginate(len(sheet.lines), rows_per_page(size, True), rows_per_page(size, False))
    buffer = io.BytesIO()
    canvas = new_canvas(
        buffer,
        size,
        title=f"Count sheet {sheet.location_code}",
        subject=f"Count sheet for {sheet.location_code} {sheet.location_name}",
    )
    footer = f"Count sheet {sheet.location_code} · {sheet.location_name}"
    for number, rows in enumerate(pages, start=1):
        y = _header(canvas, sheet, size, columns, first=number == 1)
        for index in rows:
            y = _row(canvas, sheet.lines[index], columns, y, size[0] - MARGIN, sheet.blind)
        draw_footer(canvas, size, number, len(pages), footer)
        canvas.showPage()
    return finish(canvas, buffer)


def _header(
    canvas: Canvas,
    sheet: CountSheet,
    size: tuple[float, float],
    columns: tuple[Column, ...],
    *,
    first: bool,
) -> float:
    width, height = size
    right = width - MARGIN
    top = height - MARGIN
    canvas.setFillColorRGB(*INK)
    if first:
        canvas.setFont(SANS_BOLD, 16)
        canvas.drawRightString(right, top - 6 * mm, "COUNT SHEET")
        canvas.setFont(SANS_BOLD, 14)
        canvas.drawString(MARGIN, top - 6 * mm, sheet.location_code)
        canvas.setFont(SANS, 10)
        canvas.drawString(MARGIN, top - 11 * mm, sheet.location_name)
        canvas.setFont(SANS, 8.5)
        canvas.setFillColorRGB(*GREY)
        blind = (
            "Blind count: expected quantities are not printed"
            if sheet.blind
            else f"{len(sheet.lines)} lines"
        )
        canvas.drawString(
            MARGIN, top - 15.5 * mm, " · ".join(p for p in (sheet.department, blind) if p)
        )
        canvas.setFillColorRGB(*INK)
        # Who counted and when, written by hand.
        for n, label in enumerate(("Counted by", "Date and time")):
            x = MARGIN + n * 70 * mm
            canvas.setFont(SANS, 7.5)
            canvas.setFillColorRGB(*GREY)
            canvas.drawString(x, top - 22 * mm, label.upper())
            canvas.setFillColorRGB(*INK)
            canvas.setLineWidth(0.6)
            canvas.line(x, top - 30 * mm, x + 62 * mm, top - 30 * mm)
        top_of_rows = top - FIRST_HEADER
    else:
        top_of_rows = draw_running_header(
            canvas, size, f"Count sheet {sheet.location_code}", sheet.location_name
        )
    return draw_headings_under(canvas, columns, top_of_rows, right)


def _row(
    canvas: Canvas,
    line: CountSheetLine,
    columns: tuple[Column, ...],
    y: float,
    right: float,
    blind: bool,
) -> float:
    bin_column, item, scan, count_type, expected, counted = columns
    upper, lower = y - 5 * mm, y - 9.5 * mm
    canvas.setFillColorRGB(*INK)
    canvas.setFont(SANS_BOLD, FONT_SIZE)
    canvas.drawString(bin_column.x, upper, fit(line.bin, SANS_BOLD, FONT_SIZE, bin_column.width))
    canvas.drawString(item.x, upper, fit(line.item_code, SANS_BOLD, FONT_SIZE, item.width))
    canvas.setFont(SANS, FONT_SIZE)
    canvas.drawString(item.x, lower, fit(line.description, SANS, FONT_SIZE, item.width))
    canvas.setFont(SANS, 7.5)
    canvas.drawString(count_type.x, upper, line.count_type.title())
    canvas.setFillColorRGB(*GREY)
    canvas.drawString(count_type.x, lower, line.unit)
    canvas.setFillColorRGB(*INK)
    if not blind and line.expected is not None:
        canvas.setFont(SANS, FONT_SIZE)
        canvas.drawRightString(expected.anchor, upper, quantity(line.expected))
    draw_code128(canvas, line.item_code, scan.x - 2 * mm, y - 11.5 * mm, scan.width, 9 * mm)
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.8)
    canvas.rect(counted.x, y - 11 * mm, right - counted.x, 9 * mm, stroke=1, fill=0)
    draw_row_rule(canvas, columns[0].x - 1 * mm, y - ROW, right)
    return y - ROW
