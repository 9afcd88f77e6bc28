"""The rebalance rule: expiring lots to where they are used in time, surplus to shortage,
never below the source's own PAR, in a table of cases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from parstudio.domain.rebalance import (
    HeldLot,
    Holding,
    MoveKind,
    Suggestion,
    check_accepted,
    group_by_pair,
    suggest_moves,
)

TODAY = date(2026, 12, 1)
D = Decimal


def place(
    setting: int,
    code: str,
    *,
    on_hand: str | None,
    par: str | None = "10",
    weekly: str | None = "7",
    lots: tuple[tuple[str, int, str], ...] = (),
    storeroom: bool = False,
    pack: str = "1",
    supply: str = "0",
    counting: bool = False,
    stale: bool = False,
) -> Holding:
    return Holding(
        setting_id=setting,
        location_id=setting,
        location_code=code,
        item_id=1,
        item_code="GLV-M",
        description="Gloves, medium",
        unit="EA",
        on_hand=None if on_hand is None else D(on_hand),
        level=None if par is None else D(par),
        weekly_usage=None if weekly is None else D(weekly),
        storeroom=storeroom,
        pack=D(pack),
        open_supply=D(supply),
        lots=tuple(HeldLot(name, TODAY + timedelta(days=days), D(q)) for name, days, q in lots),
        counting=counting,
        stale=stale,
    )


def moves(*holdings: Holding) -> list[tuple[str, str, str, str, str | None]]:
    found = suggest_moves(holdings, today=TODAY).suggestions
    return [
        (m.kind.value, m.source_code, m.destination_code, format(m.quantity, "f"), m.lot)
        for m in found
    ]


CASES = [
    pytest.param(
        # OR-2 uses 0.1 a day: of 3 expiring in 10 days it uses 1, so 2 would expire; it has
        # 13 on hand, 3 above its PAR of 10. CT-1 uses 1 a day and has 2: it takes the 2.
        [
            place(1, "OR-2", on_hand="13", weekly="0.7", lots=(("L42", 10, "3"),)),
            place(2, "CT-1", on_hand="2", par="4", weekly="7"),
        ],
        [("EXPIRING", "OR-2", "CT-1", "2", "L42")],
        id="expiring lot to a location that uses it in time",
    ),
    pytest.param(
        # The source is at its PAR: the lot would expire, but it never goes below PAR.
        [
            place(1, "OR-2", on_hand="10", weekly="0.7", lots=(("L42", 10, "3"),)),
            place(2, "CT-1", on_hand="2", par="4", weekly="7"),
        ],
        [],
        id="never below the source's own PAR",
    ),
    pytest.param(
        # Only 1 is above PAR, so only 1 moves although 2 would expire.
        [
            place(1, "OR-2", on_hand="11", weekly="0.7", lots=(("L42", 10, "3"),)),
            place(2, "CT-1", on_hand="2", par="4", weekly="7"),
        ],
        [("EXPIRING", "OR-2", "CT-1", "1", "L42")],
        id="clamped to what is above PAR",
    ),
    pytest.param(
        # A location that uses it all in time needs no move.
        [
            place(1, "OR-2", on_hand="13", weekly="7", lots=(("L42", 10, "3"),)),
            place(2, "CT-1", on_hand="2", par="2", weekly="7"),
        ],
        [],
        id="a lot used in time stays",
    ),
    pytest.param(
        # CT-1 has 8 days of stock ahead: it uses only 2 of the lot in 10 days; ER-3 has 1 day.
        [
            place(1, "OR-2", on_hand="20", par="10", weekly="0", lots=(("L42", 10, "4"),)),
            place(2, "CT-1", on_hand="8", par="20", weekly="7"),
            place(3, "ER-3", on_hand="1", par="20", weekly="7"),
        ],
        # Then the rest of OR-2's surplus goes to the biggest shortage.
        [("EXPIRING", "OR-2", "ER-3", "4", "L42"), ("SURPLUS", "OR-2", "ER-3", "6", None)],
        id="the location that uses it soonest is preferred",
    ),
    pytest.param(
        # No one uses it before it expires: nothing is suggested (and a note says so).
        [
            place(1, "OR-2", on_hand="20", weekly="0", lots=(("L42", 3, "4"),)),
            place(2, "CT-1", on_hand="8", par="4", weekly="7"),
        ],
        [],
        id="no taker in time",
    ),
    pytest.param(
        [place(1, "OR-2", on_hand="16", par="10"), place(2, "CT-1", on_hand="6", par="10")],
        [("SURPLUS", "OR-2", "CT-1", "4", None)],
        id="surplus to shortage: the smaller of the two",
    ),
    pytest.param(
        [
            place(1, "OR-2", on_hand="16", par="10"),
            place(2, "CT-1", on_hand="6", par="10", supply="3"),
        ],
        [("SURPLUS", "OR-2", "CT-1", "1", None)],
        id="what is on order is not short",
    ),
    pytest.param(
        [
            place(1, "STORE", on_hand="40", par="20", storeroom=True, pack="6"),
            place(2, "CT-1", on_hand="1", par="10"),
        ],
        [("SURPLUS", "STORE", "CT-1", "6", None)],
        id="a storeroom moves whole issue packs",
    ),
    pytest.param(
        [
            place(1, "STORE", on_hand="40", par="20", storeroom=True, pack="12"),
            place(2, "CT-1", on_hand="1", par="10"),
        ],
        [],
        id="less than one issue pack is not suggested",
    ),
    pytest.param(
        [
            place(1, "OR-2", on_hand="16", par="10", counting=True),
            place(2, "CT-1", on_hand="6", par="10"),
        ],
        [],
        id="a location being counted is not a source",
    ),
    pytest.param(
        [
            place(1, "OR-2", on_hand="16", par="10"),
            place(2, "CT-1", on_hand="6", par="10", counting=True),
        ],
        [],
        id="a location being counted is not a destination",
    ),
    pytest.param(
        [
            place(1, "OR-2", on_hand="16", par="10"),
            place(2, "CT-1", on_hand=None, par="10"),
        ],
        [],
        id="a location without an on-hand count is left alone",
    ),
    pytest.param(
        [
            place(1, "OR-2", on_hand="16", par="10", stale=True),
            place(2, "CT-1", on_hand="6", par="10"),
        ],
        [],
        id="a stale count is left alone",
    ),
    pytest.param(
        [
            place(1, "OR-2", on_hand="16", par="10"),
            place(2, "CT-1", on_hand="8", par="10"),
            place(3, "ER-3", on_hand="5", par="10"),
        ],
        [("SURPLUS", "OR-2", "ER-3", "5", None), ("SURPLUS", "OR-2", "CT-1", "1", None)],
        id="the biggest shortage first, never more than the surplus",
    ),
    pytest.param(
        # A location that takes an expiring lot is not then emptied as a surplus source.
        [
            place(1, "OR-2", on_hand="14", par="10", weekly="0", lots=(("L1", 20, "4"),)),
            place(2, "CT-1", on_hand="9", par="10", weekly="7"),
        ],
        [("EXPIRING", "OR-2", "CT-1", "4", "L1")],
        id="a destination is not a source",
    ),
]


@pytest.mark.parametrize(("holdings", "expected"), CASES)
def test_suggested_moves(holdings: list[Holding], expected: list[tuple[str, ...]]) -> None:
    assert moves(*holdings) == expected


def test_every_suggestion_keeps_the_source_at_or_above_its_par() -> None:
    holdings = [
        place(1, "OR-2", on_hand="13", par="9", weekly="0.7", lots=(("L42", 10, "6"),)),
        place(2, "CT-1", on_hand="2", par="12", weekly="7"),
        place(3, "ER-3", on_hand="0", par="12", weekly="7"),
    ]
    found = suggest_moves(holdings, today=TODAY).suggestions
    taken = sum((m.quantity for m in found), D(0))
    assert taken == 4  # 13 − PAR 9
    assert all(m.source_code == "OR-2" for m in found)


def test_the_explanation_says_why_in_words() -> None:
    found = suggest_moves(
        [
            place(1, "OR-2", on_hand="13", weekly="0.7", lots=(("L42", 19, "3"),)),
            place(2, "CT-1", on_hand="4", par="4", weekly="7"),
        ],
        today=TODAY,
    ).suggestions
    assert len(found) == 1
    words = found[0].explanation
    assert words.startswith("OR-2 has 3 of lot L42 expiring 20 Dec 2026; it uses 0.1 a day")
    assert "so 1.1 would expire" in words  # 19 days × 0.1 = 1.9 used; 1 whole unit moves
    assert "CT-1 uses 1 a day and has 4 on hand" in words
    assert words.endswith("move 1 EA.")


def test_notes_explain_what_was_left_out() -> None:
    result = suggest_moves(
        [
            place(1, "OR-2", on_hand="20", weekly="0", lots=(("L42", 3, "4"),)),
            place(2, "CT-1", on_hand="8", par="4", weekly="7", counting=True),
        ],
        today=TODAY,
    )
    assert any("CT-1 is being counted" in note for note in result.notes)
    assert any("no other location uses 4 EA of GLV-M" in note for note in result.notes)


def _one() -> Suggestion:
    found = suggest_moves(
        [
            place(1, "STORE", on_hand="40", par="20", storeroom=True, pack="6"),
            place(2, "CT-1", on_hand="0", par="14"),
        ],
        today=TODAY,
    ).suggestions
    assert [m.kind for m in found] == [MoveKind.SURPLUS]
    return found[0]


@pytest.mark.parametrize(
    ("typed", "refusal"),
    [
        ("12", None),
        ("6", None),
        ("0", None),
        ("18", "at most 12 EA"),
        ("-6", "cannot be negative"),
        ("5", "whole packs of 6"),
    ],
)
def test_an_accepted_quantity_is_checked(typed: str, refusal: str | None) -> None:
    reason = check_accepted(_one(), D(typed))
    if refusal is None:
        assert reason is None
    else:
        assert reason is not None and refusal in reason


def test_accepted_moves_are_grouped_per_pair_without_zeros() -> None:
    move = _one()
    pairs = group_by_pair([(move, D(6)), (move, D(0))])
    assert list(pairs) == [(move.source_location_id, move.destination_location_id)]
    assert len(pairs[(move.source_location_id, move.destination_location_id)]) == 1
