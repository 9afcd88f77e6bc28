"""The what-if comparison as a workbook (.xlsx) and as a PDF: totals, lines, assumptions."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm

from parstudio.domain.paper import PaperSize
from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.simulation_compare import ASSUMPTIONS, Comparison
from parstudio.domain.simulation_measures import (
    LINE_MEASURES,
    TOTAL_MEASURES,
    level_of,
    levels_text,
    line_figure,
)
from parstudio.reports import pdf_blocks
from parstudio.reports.pdf_blocks import Block, Heading, Note, draw, note_lines, table
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
from parstudio.reports.xlsx_tables import Kind, TableColumn, TableRow, TableSheet, write_tables

FIRST_HEADER = 22 * mm
PDF_LINE_MEASURES = {
    "Stockout days": "Out",
    "Service %": "SL",
    "Average stock": "Avg",
    "Order lines": "Ord",
}
"""The line figures the PDF shows (now and new), with their short headings."""


def title_of(comparison: Comparison) -> str:
    """The comparison's title: what was replayed, under which levels, over which period."""
    data = comparison.input
    return (
        f"What if: {data.scope or 'the chosen lines'}, current vs {data.proposed_name} levels, "
        f"{data.first.isoformat()} to {data.last.isoformat()}"
    )


def notes_of(comparison: Comparison) -> list[str]:
    """What the reader must know: the assumptions, the notes of this run, what was left out."""
    notes = [*comparison.input.notes, *ASSUMPTIONS]
    if comparison.service_level is not None:
        notes.append(
            f"Leanest levels: per line the lowest level (PAR, or Max with Min kept in proportion) "
            f"whose replay had no stockout on {fq(comparison.service_level)} % of days, within "
            "the storage capacity."
        )
    left_out = comparison.too_little_history
    if left_out:
        shown = ", ".join(f"{s.item_code} at {s.location_code}" for s in left_out[:20])
        more = f" and {len(left_out) - 20} more" if len(left_out) > 20 else ""
        notes.append(f"Too little history to replay ({len(left_out)} lines): {shown}{more}.")
    return notes


def _scenarios(comparison: Comparison) -> list[tuple[str, Any]]:
    named: list[tuple[str, Any]] = [
        ("Current", comparison.current),
        (comparison.input.proposed_name.capitalize(), comparison.proposed),
    ]
    if comparison.leanest is not None:
        named.append(("Leanest", comparison.leanest))
    return named


def summary_rows(comparison: Comparison) -> Iterator[list[Any]]:
    """The totals: one row per measure, a column per set of levels, and the change."""
    named = _scenarios(comparison)
    yield ["Lines replayed", *(t.lines for _n, t in named), None]
    for measure in TOTAL_MEASURES:
        values = [measure.read(t) for _n, t in named]
        change = values[1] - values[0] if values[0] is not None and values[1] is not None else None
        yield [measure.label, *values, change]


def write_simulation_xlsx(path: Path | str, comparison: Comparison) -> None:
    """Write the comparison to an .xlsx workbook: Summary, Lines, Not replayed."""
    named = _scenarios(comparison)
    summary = TableSheet(
        "Summary",
        [
            TableColumn("Measure", 34),
            *(TableColumn(name, 16, Kind.UNITS) for name, _t in named),
            TableColumn("Change", 14, Kind.UNITS),
        ],
        [TableRow(row) for row in summary_rows(comparison)],
        notes=[title_of(comparison), *notes_of(comparison)],
    )
    lean = comparison.leanest is not None
    columns = [
        TableColumn("Location", 12),
        TableColumn("Item Code", 14),
        TableColumn("Description", 36),
        TableColumn("Unit", 6),
        TableColumn("Method", 9),
        TableColumn("Current Level", 12, Kind.UNITS),
        TableColumn("Proposed Level", 12, Kind.UNITS),
    ]
    if lean:
        columns += [TableColumn("Leanest Level", 12, Kind.UNITS), TableColumn("Leanest Met", 10)]
    for prefix in ("Current", "Proposed", *(("Leanest",) if lean else ())):
        columns += [
            TableColumn(f"{prefix} {m.label}", 14, Kind.MONEY if m.money else Kind.UNITS)
            for m in LINE_MEASURES
        ]
    rows = []
    for line in comparison.lines:
        setting = line.setting
        values: list[Any] = [
            setting.location_code,
            setting.item_code,
            setting.description,
            setting.unit,
            setting.method.value,
            level_of(setting, line.current.levels),
            level_of(setting, line.proposed.levels),
        ]
        if lean:
            found = line.leanest
            values += [
                found.level if found is not None else None,
                ("yes" if found.met else found.note) if found is not None else "",
            ]
        outcomes = [line.current, line.proposed]
        if lean:
            outcomes.append(line.leanest.outcome if line.leanest is not None else None)  # type: ignore[arg-type]
        for outcome in outcomes:
            values += [line_figure(m, outcome) for m in LINE_MEASURES]
        rows.append(TableRow(values))
    lines = TableSheet("Lines", columns, rows)
    left_out = TableSheet(
        "Not replayed",
        [TableColumn("Location", 12), TableColumn("Item Code", 14), TableColumn("Why", 60)],
        [
            TableRow([s.location_code, s.item_code, "too little history in the period"])
            for s in comparison.too_little_history
        ],
    )
    write_tables(path, [summary, lines, left_out])


