"""Printing: a 10,000-line order sheet against a bare reportlab canvas drawing the same cells."""

from __future__ import annotations

import io
import random
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from bench.context import Context
from bench.harness import Scenario
from parstudio.domain.paper import OrderSheet, OrderSheetLine, PaperSize, PartyAddress
from parstudio.reports import order_sheet
from parstudio.reports.pdf_common import SANS, fit, register_fonts

LINES = 10_000
_PHRASES = (
    "syringe luer lock",
    "sterile, single use",
    "needle Ø 22G × 1½″",
    "contrast iohexol 300 mgI/mL",
    "nitrile gloves, powder-free",
    "gauze sponge 4 × 4″",
    "IV catheter",
    "extension set",
    "fentanyl 50 µg/mL",
    "ECG electrode, foam, gel",
    "drape",
    "isolation gown",
    "saline flush prefilled 10 mL",
)


def synthetic_order(lines: int, seed: int = 7) -> OrderSheet:
    """A purchase order of realistic-looking lines (no database)."""
    rng = random.Random(seed)
    return OrderSheet(
        number="PO-2026-99999",
        order_date=date(2026, 11, 23),
        expected_date=date(2026, 11, 25),
        department=PartyAddress("Materials management", ("Dock 3", "Cost centre MM-1000")),
        supplier=PartyAddress("Owens & Minor", ("Luis Peña", "+1 804 723 7000")),
        supplier_code="OWENS",
        supplier_account="OM-20931",
        lines=tuple(
            OrderSheetLine(
                item_code=f"ITM-{n:06d}",
                supplier_item_no=f"OM{rng.randrange(10**6):06d}",
                description=", ".join(rng.choices(_PHRASES, k=rng.randrange(1, 5))).capitalize(),
                unit=rng.choice(("EA", "BX", "PR", "BT")),
                pack_size=Decimal(rng.choice((1, 10, 12, 24, 50, 100))),
                packs=rng.randrange(1, 30),
                pack_price=Decimal(rng.randrange(50, 90_000)) / 100,
                location_code=f"LOC{rng.randrange(200):03d}",
            )
            for n in range(lines)
        ),
        approved_by="bench",
        notes="Synthetic order for the benchmark.",
    )


def bare_canvas(sheet: OrderSheet) -> tuple[list[range], list[tuple[str, ...]]]:
    """The pages and the already-fitted cell strings the baseline draws."""
    layout = order_sheet.plan(sheet, PaperSize.A4)
    rows = []
    for line in sheet.lines:
        texts = order_sheet.cells(line)
        rows.append(
            tuple(
                fit(text, SANS, order_sheet.FONT_SIZE, column.width) if n < 4 else text
                for n, (text, column) in enumerate(zip(texts, layout.columns, strict=True))
            )
        )
    return list(layout.pages), rows


def draw_bare(sheet: OrderSheet, pages: list[range], rows: list[tuple[str, ...]]) -> bytes:
    """The same strings at the same positions, straight on a canvas: no headers, rules or sums."""
    layout = order_sheet.plan(sheet, PaperSize.A4)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=layout.size, invariant=1, pageCompression=1)
    columns = layout.columns
    top = layout.size[1] - 40 * mm
    for page in pages:
        canvas.setFont(SANS, order_sheet.FONT_SIZE)
        y = top
        for index in page:
            baseline = y - 3.6 * mm
            for column, text in zip(columns, rows[index], strict=True):
                if column.right:
                    canvas.drawRightString(column.anchor, baseline, text)
                else:
                    canvas.drawString(column.x, baseline, text)
            y -= order_sheet.ROW
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def scenarios(ctx: Context) -> list[Scenario]:
    """The order sheet against the bare canvas, and 10,000 lines against ten 1,000-line sheets."""
    register_fonts()
    big = synthetic_order(LINES)
    pages, rows = bare_canvas(big)
    small = synthetic_order(LINES // 10, seed=8)
    return [
        Scenario(
            name="printing: order sheet, 10,000 lines",
            ours=lambda: order_sheet.order_sheet_pdf(big),
            baseline=lambda: draw_bare(big, pages, rows),
            target="≤ 1.5× bare canvas",
            max_ratio=1.5,
            repeat=3,
            note="ours: header, rules, fitting, page totals, page n of m; baseline: cells only",
        ),
        Scenario(
            name="printing: order sheet linear, 10,000 lines vs 10 × 1,000",
            ours=lambda: order_sheet.order_sheet_pdf(big),
            baseline=lambda: [order_sheet.order_sheet_pdf(small) for _ in range(10)],
            target="≤ 1.3× (linear)",
            max_ratio=1.3,
            repeat=3,
        ),
    ]
