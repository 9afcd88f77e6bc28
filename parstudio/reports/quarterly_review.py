"""The quarterly review report PDF: key figures, then one table per section, flowing over pages."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
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
from parstudio.reports.pdf_common import (
    GREY,
    INK,
    MARGIN,
    RULE,
    SANS,
    SANS_BOLD,
    SHADE,
    Column,
    draw_column_headings,
    draw_footer,
    finish,
    fit,
    layout_columns,
    money,
    new_canvas,
    page_size,
    percent,
    quantity,
    register_fonts,
    wrap,
)

FONT_SIZE = 8.0
NOTE_SIZE = 7.5
ROW = 5.2 * mm
LINE = 3.4 * mm
"""Each further line of a wrapped cell."""
HEADINGS = 7 * mm
CONTINUED = 5 * mm
FIRST_HEADER = 22 * mm
OTHER_HEADER = 12 * mm
SECTION = 11 * mm
SUBSECTION = 7 * mm
NOTE_LINE = 3.6 * mm
FIGURE_HEIGHT = 19 * mm
FIGURE_GAP = 3 * mm
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


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: the lines of each cell, already fitted to its column."""

    cells: tuple[tuple[str, ...], ...]
    total: bool = False

    @property
    def height(self) -> float:
        """Room the row takes: one line, and more for wrapped cells."""
        return ROW + (max(len(cell) for cell in self.cells) - 1) * LINE


@dataclass(frozen=True, slots=True)
class Table:
    """A table that continues over pages, repeating its column headings."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    right: float

    def height(self, rows: range) -> float:
        """Room the headings and these rows take."""
        return HEADINGS + sum(self.rows[k].height for k in rows)


@dataclass(frozen=True, slots=True)
class Heading:
    """A section's heading (level 1) or a part of a section (level 2)."""

    text: str
    level: int = 1

    @property
    def height(self) -> float:
        """Room the heading takes, with the space above it."""
        return SECTION if self.level == 1 else SUBSECTION


@dataclass(frozen=True, slots=True)
class Note:
    """A few lines of grey explanation, or a sentence in place of an empty table."""

    lines: tuple[str, ...]
    plain: bool = False
    """Ink at the table's size (for "No stockouts this quarter.") rather than a grey note."""

    @property
    def height(self) -> float:
        """Room the lines take."""
        return len(self.lines) * (ROW if self.plain else NOTE_LINE) + 1.5 * mm


