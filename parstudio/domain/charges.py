"""Charge capture: billable items used on cases, priced for the billing office.

A line of the charge file is one use line (not voided) of a billable item: the case it was used
on, where and when, the item's charge code and charge price. A billable item without a charge
code or without a price is still listed (the billing office must know it was used) and its
line says what is missing, so nothing used is dropped from the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from parstudio.domain.errors import ValidationError

ZERO = Decimal(0)
CENT = Decimal("0.01")
MAX_DAYS = 366
"""The longest period a charge file or a reconciliation covers."""


def charge_problem(charge_code: str | None, charge_price: Decimal | None) -> str:
    """What keeps a billable line from being billed, in words; "" when nothing."""
    missing = [
        what
        for what, value in (("charge code", charge_code), ("charge price", charge_price))
        if value is None or (isinstance(value, str) and not value.strip())
    ]
    return f"No {' and no '.join(missing)}" if missing else ""


def extended(quantity: Decimal, price: Decimal | None) -> Decimal | None:
    """Quantity × price to the cent; None without a price."""
    if price is None:
        return None
    return (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class DayRange:
    """Local days from ``first`` to ``last``, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValidationError(
                f"The period ends ({self.last:%d %b %Y}) before it starts ({self.first:%d %b %Y}).",
                field="to",
            )
        if self.days > MAX_DAYS:
            raise ValidationError(
                f"A period covers at most {MAX_DAYS} days; this one has {self.days}.", field="to"
            )

    @property
    def days(self) -> int:
        """How many days the period covers."""
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        """ "01 Nov 2026 – 30 Nov 2026", or one day."""
        if self.first == self.last:
            return f"{self.first:%d %b %Y}"
        return f"{self.first:%d %b %Y} – {self.last:%d %b %Y}"

    @property
    def key(self) -> str:
        """For a file name: "2026-11-01_2026-11-30"."""
        return f"{self.first:%Y-%m-%d}_{self.last:%Y-%m-%d}"

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as UTC moments: from local midnight of the first day to local midnight
        after the last (exclusive)."""
        start = datetime.combine(self.first, time(0)).astimezone()
        end = datetime.combine(self.last + timedelta(days=1), time(0)).astimezone()
        return start.astimezone(UTC), end.astimezone(UTC)


def parse_day(text: str, *, what: str = "date") -> date:
    """A date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"The {what} “{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-11-30."
        ) from None


@dataclass(frozen=True, slots=True)
class ChargeLine:
    """One billable item used on one case."""

    case_identifier: str
    case_opened_at: datetime
    location_code: str
    location_name: str
    procedure: str | None
    physician: str | None
    item_code: str
    description: str
    unit: str
    charge_code: str | None
    quantity: Decimal
    unit_price: Decimal | None
    lot: str | None
    serial: str | None
    used_at: datetime
    used_by: str | None

    @property
    def extended_price(self) -> Decimal | None:
        """Quantity × unit charge price; None without a price."""
        return extended(self.quantity, self.unit_price)

    @property
    def problem(self) -> str:
        """What keeps the line from being billed ("" when nothing)."""
        return charge_problem(self.charge_code, self.unit_price)


@dataclass(frozen=True, slots=True)
class ChargeCapture:
    """The charge file of a period: its lines, oldest use first, and what it covers."""

    period: DayRange
    scope: str
    lines: tuple[ChargeLine, ...]

    @property
    def total(self) -> Decimal:
        """The extended charges of the lines that have a price."""
        return sum((line.extended_price or ZERO for line in self.lines), ZERO)

    @property
    def problems(self) -> int:
        """Lines without a charge code or a price."""
        return sum(1 for line in self.lines if line.problem)

    @property
    def cases(self) -> int:
        """Distinct cases on the lines."""
        return len({line.case_identifier for line in self.lines})

    @property
    def summary(self) -> str:
        """ "12 lines on 5 cases, charges 1,234.00; 2 lines without a charge code or price"."""
        n, cases = len(self.lines), self.cases
        text = (
            f"{n} line{'s' if n != 1 else ''} on {cases} case{'s' if cases != 1 else ''}, "
            f"charges {self.total:,.2f}"
        )
        if self.problems:
            p = self.problems
            text += f"; {p} line{'s' if p != 1 else ''} without a charge code or price"
        return text
