"""The counts of a worksheet's Count column: when they were taken, and recording each once.

A count carries its date: the Counted On cell (a date alone is the start of that day, local
time: a count of that day is then older than any order placed that day, never newer), else the
time of the import. A count already in the database (same location, item, quantity and local
day) is not recorded again, so applying the same file twice records its counts once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from parstudio.domain.worksheet import WorksheetRow
from parstudio.models import Count, CountLine
from parstudio.services.core.store import chunks
from parstudio.services.worksheets.context import (
    BATCH,
    WORKSHEET_SOURCE,
    Context,
    Plan,
)


def count_time(counted_on: datetime | None, now: datetime) -> datetime:
    """When a count was taken, aware UTC: its Counted On (local time), else the import's time."""
    if counted_on is None:
        return now
    return counted_on.astimezone(UTC)  # a naive time is the user's local time


def _day(at: datetime) -> date:
    return at.astimezone().date()


def drop_recorded_counts(session: Session, plan: Plan, context: Context) -> set[tuple[str, int]]:
    """Take the counts already recorded out of the plan; their (sheet, row)."""
    # (location id, item id) → the count's place in plan.counts: a file names each line once.
    wanted: dict[tuple[int, int], int] = {}
    for index, (row, _count_type, _at) in enumerate(plan.counts):
        location = context.locations.get(row.location.lower())
        item = context.items.get(row.item_code)
        if location is not None and item is not None:
            wanted[(location[0], item.id)] = index
    if not wanted:
        return set()
    times = [plan.counts[place][2] for place in wanted.values()]
    low, high = min(times) - timedelta(days=1), max(times) + timedelta(days=1)
    location_ids = sorted({location for location, _item in wanted})
    done: set[int] = set()
    for items in chunks(sorted({item for _location, item in wanted})):
        query = select(
            CountLine.location_id, CountLine.item_id, CountLine.quantity, CountLine.recorded_at
        ).where(
            CountLine.item_id.in_(items),
            CountLine.recorded_at >= low,
            CountLine.recorded_at < high,
        )
        if len(location_ids) <= BATCH:
            query = query.where(CountLine.location_id.in_(location_ids))
        for location_id, item_id, quantity, at in session.execute(query):
            found = wanted.get((location_id, item_id))
            if found is None or found in done:
                continue
            row, _count_type, when = plan.counts[found]
            if row.count == quantity and _day(at) == _day(when):
                done.add(found)
    if not done:
        return set()
    recorded = {(plan.counts[i][0].sheet, plan.counts[i][0].row) for i in done}
    plan.counts = [count for i, count in enumerate(plan.counts) if i not in done]
    return recorded


def record_counts(
    session: Session,
    plan: Plan,
    context: Context,
    item_ids: dict[str, int],
    user: str,
) -> None:
    """One count per location and time, marked as from a worksheet, with the plan's lines."""
    by_count: dict[tuple[int, datetime], list[tuple[WorksheetRow, str]]] = defaultdict(list)
    for row, count_type, at in plan.counts:
        location_id = context.locations[row.location.lower()][0]
        by_count[(location_id, at)].append((row, count_type))
    for (location_id, at), entries in by_count.items():
        count_id = session.execute(
            insert(Count)
            .values(
                location_id=location_id,
                started_at=at,
                finished_at=at,
                counted_by=user,
                source=WORKSHEET_SOURCE,
            )
            .returning(Count.id)
        ).scalar_one()
        lines = [
            {
                "count_id": count_id,
                "location_id": location_id,
                "item_id": item_ids[row.item_code],
                "count_type": count_type,
                "quantity": row.count,
                "recorded_at": at,
                "recorded_by": user,
            }
            for row, count_type in entries
        ]
        for batch in chunks(lines):
            session.execute(insert(CountLine), batch)
