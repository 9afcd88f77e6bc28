"""The order sheet PDF: one purchase order for its supplier, rows drawn straight on the canvas."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from parstudio.domain.paper import OrderSheet, OrderSheetLine, PaperSize
from parstudio.reports.pdf_common import (
    GREY,
    HEADINGS,
    INK,
    MARGIN,
    OTHER_HEADER,
    RULE,
    SANS,
    SANS_BOLD,
    Column,
    draw_footer,
    draw_headings_under,
    draw_running_header,
    draw_sign_off,
    finish,
    fit,
    layout_columns,
    money,
    new_canvas,
    page_size,
    paginate,
    quantity,
    register_fonts,
    wrap,
)
from parstudio.reports.units import mm

ROW = 5.2 * mm
FONT_SIZE = 8.0
FIRST_HEADER = 60 * mm  # department, supplier and order boxes on page 1
PAGE_TOTAL = 7 * mm
SIGNATURE_BLOCK = 34 * mm
NOTE_LINE = 4 * mm
ZERO = Decimal(0)

COLUMNS = (
    ("Item code", 0.11, False),
    ("Supplier no.", 0.11, False),
    ("Description", 0.32, False),
    ("For", 0.11, False),
    ("Pack", 0.08, False),
    ("Packs", 0.06, True),
    ("Pack price", 0.10, True),
    ("Line total", 0.11, True),
)
DESCRIPTION_COLUMN = 2
FOR_COLUMN = 3


@dataclass(frozen=True, slots=True)
class Layout:
    """Where everything goes on one paper size, worked out before drawing."""

    size: tuple[float, float]
    columns: tuple[Column, ...]
    pages: tuple[range, ...]
    note_lines: tuple[str, ...]

    @property
    def right(self) -> float:
        """The right edge of the table."""
        return self.size[0] - MARGIN


def rows_per_page(size: tuple[float, float], first: bool) -> int:
    """How many order lines fit on a page of this size."""
    header = FIRST_HEADER if first else OTHER_HEADER
    room = size[1] - 2 * MARGIN - header - HEADINGS - PAGE_TOTAL
    return max(int(room // ROW), 1)


def column_spec(sheet: OrderSheet, width: float) -> list[tuple[str, float, bool]]:
    """The columns of this sheet: For fits the longest location code, so no code is cut."""
    spec = list(COLUMNS)
    longest = max(
        (stringWidth(line.location_code, SANS, FONT_SIZE) for line in sheet.lines), default=0.0
    )
    wanted = (longest + 3 * mm) / width  # the column's gap and a little air
    heading, share, right = spec[FOR_COLUMN]
    if wanted > share:
        extra = min(wanted - share, 0.14)
        spec[FOR_COLUMN] = (heading, share + extra, right)
        name, room, flag = spec[DESCRIPTION_COLUMN]
        spec[DESCRIPTION_COLUMN] = (name, room - extra, flag)
    return spec


def plan(sheet: OrderSheet, paper: PaperSize) -> Layout:
    """Columns, the lines on each page and the closing block, so "page n of m" is known."""
    register_fonts()
    size = page_size(paper)
    width = size[0] - 2 * MARGIN
    columns = tuple(layout_columns(MARGIN, width, column_spec(sheet, width)))
    notes = tuple(wrap(sheet.notes, SANS, FONT_SIZE, width)) if sheet.notes else ()
    first, others = rows_per_page(size, True), rows_per_page(size, False)
    pages = paginate(len(sheet.lines), first, others)
    last_capacity = first if len(pages) == 1 else others
    if (last_capacity - len(pages[-1])) * ROW < closing_height(notes):
        pages.append(range(len(sheet.lines), len(sheet.lines)))
    return Layout(size, columns, tuple(pages), notes)


def closing_height(notes: Sequence[str]) -> float:
    """Room the order total, the notes and the signature block take on the last page."""
    return PAGE_TOTAL + SIGNATURE_BLOCK + ((len(notes) + 1) * NOTE_LINE if notes else 0)


def cells(line: OrderSheetLine) -> tuple[str, ...]:
    """The texts of one row, before fitting to the columns."""
    return (
        line.item_code,
        line.supplier_item_no,
        line.description,
        line.location_code,
        f"{quantity(line.pack_size)} {line.unit}",
        str(line.packs),
        money(line.pack_price),
        money(line.total),
    )


def order_sheet_pdf(sheet: OrderSheet, paper: PaperSize = PaperSize.A4) -> bytes:
    """The order sheet as PDF bytes (the same bytes for the same sheet)."""
    layout = plan(sheet, paper)
    buffer = io.BytesIO()
    canvas = new_canvas(
        buffer,
        layout.size,
        title=f"Order sheet {sheet.number}",
        subject=f"Purchase order {sheet.number} to {sheet.supplier.name}",
    )
    count = len(layout.pages)
    footer = f"Purchase order {sheet.number} · {sheet.supplier.name}"
    for number, rows in enumerate(layout.pages, start=1):
        top = (
            _first_header(canvas, sheet, layout)
            if number == 1
            else _other_header(canvas, sheet, layout)
        )
        y = _draw_rows(canvas, layout, sheet.lines, rows, top)
        if rows:
            page_total = sum((sheet.lines[i].total or ZERO for i in rows), ZERO)
            _draw_total(
                canvas, layout, y, "Page total", sheet.currency.amount(page_total), bold=False
            )
            y -= PAGE_TOTAL
        if number == count:
            _closing(canvas, sheet, layout, y)
        draw_footer(canvas, layout.size, number, count, footer)
        canvas.showPage()
    return finish(canvas, buffer)


def _first_header(canvas: Canvas, sheet: OrderSheet, layout: Layout) -> float:
    width, height = layout.size
    right = layout.right
    top = height - MARGIN
    canvas.setFillColorRGB(*INK)
    canvas.setFont(SANS_BOLD, 16)
    canvas.drawRightString(right, top - 6 * mm, "PURCHASE ORDER")
    canvas.setFont(SANS_BOLD, 12)
    canvas.drawRightString(right, top - 12 * mm, sheet.number)
    canvas.setFont(SANS, 8.5)
    facts = [
        ("Order date", sheet.order_date.isoformat()),
        ("Expected delivery", sheet.expected_date.isoformat() if sheet.expected_date else "—"),
        ("Currency", sheet.currency.code),
    ]
    # The supplier needs no "Draft" or "Sent"; a cancelled order must say so.
    if sheet.status == "CANCELLED":
        facts.append(("Status", "Cancelled"))
    y = top - 18 * mm
    for label, value in facts:
        canvas.setFillColorRGB(*GREY)
        canvas.drawRightString(right - 30 * mm, y, label)
        canvas.setFillColorRGB(*INK)
        canvas.drawRightString(right, y, value)
        y -= 4.2 * mm

    half = (width - 2 * MARGIN) / 2
    box_top = top - 29 * mm
    _party(
        canvas,
        MARGIN,
        top,
        half,
        "From / deliver to",
        sheet.department.name,
        sheet.department.lines,
    )
    supplier_lines = [f"Supplier code {sheet.supplier_code}"]
    if sheet.supplier_account:
        supplier_lines.insert(0, f"Account no. {sheet.supplier_account}")
    _party(
        canvas,
        MARGIN,
        box_top,
        half,
        "Supplier",
        sheet.supplier.name,
        (*supplier_lines, *sheet.supplier.lines),
    )
    return draw_headings_under(canvas, layout.columns, height - MARGIN - FIRST_HEADER, right)


def _party(
    canvas: Canvas, x: float, top: float, width: float, label: str, name: str, lines: Sequence[str]
) -> None:
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(SANS, 7.5)
    canvas.drawString(x, top - 3 * mm, label.upper())
    canvas.setFillColorRGB(*INK)
    canvas.setFont(SANS_BOLD, 11)
    canvas.drawString(x, top - 8 * mm, fit(name, SANS_BOLD, 11, width))
    canvas.setFont(SANS, 8.5)
    y = top - 12.5 * mm
    for line in lines[:4]:
        canvas.drawString(x, y, fit(line, SANS, 8.5, width))
        y -= 4 * mm


def _other_header(canvas: Canvas, sheet: OrderSheet, layout: Layout) -> float:
    canvas.setFillColorRGB(*INK)
    supplier = fit(sheet.supplier.name, SANS, 9, layout.right / 2)
    top_of_rows = draw_running_header(
        canvas, layout.size, f"Purchase order {sheet.number}", supplier
    )
    return draw_headings_under(canvas, layout.columns, top_of_rows, layout.right)


def _draw_rows(
    canvas: Canvas,
    layout: Layout,
    lines: Sequence[OrderSheetLine],
    rows: range,
    top: float,
) -> float:
    columns = layout.columns
    left, right = columns[0].x - 1 * mm, layout.right
    code, supplier_no, description, where = columns[0], columns[1], columns[2], columns[3]
    numbers = columns[4:]
    canvas.setFont(SANS, FONT_SIZE)
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.3)
    y = top
    for index in rows:
        texts = cells(lines[index])
        baseline = y - 3.6 * mm
        canvas.drawString(code.x, baseline, fit(texts[0], SANS, FONT_SIZE, code.width))
        canvas.drawString(
            supplier_no.x, baseline, fit(texts[1], SANS, FONT_SIZE, supplier_no.width)
        )
        canvas.drawString(
            description.x, baseline, fit(texts[2], SANS, FONT_SIZE, description.width)
        )
        canvas.drawString(where.x, baseline, fit(texts[3], SANS, FONT_SIZE, where.width))
        canvas.drawString(numbers[0].x, baseline, texts[4])
        for column, text in zip(numbers[1:], texts[5:], strict=True):
            canvas.drawRightString(column.anchor, baseline, text)
        y -= ROW
        canvas.line(left, y, right, y)
    return y


def _draw_total(
    canvas: Canvas, layout: Layout, y: float, label: str, amount: str, *, bold: bool
) -> None:
    total_column = layout.columns[-1]
    font = SANS_BOLD if bold else SANS
    canvas.setFont(font, 9 if bold else FONT_SIZE)
    baseline = y - 4.5 * mm
    canvas.drawRightString(total_column.x - 3 * mm, baseline, label)
    canvas.drawRightString(total_column.anchor, baseline, amount)


def _closing(canvas: Canvas, sheet: OrderSheet, layout: Layout, y: float) -> None:
    _draw_total(canvas, layout, y, "Order total", sheet.currency.amount(sheet.total), bold=True)
    y -= PAGE_TOTAL
    canvas.setFont(SANS, FONT_SIZE)
    summary = f"{len(sheet.lines)} lines"
    if sheet.unpriced_lines:
        summary += f"; {sheet.unpriced_lines} without a pack price are not in the totals"
    canvas.setFillColorRGB(*GREY)
    canvas.drawString(MARGIN, y + 2.5 * mm, summary)
    canvas.setFillColorRGB(*INK)
    if layout.note_lines:
        y -= NOTE_LINE
        canvas.setFont(SANS_BOLD, FONT_SIZE)
        canvas.drawString(MARGIN, y, "Notes")
        canvas.setFont(SANS, FONT_SIZE)
        for line in layout.note_lines:
            y -= NOTE_LINE
            canvas.drawString(MARGIN, y, line)
    _signature_block(canvas, sheet, layout, y - 6 * mm)


def _signature_block(canvas: Canvas, sheet: OrderSheet, layout: Layout, top: float) -> None:
    draw_sign_off(
        canvas,
        top,
        layout.right,
        ("Approved by", "Signature", "Date"),
        height=22 * mm,
        values=(sheet.approved_by or "", "", ""),
    )
