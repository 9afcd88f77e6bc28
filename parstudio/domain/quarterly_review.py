"""The quarterly review report: usage against earlier quarters, stockouts, waste, rush orders,
stock value, top movers and the settings most out of line, as plain data and pure sums."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from parstudio.domain.enums import WEEKDAYS
from parstudio.domain.period_usage import MonthlyUsage, value
from parstudio.domain.quantities import whole_where_whole
from parstudio.domain.quarters import Quarter as Quarter  # re-exported: the review speaks of it
from parstudio.domain.review import ReviewLine
from parstudio.domain.suggestions import percent_change
from parstudio.domain.waste import WasteReason, WasteRecord

ZERO = Decimal(0)
CENT = Decimal("0.01")


def change_pct(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    """How much ``new`` is above (or below) ``old``, in % of it; None when it cannot be said."""
    if new is None or old is None or old == 0:
        return None
    return ((new - old) / old * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class UsageComparison:
    """Usage value of one location (or of all) this quarter, the last and a year before."""

    name: str
    this_quarter: Decimal
    last_quarter: Decimal
    year_before: Decimal
    complete: bool
    """Every priced setting's usage is known for every month of this and the last quarter."""
    last_quarter_known: bool = True
    year_before_known: bool = True
    """Some usage is known for the quarter: history reaches back to it."""

    @property
    def change_vs_last(self) -> Decimal | None:
        """Change against the quarter before, in %."""
        if not self.last_quarter_known:
            return None
        return change_pct(self.this_quarter, self.last_quarter)

    @property
    def change_vs_year(self) -> Decimal | None:
        """Change against the same quarter a year before, in %."""
        if not self.year_before_known:
            return None
        return change_pct(self.this_quarter, self.year_before)


@dataclass(frozen=True, slots=True)
class StockoutLine:
    """An item that stocked out at a location during the quarter."""

    location_code: str
    item_code: str
    description: str
    stockouts: int
    counts: int
    """On-hand counts of the line in the quarter."""
    last_on: date


@dataclass(frozen=True, slots=True)
class WasteSummary:
    """Waste of one reason: how many records, and what it cost."""

    reason: WasteReason
    records: int
    cost: Decimal
    unpriced: int
    """Records without a price, left out of the cost."""


@dataclass(frozen=True, slots=True)
class RushOrder:
    """An order placed outside the delivery schedule, and why it counts as one."""

    number: str
    kind: str
    order_date: date
    expected_date: date | None
    source: str
    destinations: str
    value: Decimal
    why: str


@dataclass(frozen=True, slots=True)
class StockValue:
    """What a location held at the end of the quarter, by its latest counts then."""

    location_code: str
    location_name: str
    value: Decimal
    consignment_value: Decimal
    """Vendor-owned stock on the shelf: not in ``value``."""
    unpriced: int
    """Lines counted on hand whose item has no price."""


@dataclass(frozen=True, slots=True)
class OnHandLine:
    """The latest on-hand count of a setting by a day, with the item's price."""

    location_code: str
    location_name: str
    quantity: Decimal
    unit_cost: Decimal | None
    consignment: bool


@dataclass(frozen=True, slots=True)
class Mover:
    """A setting among the quarter's top movers, by usage value."""

    location_code: str
    item_code: str
    description: str
    unit: str
    units: Decimal
    value: Decimal
    last_quarter_units: Decimal

    @property
    def change_vs_last(self) -> Decimal | None:
        """Units against the quarter before, in %."""
        return change_pct(self.units, self.last_quarter_units)


@dataclass(frozen=True, slots=True)
class QuarterlyReport:
    """Everything the quarterly review report shows, for one quarter and one choice of scope."""

    quarter: Quarter
    scope: str
    """What the report covers, in words: "All departments", "Imaging · cost centre 4100"."""
    made_on: date
    settings: int
    usage: tuple[UsageComparison, ...]
    """One row per location, then the total row (named "All locations")."""
    unpriced_settings: int
    stockouts: tuple[StockoutLine, ...]
    waste: tuple[WasteRecord, ...]
    waste_by_reason: tuple[WasteSummary, ...]
    rush_orders: tuple[RushOrder, ...]
    stock_value: tuple[StockValue, ...]
    movers: tuple[Mover, ...]
    out_of_line: tuple[ReviewLine, ...]
    suggestions_through: date | None
    """The day the suggestions' history runs to; None when never computed."""

    @property
    def filtered(self) -> bool:
        """Whether the report covers only some of the settings (its scope is not all of them)."""
        return self.scope != ALL_DEPARTMENTS

    @property
    def total_usage(self) -> UsageComparison:
        """The total row of the usage comparison."""
        return self.usage[-1]

    @property
    def waste_cost(self) -> Decimal:
        """What all the waste cost."""
        return sum((w.cost for w in self.waste_by_reason), ZERO)

    @property
    def total_stock_value(self) -> Decimal:
        """Stock value on hand at the end of the quarter, consignment left out."""
        return sum((s.value for s in self.stock_value), ZERO)

    @property
    def total_consignment_value(self) -> Decimal:
        """Consignment stock on hand at the end of the quarter (the vendors')."""
        return sum((s.consignment_value for s in self.stock_value), ZERO)

    @property
    def stockout_events(self) -> int:
        """Counts that found a shelf empty, all items together."""
        return sum(s.stockouts for s in self.stockouts)

    @property
    def rush_value(self) -> Decimal:
        """What the rush orders were worth."""
        return sum((r.value for r in self.rush_orders), ZERO)


