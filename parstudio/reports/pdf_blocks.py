"""A block layout for long reports: headings, notes, key figures and tables flowed over pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from parstudio.reports.pdf_common import (
    GREY,
    HEADINGS,
    INK,
    MARGIN,
    SANS,
    SANS_BOLD,
    SHADE,
    Column,
    draw_column_headings,
    draw_row_rule,
    fit,
    layout_columns,
    wrap,
)
from parstudio.reports.units import mm

FONT_SIZE = 8.0
NOTE_SIZE = 7.5
ROW = 5.2 * mm
LINE = 3.4 * mm
"""Each further line of a wrapped cell."""
CONTINUED = 5 * mm
SECTION = 11 * mm
SUBSECTION = 7 * mm
NOTE_LINE = 3.6 * mm
FIGURE_HEIGHT = 19 * mm
FIGURE_GAP = 3 * mm


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


# --- Building blocks ---------------------------------------------------------------------------


def table(
    title: str,
    width: float,
    spec: Sequence[tuple[str, float, bool]],
    cells: Sequence[Sequence[str]],
    *,
    total: Sequence[str] | None = None,
    wrapped: Sequence[int] = (),
) -> Table:
    """A table across width from the margin, its cells fitted (or wrapped) to the columns."""
    # 1 mm inside the shaded headings at the left; the last column's gap leaves 1 mm at the right.
    columns = tuple(layout_columns(MARGIN + 1 * mm, width, spec))
    rows = [row(columns, texts, wrapped=wrapped) for texts in cells]
    if total is not None:
        rows.append(row(columns, total, bold=True))
    return Table(title, columns, tuple(rows), MARGIN + width)


def row(
    columns: Sequence[Column],
    texts: Sequence[str],
    *,
    bold: bool = False,
    wrapped: Sequence[int] = (),
) -> Row:
    """A row's texts fitted to their columns; the columns in wrapped take up to three lines."""
    font = SANS_BOLD if bold else SANS
    cells = []
    for index, (column, text) in enumerate(zip(columns, texts, strict=True)):
        if index in wrapped:
            cells.append(tuple(wrap(text, font, FONT_SIZE, column.width, max_lines=3)))
        else:
            cells.append((fit(text, font, FONT_SIZE, column.width),))
    return Row(tuple(cells), total=bold)


def note_lines(paragraphs: Sequence[str], width: float) -> tuple[str, ...]:
    """Paragraphs wrapped at the notes' size, three lines each at the most."""
    return tuple(
        line for text in paragraphs for line in wrap(text, SANS, NOTE_SIZE, width, max_lines=3)
    )


# --- Where it goes ---------------------------------------------------------------------------


def flow(
    blocks: Sequence[Block],
    size: tuple[float, float],
    *,
    first_header: float,
    other_header: float,
) -> list[list[Placed]]:
    """Blocks put on pages; tables split where a page ends (worked out before drawing)."""
    height = size[1]
    bottom = MARGIN + 2 * mm
    first_top = height - MARGIN - first_header
    other_top = height - MARGIN - other_header
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


def draw(canvas: Canvas, placed: Placed, size: tuple[float, float]) -> None:
    """Draw a placed block at its place on the page."""
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
            draw_row_rule(canvas, left, y, table.right)


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
