"""The reconciliation rule on a small hand-worked department: one row per (location, item)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from parstudio.domain.charges import DayRange
from parstudio.domain.reconciliation import (
    GapStatus,
    LineFacts,
    ReconciliationLine,
    reconcile,
    reconcile_line,
    recorded_between,
    seen_usage,
)
from parstudio.domain.usage import StockEvent

NOVEMBER = DayRange(date(2026, 11, 1), date(2026, 11, 30))


def count(day: date, quantity: int) -> StockEvent:
    return StockEvent(
        datetime(day.year, day.month, day.day, 12, tzinfo=UTC), Decimal(quantity), True
    )


def receipt(day: date, quantity: int) -> StockEvent:
    return StockEvent(
        datetime(day.year, day.month, day.day, 9, tzinfo=UTC), Decimal(quantity), False
    )


def waste(day: date, quantity: int) -> StockEvent:
    return receipt(day, -quantity)


OCT31, NOV1, NOV10, NOV15, NOV30 = (
    date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 10), date(2026, 11, 15),
    date(2026, 11, 30),
)  # fmt: skip


def used(day: date, quantity: int) -> tuple[datetime, Decimal]:
    return datetime(day.year, day.month, day.day, 11, tzinfo=UTC), Decimal(quantity)


DEC1, DEC5, DEC10 = date(2026, 12, 1), date(2026, 12, 5), date(2026, 12, 10)

# (location, item, charge price, events, uses recorded to cases,
#  expected usage, counted throughout, recorded, gap, gap value, status)
DEPARTMENT = [
    # 10 on 31 Oct, 6 received on 15 Nov, 4 on 30 Nov: 10 + 6 − 4 = 12 used; 9 recorded
    # between the two counts (the use of 1 Dec is after the second count: not compared).
    ("CT1", "STENT", "1200", [count(OCT31, 10), receipt(NOV15, 6), count(NOV30, 4)],
     [used(NOV10, 5), used(NOV15, 4), used(DEC1, 1)],
     "12", True, "9", "3", "3600.00", GapStatus.UNBILLED),
    # 20 → 12 with 2 thrown away on 10 Nov: 20 − 2 − 12 = 6 used, 8 recorded: over by 2.
    ("CT1", "CATH", "85.50", [count(OCT31, 20), waste(NOV10, 2), count(NOV30, 12)],
     [used(NOV10, 8)],
     "6", True, "8", "-2", "-171.00", GapStatus.OVER_RECORDED),
    # Counted 16 Oct (10) and 15 Nov (4): 6 used between them, nothing prorated; the uses of
    # 20 Oct and 10 Nov lie between the same counts: 2 recorded, 4 unbilled. The counts stop
    # on 15 Nov: not the whole period.
    ("CT1", "PLATE", "300", [count(date(2026, 10, 16), 10), count(NOV15, 4)],
     [used(date(2026, 10, 20), 1), used(NOV10, 1)],
     "6", False, "2", "4", "1200.00", GapStatus.UNBILLED),
    # 40 on 31 Oct, 0 on 10 Dec: 40 used between them; 30 recorded in November and 5 on
    # 5 Dec, before the closing count: 35 recorded, 5 unbilled.
    ("CT2", "SCREW", "40", [count(OCT31, 40), count(DEC10, 0)],
     [used(NOV15, 30), used(DEC5, 5)],
     "40", True, "35", "5", "200.00", GapStatus.UNBILLED),
    # No charge price: the gap is in units only.
    ("CT2", "COIL", None, [count(OCT31, 5), count(NOV30, 3)], [used(NOV15, 2)],
     "2", True, "2", "0", None, GapStatus.MATCHES),
    # One count only: nothing says what was used. Not counted, never 0; what was recorded
    # on the period's days is still shown.
    ("CT2", "STENT", "1200", [count(NOV1, 8)], [used(NOV15, 2)],
     None, False, "2", None, None, GapStatus.NOT_COUNTED),
    # Counted only before the period: not counted either.
    ("CT2", "GRAFT", "500", [count(date(2026, 9, 1), 8), count(OCT31, 5)], [],
     None, False, "0", None, None, GapStatus.NOT_COUNTED),
]  # fmt: skip


def _line(row: tuple[Any, ...]) -> ReconciliationLine:
    location, item, price, events, uses, *_ = row
    facts = LineFacts(
        location_code=location,
        location_name=location,
        item_code=item,
        description=item.title(),
        unit="EA",
        charge_code=f"C-{item}",
        charge_price=None if price is None else Decimal(price),
    )
    return reconcile_line(facts, events, uses, NOVEMBER)


@pytest.mark.parametrize("row", DEPARTMENT, ids=[f"{r[0]}-{r[1]}" for r in DEPARTMENT])
def test_each_line_of_the_hand_worked_department(row: tuple[Any, ...]) -> None:
    *_, usage, throughout, recorded, gap, gap_value, status = row
    line = _line(row)
    assert line.usage == (None if usage is None else Decimal(usage))
    assert line.counted_throughout is throughout
    assert line.recorded == Decimal(recorded)
    assert line.gap == (None if gap is None else Decimal(gap))
    assert line.gap_value == (None if gap_value is None else Decimal(gap_value))
    assert line.status is status


def test_lines_come_largest_unbilled_value_first_and_uncounted_last() -> None:
    report = reconcile([_line(r) for r in DEPARTMENT], period=NOVEMBER, scope="All")
    assert [(line.location_code, line.item_code) for line in report.lines] == [
        ("CT1", "STENT"),
        ("CT1", "PLATE"),
        ("CT2", "SCREW"),
        ("CT2", "COIL"),
        ("CT1", "CATH"),
        ("CT2", "GRAFT"),
        ("CT2", "STENT"),
    ]
    assert report.unbilled_value == Decimal("5000.00")
    assert report.count(GapStatus.NOT_COUNTED) == 2
    assert report.summary == (
        "7 lines: 3 unbilled (value 5,000.00), 1 recorded more than seen, 2 not counted"
    )


def test_notes_say_what_the_figures_leave_out() -> None:
    plate, cath, coil, stent = (_line(DEPARTMENT[k]) for k in (2, 1, 4, 5))
    assert plate.note.startswith("The counts do not cover the whole period")
    assert cath.note == "More recorded to cases than the counts show was used"
    assert coil.note == "No charge price"
    assert stent.note.startswith("No counts around the period")


def test_two_counts_on_one_day_in_the_period_give_that_days_usage() -> None:
    events = [count(NOV10, 9), count(NOV10, 7)]
    assert seen_usage(events, NOVEMBER).usage == Decimal(2)
    assert seen_usage(events, DayRange(NOV15, NOV30)).usage is None


def test_the_comparison_runs_between_the_two_counts_around_the_period() -> None:
    events = [count(OCT31, 10), count(NOV15, 6), count(NOV30, 2)]
    seen = seen_usage(events, NOVEMBER)
    assert seen.usage == Decimal(8) and seen.complete
    assert seen.compared_from == events[0].at and seen.compared_to == events[-1].at
    # A use at the very moment of the opening count was before it; one at the closing count
    # is in it.
    uses = [(events[0].at, Decimal(3)), (events[-1].at, Decimal(1)), used(NOV10, 2)]
    assert recorded_between(uses, seen, NOVEMBER) == Decimal(3)
    # A period inside one interval compares the whole interval, not a share of it.
    inside = seen_usage(events, DayRange(date(2026, 11, 5), date(2026, 11, 6)))
    assert inside.usage == Decimal(4) and inside.compared_to == events[1].at
