"""Leanest levels: per line, the lowest PAR (or Max) that met a service level in the replay.

The search is a bisection over whole units between 0 and an upper bound: with the line's own
packs and modifiers a higher level very nearly always stocks out less (rounding to packs can
rarely break that, and then a lower level than the one found may also meet it). The level
given is always one whose own replay met the service level. A MIN/MAX line keeps its Min
the same share of its Max (as when the review's suggestion is accepted). The storage capacity
is the ceiling: a line that misses the service level even at its capacity is suggested its
capacity and marked as not meeting it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from parstudio.domain.enums import Method
from parstudio.domain.progress import Progress
from parstudio.domain.quantities import fill_level
from parstudio.domain.simulation import Levels, LineOutcome, SimSetting, replay
from parstudio.domain.simulation_run import enough_history
from parstudio.domain.simulation_series import MIN_DAYS, DailySeries, from_hundredths
from parstudio.domain.suggestions import scaled_min

WINDOW_DAYS = 14


@dataclass(frozen=True, slots=True, kw_only=True)
class Leanest:
    """The leanest levels found for one line, and their replay."""

    setting_id: int
    levels: Levels
    outcome: LineOutcome
    met: bool
    """The service level was met (False: not even at the storage capacity)."""
    note: str = ""

    @property
    def level(self) -> Decimal | None:
        """The level shown: the PAR, or a MIN/MAX line's Max."""
        return self.levels.max_level if self.levels.max_level is not None else self.levels.par_level


def levels_at(setting: SimSetting, current: Levels, level: Decimal) -> Levels:
    """The line's levels with its PAR (or Max, its Min scaled alike) set to ``level``."""
    if setting.method is Method.MIN_MAX:
        return Levels(
            min_level=scaled_min(current.min_level, current.max_level, level), max_level=level
        )
    return Levels(par_level=level)


def find_leanest(
    setting: SimSetting, series: DailySeries, current: Levels, *, service_level: Decimal
) -> Leanest:
    """The lowest whole level at which the line's replay meets ``service_level`` (in %)."""
    cap = _capacity(setting)

    def run(level: int) -> LineOutcome:
        return replay(setting, levels_at(setting, current, Decimal(level)), series)

    def meets(outcome: LineOutcome) -> bool:
        return outcome.service_level >= service_level

    high = _upper_bound(setting, series, current)
    if cap is not None:
        high = min(high, cap)
    top = run(high)
    # The bound is generous; if it misses, a level four times as high is tried once. What
    # misses that too is out of reach of any level (e.g. the shelf ran out before the first
    # order could arrive).
    if not meets(top) and (cap is None or high < cap):
        high = high * 4 if cap is None else min(high * 4, cap)
        top = run(high)
    if not meets(top):
        where = f"its storage capacity ({cap})" if cap is not None and high == cap else f"{high}"
        return Leanest(
            setting_id=setting.setting_id,
            levels=levels_at(setting, current, Decimal(high)),
            outcome=top,
            met=False,
            note=f"Misses {service_level} % even at {where}: {top.service_level} %",
        )
    low = -1  # a level known to miss (none yet: 0 may meet it)
    best, best_outcome = high, top
    while best - low > 1:
        middle = (low + best) // 2
        outcome = run(middle)
        if meets(outcome):
            best, best_outcome = middle, outcome
        else:
            low = middle
    return Leanest(
        setting_id=setting.setting_id,
        levels=levels_at(setting, current, Decimal(best)),
        outcome=best_outcome,
        met=True,
    )


def leanest_levels(
    settings: Sequence[SimSetting],
    series: Mapping[int, DailySeries | None],
    current: Mapping[int, Levels],
    *,
    service_level: Decimal,
    progress: Progress | None = None,
    min_days: int = MIN_DAYS,
) -> dict[int, Leanest]:
    """The leanest levels of every line with enough history; progress told (done, total)."""
    found: dict[int, Leanest] = {}
    total = len(settings)
    for done, setting in enumerate(settings, start=1):
        line_series = series.get(setting.setting_id)
        if line_series is not None and enough_history(line_series, min_days):
            found[setting.setting_id] = find_leanest(
                setting,
                line_series,
                current.get(setting.setting_id, Levels()),
                service_level=service_level,
            )
        if progress is not None and (done % 25 == 0 or done == total):
            progress(done, total)
    return found


def _capacity(setting: SimSetting) -> int | None:
    if setting.storage_capacity is None:
        return None
    return int(setting.storage_capacity.to_integral_value(rounding=ROUND_FLOOR))


def _upper_bound(setting: SimSetting, series: DailySeries, current: Levels) -> int:
    """A level that very likely meets any service level: the most used in any two weeks, and
    at least the current level and one pack."""
    usage = series.usage
    window = sum(usage[:WINDOW_DAYS])
    most = window
    for day in range(WINDOW_DAYS, len(usage)):
        window += usage[day] - usage[day - WINDOW_DAYS]
        most = max(most, window)
    bound = int(from_hundredths(most).to_integral_value(rounding=ROUND_FLOOR)) + 1
    level = fill_level(setting.method, current.par_level, current.max_level)
    if level is not None:
        bound = max(bound, int(level))
    return max(bound, int(setting.pack_size) + 1, 1)
