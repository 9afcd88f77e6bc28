"""PAR level suggestions from usage, each with its working so a person can check it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from statistics import NormalDist
from types import MappingProxyType

from parstudio.domain.replenishment import format_quantity as fq

ZERO = Decimal(0)
FIFTY = Decimal(50)
HUNDRED = Decimal(100)
DAYS_PER_WEEK = 7
Z_PLACES = Decimal("0.001")
SHOWN_PLACES = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggested PAR level in whole units, with the working and the inputs it came from."""

    value: Decimal
    exact: Decimal
    """The level before rounding up to whole units and before caps."""
    working: tuple[str, ...]
    inputs: Mapping[str, Decimal] = field(hash=False)
    warnings: tuple[str, ...] = ()
    capped: bool = False


@dataclass(frozen=True, slots=True)
class SafetyPercent:
    """Safety stock as a percent of the usage the PAR level must cover."""

    percent: Decimal


@dataclass(frozen=True, slots=True)
class SafetyDays:
    """Safety stock as a number of days of usage."""

    days: Decimal


@dataclass(frozen=True, slots=True)
class SafetyServiceLevel:
    """Statistical safety stock: z for the service level × daily σ × √(lead + review days)."""

    service_level: Decimal
    """The chance, in percent, of not running out between deliveries (e.g. 95)."""
    daily_sd: Decimal
    """Standard deviation of daily usage, in units."""


SafetyStock = SafetyPercent | SafetyDays | SafetyServiceLevel


def z_for_service_level(service_level: Decimal) -> Decimal:
    """Return the z value for a service level in percent, to three decimals (95 → 1.645)."""
    if not (service_level.is_finite() and FIFTY <= service_level < HUNDRED):
        raise ValueError("Service level must be at least 50 % and less than 100 %")
    # NormalDist works in floats; the z it gives is rounded to a table value before any
    # quantity arithmetic, which stays in Decimal.
    z = NormalDist().inv_cdf(float(service_level / HUNDRED))
    return Decimal(z).quantize(Z_PLACES, rounding=ROUND_HALF_UP)


def par_from_deliveries(
    weekly_usage: Decimal,
    deliveries_per_week: Decimal | int,
    safety_pct: Decimal = Decimal("25"),
    *,
    storage_capacity: Decimal | None = None,
    shelf_life_days: int | None = None,
    unit: str = "EA",
) -> Suggestion:
    """Return PAR = (weekly usage + safety % × weekly usage) ÷ deliveries per week."""
    deliveries = Decimal(deliveries_per_week)
    _require_not_negative("Weekly usage", weekly_usage)
    _require_not_negative("Safety stock percent", safety_pct)
    if not (deliveries.is_finite() and deliveries > 0):
        raise ValueError("Deliveries per week must be more than 0")

    safety = safety_pct / HUNDRED * weekly_usage
    exact = (weekly_usage + safety) / deliveries
    working = [
        f"Safety stock = {fq(safety_pct)} % × {fq(weekly_usage)} {unit} a week"
        f" = {fq(safety)} {unit}",
        f"PAR = ({fq(weekly_usage)} + {fq(safety)}) ÷ {fq(deliveries)}"
        f" {'delivery' if deliveries == 1 else 'deliveries'} a week {_equals(exact)} {unit}",
    ]
    inputs = {
        "weekly usage": weekly_usage,
        "deliveries per week": deliveries,
        "safety %": safety_pct,
    }
    # The shelf-life cap is in days, so the week's usage is spread over every day of the week.
    daily_usage = weekly_usage / DAYS_PER_WEEK
    return _finish(exact, working, inputs, daily_usage, storage_capacity, shelf_life_days, unit)


