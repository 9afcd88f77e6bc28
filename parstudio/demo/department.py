"""The demo department: a realistic imaging department with a year of counts and receipts."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from parstudio.demo.cases import add_cases
from parstudio.demo.catalogue import (
    COUNTERS,
    PAR_LOCATIONS,
    STOREROOM,
    TWO_BIN_FAMILIES,
    CatalogueItem,
    catalogue,
)
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
from parstudio.demo.rebalance_stock import add_stock_to_rebalance
from parstudio.demo.rows import (
    insert_bins,
    insert_items,
    insert_suppliers,
    longest_gap,
    size_levels,
)
from parstudio.demo.waste_and_rush import add_waste_and_rush_orders
from parstudio.domain.enums import CountType, weekday_numbers
from parstudio.domain.errors import ParStudioError
from parstudio.domain.progress import Progress, no_progress
from parstudio.models import (
    Barcode,
    Bin,
    Count,
    CountLine,
    Item,
    Location,
    ParSetting,
    PatientCase,
    Receipt,
    Supplier,
    UseLine,
)
from parstudio.services.core.database import Database

DEPARTMENT = "Imaging"
HISTORY_WEEKS = 52


class DatabaseNotEmptyError(ParStudioError):
    """The demo department is only ever put into an empty database."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What the demo department holds."""

    suppliers: int
    items: int
    barcodes: int
    locations: int
    bins: int
    settings: int
    counts: int
    count_lines: int
    receipts: int
    cases: int = 0
    use_lines: int = 0


# --- building -----------------------------------------------------------------------------------


def is_empty(db: Database) -> bool:
    """Whether the database holds no suppliers, items, locations or counts yet."""
    with db.reading() as session:
        return all(
            not session.scalar(select(func.count()).select_from(table))
            for table in (Item, Supplier, Location, Count)
        )


def refuse_unless_empty(db: Database, what: str) -> None:
    """Raise DatabaseNotEmptyError when the database already holds data."""
    if is_empty(db):
        return
    with db.reading() as session:
        items = session.scalar(select(func.count(Item.id))) or 0
        places = session.scalar(select(func.count(Location.id))) or 0
    raise DatabaseNotEmptyError(
        f"This database already holds data ({items} items, {places} locations), so {what} "
        "was not added: it would mix with what is there. Open a new, empty database "
        "(for example with “parstudio demo”, which uses its own demo file) and try again."
    )


def build_demo(
    db: Database, *, seed: int = 2026, today: date | None = None, progress: Progress | None = None
) -> DemoSummary:
    """Fill an empty database with the Imaging demo department and a year of history.

    ``progress`` is told (n, locations + 2) as each location's year is simulated.
    """
    report = progress or no_progress
    steps = len(PAR_LOCATIONS) + 2
    refuse_unless_empty(db, "the demo department")
    rng = random.Random(seed)
    lot_rng = random.Random(seed + 1)  # its own stream: lots leave the rest of the demo alone
    today = today or date.today()
    tally = Tally()
    with db.transaction() as session:
        supplier_ids = insert_suppliers(session)
        items = catalogue(rng)
        item_ids = insert_items(session, items, supplier_ids, db.user_name)
        location_ids = _insert_locations(session, db.user_name)
        bin_ids = {
            spec.code: insert_bins(session, location_ids[spec.code], spec.bins)
            for spec in (STOREROOM, *PAR_LOCATIONS)
        }
        plans, store_lines = _plan_settings(
            session, rng, items, item_ids, supplier_ids, location_ids, bin_ids, db.user_name
        )
        writer = BulkWriter(session)
        start = today - timedelta(weeks=HISTORY_WEEKS)
        end = today - timedelta(days=1)
        store_days = counting_days(start, end, [0])
        store_times = count_times(store_days, 90)
        bucket_of = store_bucket_finder(store_times)
        for line in store_lines.values():
            line.transfers.extend([0] * len(store_times))  # in place: PAR plans share the list
        for offset, spec in enumerate(PAR_LOCATIONS):
            report(offset, steps)
            days = counting_days(start, end, weekday_numbers(spec.weekdays))
            times = count_times(days, 5 * offset)
            count_ids = insert_counts(session, location_ids[spec.code], times, COUNTERS)
            simulate_location(
                rng,
                writer,
                location_id=location_ids[spec.code],
                times=times,
                count_ids=count_ids,
                settings=plans[spec.code],
                bucket_of=bucket_of,
                received_by="Storeroom runner",
                tally=tally,
                lot_rng=lot_rng,
            )
        store_plans = _store_plans(
            session, store_lines, location_ids, bin_ids, supplier_ids, items, item_ids, db.user_name
        )
        report(len(PAR_LOCATIONS), steps)
        count_ids = insert_counts(session, location_ids["STORE"], store_times, COUNTERS)
        simulate_location(
            rng,
            writer,
            location_id=location_ids["STORE"],
            times=store_times,
            count_ids=count_ids,
            settings=store_plans,
            received_by="Receiving dock",
            tally=tally,
            lot_rng=lot_rng,
        )
        writer.flush()
        add_waste_and_rush_orders(
            session, random.Random(seed + 2), first=start, last=end, user=db.user_name
        )
        weekly = {
            (location_ids[code], plan.item_id): Decimal(str(plan.weekly_usage))
            for code, planned in plans.items()
            for plan in planned
        }
        add_stock_to_rebalance(session, today=today, weekly=weekly)
        add_cases(session, random.Random(seed + 3), today=today, user=db.user_name)
        return _summary(session)


