"""What every printed document shares: embedded fonts, paper sizes, canvases, header and footer."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from parstudio.domain.paper import PaperSize
from parstudio.domain.quantities import format_money
from parstudio.reports.units import A4, LETTER, mm

SANS = "ParSans"
SANS_BOLD = "ParSans-Bold"
INK = (0.1, 0.1, 0.1)
GREY = (0.45, 0.45, 0.45)
RULE = (0.7, 0.7, 0.7)
SHADE = (0.93, 0.93, 0.93)
MARGIN = 14 * mm
HEADINGS = 7 * mm
"""Room the shaded row of column headings takes above a table's rows."""
OTHER_HEADER = 12 * mm
"""Room the one-line heading of the pages after the first takes."""
ELLIPSIS = "…"
PRODUCER = "PAR Studio"

# DejaVu Sans covers µ, Ø, ½, ″ and far more; it sits in different places on each system.
_FONT_FOLDERS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
    "~/.local/share/fonts",
    "~/.fonts",
)


@dataclass(frozen=True, slots=True)
class FontFiles:
    """The regular and bold TrueType files the documents embed."""

    regular: Path
    bold: Path
    family: str


def font_folders() -> list[Path]:
    """Where DejaVu Sans is looked for, in order (PARSTUDIO_FONT_DIR first when set)."""
    folders = [Path(p).expanduser() for p in _FONT_FOLDERS]
    windows = os.environ.get("WINDIR")
    if windows or sys.platform == "win32":
        folders.append(Path(windows or r"C:\Windows") / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    override = os.environ.get("PARSTUDIO_FONT_DIR")
    return ([Path(override)] if override else []) + folders


def find_fonts(folders: Iterable[Path] | None = None) -> FontFiles:
    """DejaVu Sans if it is installed, else the Vera font that ships inside reportlab."""
    for folder in font_folders() if folders is None else folders:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return FontFiles(regular, bold, "DejaVu Sans")
    bundled = Path(reportlab.__file__).resolve().parent / "fonts"
    return FontFiles(bundled / "Vera.ttf", bundled / "VeraBd.ttf", "Bitstream Vera Sans")


@cache
def register_fonts() -> FontFiles:
    """Register the embedded fonts with reportlab once per process."""
    files = find_fonts()
    pdfmetrics.registerFont(TTFont(SANS, str(files.regular)))
    pdfmetrics.registerFont(TTFont(SANS_BOLD, str(files.bold)))
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD)
    return files


def page_size(paper: PaperSize) -> tuple[float, float]:
    """Width and height of the sheet, in points."""
    return A4 if paper is PaperSize.A4 else LETTER


