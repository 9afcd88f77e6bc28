"""Usage derived from counts and receipts, for the PAR calculator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from parstudio.domain.count_usage import CountPoint, ReceiptPoint, summarise_usage

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def weekly_counts(quantities: list[int]) -> list[CountPoint]:
    return [CountPoint(START + timedelta(weeks=n), Decimal(q)) for n, q in enumerate(quantities)]


def test_fewer_than_two_counts_give_no_usage() -> None:
    assert summarise_usage([], []) is None
    assert summarise_usage(weekly_counts([10]), []) is None


def test_usage_is_previous_plus_received_minus_this() -> None:
    # 40 → 25 (15 used), 30 received then counted 35 (20 used), 35 → 20 (15 used).
    counts = weekly_counts([40, 25, 35, 20])
    receipts = [ReceiptPoint(START + timedelta(weeks=1, days=2), Decimal(30))]
    usage = summarise_usage(counts, receipts, unit="EA")
    assert usage is not None
    assert usage.periods == 3
    assert usage.total == 50
    assert usage.days == 21
    assert usage.weekly.quantize(Decimal("0.01")) == Decimal("16.67")
    assert usage.flagged == 0
    assert "total 50 EA" in usage.working[1]


def test_receipts_before_the_first_count_are_not_usage() -> None:
    counts = weekly_counts([40, 30])
    receipts = [ReceiptPoint(START - timedelta(days=1), Decimal(100))]
    usage = summarise_usage(counts, receipts)
    assert usage is not None and usage.total == 10


def test_more_on_the_shelf_than_possible_is_flagged_and_counted_as_no_usage() -> None:
    usage = summarise_usage(weekly_counts([10, 30, 20]), [])
    assert usage is not None
    assert usage.flagged == 1
    assert usage.total == 10
    assert any("receipt not recorded" in line for line in usage.working)


def test_steady_usage_has_no_spread_and_uneven_usage_has_some() -> None:
    # Topped up with 70 every week and counted back at 70: 70 a week, every week.
    top_ups = [ReceiptPoint(START + timedelta(weeks=n, hours=1), Decimal(70)) for n in range(3)]
    steady = summarise_usage(weekly_counts([70, 70, 70, 70]), top_ups)
    assert steady is not None
    assert steady.daily == 10
    assert steady.daily_sd == 0
    uneven = summarise_usage(weekly_counts([100, 90, 40, 30]), [])
    assert uneven is not None and uneven.daily_sd > 0


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=2, max_size=30))
def test_usage_is_never_negative(quantities: list[int]) -> None:
    usage = summarise_usage(weekly_counts(quantities), [])
    assert usage is not None
    assert usage.total >= 0 and usage.daily_sd >= 0
    assert usage.weekly == usage.daily * 7


def test_lines_not_counted_on_hand_take_receipts_as_usage() -> None:
    # ORDER QTY lines record requests (here 5, 7, 6); what arrived in between was used.
    counts = weekly_counts([5, 7, 6])
    receipts = [
        ReceiptPoint(START + timedelta(days=2), Decimal(5)),
        ReceiptPoint(START + timedelta(days=9), Decimal(7)),
    ]
    usage = summarise_usage(counts, receipts, on_hand=False)
    assert usage is not None
    assert usage.total == 12
    assert usage.flagged == 0
    assert "units received" in usage.working[1]
