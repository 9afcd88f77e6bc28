"""PAR suggestions from weekly usage: both formulas, the evidence, and seasonal levels."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from parstudio.domain.seasonality import month_of_week
from parstudio.domain.suggestions import (
    SuggestionPolicy,
    evidence,
    longest_gap,
    percent_change,
    review_suggestion,
    scaled_min,
)

D = Decimal


def weeks(values: list[int], start: date = date(2026, 1, 5)) -> list[tuple[date, Decimal]]:
    return [(start + timedelta(days=7 * k), D(v)) for k, v in enumerate(values)]


def test_evidence_is_average_peak_and_spread() -> None:
    found = evidence([D(10), D(20), D(30)])
    assert (found.weeks_used, found.average, found.peak, found.sd) == (3, D(20), D(30), D(10))
    assert evidence([]).weeks_used == 0


def test_both_formulas_from_the_last_weeks() -> None:
    history = weeks([100] * 10 + [20] * 13)  # only the last 13 weeks count
    review = review_suggestion(history, deliveries_per_week=1, lead_time_days=2)
    assert review.evidence.weeks_used == 13 and review.evidence.average == 20
    # DOMAIN.md: (20 + 25 % × 20) ÷ 1 = 25.
    assert review.by_deliveries.value == 25
    # Coverage: 20/7 a day × (7 + 2 days); flat usage has σ 0, so no safety stock: 25.71 → 26.
    assert review.by_coverage.value == 26
    assert any("days lead time" in line for line in review.by_coverage.working)
    assert not review.seasons.enough_history and review.seasonal == ()


def test_policy_changes_the_window_and_safety() -> None:
    history = weeks([10] * 20 + [40] * 4)
    review = review_suggestion(
        history,
        deliveries_per_week=2,
        lead_time_days=1,
        policy=SuggestionPolicy(weeks=4, safety_pct=D(50)),
    )
    assert review.evidence.average == 40
    assert review.by_deliveries.value == 30  # (40 + 20) ÷ 2


def test_a_season_gets_its_own_suggestion_and_the_base_is_adjusted() -> None:
    rng = random.Random(8)
    start = date(2024, 11, 25)
    rows = []
    for k in range(112):
        monday = start + timedelta(days=7 * k)
        factor = 1.3 if month_of_week(monday) in (12, 1, 2) else 1.0
        rows.append((monday, D(round(rng.gauss(40 * factor, 2.5)))))
    review = review_suggestion(rows, deliveries_per_week=1, lead_time_days=2)
    (winter,) = review.seasonal
    assert winter.season.months_label == "Dec–Feb"
    # The last 13 weeks run into January: adjusted for the season the usual week is about 40.
    assert review.evidence.average > review.evidence.adjusted_average
    assert D(37) <= review.evidence.adjusted_average <= D(43)
    assert winter.suggestion.value > review.by_deliveries.value
    assert review.by_deliveries.value in range(46, 54)


def test_caps_apply_to_suggestions() -> None:
    review = review_suggestion(
        weeks([70] * 13), deliveries_per_week=1, lead_time_days=0, storage_capacity=D(50)
    )
    assert review.by_deliveries.value == 50 and review.by_deliveries.capped


def test_deliveries_must_be_positive() -> None:
    with pytest.raises(ValueError, match="Deliveries per week"):
        review_suggestion(weeks([1]), deliveries_per_week=0, lead_time_days=1)


def test_percent_change_and_scaled_min() -> None:
    assert percent_change(D(20), D(25)) == 25
    assert percent_change(D(40), D(30)) == -25
    assert percent_change(None, D(3)) is None
    assert percent_change(D(0), D(3)) == 100
    assert scaled_min(D(10), D(30), D(45)) == 15
    assert scaled_min(None, D(30), D(45)) == 0


def test_coverage_uses_the_longest_wait_between_deliveries() -> None:
    assert longest_gap([0, 2, 4]) == 3  # Mon, Wed, Fri: Friday to Monday
    assert longest_gap([0]) == 7 and longest_gap([]) == 7
    review = review_suggestion(
        weeks([35] * 13), deliveries_per_week=3, lead_time_days=1, days_between_deliveries=D(3)
    )
    assert review.by_deliveries.value == 15  # (35 + 8.75) ÷ 3 = 14.58
    assert review.by_coverage.value == 20  # 5 a day × (3 + 1) days, no spread


def test_months_without_any_usage_make_a_season_that_can_be_divided_by() -> None:
    rng = random.Random(9)
    rows = [
        (monday, D(0) if month_of_week(monday) in (6, 7, 8) else D(round(rng.gauss(30, 2))))
        for monday in (date(2025, 1, 6) + timedelta(days=7 * k) for k in range(60))
    ]
    review = review_suggestion(rows, deliveries_per_week=1, lead_time_days=1)
    summer = next(s for s in review.seasons.seasons if s.first_month == 6)
    assert summer.factor == D("0.05")
    assert review.by_deliveries.value > 0
