"""What stops a PAR setting or its count from going through the order engine, worded for users."""

from __future__ import annotations

from decimal import Decimal

from parstudio.domain.enums import CountType, Method
from parstudio.domain.quantities import ONE, format_quantity


def check_levels(
    method: Method,
    par_level: Decimal | None = None,
    min_level: Decimal | None = None,
    max_level: Decimal | None = None,
    pack_size: Decimal = ONE,
    moq: int | None = None,
    lot_multiple: int | None = None,
    storage_capacity: Decimal | None = None,
    *,
    count_type: CountType | None = None,
    shelf_life_days: int | None = None,
) -> list[str]:
    """Return the problems, worded for users, that stop a PAR setting from being computed."""
    problems: list[str] = []
    par = finite("PAR level", par_level, problems)
    low = finite("Min", min_level, problems)
    high = finite("Max", max_level, problems)
    pack = finite("Pack size", pack_size, problems)
    capacity = finite("Storage capacity", storage_capacity, problems)

    # An ORDER QTY line orders what is asked for, so a PAR line counted that way needs no level;
    # an unknown count type (the location default not yet known) is treated as needing one.
    if method is Method.PAR:
        if par_level is None and count_type in (None, CountType.ON_HAND, CountType.ORDER_PAR):
            problems.append("PAR level is missing: a PAR line needs a PAR level")
    else:
        if min_level is None:
            problems.append("Min is missing: a MIN/MAX line needs a Min and a Max")
        if max_level is None:
            problems.append("Max is missing: a MIN/MAX line needs a Min and a Max")

    for label, level in (("PAR level", par), ("Min", low), ("Max", high)):
        if level is not None and level < 0:
            problems.append(f"{label} ({format_quantity(level)}) must not be negative")
    if low is not None and high is not None and low > high:
        problems.append(
            f"Min ({format_quantity(low)}) must not be more than Max ({format_quantity(high)})"
        )
    if pack is not None and pack <= 0:
        problems.append("Pack size must be more than 0")
    if moq is not None and moq < 1:
        problems.append("MOQ must be at least 1 pack")
    if lot_multiple is not None and lot_multiple < 1:
        problems.append("Lot multiple must be at least 1 pack")
    if capacity is not None and capacity <= 0:
        problems.append("Storage capacity must be more than 0")
    if shelf_life_days is not None and shelf_life_days < 1:
        problems.append("Shelf life must be at least 1 day")
    return problems


def count_problems(
    count_type: CountType,
    on_hand: Decimal | None,
    requested: Decimal | None,
    open_demand: Decimal,
    open_supply: Decimal,
) -> list[str]:
    """Return the problems, worded for users, with the count and open orders of a line."""
    problems: list[str] = []
    counted = finite("On hand", on_hand, problems)
    asked = finite("Requested quantity", requested, problems)
    demand = finite("Open demand", open_demand, problems)
    supply = finite("Open supply", open_supply, problems)
    if count_type is CountType.ON_HAND and on_hand is None:
        problems.append("This ON HAND count has no on-hand quantity")
    if count_type is CountType.ORDER_QTY and requested is None:
        problems.append("This ORDER QTY count has no requested quantity")
    for label, quantity in (
        ("On hand", counted),
        ("Requested quantity", asked),
        ("Open demand", demand),
        ("Open supply", supply),
    ):
        if quantity is not None and quantity < 0:
            problems.append(f"{label} ({format_quantity(quantity)}) must not be negative")
    return problems


def finite(label: str, value: Decimal | None, problems: list[str]) -> Decimal | None:
    """Return value if it is a real number; otherwise note the problem and return None."""
    if value is None or value.is_finite():
        return value
    problems.append(f"{label} must be a number")
    return None
