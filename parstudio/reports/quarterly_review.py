"""The quarterly review report PDF: key figures, then one table per section, flowing over pages."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from parstudio.domain.orders import OrderKind
from parstudio.domain.paper import PaperSize
from parstudio.domain.quarterly_review import (
    ALL_LOCATIONS,
    Quarter,
    QuarterlyReport,
    UsageComparison,
)
from parstudio.domain.review import ReviewLine
from parstudio.domain.waste import WasteRecord
from parstudio.reports import pdf_blocks
from parstudio.reports.pdf_blocks import (
    CONTINUED,
    Block,
    Figure,
    Heading,
    KeyFigures,
    Note,
    Placed,
    Table,
    draw,
    note_lines,
    table,
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
    percent,
    quantity,
    register_fonts,
)

__all__ = ["CONTINUED", "Table", "build_blocks", "flow", "key_figures", "quarterly_review_pdf"]

FIRST_HEADER = 22 * mm
INCOMPLETE = "*"
NO_HISTORY = "no history"

STOCKOUT_COLUMNS = (
    ("Location", 0.12, False),
    ("Item", 0.14, False),
    ("Description", 0.42, False),
    ("Times out", 0.10, True),
    ("Counts", 0.09, True),
    ("Last on", 0.13, True),
)
REASON_COLUMNS = (
    ("Reason", 0.40, False),
    ("Records", 0.18, True),
    ("Without price", 0.22, True),
    ("Cost", 0.20, True),
)
WASTE_COLUMNS = (
    ("Date", 0.11, False),
    ("Location", 0.112, False),
    ("Item", 0.10, False),
    ("Description", 0.241, False),
    ("Lot", 0.09, False),
    ("Quantity", 0.085, True),
    ("Reason", 0.172, False),
    ("Cost", 0.09, True),
)
RUSH_COLUMNS = (
    ("Number", 0.135, False),
    ("Ordered", 0.105, False),
    ("Expected", 0.105, False),
    ("Kind", 0.085, False),
    ("From", 0.13, False),
    ("To", 0.10, False),
    ("Value", 0.10, True),
    ("Why", 0.24, False),
)
STOCK_COLUMNS = (
    ("Location", 0.12, False),
    ("Name", 0.40, False),
    ("Value", 0.17, True),
    ("Consignment", 0.17, True),
    ("Unpriced lines", 0.14, True),
)
MOVER_COLUMNS = (
    ("Location", 0.12, False),
    ("Item", 0.12, False),
    ("Description", 0.37, False),
    ("Units", 0.12, True),
    ("Value", 0.14, True),
)
"""Then the change against the quarter before, headed with its name."""
REVIEW_COLUMNS = (
    ("Location", 0.12, False),
    ("Item", 0.11, False),
    ("Description", 0.25, False),
    ("Level", 0.06, False),
    ("Current", 0.085, True),
    ("Suggested", 0.095, True),
    ("Change", 0.095, True),
    ("Weeks", 0.07, True),
    ("Avg week", 0.095, True),
)


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
        *_usage(report, width),
        *_stockouts(report, width),
        *_waste(report, width),
        *_rush_orders(report, width),
        *_stock_value(report, width),
        *_movers(report, width),
        *_out_of_line(report, width),
    ]


def key_figures(report: QuarterlyReport) -> tuple[Figure, ...]:
    """The six figures a reader takes in at a glance."""
    quarter = report.quarter
    usage = report.total_usage if report.usage else None
    usage_details: tuple[str, ...] = ("no priced usage",)
    if usage is not None:
        usage_details = (
            _versus(
                usage.change_vs_last, quarter.previous, usage.last_quarter_known, usage.last_quarter
            ),
            _versus(
                usage.change_vs_year,
                quarter.year_before,
                usage.year_before_known,
                usage.year_before,
            ),
        )
    unpriced = sum(s.unpriced for s in report.stock_value)
    places = len(report.stock_value)
    stock_details = (
        _count(places, "location"),
        f"{_count(unpriced, 'line')} without a price, not valued"
        if unpriced
        else "consignment stock apart",
    )
    waste_unpriced = sum(w.unpriced for w in report.waste_by_reason)
    waste_details = [
        _count(len(report.waste), "record")
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
                f"{_count(purchases, 'purchase')}, {_count(transfers, 'transfer')}",
            ),
        ),
        Figure(
            "Stockouts",
            str(report.stockout_events),
            (
                "counts that found a shelf empty",
                f"{_count(items, 'item')} at {_count(locations, 'location')}",
            ),
        ),
    )


def _section(
    title: str,
    intro: str,
    width: float,
    *,
    empty: str,
    spec: Sequence[tuple[str, float, bool]],
    cells: Sequence[Sequence[str]],
    total: Sequence[str] | None = None,
    wrapped: Sequence[int] = (),
) -> list[Block]:
    """A section: its heading, what it shows, then its table or a sentence when it is empty."""
    blocks = _opening(title, intro, width)
    if not cells:
        return [*blocks, Note((empty,), plain=True)]
    return [*blocks, table(title, width, spec, cells, total=total, wrapped=wrapped)]


def _opening(title: str, intro: str, width: float) -> list[Block]:
    return [Heading(title), Note(note_lines([intro], width))]


def _usage(report: QuarterlyReport, width: float) -> list[Block]:
    quarter = report.quarter
    locations = report.usage[:-1]
    spec = (
        ("Location", 0.36, False),
        (_short(quarter), 0.135, True),
        (_short(quarter.previous), 0.135, True),
        (f"vs {_short(quarter.previous)}", 0.115, True),
        (_short(quarter.year_before), 0.135, True),
        (f"vs {_short(quarter.year_before)}", 0.12, True),
    )
    blocks = _section(
        "Usage by location",
        "Usage value: units used × pack price ÷ pack size, for the PAR settings with a price.",
        width,
        empty="No priced usage in these quarters.",
        spec=spec,
        cells=[_usage_cells(row) for row in locations],
        total=_usage_cells(report.usage[-1]) if report.usage else None,
    )
    notes = []
    incomplete = sum(1 for row in locations if not row.complete)
    if incomplete or (report.usage and not report.usage[-1].complete):
        notes.append(
            f"{INCOMPLETE} Incomplete: usage is not known for every month of this quarter and "
            f"the last at {_count(incomplete, 'location')} (no count before or after); the "
            "figures are what is known."
        )
    if any(not (r.last_quarter_known and r.year_before_known) for r in report.usage):
        notes.append(
            f"{NO_HISTORY.capitalize()}: the counts do not reach back to that quarter, so there "
            "is nothing to compare with."
        )
    if report.unpriced_settings:
        notes.append(
            f"{_count(report.unpriced_settings, 'PAR setting')} without a price "
            f"{'is' if report.unpriced_settings == 1 else 'are'} left out of the values."
        )
    if notes:
        blocks.append(Note(note_lines(notes, width)))
    return blocks


def _usage_cells(row: UsageComparison) -> tuple[str, ...]:
    return (
        row.name if row.complete else f"{row.name} {INCOMPLETE}",
        money(row.this_quarter),
        money(row.last_quarter) if row.last_quarter_known else NO_HISTORY,
        percent(row.change_vs_last),
        money(row.year_before) if row.year_before_known else NO_HISTORY,
        percent(row.change_vs_year),
    )


def _stockouts(report: QuarterlyReport, width: float) -> list[Block]:
    return _section(
        "Stockouts",
        "A stockout is an on-hand count of 0. Counts: the line's counts this quarter.",
        width,
        empty="No stockouts this quarter.",
        spec=STOCKOUT_COLUMNS,
        cells=[
            (
                line.location_code,
                line.item_code,
                line.description,
                str(line.stockouts),
                str(line.counts),
                line.last_on.isoformat(),
            )
            for line in report.stockouts
        ],
    )


def _waste(report: QuarterlyReport, width: float) -> list[Block]:
    blocks = _opening(
        "Waste",
        "Stock thrown away unused (expired, damaged, recalled): quantity × the unit cost on the "
        "day it was recorded.",
        width,
    )
    if not report.waste:
        return [*blocks, Note(("No waste recorded this quarter.",), plain=True)]
    lines = [_waste_cells(record) for record in report.waste]
    summaries = report.waste_by_reason
    by_reason = table(
        "Waste by reason",
        width * 0.62,
        REASON_COLUMNS,
        [(s.reason.label, str(s.records), str(s.unpriced), money(s.cost)) for s in summaries],
        total=(
            "All reasons",
            str(sum(s.records for s in summaries)),
            str(sum(s.unpriced for s in summaries)),
            money(report.waste_cost),
        ),
    )
    return [
        *blocks,
        Heading("By reason", level=2),
        by_reason,
        Heading(f"Waste lines ({len(lines):,})", level=2),
        table("Waste lines", width, WASTE_COLUMNS, lines),
    ]


def _waste_cells(record: WasteRecord) -> tuple[str, ...]:
    cost = record.cost
    return (
        _local_day(record).isoformat(),
        record.location_code,
        record.item_code,
        record.description,
        record.lot or "",
        f"{quantity(record.quantity)} {record.unit}",
        record.reason.label,
        "no price" if cost is None else money(cost),
    )


def _local_day(record: WasteRecord) -> date:
    """The day a record was made, on the office's clock (times are stored in UTC)."""
    stamp = record.recorded_at
    return (stamp.astimezone() if stamp.tzinfo else stamp).date()


