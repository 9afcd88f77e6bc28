"""Tests for the order-quantity engine: a table of cases, then properties over random lines."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parstudio.domain.enums import CountType, Method, Rounding
from parstudio.domain.quantities import format_money
from parstudio.domain.replenishment import (
    LineStatus,
    OrderInput,
    check_levels,
    compute_order,
    format_quantity,
)

D = Decimal
ON_HAND = CountType.ON_HAND
ORDER_PAR = CountType.ORDER_PAR
ORDER_QTY = CountType.ORDER_QTY
NOT_COUNTED = CountType.NOT_COUNTED
ORDER = LineStatus.ORDER
NOTHING = LineStatus.NOTHING_TO_ORDER
MISSING = LineStatus.MISSING_COUNT
INVALID = LineStatus.INVALID


def par(**changes: Any) -> OrderInput:
    """Return a counted ON HAND PAR line, changed as given."""
    fields: dict[str, Any] = {"method": Method.PAR, "count_type": ON_HAND, "counted": True}
    return OrderInput(**(fields | changes))


def minmax(**changes: Any) -> OrderInput:
    """Return a counted ON HAND MIN/MAX line, changed as given."""
    fields: dict[str, Any] = {"method": Method.MIN_MAX, "count_type": ON_HAND, "counted": True}
    return OrderInput(**(fields | changes))


@dataclass(frozen=True)
class Case:
    """One row of the table: a line and everything the engine must say about it."""

    line: OrderInput
    status: LineStatus
    packs: int
    explanation: str | None = None
    warnings: tuple[str, ...] = ()
    reason: str | None = None
    capped: bool = False


def case(id: str, *args: Any, **kwargs: Any) -> Any:
    """Return a pytest param for one Case with the given id."""
    return pytest.param(Case(*args, **kwargs), id=id)


STORAGE_CUT_10_TO_3 = (
    "Storage capacity cut this line from 10 packs to 3 packs: 40 EA fit and 8 EA are on hand"
)

CASES = [
    # --- PAR, ON HAND -------------------------------------------------------------------------
    case(
        "domain-par-24-on-hand-8-pack-10-moq-3",
        par(par_level=D(24), on_hand=D(8), pack_size=D(10), moq=3),
        ORDER,
        3,
        "PAR 24 − on hand 8 = 16 EA → 2 packs of 10 → MOQ 3 → 3 packs",
    ),
    case(
        "domain-20-bags-a-week-par-24-on-hand-8",
        par(par_level=D(24), on_hand=D(8), unit="BG"),
        ORDER,
        16,
        "PAR 24 − on hand 8 = 16 BG → 16 packs of 1",
    ),
    case(
        "par-need-exact-number-of-packs",
        par(par_level=D(20), on_hand=D(0), pack_size=D(10)),
        ORDER,
        2,
        "PAR 20 − on hand 0 = 20 EA → 2 packs of 10",
    ),
    case(
        "par-part-pack-rounds-up",
        par(par_level=D(21), on_hand=D(0), pack_size=D(10)),
        ORDER,
        3,
        "PAR 21 − on hand 0 = 21 EA → 3 packs of 10",
    ),
    case(
        "par-one-pack-is-singular",
        par(par_level=D(5), on_hand=D(1), pack_size=D(10)),
        ORDER,
        1,
        "PAR 5 − on hand 1 = 4 EA → 1 pack of 10",
    ),
    case(
        "par-on-hand-equals-par",
        par(par_level=D(24), on_hand=D(24), pack_size=D(10)),
        NOTHING,
        0,
        "PAR 24 − on hand 24 = 0 EA → nothing to order",
    ),
    case(
        "par-on-hand-above-par",
        par(par_level=D(24), on_hand=D(30)),
        NOTHING,
        0,
        "PAR 24 − on hand 30 = −6 EA, not positive → nothing to order",
    ),
    case(
        "par-moq-never-creates-an-order",
        par(par_level=D(24), on_hand=D(24), moq=5),
        NOTHING,
        0,
        "PAR 24 − on hand 24 = 0 EA → nothing to order",
    ),
    case(
        "par-multiple-never-creates-an-order",
        par(par_level=D(24), on_hand=D(25), lot_multiple=4),
        NOTHING,
        0,
    ),
    case(
        "par-zero-level",
        par(par_level=D(0), on_hand=D(0), moq=2),
        NOTHING,
        0,
        "PAR 0 − on hand 0 = 0 EA → nothing to order",
    ),
    case(
        "par-moq-below-packs-changes-nothing",
        par(par_level=D(100), on_hand=D(0), pack_size=D(10), moq=3),
        ORDER,
        10,
        "PAR 100 − on hand 0 = 100 EA → 10 packs of 10 → MOQ 3 → 10 packs",
    ),
    case(
        "par-decimal-quantities-and-unit",
        par(par_level=D("2.5"), on_hand=D("0.5"), pack_size=D("0.5"), unit="L"),
        ORDER,
        4,
        "PAR 2.5 − on hand 0.5 = 2 L → 4 packs of 0.5",
    ),
    case(
        "par-trailing-zeros-are-not-shown",
        par(par_level=D("24.00"), on_hand=D("8.0"), pack_size=D("10.000")),
        ORDER,
        2,
        "PAR 24 − on hand 8 = 16 EA → 2 packs of 10",
    ),
    case(
        "par-multiple-up",
        par(par_level=D(24), on_hand=D(8), lot_multiple=5),
        ORDER,
        20,
        "PAR 24 − on hand 8 = 16 EA → 16 packs of 1 → multiple 5 UP → 20 packs",
    ),
    case(
        "par-multiple-down",
        par(par_level=D(24), on_hand=D(8), lot_multiple=5, rounding=Rounding.DOWN),
        ORDER,
        15,
        "PAR 24 − on hand 8 = 16 EA → 16 packs of 1 → multiple 5 DOWN → 15 packs",
    ),
    case(
        "par-multiple-down-to-zero-rounds-up",
        par(par_level=D(10), on_hand=D(7), lot_multiple=4, rounding=Rounding.DOWN),
        ORDER,
        4,
        "PAR 10 − on hand 7 = 3 EA → 3 packs of 1 → multiple 4 DOWN would give 0, so UP → 4 packs",
    ),
    case(
        "par-multiple-down-below-moq-rounds-up",
        par(par_level=D(13), on_hand=D(0), moq=12, lot_multiple=8, rounding=Rounding.DOWN),
        ORDER,
        16,
        "PAR 13 − on hand 0 = 13 EA → 13 packs of 1 → MOQ 12 → 13"
        " → multiple 8 DOWN would give 8, below MOQ 12, so UP → 16 packs",
    ),
    case(
        "par-multiple-down-already-a-multiple",
        par(par_level=D(16), on_hand=D(0), lot_multiple=4, rounding=Rounding.DOWN),
        ORDER,
        16,
        "PAR 16 − on hand 0 = 16 EA → 16 packs of 1 → multiple 4 DOWN → 16 packs",
    ),
    case(
        "par-moq-then-multiple-up",
        par(par_level=D(24), on_hand=D(8), pack_size=D(10), moq=3, lot_multiple=2),
        ORDER,
        4,
        "PAR 24 − on hand 8 = 16 EA → 2 packs of 10 → MOQ 3 → 3 → multiple 2 UP → 4 packs",
    ),
    case(
        "par-rounding-down-without-multiple-does-nothing",
        par(par_level=D(24), on_hand=D(8), pack_size=D(10), rounding=Rounding.DOWN),
        ORDER,
        2,
        "PAR 24 − on hand 8 = 16 EA → 2 packs of 10",
    ),
    # --- caps -------------------------------------------------------------------------------
    case(
        "storage-cap-cuts",
        par(par_level=D(100), on_hand=D(8), pack_size=D(10), storage_capacity=D(40)),
        ORDER,
        3,
        "PAR 100 − on hand 8 = 92 EA → 10 packs of 10"
        " → storage cap (40 − on hand 8) ÷ 10 → at most 3 → 3 packs",
        (STORAGE_CUT_10_TO_3,),
        capped=True,
    ),
    case(
        "storage-cap-that-does-not-cut-is-silent",
        par(par_level=D(100), on_hand=D(8), pack_size=D(10), storage_capacity=D(200)),
        ORDER,
        10,
        "PAR 100 − on hand 8 = 92 EA → 10 packs of 10",
    ),
    case(
        "storage-cap-exactly-fits",
        par(par_level=D(40), on_hand=D(8), pack_size=D(8), storage_capacity=D(40)),
        ORDER,
        4,
        "PAR 40 − on hand 8 = 32 EA → 4 packs of 8",
    ),
    case(
        "storage-cap-with-no-room-gives-nothing",
        par(par_level=D(50), on_hand=D(45), storage_capacity=D(40)),
        NOTHING,
        0,
        "PAR 50 − on hand 45 = 5 EA → 5 packs of 1"
        " → storage cap (40 − on hand 45) ÷ 1 → at most 0 → 0 packs",
        (
            "Storage capacity cut this line from 5 packs to 0 packs: "
            "40 EA fit and 45 EA are on hand",
        ),
        capped=True,
    ),
    case(
        "storage-cap-below-moq-keeps-cap-and-warns",
        par(par_level=D(100), on_hand=D(8), pack_size=D(10), moq=5, storage_capacity=D(40)),
        ORDER,
        3,
        "PAR 100 − on hand 8 = 92 EA → 10 packs of 10 → MOQ 5 → 10"
        " → storage cap (40 − on hand 8) ÷ 10 → at most 3 → 3 packs",
        (
            STORAGE_CUT_10_TO_3,
            "The capped order (3 packs) is below the MOQ of 5 packs; check with the supplier",
        ),
        capped=True,
    ),
    case(
        "storage-cap-off-the-multiple-keeps-cap-and-warns",
        par(
            par_level=D(100), on_hand=D(8), pack_size=D(10), lot_multiple=2, storage_capacity=D(40)
        ),
        ORDER,
        3,
        "PAR 100 − on hand 8 = 92 EA → 10 packs of 10 → multiple 2 UP → 10"
        " → storage cap (40 − on hand 8) ÷ 10 → at most 3 → 3 packs",
        (
            STORAGE_CUT_10_TO_3,
            "The capped order (3 packs) is not a multiple of 2 packs; check with the supplier",
        ),
        capped=True,
    ),
    case(
        "shelf-life-cap-cuts",
        par(
            par_level=D(100),
            on_hand=D(0),
            pack_size=D(10),
            shelf_life_days=30,
            daily_usage=D(2),
        ),
        ORDER,
        6,
        "PAR 100 − on hand 0 = 100 EA → 10 packs of 10"
        " → shelf life (2 EA/day × 30 days − on hand 0) ÷ 10 → at most 6 → 6 packs",
        (
            "Shelf life cut this line from 10 packs to 6 packs: at 2 EA a day only 60 EA are "
            "used within the 30-day shelf life, and 0 EA are on hand",
        ),
        capped=True,
    ),
    case(
        "shelf-life-cap-counts-what-is-on-hand",
        par(
            par_level=D(100),
            on_hand=D(8),
            pack_size=D(10),
            shelf_life_days=30,
            daily_usage=D("1.5"),
        ),
        ORDER,
        3,
        "PAR 100 − on hand 8 = 92 EA → 10 packs of 10"
        " → shelf life (1.5 EA/day × 30 days − on hand 8) ÷ 10 → at most 3 → 3 packs",
        (
            "Shelf life cut this line from 10 packs to 3 packs: at 1.5 EA a day only 45 EA are "
            "used within the 30-day shelf life, and 8 EA are on hand",
        ),
        capped=True,
    ),
    case(
        "shelf-life-needs-daily-usage",
        par(par_level=D(100), on_hand=D(0), pack_size=D(10), shelf_life_days=1),
        ORDER,
        10,
    ),
    case(
        "shelf-life-needs-shelf-life-days",
        par(par_level=D(100), on_hand=D(0), pack_size=D(10), daily_usage=D("0.1")),
        ORDER,
        10,
    ),
    case(
        "shelf-life-with-more-on-hand-than-is-used-gives-nothing",
        par(par_level=D(100), on_hand=D(80), shelf_life_days=30, daily_usage=D(1)),
        NOTHING,
        0,
        "PAR 100 − on hand 80 = 20 EA → 20 packs of 1"
        " → shelf life (1 EA/day × 30 days − on hand 80) ÷ 1 → at most 0 → 0 packs",
        (
            "Shelf life cut this line from 20 packs to 0 packs: at 1 EA a day only 30 EA are "
            "used within the 30-day shelf life, and 80 EA are on hand",
        ),
        capped=True,
    ),
    case(
        "both-caps-cut-storage-first",
        par(
            par_level=D(100),
            on_hand=D(0),
            pack_size=D(10),
            storage_capacity=D(50),
            shelf_life_days=10,
            daily_usage=D(3),
        ),
        ORDER,
        3,
        "PAR 100 − on hand 0 = 100 EA → 10 packs of 10"
        " → storage cap (50 − on hand 0) ÷ 10 → at most 5 → 5"
        " → shelf life (3 EA/day × 10 days − on hand 0) ÷ 10 → at most 3 → 3 packs",
        (
            "Storage capacity cut this line from 10 packs to 5 packs: 50 EA fit and 0 EA are "
            "on hand",
            "Shelf life cut this line from 5 packs to 3 packs: at 3 EA a day only 30 EA are "
            "used within the 10-day shelf life, and 0 EA are on hand",
        ),
        capped=True,
    ),
    case(
        "both-caps-only-the-tighter-warns",
        par(
            par_level=D(100),
            on_hand=D(0),
            pack_size=D(10),
            storage_capacity=D(30),
            shelf_life_days=10,
            daily_usage=D(5),
        ),
        ORDER,
        3,
        warnings=(
            "Storage capacity cut this line from 10 packs to 3 packs: 30 EA fit and 0 EA are "
            "on hand",
        ),
        capped=True,
    ),
    # --- MIN/MAX, ON HAND -------------------------------------------------------------------
    case(
        "domain-min-max-worked-example-up",
        minmax(
            on_hand=D(10),
            open_demand=D(3),
            open_supply=D(5),
            min_level=D(15),
            max_level=D(25),
            moq=10,
            lot_multiple=2,
        ),
        ORDER,
        14,
        "on hand 10 − demand 3 + supply 5 = 12 < Min 15 → Max 25 − 12 = 13 EA → 13 packs of 1"
        " → MOQ 10 → 13 → multiple 2 UP → 14 packs",
    ),
    case(
        "domain-min-max-worked-example-down",
        minmax(
            on_hand=D(10),
            open_demand=D(3),
            open_supply=D(5),
            min_level=D(15),
            max_level=D(25),
            moq=10,
            lot_multiple=2,
            rounding=Rounding.DOWN,
        ),
        ORDER,
        12,
        "on hand 10 − demand 3 + supply 5 = 12 < Min 15 → Max 25 − 12 = 13 EA → 13 packs of 1"
        " → MOQ 10 → 13 → multiple 2 DOWN → 12 packs",
    ),
    case(
        "min-max-effective-exactly-at-min-orders-nothing",
        minmax(
            on_hand=D(10),
            open_demand=D(3),
            open_supply=D(8),
            min_level=D(15),
            max_level=D(25),
            moq=10,
        ),
        NOTHING,
        0,
        "on hand 10 − demand 3 + supply 8 = 15, not below Min 15 → nothing to order",
    ),
    case(
        "min-max-above-min-orders-nothing",
        minmax(on_hand=D(20), min_level=D(15), max_level=D(25)),
        NOTHING,
        0,
        "on hand 20, not below Min 15 → nothing to order",
    ),
    case(
        "min-max-without-open-orders",
        minmax(on_hand=D(10), min_level=D(15), max_level=D(25)),
        ORDER,
        15,
        "on hand 10 < Min 15 → Max 25 − 10 = 15 EA → 15 packs of 1",
    ),
    case(
        "min-max-open-demand-below-zero",
        minmax(on_hand=D(2), open_demand=D(5), min_level=D(0), max_level=D(10)),
        ORDER,
        13,
        "on hand 2 − demand 5 = −3 < Min 0 → Max 10 − (−3) = 13 EA → 13 packs of 1",
    ),
    case(
        "min-max-open-supply-lifts-above-min",
        minmax(on_hand=D(5), open_supply=D(10), min_level=D(10), max_level=D(20)),
        NOTHING,
        0,
        "on hand 5 + supply 10 = 15, not below Min 10 → nothing to order",
    ),
    case(
        "min-max-min-equals-max",
        minmax(on_hand=D(9), min_level=D(10), max_level=D(10)),
        ORDER,
        1,
        "on hand 9 < Min 10 → Max 10 − 9 = 1 EA → 1 pack of 1",
    ),
    case(
        "min-max-with-pack-size",
        minmax(on_hand=D(4), min_level=D(5), max_level=D(30), pack_size=D(12)),
        ORDER,
        3,
        "on hand 4 < Min 5 → Max 30 − 4 = 26 EA → 3 packs of 12",
    ),
    # --- ORDER PAR (two-bin) ----------------------------------------------------------------
    case(
        "order-par-orders-the-par-level",
        par(count_type=ORDER_PAR, par_level=D(24), pack_size=D(10)),
        ORDER,
        3,
        "ORDER PAR: PAR 24 EA → 3 packs of 10",
    ),
    case(
        "order-par-ignores-on-hand",
        par(count_type=ORDER_PAR, par_level=D(24), on_hand=D(30), pack_size=D(10)),
        ORDER,
        3,
        "ORDER PAR: PAR 24 EA → 3 packs of 10",
    ),
    case(
        "order-par-on-min-max-orders-max",
        minmax(count_type=ORDER_PAR, min_level=D(5), max_level=D(25)),
        ORDER,
        25,
        "ORDER PAR: Max 25 EA → 25 packs of 1",
    ),
    case(
        "order-par-zero-level",
        par(count_type=ORDER_PAR, par_level=D(0)),
        NOTHING,
        0,
        "ORDER PAR: PAR 0 EA → nothing to order",
    ),
    case(
        "order-par-storage-cap-without-on-hand",
        par(count_type=ORDER_PAR, par_level=D(24), pack_size=D(10), storage_capacity=D(15)),
        ORDER,
        1,
        "ORDER PAR: PAR 24 EA → 3 packs of 10 → storage cap 15 ÷ 10 → at most 1 → 1 pack",
        ("Storage capacity cut this line from 3 packs to 1 pack: 15 EA fit",),
        capped=True,
    ),
    # --- ORDER QTY (requisition) ------------------------------------------------------------
    case(
        "order-qty-orders-what-is-requested",
        par(count_type=ORDER_QTY, requested=D(7), pack_size=D(10)),
        ORDER,
        1,
        "ORDER QTY: requested 7 EA → 1 pack of 10",
    ),
    case(
        "order-qty-zero-requested",
        par(count_type=ORDER_QTY, requested=D(0), moq=2),
        NOTHING,
        0,
        "ORDER QTY: requested 0 EA → nothing to order",
    ),
    case(
        "order-qty-with-moq",
        par(count_type=ORDER_QTY, requested=D(3), pack_size=D(5), moq=2, unit="BX"),
        ORDER,
        2,
        "ORDER QTY: requested 3 BX → 1 pack of 5 → MOQ 2 → 2 packs",
    ),
    case(
        "order-qty-on-min-max-line-ignores-levels",
        minmax(
            count_type=ORDER_QTY,
            requested=D(4),
            on_hand=D(100),
            min_level=D(5),
            max_level=D(10),
        ),
        ORDER,
        4,
        "ORDER QTY: requested 4 EA → 4 packs of 1",
    ),
    case(
        "order-qty-on-par-line-needs-no-par-level",
        par(count_type=ORDER_QTY, requested=D(6)),
        ORDER,
        6,
        "ORDER QTY: requested 6 EA → 6 packs of 1",
    ),
    # --- missing counts ---------------------------------------------------------------------
    case(
        "not-counted-count-type",
        par(count_type=NOT_COUNTED, par_level=D(24), on_hand=D(0)),
        MISSING,
        0,
        reason="Count type is NOT COUNTED, so no order is proposed",
    ),
    case(
        "on-hand-not-counted-since-last-order",
        par(par_level=D(24), on_hand=D(0), counted=False),
        MISSING,
        0,
        reason="No count since the last order",
    ),
    case(
        "order-par-not-scanned-since-last-order",
        par(count_type=ORDER_PAR, par_level=D(24), counted=False),
        MISSING,
        0,
        reason="No count since the last order",
    ),
    case(
        "order-qty-no-requisition-since-last-order",
        par(count_type=ORDER_QTY, counted=False),
        MISSING,
        0,
        reason="No count since the last order",
    ),
    # --- settings that cannot be computed ---------------------------------------------------
    case(
        "par-line-without-par-level",
        par(on_hand=D(8)),
        INVALID,
        0,
        reason="PAR level is missing: a PAR line needs a PAR level",
    ),
    case(
        "order-par-line-without-par-level",
        par(count_type=ORDER_PAR),
        INVALID,
        0,
        reason="PAR level is missing: a PAR line needs a PAR level",
    ),
    case(
        "min-max-without-min",
        minmax(on_hand=D(8), max_level=D(25)),
        INVALID,
        0,
        reason="Min is missing: a MIN/MAX line needs a Min and a Max",
    ),
    case(
        "min-max-without-max-even-for-order-qty",
        minmax(count_type=ORDER_QTY, requested=D(2), min_level=D(5)),
        INVALID,
        0,
        reason="Max is missing: a MIN/MAX line needs a Min and a Max",
    ),
    case(
        "max-below-min",
        minmax(on_hand=D(8), min_level=D(15), max_level=D(10)),
        INVALID,
        0,
        reason="Min (15) must not be more than Max (10)",
    ),
    case(
        "pack-size-zero",
        par(par_level=D(24), on_hand=D(8), pack_size=D(0)),
        INVALID,
        0,
        reason="Pack size must be more than 0",
    ),
    case(
        "pack-size-negative",
        par(par_level=D(24), on_hand=D(8), pack_size=D(-10)),
        INVALID,
        0,
        reason="Pack size must be more than 0",
    ),
    case(
        "moq-zero",
        par(par_level=D(24), on_hand=D(8), moq=0),
        INVALID,
        0,
        reason="MOQ must be at least 1 pack",
    ),
    case(
        "lot-multiple-zero",
        par(par_level=D(24), on_hand=D(8), lot_multiple=0),
        INVALID,
        0,
        reason="Lot multiple must be at least 1 pack",
    ),
    case(
        "negative-par-level",
        par(par_level=D(-1), on_hand=D(0)),
        INVALID,
        0,
        reason="PAR level (−1) must not be negative",
    ),
    case(
        "storage-capacity-zero",
        par(par_level=D(24), on_hand=D(8), storage_capacity=D(0)),
        INVALID,
        0,
        reason="Storage capacity must be more than 0",
    ),
    case(
        "shelf-life-zero-days",
        par(par_level=D(24), on_hand=D(8), shelf_life_days=0, daily_usage=D(1)),
        INVALID,
        0,
        reason="Shelf life must be at least 1 day",
    ),
    case(
        "negative-on-hand",
        par(par_level=D(24), on_hand=D(-3)),
        INVALID,
        0,
        reason="On hand (−3) must not be negative",
    ),
    case(
        "negative-requested",
        par(count_type=ORDER_QTY, requested=D("-2.5")),
        INVALID,
        0,
        reason="Requested quantity (−2.5) must not be negative",
    ),
    case(
        "negative-open-demand",
        minmax(on_hand=D(4), open_demand=D(-1), min_level=D(5), max_level=D(10)),
        INVALID,
        0,
        reason="Open demand (−1) must not be negative",
    ),
    case(
        "on-hand-count-without-quantity",
        par(par_level=D(24)),
        INVALID,
        0,
        reason="This ON HAND count has no on-hand quantity",
    ),
    case(
        "order-qty-count-without-quantity",
        par(count_type=ORDER_QTY),
        INVALID,
        0,
        reason="This ORDER QTY count has no requested quantity",
    ),
    case(
        "on-hand-not-a-number",
        par(par_level=D(24), on_hand=D("NaN")),
        INVALID,
        0,
        reason="On hand must be a number",
    ),
    case(
        "bad-setting-wins-over-missing-count",
        par(par_level=D(24), counted=False, pack_size=D(0)),
        INVALID,
        0,
        reason="Pack size must be more than 0",
    ),
    case(
        "several-problems-are-all-listed",
        par(par_level=D(24), on_hand=D(8), pack_size=D(0), moq=0, lot_multiple=0),
        INVALID,
        0,
        reason="Pack size must be more than 0; MOQ must be at least 1 pack; "
        "Lot multiple must be at least 1 pack",
    ),
]


@pytest.mark.parametrize("row", CASES)
def test_compute_order(row: Case) -> None:
    result = compute_order(row.line)

    assert result.status is row.status
    assert result.packs == row.packs
    assert result.units == row.packs * row.line.pack_size
    assert result.warnings == row.warnings
    assert result.capped is row.capped
    assert result.reason == row.reason
    if row.explanation is not None:
        assert result.explanation == row.explanation
    if row.reason is not None:
        assert result.explanation == row.reason
        assert result.steps == ()
    else:
        # The trace is built from the steps, and its last step holds the final packs.
        assert result.steps[-1].value == result.packs
        assert result.explanation.startswith(result.steps[0].text)


@pytest.mark.parametrize("row", CASES)
def test_compute_order_without_words_gives_the_same_numbers(row: Case) -> None:
    # A proposal works out the numbers without words and the words when a line is read.
    worded = compute_order(row.line)
    bare = compute_order(row.line, explain=False)

    assert (bare.status, bare.need, bare.packs, bare.units) == (
        worded.status,
        worded.need,
        worded.packs,
        worded.units,
    )
    assert (bare.warnings, bare.capped, bare.reason) == (
        worded.warnings,
        worded.capped,
        worded.reason,
    )
    assert bare.steps == ()
    # A line that cannot be computed keeps its reason as its explanation; a computed one
    # has none until it is asked for with the words.
    assert bare.explanation == (worded.reason or "")


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 45


def test_steps_carry_need_in_units_then_packs() -> None:
    line = minmax(
        on_hand=D(10),
        open_demand=D(3),
        open_supply=D(5),
        min_level=D(15),
        max_level=D(25),
        moq=10,
        lot_multiple=2,
    )
    result = compute_order(line)

    assert [(step.label, step.value) for step in result.steps] == [
        ("need", D(13)),
        ("packs", D(13)),
        ("moq", D(13)),
        ("multiple", D(14)),
    ]
    assert result.need == D(13)
    assert result.units == D(14)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("24"), "24"),
        (D("24.000"), "24"),
        (D("2.50"), "2.5"),
        (D("1E+2"), "100"),
        (D("-6"), "−6"),
        (D("-0.0"), "0"),
        (D("0.125"), "0.125"),
    ],
)
def test_format_quantity(value: Decimal, text: str) -> None:
    assert format_quantity(value) == text


# --- check_levels -------------------------------------------------------------------------


def test_check_levels_accepts_a_good_setting() -> None:
    assert check_levels(Method.PAR, D(24), None, None, D(10), 3, 2, D(100)) == []
    assert check_levels(Method.MIN_MAX, None, D(5), D(25)) == []


def test_check_levels_lists_every_problem_in_users_words() -> None:
    problems = check_levels(Method.MIN_MAX, None, D(15), D(10), D(0), 0, 0, D(-5))

    assert problems == [
        "Min (15) must not be more than Max (10)",
        "Pack size must be more than 0",
        "MOQ must be at least 1 pack",
        "Lot multiple must be at least 1 pack",
        "Storage capacity must be more than 0",
    ]


@pytest.mark.parametrize(
    ("count_type", "needs_level"),
    [(None, True), (ON_HAND, True), (ORDER_PAR, True), (ORDER_QTY, False), (NOT_COUNTED, False)],
)
def test_check_levels_asks_for_a_par_level_only_where_it_is_used(
    count_type: CountType | None, needs_level: bool
) -> None:
    problems = check_levels(Method.PAR, count_type=count_type)

    expected = ["PAR level is missing: a PAR line needs a PAR level"] if needs_level else []
    assert problems == expected


def test_check_levels_reports_levels_that_are_not_numbers() -> None:
    problems = check_levels(Method.MIN_MAX, None, D("NaN"), D(10), shelf_life_days=0)

    assert problems == ["Min must be a number", "Shelf life must be at least 1 day"]


# --- properties ---------------------------------------------------------------------------

quantities = st.decimals(min_value=0, max_value=500, places=1)
pack_sizes = st.sampled_from([D(1), D(2), D("2.5"), D(5), D(10), D(12), D(100)])
packs_or_none = st.none() | st.integers(min_value=1, max_value=12)


@st.composite
def valid_lines(draw: st.DrawFn) -> OrderInput:
    """Draw a counted line whose settings can be computed."""
    method = draw(st.sampled_from(Method))
    count_type = draw(st.sampled_from([ON_HAND, ORDER_PAR, ORDER_QTY]))
    low, high = sorted((draw(quantities), draw(quantities)))
    return OrderInput(
        method=method,
        count_type=count_type,
        counted=True,
        on_hand=draw(quantities) if count_type is ON_HAND else draw(st.none() | quantities),
        requested=draw(quantities),
        par_level=draw(quantities),
        min_level=low,
        max_level=high,
        open_demand=draw(quantities),
        open_supply=draw(quantities),
        pack_size=draw(pack_sizes),
        moq=draw(packs_or_none),
        lot_multiple=draw(packs_or_none),
        rounding=draw(st.sampled_from(Rounding)),
        storage_capacity=draw(st.none() | st.decimals(min_value=1, max_value=500, places=0)),
        shelf_life_days=draw(st.none() | st.integers(min_value=1, max_value=365)),
        daily_usage=draw(st.none() | st.decimals(min_value=0, max_value=20, places=1)),
    )


any_quantity = st.none() | st.decimals(min_value=-50, max_value=500, places=1)


@st.composite
def any_lines(draw: st.DrawFn) -> OrderInput:
    """Draw any line at all, including ones with impossible settings or counts."""
    return OrderInput(
        method=draw(st.sampled_from(Method)),
        count_type=draw(st.sampled_from(CountType)),
        counted=draw(st.booleans()),
        on_hand=draw(any_quantity),
        requested=draw(any_quantity),
        par_level=draw(any_quantity),
        min_level=draw(any_quantity),
        max_level=draw(any_quantity),
        pack_size=draw(st.decimals(min_value=-5, max_value=50, places=1)),
        moq=draw(st.none() | st.integers(min_value=-2, max_value=10)),
        lot_multiple=draw(st.none() | st.integers(min_value=-2, max_value=10)),
        rounding=draw(st.sampled_from(Rounding)),
        storage_capacity=draw(any_quantity),
    )


@given(any_lines())
def test_never_negative_and_status_matches_packs(line: OrderInput) -> None:
    result = compute_order(line)

    assert result.packs >= 0
    assert result.units >= 0
    assert result.need >= 0
    assert (result.status is ORDER) == (result.packs > 0)
    if result.status in (INVALID, MISSING):
        assert result.packs == 0
        assert result.reason


@given(valid_lines())
def test_valid_lines_are_always_computed(line: OrderInput) -> None:
    result = compute_order(line)

    assert result.status in (ORDER, NOTHING)
    assert result.units == result.packs * line.pack_size
    assert result.steps[-1].value == result.packs
    assert result.capped == any(step.label.endswith("cap") for step in result.steps)
    cut = [w for w in result.warnings if w.startswith(("Storage", "Shelf"))]
    assert result.capped == bool(cut)


@given(valid_lines())
def test_rounding_up_never_orders_less_than_rounding_down(line: OrderInput) -> None:
    up = compute_order(replace(line, rounding=Rounding.UP))
    down = compute_order(replace(line, rounding=Rounding.DOWN))

    assert up.packs >= down.packs


@given(valid_lines())
def test_result_is_a_multiple_of_the_lot_multiple_unless_capped(line: OrderInput) -> None:
    result = compute_order(line)

    if line.lot_multiple is not None and not result.capped:
        assert result.packs % line.lot_multiple == 0


@given(valid_lines())
def test_never_below_moq_unless_capped_or_nothing_needed(line: OrderInput) -> None:
    result = compute_order(line)

    if result.need == 0:
        assert result.packs == 0
    elif line.moq is not None and not result.capped:
        assert result.packs >= line.moq


@given(valid_lines())
def test_order_never_falls_short_of_the_need_unless_capped_or_rounded_down(
    line: OrderInput,
) -> None:
    result = compute_order(line)

    if not result.capped and line.rounding is Rounding.UP:
        assert result.units >= result.need


@given(valid_lines(), quantities, quantities)
def test_a_par_line_is_brought_to_at_least_par_unless_capped(
    line: OrderInput, par_level: Decimal, on_hand: Decimal
) -> None:
    line = replace(
        line,
        method=Method.PAR,
        count_type=ON_HAND,
        rounding=Rounding.UP,
        par_level=par_level,
        on_hand=on_hand,
    )
    result = compute_order(line)

    assert result.status in (ORDER, NOTHING)
    if not result.capped:
        assert on_hand + result.units >= par_level


@given(valid_lines())
def test_no_more_than_one_pack_beyond_the_need_without_modifiers(line: OrderInput) -> None:
    line = replace(line, moq=None, lot_multiple=None, storage_capacity=None, shelf_life_days=None)
    result = compute_order(line)

    assert result.need <= result.units < result.need + line.pack_size


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (Decimal(0), "0.00"),
        (Decimal("18.5"), "18.50"),
        (Decimal("1306"), "1,306.00"),
        (Decimal("1234567.891"), "1,234,567.89"),
        (Decimal("0.125"), "0.12"),  # half to even, as Decimal rounds
        (Decimal("-4.5"), "-4.50"),
    ],
)
def test_money_has_two_decimals_and_thousands_separators(value: Decimal | None, shown: str) -> None:
    # The one money format: the screens (ui/kit/formatting) and the paper (reports) use it.
    assert format_money(value) == shown
