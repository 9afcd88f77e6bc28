"""Locations and settings of the generated department: sized, planned and written."""

from __future__ import annotations

import math
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from parstudio.demo.catalogue import CatalogueItem
from parstudio.demo.history import PlannedSetting, StoreLine
from parstudio.demo.rows import longest_gap, size_levels
from parstudio.domain.enums import WEEKDAYS, CountType
from parstudio.models import ParSetting

_DEPARTMENTS = (
    ("Imaging", "IMG"),
    ("Emergency", "ED"),
    ("Intensive care", "ICU"),
    ("Cardiology", "CAR"),
    ("Oncology", "ONC"),
    ("Surgery", "SUR"),
    ("Medicine", "MED"),
    ("Paediatrics", "PED"),
    ("Maternity", "MAT"),
    ("Orthopaedics", "ORT"),
    ("Neurology", "NEU"),
    ("Renal", "REN"),
)
_PLACES = ("Supply closet", "Procedure room", "Clean utility", "Treatment room", "Cart", "Bay")
_SCHEDULES = (
    "MON,TUE,WED,THU,FRI",
    "MON,WED,FRI",
    "TUE,THU",
    "MON,THU",
    "WED",
    "MON",
    "FRI",
    "MON,TUE,WED,THU,FRI,SAT,SUN",
)


def store_share(settings: int, store_items: int) -> int:
    """How many of the settings are the storeroom's own lines: a tenth, as far as it stocks."""
    return min(store_items, settings // 10)


def plan_locations(rng: random.Random, count: int, user: str) -> list[dict[str, Any]]:
    """The storeroom first, then ``count - 1`` PAR locations of the departments in turn."""
    rows: list[dict[str, Any]] = [
        {
            "code": "CS-STORE",
            "name": "Central supply storeroom",
            "kind": "STOREROOM",
            "department": "Materials management",
            "cost_centre": "MM-1000",
            "default_count_type": "ON HAND",
            "deliveries_per_week": 5,
            "delivery_weekdays": "MON,TUE,WED,THU,FRI",
            "blind_count": False,
            "updated_by": user,
        }
    ]
    for n in range(1, count):
        department, short = _DEPARTMENTS[n % len(_DEPARTMENTS)]
        place = _PLACES[(n // len(_DEPARTMENTS)) % len(_PLACES)]
        weekdays = rng.choice(_SCHEDULES)
        count_type = "ORDER PAR" if place == "Cart" else "ON HAND"
        rows.append(
            {
                "code": f"{short}-{n:03d}",
                "name": f"{department} {place.lower()} {n}",
                "kind": "PAR LOCATION",
                "department": department,
                "cost_centre": f"{short}-{4000 + n % 50}",
                "default_count_type": count_type,
                "deliveries_per_week": len(weekdays.split(",")),
                "delivery_weekdays": weekdays,
                "blind_count": n % 17 == 0,
                "updated_by": user,
            }
        )
    return rows


def plan_settings(
    session: Session,
    rng: random.Random,
    made: list[CatalogueItem],
    item_ids: list[int],
    supplier_ids: dict[str, int],
    location_rows: list[dict[str, Any]],
    location_ids: list[int],
    bin_ids: list[list[int]],
    settings: int,
    user: str,
) -> tuple[list[list[PlannedSetting]], dict[int, StoreLine]]:
    """PAR settings for every PAR location; storeroom lines for what the store supplies."""
    stockable = [i for i, c in enumerate(made) if c.family.store]
    store_items = set(rng.sample(stockable, store_share(settings, len(stockable))))
    store_lines: dict[int, StoreLine] = {
        i: StoreLine(item_id=item_ids[i]) for i in sorted(store_items)
    }
    par_total = settings - len(store_items)
    par_locations = len(location_ids) - 1
    plans: list[list[PlannedSetting]] = [[]]
    population = range(len(made))
    for n in range(1, len(location_ids)):
        size = par_total // par_locations + (1 if n <= par_total % par_locations else 0)
        row_location = location_rows[n]
        gap = longest_gap([WEEKDAYS.index(d) for d in row_location["delivery_weekdays"].split(",")])
        # Counted once a week whatever the delivery days: levels must last a week.
        gap = max(gap, 7)
        two_bin = row_location["default_count_type"] == CountType.ORDER_PAR
        chosen = sorted(rng.sample(population, size))
        bins = bin_ids[n]
        rows: list[dict[str, Any]] = []
        location_plans: list[PlannedSetting] = []
        for position, index in enumerate(chosen):
            family = made[index].family
            weekly = family.weekly * rng.uniform(0.2, 1.2)
            min_max = not two_bin and rng.random() < 0.25
            levels = size_levels(rng, weekly, gap, family.pack_size, min_max=min_max)
            from_store = index in store_items
            rows.append(
                {
                    "location_id": location_ids[n],
                    "item_id": item_ids[index],
                    "bin_id": bins[position * len(bins) // size],
                    "count_type": None,
                    "par_level": None,
                    "min_level": None,
                    "max_level": None,
                    "moq": None,
                    "lot_multiple": None,
                    "rounding": "UP",
                    "storage_capacity": None,
                    "source_supplier_id": None
                    if from_store
                    else supplier_ids[made[index].supplier],
                    "source_location_id": location_ids[0] if from_store else None,
                    "updated_by": user,
                }
                | levels.values
            )
            plan = PlannedSetting(
                item_id=item_ids[index],
                count_type=row_location["default_count_type"],
                method=levels.method,
                par=levels.par,
                min_level=levels.min_level,
                max_level=levels.max_level,
                weekly_usage=weekly,
                seasonal=family.seasonal,
            )
            if from_store:
                line = store_lines[index]
                line.weekly_usage += weekly
                plan.transfers = line.transfers
            location_plans.append(plan)
        for start in range(0, len(rows), 10_000):
            session.execute(insert(ParSetting), rows[start : start + 10_000])
        plans.append(location_plans)
    return plans, store_lines


def store_settings(
    session: Session,
    rng: random.Random,
    made: list[CatalogueItem],
    store_lines: dict[int, StoreLine],
    supplier_ids: dict[str, int],
    store_id: int,
    bins: list[int],
    user: str,
) -> list[PlannedSetting]:
    """The storeroom's MIN/MAX lines, sized to what the PAR locations draw from it."""
    rows: list[dict[str, Any]] = []
    plans: list[PlannedSetting] = []
    for position, (index, line) in enumerate(store_lines.items()):
        # Walk-up issues to departments outside the generated ones keep every line moving.
        weekly = line.weekly_usage + made[index].family.weekly * rng.uniform(0.1, 0.5)
        low = max(2, math.ceil(weekly * 1.6))
        high = low + max(made[index].family.pack_size, math.ceil(weekly * 2))
        rows.append(
            {
                "location_id": store_id,
                "item_id": line.item_id,
                "bin_id": bins[position * len(bins) // len(store_lines)],
                "method": "MIN/MAX",
                "min_level": low,
                "max_level": high,
                "source_supplier_id": supplier_ids[made[index].supplier],
                "updated_by": user,
            }
        )
        plans.append(
            PlannedSetting(
                item_id=line.item_id,
                count_type="ON HAND",
                method="MIN/MAX",
                par=0,
                min_level=low,
                max_level=high,
                weekly_usage=weekly - line.weekly_usage,
                seasonal=made[index].family.seasonal,
                extra_demand=line.transfers,
            )
        )
    for start in range(0, len(rows), 10_000):
        session.execute(insert(ParSetting), rows[start : start + 10_000])
    return plans