def simulation_pdf(comparison: Comparison, paper: PaperSize = PaperSize.A4) -> bytes:
    """The comparison as PDF bytes: totals, then each line's main figures, then the notes."""
    register_fonts()
    size = page_size(paper)
    width = size[0] - 2 * MARGIN
    blocks = _blocks(comparison, width)
    pages = pdf_blocks.flow(blocks, size, first_header=FIRST_HEADER, other_header=OTHER_HEADER)
    title = "What-if replay"
    subtitle = title_of(comparison)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, size, title=title, subject=subtitle)
    for number, placed in enumerate(pages, start=1):
        canvas.setFillColorRGB(*INK)
        if number == 1:
            top = size[1] - MARGIN
            canvas.setFont(SANS_BOLD, 17)
            canvas.drawString(MARGIN, top - 6 * mm, title)
            canvas.setFont(SANS, 9.5)
            canvas.setFillColorRGB(*GREY)
            canvas.drawString(MARGIN, top - 12 * mm, fit(subtitle, SANS, 9.5, width))
            canvas.setFillColorRGB(*INK)
        else:
            draw_running_header(canvas, size, title, fit(subtitle, SANS, 9, width / 2))
        for item in placed:
            draw(canvas, item, size)
        draw_footer(canvas, size, number, len(pages), fit(subtitle, SANS, 7.5, width - 30 * mm))
        canvas.showPage()
    return finish(canvas, buffer)


def _blocks(comparison: Comparison, width: float) -> list[Block]:
    named = _scenarios(comparison)
    share = 0.64 / (len(named) + 1)
    spec = [
        ("Measure", 0.36, False),
        *((n, share, True) for n, _t in named),
        ("Change", share, True),
    ]
    cells = [[row[0], *(_shown(v, row[0]) for v in row[1:])] for row in summary_rows(comparison)]
    blocks: list[Block] = [Heading("Totals"), table("", width, spec, cells)]
    measures = [m for m in LINE_MEASURES if m.label in PDF_LINE_MEASURES]
    line_spec = [
        ("Location", 0.09, False),
        ("Item", 0.11, False),
        ("Description", 0.15, False),
        ("PAR", 0.07, True),
        ("new", 0.07, True),
    ]
    each = 0.51 / (2 * len(measures))
    for m in measures:
        short = PDF_LINE_MEASURES[m.label]
        line_spec += [(short, each, True), ("new", each, True)]
    rows = []
    for line in comparison.lines:
        setting = line.setting
        row = [
            setting.location_code,
            setting.item_code,
            setting.description,
            levels_text(setting, line.current.levels),
            levels_text(setting, line.proposed.levels),
        ]
        for m in measures:
            row += [
                _shown(line_figure(m, line.current), m.label),
                _shown(line_figure(m, line.proposed), m.label),
            ]
        rows.append(row)
    key = (
        f"Each figure is shown now (current levels), then new ({comparison.input.proposed_name} "
        "levels; PAR, or Min / Max). "
        "Out: stockout days; SL: service level, % of days without a stockout; Avg: average "
        "stock in units; Ord: order lines. The workbook export has every figure."
    )
    blocks += [
        Heading("Lines"),
        Note(note_lines([key], width)),
        table("", width, line_spec, rows),
    ]
    blocks += [Heading("Assumptions and notes"), Note(note_lines(notes_of(comparison), width))]
    return blocks


def _shown(value: Decimal | int | None, label: str) -> str:
    if value is None:
        return ""
    if "value" in label.lower():
        return money(Decimal(value))
    if isinstance(value, int):
        return f"{value:,}"
    if label.startswith("Average"):
        return fq(value.quantize(Decimal("0.1")))
    return fq(value)
