"""What both demo departments write the same way: suppliers, items with barcodes, bins, and
PAR levels sized from a line's usage and deliveries."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from parstudio.demo.catalogue import (
    SUPPLIERS,
    CatalogueItem,
    SupplierSpec,
)
from parstudio.models import (
    Barcode,
    Bin,
    Item,
    Supplier,
)


def insert_suppliers(
    session: Session, suppliers: Sequence[SupplierSpec] = SUPPLIERS
) -> dict[str, int]:
    """Insert the suppliers; returns their ids by code."""
    rows = [
        {
            "code": s.code,
            "name": s.name,
            "account_number": s.account_number,
            "contact_name": s.contact_name,
            "phone": s.phone,
            "email": s.email,
            "lead_time_days": s.lead_time_days,
            "delivery_weekdays": s.delivery_weekdays,
            "updated_by": "demo",
        }
        for s in suppliers
    ]
    ids = session.scalars(
        insert(Supplier).returning(Supplier.id, sort_by_parameter_order=True), rows
    )
    return dict(zip((s.code for s in suppliers), ids, strict=True))


def insert_items(
    session: Session, items: Sequence[CatalogueItem], supplier_ids: dict[str, int], user: str
) -> list[int]:
    """Insert items and their barcodes in bulk; returns the item ids in order."""
    rows = [
        {
            "code": c.code,
            "description": c.description,
            "unit": c.family.unit,
            "pack_size": Decimal(c.family.pack_size),
            "supplier_id": supplier_ids[c.supplier],
            "supplier_item_no": c.supplier_item_no,
            "pack_price": c.pack_price,
            "category": c.family.category,
            "expensed": c.family.expensed,
            "consignment": c.family.consignment,
            "shelf_life_days": c.family.shelf_life_days,
            "updated_by": user,
        }
        for c in items
    ]
    ids: list[int] = []
    for start in range(0, len(rows), 10_000):
        statement = insert(Item).returning(Item.id, sort_by_parameter_order=True)
        ids += session.scalars(statement, rows[start : start + 10_000])
    barcodes = [
        {"item_id": item_id, "code": code, "kind": _barcode_kind(code)}
        for item_id, c in zip(ids, items, strict=True)
        for code in c.barcodes
    ]
    for start in range(0, len(barcodes), 10_000):
        session.execute(insert(Barcode), barcodes[start : start + 10_000])
    return ids


def _barcode_kind(code: str) -> str:
    if code.startswith("+"):
        return "HIBC"
    return "GTIN" if code.isdigit() else "OTHER"


def bin_codes(count: int) -> list[str]:
    """Bin codes in walking order: aisle letter, section, shelf (A-01-1, A-01-2…)."""
    codes = []
    for n in range(count):
        aisle, rest = divmod(n, 24)
        section, shelf = divmod(rest, 4)
        codes.append(f"{chr(ord('A') + aisle % 26)}-{section + 1:02d}-{shelf + 1}")
    return codes


def insert_bins(session: Session, location_id: int, count: int) -> list[int]:
    """Insert a location's bins in walking order; returns their ids in that order."""
    rows = [
        {"location_id": location_id, "code": code, "sort_order": i + 1}
        for i, code in enumerate(bin_codes(count))
    ]
    return list(session.scalars(insert(Bin).returning(Bin.id, sort_by_parameter_order=True), rows))


@dataclass(frozen=True, slots=True)
class Levels:
    """Levels and modifiers of one PAR setting, in units of issue."""

    method: str
    par: int
    min_level: int
    max_level: int
    values: dict[str, Any]


def longest_gap(weekdays: Sequence[int]) -> int:
    """The most days between two deliveries on these weekdays (Fri → Mon is 3)."""
    days = sorted(set(weekdays)) or [0]
    return max((b - a) % 7 or 7 for a, b in zip(days, days[1:] + days[:1], strict=True))


def size_levels(
    rng: random.Random, weekly: float, gap_days: int, pack_size: int, *, min_max: bool
) -> Levels:
    """Levels sized from a weekly usage and the longest wait for a delivery, with the odd
    MOQ, lot multiple, rounding and storage cap."""
    per_delivery = weekly * gap_days / 7
    # Cover a delivery's usage, its noise (about 1.65 σ) and a margin the office adds on top.
    cover = per_delivery * rng.uniform(1.15, 1.35) + 1.65 * math.sqrt(per_delivery)
    values: dict[str, Any] = {}
    if min_max:
        low = max(2, math.ceil(cover))
        high = max(low + 1, math.ceil(low + per_delivery * rng.uniform(1.2, 2.0)))
        par = 0
        values.update(
            method="MIN/MAX", par_level=None, min_level=Decimal(low), max_level=Decimal(high)
        )
    else:
        par = max(2, math.ceil(cover))
        low = high = 0
        values.update(method="PAR", par_level=Decimal(par), min_level=None, max_level=None)
    top = high or par
    roll = rng.random()
    if roll < 0.08:
        values["moq"] = rng.choice((2, 3, 5))
    elif roll < 0.14:
        values["lot_multiple"] = rng.choice((2, 4, 6))
        if rng.random() < 0.5:
            values["rounding"] = "DOWN"
    if rng.random() < 0.1:
        values["storage_capacity"] = Decimal(top + max(pack_size, math.ceil(top * 0.5)))
    return Levels(values.get("method", "PAR"), par, low, high, values)
