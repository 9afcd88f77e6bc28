"""FEFO hints and the expiring-soon horizon, on constructed lots."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from parstudio.domain.errors import ValidationError
from parstudio.domain.expiry import LotOnHand, expiring_within, fefo_hints, merge_lots

TODAY = date(2026, 11, 23)


def lot(name: str | None, days: int | None, qty: int = 5, loc: int = 1, item: int = 1) -> LotOnHand:
    expiry = TODAY + timedelta(days=days) if days is not None else None
    return LotOnHand(
        loc, f"L{loc}", f"Location {loc}", item, f"I{item}", f"Item {item}", name, expiry,
        Decimal(qty), TODAY,
    )  # fmt: skip


def test_fefo_orders_lots_of_an_item_at_a_location_by_expiry() -> None:
    hints = fefo_hints([lot("B", 80), lot("A", 20), lot(None, None), lot("C", 5, loc=2)])
    assert hints[(1, 1, "A")] == "Use lot A first"
    assert hints[(1, 1, "B")] == "Use after lot A"
    assert hints[(1, 1, None)] == "Use after lot B"
    assert hints[(2, 1, "C")] == "Only lot on hand"


def test_expiring_within_keeps_the_horizon_and_soonest_first() -> None:
    lots = [lot("LATE", 200), lot("SOON", 45), lot("GONE", -3), lot("EMPTY", 10, qty=0)]
    thirty = expiring_within(lots, today=TODAY, days=30)
    assert [(e.lot.lot, e.days_left, e.expired) for e in thirty] == [("GONE", -3, True)]
    sixty = expiring_within(lots, today=TODAY, days=60)
    assert [e.lot.lot for e in sixty] == ["GONE", "SOON"]
    # The hint counts the later lot too: SOON is used after GONE, and LATE is not listed.
    assert sixty[1].hint == "Use after lot GONE"
    assert sixty[0].hint == "Use lot GONE first"


def test_an_unoffered_horizon_is_refused() -> None:
    with pytest.raises(ValidationError, match="30, 60 or 90"):
        expiring_within([], today=TODAY, days=45)


def test_merge_adds_repeated_lots_and_keeps_the_earliest_expiry() -> None:
    merged = merge_lots([lot("A", 30, qty=2), lot("A", 20, qty=3), lot("B", 9)])
    by_lot = {m.lot: m for m in merged}
    assert by_lot["A"].quantity == 5
    assert by_lot["A"].expiry == TODAY + timedelta(days=20)
    assert by_lot["B"].quantity == 5
