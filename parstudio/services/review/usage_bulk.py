"""Usage histories of whole locations, read in bulk and worked out in whole numbers.

The same histories ``usage_histories`` gives (services/review/usage.py, then
domain/usage.build_history), as ``UsageFigures``: the driver's own rows are grouped by setting
and handed to ``domain/usage_exact`` as they are (SQLite's text times order as the times do,
whole quantities are whole numbers), so a location's million counts and receipts are never made
into aware datetimes, Decimals and ``StockEvent``s. A setting whose rows do not fit that (a
time written another way, a quantity finer than 1/10 000, a storeroom line that issued stock)
or whose rounding the exact sums cannot vouch for is worked out by ``build_history`` as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import select

from parstudio.domain.usage import StockEvent, build_history
from parstudio.domain.usage_exact import UsageFigures, figures_of, usage_figures
from parstudio.models import ParSetting
from parstudio.services.core.database import Database
from parstudio.services.review.usage import (
    MAX_MONTHS,
    Values,
    aware_moment,
    events_query,
    history_start,
    issue_event,
    issues_query,
    stock_event,
    storerooms_among,
)

SCALE = 10_000
"""Quantities are kept to four places: in whole ten-thousandths they are whole numbers."""
_FETCH = 20_000
_AT = itemgetter(1)
_QUANTITY = itemgetter(2)
_DATE_PART = itemgetter(slice(0, 10))
_SPACE = itemgetter(10)
_POINT = itemgetter(19)
_TAG = itemgetter(0)


class _Days(dict[str, int]):
    """The ordinal of a day written "YYYY-MM-DD", worked out once per day."""

    def __missing__(self, text: str) -> int:
        day = self[text] = date.fromisoformat(text).toordinal()
        return day


def usage_by_location(
    db: Database,
    *,
    location_ids: Sequence[int],
    through: date,
    months: int = MAX_MONTHS,
    with_weeks: bool = True,
    with_months: bool = True,
    with_deliveries: bool = True,
) -> dict[int, UsageFigures]:
    """The usage history of every setting of these locations, as ``usage_histories`` has it
    (``history()`` of each is the same ``UsageHistory``; without ``with_deliveries`` its
    deliveries are left out, for callers that need only the usage)."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"Usage history goes back 1 to {MAX_MONTHS} months, not {months}")
    first = history_start(through, months)
    since = datetime.combine(first, time(0), tzinfo=UTC)
    until = datetime.combine(through + timedelta(days=1), time(0), tzinfo=UTC)
    rows: dict[int, list[Any]] = defaultdict(list)
    issued: dict[int, list[Any]] = defaultdict(list)
    with db.reading() as session:
        result = session.connection().execute(events_query(since, until, location_ids=location_ids))
        # The driver's own rows (every column is read raw, see events_query), kept in the
        # order they came in, which the rule's sort keeps for events at the same moment.
        # They come a setting at a time (its counts, then its receipts): grouped by runs.
        cursor = result.cursor
        while part := cursor.fetchmany(_FETCH):
            for setting_id, run in groupby(part, _TAG):
                rows[setting_id].extend(run)
        result.close()
        storerooms = storerooms_among(session, None, location_ids)
        if storerooms:
            sent = issues_query(first, through, storeroom_ids=storerooms)
            for row in session.execute(sent):
                issued[row[0]].append((row[1], row[2], row[3]))
        wanted = list(
            session.scalars(
                select(ParSetting.id).where(ParSetting.location_id.in_(list(location_ids)))
            )
        )
    days = _Days()
    values = Values()
    found: dict[int, UsageFigures] = {}
    for setting_id in wanted:
        events = rows.pop(setting_id, [])
        figures = None
        if setting_id not in issued:
            figures = _exact(
                setting_id,
                events,
                days,
                values,
                first,
                through,
                with_weeks=with_weeks,
                with_months=with_months,
                with_deliveries=with_deliveries,
            )
        if figures is None:
            history = build_history(
                setting_id,
                _stock_events(events, values),
                first=first,
                last=through,
                with_months=with_months,
                with_weeks=with_weeks,
                issues=[
                    issue_event(sent_at, order_date, units, values)
                    for sent_at, order_date, units in issued.get(setting_id, ())
                ],
            )
            figures = figures_of(history, with_deliveries=with_deliveries)
        found[setting_id] = figures
    return found


def _exact(
    setting_id: int,
    events: list[Any],
    days: _Days,
    values: Values,
    first: date,
    through: date,
    *,
    with_weeks: bool,
    with_months: bool,
    with_deliveries: bool,
) -> UsageFigures | None:
    """The exact figures of one setting's driver rows (setting_id, at, quantity, is_count), or
    None when they do not fit."""
    if _sqlite_text(events):

        def text_days(ats: Iterable[Any]) -> list[int]:
            return list(map(days.__getitem__, map(_DATE_PART, ats)))

        return usage_figures(
            setting_id,
            events,
            first=first,
            last=through,
            scale=1,
            days_of=text_days,
            quantity_of=lambda row: values.amount(row[2]),
            with_weeks=with_weeks,
            with_months=with_months,
            with_deliveries=with_deliveries,
        )
    converted = _general(events, values)
    if converted is None:
        return None
    return usage_figures(
        setting_id,
        converted,
        first=first,
        last=through,
        scale=SCALE,
        days_of=_moment_days,
        quantity_of=_TAG,
        with_weeks=with_weeks,
        with_months=with_months,
        with_deliveries=with_deliveries,
    )


def _sqlite_text(events: list[Any]) -> bool:
    """Whether every row is SQLite's usual one: a time as SQLAlchemy writes it (in UTC,
    "YYYY-MM-DD HH:MM:SS.ffffff", which orders as the times do) and a whole quantity."""
    if not events:
        return True
    ats = list(map(_AT, events))
    try:
        return (
            set(map(len, ats)) == {26}  # (a datetime has no length)
            and set(map(_SPACE, ats)) == {" "}
            and set(map(_POINT, ats)) == {"."}
            and set(map(type, map(_QUANTITY, events))) == {int}
        )
    except TypeError:
        return False


def _general(events: list[Any], values: Values) -> list[tuple[Decimal, datetime, int, int]] | None:
    """Rows of any driver as (quantity, aware time, ten-thousandths, is_count); None when a
    quantity is finer than that."""
    converted = []
    scaled: dict[Decimal, int | None] = {}
    for _setting_id, at, quantity, is_count in events:
        amount = values.amount(quantity)
        if amount in scaled:
            whole = scaled[amount]
        else:
            product = amount * SCALE
            whole = scaled[amount] = (
                int(product)
                if product.is_finite() and product == product.to_integral_value()
                else None
            )
        if whole is None:
            return None
        converted.append((amount, aware_moment(at), whole, is_count))
    return converted


def _moment_days(ats: Iterable[datetime]) -> list[int]:
    # An aware datetime's ordinal is that of its own date, as .date() gives it.
    return list(map(datetime.toordinal, ats))


def _stock_events(events: list[Any], values: Values) -> list[StockEvent]:
    """The rows as ``stock_events`` makes them."""
    return [stock_event(at, q, is_count, values) for _setting_id, at, q, is_count in events]
