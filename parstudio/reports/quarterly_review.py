"""The quarterly review report PDF: key figures, then one table per section, flowing over pages."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

from parstudio.domain.orders import OrderKind
from parstudio.domain.paper import PaperSize
from parstudio.domain.quarterly_review import (
    QuarterlyReport,
)
from parstudio.reports import pdf_blocks
from parstudio.reports.pdf_blocks import (
    CONTINUED,
    Block,
    Figure,
    KeyFigures,
    Placed,
    Table,
    draw,
)
from parstudio.reports.pdf_common import (
    GREY,
    INK,
    MARGIN,
    OTHER_HEADER,
    SANS,
    SANS_BOLD,
    draw_footer,
    draw_running_header,
    finish,
    fit,
    money,
    new_canvas,
    page_size,
    register_fonts,
)
from parstudio.reports.quarterly_sections import (
    count_of,
    section_blocks,
    versus,
)
from parstudio.reports.units import mm

__all__ = ["CONTINUED", "Table", "build_blocks", "flow", "key_figures", "quarterly_review_pdf"]

FIRST_HEADER = 22 * mm


def quarterly_review_pdf(report: QuarterlyReport, paper: PaperSize = PaperSize.A4) -> bytes:
    """The quarterly review report as PDF bytes (the same bytes for the same report)."""
    register_fonts()  # blocks are fitted to their columns before the canvas exists
    size = page_size(paper)
    blocks = build_blocks(report, size[0])
    pages = flow(blocks, size)
    title = f"Quarterly review {report.quarter.code}"
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, size, title=title, subject=f"{title} · {report.scope}")
    footer = f"{title} · {report.scope} · made on {report.made_on.isoformat()}"
    for number, placed in enumerate(pages, start=1):
        _header(canvas, report, size, first=number == 1)
        for item in placed:
            draw(canvas, item, size)
        footer_room = size[0] - 2 * MARGIN - 30 * mm  # "Page n of m" on the right
        draw_footer(canvas, size, number, len(pages), fit(footer, SANS, 7.5, footer_room))
        canvas.showPage()
    return finish(canvas, buffer)


# --- What goes in the report ---------------------------------------------------------------


def build_blocks(report: QuarterlyReport, page_width: float) -> list[Block]:
    """The report's blocks in reading order, laid out for a page width."""
    width = page_width - 2 * MARGIN
    return [
        KeyFigures(key_figures(report)),
        *section_blocks(report, width),
    ]


def key_figures(report: QuarterlyReport) -> tuple[Figure, ...]:
    """The six figures a reader takes in at a glance."""
    quarter = report.quarter
    usage = report.total_usage if report.usage else None
    usage_details: tuple[str, ...] = ("no priced usage",)
    if usage is not None:
        usage_details = (
            versus(
                usage.change_vs_last, quarter.previous, usage.last_quarter_known, usage.last_quarter
            ),
            versus(
                usage.change_vs_year,
                quarter.year_before,
                usage.year_before_known,
                usage.year_before,
            ),
        )
    unpriced = sum(s.unpriced for s in report.stock_value)
    places = len(report.stock_value)
    stock_details = (
        count_of(places, "location"),
        f"{count_of(unpriced, 'line')} without a price, not valued"
        if unpriced
        else "consignment stock apart",
    )
    waste_unpriced = sum(w.unpriced for w in report.waste_by_reason)
    waste_details = [
        count_of(len(report.waste), "record")
        + (f" ({waste_unpriced} without a price)" if waste_unpriced else "")
    ]
    if report.waste_by_reason:
        biggest = report.waste_by_reason[0]  # costliest first
        waste_details.append(f"most: {biggest.reason.label.lower()}, {money(biggest.cost)}")
    # The kind may come as the enum's value (PURCHASE) or as a word (Purchase).
    purchases = sum(1 for r in report.rush_orders if r.kind.upper() == OrderKind.PURCHASE)
    transfers = len(report.rush_orders) - purchases
    items = len(report.stockouts)
    locations = len({s.location_code for s in report.stockouts})
    return (
        Figure(
            f"Usage value {quarter.label}",
            money(usage.this_quarter if usage else Decimal(0)),
            usage_details,
        ),
        Figure(
            f"Stock on hand {quarter.end.isoformat()}",
            money(report.total_stock_value),
            stock_details,
        ),
        Figure(
            "Consignment (vendor-owned)",
            money(report.total_consignment_value),
            ("on the shelf at the end of the quarter", "not in the stock value"),
        ),
        Figure("Waste", money(report.waste_cost), tuple(waste_details)),
        Figure(
            "Rush orders",
            str(len(report.rush_orders)),
            (
                f"worth {money(report.rush_value)}",
                f"{count_of(purchases, 'purchase')}, {count_of(transfers, 'transfer')}",
            ),
        ),
        Figure(
            "Stockouts",
            str(report.stockout_events),
            (
                "counts that found a shelf empty",
                f"{count_of(items, 'item')} at {count_of(locations, 'location')}",
            ),
        ),
    )


def flow(blocks: Sequence[Block], size: tuple[float, float]) -> list[list[Placed]]:
    """The report's blocks put on pages, under the first page's header and the others'."""
    return pdf_blocks.flow(blocks, size, first_header=FIRST_HEADER, other_header=OTHER_HEADER)


# --- Drawing -----------------------------------------------------------------------------------


def _header(
    canvas: Canvas, report: QuarterlyReport, size: tuple[float, float], *, first: bool
) -> None:
    width, height = size
    top = height - MARGIN
    canvas.setFillColorRGB(*INK)
    title = f"Quarterly review — {report.quarter.label}"
    if not first:
        draw_running_header(canvas, size, title, fit(report.scope, SANS, 9, width / 2 - MARGIN))
        return
    canvas.setFont(SANS_BOLD, 17)
    canvas.drawString(MARGIN, top - 6 * mm, title)
    canvas.setFont(SANS, 11)
    canvas.drawString(MARGIN, top - 12 * mm, fit(report.scope, SANS, 11, width - 2 * MARGIN))
    quarter = report.quarter
    facts = (
        f"{quarter.start.isoformat()} to {quarter.end.isoformat()}",
        count_of(report.settings, "PAR setting"),
        f"made on {report.made_on.isoformat()}",
    )
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(SANS, 8.5)
    canvas.drawString(MARGIN, top - 17 * mm, "   ·   ".join(facts))
    canvas.setFillColorRGB(*INK)
