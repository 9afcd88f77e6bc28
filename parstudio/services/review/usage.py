"""Usage history of PAR settings, read from counts and receipts in one batched query (and a
storeroom's issues, the transfers it sent, in a second one)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, literal, or_, select, type_coerce, union_all
from sqlalchemy.orm import Session, aliased
from sqlalchemy.types import NullType

from parstudio.domain.enums import CountType
from parstudio.domain.orders import OrderKind, OrderStatus
from parstudio.domain.usage import StockEvent, UsageHistory, build_history
from parstudio.models import (
    Count,
    CountLine,
    Location,
    Order,
    OrderLine,
    ParSetting,
    Receipt,
    Waste,
)
from parstudio.services.core.database import Database

MAX_MONTHS = 24
# Millions of rows are read for a full review: they come back as the driver gives them and
# are converted once in Values, not through each column type's own result processing.
_RAW = NullType()
_PART = 20_000
"""Rows fetched at a time: in bulk from the driver, without holding a whole department."""


def history_start(through: date, months: int) -> date:
    """The first day of the month ``months − 1`` months before the month of ``through``."""
    index = through.year * 12 + through.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def setting_of(table: Any, *, location: Any = None) -> Any:
    """Joins a row naming a location and an item (a count line, receipt, waste…) to the PAR
    setting of that item there (``location``: another column than the row's location_id)."""
    where = table.location_id if location is None else location
    return and_(ParSetting.location_id == where, ParSetting.item_id == table.item_id)


def on_hand_counted(since: datetime, until: datetime) -> tuple[Any, ...]:
    """Count lines (joined to their count) of finished on-hand counts recorded in the period."""
    return (
        Count.finished_at.is_not(None),
        CountLine.count_type == CountType.ON_HAND,
        CountLine.recorded_at >= since,
        CountLine.recorded_at < until,
    )


def _setting_events(
    table: Any, at: Any, quantity: Any, *, is_count: bool, since: datetime, until: datetime
) -> Any:
    """(setting_id, at, quantity, is_count) of one table's rows in the period."""
    return (
        select(
            ParSetting.id.label("setting_id"),
            type_coerce(at, _RAW).label("at"),
            type_coerce(quantity, _RAW).label("quantity"),
            literal(int(is_count)).label("is_count"),
        )
        .join(ParSetting, setting_of(table))
        .where(at >= since, at < until)
    )


def events_query(
    since: datetime,
    until: datetime,
    *,
    setting_ids: Sequence[int] | None = None,
    location_ids: Sequence[int] | None = None,
) -> Any:
    """One query for the on-hand counts, receipts, waste and stock moved out to another PAR
    location of the chosen settings since then."""
    counted = (
        _setting_events(
            CountLine,
            CountLine.recorded_at,
            CountLine.quantity,
            is_count=True,
            since=since,
            until=until,
        )
        .join(Count, Count.id == CountLine.count_id)
        .where(*on_hand_counted(since, until))
    )
    received = _setting_events(
        Receipt, Receipt.received_at, Receipt.quantity, is_count=False, since=since, until=until
    )
    # Stock thrown away left the shelf unused: it takes away from what was there, as a
    # receipt adds to it, so it is not counted as usage.
    wasted = _setting_events(
        Waste, Waste.recorded_at, -Waste.quantity, is_count=False, since=since, until=until
    )
    parts = [counted, received, wasted, moved_out_query(since, until)]
    if setting_ids is not None:
        parts = [part.where(ParSetting.id.in_(list(setting_ids))) for part in parts]
    if location_ids is not None:
        parts = [part.where(ParSetting.location_id.in_(list(location_ids))) for part in parts]
    return union_all(*parts)


ISSUED = (OrderStatus.SENT.value, OrderStatus.PARTIAL.value, OrderStatus.RECEIVED.value)
"""Transfers whose stock has left the storeroom: sent, or (partly) received."""


def moved_out_query(since: datetime, until: datetime) -> Any:
    """Stock a PAR location sent to another (a rebalance transfer), as a negative event.

    It left the shelf unused there, as waste does; the destination counts it as received.
    A storeroom's transfers out are its issues (its usage), read by issues_query instead.
    """
    source = aliased(Location)
    moment = func.coalesce(Order.sent_at, OrderLine.created_at)
    return (
        select(
            ParSetting.id.label("setting_id"),
            type_coerce(moment, _RAW).label("at"),
            type_coerce(-(OrderLine.packs * OrderLine.pack_size), _RAW).label("quantity"),
            literal(0).label("is_count"),
        )
        .select_from(Order)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(source, source.id == Order.source_location_id)
        .join(
            ParSetting,
            and_(
                ParSetting.location_id == Order.source_location_id,
                ParSetting.item_id == OrderLine.item_id,
            ),
        )
        .where(
            Order.kind == OrderKind.TRANSFER.value,
            Order.status.in_(ISSUED),
            source.kind != "STOREROOM",
            moment >= since,
            moment < until,
        )
    )


def moved_out(session: Session, *, setting_id: int, since: datetime) -> list[StockEvent]:
    """One setting's stock sent to other PAR locations since then, as negative events."""
    until = datetime.now(UTC) + timedelta(days=1)
    query = moved_out_query(since, until).where(ParSetting.id == setting_id)
    values = Values()
    return [
        StockEvent(aware_moment(at), values.amount(quantity), False)
        for _setting, at, quantity, _is_count in session.execute(query)
    ]


def issues_query(
    first: date,
    through: date,
    *,
    storeroom_ids: Sequence[int],
    setting_ids: Sequence[int] | None = None,
) -> Any:
    """One query for what the chosen storerooms issued from ``first`` to ``through``: the
    transfer lines they sent, per storeroom setting of the line's item.

    A transfer counts on the day it was sent (released to the storeroom), or on its order
    date when it was received without being marked sent.
    """
    since = datetime.combine(first, time(0), tzinfo=UTC)
    until = datetime.combine(through + timedelta(days=1), time(0), tzinfo=UTC)
    query = (
        select(
            ParSetting.id,
            type_coerce(Order.sent_at, _RAW),
            type_coerce(Order.order_date, _RAW),
            type_coerce(OrderLine.packs * OrderLine.pack_size, _RAW),
        )
        .select_from(Order)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(ParSetting, setting_of(OrderLine, location=Order.source_location_id))
        .where(
            Order.kind == OrderKind.TRANSFER.value,
            Order.status.in_(ISSUED),
            Order.source_location_id.in_(list(storeroom_ids)),
            or_(
                and_(Order.sent_at >= since, Order.sent_at < until),
                and_(
                    Order.sent_at.is_(None),
                    Order.order_date >= first,
                    Order.order_date <= through,
                ),
            ),
        )
    )
    if setting_ids is not None:
        query = query.where(ParSetting.id.in_(list(setting_ids)))
    return query


def storerooms_among(
    session: Session, setting_ids: Sequence[int] | None, location_ids: Sequence[int] | None
) -> list[int]:
    """The storerooms among the chosen settings' locations (a look-up by key: most batches of
    a recompute hold none, and then no transfer is read at all)."""
    query = select(Location.id).where(Location.kind == "STOREROOM")
    if location_ids is not None:
        query = query.where(Location.id.in_(list(location_ids)))
    if setting_ids is not None:
        query = query.where(
            Location.id.in_(
                select(ParSetting.location_id).where(ParSetting.id.in_(list(setting_ids)))
            )
        )
    return list(session.scalars(query))


def usage_histories(
    db: Database,
    *,
    setting_ids: Sequence[int] | None = None,
    location_ids: Sequence[int] | None = None,
    through: date | None = None,
    months: int = MAX_MONTHS,
    with_months: bool = True,
    with_weeks: bool = True,
) -> dict[int, UsageHistory]:
    """Weekly and monthly usage of the chosen settings (all by default), up to ``through``.

    Without ``with_weeks`` (or ``with_months``) those periods are left empty, for callers that
    need only the other.
    """
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"Usage history goes back 1 to {MAX_MONTHS} months, not {months}")
    through = through or date.today()
    first = history_start(through, months)
    events, issues, wanted = stock_events(
        db, first=first, through=through, setting_ids=setting_ids, location_ids=location_ids
    )
    return {
        setting_id: build_history(
            setting_id,
            events.get(setting_id, []),
            first=first,
            last=through,
            with_months=with_months,
            with_weeks=with_weeks,
            issues=issues.get(setting_id, ()),
        )
        for setting_id in wanted
    }


