"""Seasonal levels by date range: which is in force, overlaps, and the note in the trace."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parstudio.domain.enums import CountType, Method
from parstudio.domain.flexpar import SeasonalLevel, check_season, levels_in_force, overlap
from parstudio.domain.replenishment import OrderInput, compute_order

D = Decimal
WINTER = SeasonalLevel(None, 1, "winter", 12, 1, 2, 29, factor=D("1.3"))
SUMMER = SeasonalLevel(None, 1, "summer", 6, 15, 8, 31, par_level=D(20))


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 12, 1), True),
        (date(2027, 1, 15), True),
        (date(2028, 2, 29), True),
        (date(2027, 3, 1), False),
        (date(2026, 11, 30), False),
    ],
)
def test_a_range_past_new_year_wraps(day: date, inside: bool) -> None:
    assert WINTER.contains(day) is inside


def test_a_factor_scales_the_level_and_says_so() -> None:
    levels = levels_in_force(
        par_level=D(31),
        min_level=None,
        max_level=None,
        seasons=[WINTER, SUMMER],
        day=date(2027, 1, 10),
    )
    assert levels.par_level == 41  # 31 × 1.3 = 40.3, rounded up
    assert levels.par_note == " (winter ×1.3 of 31)"
    result = compute_order(
        OrderInput(
            method=Method.PAR,
            count_type=CountType.ON_HAND,
            counted=True,
            on_hand=D(8),
            par_level=levels.par_level,
            par_note=levels.par_note,
        )
    )
    assert result.explanation.startswith("PAR 41 (winter ×1.3 of 31) − on hand 8 = 33 EA")


def test_fixed_levels_replace_the_own_ones() -> None:
    levels = levels_in_force(
        par_level=D(31),
        min_level=None,
        max_level=None,
        seasons=[WINTER, SUMMER],
        day=date(2026, 7, 1),
    )
    assert (levels.par_level, levels.par_note) == (D(20), " (summer, fixed)")


def test_outside_every_season_the_own_levels_apply() -> None:
    levels = levels_in_force(
        par_level=D(31),
        min_level=D(5),
        max_level=None,
        seasons=[WINTER, SUMMER],
        day=date(2026, 4, 1),
    )
    assert (levels.par_level, levels.min_level, levels.season, levels.par_note) == (
        D(31),
        D(5),
        None,
        "",
    )
    assert (
        levels_in_force(
            par_level=D(31), min_level=None, max_level=None, seasons=[WINTER], day=None
        ).par_level
        == 31
    )


def test_min_max_levels_are_both_scaled_and_noted_in_the_trace() -> None:
    levels = levels_in_force(
        par_level=None, min_level=D(10), max_level=D(30), seasons=[WINTER], day=date(2026, 12, 24)
    )
    assert (levels.min_level, levels.max_level) == (D(13), D(39))
    result = compute_order(
        OrderInput(
            method=Method.MIN_MAX,
            count_type=CountType.ON_HAND,
            counted=True,
            on_hand=D(12),
            min_level=levels.min_level,
            max_level=levels.max_level,
            min_note=levels.min_note,
            max_note=levels.max_note,
        )
    )
    assert (
        "Min 13 (winter ×1.3 of 10) → Max 39 (winter ×1.3 of 30) − 12 = 27 EA" in result.explanation
    )


def test_overlapping_ranges_are_found() -> None:
    late_winter = SeasonalLevel(None, 1, "late winter", 2, 1, 3, 31, factor=D("1.1"))
    spring = SeasonalLevel(None, 1, "spring", 3, 1, 5, 31, factor=D("0.9"))
    assert overlap(late_winter, [WINTER]) is WINTER
    assert overlap(spring, [WINTER, SUMMER]) is None
    same = SeasonalLevel(7, 1, "winter", 12, 1, 2, 28, factor=D("1.2"))
    assert overlap(same, [SeasonalLevel(7, 1, "winter", 12, 1, 2, 28, factor=D("1.3"))]) is None


@pytest.mark.parametrize(
    ("season", "method", "message"),
    [
        (SeasonalLevel(None, 1, "x", 2, 30, 3, 1, factor=D(1)), "PAR", "Feb has no day 30"),
        (SeasonalLevel(None, 1, "x", 13, 1, 3, 1, factor=D(1)), "PAR", "Month 13 does not exist"),
        (SeasonalLevel(None, 1, "x", 1, 1, 3, 1, factor=D(0)), "PAR", "more than 0"),
        (SeasonalLevel(None, 1, "x", 1, 1, 3, 1, factor=D(1), par_level=D(3)), "PAR", "not both"),
        (SeasonalLevel(None, 1, "x", 1, 1, 3, 1), "PAR", "PAR level for the season"),
        (
            SeasonalLevel(None, 1, "x", 1, 1, 3, 1, min_level=D(9), max_level=D(3)),
            "MIN/MAX",
            "must not be more than",
        ),
        (SeasonalLevel(None, 1, " ", 1, 1, 3, 1, factor=D(1)), "PAR", "name"),
    ],
)
def test_bad_seasons_are_explained(season: SeasonalLevel, method: str, message: str) -> None:
    problems = check_season(season, method)
    assert any(message in text for _, text in problems), problems


def test_labels() -> None:
    assert WINTER.range_label == "1 Dec – 29 Feb"
    assert WINTER.levels_label == "×1.3"
    assert (
        SeasonalLevel(None, 1, "x", 1, 1, 3, 1, min_level=D(9), max_level=D(30)).levels_label
        == "Min 9, Max 30"
    )
