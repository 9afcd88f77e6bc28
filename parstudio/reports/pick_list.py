"""The pick list PDF: one storeroom run, by destination, in the storeroom's bin order."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from parstudio.domain.paper import PaperSize, PickGroup, PickLine, PickList
from parstudio.reports.pdf_common import (
    GREY,
    HEADINGS,
    INK,
    MARGIN,
    OTHER_HEADER,
    SANS,
    SANS_BOLD,
    SHADE,
    Column,
    draw_footer,
    draw_headings_under,
    draw_row_rule,
    draw_running_header,
    draw_sign_off,
    finish,
    fit,
    layout_columns,
    new_canvas,
    page_size,
    quantity,
    register_fonts,
)
from parstudio.reports.units import mm

ROW = 6.2 * mm
GROUP = 8 * mm
FONT_SIZE = 8.5
FIRST_HEADER = 36 * mm
SIGN_OFF = 30 * mm
SIGN_OFF_LABELS = ("Picked by", "Date and time", "Checked / received by")

COLUMNS = (
    ("Picked", 0.07, False),
    ("Bin", 0.10, False),
    ("Item code", 0.14, False),
    ("Description", 0.41, False),
    ("Pack", 0.09, False),
    ("Packs", 0.07, True),
    ("Units", 0.12, True),
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing on a page: a destination heading (line is None) or a line under it."""

    group: PickGroup
    line: PickLine | None
    continued: bool = False

    @property
    def height(self) -> float:
        """Its height on the page."""
        return ROW if self.line else GROUP


def plan(pick: PickList, paper: PaperSize) -> list[list[Entry]]:
    """The entries of each page; a group cut by a page break gets its heading again."""
    register_fonts()
    size = page_size(paper)
    room_first = size[1] - 2 * MARGIN - FIRST_HEADER - HEADINGS
    room_other = size[1] - 2 * MARGIN - OTHER_HEADER - HEADINGS
    pages: list[list[Entry]] = [[]]
    room = room_first
    for group in pick.groups:
        entries = [Entry(group, None), *(Entry(group, line) for line in group.lines)]
        for entry in entries:
            # A heading needs at least one line under it on the same page.
            needed = entry.height + (ROW if entry.line is None else 0)
            if needed > room:
                pages.append([])
                room = room_other
                if entry.line is not None:
                    heading = Entry(group, None, continued=True)
                    pages[-1].append(heading)
                    room -= heading.height
            pages[-1].append(entry)
            room -= entry.height
    if room < SIGN_OFF:
        pages.append([])
    return pages


def pick_list_pdf(pick: PickList, paper: PaperSize = PaperSize.A4) -> bytes:
    """The pick list as PDF bytes (the same bytes for the same list)."""
    return pick_lists_pdf([pick], paper)


def pick_lists_pdf(picks: Sequence[PickList], paper: PaperSize = PaperSize.A4) -> bytes:
    """Several pick lists in one PDF, each starting on a page of its own."""
    size = page_size(paper)
    buffer = io.BytesIO()
    title = f"Pick list {picks[0].number}" if len(picks) == 1 else f"{len(picks)} pick lists"
    canvas = new_canvas(buffer, size, title=title, subject=title)
    for pick in picks:
        _draw(canvas, pick, paper)
    return finish(canvas, buffer)


def _draw(canvas: Canvas, pick: PickList, paper: PaperSize) -> None:
    pages = plan(pick, paper)
    size = page_size(paper)
    columns = tuple(layout_columns(MARGIN, size[0] - 2 * MARGIN, COLUMNS))
    footer = f"Pick list {pick.number} · {pick.storeroom_code}"
    for number, entries in enumerate(pages, start=1):
        y = _header(canvas, pick, size, columns, first=number == 1)
        for entry in entries:
            y = _entry(canvas, entry, columns, y, size[0] - MARGIN)
        if number == len(pages):
            draw_sign_off(canvas, y - 6 * mm, size[0] - MARGIN, SIGN_OFF_LABELS)
        draw_footer(canvas, size, number, len(pages), footer)
        canvas.showPage()