def _rush_orders(report: QuarterlyReport, width: float) -> list[Block]:
    orders = report.rush_orders
    return _section(
        "Rush orders",
        "Orders marked rush, or expected on a day outside the supplier's (purchase) or the "
        "destination's (transfer) delivery days.",
        width,
        empty="No rush orders this quarter.",
        spec=RUSH_COLUMNS,
        cells=[
            (
                order.number,
                order.order_date.isoformat(),
                order.expected_date.isoformat() if order.expected_date else "—",
                order.kind.title(),
                order.source,
                order.destinations,
                money(order.value),
                order.why,
            )
            for order in orders
        ],
        total=(_count(len(orders), "order"), "", "", "", "", "", money(report.rush_value), ""),
        wrapped=(4, 5, 7),  # from, to and why: cut, they would lose what matters
    )


def _stock_value(report: QuarterlyReport, width: float) -> list[Block]:
    end = report.quarter.end.isoformat()
    values = report.stock_value
    return _section(
        "Stock value on hand",
        f"The latest on-hand count by {end} × unit cost. Consignment stock belongs to the vendor "
        "and is not in the value.",
        width,
        empty=f"No stock counted on hand by {end}.",
        spec=STOCK_COLUMNS,
        cells=[
            (
                line.location_code,
                line.location_name,
                money(line.value),
                money(line.consignment_value),
                str(line.unpriced),
            )
            for line in values
        ],
        total=(
            ALL_LOCATIONS,
            "",
            money(report.total_stock_value),
            money(report.total_consignment_value),
            str(sum(line.unpriced for line in values)),
        ),
    )


