"""A large generated department, for benchmarks: many items, locations, settings and counts.

It reuses the demo department's catalogue, level sizing and history simulation, so the data
looks like the demo's, only much more of it. Each location is counted every
``count_every_weeks`` weeks (default 2) on its first delivery day; the last count is yesterday.

Measured on a 2-core machine with SQLite at the default sizes: counting every two weeks wrote
5.6 million count lines and 4.3 million receipts in 172 s; weekly counts
(``count_every_weeks=1``) wrote 9.7 million count lines and 7.0 million receipts in 247 s
(with another job on the machine), which is why two weeks is the default.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from parstudio.demo.catalogue import COUNTERS, MORE_SUPPLIERS, SUPPLIERS, CatalogueItem, catalogue
from parstudio.demo.department import refuse_unless_empty
from parstudio.demo.families import FAMILIES
from parstudio.demo.history import (
    BulkWriter,
    PlannedSetting,
    StoreLine,
    Tally,
    count_times,
    counting_days,
    insert_counts,
    simulate_location,
    store_bucket_finder,
)
from parstudio.demo.rows import (
    insert_bins,
    insert_items,
    insert_suppliers,
    longest_gap,
    size_levels,
)
from parstudio.domain.enums import WEEKDAYS, CountType
from parstudio.domain.errors import ValidationError
from parstudio.models import Location, ParSetting
from parstudio.services.core.database import Database

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
BINS_PER_LOCATION = 40


@dataclass(frozen=True, slots=True)
class GenerateSummary:
    """What the generator wrote, and how long it took."""

    suppliers: int
    items: int
    barcodes: int
    locations: int
    settings: int
    counts: int
    count_lines: int
    receipts: int
    seconds: float


def generate_department(
    db: Database,
    *,
    items: int = 20_000,
    locations: int = 200,
    settings: int = 100_000,
    weeks: int = 104,
    seed: int = 7,
    today: date | None = None,
    count_every_weeks: int = 2,
    progress: Callable[[str], None] | None = None,
) -> GenerateSummary:
    """Fill an empty database with a large department and ``weeks`` of weekly counts.

    One location is a central storeroom with MIN/MAX lines for a tenth of the settings; the
    other settings are spread evenly over the PAR locations. The catalogue is written in one
    transaction and the history in one transaction per location, so an interrupted run
    leaves a partial database: start again with a new one.
    """
    _check_sizes(items, locations, settings, weeks, count_every_weeks)
    refuse_unless_empty(db, "the generated department")
    began = time.perf_counter()
    say = progress or (lambda _message: None)
    rng = random.Random(seed)
    today = today or date.today()
    suppliers = (*SUPPLIERS, *MORE_SUPPLIERS)
    per_round = sum(len(f.variants) for f in FAMILIES)
    made = catalogue(rng, copies=math.ceil(items / per_round), suppliers=suppliers)[:items]
    tally = Tally()
    say(f"Writing {items:,} items and {locations:,} locations…")
    with db.transaction() as session:
        supplier_ids = insert_suppliers(session, suppliers)
        item_ids = insert_items(session, made, supplier_ids, db.user_name)
        barcodes = sum(len(c.barcodes) for c in made)
        location_rows = _location_rows(rng, locations, db.user_name)
        location_ids = list(
            session.scalars(
                insert(Location).returning(Location.id, sort_by_parameter_order=True),
                location_rows,
            )
        )
        bin_ids = [
            insert_bins(session, location_id, BINS_PER_LOCATION * (5 if n == 0 else 1))
            for n, location_id in enumerate(location_ids)
        ]
        plans, store_lines = _plan(
            session,
            rng,
            made,
            item_ids,
            supplier_ids,
            location_rows,
            location_ids,
            bin_ids,
            settings,
            db.user_name,
        )
    start = today - timedelta(weeks=weeks)
    end = today - timedelta(days=1)
    store_weekday = [WEEKDAYS.index(location_rows[0]["delivery_weekdays"].split(",")[0])]
    store_times = count_times(counting_days(start, end, store_weekday), 90)
    for line in store_lines.values():
        line.transfers.extend([0] * len(store_times))  # in place: PAR plans share the list
    bucket_of = store_bucket_finder(store_times)
    for n in range(1, locations):
        weekday = WEEKDAYS.index(location_rows[n]["delivery_weekdays"].split(",")[0])
        days = counting_days(start, end, [weekday], every_weeks=count_every_weeks)
        times = count_times(days, n % 60)
        with db.transaction() as session:
            writer = BulkWriter(session)
            count_ids = insert_counts(session, location_ids[n], times, COUNTERS)
            simulate_location(
                rng,
                writer,
                location_id=location_ids[n],
                times=times,
                count_ids=count_ids,
                settings=plans[n],
                bucket_of=bucket_of,
                received_by="Supply tech",
                tally=tally,
            )
            writer.flush()
        if n % 10 == 0 or n == locations - 1:
            say(
                f"History of location {n:,} of {locations - 1:,}: {tally.count_lines:,} count "
                f"lines, {tally.receipts:,} receipts ({time.perf_counter() - began:.0f} s)"
            )
    with db.transaction() as session:
        store_plans = _store_settings(
            session,
            rng,
            made,
            store_lines,
            supplier_ids,
            location_ids[0],
            bin_ids[0],
            db.user_name,
        )
        writer = BulkWriter(session)
        count_ids = insert_counts(session, location_ids[0], store_times, COUNTERS)
        simulate_location(
            rng,
            writer,
            location_id=location_ids[0],
            times=store_times,
            count_ids=count_ids,
            settings=store_plans,
            received_by="Receiving dock",
            tally=tally,
        )
        writer.flush()
    seconds = time.perf_counter() - began
    say(f"Done in {seconds:.0f} s.")
    return GenerateSummary(
        suppliers=len(suppliers),
        items=len(item_ids),
        barcodes=barcodes,
        locations=locations,
        settings=sum(len(p) for p in plans) + len(store_plans),
        counts=tally.counts,
        count_lines=tally.count_lines,
        receipts=tally.receipts,
        seconds=seconds,
    )


def store_share(settings: int, store_items: int) -> int:
    """How many of the settings are the storeroom's own lines: a tenth, as far as it stocks."""
    return min(store_items, settings // 10)


def _check_sizes(items: int, locations: int, settings: int, weeks: int, every: int) -> None:
    if items < 1 or weeks < 1 or every < 1:
        raise ValidationError("Items, weeks and the counting interval must be at least 1.")
    if locations < 2:
        raise ValidationError("A generated department needs a storeroom and a PAR location.")
    store_items = sum(len(f.variants) for f in FAMILIES if f.store) * math.ceil(
        items / sum(len(f.variants) for f in FAMILIES)
    )
    par = settings - store_share(settings, min(store_items, items))
    if math.ceil(par / (locations - 1)) > items:
        raise ValidationError(
            f"{settings:,} settings do not fit: {locations - 1:,} PAR locations can hold at "
            f"most {items:,} items each.",
            field="settings",
        )


def _location_rows(rng: random.Random, count: int, user: str) -> list[dict[str, Any]]:
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


def _plan(
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


def _store_settings(
    session: Session,
    rng: random.Random,
    made: list[CatalogueItem],
    store_lines: dict[int, StoreLine],
    supplier_ids: dict[str, int],
    store_id: int,
    bins: list[int],
    user: str,
) -> list[PlannedSetting]:
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