def _header(
    canvas: Canvas,
    pick: PickList,
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
        canvas.drawRightString(right, top - 6 * mm, "PICK LIST")
        canvas.setFont(SANS_BOLD, 12)
        canvas.drawRightString(right, top - 12 * mm, pick.number)
        canvas.setFillColorRGB(*GREY)
        canvas.setFont(SANS, 7.5)
        canvas.drawString(MARGIN, top - 3 * mm, "PICK FROM")
        canvas.setFillColorRGB(*INK)
        canvas.setFont(SANS_BOLD, 11)
        canvas.drawString(MARGIN, top - 8 * mm, f"{pick.storeroom_code} · {pick.storeroom_name}")
        canvas.setFont(SANS, 8.5)
        facts = [
            pick.department,
            f"Order date {pick.order_date.isoformat()}",
            "Deliver by "
            + (pick.expected_date.isoformat() if pick.expected_date else "the next delivery"),
            f"{pick.line_count} line{'s' * (pick.line_count != 1)} for {len(pick.groups)} "
            f"location{'s' * (len(pick.groups) != 1)}",
        ]
        y = top - 12.5 * mm
        for fact in facts:
            if fact:
                canvas.drawString(MARGIN, y, fact)
                y -= 4 * mm
        top_of_rows = top - FIRST_HEADER
    else:
        top_of_rows = draw_running_header(
            canvas, size, f"Pick list {pick.number}", pick.storeroom_code
        )
    return draw_headings_under(canvas, columns, top_of_rows, right)


def _entry(
    canvas: Canvas, entry: Entry, columns: tuple[Column, ...], y: float, right: float
) -> float:
    left = columns[0].x - 1 * mm
    if entry.line is None:
        group = entry.group
        canvas.setFillColorRGB(*SHADE)
        canvas.rect(left, y - GROUP + 1 * mm, right - left, GROUP - 2 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(*INK)
        canvas.setFont(SANS_BOLD, 9.5)
        title = f"To {group.location_code} · {group.location_name}"
        if entry.continued:
            title += " (continued)"
        canvas.drawString(columns[0].x, y - 5.2 * mm, fit(title, SANS_BOLD, 9.5, right - left))
        canvas.setFont(SANS, 8)
        canvas.drawRightString(right - 1 * mm, y - 5.2 * mm, f"{len(group.lines)} lines")
        return y - GROUP
    line = entry.line
    baseline = y - 4.3 * mm
    tick, bin_column, code, description, pack, packs, units = columns
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.7)
    canvas.rect(tick.x + 1 * mm, baseline - 0.8 * mm, 3.6 * mm, 3.6 * mm, stroke=1, fill=0)
    canvas.setFont(SANS_BOLD, FONT_SIZE)
    canvas.drawString(bin_column.x, baseline, fit(line.bin, SANS_BOLD, FONT_SIZE, bin_column.width))
    canvas.setFont(SANS, FONT_SIZE)
    canvas.drawString(code.x, baseline, fit(line.item_code, SANS, FONT_SIZE, code.width))
    if line.lot_text:
        # The lot to pick, in bold after the description: picking another lot defeats the move.
        lot = f"  {line.lot_text}"
        lot_width = canvas.stringWidth(lot, SANS_BOLD, FONT_SIZE)
        room = max(description.width - lot_width, description.width * 0.15)
        text = fit(line.description, SANS, FONT_SIZE, room)
        canvas.drawString(description.x, baseline, text)
        canvas.setFont(SANS_BOLD, FONT_SIZE)
        used = canvas.stringWidth(text, SANS, FONT_SIZE)
        canvas.drawString(
            description.x + used,
            baseline,
            fit(lot, SANS_BOLD, FONT_SIZE, description.width - used),
        )
        canvas.setFont(SANS, FONT_SIZE)
    else:
        canvas.drawString(
            description.x, baseline, fit(line.description, SANS, FONT_SIZE, description.width)
        )
    canvas.drawString(pack.x, baseline, f"{quantity(line.pack_size)} {line.unit}")
    canvas.setFont(SANS_BOLD, FONT_SIZE)
    canvas.drawRightString(packs.anchor, baseline, str(line.packs))
    canvas.setFont(SANS, FONT_SIZE)
    canvas.drawRightString(units.anchor, baseline, f"{quantity(line.units)} {line.unit}")
    draw_row_rule(canvas, left, y - ROW, right)
    return y - ROW
