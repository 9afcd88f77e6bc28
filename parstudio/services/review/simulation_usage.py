"""The daily usage a what-if replays, read in bulk.

The same series the review's reader gives (services/review/usage.py, then
domain/simulation_series.daily_series), worked out in whole hundredths from the rows as the
driver returns them: a year of a large location is hundreds of thousands of counts and
receipts, too many to turn each into an aware datetime and a Decimal first. A line whose
figures do not fit that (a quantity finer than a hundredth, a time not in UTC) or that issued
stock (a storeroom's line) is read through the review's own reader instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from parstudio.domain.simulation_series import (
    DailySeries,
    Exact,
    daily_series,
    daily_series_exact,
)
from parstudio.models import Location
from parstudio.services.core.database import Database
from parstudio.services.review.usage import events_query, issues_query, stock_events

LOOKBACK_DAYS = 35
"""How far before the period a count is looked for, to start the replay from."""
CHUNK = 500
"""Lines whose usage is handed on together to be replayed."""


def read_series(
    db: Database,
    *,
    first: date,
    last: date,
    setting_ids: Sequence[int] | None = None,
    location_ids: Sequence[int] | None = None,
    wanted: Sequence[int],
    ready: Callable[[dict[int, DailySeries | None]], None] | None = None,
) -> dict[int, DailySeries | None]:
    """The daily usage from ``first`` to ``last`` of the ``wanted`` settings (those chosen by
    ``setting_ids`` or ``location_ids``); ``ready`` is given each chunk of them as soon as it
    is worked out (so it can be replayed while the rest is)."""
    since = first - timedelta(days=LOOKBACK_DAYS)
    rows: dict[int, list[Exact]] = defaultdict(list)
    unfit: set[int] = set()
    with db.reading() as session:
        query = events_query(
            datetime.combine(since, time(0), tzinfo=UTC),
            datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC),
            setting_ids=setting_ids,
            location_ids=location_ids,
        )
        # The driver's own rows: every column is read raw (see events_query), so a Row object
        # per row would only be thrown away.
        result = session.connection().execute(query)
        found = result.cursor.fetchall()
        result.close()
        parse = datetime.fromisoformat
        for setting_id, at, quantity, is_count in found:
            if setting_id in unfit:
                continue
            if type(at) is str and type(quantity) is int:
                # SQLite's usual row, kept short: a time in UTC as text, a whole quantity.
                moment = parse(at)
                if moment.tzinfo is None:
                    rows[setting_id].append((moment, quantity * 100, bool(is_count), quantity))
                    continue
            event = _exact(at, quantity, is_count)
            if event is None:
                unfit.add(setting_id)
            else:
                rows[setting_id].append(event)
        storerooms = select(Location.id).where(Location.kind == "STOREROOM")
        if location_ids is not None:
            storerooms = storerooms.where(Location.id.in_(list(location_ids)))
        storeroom_ids = list(session.scalars(storerooms))
        if storeroom_ids:
            issued = issues_query(since, last, storeroom_ids=storeroom_ids, setting_ids=setting_ids)
            unfit.update(row[0] for row in session.execute(issued))
    series: dict[int, DailySeries | None] = {}
    fit = [setting_id for setting_id in wanted if setting_id not in unfit]
    for start in range(0, len(fit), CHUNK):
        chunk = {
            setting_id: daily_series_exact(
                rows.pop(setting_id, ()), first=first, last=last, on_hand=_decimal
            )
            for setting_id in fit[start : start + CHUNK]
        }
        series.update(chunk)
        if ready is not None:
            ready(chunk)
    slow = [setting_id for setting_id in wanted if setting_id in unfit]
    if slow:
        events, issues, _wanted = stock_events(db, first=since, through=last, setting_ids=slow)
        chunk = {
            setting_id: daily_series(
                events.get(setting_id, ()),
                first=first,
                last=last,
                issues=[e for e in issues.get(setting_id, ()) if e.at.date() >= first],
            )
            for setting_id in slow
        }
        series.update(chunk)
        if ready is not None:
            ready(chunk)
    return series


def _exact(at: object, quantity: object, is_count: object) -> Exact | None:
    """A row as ``daily_series_exact`` takes it, or None when it does not fit (SQLite gives
    times as text and numbers as int or float; PostgreSQL datetimes and Decimals)."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if not isinstance(at, datetime):
        return None
    if at.tzinfo is not None:
        if at.utcoffset():
            return None
        at = at.replace(tzinfo=None)
    if isinstance(quantity, int):
        hundredths = quantity * 100
    elif isinstance(quantity, float):
        try:
            hundredths = round(quantity * 100)
        except (OverflowError, ValueError):
            return None
        if hundredths / 100 != quantity:
            return None
    elif isinstance(quantity, Decimal):
        scaled = quantity * 100
        if not scaled.is_finite() or scaled != scaled.to_integral_value():
            return None
        hundredths = int(scaled)
    else:
        return None
    return at, hundredths, bool(is_count), quantity


def _decimal(quantity: object) -> Decimal:
    """The opening count as the review's reader has it."""
    return quantity if isinstance(quantity, Decimal) else Decimal(str(quantity))