def _insert_locations(session: Session, user: str) -> dict[str, int]:
    store = {
        "code": STOREROOM.code,
        "name": STOREROOM.name,
        "kind": "STOREROOM",
        "department": DEPARTMENT,
        "cost_centre": STOREROOM.cost_centre,
        "default_count_type": "ON HAND",
        "deliveries_per_week": 1,
        "delivery_weekdays": STOREROOM.weekdays,
        "delivery_address": "Imaging department, level B1, room B1.114",
        "updated_by": user,
    }
    store_id = session.execute(insert(Location).values(store).returning(Location.id)).scalar_one()
    rows = [
        {
            "code": spec.code,
            "name": spec.name,
            "kind": "PAR LOCATION",
            "department": DEPARTMENT,
            "cost_centre": spec.cost_centre,
            "parent_id": None,
            "default_count_type": spec.count_type,
            "deliveries_per_week": spec.deliveries_per_week,
            "delivery_weekdays": spec.weekdays,
            "blind_count": spec.blind_count,
            "delivery_address": f"Imaging department, {spec.name}",
            "updated_by": user,
        }
        for spec in PAR_LOCATIONS
    ]
    ids = session.scalars(
        insert(Location).returning(Location.id, sort_by_parameter_order=True), rows
    )
    return {"STORE": store_id} | dict(zip((s.code for s in PAR_LOCATIONS), ids, strict=True))


