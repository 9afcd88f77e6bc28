"""Seasons in weekly usage: monthly seasonal indices, and a test that they are more than noise.

Weekly usage is grouped by month of the year (a week belongs to the month of its Thursday). A
one-way analysis of variance asks whether the month groups differ by more than the week-to-week
noise inside them (F test); only when they do (p below ``alpha``) are seasons reported. A season
is a run of at least two consecutive months, each at least ``threshold`` above (or below) the
median month and more than two standard errors away from it, so one noisy month cannot make a
season on its own. The test runs on the ranks of the weeks, so a few very busy weeks (an
outbreak, a list of add-on scans) do not make a season either.
With two years or more, steady growth is divided out first.

The statistics work in floats (as ``z_for_service_level`` does); the factors they return are
rounded to Decimal before any quantity arithmetic.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_LAST_DAY = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MIN_WEEKS = 48
MIN_SEASON_MONTHS = 2
TWO_YEARS_WEEKS = 104
FACTOR_STEP = Decimal("0.05")
INDEX_PLACES = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Season:
    """A run of months (first to last, wrapping past December) busier or quieter than average."""

    first_month: int
    last_month: int
    factor: Decimal

    @property
    def months(self) -> tuple[int, ...]:
        """The months of the season, in order (1 = January)."""
        length = (self.last_month - self.first_month) % 12 + 1
        return tuple((self.first_month - 1 + k) % 12 + 1 for k in range(length))

    @property
    def label(self) -> str:
        """E.g. "Dec–Feb ×1.3"."""
        return f"{self.months_label} ×{_factor_text(self.factor)}"

    @property
    def months_label(self) -> str:
        """E.g. "Dec–Feb", or "Jul" for one month."""
        first, last = MONTHS[self.first_month - 1], MONTHS[self.last_month - 1]
        return first if self.first_month == self.last_month else f"{first}–{last}"

    @property
    def name(self) -> str:
        """A name for the flex PAR calendar: winter, summer… by the season's middle month."""
        middle = self.months[len(self.months) // 2]
        return ("winter", "spring", "summer", "autumn")[(middle % 12) // 3]


@dataclass(frozen=True, slots=True)
class SeasonReport:
    """What the history says about seasons, with the numbers behind it."""

    weeks: int
    enough_history: bool
    indices: tuple[Decimal | None, ...]
    """Usage of each month (Jan…Dec) relative to the median month; None without data."""
    f_statistic: float
    p_value: float
    significant: bool
    seasons: tuple[Season, ...]

    def index(self, month: int) -> Decimal:
        """The seasonal index of a month, 1 when no season was found there."""
        for season in self.seasons:
            if month in season.months:
                return season.factor
        return Decimal(1)

    @property
    def summary(self) -> str:
        """One line for people, e.g. "Dec–Feb ×1.3, Jun–Aug ×0.85 (p = 0.0003)"."""
        if not self.enough_history:
            return f"Not enough history for seasons ({self.weeks} of {MIN_WEEKS} weeks)"
        if not self.seasons:
            return f"No season (p {_p_text(self.p_value)})"
        return ", ".join(s.label for s in self.seasons) + f" (p {_p_text(self.p_value)})"


def month_of_week(week_start: date) -> int:
    """The month a week belongs to: the month of its Thursday."""
    return (week_start + timedelta(days=3)).month


class _MonthsOfWeeks(dict[date, int]):
    """``month_of_week`` of each Monday, worked out once (every setting has the same weeks)."""

    def __missing__(self, week_start: date) -> int:
        month = self[week_start] = month_of_week(week_start)
        return month


_MONTHS_OF_WEEKS = _MonthsOfWeeks()


def detect_seasons(
    weeks: Sequence[tuple[date, Decimal]],
    *,
    alpha: float = 0.01,
    threshold: Decimal = Decimal("0.10"),
) -> SeasonReport:
    """Find seasons in complete weeks of usage, given as (Monday, usage), oldest first."""
    values = [float(u) for _, u in weeks]
    months = list(map(_MONTHS_OF_WEEKS.__getitem__, [start for start, _ in weeks]))
    groups: list[list[float]] = [[] for _ in range(12)]
    if len(weeks) >= TWO_YEARS_WEEKS:
        values = _detrended(values)
    for month, value in zip(months, values, strict=True):
        groups[month - 1].append(value)
    enough = len(weeks) >= MIN_WEEKS and all(len(g) >= 2 for g in groups)
    month_means = [sum(g) / len(g) if g else None for g in groups]
    # Indices are relative to the median month, "a usual month", so a three-month season
    # does not lift the reference the other nine months are measured against.
    known = sorted(m for m in month_means if m is not None)
    average = (known[(len(known) - 1) // 2] + known[len(known) // 2]) / 2 if known else 0.0
    indices = tuple(
        None if m is None or average <= 0 else _round(Decimal(m / average), INDEX_PLACES)
        for m in month_means
    )
    if not enough or average <= 0:
        return SeasonReport(len(weeks), enough, indices, 0.0, 1.0, False, ())
    # The test runs on ranks (a rank-transform ANOVA, close to Kruskal–Wallis), so the odd
    # very busy week cannot make a month look seasonal; the indices use the usage itself.
    f_statistic, p_value, _ = _anova(_ranked(groups))
    significant = p_value < alpha
    seasons: tuple[Season, ...] = ()
    if significant:
        # The week-to-week noise of the usage itself (not of the ranks), to judge each month.
        within = _within_variance(groups)
        direction = [_direction(groups[k], average, within, float(threshold)) for k in range(12)]
        seasons = _runs(direction, groups, average)
    return SeasonReport(len(weeks), True, indices, f_statistic, p_value, significant, seasons)


def _ranked(groups: Sequence[Sequence[float]]) -> list[list[float]]:
    """The same groups with each value replaced by its rank among all (ties share the mean)."""
    ordered = sorted(value for g in groups for value in g)
    rank_of: dict[float, float] = {}
    start = 0
    while start < len(ordered):
        # The values equal to this one are ordered[start:end + 1]; they share their mean rank.
        end = bisect_right(ordered, ordered[start], start) - 1
        rank_of[ordered[start]] = (start + end) / 2 + 1
        start = end + 1
    return [[rank_of[value] for value in g] for g in groups]


def _detrended(values: list[float]) -> list[float]:
    """Divide out steady growth, so it is not taken for a season.

    The growth is the ratio of the last 52 weeks to the first 52: each block holds every month
    once, so a season does not bias it (a fitted straight line would be, by where the season
    falls in the series).
    """
    first = sum(values[:52]) / 52
    last = sum(values[-52:]) / 52
    if first <= 0 or last <= 0:
        return values
    n = len(values)
    weekly = (last / first) ** (1 / (n - 52))
    middle = (n - 1) / 2
    return [y / weekly ** (t - middle) for t, y in enumerate(values)]


def _anova(groups: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """One-way ANOVA: the F statistic, its p-value and the within-group variance."""
    between, within, df1, df2 = _sums_of_squares(groups)
    if within <= 0:
        return (math.inf, 0.0, 0.0) if between > 0 else (0.0, 1.0, 0.0)
    f_statistic = (between / df1) / (within / df2)
    return f_statistic, f_survival(f_statistic, df1, df2), within / df2


def _within_variance(groups: Sequence[Sequence[float]]) -> float:
    """The within-group variance of ``_anova`` (without its F test)."""
    _between, within, _df1, df2 = _sums_of_squares(groups)
    if within <= 0:
        return 0.0
    return within / df2


def _sums_of_squares(groups: Sequence[Sequence[float]]) -> tuple[float, float, int, int]:
    """Between- and within-group sums of squares and their degrees of freedom."""
    used = [g for g in groups if g]
    n = sum(len(g) for g in used)
    k = len(used)
    grand = sum(sum(g) for g in used) / n
    means = [sum(g) / len(g) for g in used]
    between = sum(len(g) * (mean - grand) ** 2 for g, mean in zip(used, means, strict=True))
    within = sum(sum([(x - mean) ** 2 for x in g]) for g, mean in zip(used, means, strict=True))
    return between, within, k - 1, n - k


def _direction(group: Sequence[float], average: float, variance: float, threshold: float) -> int:
    """+1 for a clearly busy month, −1 for a clearly quiet one, else 0."""
    mean = sum(group) / len(group)
    error = math.sqrt(variance / len(group))
    if abs(mean - average) <= 2 * error:
        return 0
    if mean >= average * (1 + threshold):
        return 1
    if mean <= average * (1 - threshold):
        return -1
    return 0


def _runs(
    direction: list[int], groups: Sequence[Sequence[float]], average: float
) -> tuple[Season, ...]:
    """Runs of consecutive months (wrapping round the year) with the same direction."""
    if all(d == direction[0] for d in direction):
        return ()
    # Start just after a change of direction so no run is cut at December.
    start = next(k for k in range(12) if direction[k] != direction[k - 1])
    seasons: list[Season] = []
    k = 0
    while k < 12:
        month = (start + k) % 12
        sign = direction[month]
        length = 1
        while k + length < 12 and direction[(start + k + length) % 12] == sign:
            length += 1
        if sign != 0 and length >= MIN_SEASON_MONTHS:
            members = [(start + k + j) % 12 for j in range(length)]
            ratio = sum(sum(groups[m]) / len(groups[m]) for m in members) / length / average
            seasons.append(
                Season(
                    first_month=members[0] + 1,
                    last_month=members[-1] + 1,
                    # A month with no usage at all still gets a factor above 0, so usage
                    # can be divided by it and a calendar season can carry it.
                    factor=max(_round(Decimal(ratio), FACTOR_STEP), FACTOR_STEP),
                )
            )
        k += length
    return tuple(sorted(seasons, key=lambda s: (-s.factor, s.first_month)))


def f_survival(f: float, df1: int, df2: int) -> float:
    """P(F > f) for the F distribution with (df1, df2) degrees of freedom."""
    if f <= 0:
        return 1.0
    if math.isinf(f):
        return 0.0
    return regularized_beta(df2 / (df2 + df1 * f), df2 / 2, df1 / 2)


def regularized_beta(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b), by Lentz's continued fraction."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(x, a, b) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(1 - x, b, a) / b


def _beta_fraction(x: float, a: float, b: float) -> float:
    tiny, c, d = 1e-300, 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-12:
            break
    return result


def _round(value: Decimal, step: Decimal) -> Decimal:
    return ((value / step).to_integral_value(rounding=ROUND_HALF_UP) * step).normalize()


def _factor_text(factor: Decimal) -> str:
    return format(factor.normalize(), "f")


def _p_text(p: float) -> str:
    return "< 0.0001" if p < 0.0001 else "= " + f"{p:.4f}".rstrip("0").rstrip(".")
