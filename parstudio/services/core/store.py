"""Helpers shared by the catalogue services: loading, version checks, error translation."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.exc import StaleDataError

from parstudio.domain.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from parstudio.models.base import utcnow
from parstudio.services.core.database import Database

T = TypeVar("T")


def get_or_raise(session: Session, model: type[T], record_id: int, what: str) -> T:
    """Load a row by id or tell the user it is gone."""
    row = session.get(model, record_id)
    if row is None:
        raise NotFoundError(f"That {what} no longer exists; it may have been removed elsewhere.")
    return row


IN_BATCH = 900
"""Values in one IN (…): under SQLite's old limit of 999 bound parameters (PostgreSQL's is
65,535), so that a department-wide list of ids is sent in parts."""


def chunks(values: Iterable[T], size: int = IN_BATCH) -> Iterator[list[T]]:
    """Values in lists of at most ``size`` (for IN (…) lists and executemany)."""
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def preload(session: Session, model: type[T], ids: Collection[int]) -> list[T]:
    """Load the rows of these ids a few hundred a query, so that ``session.get`` (and so
    ``get_or_raise``) finds each in the session rather than asking the database one at a time.
    Returns the rows found (an id that is gone is simply not among them); hold on to them
    while they are needed, as the session keeps only weak references."""
    key = inspect(model).primary_key[0]
    found: list[T] = []
    for part in chunks(sorted(ids)):
        found.extend(session.scalars(select(model).where(key.in_(part))))
    return found


def check_version(row: Any, expected: int | None, what: str) -> None:
    """Refuse to save over a record someone else changed since it was read, saying how."""
    if expected is None or row.version == expected:
        return
    from parstudio.services.core.audit import changes_since

    session = object_session(row)
    others = (
        changes_since(session, table=row.__table__.name, record_id=row.id, version=expected)
        if session is not None
        else []
    )
    if others:
        told = " Then ".join(
            f"{entry.user_name} changed it {_when(entry.at)}: {entry.summary()}."
            for entry in others
        )
        raise ConflictError(
            f"This {what} was changed since you opened it. {told} Reload to see it, or reapply "
            "your change on top of it.",
            other_changes=tuple(others),
        )
    by = f" by {row.updated_by}" if getattr(row, "updated_by", None) else ""
    raise ConflictError(
        f"This {what} was changed{by} since you opened it. Reload it to see the other change, "
        "then make yours again."
    )


def _when(at: datetime) -> str:
    """A moment as the user reads it: the local time, with the date if not today."""
    local = at.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return f"at {local:%H:%M}"
    return f"on {local:%d %b %Y} at {local:%H:%M}"


@contextmanager
def writing(
    db: Database, *, duplicate: Callable[[IntegrityError], str] | None = None
) -> Iterator[Session]:
    """A write transaction that turns database refusals into messages for the user."""
    try:
        with db.transaction() as session:
            yield session
    except StaleDataError as exc:
        raise ConflictError(
            "Someone else saved this record at the same moment; reload it and try again."
        ) from exc
    except IntegrityError as exc:
        text = str(exc.orig).lower()
        if "unique" in text or "duplicate" in text:
            raise DuplicateError(
                duplicate(exc) if duplicate else "That code is already used."
            ) from exc
        raise ValidationError(f"The database refused the change: {exc.orig}") from exc


def apply_fields(row: Any, values: dict[str, Any], user: str) -> None:
    """Copy parsed field values onto an ORM row, and note who changed it."""
    for name, value in values.items():
        setattr(row, name, value)
    if hasattr(row, "updated_by"):
        row.updated_by = user
        # A new timestamp makes the row dirty, so even a change to a child (barcodes) bumps the
        # version that other workstations check against.
        row.updated_at = utcnow()


def weekdays_text(days: tuple[str, ...]) -> str:
    """Store weekdays as a comma-separated text."""
    return ",".join(days)


def weekdays_tuple(text: str | None) -> tuple[str, ...]:
    """Read weekdays stored as text."""
    return tuple(d for d in (text or "").split(",") if d)
