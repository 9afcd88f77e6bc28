"""Synthetic count and receipt history, shared by the demo department and the large generator.

A setting's stock is simulated between counts: usage is drawn around its mean (with noise,
seasonality and the odd spike), staff record what is left, and a receipt a day later refills
the line. Every row is then consistent with ``usage = previous count + received − this count``.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from parstudio.domain.enums import CountType, Method
from parstudio.models import Count, CountLine, Receipt, Scan

CHUNK_ROWS = 10_000
COUNT_TIME = time(7, 0, tzinfo=UTC)
RECEIPT_TIME = time(5, 0, tzinfo=UTC)

# Usage by month: everything dips in summer (holidays, fewer elective scans); "seasonal"
# items (IV sets, gloves, gowns, masks…) also climb through the respiratory/flu season.
_SUMMER = {6: 0.9, 7: 0.84, 8: 0.88}
_FLU = {11: 1.12, 12: 1.32, 1: 1.4, 2: 1.3, 3: 1.1}


def season_factor(day: date, *, seasonal: bool) -> float:
    """How much busier than average a day is for an item."""
    factor = _SUMMER.get(day.month, 1.0)
    if seasonal:
        factor *= _FLU.get(day.month, 1.0)
    return factor


def draw_usage(rng: random.Random, mean: float) -> int:
    """Units used over an interval whose average is ``mean``: over-dispersed Poisson-like."""
    if mean <= 0:
        return 0
    mean *= rng.lognormvariate(0.0, 0.15)
    if rng.random() < 0.02:
        mean *= 2.5  # a busy week: an outbreak, a list of add-on scans
    if mean < 12:
        limit, k, product = math.exp(-mean), 0, rng.random()
        while product > limit:
            k += 1
            product *= rng.random()
        return k
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


@dataclass(slots=True)
class PlannedSetting:
    """One PAR setting as the simulator sees it: levels, usage and where its receipts go."""

    item_id: int
    count_type: str
    method: str
    par: int
    min_level: int
    max_level: int
    weekly_usage: float
    seasonal: bool = False
    transfers: list[int] | None = None  # a storeroom line's buckets this line draws from
    extra_demand: list[int] | None = None  # a storeroom line: transfers out, per count
    skip_last: bool = False
    shelf_life_days: int | None = None


@dataclass(slots=True)
class Tally:
    """Rows written so far."""

    counts: int = 0
    count_lines: int = 0
    receipts: int = 0
    zero_counts: int = 0


class BulkWriter:
    """Collects rows per table and inserts them with Core executemany in chunks."""

    def __init__(self, session: Session, *, chunk: int = CHUNK_ROWS) -> None:
        self.session = session
        self.chunk = chunk
        self._rows: dict[str, list[dict[str, Any]]] = {}
        self._tables: dict[str, Table] = {}

    def add(self, table: Table, row: dict[str, Any]) -> None:
        """Queue a row; the table is written whenever a chunk is full."""
        rows = self._rows.setdefault(table.name, [])
        self._tables[table.name] = table
        rows.append(row)
        if len(rows) >= self.chunk:
            self.flush(table.name)

    def flush(self, name: str | None = None) -> None:
        """Write the queued rows of one table, or of all."""
        for table_name in [name] if name else list(self._rows):
            rows = self._rows.get(table_name)
            if rows:
                self.session.execute(insert(self._tables[table_name]), rows)
                self._rows[table_name] = []


def counting_days(
    start: date, end: date, weekdays: Sequence[int], *, every_weeks: int = 1
) -> list[date]:
    """The days from ``start`` to ``end`` (inclusive) on the given weekdays (Mon = 0).

    With ``every_weeks`` > 1 only every n-th week counts. The last day is always ``end``
    itself: the latest count, on which the next proposal is computed.
    """
    days: list[date] = []
    day = start
    monday = start - timedelta(days=start.weekday())
    while day < end:
        week = (day - monday).days // 7
        if day.weekday() in weekdays and week % every_weeks == 0:
            days.append(day)
        day += timedelta(days=1)
    days.append(end)
    return days


def count_times(days: Sequence[date], offset_minutes: int) -> list[datetime]:
    """When each count started: early morning UTC, a few minutes apart between locations."""
    return [datetime.combine(d, COUNT_TIME) + timedelta(minutes=offset_minutes) for d in days]


def insert_counts(
    session: Session, location_id: int, times: Sequence[datetime], counters: Sequence[str]
) -> list[int]:
    """Insert one finished count per time; returns their ids in order."""
    rows = [
        {
            "location_id": location_id,
            "started_at": started,
            "finished_at": started + timedelta(minutes=25),
            "counted_by": counters[i % len(counters)],
            "source": "SCREEN",
        }
        for i, started in enumerate(times)
    ]
    statement = insert(Count).returning(Count.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))


def simulate_location(
    rng: random.Random,
    writer: BulkWriter,
    *,
    location_id: int,
    times: Sequence[datetime],
    count_ids: Sequence[int],
    settings: Sequence[PlannedSetting],
    bucket_of: Callable[[datetime], int] | None = None,
    received_by: str = "Supply tech",
    tally: Tally,
    lot_rng: random.Random | None = None,
) -> None:
    """Simulate every setting of one location over its counts and queue the rows.

    A receipt follows every count but the last one (whose order is the pending proposal).
    Receipts of lines supplied by a storeroom are added to the storeroom's transfer buckets.
    With `lot_rng`, a share of the settings of items with a shelf life track their lots.
    """
    line_table = CountLine.__table__
    receipt_table = Receipt.__table__
    scan_table = Scan.__table__
    assert isinstance(line_table, Table) and isinstance(receipt_table, Table)
    assert isinstance(scan_table, Table)
    last = len(times) - 1
    intervals = [7.0] + [
        (times[k] - times[k - 1]).total_seconds() / 86_400 for k in range(1, len(times))
    ]
    received_at = [datetime.combine(t.date() + timedelta(days=1), RECEIPT_TIME) for t in times]
    buckets = [bucket_of(t) for t in received_at] if bucket_of else None
    tally.counts += len(times)
    for position, plan in enumerate(settings):
        two_bin = plan.count_type == CountType.ORDER_PAR
        stock = plan.par * 2 if two_bin else (plan.par or plan.max_level)
        daily = plan.weekly_usage / 7.0
        shelf = Shelf.maybe(lot_rng, plan, times[0].date(), stock)
        for k, started in enumerate(times):
            mean = daily * intervals[k] * season_factor(started.date(), seasonal=plan.seasonal)
            demand = draw_usage(rng, mean)
            if plan.extra_demand is not None:
                demand += plan.extra_demand[k]
            stock = max(0, stock - demand)
            if shelf:
                shelf.use(demand)
            order = _order(plan, stock, two_bin)
            quantity = _recorded(plan, stock, order, two_bin)
            recorded = started + timedelta(seconds=15 * position)
            if quantity is not None and not (k == last and plan.skip_last):
                writer.add(
                    line_table,
                    {
                        "count_id": count_ids[k],
                        "location_id": location_id,
                        "item_id": plan.item_id,
                        "count_type": plan.count_type,
                        "quantity": quantity,
                        "recorded_at": recorded,
                        "recorded_by": None,
                    }
                    | (shelf.oldest() if shelf and quantity else NO_LOT),
                )
                tally.count_lines += 1
                if shelf and quantity and k == last:
                    for row in shelf.scans(count_ids[k], plan.item_id, recorded):
                        writer.add(scan_table, row)
                if quantity == 0 and plan.count_type == CountType.ON_HAND:
                    tally.zero_counts += 1
            if k == last or order <= 0:
                continue
            stock += order
            received = shelf.receive(received_at[k].date(), order) if shelf else NO_LOT
            writer.add(
                receipt_table,
                {
                    "location_id": location_id,
                    "item_id": plan.item_id,
                    "quantity": order,
                    "received_at": received_at[k],
                    "received_by": received_by,
                }
                | received,
            )
            tally.receipts += 1
            if plan.transfers is not None and buckets is not None:
                bucket = buckets[k]
                if bucket < len(plan.transfers):
                    plan.transfers[bucket] += order


NO_LOT: dict[str, Any] = {"lot": None, "expiry": None}


class Shelf:
    """The lots of one setting on the shelf, used in the order they came (FIFO)."""

    SHARE = 0.6  # of the settings of items with a shelf life whose counts record lots

    def __init__(self, rng: random.Random, shelf_life: int, day: date, stock: int) -> None:
        self.rng = rng
        self.shelf_life = shelf_life
        self.lots: list[list[Any]] = []  # [lot, expiry, units left]
        self.receive(day - timedelta(days=7), stock)

    @classmethod
    def maybe(
        cls, rng: random.Random | None, plan: PlannedSetting, day: date, stock: int
    ) -> Shelf | None:
        """A shelf for a setting that records lots, or None."""
        if rng is None or not plan.shelf_life_days or plan.count_type != CountType.ON_HAND:
            return None
        if rng.random() >= cls.SHARE:
            return None
        return cls(rng, plan.shelf_life_days, day, stock)

    def receive(self, day: date, units: int) -> dict[str, Any]:
        """A new lot arrives; most are long-dated, some short-dated (as deliveries are)."""
        if self.rng.random() < 0.25:
            left = self.rng.randint(20, 100)
        else:
            left = self.rng.randint(self.shelf_life // 3, self.shelf_life)
        lot = f"{day:%y%m}{self.rng.randint(100, 999)}"
        expiry = day + timedelta(days=left)
        self.lots.append([lot, expiry, units])
        return {"lot": lot, "expiry": expiry}

    def use(self, units: int) -> None:
        """Take units off the oldest lots first."""
        while units > 0 and self.lots:
            taken = min(units, self.lots[0][2])
            self.lots[0][2] -= taken
            units -= taken
            if self.lots[0][2] == 0:
                self.lots.pop(0)

    def oldest(self) -> dict[str, Any]:
        """The lot a counter notes on the line: the one on the shelf expiring first."""
        if not self.lots:
            return NO_LOT
        lot, expiry, _units = min(self.lots, key=lambda entry: entry[1])
        return {"lot": lot, "expiry": expiry}

    def scans(self, count_id: int, item_id: int, moment: datetime) -> list[dict[str, Any]]:
        """The scans of the lots on the shelf that make up a line, when there are two or more."""
        held = [entry for entry in self.lots if entry[2] > 0]
        if len(held) < 2:
            return []
        rows: list[dict[str, Any]] = []
        running = 0
        for lot, expiry, units in held:
            rows.append(
                {
                    "count_id": count_id,
                    "kind": "ITEM",
                    "raw": f"(17){expiry:%y%m%d}(10){lot}",
                    "code": None,
                    "item_id": item_id,
                    "lot": lot,
                    "expiry": expiry,
                    "serial": None,
                    "quantity_before": running or None,
                    "quantity_after": running + units,
                    "recorded_at": moment,
                    "recorded_by": None,
                    "undone": False,
                    "flag": None,
                    "message": None,
                }
            )
            running += units
        return rows


def _order(plan: PlannedSetting, stock: int, two_bin: bool) -> int:
    """What the supply office sends after a count: a refill to PAR (or to Max under Min)."""
    if two_bin:
        return plan.par if stock <= plan.par else 0
    if plan.method == Method.MIN_MAX:
        return plan.max_level - stock if stock < plan.min_level else 0
    return max(0, plan.par - stock)


def _recorded(plan: PlannedSetting, stock: int, order: int, two_bin: bool) -> int | None:
    """What staff write on the count line, by its count type (None: nothing recorded)."""
    if two_bin:
        return 1 if order else None
    if plan.count_type == CountType.ORDER_QTY:
        return order or None
    if plan.count_type == CountType.NOT_COUNTED:
        return None
    return stock


def store_bucket_finder(times: Sequence[datetime]) -> Callable[[datetime], int]:
    """Map a transfer time to the storeroom count that first sees it gone."""

    def find(moment: datetime) -> int:
        return bisect_left(times, moment)

    return find


@dataclass(slots=True)
class StoreLine:
    """A storeroom line being assembled from the PAR lines it supplies."""

    item_id: int
    weekly_usage: float = 0.0
    transfers: list[int] = field(default_factory=list)
