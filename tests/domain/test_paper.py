"""Printing choices parse from what users type, and paper records add up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parstudio.domain.errors import ValidationError
from parstudio.domain.paper import (
    BarcodeSymbology,
    LabelStock,
    OrderSheet,
    OrderSheetLine,
    PaperSize,
    PartyAddress,
)


def test_choices_parse_case_insensitively() -> None:
    assert PaperSize.parse(" Letter ") is PaperSize.LETTER
    assert PaperSize.parse("A4") is PaperSize.A4
    assert BarcodeSymbology.parse("Code 128") is BarcodeSymbology.CODE128
    assert BarcodeSymbology.parse("QR") is BarcodeSymbology.QR
    assert LabelStock.parse("2X1IN") is LabelStock.SINGLE_2X1


@pytest.mark.parametrize(
    ("parse", "text", "field"),
    [
        (PaperSize.parse, "A5", "paper"),
        (BarcodeSymbology.parse, "datamatrix", "barcode"),
        (LabelStock.parse, "4x6", "labels"),
    ],
)
def test_unknown_choices_name_the_choices(parse: object, text: str, field: str) -> None:
    with pytest.raises(ValidationError, match=f"“{text}”") as caught:
        parse(text)  # type: ignore[operator]
    assert caught.value.field == field


def test_order_total_leaves_out_unpriced_lines() -> None:
    def line(price: str | None, packs: int) -> OrderSheetLine:
        return OrderSheetLine(
            "X", "", "x", "EA", Decimal(1), packs, Decimal(price) if price else None
        )

    sheet = OrderSheet(
        "PO-1", date(2026, 1, 5), None, PartyAddress("Imaging"), PartyAddress("Medline"),
        "MED", None, (line("2.50", 3), line(None, 4), line("1.25", 2)),
    )  # fmt: skip
    assert sheet.total == Decimal("10.00")
    assert sheet.unpriced_lines == 1
