"""PAR suggestions from usage history: both formulas of DOMAIN.md, seasons, and the evidence.

The suggestion uses the last ``weeks`` complete weeks. When a year or more of history shows a
season, the recent weeks are first divided by their month's seasonal factor, so a suggestion made
in January does not carry the flu season into the rest of the year; the season then gets its own
suggestion (the adjusted weekly usage × the season's factor), to be carried by the flex PAR
calendar.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from parstudio.domain.par_levels import (
    SafetyServiceLevel,
    Suggestion,
    par_from_coverage,
    par_from_deliveries,
)
from parstudio.domain.seasonality import Season, SeasonReport, detect_seasons, month_of_week

CENT = Decimal("0.01")
DAYS_PER_WEEK = Decimal(7)
DEFAULT_WEEKS = 13


@dataclass(frozen=True, slots=True)
class UsageEvidence:
    """The weeks a suggestion rests on: how many, their average, peak and spread."""

    weeks_used: int
    average: Decimal
    peak: Decimal
    sd: Decimal
    adjusted_average: Decimal
    """The average with the seasons divided out (the same as ``average`` without a season)."""


@dataclass(frozen=True, slots=True)
class SeasonalSuggestion:
    """The PAR level suggested for one season."""

    season: Season
    suggestion: Suggestion


@dataclass(frozen=True, slots=True)
class ParReview:
    """Everything the review screen shows about one setting's suggestion."""

    evidence: UsageEvidence
    by_deliveries: Suggestion
    by_coverage: Suggestion
    seasons: SeasonReport
    seasonal: tuple[SeasonalSuggestion, ...]


@dataclass(frozen=True, slots=True)
class SuggestionPolicy:
    """The choices behind a suggestion: history window, safety stock, service level."""

    weeks: int = DEFAULT_WEEKS
    safety_pct: Decimal = Decimal(25)
    service_level: Decimal = Decimal(95)
    alpha: float = 0.01


def evidence(weekly: Sequence[Decimal], factors: Sequence[Decimal] | None = None) -> UsageEvidence:
    """Average, peak and standard deviation of weekly usage (factors: seasonal, per week)."""
    if not weekly:
        return UsageEvidence(0, Decimal(0), Decimal(0), Decimal(0), Decimal(0))
    n = len(weekly)
    average = sum(weekly, Decimal(0)) / n
    variance = sum(((w - average) ** 2 for w in weekly), Decimal(0)) / (n - 1) if n > 1 else 0
    adjusted = (
        sum((w / f for w, f in zip(weekly, factors, strict=True)), Decimal(0)) / n
        if factors
        else average
    )
    return UsageEvidence(
        weeks_used=n,
        average=_cent(average),
        peak=_cent(max(weekly)),
        sd=_cent(Decimal(variance).sqrt()),
        adjusted_average=_cent(adjusted),
    )


def review_suggestion(
    weeks: Sequence[tuple[date, Decimal]],
    *,
    deliveries_per_week: int,
    lead_time_days: int,
    days_between_deliveries: Decimal | None = None,
    policy: SuggestionPolicy | None = None,
    storage_capacity: Decimal | None = None,
    shelf_life_days: int | None = None,
    unit: str = "EA",
) -> ParReview:
    """Suggest a PAR level from complete weeks of usage (Monday, usage), oldest first.

    The coverage formula covers ``days_between_deliveries`` (the longest wait between two
    scheduled deliveries, e.g. 3 for Friday to Monday), or 7 ÷ deliveries per week when the
    delivery days are not known.
    """
    policy = policy or SuggestionPolicy()
    if deliveries_per_week < 1:
        raise ValueError("Deliveries per week must be at least 1")
    seasons = detect_seasons(weeks, alpha=policy.alpha)
    recent = list(weeks[-policy.weeks :])
    factors = (
        [seasons.index(month_of_week(start)) for start, _ in recent] if seasons.seasons else None
    )
    found = evidence([u for _, u in recent], factors)
    base = found.adjusted_average

    def by_deliveries(weekly: Decimal) -> Suggestion:
        return par_from_deliveries(
            weekly,
            deliveries_per_week,
            policy.safety_pct,
            storage_capacity=storage_capacity,
            shelf_life_days=shelf_life_days,
            unit=unit,
        )

    def by_coverage(weekly: Decimal) -> Suggestion:
        daily_sd = found.sd / DAYS_PER_WEEK.sqrt()
        return par_from_coverage(
            _cent(weekly / DAYS_PER_WEEK),
            days_between_deliveries or _cent(DAYS_PER_WEEK / deliveries_per_week),
            lead_time_days,
            SafetyServiceLevel(policy.service_level, _cent(daily_sd)),
            storage_capacity=storage_capacity,
            shelf_life_days=shelf_life_days,
            unit=unit,
        )

    seasonal = tuple(
        SeasonalSuggestion(season, by_deliveries(_cent(base * season.factor)))
        for season in seasons.seasons
    )
    return ParReview(
        evidence=found,
        by_deliveries=by_deliveries(base),
        by_coverage=by_coverage(base),
        seasons=seasons,
        seasonal=seasonal,
    )


def longest_gap(weekdays: Sequence[int]) -> int:
    """The most days between two deliveries on these weekdays, Monday = 0 (Fri → Mon is 3)."""
    days = sorted(set(weekdays))
    if not days:
        return 7
    return max((b - a) % 7 or 7 for a, b in zip(days, days[1:] + days[:1], strict=True))


def percent_change(current: Decimal | None, suggested: Decimal) -> Decimal | None:
    """How far a suggestion is from the current level, in percent of it (None: no level)."""
    if current is None:
        return None
    if current == 0:
        return None if suggested == 0 else Decimal(100)
    return _cent((suggested - current) / current * 100)


def scaled_min(min_level: Decimal | None, max_level: Decimal | None, new_max: Decimal) -> Decimal:
    """A Min/Max line's new Min: the same share of the new Max as before, in whole units."""
    if not min_level or not max_level:
        return Decimal(0)
    value = new_max * min_level / max_level
    return Decimal(math.floor(value)) if value >= 0 else Decimal(0)


def _cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
