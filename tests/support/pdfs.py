"""Reading PDFs back in tests: their text (pypdf), page sizes, and barcodes (pdfium + zxing-cpp)."""

from __future__ import annotations

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader


def texts(pdf: bytes) -> list[str]:
    """The extracted text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height (points) of each page."""
    return [
        (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1))
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def barcodes(pdf: bytes, *, dpi: int = 200) -> list[list[tuple[str, str]]]:
    """The barcodes of each page, rendered at dpi: (format, text), top to bottom, left to right."""
    document = pypdfium2.PdfDocument(pdf)
    found = []
    try:
        for page in document:
            image = page.render(scale=dpi / 72).to_pil()
            results = zxingcpp.read_barcodes(image)
            ordered = sorted(
                results, key=lambda r: (round(r.position.top_left.y / 20), r.position.top_left.x)
            )
            found.append([(r.format.name, r.text) for r in ordered])
    finally:
        document.close()
    return found
