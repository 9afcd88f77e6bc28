"""The quarterly review report PDF, built from a hand-made report and read back."""

from __future__ import annotations

from decimal import Decimal

from parstudio.domain.paper import PaperSize, PrintOptions
from parstudio.reports.pdf_common import MARGIN, page_size, percent
from parstudio.reports.quarterly_review import (
    CONTINUED,
    Table,
    build_blocks,
    flow,
    quarterly_review_pdf,
)
from parstudio.services.ordering.printing import quarterly_review_document
from tests.support.pdfs import page_sizes, texts
from tests.support.quarterly import LONG, empty, report


def test_the_first_page_has_the_title_scope_and_key_figures() -> None:
    first = texts(quarterly_review_pdf(report()))[0]
    for expected in (
        "Quarterly review — Q3 2026 (Jul–Sep)",
        "Imaging · cost centre 4100",
        "2026-07-01 to 2026-09-30",
        "1,234 PAR settings",
        "made on 2026-10-02",
        "USAGE VALUE Q3 2026 (JUL–SEP)",
        "20,800.40",
        "+3.4 % vs Q2 2026 (20,111.00)",
        "+160.0 % vs Q3 2025 (8,000.00)",
        "STOCK ON HAND 2026-09-30",
        "63,210.75",
        "CONSIGNMENT (VENDOR-OWNED)",
        "3,100.00",
        "RUSH ORDERS",
        "worth 1,692.50",
        "1 purchase, 1 transfer",
        "STOCKOUTS",
        "2 items at 2 locations",
    ):
        assert expected in first, expected


def test_every_section_has_its_heading_and_figures() -> None:
    text = "\n".join(texts(quarterly_review_pdf(report())))
    for expected in (
        "Usage by location",
        "CT1 — CT room 1",
        "12,500.40",
        "+12.5 %",  # 12,500.40 against 11,111.00
        "MRI1 — MRI suite *",  # usage incomplete: marked, and explained below
        "Incomplete: usage is not known for every month",
        "3 PAR settings without a price are left out of the values.",
        "−7.8 %",  # 8,300 against 9,000: a real minus sign
        "US1 — Ultrasound room 1",
        "no history",  # US1's counts do not reach back a year
        "No history: the counts do not reach back to that quarter",
        "Stockouts",
        "GAUZE-10",
        "2026-09-14",
        "Waste",
        "By reason",
        "Waste lines (120)",
        "Damaged or opened",
        "L00119",
        "no price",
        "Rush orders",
        "PO-2026-00107",
        "delivery on Saturday",
        "(Mon, Wed, Fri)",  # the reason wraps in its column rather than being cut
        "marked rush",
        "Stock value on hand",
        "45,210.75",
        "Top movers",
        "IOH-350",
        "420 EA",
        "+12.6 %",  # 420 units against 373
        "Settings most out of line",
        "Suggestions worked out from history to 2026-09-27.",
        "+210.0 %",  # PAR 10 suggested as 31
    ):
        assert expected in text, expected
    assert LONG not in text  # fitted to its column
    assert "Catheter, central venous" in text


def test_the_waste_lines_span_pages_with_their_headings_repeated() -> None:
    pdf = quarterly_review_pdf(report())
    pages = texts(pdf)
    assert len(pages) >= 3
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    second = pages[1]
    assert "Quarterly review — Q3 2026 (Jul–Sep)" in second
    assert "Waste lines (continued)" in second
    assert "Date" in second and "Lot" in second and "Quantity" in second
    assert all("made on 2026-10-02" in page for page in pages)
    lots = [f"L{n:05d}" for n in range(120)]
    found = "\n".join(pages)
    assert all(lot in found for lot in lots)


def test_empty_sections_say_so_in_a_sentence() -> None:
    pages = texts(quarterly_review_pdf(empty()))
    assert len(pages) == 1
    (page,) = pages
    for expected in (
        "No priced usage in these quarters.",
        "No stockouts this quarter.",
        "No waste recorded this quarter.",
        "No rush orders this quarter.",
        "No stock counted on hand by 2026-09-30.",
        "No usage this quarter.",
        "never worked out: run Recompute suggestions",
        "no history for Q2 2026",
        "no history for Q3 2025",
    ):
        assert expected in page, expected
    assert "Times out" not in page  # no empty table


def test_the_same_report_gives_the_same_bytes() -> None:
    assert quarterly_review_pdf(report()) == quarterly_review_pdf(report())
    assert quarterly_review_pdf(report()) != quarterly_review_pdf(report(settings=1235))


def test_letter_paper_and_the_file_name() -> None:
    document = quarterly_review_document(report(), PrintOptions(paper=PaperSize.LETTER))
    assert set(page_sizes(document.pdf)) == {(612.0, 792.0)}
    assert document.pages == len(texts(document.pdf))
    assert document.filename == "quarterly-review-2026-Q3-Imaging_cost_centre_4100.pdf"
    assert document.title == "Quarterly review Q3 2026 (Jul–Sep) · Imaging · cost centre 4100"
    whole = quarterly_review_document(empty(), PrintOptions())
    assert whole.filename == "quarterly-review-2026-Q3.pdf"
    assert set(page_sizes(whole.pdf)) == {(595.3, 841.9)}


def test_changes_are_signed_with_one_decimal() -> None:
    assert percent(Decimal("12.46")) == "+12.5 %"
    assert percent(Decimal(-3)) == "−3.0 %"
    assert percent(Decimal("-0.04")) == "0.0 %"
    assert percent(None) == "—"
    assert percent(Decimal(1234)) == "+1,234.0 %"


def test_every_row_is_placed_once_and_above_the_footer() -> None:
    for paper in PaperSize:
        size = page_size(paper)
        pages = flow(build_blocks(report(), size[0]), size)
        placed_rows: dict[int, list[int]] = {}
        for page in pages:
            for item in page:
                block = item.block
                if isinstance(block, Table):
                    bottom = item.top - block.height(item.rows)
                    bottom -= CONTINUED if item.continued else 0
                    placed_rows.setdefault(id(block), []).extend(item.rows)
                else:
                    bottom = item.top - block.height
                assert bottom >= MARGIN, (paper, block)
        tables = [b for b in build_blocks(report(), size[0]) if isinstance(b, Table)]
        assert sorted(len(rows) for rows in placed_rows.values()) == sorted(
            len(t.rows) for t in tables
        )
        for rows in placed_rows.values():
            assert rows == list(range(len(rows)))
