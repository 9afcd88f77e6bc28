"""Which locations a charge file or a reconciliation covers: codes, a department, or all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.cases import sees_identifiers
from parstudio.domain.errors import NotFoundError, PermissionDenied
from parstudio.models import Location
from parstudio.services.core.database import Database
from parstudio.services.review.period_usage import SettingFilter


@dataclass(frozen=True, slots=True)
class Place:
    """A location a report covers."""

    id: int
    code: str
    name: str


def chosen_places(
    session: Session, *, location_codes: Sequence[str] = (), department: str | None = None
) -> tuple[dict[int, Place], str]:
    """The locations picked by codes and/or a department (all when neither), with the choice in
    words; an unknown code or department is refused with its name."""
    codes = tuple(dict.fromkeys(c.strip() for c in location_codes if c.strip()))
    query = select(Location.id, Location.code, Location.name).order_by(Location.code)
    if codes:
        known = set(session.scalars(select(Location.code).where(Location.code.in_(codes))))
        missing = [code for code in codes if code not in known]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            raise NotFoundError(f"There is no location{plural} {', '.join(missing)}.")
        query = query.where(Location.code.in_(codes))
    if department is not None:
        if (
            session.scalar(select(Location.id).where(Location.department == department).limit(1))
            is None
        ):
            raise NotFoundError(f"No location belongs to the department “{department}”.")
        query = query.where(Location.department == department)
    places = {row.id: Place(row.id, row.code, row.name) for row in session.execute(query)}
    return places, SettingFilter(department=department, location_codes=codes).describe()


def may_see_identifiers(db: Database) -> bool:
    """Whether the person working sees case identifiers (viewers do not)."""
    return sees_identifiers(db.role)


def refuse_viewers(db: Database, what: str) -> None:
    """Refuse a viewer something that carries case identifiers."""
    if not may_see_identifiers(db):
        raise PermissionDenied(
            f"Viewers cannot export {what}: it carries case identifiers. Ask a clerk or a "
            "manager to export it."
        )