def _movers(report: QuarterlyReport, width: float) -> list[Block]:
    previous = _short(report.quarter.previous)
    return _section(
        "Top movers",
        "The settings that used the most this quarter, by usage value.",
        width,
        empty="No usage this quarter.",
        spec=(*MOVER_COLUMNS, (f"vs {previous}", 0.13, True)),
        cells=[
            (
                mover.location_code,
                mover.item_code,
                mover.description,
                f"{quantity(mover.units)} {mover.unit}",
                money(mover.value),
                percent(mover.change_vs_last),
            )
            for mover in report.movers
        ],
    )


def _out_of_line(report: QuarterlyReport, width: float) -> list[Block]:
    through = report.suggestions_through
    intro = "The PAR settings whose suggested level is furthest from the level set, in % of it."
    if through is not None:
        intro += f" Suggestions worked out from history to {through.isoformat()}."
    blocks = _section(
        "Settings most out of line",
        intro,
        width,
        empty="No setting is out of line with its usage.",
        spec=REVIEW_COLUMNS,
        cells=[_review_cells(line) for line in report.out_of_line],
    )
    if through is None:
        # Without suggestions nothing can be out of line: say why rather than "no setting".
        never = Note(
            ("Suggestions never worked out: run Recompute suggestions on the Review page.",),
            plain=True,
        )
        blocks = [*blocks[:2], never, *(blocks[2:] if report.out_of_line else [])]
    return blocks


def _review_cells(line: ReviewLine) -> tuple[str, ...]:
    return (
        line.location_code,
        line.item_code,
        line.description,
        line.level,
        "—" if line.current is None else quantity(line.current),
        quantity(line.suggested),
        percent(line.change_pct),
        str(line.weeks_used),
        quantity(line.average),
    )


def _versus(change: Decimal | None, quarter: Quarter, known: bool, amount: Decimal) -> str:
    if not known:
        return f"{NO_HISTORY} for {_short(quarter)}"
    return f"{percent(change)} vs {_short(quarter)} ({money(amount)})"


def _short(quarter: Quarter) -> str:
    return f"Q{quarter.number} {quarter.year}"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


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
        _count(report.settings, "PAR setting"),
        f"made on {report.made_on.isoformat()}",
    )
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(SANS, 8.5)
    canvas.drawString(MARGIN, top - 17 * mm, "   ·   ".join(facts))
    canvas.setFillColorRGB(*INK)
