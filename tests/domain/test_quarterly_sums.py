"""The quarterly review's pure parts: quarters, usage compared, movers, waste, stock value."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from parstudio.domain.errors import ValidationError
from parstudio.domain.period_usage import MonthlyUsage, SettingFacts
from parstudio.domain.quarterly_review import (
    ALL_LOCATIONS,
    OnHandLine,
    Quarter,
    change_pct,
    compare_usage,
    most_out_of_line,
    rush_reason,
    stock_values,
    summarise_waste,
    top_movers,
)
from parstudio.domain.review import ReviewLine
from parstudio.domain.waste import WasteReason, WasteRecord

D = Decimal


def test_quarters_know_their_days_and_neighbours() -> None:
    q = Quarter(2026, 1)
    assert (q.start, q.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert q.previous == Quarter(2025, 4) and q.following == Quarter(2026, 2)
    assert Quarter(2026, 4).end == date(2026, 12, 31)
    assert Quarter(2026, 4).following == Quarter(2027, 1)
    assert q.year_before == Quarter(2025, 1)
    assert (q.code, q.label) == ("2026-Q1", "Q1 2026 (Jan–Mar)")
    assert Quarter.containing(date(2026, 8, 15)) == Quarter(2026, 3)
    assert Quarter.last_complete(date(2026, 12, 1)) == Quarter(2026, 3)
    assert Quarter.last_complete(date(2026, 1, 1)) == Quarter(2025, 4)
    for text in ("2026-Q3", "2026q3", "2026 Q3", " 2026/Q3 "):
        assert Quarter.parse(text) == Quarter(2026, 3)
    for bad in ("2026-Q5", "Q3", "third quarter"):
        with pytest.raises(ValidationError, match="not a quarter"):
            Quarter.parse(bad)


def test_change_pct() -> None:
    assert change_pct(D(110), D(100)) == D("10.0")
    assert change_pct(D(2), D(3)) == D("-33.3")
    assert change_pct(D(5), D(0)) is None
    assert change_pct(None, D(3)) is None


def _facts(setting: int, location: str, cost: str | None, item: str = "GLV") -> SettingFacts:
    return SettingFacts(
        setting_id=setting,
        location_id=1 if location == "CT1" else 2,
        location_code=location,
        location_name=location.lower(),
        department=None,
        cost_centre=None,
        item_id=setting,
        item_code=item,
        description=item.title(),
        unit="EA",
        category=None,
        supplier_id=None,
        supplier_name=None,
        consignment=False,
        unit_cost=None if cost is None else D(cost),
    )


MONTHS = tuple(date(2025 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(4, 19))
"""April 2025 to June 2026: the year before Q2 2026, to Q2 2026 itself."""


def _usage(facts: SettingFacts, per_month: int, *, complete: bool = True) -> MonthlyUsage:
    used = tuple(D(per_month * (2 if m.year == 2026 and m.month >= 4 else 1)) for m in MONTHS)
    return MonthlyUsage(facts, MONTHS, used, (complete,) * len(MONTHS), (D(0),) * len(MONTHS))


def test_usage_is_valued_per_location_and_in_all() -> None:
    q2 = Quarter(2026, 2)
    rows = compare_usage(
        [
            _usage(_facts(1, "CT1", "0.5"), 10),
            _usage(_facts(2, "W3", "2"), 1, complete=False),
            _usage(_facts(3, "W3", None), 1000),  # no price: no value
        ],
        q2,
    )
    assert [r.name for r in rows] == ["CT1 — ct1", "W3 — w3", ALL_LOCATIONS]
    ct, ward, total = rows
    assert (ct.this_quarter, ct.last_quarter, ct.year_before) == (
        D("30.00"),
        D("15.00"),
        D("15.00"),
    )
    assert ct.change_vs_last == D("100.0") and ct.complete
    assert (ward.this_quarter, ward.complete) == (D("12.00"), False)
    assert total.this_quarter == D("42.00") and not total.complete


def test_top_movers_rank_by_value_then_units() -> None:
    q2 = Quarter(2026, 2)
    movers = top_movers(
        [
            _usage(_facts(1, "CT1", "0.5", "GLV"), 10),
            _usage(_facts(2, "CT1", "3", "SYR"), 5),
            _usage(_facts(3, "CT1", None, "GAUZE"), 50),
            _usage(_facts(4, "CT1", "1", "IDLE"), 0),
        ],
        q2,
        count=2,
    )
    assert [(m.item_code, m.value) for m in movers] == [("SYR", D("90.00")), ("GLV", D("30.00"))]
    assert movers[0].change_vs_last == D("100.0")


def test_a_storerooms_issues_are_counted_once_in_all_locations() -> None:
    q2 = Quarter(2026, 2)
    store = replace(_facts(9, "STORE", "0.5"), storeroom=True, location_id=3)
    rows = compare_usage([_usage(_facts(1, "CT1", "0.5"), 10), _usage(store, 10)], q2)
    assert [r.name for r in rows] == ["CT1 — ct1", "STORE — store", ALL_LOCATIONS]
    ct, storeroom, total = rows
    assert ct.this_quarter == storeroom.this_quarter == D("30.00")
    assert total.this_quarter == D("30.00")  # the rooms' use of what the storeroom issued
    # A review of the storeroom alone totals what it issued.
    [alone, alone_total] = compare_usage([_usage(store, 10)], q2)
    assert alone_total.this_quarter == alone.this_quarter == D("30.00")


def test_top_movers_show_whole_units_where_the_unit_is_whole() -> None:
    q2 = Quarter(2026, 2)
    each = _facts(1, "CT1", "0.5")
    measured = replace(_facts(2, "CT1", "0.01", "GEL"), unit="mL")
    used = tuple(D("1447.76") for _month in MONTHS)
    movers = top_movers(
        [
            MonthlyUsage(each, MONTHS, used, (True,) * len(MONTHS), (D(0),) * len(MONTHS)),
            MonthlyUsage(measured, MONTHS, used, (True,) * len(MONTHS), (D(0),) * len(MONTHS)),
        ],
        q2,
    )
    by_code = {m.item_code: m for m in movers}
    assert by_code["GLV"].units == D("4343")  # 3 × 1447.76 = 4343.28 EA, shown as 4343
    assert by_code["GEL"].units == D("4343.28")  # mL are measured, not counted


def _waste(reason: WasteReason, quantity: int, cost: str | None) -> WasteRecord:
    return WasteRecord(
        1, 1, "CT1", 1, "GLV", "Gloves", "EA", D(quantity), reason, None, None,
        None if cost is None else D(cost), None, datetime(2026, 5, 1, tzinfo=UTC), "anna",
    )  # fmt: skip


def test_waste_is_summed_per_reason_costliest_first() -> None:
    rows = summarise_waste(
        [
            _waste(WasteReason.EXPIRED, 10, "0.5"),
            _waste(WasteReason.DAMAGED, 1, "20"),
            _waste(WasteReason.EXPIRED, 4, None),
        ]
    )
    assert [(r.reason, r.records, r.cost, r.unpriced) for r in rows] == [
        (WasteReason.DAMAGED, 1, D("20.00"), 0),
        (WasteReason.EXPIRED, 2, D("5.00"), 1),
    ]


def test_stock_value_keeps_consignment_apart_and_counts_unpriced_lines() -> None:
    rows = stock_values(
        [
            OnHandLine("CT1", "CT room", D(10), D("0.5"), False),
            OnHandLine("CT1", "CT room", D(2), D(300), True),
            OnHandLine("CT1", "CT room", D(5), None, False),
            OnHandLine("W3", "Ward 3", D(0), None, False),
        ]
    )
    assert [(r.location_code, r.value, r.consignment_value, r.unpriced) for r in rows] == [
        ("CT1", D("5.00"), D("600.00"), 1),
        ("W3", D(0), D(0), 0),
    ]


def test_rush_orders_are_marked_or_off_schedule() -> None:
    saturday = date(2026, 5, 9)
    assert rush_reason(True, saturday, "SAT") == "marked rush"
    assert rush_reason(False, saturday, "MON,THU") == (
        "delivery on Saturday, outside the schedule (Mon, Thu)"
    )
    assert rush_reason(False, saturday, "SAT,MON") is None
    assert rush_reason(False, saturday, "") is None  # no schedule: nothing is off it
    assert rush_reason(False, None, "MON") is None


def _line(item: str, current: str | None, suggested: str) -> ReviewLine:
    return ReviewLine(
        1, 1, "CT1", item, item, "EA", "PAR", "PAR", None if current is None else D(current),
        D(suggested), D(suggested), 13, D(1), D(1), D(0), D(1), "", 0,
    )  # fmt: skip


def test_most_out_of_line_ranks_by_distance_in_percent() -> None:
    lines = [_line("A", "10", "12"), _line("B", "10", "3"), _line("C", None, "5")]
    assert [line.item_code for line in most_out_of_line(lines, 2)] == ["C", "B"]


def test_a_quarter_before_the_history_is_not_known() -> None:
    q2 = Quarter(2026, 2)
    facts = _facts(1, "CT1", "1")
    # History from January 2026 only: the year before has no complete month.
    complete = tuple(m >= date(2026, 1, 1) for m in MONTHS)
    usage = MonthlyUsage(facts, MONTHS, (D(5),) * len(MONTHS), complete, (D(0),) * len(MONTHS))
    _ct, total = compare_usage([usage], q2)
    assert total.last_quarter_known and not total.year_before_known
    assert total.change_vs_year is None and total.change_vs_last == D(0)
    assert total.complete  # this quarter and the last are whole
