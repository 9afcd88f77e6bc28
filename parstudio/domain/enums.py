"""Enumerations shared across PAR Studio, with forgiving parsing of what users type."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Self

# How weekdays are stored ("MON,THU" for a location's delivery days), Monday first as in
# date.weekday().
WEEKDAYS: tuple[str, ...] = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def weekday_code(day: date) -> str:
    """The stored code of the day's weekday: "MON" for a Monday."""
    return WEEKDAYS[day.weekday()]


def weekday_numbers(codes: str | Iterable[str] | None) -> list[int]:
    """The weekday numbers (Monday 0) of stored codes, "MON,THU" or a sequence; unknown ones
    are left out."""
    parts = (codes or "").split(",") if isinstance(codes, str | None) else codes
    return [WEEKDAYS.index(code) for code in parts if code in WEEKDAYS]


def _key(text: str) -> str:
    """Return text reduced to upper-case letters and digits, for matching what users type."""
    # Worksheets spell the same thing "Min/Max", "min-max" and "MIN MAX"; only letters matter.
    return "".join(ch for ch in text.upper() if ch.isalnum())


class _ParsableEnum(StrEnum):
    """A string enum whose members can be read from case- and space-insensitive text."""

    @classmethod
    def parse(cls, text: str) -> Self:
        """Return the member named by text, accepting its value, its name or a synonym."""
        key = _key(text)
        for member in cls:
            if key in (_key(member.value), _key(member.name)):
                return member
        label, synonyms = _SYNONYMS[cls.__name__]
        if key in synonyms:
            return cls(synonyms[key])
        allowed = ", ".join(member.value for member in cls)
        if not key:
            raise ValueError(f"The {label} is blank; use one of: {allowed}.")
        raise ValueError(
            f"“{text.strip()}” is not a {label} PAR Studio knows; use one of: {allowed}."
        )


class CountType(_ParsableEnum):
    """How staff report a line at a location, which decides how its need is worked out."""

    ON_HAND = "ON HAND"
    ORDER_PAR = "ORDER PAR"
    ORDER_QTY = "ORDER QTY"
    NOT_COUNTED = "NOT COUNTED"


class Method(_ParsableEnum):
    """How the level to refill to is set: one PAR level, or a Min and a Max."""

    PAR = "PAR"
    MIN_MAX = "MIN/MAX"


class Rounding(_ParsableEnum):
    """Which way an order is rounded to the lot multiple."""

    UP = "UP"
    DOWN = "DOWN"


class LocationKind(_ParsableEnum):
    """Whether a location is a storeroom (a source of stock) or a PAR location."""

    STOREROOM = "STOREROOM"
    PAR = "PAR LOCATION"


# Synonyms are keyed by _key() of the text; values are member values. Kept outside the classes
# because any plain attribute in an enum body would become a member.
_SYNONYMS: dict[str, tuple[str, dict[str, str]]] = {
    "CountType": (
        "count type",
        {
            "OH": "ON HAND",
            "QOH": "ON HAND",
            "QUANTITYONHAND": "ON HAND",
            "COUNT": "ON HAND",
            "TWOBIN": "ORDER PAR",
            "2BIN": "ORDER PAR",
            "KANBAN": "ORDER PAR",
            "EMPTYBIN": "ORDER PAR",
            "ORDERQUANTITY": "ORDER QTY",
            "REQUISITION": "ORDER QTY",
            "REQ": "ORDER QTY",
            "UNCOUNTED": "NOT COUNTED",
            "NOCOUNT": "NOT COUNTED",
        },
    ),
    "Method": (
        "method",
        {
            "PARLEVEL": "PAR",
            "MINIMUMMAXIMUM": "MIN/MAX",
        },
    ),
    "Rounding": (
        "rounding",
        {
            "ROUNDUP": "UP",
            "CEILING": "UP",
            "ROUNDDOWN": "DOWN",
            "FLOOR": "DOWN",
        },
    ),
    "LocationKind": (
        "location kind",
        {
            "PARAREA": "PAR LOCATION",
            "SUPPLYCLOSET": "PAR LOCATION",
            "STORE": "STOREROOM",
            "STORES": "STOREROOM",
            "STOCKROOM": "STOREROOM",
            "WAREHOUSE": "STOREROOM",
        },
    ),
}
