"""Which locations there are to count: each with its open count, if any, and its last count."""

from __future__ import annotations

from sqlalchemy import func, select

from parstudio.domain.counting import CountLocation
from parstudio.models import Count, CountLine, Location, ParSetting
from parstudio.services.core.database import Database

__all__ = ["list_count_locations"]


def list_count_locations(db: Database) -> list[CountLocation]:
    """Active locations holding PAR settings, by code, with their open and last finished count."""
    lines = (
        select(ParSetting.location_id, func.count(ParSetting.id).label("n"))
        .where(ParSetting.active.is_(True))
        .group_by(ParSetting.location_id)
        .subquery()
    )
    last = (
        select(Count.location_id, func.max(Count.finished_at).label("at"))
        .where(Count.finished_at.is_not(None))
        .group_by(Count.location_id)
        .subquery()
    )
    query = (
        select(Location.id, Location.code, Location.name, Location.kind, lines.c.n, last.c.at)
        .join(lines, lines.c.location_id == Location.id)
        .outerjoin(last, last.c.location_id == Location.id)
        .where(Location.active.is_(True))
        .order_by(Location.code)
    )
    with db.reading() as session:
        open_counts = {
            location_id: (count_id, started_at, counted_by)
            for count_id, location_id, started_at, counted_by in session.execute(
                select(Count.id, Count.location_id, Count.started_at, Count.counted_by)
                .where(Count.finished_at.is_(None))
                .order_by(Count.started_at, Count.id)  # the newest open count wins
            )
        }
        counted = dict(
            session.execute(
                select(CountLine.count_id, func.count(CountLine.id))
                .join(Count, Count.id == CountLine.count_id)
                .where(Count.finished_at.is_(None))
                .group_by(CountLine.count_id)
            ).all()
        )
        found = []
        for location_id, code, name, kind, n, last_at in session.execute(query):
            count_id, started_at, counted_by = open_counts.get(location_id, (None, None, None))
            found.append(
                CountLocation(
                    location_id=location_id,
                    code=code,
                    name=name,
                    kind=kind,
                    lines=n,
                    open_count_id=count_id,
                    open_started_at=started_at,
                    open_counted_by=counted_by,
                    open_lines_counted=counted.get(count_id, 0) if count_id else 0,
                    last_finished_at=last_at,
                )
            )
        return found
