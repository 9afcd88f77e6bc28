"""Seasons found in constructed histories, and not invented in flat or random ones."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from parstudio.domain.seasonality import (
    Season,
    detect_seasons,
    f_survival,
    month_of_week,
    regularized_beta,
)

FLU = {12: 1.3, 1: 1.35, 2: 1.3}
SUMMER = {6: 0.8, 7: 0.75, 8: 0.8}


def history(
    rng: random.Random,
    *,
    weeks: int,
    mean: float,
    noise: float,
    factors: dict[int, float],
    growth: float = 0.0,
    start: date = date(2024, 11, 25),
) -> list[tuple[date, Decimal]]:
    rows = []
    for k in range(weeks):
        monday = start + timedelta(days=7 * k)
        level = mean * (1 + growth * k) * factors.get(month_of_week(monday), 1.0)
        value = max(0.0, rng.gauss(level, noise * level))
        rows.append((monday, Decimal(round(value, 2))))
    return rows


def test_a_known_winter_season_is_found_with_its_factor() -> None:
    report = detect_seasons(history(random.Random(1), weeks=104, mean=30, noise=0.12, factors=FLU))
    assert report.significant and report.p_value < 0.001
    (winter,) = report.seasons
    assert (winter.first_month, winter.last_month) == (12, 2)
    assert Decimal("1.2") <= winter.factor <= Decimal("1.35")
    assert winter.label.startswith("Dec–Feb ×")
    assert winter.name == "winter"


def test_a_winter_high_and_a_summer_low_are_both_found_from_one_year() -> None:
    rows = history(random.Random(2), weeks=53, mean=60, noise=0.08, factors={**FLU, **SUMMER})
    report = detect_seasons(rows)
    found = {(s.first_month, s.last_month) for s in report.seasons}
    assert found == {(12, 2), (6, 8)}
    summer = next(s for s in report.seasons if s.first_month == 6)
    assert summer.factor < 1 and summer.name == "summer"
    assert "Jun–Aug" in report.summary


def test_a_flat_series_invents_no_season() -> None:
    rows = [(date(2025, 1, 6) + timedelta(days=7 * k), Decimal(20)) for k in range(60)]
    report = detect_seasons(rows)
    assert report.enough_history and not report.significant and report.seasons == ()


@pytest.mark.parametrize("growth", [0.0, 0.004])
def test_random_series_rarely_invent_a_season(growth: float) -> None:
    """At alpha 1 %, pure noise (with or without steady growth) finds a season rarely."""
    rng = random.Random(3)
    found = sum(
        bool(
            detect_seasons(
                history(rng, weeks=104, mean=12, noise=0.3, factors={}, growth=growth)
            ).seasons
        )
        for _ in range(150)
    )
    assert found <= 6  # expected about 1.5


def test_poisson_noise_at_low_volume_is_not_a_season() -> None:
    rng = random.Random(4)
    rows = [
        (date(2025, 1, 6) + timedelta(days=7 * k), Decimal(rng.choice([0, 1, 1, 2, 3, 5])))
        for k in range(70)
    ]
    assert not detect_seasons(rows).seasons


def test_less_than_a_year_is_not_enough() -> None:
    report = detect_seasons(history(random.Random(5), weeks=40, mean=30, noise=0.1, factors=FLU))
    assert not report.enough_history and not report.seasons
    assert "Not enough history" in report.summary


def test_a_season_that_wraps_round_the_year_is_one_season() -> None:
    season = Season(first_month=11, last_month=2, factor=Decimal("1.3"))
    assert season.months == (11, 12, 1, 2)
    assert season.label == "Nov–Feb ×1.3"


def test_f_distribution_tail_matches_table_values() -> None:
    # F(11, 40) at its 1 % and 5 % critical values (statistical tables).
    assert f_survival(2.73, 11, 40) == pytest.approx(0.01, abs=0.001)
    assert f_survival(2.04, 11, 40) == pytest.approx(0.05, abs=0.002)
    assert regularized_beta(0.5, 2, 2) == pytest.approx(0.5)
    assert f_survival(0, 3, 10) == 1.0


def test_a_few_very_busy_weeks_are_not_a_season() -> None:
    """An outbreak week at 4× in one month moves its mean, not its ranks."""
    rng = random.Random(6)
    rows = history(rng, weeks=60, mean=20, noise=0.15, factors={})
    spiked = [(d, u * 4 if d.month == 3 and d.day <= 14 else u) for d, u in rows]
    assert not detect_seasons(spiked).seasons


def test_a_single_busy_month_is_not_a_season() -> None:
    rows = history(random.Random(7), weeks=104, mean=40, noise=0.05, factors={5: 1.4})
    report = detect_seasons(rows)
    assert report.significant and report.seasons == ()
