"""Counts and weekly count histories written straight into the database, for the tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from parstudio.models import Count, CountLine, Receipt
from parstudio.services.core.database import Database


def weekly_counts(
    db: Database,
    location_id: int,
    item_id: int,
    *,
    last_sunday: date,
    weeks: int,
    on_hand: Callable[[int], int],
    refill_to: int,
    refill_after: timedelta,
) -> None:
    """A finished on-hand count every Sunday at 07:00 for ``weeks`` weeks up to ``last_sunday``
    (``weeks + 1`` counts; ``on_hand(k)`` is what the k-th found), each followed ``refill_after``
    by a receipt that fills the shelf back up to ``refill_to``."""
    with db.transaction() as session:
        for k in range(weeks + 1):
            day = last_sunday - timedelta(days=7 * (weeks - k))
            moment = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
            found = on_hand(k)
            add_count(session, location_id, item_id, found, moment)
            session.add(
                Receipt(
                    location_id=location_id,
                    item_id=item_id,
                    quantity=Decimal(refill_to - found),
                    received_at=moment + refill_after,
                )
            )


def add_count(
    session: Session,
    location_id: int,
    item_id: int,
    quantity: int | Decimal,
    moment: datetime,
    *,
    count_type: str = "ON HAND",
    finished: bool = True,
    **line: Any,
) -> Count:
    """A count at ``moment`` (finished, unless told), with one line for the item (on hand,
    unless told; more of the line's fields, such as lot and expiry, in ``line``)."""
    count = Count(
        location_id=location_id, started_at=moment, finished_at=moment if finished else None
    )
    session.add(count)
    session.flush()
    session.add(
        CountLine(
            count_id=count.id,
            location_id=location_id,
            item_id=item_id,
            count_type=count_type,
            quantity=Decimal(quantity),
            recorded_at=moment,
            **line,
        )
    )
    return count


def sunday_before(day: date) -> date:
    """The last Sunday before a day (a week earlier on a Sunday)."""
    return day - timedelta(days=day.weekday() + 1)
