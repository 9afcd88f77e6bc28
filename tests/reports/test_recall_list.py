"""The recall list PDF, read back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from parstudio.domain.expiry import RecallHolding, RecallList
from parstudio.domain.paper import PaperSize, PrintOptions
from parstudio.services.ordering.printing import recall_list_document
from tests.support.pdfs import page_sizes, texts

SEEN = date(2026, 11, 20)


def recall(holdings: int) -> RecallList:
    return RecallList(
        item_code="IOH350",
        description="Iohexol 350 mgI/mL 100 mL",
        lot="R9",
        reason="Particles in vials",
        on_recall_list=True,
        holdings=(
            *(
                RecallHolding(f"LOC{n:03}", f"Room {n}", Decimal(n + 1), SEEN, "count")
                for n in range(holdings)
            ),
            RecallHolding("STORE", "Storeroom", Decimal(12), date(2026, 11, 22), "receipt"),
        ),
        made_on=date(2026, 11, 23),
    )


def test_recall_list_names_the_lot_every_location_and_the_total() -> None:
    document = recall_list_document(recall(3), PrintOptions())
    assert document.filename == "recall-IOH350-R9.pdf"
    assert document.pages == 1
    (page,) = texts(document.pdf)
    for expected in (
        "RECALL LIST",
        "Lot R9",
        "IOH350 · Iohexol 350",
        "On the recall list: Particles in vials",
        "4 locations, 18 units in all",
        "LOC000",
        "Room 2",
        "receipt since count",
        "PULLED BY",
    ):
        assert expected in page


def test_a_long_recall_list_runs_over_pages_on_letter() -> None:
    document = recall_list_document(recall(60), PrintOptions(paper=PaperSize.LETTER))
    pages = texts(document.pdf)
    assert len(pages) == document.pages >= 2
    assert page_sizes(document.pdf)[0] == (612.0, 792.0)
    assert "LOC059" in "".join(pages) and "Page 2 of" in pages[1]


def test_an_empty_recall_list_says_so() -> None:
    empty = RecallList("GAUZE", "Gauze", "X1", None, False, (), date(2026, 11, 23))
    (page,) = texts(recall_list_document(empty, PrintOptions()).pdf)
    assert "Not on the recall list" in page
    assert "No location holds this lot" in page
