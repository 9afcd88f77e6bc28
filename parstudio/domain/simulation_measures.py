"""The figures a what-if comparison shows, named once for the screen, Excel and PDF alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parstudio.domain.enums import Method
from parstudio.domain.quantities import fill_level
from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.simulation import Levels, LineOutcome, SimSetting
from parstudio.domain.simulation_run import Totals


@dataclass(frozen=True, slots=True)
class Measure:
    """One figure: its label, how it is read, whether it is money, and whether less is better."""

    label: str
    read: Callable[[Any], Decimal | int | None]
    money: bool = False
    lower_is_better: bool = True


TOTAL_MEASURES: tuple[Measure, ...] = (
    Measure("Service level (% of line-days)", lambda t: t.service_level, lower_is_better=False),
    Measure("Stockout days (line-days)", lambda t: t.stockout_days),
    Measure("Stockout events", lambda t: t.stockout_events),
    Measure("Lines with a stockout", lambda t: t.lines_with_stockouts),
    Measure("Average stock value", lambda t: t.average_value, money=True),
    Measure("Peak stock value (one day)", lambda t: t.peak_value, money=True),
    Measure("Order lines", lambda t: t.order_lines),
    Measure("Deliveries", lambda t: t.deliveries),
    Measure("Days over storage capacity", lambda t: t.days_over_capacity),
    Measure("Units past shelf life", lambda t: t.expired_units),
    Measure("Value past shelf life", lambda t: t.expired_value, money=True),
)

LINE_MEASURES: tuple[Measure, ...] = (
    Measure("Stockout days", lambda o: o.stockout_days),
    Measure("Stockout events", lambda o: o.stockout_events),
    Measure("Service %", lambda o: o.service_level, lower_is_better=False),
    Measure("Average stock", lambda o: o.average_stock),
    Measure("Peak stock", lambda o: o.peak_stock),
    Measure("Average value", lambda o: o.average_value, money=True),
    Measure("Order lines", lambda o: o.order_lines),
    Measure("Deliveries", lambda o: o.deliveries),
    Measure("Days over capacity", lambda o: o.days_over_capacity),
    Measure("Units past shelf life", lambda o: o.expired_units),
)


def total_figures(measure: Measure, totals: Totals) -> Decimal | int | None:
    """One figure of a replay's totals."""
    return measure.read(totals)


def line_figure(measure: Measure, outcome: LineOutcome | None) -> Decimal | int | None:
    """One figure of a line's replay (None when the line was not replayed that way)."""
    return None if outcome is None else measure.read(outcome)


def level_of(setting: SimSetting, levels: Levels) -> Decimal | None:
    """The level a line is shown by: its PAR, or a MIN/MAX line's Max."""
    return fill_level(setting.method, levels.par_level, levels.max_level)


def levels_text(setting: SimSetting, levels: Levels) -> str:
    """Levels as people write them: "PAR 40", "Min 10 / Max 40", "—" when missing."""
    if setting.method is Method.MIN_MAX:
        if levels.max_level is None:
            return "—"
        low = fq(levels.min_level) if levels.min_level is not None else "—"
        return f"{low} / {fq(levels.max_level)}"
    return fq(levels.par_level) if levels.par_level is not None else "—"


def better(measure: Measure, before: Decimal | int | None, after: Decimal | int | None) -> int:
    """+1 when ``after`` is better than ``before`` by this measure, −1 when worse, 0 alike."""
    if before is None or after is None or before == after:
        return 0
    improved = after < before if measure.lower_is_better else after > before
    return 1 if improved else -1
