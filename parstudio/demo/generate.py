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

from sqlalchemy import insert

from parstudio.demo.catalogue import COUNTERS, MORE_SUPPLIERS, SUPPLIERS, catalogue
from parstudio.demo.department import refuse_unless_empty
from parstudio.demo.families import FAMILIES
from parstudio.demo.generated_plan import (
    plan_locations,
    plan_settings,
    store_settings,
    store_share,
)
from parstudio.demo.history import (
    BulkWriter,
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
)
from parstudio.domain.enums import WEEKDAYS
from parstudio.domain.errors import ValidationError
from parstudio.models import Location
from parstudio.services.core.database import Database

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
        location_rows = plan_locations(rng, locations, db.user_name)
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
        plans, store_lines = plan_settings(
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
        store_plans = store_settings(
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
