"""Enumerations shared by every layer (placeholder until the arithmetic lands)."""

from enum import StrEnum


class CountType(StrEnum):
    """How staff count a PAR line."""

    ON_HAND = "ON HAND"
    ORDER_PAR = "ORDER PAR"
    ORDER_QTY = "ORDER QTY"
    NOT_COUNTED = "NOT COUNTED"


class Method(StrEnum):
    """How a PAR line's order is computed."""

    PAR = "PAR"
    MIN_MAX = "MIN/MAX"


class Rounding(StrEnum):
    """Direction of lot-multiple rounding."""

    UP = "UP"
    DOWN = "DOWN"


class LocationKind(StrEnum):
    """What a location is for."""

    STOREROOM = "STOREROOM"
    PAR = "PAR LOCATION"