def new_canvas(
    target: io.BytesIO | str, size: tuple[float, float], *, title: str, subject: str = ""
) -> Canvas:
    """A canvas whose bytes depend only on what is drawn (invariant: fixed dates and ids)."""
    register_fonts()
    canvas = Canvas(target, pagesize=size, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setSubject(subject)
    canvas.setCreator(PRODUCER)
    canvas.setAuthor(PRODUCER)
    return canvas


def finish(canvas: Canvas, buffer: io.BytesIO) -> bytes:
    """Close the canvas and return the PDF bytes."""
    canvas.save()
    return buffer.getvalue()


@cache
def _advance_widths(font: str) -> tuple[dict[int, float], float]:
    """A font's glyph widths (thousandths of the size) by code point, and its default width."""
    face = pdfmetrics.getFont(font).face
    return face.charWidths, float(face.defaultWidth)


def fit(text: str, font: str, size: float, width: float) -> str:
    """Text cut (with an ellipsis) to fit a column width."""
    # One pass over the glyph widths; rows are many, so no repeated stringWidth calls.
    widths, default = _advance_widths(font)
    limit = width * 1000 / size
    allowed = limit - widths.get(ord(ELLIPSIS), default)
    total = 0.0
    keep = 0
    for index, char in enumerate(text):
        total += widths.get(ord(char), default)
        if total > limit:
            return text[:keep].rstrip() + ELLIPSIS
        if total <= allowed:
            keep = index + 1
    return text


def wrap(text: str, font: str, size: float, width: float, max_lines: int = 6) -> list[str]:
    """Text broken into lines that fit a width (words longer than a line are cut)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if pdfmetrics.stringWidth(candidate, font, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = fit(word, font, size, width)
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], fit(lines[max_lines - 1] + ELLIPSIS, font, size, width)]
    return lines


money = format_money  # the one money format, shared with the screens (domain/quantities)


def quantity(value: Decimal | int) -> str:
    """A quantity without trailing zeros (12, 2.5)."""
    if isinstance(value, int):
        return str(value)
    normal = value.normalize()
    text = f"{normal:f}"
    return text


def percent(value: Decimal | None) -> str:
    """A change in % with its sign and one decimal ("+12.5 %", "−3.0 %"); a dash when unknown."""
    if value is None:
        return "—"
    rounded = value.quantize(Decimal("0.1"))
    # A real minus sign: a hyphen is easily missed in a column of figures.
    sign = "+" if rounded > 0 else "−" if rounded < 0 else ""
    return f"{sign}{abs(rounded):,} %"


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: heading, left edge and width (points), and alignment."""

    heading: str
    x: float
    width: float
    right: bool = False

    @property
    def anchor(self) -> float:
        """Where the text is drawn from: the left edge, or the right edge for numbers."""
        return self.x + self.width if self.right else self.x


def layout_columns(
    left: float, total: float, spec: Sequence[tuple[str, float, bool]], gap: float = 2 * mm
) -> list[Column]:
    """Columns across a width: (heading, share of the width, right-aligned) each."""
    shares = sum(share for _heading, share, _right in spec)
    columns = []
    x = left
    for heading, share, right in spec:
        width = total * share / shares
        columns.append(Column(heading, x, width - gap, right))
        x += width
    return columns


def draw_column_headings(canvas: Canvas, columns: Sequence[Column], y: float, right: float) -> None:
    """A shaded heading row whose text baseline is y."""
    canvas.setFillColorRGB(*SHADE)
    left = columns[0].x - 1 * mm
    canvas.rect(left, y - 1.6 * mm, right - left, 5.4 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(*INK)
    canvas.setFont(SANS_BOLD, 7.5)
    for column in columns:
        # A heading never runs into its neighbour: cut to its column like the cells under it.
        heading = fit(column.heading, SANS_BOLD, 7.5, column.width)
        if column.right:
            canvas.drawRightString(column.anchor, y, heading)
        else:
            canvas.drawString(column.x, y, heading)


def draw_headings_under(
    canvas: Canvas, columns: Sequence[Column], top: float, right: float
) -> float:
    """The column headings under a page's header (top); returns where the first row starts."""
    draw_column_headings(canvas, columns, top - 4 * mm, right)
    return top - HEADINGS


def draw_row_rule(canvas: Canvas, left: float, y: float, right: float) -> None:
    """The thin grey line under a table row."""
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.3)
    canvas.line(left, y, right, y)


def draw_running_header(
    canvas: Canvas, size: tuple[float, float], left_text: str, right_text: str
) -> float:
    """The one-line heading of the pages after the first; returns the top of the page's body."""
    width, height = size
    top = height - MARGIN
    canvas.setFont(SANS_BOLD, 10)
    canvas.drawString(MARGIN, top - 5 * mm, left_text)
    canvas.setFont(SANS, 9)
    canvas.drawRightString(width - MARGIN, top - 5 * mm, right_text)
    return top - OTHER_HEADER


def draw_sign_off(
    canvas: Canvas,
    top: float,
    right: float,
    labels: Sequence[str],
    *,
    height: float = 20 * mm,
    values: Sequence[str] = (),
) -> None:
    """Boxes to sign in, side by side across the page, each with a small grey label (and value)."""
    box = (right - MARGIN) / 3
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.6)
    for n, label in enumerate(labels):
        x = MARGIN + n * box
        canvas.rect(x, top - height, box - 3 * mm, height, stroke=1, fill=0)
        canvas.setFillColorRGB(*GREY)
        canvas.setFont(SANS, 7.5)
        canvas.drawString(x + 2 * mm, top - 4 * mm, label.upper())
        if values:
            canvas.setFillColorRGB(*INK)
            canvas.setFont(SANS, 10)
            canvas.drawString(x + 2 * mm, top - 12 * mm, fit(values[n], SANS, 10, box - 7 * mm))
    if not values:
        canvas.setFillColorRGB(*INK)


def draw_title_block(
    canvas: Canvas, size: tuple[float, float], *, title: str, subtitle: str, label: str, name: str
) -> None:
    """The first page's heading: the document's title and subtitle on the right; on the left
    a small grey label (VENDOR, ITEM) over what the document is about."""
    width, height = size
    right = width - MARGIN
    top = height - MARGIN
    canvas.setFillColorRGB(*INK)
    canvas.setFont(SANS_BOLD, 16)
    canvas.drawRightString(right, top - 6 * mm, title)
    canvas.setFont(SANS_BOLD, 12)
    canvas.drawRightString(right, top - 12 * mm, subtitle)
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(SANS, 7.5)
    canvas.drawString(MARGIN, top - 3 * mm, label)
    canvas.setFillColorRGB(*INK)
    canvas.setFont(SANS_BOLD, 11)
    canvas.drawString(MARGIN, top - 8 * mm, fit(name, SANS_BOLD, 11, width * 0.55))


def draw_footer(
    canvas: Canvas, size: tuple[float, float], page: int, pages: int, left_text: str
) -> None:
    """The footer on every page: what the document is, and "Page n of m"."""
    width, _height = size
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, MARGIN - 2 * mm, width - MARGIN, MARGIN - 2 * mm)
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(SANS, 7.5)
    canvas.drawString(MARGIN, MARGIN - 6 * mm, left_text)
    canvas.drawRightString(width - MARGIN, MARGIN - 6 * mm, f"Page {page} of {pages}")
    canvas.setFillColorRGB(*INK)


def paginate(count: int, first: int, others: int) -> list[range]:
    """Split count rows into pages: the first holds `first` rows, the others `others`."""
    pages: list[range] = []
    start = 0
    capacity = first
    while start < count:
        pages.append(range(start, min(count, start + capacity)))
        start += capacity
        capacity = others
    return pages or [range(0, 0)]
