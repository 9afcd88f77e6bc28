"""What a family of demo items is, and the helpers the family lists share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Family:
    """A family of similar items: shared category, supplier, unit, pack and usage."""

    category: str
    prefix: str
    supplier: str
    unit: str
    pack_size: int
    price: str  # pack price of the first variant
    weekly: float  # units a week at a busy room
    where: str  # location codes that stock it, space-separated
    variants: tuple[str, ...]
    shelf_life_days: int | None = None
    seasonal: bool = False
    store: bool = False  # stocked in the central storeroom, so PAR lines are internal transfers
    expensed: bool = True
    consignment: bool = False


def sizes(template: str, sizes: Sequence[object]) -> tuple[str, ...]:
    return tuple(template.format(s) for s in sizes)


ROOMS = "CT1 CT2 MRI1 US1 IR1 XR1 NUC1"
NEEDLES = [
    "18G × 1½″",
    "19G × 1½″",
    "20G × 1″",
    "20G × 1½″",
    "21G × 1″",
    "21G × 1½″",
    "22G × 1″",
    "22G × 1½″",
    "23G × 1″",
    "25G × ⅝″",
    "25G × 1″",
    "27G × ½″",
]
