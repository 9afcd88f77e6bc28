"""The quarterly review report's sections: usage, stockouts, waste, rush orders, stock value,
top movers and the settings most out of line, each a heading, an introduction and a table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from parstudio.domain.quarterly_review import (
    ALL_LOCATIONS,
    Quarter,
    QuarterlyReport,
    UsageComparison,
)
from parstudio.domain.review import ReviewLine
from parstudio.domain.waste import WasteRecord
from parstudio.reports.pdf_blocks import (
    Block,
    Heading,
    Note,
    note_lines,
    table,
)
from parstudio.reports.pdf_common import (
    money,
    percent,
    quantity,
)

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


def section_blocks(report: QuarterlyReport, width: float) -> list[Block]:
    """Every section's blocks in reading order, for a text width."""
    return [
        *_usage(report, width),
        *_stockouts(report, width),
        *_waste(report, width),
        *_rush_orders(report, width),
        *_stock_value(report, width),
        *_movers(report, width),
        *_out_of_line(report, width),
    ]


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
        (short_quarter(quarter), 0.135, True),
        (short_quarter(quarter.previous), 0.135, True),
        (f"vs {short_quarter(quarter.previous)}", 0.115, True),
        (short_quarter(quarter.year_before), 0.135, True),
        (f"vs {short_quarter(quarter.year_before)}", 0.12, True),
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
            f"the last at {count_of(incomplete, 'location')} (no count before or after); the "
            "figures are what is known."
        )
    if any(not (r.last_quarter_known and r.year_before_known) for r in report.usage):
        notes.append(
            f"{NO_HISTORY.capitalize()}: the counts do not reach back to that quarter, so there "
            "is nothing to compare with."
        )
    if report.unpriced_settings:
        notes.append(
            f"{count_of(report.unpriced_settings, 'PAR setting')} without a price "
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
        total=(count_of(len(orders), "order"), "", "", "", "", "", money(report.rush_value), ""),
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
    previous = short_quarter(report.quarter.previous)
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


def versus(change: Decimal | None, quarter: Quarter, known: bool, amount: Decimal) -> str:
    if not known:
        return f"{NO_HISTORY} for {short_quarter(quarter)}"
    return f"{percent(change)} vs {short_quarter(quarter)} ({money(amount)})"


def short_quarter(quarter: Quarter) -> str:
    return f"Q{quarter.number} {quarter.year}"


def count_of(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
