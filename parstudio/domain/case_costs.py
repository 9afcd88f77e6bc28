"""Cost of what was used on cases, by procedure and by physician.

Each use line (voided ones left out) costs quantity × the unit cost it was recorded with (the
item's cost on the day it was used). Lines without a procedure or a physician are put under
"(none)"; lines without a unit cost are left out of the money and counted, so the report can
say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")
NONE = "(none)"


@dataclass(frozen=True, slots=True)
class CaseUse:
    """One use line as the allocation reads it."""

    case_id: int
    procedure: str | None
    physician: str | None
    quantity: Decimal
    unit_cost: Decimal | None


@dataclass(frozen=True, slots=True)
class CaseCostRow:
    """A procedure's (or a physician's) cases, use lines and cost."""

    name: str
    cases: int
    lines: int
    cost: Decimal
    unpriced_lines: int


@dataclass(frozen=True, slots=True)
class CaseCosts:
    """The cost of use lines by procedure and by physician, with the totals."""

    by_procedure: tuple[CaseCostRow, ...] = ()
    by_physician: tuple[CaseCostRow, ...] = ()
    cases: int = 0
    lines: int = 0
    cost: Decimal = ZERO
    unpriced_lines: int = 0

    @property
    def note(self) -> str:
        """What the cost leaves out, in words; blank when nothing."""
        n = self.unpriced_lines
        if not n:
            return ""
        return f"{n} use line{'s' if n != 1 else ''} without a unit cost left out of the cost."


def _rows(uses: list[CaseUse], name_of: str) -> tuple[CaseCostRow, ...]:
    groups: dict[str, list[CaseUse]] = {}
    for use in uses:
        name = (getattr(use, name_of) or "").strip() or NONE
        groups.setdefault(name, []).append(use)
    rows = [_row(name, group) for name, group in groups.items()]
    # Most expensive first; "(none)" last, where it is read as what is missing.
    rows.sort(key=lambda r: (r.name == NONE, -r.cost, r.name.lower()))
    return tuple(rows)


def _row(name: str, uses: list[CaseUse]) -> CaseCostRow:
    priced = [u for u in uses if u.unit_cost is not None]
    cost = sum((u.quantity * (u.unit_cost or ZERO) for u in priced), ZERO)
    return CaseCostRow(
        name=name,
        cases=len({u.case_id for u in uses}),
        lines=len(uses),
        cost=cost.quantize(CENT, rounding=ROUND_HALF_UP),
        unpriced_lines=len(uses) - len(priced),
    )


def allocate_to_cases(uses: Iterable[CaseUse]) -> CaseCosts:
    """The cost of the use lines by procedure and by physician."""
    found = list(uses)
    whole = _row("Total", found)
    return CaseCosts(
        by_procedure=_rows(found, "procedure"),
        by_physician=_rows(found, "physician"),
        cases=whole.cases,
        lines=whole.lines,
        cost=whole.cost,
        unpriced_lines=whole.unpriced_lines,
    )
