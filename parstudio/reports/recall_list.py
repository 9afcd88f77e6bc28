"""The recall list PDF: where a lot of an item is, to pull it from every shelf and sign off."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from parstudio.domain.expiry import RecallHolding, RecallList
from parstudio.domain.paper import PaperSize
from parstudio.reports.pdf_common import (
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
    draw_sign_off,
    draw_title_block,
    finish,
    fit,
    layout_columns,
    new_canvas,
    page_size,
    paginate,
    quantity,
    wrap,
)
from parstudio.reports.units import mm

ROW: float = 7 * mm
FONT_SIZE = 8.5
FIRST_HEADER: float = 32 * mm
SIGN_OFF: float = 30 * mm
COLUMNS = (
    ("Pulled", 0.08, False),
    ("Location", 0.14, False),
    ("Name", 0.30, False),
    ("Units", 0.12, True),
    ("Seen", 0.14, False),
    ("From", 0.22, False),
)
SIGN_OFF_LABELS = ("Pulled by", "Date and time", "Returned to supplier / destroyed")
SOURCES = {"count": "latest count", "receipt": "receipt since count"}


def recall_list_pdf(recall: RecallList, paper: PaperSize = PaperSize.A4) -> bytes:
    """The recall list as PDF bytes (the same bytes for the same list)."""
    size = page_size(paper)
    width, height = size
    usable = height - 2 * MARGIN - 8 * mm
    first = int((usable - FIRST_HEADER - HEADINGS - SIGN_OFF) // ROW)
    others = int((usable - OTHER_HEADER - HEADINGS) // ROW)
    pages = paginate(len(recall.holdings), first, others)
    columns = tuple(layout_columns(MARGIN, width - 2 * MARGIN, COLUMNS))
    title = f"Recall list {recall.item_code} lot {recall.lot}"
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, size, title=title, subject=title)
    for number, rows in enumerate(pages, start=1):
        y = _header(canvas, recall, size, columns, first=number == 1)
        if not recall.holdings:
            canvas.setFont(SANS, 9)
            canvas.drawString(
                MARGIN, y - 5 * mm, "No location holds this lot by the latest counts."
            )
            y -= ROW
        for index in rows:
            y = _row(canvas, recall.holdings[index], columns, y, width - MARGIN)
        if number == len(pages):
            draw_sign_off(canvas, y - 6 * mm, width - MARGIN, SIGN_OFF_LABELS)
        draw_footer(canvas, size, number, len(pages), title)
        canvas.showPage()
    return finish(canvas, buffer)


def _header(
    canvas: Canvas,
    recall: RecallList,
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
        draw_title_block(
            canvas,
            size,
            title="RECALL LIST",
            subtitle=f"Lot {recall.lot}",
            label="ITEM",
            name=f"{recall.item_code} · {recall.description}",
        )
        canvas.setFont(SANS, 8.5)
        status = "On the recall list" if recall.on_recall_list else "Not on the recall list"
        facts = [
            f"Made on {recall.made_on.isoformat()}",
            recall.summary,
            status + (f": {recall.reason}" if recall.reason else ""),
        ]
        y = top - 12.5 * mm
        for fact in facts:
            for line in wrap(fact, SANS, 8.5, width - 2 * MARGIN, max_lines=2):
                canvas.drawString(MARGIN, y, line)
                y -= 4 * mm
        top_of_rows = top - FIRST_HEADER
    else:
        top_of_rows = draw_running_header(
            canvas, size, f"Recall list {recall.item_code}", f"Lot {recall.lot}"
        )
    return float(draw_headings_under(canvas, columns, top_of_rows, right))


def _row(
    canvas: Canvas, holding: RecallHolding, columns: tuple[Column, ...], y: float, right: float
) -> float:
    tick, code, name, units, seen, source = columns
    baseline = y - 4.8 * mm
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.7)
    canvas.rect(tick.x + 1 * mm, baseline - 0.8 * mm, 3.6 * mm, 3.6 * mm, stroke=1, fill=0)
    canvas.setFillColorRGB(*INK)
    canvas.setFont(SANS_BOLD, FONT_SIZE)
    canvas.drawString(
        code.x, baseline, fit(holding.location_code, SANS_BOLD, FONT_SIZE, code.width)
    )
    canvas.setFont(SANS, FONT_SIZE)
    canvas.drawString(name.x, baseline, fit(holding.location_name, SANS, FONT_SIZE, name.width))
    canvas.setFont(SANS_BOLD, FONT_SIZE)
    canvas.drawRightString(units.anchor, baseline, quantity(holding.quantity))
    canvas.setFont(SANS, FONT_SIZE)
    canvas.drawString(seen.x, baseline, holding.seen_on.isoformat())
    label = SOURCES.get(holding.source, holding.source)
    canvas.drawString(source.x, baseline, fit(label, SANS, FONT_SIZE, source.width))
    draw_row_rule(canvas, columns[0].x - 1 * mm, y - ROW, right)
    return y - ROW
