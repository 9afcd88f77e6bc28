"""The flex PAR calendar: seasonal levels of a PAR setting by date range, recurring yearly.

A season runs from a month/day to a month/day, both inclusive, every year; a range whose end
comes before its start wraps past the new year (1 Dec – 28 Feb). A season either multiplies the
setting's own levels by a factor (rounded up to whole units, like every suggested level) or
replaces them with fixed levels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from parstudio.domain.enums import Method
from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.seasonality import MONTH_LAST_DAY, MONTHS

# Day ranges are compared on a leap year so that 29 February is a day like any other.
_LEAP_YEAR = 2024


@dataclass(frozen=True, slots=True)
class SeasonalLevel:
    """One season of a PAR setting: its dates and a factor or fixed levels."""

    id: int | None
    setting_id: int
    name: str
    start_month: int
    start_day: int
    end_month: int
    end_day: int
    factor: Decimal | None = None
    par_level: Decimal | None = None
    min_level: Decimal | None = None
    max_level: Decimal | None = None
    version: int = 1

    @property
    def range_label(self) -> str:
        """E.g. "1 Dec – 28 Feb"."""
        return (
            f"{self.start_day} {MONTHS[self.start_month - 1]} – "
            f"{self.end_day} {MONTHS[self.end_month - 1]}"
        )

    @property
    def levels_label(self) -> str:
        """E.g. "×1.3" or "PAR 40" or "Min 10, Max 30"."""
        if self.factor is not None:
            return f"×{fq(self.factor)}"
        parts = [
            f"{label} {fq(value)}"
            for label, value in (
                ("PAR", self.par_level),
                ("Min", self.min_level),
                ("Max", self.max_level),
            )
            if value is not None
        ]
        return ", ".join(parts)

    def contains(self, day: date) -> bool:
        """Whether the season is in force on ``day`` (any year)."""
        key = (day.month, day.day)
        start, end = (self.start_month, self.start_day), (self.end_month, self.end_day)
        if start <= end:
            return start <= key <= end
        return key >= start or key <= end

    def days(self) -> set[int]:
        """The days of the year (ordinals on a leap year) the season covers."""
        start = date(_LEAP_YEAR, self.start_month, self.start_day).toordinal()
        end = date(_LEAP_YEAR, self.end_month, self.end_day).toordinal()
        if start <= end:
            return set(range(start, end + 1))
        first = date(_LEAP_YEAR, 1, 1).toordinal()
        last = date(_LEAP_YEAR, 12, 31).toordinal()
        return set(range(start, last + 1)) | set(range(first, end + 1))


@dataclass(frozen=True, slots=True)
class LevelsInForce:
    """The levels the engine uses on one day, and the note that explains them."""

    par_level: Decimal | None
    min_level: Decimal | None
    max_level: Decimal | None
    season: SeasonalLevel | None = None
    par_note: str = ""
    min_note: str = ""
    max_note: str = ""


def check_season(season: SeasonalLevel, method: str) -> list[tuple[str, str]]:
    """Problems with one season as (field, message), worded for users."""
    problems: list[tuple[str, str]] = []
    if not season.name.strip():
        problems.append(("name", "Give the season a name, e.g. “winter”."))
    for field, month, day in (
        ("start", season.start_month, season.start_day),
        ("end", season.end_month, season.end_day),
    ):
        if not 1 <= month <= 12:
            problems.append((field, f"Month {month} does not exist; use 1 to 12."))
        elif not 1 <= day <= MONTH_LAST_DAY[month - 1]:
            problems.append(
                (field, f"{MONTHS[month - 1]} has no day {day} (1 to {MONTH_LAST_DAY[month - 1]}).")
            )
    fixed = (season.par_level, season.min_level, season.max_level)
    if season.factor is not None:
        if any(v is not None for v in fixed):
            problems.append(("factor", "Give either a factor or fixed levels, not both."))
        if not (season.factor.is_finite() and season.factor > 0):
            problems.append(("factor", "The factor must be more than 0 (1.3 is 30 % more)."))
    elif method == Method.MIN_MAX:
        if season.min_level is None or season.max_level is None:
            problems.append(("min_level", "Give a factor, or a Min and a Max for the season."))
        elif season.min_level > season.max_level:
            problems.append(
                (
                    "min_level",
                    f"Min ({fq(season.min_level)}) must not be more than "
                    f"Max ({fq(season.max_level)}).",
                )
            )
    elif season.par_level is None:
        problems.append(("par_level", "Give a factor, or a PAR level for the season."))
    for field, value in (
        ("par_level", season.par_level),
        ("min_level", season.min_level),
        ("max_level", season.max_level),
    ):
        if value is not None and not (value.is_finite() and value >= 0):
            problems.append((field, "Levels must be numbers of 0 or more."))
    return problems


def overlap(season: SeasonalLevel, others: Sequence[SeasonalLevel]) -> SeasonalLevel | None:
    """The first of ``others`` (other than itself) whose dates share a day with ``season``."""
    days = season.days()
    for other in others:
        if other.id is not None and other.id == season.id:
            continue
        if days & other.days():
            return other
    return None


def season_on(seasons: Sequence[SeasonalLevel], day: date) -> SeasonalLevel | None:
    """The season in force on ``day``, if any."""
    return next((s for s in seasons if s.contains(day)), None)


def levels_in_force(
    *,
    par_level: Decimal | None,
    min_level: Decimal | None,
    max_level: Decimal | None,
    seasons: Sequence[SeasonalLevel],
    day: date | None,
) -> LevelsInForce:
    """The levels in force on ``day``: the setting's own, or its season's."""
    season = season_on(seasons, day) if day is not None else None
    if season is None:
        return LevelsInForce(par_level, min_level, max_level)
    if season.factor is None:
        note = f" ({season.name}, fixed)"
        return LevelsInForce(
            season.par_level if season.par_level is not None else par_level,
            season.min_level if season.min_level is not None else min_level,
            season.max_level if season.max_level is not None else max_level,
            season,
            par_note=note if season.par_level is not None else "",
            min_note=note if season.min_level is not None else "",
            max_note=note if season.max_level is not None else "",
        )

    def scaled(level: Decimal | None) -> tuple[Decimal | None, str]:
        if level is None or season.factor is None:
            return level, ""
        value = (level * season.factor).to_integral_value(rounding=ROUND_CEILING)
        return value, f" ({season.name} ×{fq(season.factor)} of {fq(level)})"

    (par, par_note), (low, min_note), (high, max_note) = (
        scaled(par_level),
        scaled(min_level),
        scaled(max_level),
    )
    return LevelsInForce(par, low, high, season, par_note, min_note, max_note)