def stock_events(
    db: Database,
    *,
    first: date,
    through: date,
    setting_ids: Sequence[int] | None = None,
    location_ids: Sequence[int] | None = None,
) -> tuple[dict[int, list[StockEvent]], dict[int, list[StockEvent]], list[int]]:
    """The on-hand counts, receipts and waste (and a storeroom's issues) of the chosen settings
    from ``first`` to ``through``, per setting; and the settings asked for."""
    since = datetime.combine(first, time(0), tzinfo=UTC)
    until = datetime.combine(through + timedelta(days=1), time(0), tzinfo=UTC)
    events: dict[int, list[StockEvent]] = defaultdict(list)
    issues: dict[int, list[StockEvent]] = defaultdict(list)
    with db.reading() as session:
        query = events_query(since, until, setting_ids=setting_ids, location_ids=location_ids)
        values = Values()
        # Core execution, fetched in bulk: a large location has a million counts and receipts.
        for part in session.connection().execute(query).partitions(_PART):
            for setting_id, at, quantity, is_count in part:
                events[setting_id].append(stock_event(at, quantity, is_count, values))
        storerooms = storerooms_among(session, setting_ids, location_ids)
        if storerooms:
            sent = issues_query(first, through, storeroom_ids=storerooms, setting_ids=setting_ids)
            for setting_id, sent_at, order_date, units in session.execute(sent):
                issues[setting_id].append(issue_event(sent_at, order_date, units, values))
        wanted = list(setting_ids) if setting_ids is not None else None
        if wanted is None:
            ids = select(ParSetting.id)
            if location_ids is not None:
                ids = ids.where(ParSetting.location_id.in_(list(location_ids)))
            wanted = list(session.scalars(ids))
    return events, issues, wanted


