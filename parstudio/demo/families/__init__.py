"""The demo catalogue's item families: what an imaging department keeps, by kind.

One module per group of families; their order here is the catalogue's order (item codes and
the generated department depend on it).
"""

from __future__ import annotations

from parstudio.demo.families import access_and_ppe, injection, procedures, rooms
from parstudio.demo.families.base import Family

__all__ = ["FAMILIES", "Family"]

FAMILIES: tuple[Family, ...] = (
    *injection.FAMILIES,
    *access_and_ppe.FAMILIES,
    *rooms.FAMILIES,
    *procedures.FAMILIES,
)
