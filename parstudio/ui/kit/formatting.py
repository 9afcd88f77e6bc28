"""How values look on screen: tidy numbers, money with two decimals, weekdays in words."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from parstudio.domain.fields import FieldSpec, Kind, tidy
from parstudio.domain.quantities import format_money

MONEY_FIELDS = frozenset({"pack_price", "charge_price"})


money = format_money  # the one money format, shared with the paper (domain/quantities)


def quantity(value: Decimal | int | None) -> str:
    """A quantity without needless zeros; blank when unknown."""
    return "" if value is None else f"{tidy(Decimal(value)):f}"


def display_text(spec: FieldSpec | None, value: Any) -> str:
    """The text a table cell or form field shows for a value."""
    if value is None:
        return ""
    name = spec.name if spec else ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return money(value) if name in MONEY_FIELDS else quantity(value)
    if isinstance(value, tuple | list):
        if spec is not None and spec.kind is Kind.WEEKDAYS:
            return ", ".join(day.title() for day in value)
        return ", ".join(str(v) for v in value)
    return str(value)


def edit_text(spec: FieldSpec, value: Any) -> str:
    """The text an editor starts with: like the display, but money keeps its digits as typed."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if spec.name in MONEY_FIELDS:
            return f"{value:.2f}"
        return f"{tidy(value):f}"
    return display_text(spec, value)


def sort_key(value: Any) -> Any:
    """A key that sorts numbers as numbers and text without regard to case; blanks first."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal | int):
        return float(value)
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value).lower()
    return str(value).lower()


def is_numeric(spec: FieldSpec | None) -> bool:
    """Whether a field's cells are right-aligned."""
    return spec is not None and spec.kind in (Kind.INT, Kind.DECIMAL)


def local_time(moment: datetime) -> str:
    """A stored UTC time as the clock on the wall shows it."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
