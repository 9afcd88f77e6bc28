"""The printed PDFs, read back: text, Unicode, totals, pages, sizes, barcodes and bytes."""

from __future__ import annotations

import gc
import io
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from parstudio.domain.paper import (
    BarcodeSymbology,
    CountSheet,
    CountSheetLine,
    Label,
    LabelStock,
    OrderSheet,
    OrderSheetLine,
    PaperSize,
    PartyAddress,
    PickGroup,
    PickLine,
    PickList,
)
from parstudio.reports.count_sheet import count_sheet_pdf
from parstudio.reports.labels import labels_pdf
from parstudio.reports.order_sheet import order_sheet_pdf
from parstudio.reports.pdf_common import find_fonts, fit, register_fonts
from parstudio.reports.pick_list import pick_list_pdf
from tests.support.pdfs import barcodes, page_sizes, texts

A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)


def order(lines: int, **changes: object) -> OrderSheet:
    sheet = OrderSheet(
        number="PO-2026-00042",
        order_date=date(2026, 11, 23),
        expected_date=date(2026, 11, 25),
        department=PartyAddress("Imaging", ("Level B1, room B1.114", "Cost centre IMG-4400")),
        supplier=PartyAddress("Bracco Diagnostics", ("Søren Aalto",)),
        supplier_code="BRACCO",
        supplier_account="BD-77120",
        lines=tuple(
            OrderSheetLine(
                item_code=f"CON-{n:04d}",
                supplier_item_no=f"{n:06d}",
                description=f"Fentanyl 50 µg/mL Ø {n} é",
                unit="EA",
                pack_size=Decimal(10),
                packs=n % 4 + 1,
                pack_price=Decimal("12.50") if n % 10 else None,
                location_code="CT1",
            )
            for n in range(lines)
        ),
        approved_by="Anna Berg",
        notes="Deliver to the loading dock before 10:00.",
    )
    return replace(sheet, **changes)  # type: ignore[arg-type]


def test_unicode_text_comes_back_out_with_the_embedded_font() -> None:
    pdf = order_sheet_pdf(order(3))
    text = "\n".join(texts(pdf))
    assert "Fentanyl 50 µg/mL Ø 1 é" in text
    assert "Søren Aalto" in text
    assert b"/FontFile2" in pdf  # TrueType glyphs embedded, not a base-14 font
    assert register_fonts().family == "DejaVu Sans"


def test_without_dejavu_the_bundled_vera_font_still_embeds_unicode(tmp_path: object) -> None:
    files = find_fonts([])  # no DejaVu anywhere, as on a bare Windows machine
    assert files.family == "Bitstream Vera Sans"
    assert files.regular.is_file() and files.bold.is_file()
    pdfmetrics.registerFont(TTFont("VeraFallbackTest", str(files.regular)))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setFont("VeraFallbackTest", 10)
    canvas.drawString(72, 720, "Heparin 10 µg Ø 22G é")
    canvas.save()
    assert "Heparin 10 µg Ø 22G é" in texts(buffer.getvalue())[0]


def test_the_same_sheet_gives_the_same_bytes_and_a_change_changes_them() -> None:
    first, second = order_sheet_pdf(order(80)), order_sheet_pdf(order(80))
    assert first == second
    assert order_sheet_pdf(order(80, notes="Other notes")) != first


def test_order_sheet_pages_totals_and_signature() -> None:
    sheet = order(120)
    pages = texts(order_sheet_pdf(sheet))
    assert len(pages) >= 3
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert "Purchase order PO-2026-00042 · Bracco Diagnostics" in page
    first = pages[0]
    for expected in ("PURCHASE ORDER", "Imaging", "Level B1, room B1.114", "Account no. BD-77120",
                     "Order date", "2026-11-23", "Expected delivery", "2026-11-25"):  # fmt: skip
        assert expected in first
    page_totals = []
    for page in pages:
        lines = page.splitlines()
        page_totals += [
            Decimal(lines[n + 1].replace(",", "").removeprefix("$"))
            for n, t in enumerate(lines)
            if t == "Page total"
        ]
    assert len(page_totals) == sum(1 for page in pages if "CON-" in page)
    assert sum(page_totals) == sheet.total == Decimal("3450.00")
    last = pages[-1]
    assert "Order total\n$3,450.00" in last  # in the database's currency (default USD)
    assert "Currency\nUSD" in first and "Status" not in "".join(pages)
    assert "12 without a pack price are not in the totals" in last
    assert "APPROVED BY" in last and "Anna Berg" in last and "SIGNATURE" in last
    assert "Deliver to the loading dock before 10:00." in last
    every_code = "".join(pages)
    assert all(f"CON-{n:04d}" in every_code for n in range(120))


@pytest.mark.parametrize(("paper", "size"), [(PaperSize.A4, A4), (PaperSize.LETTER, LETTER)])
def test_every_document_fits_the_chosen_paper(paper: PaperSize, size: tuple[float, float]) -> None:
    assert set(page_sizes(order_sheet_pdf(order(60), paper))) == {size}
    assert set(page_sizes(pick_list_pdf(picks(), paper))) == {size}
    assert set(page_sizes(count_sheet_pdf(count(blind=False), paper))) == {size}
    assert set(page_sizes(labels_pdf(shelf_labels(5), paper=paper))) == {size}


def test_a_long_description_is_cut_to_its_column() -> None:
    register_fonts()
    cut = fit("Power-injector syringe 200 mL, single head, with fill tube", "ParSans", 8, 100)
    assert cut.endswith("…") and len(cut) < 40
    assert fit("Gauze", "ParSans", 8, 100) == "Gauze"


