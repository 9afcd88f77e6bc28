"""The staleness rule and how a line's count reads, by a table of cases."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from parstudio.domain.count_evidence import (
    LineActivity,
    count_basis,
    latest,
    stale_count,
)
from parstudio.domain.enums import CountType, Method
from parstudio.domain.replenishment import LineStatus, OrderInput, compute_order

COUNT = datetime(2026, 12, 4, 9, 30, 20, tzinfo=UTC)
BEFORE = COUNT - timedelta(days=1)
AFTER = COUNT + timedelta(days=1)


def at(minutes: float) -> datetime:
    return COUNT + timedelta(minutes=minutes)


@dataclass(frozen=True)
class Case:
    name: str
    activity: LineActivity
    stale_by: tuple[str, ...]  # the events named, oldest first; () = the count stands


CASES = [
    Case("nothing ever happened", LineActivity(), ()),
    Case("count after the receipt", LineActivity(received_at=BEFORE), ()),
    Case("count before the receipt", LineActivity(received_at=AFTER), ("received",)),
    Case("count after the order", LineActivity(ordered_at=BEFORE), ()),
    Case("count before the order", LineActivity(ordered_at=AFTER), ("ordered",)),
    Case("count after a transfer out", LineActivity(transferred_at=BEFORE), ()),
    Case("count before a transfer out", LineActivity(transferred_at=AFTER), ("transferred out",)),
    Case(
        "several receipts, the latest after the count",
        LineActivity(received_at=latest(BEFORE, at(-5), AFTER)),
        ("received",),
    ),
    Case(
        "several receipts, all before the count",
        LineActivity(received_at=latest(BEFORE, at(-60), at(-1))),
        (),
    ),
    Case(
        "ordered then received after the count",
        LineActivity(received_at=at(2 * 24 * 60), ordered_at=at(60)),
        ("ordered", "received"),
    ),
    Case(
        "everything after",
        LineActivity(received_at=AFTER, ordered_at=at(30), transferred_at=at(90)),
        ("ordered", "transferred out", "received"),
    ),
    # The same minute: the count stands when it is at or after the receipt, not otherwise.
    Case("receipt at the very moment of the count", LineActivity(received_at=COUNT), ()),
    Case("receipt 15 s before, same minute", LineActivity(received_at=at(-0.25)), ()),
    Case("receipt 10 s after, same minute", LineActivity(received_at=at(1 / 6)), ("received",)),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_stale_count(case: Case) -> None:
    found = stale_count(COUNT, case.activity)
    if not case.stale_by:
        assert found is None
        return
    assert found is not None
    assert tuple(word for word, _moment in found.events) == case.stale_by
    assert found.reason.startswith("Needs a new count: counted 4 Dec, then ")


def test_reason_names_the_dates_that_made_the_count_stale() -> None:
    found = stale_count(COUNT, LineActivity(received_at=AFTER, ordered_at=BEFORE))
    assert found is not None
    assert found.reason == "Needs a new count: counted 4 Dec, then received 5 Dec"


@pytest.mark.parametrize(
    ("signal_at", "received_at", "stale"),
    [
        (datetime(2026, 11, 2, 8, tzinfo=UTC), datetime(2026, 11, 3, 9, tzinfo=UTC), True),
        (datetime(2026, 11, 4, 8, tzinfo=UTC), datetime(2026, 11, 3, 9, tzinfo=UTC), False),
    ],
    ids=["bin-empty signal answered by a delivery", "bin-empty signal not yet answered"],
)
def test_two_bin_signal(signal_at: datetime, received_at: datetime, stale: bool) -> None:
    assert (stale_count(signal_at, LineActivity(received_at=received_at)) is not None) is stale


@pytest.mark.parametrize(
    ("count_type", "quantity", "by", "text"),
    [
        (CountType.ON_HAND, Decimal("14.0000"), "anna", "counted 14 on 4 Dec by anna"),
        (CountType.ON_HAND, Decimal(0), None, "counted 0 on 4 Dec"),
        (CountType.ORDER_PAR, Decimal(1), "ben", "bin empty on 4 Dec by ben"),
        (CountType.ORDER_QTY, Decimal(6), "cy", "requested 6 on 4 Dec by cy"),
    ],
)
def test_count_basis(count_type: CountType, quantity: Decimal, by: str | None, text: str) -> None:
    assert count_basis(count_type, quantity, COUNT, by) == text


def test_explanation_starts_with_the_count_it_rests_on() -> None:
    line = OrderInput(
        method=Method.PAR,
        count_type=CountType.ON_HAND,
        counted=True,
        on_hand=Decimal(14),
        par_level=Decimal(21),
        basis="counted 14 on 4 Dec by anna",
    )
    result = compute_order(line)
    assert (
        result.explanation
        == "counted 14 on 4 Dec by anna → PAR 21 − on hand 14 = 7 EA → 7 packs of 1"
    )


def test_a_line_ordering_more_than_twice_its_level_warns() -> None:
    line = OrderInput(
        method=Method.PAR,
        count_type=CountType.ON_HAND,
        counted=True,
        on_hand=Decimal(0),
        par_level=Decimal(5),
        pack_size=Decimal(60),
        unit="BX",
    )
    result = compute_order(line)
    assert result.packs == 1
    assert result.warnings == (
        "Orders 60 BX, more than twice the PAR of 5 (packs of 60): check before approving",
    )
    assert not compute_order(replace(line, pack_size=Decimal(10))).warnings


def test_who_needs_a_person() -> None:
    assert {status for status in LineStatus if status.needs_a_person} == {
        LineStatus.MISSING_COUNT,
        LineStatus.STALE_COUNT,
        LineStatus.INVALID,
    }
