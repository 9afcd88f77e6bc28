"""What a what-if replay works on and gives back: a line's terms, the levels it is replayed
with, and what the replay of one line came to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parstudio.domain.enums import CountType, Method, Rounding
from parstudio.domain.flexpar import SeasonalLevel

ZERO = Decimal(0)
ONE = Decimal(1)
PERCENT = Decimal("0.1")
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Levels:
    """The levels a line is replayed with (a PAR line's PAR, a MIN/MAX line's Min and Max)."""

    par_level: Decimal | None = None
    min_level: Decimal | None = None
    max_level: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SimSetting:
    """One PAR setting as the replay needs it: the order engine's terms and the calendar."""

    setting_id: int
    location_code: str
    item_code: str
    description: str = ""
    unit: str = "EA"
    method: Method = Method.PAR
    count_type: CountType = CountType.ON_HAND
    pack_size: Decimal = ONE
    pack_price: Decimal | None = None
    moq: int | None = None
    lot_multiple: int | None = None
    rounding: Rounding = Rounding.UP
    storage_capacity: Decimal | None = None
    shelf_life_days: int | None = None
    weekly_usage: Decimal | None = None
    """The setting's typed weekly usage: the proposal's shelf-life cap works from it."""
    source: str = ""
    """The supplier or storeroom the line is replenished from (a delivery is per source)."""
    lead_time_days: int = 1
    delivery_weekdays: frozenset[int] = frozenset({0})
    seasons: tuple[SeasonalLevel, ...] = ()

    def unit_price(self) -> Decimal | None:
        """The price of one unit of issue, when the pack price is known."""
        if self.pack_price is None or not self.pack_size:
            return None
        return self.pack_price / self.pack_size


@dataclass(frozen=True, slots=True, kw_only=True)
class LineOutcome:
    """What a replay of one line came to."""

    setting_id: int
    levels: Levels
    days: int
    stockout_days: int
    stockout_events: int
    """Runs of consecutive stockout days."""
    unmet: Decimal
    """Units of usage that could not be met (lost)."""
    average_stock: Decimal
    peak_stock: Decimal
    average_value: Decimal | None
    peak_value: Decimal | None
    order_lines: int
    ordered_units: Decimal
    deliveries: int
    days_over_capacity: int
    expired_units: Decimal
    invalid: str = ""
    """Why the engine refused the line's levels (then nothing was ordered)."""
    shelf: tuple[Decimal, ...] = ()
    """End-of-day stock of days 0…days, when asked for (the chart)."""
    orders: tuple[tuple[date, Decimal, date], ...] = ()
    """(day ordered, units, day due) of each order, when traced (the chart)."""
    start: date | None = None

    @property
    def service_level(self) -> Decimal:
        """Share of days without a stockout, in % (one decimal)."""
        if not self.days:
            return Decimal(100)
        return (Decimal(100) * (self.days - self.stockout_days) / self.days).quantize(PERCENT)