def usage_history(
    db: Database, *, setting_id: int, through: date | None = None, months: int = MAX_MONTHS
) -> UsageHistory:
    """One setting's usage history."""
    return usage_histories(db, setting_ids=[setting_id], through=through, months=months)[setting_id]


def stock_event(at: Any, quantity: Any, is_count: Any, values: Values) -> StockEvent:
    """One row of ``events_query`` as a stock event (a count at its own moment; receipts, of
    which a location has few distinct times, share theirs)."""
    return StockEvent(
        aware_moment(at) if is_count else values.shared_moment(at),
        values.amount(quantity),
        bool(is_count),
    )


def issue_event(sent_at: Any, order_date: Any, units: Any, values: Values) -> StockEvent:
    # Raw driver values, as in Values: text on SQLite, dates and Decimals on PostgreSQL.
    if sent_at is None:
        if isinstance(order_date, str):
            order_date = date.fromisoformat(order_date)
        at = datetime.combine(order_date, time(12), tzinfo=UTC)
        return StockEvent(at, values.amount(units), False)
    return StockEvent(values.shared_moment(sent_at), values.amount(units), False)


class Values:
    """Raw driver values made aware datetimes and Decimals.

    SQLite gives times as text (stored in UTC) and numbers as int or float; PostgreSQL gives
    aware datetimes and Decimals. Receipts of one delivery share their time and quantities
    repeat, so a time asked to be ``shared`` and a fractional number are converted once per
    distinct value (a count line's time is its own: not worth keeping, see aware_moment).
    """

    __slots__ = ("_fractions", "_times")

    def __init__(self) -> None:
        self._times: dict[Any, datetime] = {}
        self._fractions: dict[float, Decimal] = {}

    def shared_moment(self, at: Any) -> datetime:
        known = self._times.get(at)
        if known is None:
            known = self._times[at] = aware_moment(at)
        return known

    def amount(self, quantity: Any) -> Decimal:
        kind = quantity.__class__
        if kind is int:
            return Decimal(quantity)  # the same Decimal as Decimal(str(quantity))
        if kind is float and quantity:
            known = self._fractions.get(quantity)
            if known is None:
                known = self._fractions[quantity] = Decimal(str(quantity))
            return known
        return quantity if kind is Decimal else Decimal(str(quantity))


def aware_moment(at: Any) -> datetime:
    """An aware datetime from the driver's value. SQLite's text (UTC, without an offset) is
    parsed with "+00:00" added: several times quicker than parsing it and then replacing the
    zone, for the same value; text that already has an offset is parsed as it is."""
    moment: datetime = at
    if at.__class__ is str:
        try:
            moment = _from_text(at + "+00:00")
        except ValueError:
            moment = _from_text(at)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


_from_text = datetime.fromisoformat
