"""What the charts show, as plain data: a setting's usage with its levels, and spend by month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parstudio.domain.enums import Method


@dataclass(frozen=True, slots=True)
class SettingChart:
    """A PAR setting's weekly usage over time, its levels week by week, stockouts and orders."""

    setting_id: int
    title: str
    unit: str
    method: Method
    source: str
    """"counts", "receipts" or "issues" (a storeroom line): where the usage comes from."""
    weeks: tuple[tuple[date, Decimal], ...]
    """(Monday, usage) of every complete week."""
    par_line: tuple[tuple[date, Decimal], ...]
    """The PAR level in force each week (seasons included); empty for a Min/Max line."""
    min_line: tuple[tuple[date, Decimal], ...]
    max_line: tuple[tuple[date, Decimal], ...]
    stockouts: tuple[date, ...]
    deliveries: tuple[tuple[date, Decimal], ...]
    orders: tuple[tuple[date, Decimal], ...]
    """Order lines placed for the setting: (order date, units)."""


@dataclass(frozen=True, slots=True)
class SpendChart:
    """Spend (value received) per month, per department."""

    months: tuple[date, ...]
    departments: tuple[str, ...]
    spend: dict[str, tuple[Decimal, ...]]
    """Per department, one figure per month, in pack-price currency."""

    @property
    def total(self) -> Decimal:
        """All spend shown."""
        return sum((sum(v, Decimal(0)) for v in self.spend.values()), Decimal(0))
