"""Usage and spend of PAR settings month by month, with what a report groups them by.

The quarterly review report and the cost allocation both add up a setting's monthly usage (see
``domain/usage.py``) over a run of months and price it at the item's unit cost (pack price ÷
pack size). These records carry the months and the setting's facts (department, cost centre,
location, item, supplier, consignment) so that the grouping is plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from parstudio.domain.usage import month_start

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class SettingFacts:
    """What a report groups or labels a PAR setting by."""

    setting_id: int
    location_id: int
    location_code: str
    location_name: str
    department: str | None
    cost_centre: str | None
    item_id: int
    item_code: str
    description: str
    unit: str
    category: str | None
    supplier_id: int | None
    supplier_name: str | None
    consignment: bool
    unit_cost: Decimal | None
    """Pack price ÷ pack size; None when the item has no price."""
    storeroom: bool = False
    """A storeroom's setting: its usage is what it issued to the rooms, who use it again."""


@dataclass(frozen=True, slots=True)
class MonthlyUsage:
    """A setting's usage and receipts per month, oldest month first."""

    facts: SettingFacts
    months: tuple[date, ...]
    """The first day of each month."""
    used: tuple[Decimal, ...]
    complete: tuple[bool, ...]
    """Every day of the month lies between two counts (or after the first receipt)."""
    received: tuple[Decimal, ...]

    def _indexes(self, first: date, last: date) -> range:
        return month_indexes(self.months, first, last)

    def used_between(self, first: date, last: date) -> Decimal:
        """Units used in the months from the month of ``first`` to the month of ``last``."""
        return sum((self.used[k] for k in self._indexes(first, last)), ZERO)

    def received_between(self, first: date, last: date) -> Decimal:
        """Units received in the months from the month of ``first`` to that of ``last``."""
        return sum((self.received[k] for k in self._indexes(first, last)), ZERO)

    def any_known_between(self, first: date, last: date) -> bool:
        """Whether some month of the range is complete: history reaches into it."""
        return any(self.complete[k] for k in self._indexes(first, last))

    def known_between(self, first: date, last: date) -> bool:
        """Whether every month of the range is complete, so its usage is the whole story."""
        indexes = self._indexes(first, last)
        return len(indexes) > 0 and all(self.complete[k] for k in indexes)


@lru_cache(maxsize=256)
def month_indexes(months: tuple[date, ...], first: date, last: date) -> range:
    """The positions of the months from the month of ``first`` to that of ``last`` (reports
    ask the same few ranges of every setting's same months: worked out once)."""
    start, end = month_start(first), month_start(last)
    picked = [k for k, m in enumerate(months) if start <= m <= end]
    return range(picked[0], picked[-1] + 1) if picked else range(0)


def value(units: Decimal, unit_cost: Decimal | None) -> Decimal | None:
    """Units at a unit cost, to the cent; None when there is no price."""
    if unit_cost is None:
        return None
    return (units * unit_cost).quantize(CENT, rounding=ROUND_HALF_UP)