@dataclass(frozen=True, slots=True)
class Figure:
    """One key figure: what it is, the figure, and a line or two about it."""

    label: str
    value: str
    details: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KeyFigures:
    """The band of key figures under the title: three across, two down."""

    figures: tuple[Figure, ...]

    @property
    def height(self) -> float:
        """Room the band takes."""
        rows = -(-len(self.figures) // 3)
        return rows * (FIGURE_HEIGHT + FIGURE_GAP) + 1 * mm


Block = Table | Heading | Note | KeyFigures


@dataclass(frozen=True, slots=True)
class Placed:
    """A block put on a page: its top, and for a table which of its rows."""

    block: Block
    top: float
    rows: range = range(0)
    continued: bool = False


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
            _draw(canvas, item, size)
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
    return [*blocks, _table(title, width, spec, cells, total=total, wrapped=wrapped)]


def _opening(title: str, intro: str, width: float) -> list[Block]:
    return [Heading(title), Note(_wrapped([intro], width))]


def _table(
    title: str,
    width: float,
    spec: Sequence[tuple[str, float, bool]],
    cells: Sequence[Sequence[str]],
    *,
    total: Sequence[str] | None = None,
    wrapped: Sequence[int] = (),
) -> Table:
    # 1 mm inside the shaded headings at the left; the last column's gap leaves 1 mm at the right.
    columns = tuple(layout_columns(MARGIN + 1 * mm, width, spec))
    rows = [_row(columns, texts, wrapped=wrapped) for texts in cells]
    if total is not None:
        rows.append(_row(columns, total, bold=True))
    return Table(title, columns, tuple(rows), MARGIN + width)


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
        blocks.append(Note(_wrapped(notes, width)))
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
    by_reason = _table(
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
        _table("Waste lines", width, WASTE_COLUMNS, lines),
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


def _row(
    columns: Sequence[Column],
    texts: Sequence[str],
    *,
    bold: bool = False,
    wrapped: Sequence[int] = (),
) -> Row:
    font = SANS_BOLD if bold else SANS
    cells = []
    for index, (column, text) in enumerate(zip(columns, texts, strict=True)):
        if index in wrapped:
            cells.append(tuple(wrap(text, font, FONT_SIZE, column.width, max_lines=3)))
        else:
            cells.append((fit(text, font, FONT_SIZE, column.width),))
    return Row(tuple(cells), total=bold)


def _wrapped(paragraphs: Sequence[str], width: float) -> tuple[str, ...]:
    return tuple(
        line for text in paragraphs for line in wrap(text, SANS, NOTE_SIZE, width, max_lines=3)
    )


def _versus(change: Decimal | None, quarter: Quarter, known: bool, amount: Decimal) -> str:
    if not known:
        return f"{NO_HISTORY} for {_short(quarter)}"
    return f"{percent(change)} vs {_short(quarter)} ({money(amount)})"


def _short(quarter: Quarter) -> str:
    return f"Q{quarter.number} {quarter.year}"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


# --- Where it goes ---------------------------------------------------------------------------


def flow(blocks: Sequence[Block], size: tuple[float, float]) -> list[list[Placed]]:
    """Blocks put on pages; tables split where a page ends (worked out before drawing)."""
    height = size[1]
    bottom = MARGIN + 2 * mm
    first_top = height - MARGIN - FIRST_HEADER
    other_top = height - MARGIN - OTHER_HEADER
    pages: list[list[Placed]] = [[]]
    y = first_top

    def new_page() -> float:
        pages.append([])
        return other_top

    for index, block in enumerate(blocks):
        if not isinstance(block, Table):
            # A heading or note stays with what follows it (at least the first rows of a table).
            needed = _lead(blocks, index)
            if y - needed < bottom and y != other_top:
                y = new_page()
            pages[-1].append(Placed(block, y))
            y -= block.height
            continue
        start = 0
        continued = False
        while start < len(block.rows):
            top = y - (CONTINUED if continued else 0)
            count = _rows_that_fit(block, start, top - HEADINGS - bottom)
            if count == 0 and y != other_top:
                y = new_page()
                continued = start > 0
                continue
            count = max(count, 1)  # a row taller than a page still goes somewhere
            if len(block.rows) - start - count == 1 and count > 2:
                count -= 1  # never leave one row alone on the next page
            rows = range(start, start + count)
            pages[-1].append(Placed(block, y, rows, continued))
            y = top - block.height(rows)
            start += count
            if start < len(block.rows):
                y = new_page()
                continued = True
        y -= 2 * mm
    return pages


def _lead(blocks: Sequence[Block], index: int) -> float:
    """Room a block needs at the foot of a page: itself, and the start of what it introduces."""
    block = blocks[index]
    if isinstance(block, Table):
        return block.height(range(min(2, len(block.rows))))
    needed = block.height
    if isinstance(block, Heading | Note) and index + 1 < len(blocks):
        following = blocks[index + 1]
        if not (isinstance(following, Heading) and following.level == 1):
            needed += _lead(blocks, index + 1)
    return needed


def _rows_that_fit(table: Table, start: int, room: float) -> int:
    used = 0.0
    count = 0
    for row in table.rows[start:]:
        used += row.height
        if used > room:
            break
        count += 1
    return count


# --- Drawing -----------------------------------------------------------------------------------


def _header(
    canvas: Canvas, report: QuarterlyReport, size: tuple[float, float], *, first: bool
) -> None:
    width, height = size
    right = width - MARGIN
    top = height - MARGIN
    canvas.setFillColorRGB(*INK)
    title = f"Quarterly review — {report.quarter.label}"
    if not first:
        canvas.setFont(SANS_BOLD, 10)
        canvas.drawString(MARGIN, top - 5 * mm, title)
        canvas.setFont(SANS, 9)
        canvas.drawRightString(right, top - 5 * mm, fit(report.scope, SANS, 9, width / 2 - MARGIN))
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


def _draw(canvas: Canvas, placed: Placed, size: tuple[float, float]) -> None:
    block = placed.block
    right = size[0] - MARGIN
    if isinstance(block, Table):
        _draw_table(canvas, placed, block)
    elif isinstance(block, Heading):
        _draw_heading(canvas, placed, block, right)
    elif isinstance(block, Note):
        _draw_note(canvas, placed, block)
    else:
        _draw_figures(canvas, placed, block, right)


def _draw_heading(canvas: Canvas, placed: Placed, heading: Heading, right: float) -> None:
    canvas.setFillColorRGB(*INK)
    if heading.level == 1:
        baseline = placed.top - 7 * mm
        canvas.setFont(SANS_BOLD, 12)
        canvas.drawString(MARGIN, baseline, heading.text)
        canvas.setStrokeColorRGB(*INK)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, baseline - 1.8 * mm, right, baseline - 1.8 * mm)
    else:
        canvas.setFont(SANS_BOLD, 9)
        canvas.drawString(MARGIN, placed.top - 5 * mm, heading.text)


def _draw_note(canvas: Canvas, placed: Placed, note: Note) -> None:
    if note.plain:
        canvas.setFillColorRGB(*INK)
        canvas.setFont(SANS, 9)
        step = ROW
    else:
        canvas.setFillColorRGB(*GREY)
        canvas.setFont(SANS, NOTE_SIZE)
        step = NOTE_LINE
    y = placed.top - step + 1 * mm
    for line in note.lines:
        canvas.drawString(MARGIN, y, line)
        y -= step
    canvas.setFillColorRGB(*INK)


def _draw_table(canvas: Canvas, placed: Placed, table: Table) -> None:
    left = table.columns[0].x - 1 * mm
    y = placed.top
    if placed.continued:
        canvas.setFillColorRGB(*GREY)
        canvas.setFont(SANS, NOTE_SIZE)
        canvas.drawString(MARGIN, y - 3.5 * mm, f"{table.title} (continued)")
        canvas.setFillColorRGB(*INK)
        y -= CONTINUED
    draw_column_headings(canvas, table.columns, y - 4 * mm, table.right)
    y -= HEADINGS
    for index in placed.rows:
        row = table.rows[index]
        if row.total:
            canvas.setStrokeColorRGB(*INK)
            canvas.setLineWidth(0.6)
            canvas.line(left, y, table.right, y)
        canvas.setFont(SANS_BOLD if row.total else SANS, FONT_SIZE)
        for column, lines in zip(table.columns, row.cells, strict=True):
            baseline = y - 3.6 * mm
            for line in lines:
                if column.right:
                    canvas.drawRightString(column.anchor, baseline, line)
                else:
                    canvas.drawString(column.x, baseline, line)
                baseline -= LINE
        y -= row.height
        if not row.total:
            canvas.setStrokeColorRGB(*RULE)
            canvas.setLineWidth(0.3)
            canvas.line(left, y, table.right, y)


def _draw_figures(canvas: Canvas, placed: Placed, band: KeyFigures, right: float) -> None:
    box = (right - MARGIN - 2 * FIGURE_GAP) / 3
    for index, figure in enumerate(band.figures):
        x = MARGIN + (index % 3) * (box + FIGURE_GAP)
        top = placed.top - (index // 3) * (FIGURE_HEIGHT + FIGURE_GAP)
        _draw_figure(canvas, figure, x, top, box)


def _draw_figure(canvas: Canvas, figure: Figure, x: float, top: float, width: float) -> None:
    canvas.setFillColorRGB(*SHADE)
    canvas.rect(x, top - FIGURE_HEIGHT, width, FIGURE_HEIGHT, stroke=0, fill=1)
    inner = width - 6 * mm
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(SANS_BOLD, 6.8)
    canvas.drawString(x + 3 * mm, top - 4 * mm, fit(figure.label.upper(), SANS_BOLD, 6.8, inner))
    size = 15.0
    # Large departments have seven-figure sums: shrink the figure rather than cut it.
    while size > 9 and stringWidth(figure.value, SANS_BOLD, size) > inner:
        size -= 0.5
    canvas.setFillColorRGB(*INK)
    canvas.setFont(SANS_BOLD, size)
    canvas.drawString(x + 3 * mm, top - 10.5 * mm, figure.value)
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(SANS, 7)
    y = top - 14.3 * mm
    for line in figure.details[:2]:
        canvas.drawString(x + 3 * mm, y, fit(line, SANS, 7, inner))
        y -= 3.2 * mm
    canvas.setFillColorRGB(*INK)
