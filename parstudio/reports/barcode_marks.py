"""Barcodes drawn on a canvas, sized to the room they are given: Code 128 and QR."""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from parstudio.domain.paper import BarcodeSymbology
from parstudio.reports.units import mm

# Scanners read 0.25–0.5 mm bars reliably; narrower only when the code would not fit otherwise.
WIDEST_BAR = 0.38 * mm
NARROWEST_BAR = 0.19 * mm


def code128_width(value: str, bar: float) -> float:
    """The width a Code 128 of value takes with this bar width, quiet zones included."""
    return float(Code128(value, barWidth=bar, humanReadable=0, quiet=1).width)


def draw_code128(
    canvas: Canvas, value: str, x: float, y: float, width: float, height: float
) -> float:
    """A Code 128 of value, left-aligned at (x, y), as wide as fits; returns its width."""
    modules = code128_width(value, 1.0)
    bar = max(min(WIDEST_BAR, width / modules), NARROWEST_BAR)
    symbol = Code128(value, barWidth=bar, barHeight=height, humanReadable=0, quiet=1)
    symbol.drawOn(canvas, x, y)
    return float(symbol.width)


def draw_qr(canvas: Canvas, value: str, x: float, y: float, side: float) -> None:
    """A QR code of value in a side × side square whose lower-left corner is (x, y)."""
    widget = QrCodeWidget(value, barBorder=2)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        side, side, transform=[side / (right - left), 0, 0, side / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def draw_barcode(
    canvas: Canvas,
    symbology: BarcodeSymbology,
    value: str,
    x: float,
    y: float,
    width: float,
    height: float,
) -> None:
    """A barcode of either kind in the box (x, y, width, height); QR takes a square in it."""
    if symbology is BarcodeSymbology.QR:
        draw_qr(canvas, value, x, y, min(width, height))
    else:
        draw_code128(canvas, value, x, y, width, height)