def _plan_settings(
    session: Session,
    rng: random.Random,
    items: Sequence[CatalogueItem],
    item_ids: Sequence[int],
    supplier_ids: dict[str, int],
    location_ids: dict[str, int],
    bin_ids: dict[str, list[int]],
    user: str,
) -> tuple[dict[str, list[PlannedSetting]], dict[int, StoreLine]]:
    plans: dict[str, list[PlannedSetting]] = {}
    store_lines: dict[int, StoreLine] = {}
    rows: list[dict[str, Any]] = []
    skipped = {"CT1": 7, "US1": 3, "MRI1": 11}  # lines left out of the latest count
    for spec in PAR_LOCATIONS:
        gap = longest_gap(weekday_numbers(spec.weekdays))
        pool = [i for i, c in enumerate(items) if spec.code in c.family.where.split()]
        size = min(len(pool), rng.randint(*spec.settings))
        chosen = sorted(rng.sample(pool, size), key=lambda i: (items[i].family.category, i))
        plans[spec.code] = []
        for position, index in enumerate(chosen):
            item = items[index]
            family = item.family
            two_bin = family.prefix in TWO_BIN_FAMILIES
            busy = 1.0 if two_bin and spec.count_type == CountType.ORDER_PAR else spec.busy
            weekly = family.weekly * busy * rng.uniform(0.5, 1.5)
            count_type = spec.count_type
            override: str | None = None
            if spec.count_type == CountType.ORDER_PAR and not two_bin:
                override = "ON HAND"  # bulk supplies on the cart are counted, not two-bin
            elif spec.code in ("CT1", "CT2") and family.category == "Contrast media":
                override = "ORDER QTY" if rng.random() < 0.5 else None  # contrast requisition
            elif spec.code == "XR1" and family.prefix == "LAC":
                override = "NOT COUNTED"
            count_type = override or count_type
            min_max = count_type == CountType.ON_HAND and rng.random() < 0.25
            levels = size_levels(rng, weekly, gap, family.pack_size, min_max=min_max)
            from_store = family.store
            row = {
                "location_id": location_ids[spec.code],
                "item_id": item_ids[index],
                "bin_id": bin_ids[spec.code][position % len(bin_ids[spec.code])],
                "count_type": override,
                "par_level": None,
                "min_level": None,
                "max_level": None,
                "moq": None,
                "lot_multiple": None,
                "rounding": "UP",
                "storage_capacity": None,
                "source_supplier_id": None if from_store else supplier_ids[item.supplier],
                "source_location_id": location_ids["STORE"] if from_store else None,
                "updated_by": user,
            } | levels.values
            rows.append(row)
            plan = PlannedSetting(
                item_id=item_ids[index],
                count_type=count_type,
                method=levels.method,
                par=levels.par,
                min_level=levels.min_level,
                max_level=levels.max_level,
                weekly_usage=weekly,
                seasonal=family.seasonal,
                shelf_life_days=family.shelf_life_days,
                skip_last=position == skipped.get(spec.code, -1),
            )
            if from_store:
                line = store_lines.setdefault(index, StoreLine(item_id=item_ids[index]))
                line.weekly_usage += weekly
                plan.transfers = line.transfers
            plans[spec.code].append(plan)
    session.execute(insert(ParSetting), rows)
    return plans, store_lines


def _store_plans(
    session: Session,
    store_lines: dict[int, StoreLine],
    location_ids: dict[str, int],
    bin_ids: dict[str, list[int]],
    supplier_ids: dict[str, int],
    items: Sequence[CatalogueItem],
    item_ids: Sequence[int],
    user: str,
) -> list[PlannedSetting]:
    """MIN/MAX lines at the storeroom for what it supplies, sized from the PAR lines' usage."""
    plans: list[PlannedSetting] = []
    rows: list[dict[str, Any]] = []
    bins = bin_ids["STORE"]
    for position, (index, line) in enumerate(sorted(store_lines.items())):
        family = items[index].family
        low = max(1, math.ceil(line.weekly_usage * 1.6))
        high = low + max(family.pack_size, math.ceil(line.weekly_usage * 2))
        rows.append(
            {
                "location_id": location_ids["STORE"],
                "item_id": item_ids[index],
                "bin_id": bins[position % len(bins)],
                "method": "MIN/MAX",
                "min_level": Decimal(low),
                "max_level": Decimal(high),
                "lot_multiple": None,
                "source_supplier_id": supplier_ids[items[index].supplier],
                "updated_by": user,
            }
        )
        # Other departments draw on the storeroom too, beyond its transfers to Imaging.
        plans.append(
            PlannedSetting(
                item_id=line.item_id,
                count_type="ON HAND",
                method="MIN/MAX",
                par=0,
                min_level=low,
                max_level=high,
                weekly_usage=line.weekly_usage * 0.2,
                seasonal=family.seasonal,
                extra_demand=line.transfers,
            )
        )
    session.execute(insert(ParSetting), rows)
    return plans


def _summary(session: Session) -> DemoSummary:
    def rows(table: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)

    return DemoSummary(
        suppliers=rows(Supplier),
        items=rows(Item),
        barcodes=rows(Barcode),
        locations=rows(Location),
        bins=rows(Bin),
        settings=rows(ParSetting),
        counts=rows(Count),
        count_lines=rows(CountLine),
        receipts=rows(Receipt),
        cases=rows(PatientCase),
        use_lines=rows(UseLine),
    )
