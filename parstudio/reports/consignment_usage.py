"""The consignment usage PDF: each vendor's replenish-on-use list, to invoice and send again."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from parstudio.domain.consignment import ConsignmentLine, ConsignmentUsage, VendorUsage
from parstudio.domain.paper import PaperSize
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
    draw_title_block,
    finish,
    fit,
    layout_columns,
    money,
    new_canvas,
    page_size,
    paginate,
    quantity,
    wrap,
)
from parstudio.reports.units import mm

ROW: float = 5.6 * mm
FONT_SIZE = 8.0
FIRST_HEADER: float = 34 * mm
CLOSING: float = 16 * mm
COLUMNS = (
    ("Location", 0.085, False),
    ("Item code", 0.095, False),
    ("Vendor no.", 0.105, False),
    ("Description", 0.415, False),
    ("Unit", 0.05, False),
    ("Used", 0.06, True),
    ("Unit price", 0.09, True),
    ("Value", 0.10, True),
)
INTRO = (
    "Consignment stock used at each location in the period, from counts and receipts (whole "
    "units). Please invoice what was used and replenish the same quantities."
)


def consignment_usage_pdf(report: ConsignmentUsage, paper: PaperSize = PaperSize.A4) -> bytes:
    """Each vendor's list from a new page, pages numbered through (the same bytes each time)."""
    size = page_size(paper)
    width, height = size
    usable = height - 2 * MARGIN - 8 * mm
    first = max(int((usable - FIRST_HEADER - HEADINGS - CLOSING) // ROW), 1)
    others = max(int((usable - OTHER_HEADER - HEADINGS - CLOSING) // ROW), 1)
    columns = tuple(layout_columns(MARGIN, width - 2 * MARGIN, COLUMNS))
    vendors = report.vendors or (VendorUsage("", None, ()),)
    plans = [(vendor, paginate(len(vendor.lines), first, others)) for vendor in vendors]
    total_pages = sum(len(pages) for _vendor, pages in plans)
    title = f"Consignment usage {report.period.label}"
    if len(report.vendors) == 1:
        title += f" · {report.vendors[0].vendor}"
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, size, title=title, subject="Replenish-on-use list")
    number = 0
    for vendor, pages in plans:
        for page, rows in enumerate(pages):
            number += 1
            y = _header(canvas, report, vendor, size, columns, first=page == 0)
            if not vendor.lines:
                canvas.setFont(SANS, 9)
                canvas.drawString(
                    MARGIN, y - 5 * mm, "No consignment item was used in this period."
                )
            for index in rows:
                y = _row(canvas, vendor.lines[index], columns, y, width - MARGIN)
            if page == len(pages) - 1 and vendor.lines:
                _closing(canvas, vendor, columns, y)
            draw_footer(canvas, size, number, total_pages, title)
            canvas.showPage()
    return finish(canvas, buffer)


def _header(
    canvas: Canvas,
    report: ConsignmentUsage,
    vendor: VendorUsage,
    size: tuple[float, float],
    columns: tuple[Column, ...],
    *,
    first: bool,
) -> float:
    width, height = size
    right = width - MARGIN
    top = height - MARGIN
    period = report.period
    name = vendor.vendor + (f" ({vendor.vendor_code})" if vendor.vendor_code else "")
    canvas.setFillColorRGB(*INK)
    if first:
        draw_title_block(
            canvas,
            size,
            title="CONSIGNMENT USAGE",
            subtitle=f"Replenish on use · {period.label}",
            label="VENDOR",
            name=name,
        )
        canvas.setFont(SANS, 8.5)
        canvas.drawRightString(
            right, top - 17 * mm, f"{period.first:%d %b %Y} to {period.end:%d %b %Y}"
        )
        canvas.setFont(SANS, 8.5)
        facts = f"Made on {report.made_on:%d %b %Y}"
        if vendor.lines:
            items = len(vendor.lines)
            facts += (
                f" · {items} line{'s' if items != 1 else ''} at {vendor.locations} "
                f"location{'s' if vendor.locations != 1 else ''}"
            )
        canvas.drawString(MARGIN, top - 13.5 * mm, facts)
        canvas.setFillColorRGB(*GREY)
        for n, line in enumerate(wrap(INTRO, SANS, 8.5, right - MARGIN, max_lines=2)):
            canvas.drawString(MARGIN, top - (21 + 4 * n) * mm, line)
        canvas.setFillColorRGB(*INK)
        top_of_rows = top - FIRST_HEADER
    else:
        top_of_rows = draw_running_header(canvas, size, f"Consignment usage · {name}", period.label)
    return float(draw_headings_under(canvas, columns, top_of_rows, right))


def _row(
    canvas: Canvas, line: ConsignmentLine, columns: tuple[Column, ...], y: float, right: float
) -> float:
    place, code, number, description, unit, used, price, amount = columns
    baseline = y - 4 * mm
    canvas.setFillColorRGB(*INK)
    canvas.setFont(SANS_BOLD, FONT_SIZE)
    canvas.drawString(place.x, baseline, fit(line.location_code, SANS_BOLD, FONT_SIZE, place.width))
    canvas.setFont(SANS, FONT_SIZE)
    for column, text in (
        (code, line.item_code),
        (number, line.vendor_item_no or ""),
        (description, line.description),
        (unit, line.unit),
    ):
        canvas.drawString(column.x, baseline, fit(text, SANS, FONT_SIZE, column.width))
    canvas.drawRightString(used.anchor, baseline, quantity(line.used))
    canvas.drawRightString(price.anchor, baseline, money(line.unit_price) or "no price")
    canvas.drawRightString(amount.anchor, baseline, money(line.value))
    draw_row_rule(canvas, columns[0].x - 1 * mm, y - ROW, right)
    return y - ROW


def _closing(canvas: Canvas, vendor: VendorUsage, columns: tuple[Column, ...], y: float) -> None:
    baseline = y - 5 * mm
    canvas.setFillColorRGB(*INK)
    canvas.setFont(SANS_BOLD, 9)
    amount = money(vendor.total)
    room = canvas.stringWidth(amount, SANS_BOLD, 9) + 4 * mm
    canvas.drawRightString(columns[-1].anchor - room, baseline, "Total")
    canvas.drawRightString(columns[-1].anchor, baseline, amount)
    if vendor.unpriced:
        canvas.setFillColorRGB(*GREY)
        canvas.setFont(SANS, FONT_SIZE)
        n = vendor.unpriced
        canvas.drawString(
            MARGIN,
            baseline - 5 * mm,
            f"{n} line{'s' if n != 1 else ''} without a price {'are' if n != 1 else 'is'} "
            "not in the total.",
        )
        canvas.setFillColorRGB(*INK)
