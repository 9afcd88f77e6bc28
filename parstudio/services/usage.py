"""Usage history of PAR settings, read from counts and receipts in one batched query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, literal, select, union_all

from parstudio.domain.usage import StockEvent, UsageHistory, build_history
from parstudio.models import Count, CountLine, ParSetting, Receipt
from parstudio.services.database import Database

MAX_MONTHS = 24


def history_start(through: date, months: int) -> date:
    """The first day of the month ``months − 1`` months before the month of ``through``."""
    index = through.year * 12 + through.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def events_query(
    since: datetime,
    until: datetime,
    *,
    setting_ids: Sequence[int] | None = None,
    location_ids: Sequence[int] | None = None,
) -> Any:
    """One query for the on-hand counts and receipts of the chosen settings since a moment."""
    counted = (
        select(
            ParSetting.id.label("setting_id"),
            CountLine.recorded_at.label("at"),
            CountLine.quantity.label("quantity"),
            literal(1).label("is_count"),
        )
        .join(
            ParSetting,
            and_(
                ParSetting.location_id == CountLine.location_id,
                ParSetting.item_id == CountLine.item_id,
            ),
        )
        .join(Count, Count.id == CountLine.count_id)
        .where(
            Count.finished_at.is_not(None),
            CountLine.count_type == "ON HAND",
            CountLine.recorded_at >= since,
            CountLine.recorded_at < until,
        )
    )
    received = (
        select(
            ParSetting.id.label("setting_id"),
            Receipt.received_at.label("at"),
            Receipt.quantity.label("quantity"),
            literal(0).label("is_count"),
        )
        .join(
            ParSetting,
            and_(
                ParSetting.location_id == Receipt.location_id,
                ParSetting.item_id == Receipt.item_id,
            ),
        )
        .where(Receipt.received_at >= since, Receipt.received_at < until)
    )
    if setting_ids is not None:
        counted = counted.where(ParSetting.id.in_(list(setting_ids)))
        received = received.where(ParSetting.id.in_(list(setting_ids)))
    if location_ids is not None:
        counted = counted.where(ParSetting.location_id.in_(list(location_ids)))
        received = received.where(ParSetting.location_id.in_(list(location_ids)))
    return union_all(counted, received)


def usage_histories(
    db: Database,
    *,
    setting_ids: Sequence[int] | None = None,
    location_ids: Sequence[int] | None = None,
    through: date | None = None,
    months: int = MAX_MONTHS,
) -> dict[int, UsageHistory]:
    """Weekly and monthly usage of the chosen settings (all by default), up to ``through``."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"Usage history goes back 1 to {MAX_MONTHS} months, not {months}")
    through = through or date.today()
    first = history_start(through, months)
    since = datetime.combine(first, time(0), tzinfo=UTC)
    until = datetime.combine(through + timedelta(days=1), time(0), tzinfo=UTC)
    events: dict[int, list[StockEvent]] = defaultdict(list)
    with db.reading() as session:
        query = events_query(since, until, setting_ids=setting_ids, location_ids=location_ids)
        for setting_id, at, quantity, is_count in session.execute(query):
            events[setting_id].append(_event(at, quantity, is_count))
        wanted = setting_ids
        if wanted is None:
            ids = select(ParSetting.id)
            if location_ids is not None:
                ids = ids.where(ParSetting.location_id.in_(list(location_ids)))
            wanted = list(session.scalars(ids))
    return {
        setting_id: build_history(setting_id, events.get(setting_id, []), first=first, last=through)
        for setting_id in wanted
    }


def usage_history(
    db: Database, *, setting_id: int, through: date | None = None, months: int = MAX_MONTHS
) -> UsageHistory:
    """One setting's usage history."""
    return usage_histories(db, setting_ids=[setting_id], through=through, months=months)[setting_id]


def _event(at: Any, quantity: Any, is_count: Any) -> StockEvent:
    # A UNION loses the column types on SQLite, so times and numbers may come back raw.
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return StockEvent(at=at, quantity=Decimal(str(quantity)), is_count=bool(is_count))
