"""Counts: what staff recorded at a location, line by line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from parstudio.domain.errors import PermissionDenied, ValidationError
from parstudio.domain.roles import Role
from parstudio.models import Count, CountLine, Location, ParSetting
from parstudio.services.core.database import Database
from parstudio.services.core.store import get_or_raise, writing


@dataclass(frozen=True, slots=True)
class CountSummary:
    """A recorded count: which location, when, by whom, how many lines."""

    id: int
    location_id: int
    recorded_at: datetime
    counted_by: str | None
    lines: int


def record_count(
    db: Database,
    *,
    location_id: int,
    quantities: Mapping[int, Decimal],
    counted_by: str | None = None,
    source: str = "SCREEN",
    when: datetime | None = None,
) -> CountSummary:
    """Record a finished count of some items (by item id) at a location, all in one go.

    Only a manager may record one under another name or at another time (entering a count
    taken on paper, say); anyone else's is theirs, now.
    """
    as_given = (counted_by is not None and counted_by != db.user_name) or when is not None
    when = when or datetime.now(UTC)
    with writing(db) as session:
        get_or_raise(session, Location, location_id, "location")
        settings = {
            item_id: (setting_type or default_type)
            for item_id, setting_type, default_type in session.execute(
                select(ParSetting.item_id, ParSetting.count_type, Location.default_count_type)
                .join(Location, Location.id == ParSetting.location_id)
                .where(ParSetting.location_id == location_id)
            )
        }
        for item_id, quantity in quantities.items():
            if item_id not in settings:
                raise ValidationError("That item has no PAR setting at this location.")
            if quantity < 0:
                raise ValidationError("A counted quantity cannot be negative.", field="count")
        count = Count(
            location_id=location_id,
            started_at=when,
            finished_at=when,
            counted_by=counted_by or db.user_name,
            source=source,
        )
        session.add(count)
        session.flush()  # the role is read again here, as every write transaction does
        if as_given and db.role is not Role.MANAGER:
            raise PermissionDenied(
                "Only a manager can record a count under another name or at another time."
            )
        session.add_all(
            CountLine(
                count_id=count.id,
                location_id=location_id,
                item_id=item_id,
                count_type=settings[item_id],
                quantity=quantity,
                recorded_at=when,
                recorded_by=counted_by or db.user_name,
            )
            for item_id, quantity in quantities.items()
        )
        return CountSummary(count.id, location_id, when, count.counted_by, len(quantities))