def par_from_coverage(
    daily_usage: Decimal,
    days_between_deliveries: Decimal | int,
    lead_time_days: Decimal | int,
    safety: SafetyStock,
    *,
    storage_capacity: Decimal | None = None,
    shelf_life_days: int | None = None,
    unit: str = "EA",
) -> Suggestion:
    """Return PAR = daily usage × (days between deliveries + lead time) + safety stock."""
    review = Decimal(days_between_deliveries)
    lead = Decimal(lead_time_days)
    _require_not_negative("Daily usage", daily_usage)
    _require_not_negative("Lead time", lead)
    if not (review.is_finite() and review > 0):
        raise ValueError("Days between deliveries must be more than 0")

    cover = daily_usage * (review + lead)
    working = [
        f"Cover = {fq(daily_usage)} {unit} a day × ({fq(review)} days between deliveries"
        f" + {fq(lead)} days lead time) = {fq(cover)} {unit}"
    ]
    inputs: dict[str, Decimal] = {
        "daily usage": daily_usage,
        "days between deliveries": review,
        "lead time days": lead,
    }
    match safety:
        case SafetyPercent(percent=percent):
            _require_not_negative("Safety stock percent", percent)
            stock = percent / HUNDRED * cover
            working.append(
                f"Safety stock = {fq(percent)} % × {fq(cover)} {unit} = {fq(stock)} {unit}"
            )
            inputs["safety %"] = percent
        case SafetyDays(days=days):
            _require_not_negative("Safety stock days", days)
            stock = days * daily_usage
            working.append(
                f"Safety stock = {fq(days)} days × {fq(daily_usage)} {unit} a day"
                f" = {fq(stock)} {unit}"
            )
            inputs["safety days"] = days
        case SafetyServiceLevel(service_level=level, daily_sd=sd):
            _require_not_negative("Daily usage deviation", sd)
            z = z_for_service_level(level)
            root = (lead + review).sqrt()
            stock = z * sd * root
            working.append(f"√({fq(lead)} + {fq(review)} days) {_equals(root)}")
            working.append(
                f"Safety stock = z {fq(z)} (for {fq(level)} % service level) × σ {fq(sd)} {unit}"
                f" a day × {_number(root)} {_equals(stock)} {unit}"
            )
            inputs["service level %"] = level
            inputs["daily usage deviation"] = sd
    exact = cover + stock
    working.append(f"PAR = {fq(cover)} + {_number(stock)} {_equals(exact)} {unit}")
    return _finish(exact, working, inputs, daily_usage, storage_capacity, shelf_life_days, unit)


def usage_between(previous_count: Decimal, received: Decimal, this_count: Decimal) -> Decimal:
    """Return the usage between two counts: previous count + received − this count, never < 0.

    A negative result means more stock turned up than was counted and received, which is almost
    always a receipt nobody recorded. The usage is then returned as 0 (there is no honest figure
    to give) and the caller should flag the pair of counts, e.g. by checking
    ``previous_count + received < this_count``.
    """
    _require_not_negative("Previous count", previous_count)
    _require_not_negative("Received quantity", received)
    _require_not_negative("This count", this_count)
    return max(previous_count + received - this_count, ZERO)


def _finish(
    exact: Decimal,
    working: list[str],
    inputs: dict[str, Decimal],
    daily_usage: Decimal,
    storage_capacity: Decimal | None,
    shelf_life_days: int | None,
    unit: str,
) -> Suggestion:
    """Return the suggestion rounded up to whole units, then cut by storage and shelf life."""
    value = exact.to_integral_value(rounding=ROUND_CEILING)
    if value != exact:
        working.append(f"Rounded up to whole units: {fq(value)} {unit}")
    warnings: list[str] = []
    if storage_capacity is not None:
        if not (storage_capacity.is_finite() and storage_capacity > 0):
            raise ValueError("Storage capacity must be more than 0")
        inputs["storage capacity"] = storage_capacity
        limit = storage_capacity.to_integral_value(rounding=ROUND_FLOOR)
        if value > limit:
            working.append(
                f"Storage capacity {fq(storage_capacity)} {unit}: PAR cut to {fq(limit)} {unit}"
            )
            warnings.append(
                f"Cut from {fq(value)} to {fq(limit)} {unit}: only {fq(storage_capacity)}"
                f" {unit} fit at the location"
            )
            value = limit
    if shelf_life_days is not None:
        if shelf_life_days < 1:
            raise ValueError("Shelf life must be at least 1 day")
        inputs["shelf life days"] = Decimal(shelf_life_days)
        used = daily_usage * shelf_life_days
        limit = used.to_integral_value(rounding=ROUND_FLOOR)
        if value > limit:
            working.append(
                f"Shelf life: {_number(daily_usage)} {unit} a day × {shelf_life_days} days"
                f" {_equals(used)} {unit} used before expiry: PAR cut to {fq(limit)} {unit}"
            )
            warnings.append(
                f"Cut from {fq(value)} to {fq(limit)} {unit}: no more than that is used within"
                f" the {shelf_life_days}-day shelf life"
            )
            value = limit
    return Suggestion(
        value=value,
        exact=exact,
        working=tuple(working),
        inputs=MappingProxyType(inputs),
        warnings=tuple(warnings),
        capped=bool(warnings),
    )


def _number(value: Decimal) -> str:
    """Return value for the working, to two decimals when it has more."""
    return fq(value.quantize(SHOWN_PLACES, rounding=ROUND_HALF_UP))


def _equals(value: Decimal) -> str:
    """Return "= value" when exact to two decimals, else "≈ value" rounded to two decimals."""
    rounded = value.quantize(SHOWN_PLACES, rounding=ROUND_HALF_UP)
    return f"= {fq(value)}" if rounded == value else f"≈ {fq(rounded)}"


def _require_not_negative(label: str, value: Decimal) -> None:
    """Raise ValueError, worded for users, when value is negative or not a number."""
    if not value.is_finite():
        raise ValueError(f"{label} must be a number")
    if value < 0:
        raise ValueError(f"{label} must not be negative")