ALL_LOCATIONS = "All locations"
ALL_DEPARTMENTS = "All departments"
"""The scope of a report that no filter narrows."""


def compare_usage(usages: Sequence[MonthlyUsage], quarter: Quarter) -> tuple[UsageComparison, ...]:
    """Usage value per location and in all, this quarter against the last and a year before.

    Settings without a price have no value and are left out (the report counts them). A
    quarter before the history begins (no complete month of any setting) is not known.
    """
    # (start, end) of each: a Quarter works its days out each time it is asked.
    periods = [(q.start, q.end) for q in (quarter, quarter.previous, quarter.year_before)]
    total_name = ALL_LOCATIONS
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    known: dict[str, list[bool]] = defaultdict(lambda: [False, False, False])
    complete: dict[str, bool] = defaultdict(lambda: True)
    names = set()
    # A storeroom's usage is what it issued to the rooms, whose own usage counts the same
    # stock again: the total counts it once, from the rooms, unless only storerooms are in.
    rooms_in = any(not usage.facts.storeroom for usage in usages)
    for usage in usages:
        cost = usage.facts.unit_cost
        if cost is None:
            continue
        name = f"{usage.facts.location_code} — {usage.facts.location_name}"
        names.add(name)
        counted_in_total = not (usage.facts.storeroom and rooms_in)
        for key in (name, total_name) if counted_in_total else (name,):
            for k, (start, end) in enumerate(periods):
                sums[key][k] += value(usage.used_between(start, end), cost) or ZERO
                known[key][k] = known[key][k] or usage.any_known_between(start, end)
            complete[key] = complete[key] and all(
                usage.known_between(start, end) for start, end in periods[:2]
            )
    return tuple(
        UsageComparison(
            name,
            sums[name][0],
            sums[name][1],
            sums[name][2],
            complete[name] and bool(names),
            last_quarter_known=known[name][1],
            year_before_known=known[name][2],
        )
        for name in [*sorted(names), total_name]
    )


def top_movers(
    usages: Iterable[MonthlyUsage], quarter: Quarter, count: int = 10
) -> tuple[Mover, ...]:
    """The settings that used the most, by value (by units for unpriced items, after them)."""
    movers = []
    this, last = (quarter.start, quarter.end), (quarter.previous.start, quarter.previous.end)
    for usage in usages:
        facts = usage.facts
        units = whole_where_whole(usage.used_between(*this), facts.unit)
        if units <= 0:
            continue
        movers.append(
            Mover(
                location_code=facts.location_code,
                item_code=facts.item_code,
                description=facts.description,
                unit=facts.unit,
                units=units,
                value=value(units, facts.unit_cost) or ZERO,
                last_quarter_units=whole_where_whole(usage.used_between(*last), facts.unit),
            )
        )
    movers.sort(key=lambda m: (-m.value, -m.units, m.location_code, m.item_code))
    return tuple(movers[:count])


def summarise_waste(records: Iterable[WasteRecord]) -> tuple[WasteSummary, ...]:
    """Waste per reason, costliest first."""
    counts: dict[WasteReason, list[int]] = defaultdict(lambda: [0, 0])
    costs: dict[WasteReason, Decimal] = defaultdict(lambda: ZERO)
    for record in records:
        counts[record.reason][0] += 1
        if record.cost is None:
            counts[record.reason][1] += 1
        else:
            costs[record.reason] += record.cost
    rows = [WasteSummary(r, n, costs[r], unpriced) for r, (n, unpriced) in counts.items()]
    rows.sort(key=lambda w: (-w.cost, w.reason.value))
    return tuple(rows)


def stock_values(lines: Iterable[OnHandLine]) -> tuple[StockValue, ...]:
    """Stock value per location: quantity × unit cost; consignment stock apart, as the vendor's."""
    sums: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    unpriced: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        key = (line.location_code, line.location_name)
        amount = value(line.quantity, line.unit_cost)
        if amount is None:
            # A location holding only unpriced items is still listed, at 0.
            sums.setdefault(key, [ZERO, ZERO])
            unpriced[key] += 1 if line.quantity > 0 else 0
            continue
        sums[key][1 if line.consignment else 0] += amount
    return tuple(
        StockValue(code, name, s[0], s[1], unpriced[(code, name)])
        for (code, name), s in sorted(sums.items())
    )


def off_schedule(expected: date | None, weekdays: str | None) -> bool:
    """Whether an expected delivery falls on a day the schedule has no delivery."""
    allowed = [d for d in (weekdays or "").split(",") if d]
    if expected is None or not allowed:
        return False
    return WEEKDAYS[expected.weekday()] not in allowed


def rush_reason(rush: bool, expected: date | None, weekdays: str | None) -> str | None:
    """Why an order counts as a rush order, or None when it does not."""
    if rush:
        return "marked rush"
    if expected is not None and off_schedule(expected, weekdays):
        days = ", ".join(d.title() for d in (weekdays or "").split(",") if d)
        return f"delivery on {expected.strftime('%A')}, outside the schedule ({days})"
    return None


def most_out_of_line(lines: Iterable[ReviewLine], count: int = 10) -> tuple[ReviewLine, ...]:
    """The review lines furthest from their suggestion, in % of the level (no level: first)."""

    def distance(line: ReviewLine) -> Decimal:
        change = percent_change(line.current, line.suggested)
        return Decimal("Infinity") if change is None else abs(change)

    ranked = sorted(lines, key=lambda line: (-distance(line), line.location_code, line.item_code))
    return tuple(ranked[:count])