def test_order_sheet_time_grows_linearly_with_lines() -> None:
    def seconds(lines: int) -> float:
        sheet = order(lines)
        gc.collect()
        gc.disable()  # a collection in one run and not the other is noise, not growth
        try:
            start = time.perf_counter()
            order_sheet_pdf(sheet)
            return time.perf_counter() - start
        finally:
            gc.enable()

    seconds(200)  # warm up fonts and caches
    small = min(seconds(300) for _ in range(3))
    large = min(seconds(3000) for _ in range(2))
    # 10× the lines: linear is 10×; a layout that re-measures every row per page is 100×.
    # The bound is generous because the machines running the tests are shared and noisy.
    assert large / small < 25


def picks() -> PickList:
    def line(bin_code: str, code: str, packs: int) -> PickLine:
        return PickLine(bin_code, code, f"Nitrile gloves {code}", "BX", Decimal(100), packs)

    return PickList(
        number="TR-2026-00007",
        storeroom_code="STORE",
        storeroom_name="Imaging central storeroom",
        department="Imaging",
        order_date=date(2026, 11, 23),
        expected_date=date(2026, 11, 24),
        groups=(
            PickGroup("CT1", "CT room 1", (line("A-01-1", "GLV-S", 2), line("B-02-1", "GLV-M", 1))),
            PickGroup("MRI1", "MRI suite 1", (line("A-01-2", "GLV-L", 3),)),
        ),
    )


def test_pick_list_groups_by_destination_with_packs_units_and_sign_off() -> None:
    pages = texts(pick_list_pdf(picks()))
    assert len(pages) == 1
    text = pages[0]
    assert "PICK LIST" in text and "TR-2026-00007" in text
    assert "STORE · Imaging central storeroom" in text
    assert text.index("To CT1 · CT room 1") < text.index("GLV-S") < text.index("GLV-M")
    assert text.index("GLV-M") < text.index("To MRI1 · MRI suite 1") < text.index("GLV-L")
    assert "200 BX" in text and "300 BX" in text  # 2 and 3 packs of 100
    assert "PICKED BY" in text and "DATE AND TIME" in text
    assert "3 lines for 2 locations" in text


def test_a_long_pick_list_repeats_the_group_heading_on_the_next_page() -> None:
    many = tuple(
        PickLine(f"A-{n:02d}-1", f"SYR-{n:03d}", "Syringe 10 mL", "EA", Decimal(1), 1)
        for n in range(60)
    )
    pages = texts(pick_list_pdf(replace(picks(), groups=(PickGroup("CT1", "CT room 1", many),))))
    assert len(pages) == 2
    assert "To CT1 · CT room 1 (continued)" in pages[1]
    assert "Page 2 of 2" in pages[1]


def count(*, blind: bool) -> CountSheet:
    return CountSheet(
        location_code="MRI1",
        location_name="MRI suite 1",
        department="Imaging",
        blind=blind,
        lines=tuple(
            CountSheetLine(
                f"A-01-{n}",
                f"GAD-00{n}",
                f"Gadoterate {n} mL",
                "EA",
                "ON HAND",
                None if blind else Decimal(20 + n),
            )
            for n in range(1, 7)
        ),
    )


def test_count_sheet_barcodes_scan_back_to_the_item_codes_in_bin_order() -> None:
    pdf = count_sheet_pdf(count(blind=False))
    assert barcodes(pdf) == [[("Code128", f"GAD-00{n}") for n in range(1, 7)]]
    text = texts(pdf)[0]
    assert "COUNT SHEET" in text and "Expected" in text and "26" in text


def test_a_blind_count_sheet_hides_the_expected_quantities() -> None:
    blind = count(blind=True)
    text = texts(count_sheet_pdf(replace(blind, lines=count(blind=False).lines)))[0]
    assert "Blind count" in text
    assert not any(str(20 + n) in text.split("Counted", 1)[1] for n in range(1, 7))


def shelf_labels(n: int) -> list[Label]:
    return [
        Label(
            f"SYR-{i:05d}",
            "Syringe 10 mL Ø 22G",
            ("PAR 24 EA", f"Bin A-0{i % 9}-1", "CT1"),
            f"SYR-{i:05d}",
        )
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("symbology", "paper", "kind"),
    [
        (BarcodeSymbology.CODE128, PaperSize.A4, "Code128"),
        (BarcodeSymbology.QR, PaperSize.LETTER, "QRCode"),
    ],
)
def test_label_sheets_hold_30_labels_whose_barcodes_scan(
    symbology: BarcodeSymbology, paper: PaperSize, kind: str
) -> None:
    pdf = labels_pdf(shelf_labels(32), paper=paper, symbology=symbology)
    found = barcodes(pdf)
    assert [len(page) for page in found] == [30, 2]
    assert sorted(text for page in found for _kind, text in page) == [
        f"SYR-{i:05d}" for i in range(32)
    ]
    assert {k for page in found for k, _text in page} == {kind}
    assert "Syringe 10 mL Ø 22G" in texts(pdf)[0]


def test_single_labels_are_two_by_one_inch_one_per_page() -> None:
    pdf = labels_pdf(shelf_labels(3), stock=LabelStock.SINGLE_2X1)
    assert page_sizes(pdf) == [(144.0, 72.0)] * 3
    assert barcodes(pdf, dpi=300) == [[("Code128", f"SYR-{i:05d}")] for i in range(3)]
