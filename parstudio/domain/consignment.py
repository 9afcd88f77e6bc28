"""Consignment usage: what the vendor's stock on our shelves was used for, to bill and replenish.

Consignment stock belongs to the vendor until it is used. Each period the supply office tells
each vendor what was used at every location (a *replenish-on-use* list, in whole units); the
vendor invoices it and sends the same again. Consignment stock is not ours, so it is left out of
stock value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from parstudio.domain.period_usage import ZERO, MonthlyUsage, value
from parstudio.domain.report_period import ReportPeriod

NO_VENDOR = "(no supplier)"
WHOLE = Decimal(1)


@dataclass(frozen=True, slots=True)
class ConsignmentLine:
    """One consignment item used at one location in the period."""

    location_code: str
    location_name: str
    item_code: str
    vendor_item_no: str | None
    description: str
    unit: str
    used: Decimal
    unit_price: Decimal | None
    value: Decimal | None
    known: bool
    """Every month of the period lies between two counts."""


@dataclass(frozen=True, slots=True)
class VendorUsage:
    """One vendor's replenish-on-use list."""

    vendor: str
    vendor_code: str | None
    lines: tuple[ConsignmentLine, ...]

    @property
    def total(self) -> Decimal:
        """The value of the priced lines."""
        return sum((line.value for line in self.lines if line.value is not None), ZERO)

    @property
    def unpriced(self) -> int:
        """Lines without a price (left out of the total)."""
        return sum(1 for line in self.lines if line.value is None)

    @property
    def locations(self) -> int:
        """How many locations used the vendor's stock."""
        return len({line.location_code for line in self.lines})


@dataclass(frozen=True, slots=True)
class ConsignmentUsage:
    """Every vendor's list for a period."""

    period: ReportPeriod
    made_on: date
    vendors: tuple[VendorUsage, ...]

    @property
    def total(self) -> Decimal:
        """The value of every vendor's priced lines."""
        return sum((vendor.total for vendor in self.vendors), ZERO)

    def of_vendor(self, vendor: str) -> ConsignmentUsage:
        """The same report for one vendor only (by name)."""
        return ConsignmentUsage(
            self.period, self.made_on, tuple(v for v in self.vendors if v.vendor == vendor)
        )


def consignment_usage(
    usages: Iterable[MonthlyUsage],
    period: ReportPeriod,
    *,
    made_on: date,
    vendor_item_numbers: Mapping[int, str | None],
    vendor_codes: Mapping[int, str | None],
) -> ConsignmentUsage:
    """The consignment settings that used something in the period, grouped by vendor.

    ``vendor_item_numbers`` is the supplier item number per item id; ``vendor_codes`` the
    supplier code per supplier id.
    """
    grouped: dict[tuple[str, int | None], list[ConsignmentLine]] = {}
    for usage in usages:
        facts = usage.facts
        if not facts.consignment:
            continue
        # Usage between two counts is spread over the days between them; a vendor bills and
        # replenishes whole units.
        used = usage.used_between(period.first, period.last).quantize(WHOLE, ROUND_HALF_UP)
        if used <= 0:
            continue
        key = (facts.supplier_name or NO_VENDOR, facts.supplier_id)
        grouped.setdefault(key, []).append(
            ConsignmentLine(
                location_code=facts.location_code,
                location_name=facts.location_name,
                item_code=facts.item_code,
                vendor_item_no=vendor_item_numbers.get(facts.item_id),
                description=facts.description,
                unit=facts.unit,
                used=used,
                unit_price=facts.unit_cost,
                value=value(used, facts.unit_cost),
                known=usage.known_between(period.first, period.last),
            )
        )
    vendors = []
    for (name, supplier_id), lines in sorted(
        grouped.items(), key=lambda kv: (kv[0][0] == NO_VENDOR, kv[0][0].lower())
    ):
        lines.sort(key=lambda line: (line.location_code, line.item_code))
        code = vendor_codes.get(supplier_id) if supplier_id is not None else None
        vendors.append(VendorUsage(name, code, tuple(lines)))
    return ConsignmentUsage(period, made_on, tuple(vendors))
