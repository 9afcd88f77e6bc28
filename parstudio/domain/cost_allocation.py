"""Cost allocation: usage value and spend of a period, by department, cost centre and location.

Units are not additive across items, so every figure is money: **usage value** is units used ×
unit cost, **spend** is units received × unit cost (what the department was charged for), as
the spend chart counts it. Consignment stock belongs to the vendor until it is used and is
billed on use, so a consignment item's spend is its usage value, not its receipts; that share
is also shown on its own ("of which consignment"). Items without a price are left out of every
value and counted, so a report can say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from parstudio.domain.case_costs import CaseCosts
from parstudio.domain.period_usage import ZERO, MonthlyUsage, SettingFacts, value
from parstudio.domain.report_period import ReportPeriod

NO_DEPARTMENT = "(no department)"
NO_COST_CENTRE = "(no cost centre)"


@dataclass(frozen=True, slots=True)
class AllocationLine:
    """One PAR setting's figures for the period."""

    facts: SettingFacts
    used: Decimal
    received: Decimal
    usage_value: Decimal | None
    """Units used × unit cost; None without a price."""
    spend: Decimal | None
    """Units received × unit cost, or for a consignment item its usage value."""
    known: bool
    """Every month of the period lies between two counts, so the usage is the whole story."""

    @property
    def consignment_value(self) -> Decimal:
        """The usage value billed on use (consignment), else 0."""
        return (self.usage_value or ZERO) if self.facts.consignment else ZERO


@dataclass(frozen=True, slots=True)
class Totals:
    """Money added up over some lines, and what was left out."""

    usage_value: Decimal = ZERO
    spend: Decimal = ZERO
    consignment: Decimal = ZERO
    """Of the spend, what consignment items' usage came to."""
    settings: int = 0
    unpriced_items: int = 0
    """Distinct items without a price, left out of the values."""
    incomplete: int = 0
    """Settings whose usage is not known for every month (a count missing at one end)."""


@dataclass(frozen=True, slots=True)
class LocationAllocation:
    """A location's lines and totals."""

    code: str
    name: str
    totals: Totals
    lines: tuple[AllocationLine, ...]


@dataclass(frozen=True, slots=True)
class CostCentreAllocation:
    """A cost centre of a department, location by location."""

    name: str
    totals: Totals
    locations: tuple[LocationAllocation, ...]


@dataclass(frozen=True, slots=True)
class DepartmentAllocation:
    """A department, cost centre by cost centre."""

    name: str
    totals: Totals
    cost_centres: tuple[CostCentreAllocation, ...]


@dataclass(frozen=True, slots=True)
class CostAllocation:
    """The whole report: departments, overall totals, and the period and filter it covers."""

    period: ReportPeriod
    departments: tuple[DepartmentAllocation, ...]
    totals: Totals
    scope: str = "All departments"
    """The filter in words, for a heading."""
    by_case: CaseCosts = field(default_factory=CaseCosts)
    """What was used on cases in the period, by procedure and by physician."""

    @property
    def lines(self) -> list[AllocationLine]:
        """Every line, department by department, cost centre, location, item."""
        return [
            line
            for department in self.departments
            for centre in department.cost_centres
            for location in centre.locations
            for line in location.lines
        ]

    @property
    def note(self) -> str:
        """What the values leave out, in words; blank when nothing."""
        parts = []
        if self.totals.unpriced_items:
            n = self.totals.unpriced_items
            parts.append(
                f"{n} item{'s' if n != 1 else ''} without a price "
                f"{'are' if n != 1 else 'is'} left out of the values"
            )
        if self.totals.incomplete:
            n = self.totals.incomplete
            parts.append(
                f"{n} setting{'s' if n != 1 else ''} not counted across the whole period "
                "(usage covers only the counted days)"
            )
        return "; ".join(parts) + ("." if parts else "")


def allocation_line(usage: MonthlyUsage, period: ReportPeriod) -> AllocationLine:
    """A setting's usage and spend for the period."""
    facts = usage.facts
    used = usage.used_between(period.first, period.last)
    received = usage.received_between(period.first, period.last)
    usage_value = value(used, facts.unit_cost)
    spend = usage_value if facts.consignment else value(received, facts.unit_cost)
    return AllocationLine(
        facts=facts,
        used=used,
        received=received,
        usage_value=usage_value,
        spend=spend,
        known=usage.known_between(period.first, period.last),
    )


def add_up(lines: Iterable[AllocationLine]) -> Totals:
    """The totals of some lines."""
    usage_value = spend = consignment = ZERO
    settings = incomplete = 0
    unpriced: set[int] = set()
    for line in lines:
        settings += 1
        incomplete += not line.known
        if line.facts.unit_cost is None:
            unpriced.add(line.facts.item_id)
            continue
        usage_value += line.usage_value or ZERO
        spend += line.spend or ZERO
        consignment += line.consignment_value
    return Totals(
        usage_value=usage_value,
        spend=spend,
        consignment=consignment,
        settings=settings,
        unpriced_items=len(unpriced),
        incomplete=incomplete,
    )


def _name_key(name: str, missing: str) -> tuple[bool, str]:
    return (name == missing, name.lower())


def allocate(
    usages: Sequence[MonthlyUsage], period: ReportPeriod, *, scope: str = "All departments"
) -> CostAllocation:
    """Group settings' usage by department, cost centre and location, with totals at each."""
    tree: dict[str, dict[str, dict[tuple[str, str], list[AllocationLine]]]] = {}
    for usage in usages:
        facts = usage.facts
        department = facts.department or NO_DEPARTMENT
        centre = facts.cost_centre or NO_COST_CENTRE
        place = (facts.location_code, facts.location_name)
        tree.setdefault(department, {}).setdefault(centre, {}).setdefault(place, []).append(
            allocation_line(usage, period)
        )
    departments = []
    for department in sorted(tree, key=lambda n: _name_key(n, NO_DEPARTMENT)):
        centres = []
        for centre in sorted(tree[department], key=lambda n: _name_key(n, NO_COST_CENTRE)):
            places = []
            for (code, name), lines in sorted(tree[department][centre].items()):
                lines.sort(key=lambda line: line.facts.item_code)
                places.append(LocationAllocation(code, name, add_up(lines), tuple(lines)))
            centres.append(
                CostCentreAllocation(
                    centre, add_up(line for p in places for line in p.lines), tuple(places)
                )
            )
        all_lines = [line for c in centres for p in c.locations for line in p.lines]
        departments.append(DepartmentAllocation(department, add_up(all_lines), tuple(centres)))
    every = [
        line for d in departments for c in d.cost_centres for p in c.locations for line in p.lines
    ]
    return CostAllocation(
        period=period, departments=tuple(departments), totals=add_up(every), scope=scope
    )
