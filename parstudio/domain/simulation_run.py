"""A what-if replay of many lines at once: each line replayed, and the totals over them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from parstudio.domain.progress import Progress
from parstudio.domain.simulation import CENT, PERCENT, ZERO, Levels, LineOutcome, SimSetting
from parstudio.domain.simulation_parts import PROGRESS_EVERY, Pass, enough_history
from parstudio.domain.simulation_series import MIN_DAYS, DailySeries

__all__ = ["Replayed", "Totals", "enough_history", "simulate", "total_of"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Totals:
    """A replay's figures over all its lines."""

    lines: int
    line_days: int
    stockout_days: int
    stockout_events: int
    lines_with_stockouts: int
    average_value: Decimal
    peak_value: Decimal
    """The highest value on the shelves on any one day (all lines together)."""
    order_lines: int
    deliveries: int
    """Distinct (source, day) deliveries."""
    days_over_capacity: int
    expired_units: Decimal
    expired_value: Decimal

    @property
    def service_level(self) -> Decimal:
        """Share of line-days without a stockout, in %."""
        if not self.line_days:
            return Decimal(100)
        return (Decimal(100) * (self.line_days - self.stockout_days) / self.line_days).quantize(
            PERCENT
        )


def total_of(
    outcomes: Sequence[LineOutcome],
    settings: dict[int, SimSetting],
    deliveries: int,
    peak_value: Decimal,
) -> Totals:
    """The totals of a replay's lines (deliveries and the peak value are gathered while the
    lines are replayed: they need every line's days together)."""
    expired_value = ZERO
    for outcome in outcomes:
        price = settings[outcome.setting_id].unit_price()
        if price is not None:
            expired_value += outcome.expired_units * price
    return Totals(
        lines=len(outcomes),
        line_days=sum(o.days for o in outcomes),
        stockout_days=sum(o.stockout_days for o in outcomes),
        stockout_events=sum(o.stockout_events for o in outcomes),
        lines_with_stockouts=sum(1 for o in outcomes if o.stockout_days),
        average_value=sum((o.average_value or ZERO for o in outcomes), ZERO),
        peak_value=peak_value,
        order_lines=sum(o.order_lines for o in outcomes),
        deliveries=deliveries,
        days_over_capacity=sum(o.days_over_capacity for o in outcomes),
        expired_units=sum((o.expired_units for o in outcomes), ZERO),
        expired_value=expired_value.quantize(CENT),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Replayed:
    """The lines of one replay, their totals, and the lines left out for too little history."""

    outcomes: tuple[LineOutcome, ...]
    totals: Totals
    too_little_history: tuple[int, ...]
    """Settings with fewer than MIN_DAYS days of recorded usage: not replayed."""

    def by_setting(self) -> dict[int, LineOutcome]:
        """The outcomes by setting id."""
        return {outcome.setting_id: outcome for outcome in self.outcomes}


def simulate(
    settings: Sequence[SimSetting],
    levels: Mapping[int, Levels],
    series: Mapping[int, DailySeries | None],
    *,
    progress: Progress | None = None,
    min_days: int = MIN_DAYS,
) -> Replayed:
    """Replay every line that has levels and enough history; progress is told (done, total)."""
    replayed = Pass()
    too_little: list[int] = []
    total = len(settings)
    for done, setting in enumerate(settings, start=1):
        line_series = series.get(setting.setting_id)
        line_levels = levels.get(setting.setting_id)
        if line_series is None or not enough_history(line_series, min_days):
            too_little.append(setting.setting_id)
        elif line_levels is not None:
            replayed.replay(setting, line_levels, line_series)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return replayed_of(replayed, settings, too_little, levels, series)


def replayed_of(
    replayed: Pass,
    settings: Sequence[SimSetting],
    too_little: Sequence[int],
    levels: Mapping[int, Levels],
    series: Mapping[int, DailySeries | None],
) -> Replayed:
    """A pass's outcomes (under ``levels``) with their totals."""
    settings_by_id = {s.setting_id: s for s in settings}
    outcomes = replayed.outcomes(settings_by_id, levels, series)
    return Replayed(
        outcomes=tuple(outcomes),
        totals=total_of(outcomes, settings_by_id, len(replayed.arrivals), replayed.values.peak()),
        too_little_history=tuple(too_little),
    )
