"""Quantities as the order engine and its readers write them: exact, in the office's words."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from parstudio.domain.enums import Method

ZERO = Decimal(0)
ONE = Decimal(1)
MINUS = "−"  # the trace is read by people; a real minus sign reads better than a hyphen


def format_quantity(value: Decimal) -> str:
    """Return a quantity as people write it: no trailing zeros, no exponent ("24", "2.5")."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return MINUS + text[1:] if text.startswith("-") else text


def format_money(value: Decimal | None) -> str:
    """Money as the app and its paper show it: two decimals, thousands separators ("1,306.00");
    blank when unknown."""
    return "" if value is None else f"{value.quantize(Decimal('0.01')):,}"


def fill_level(
    method: Method | str, par_level: Decimal | None, max_level: Decimal | None
) -> Decimal | None:
    """The level a line is filled to (what a full shelf holds): Max for MIN/MAX, else PAR."""
    return max_level if Method(method) is Method.MIN_MAX else par_level


def n_packs(packs: int) -> str:
    """Return "1 pack" or "N packs"."""
    return f"{packs} pack" if packs == 1 else f"{packs} packs"


def ceil_div(numerator: Decimal, denominator: Decimal) -> int:
    """Return ceil(numerator / denominator) exactly, for numerator ≥ 0 and denominator > 0."""
    # divmod keeps the remainder exact, where a rounded quotient could hide a small excess.
    quotient, remainder = divmod(numerator, denominator)
    return int(quotient) + (1 if remainder > 0 else 0)


def floor_div(numerator: Decimal, denominator: Decimal) -> int:
    """Return floor(numerator / denominator), or 0 when the numerator is not positive."""
    if numerator <= 0:
        return 0
    return int(numerator // denominator)


def transfer_pack(
    issue_pack: Decimal | None, supplier_pack: Decimal, supplier_price: Decimal | None
) -> tuple[Decimal, Decimal | None]:
    """The pack a storeroom transfer is picked in and its price.

    A storeroom issues in units of issue, or in its own issue pack when one is set (blank or
    not positive: 1), never in the supplier's pack; the price is the supplier's per unit.
    """
    pack = issue_pack if issue_pack is not None and issue_pack > 0 else ONE
    if supplier_price is None:
        return pack, None
    return pack, supplier_price / supplier_pack * pack


# Units of issue measured rather than counted: their usage can be a fraction.
MEASURED_UNITS = frozenset(
    {"ML", "L", "CL", "DL", "G", "KG", "MG", "M", "CM", "MM", "OZ", "LB", "FT", "IN", "GAL", "YD"}
)


def is_whole_unit(unit: str) -> bool:
    """Whether a unit of issue is counted in whole pieces (EA, BX, PR…), not measured (mL, m)."""
    return unit.strip().upper() not in MEASURED_UNITS


def whole_where_whole(quantity: Decimal, unit: str) -> Decimal:
    """A quantity rounded to whole units (half up) where the unit is counted in pieces.

    Usage spread over months by day can come out as 4343.28 EA; nobody uses 0.28 of a syringe.
    """
    if not is_whole_unit(unit):
        return quantity
    return quantity.quantize(ONE, rounding=ROUND_HALF_UP)
