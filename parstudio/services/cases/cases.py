"""Cases: open one from its label (or re-open it), set its procedure and physician, list them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parstudio.domain.cases import (
    CASE_FIELDS,
    CaseRecord,
    UseRefusal,
    UseRefused,
    is_case_label,
    masked,
    sees_identifiers,
)
from parstudio.domain.errors import PermissionDenied
from parstudio.domain.fields import parse_fields
from parstudio.domain.roles import Action, refusal
from parstudio.models import Location, PatientCase, UseLine
from parstudio.services.cases.label_pattern import case_pattern_of
from parstudio.services.core.database import Database
from parstudio.services.core.store import apply_fields, check_version, get_or_raise, writing


def case_record(session: Session, row: PatientCase, *, hide: bool) -> CaseRecord:
    """A case as the screens show it; ``hide`` masks its identifier (a viewer's)."""
    location_code = session.scalar(select(Location.code).where(Location.id == row.location_id))
    lines = session.scalar(
        select(func.count(UseLine.id)).where(UseLine.case_id == row.id, UseLine.voided.is_(False))
    )
    return CaseRecord(
        id=row.id,
        identifier=masked(row.id) if hide else row.identifier,
        location_id=row.location_id,
        location_code=location_code or "",
        procedure=row.procedure,
        physician=row.physician,
        opened_at=row.opened_at,
        opened_by=row.opened_by,
        closed_at=row.closed_at,
        version=row.version,
        lines=int(lines or 0),
        identifier_hidden=hide,
    )


def hides_identifiers(db: Database) -> bool:
    """Whether the signed-in user is shown masked identifiers (a viewer, or nobody yet)."""
    return not sees_identifiers(db.role)


def refuse_unless_recording(db: Database) -> None:
    """Only those who may record use open cases: re-opening one would tell a viewer it exists."""
    reason = refusal(db.role, "patient_case", Action.INSERT)
    if reason is not None:
        raise PermissionDenied(reason)


def refuse_unless_case_label(session: Session, text: str) -> str:
    """The identifier of a case label, or the refusal showing the pattern it must match."""
    identifier = text.strip()
    pattern = case_pattern_of(session)
    if not is_case_label(pattern, identifier):
        raise UseRefused(
            UseRefusal.NOT_A_LABEL,
            f"“{identifier[:60]}” is not a case label: a case label must match the pattern "
            f"{pattern}. Nothing was opened.",
            field="identifier",
        )
    return identifier


def open_case_row(
    session: Session, identifier: str, location_id: int, user: str, fields: Mapping[str, Any]
) -> tuple[PatientCase, bool]:
    """The case with this identifier, created at the location if new; True when created."""
    row = session.scalar(select(PatientCase).where(PatientCase.identifier == identifier))
    if row is not None:
        return row, False
    get_or_raise(session, Location, location_id, "location")
    row = PatientCase(
        identifier=identifier,
        location_id=location_id,
        opened_at=datetime.now(UTC),
        opened_by=user,
        updated_by=user,
    )
    values = parse_fields(CASE_FIELDS, fields, partial=True)
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    return row, True


def open_case(
    db: Database,
    *,
    identifier: str,
    location_id: int,
    procedure: str | None = None,
    physician: str | None = None,
) -> CaseRecord:
    """Open the case a label names (scanned or typed): the same case again if it exists.

    A label that does not match the case label pattern is refused, the pattern shown. The
    procedure and physician are taken for a new case only; an existing one keeps its own
    (change them with `update_case`).
    """
    refuse_unless_recording(db)
    fields = {
        name: value
        for name, value in (("procedure", procedure), ("physician", physician))
        if value is not None
    }
    with writing(
        db, duplicate=lambda _e: "That case was opened at the same moment elsewhere."
    ) as s:
        identifier = refuse_unless_case_label(s, identifier)
        row, _created = open_case_row(s, identifier, location_id, db.user_name, fields)
        return case_record(s, row, hide=hides_identifiers(db))


def update_case(
    db: Database, *, case_id: int, changes: Mapping[str, Any], expected_version: int | None = None
) -> CaseRecord:
    """Change a case's procedure or physician; refused if someone changed it meanwhile."""
    values = parse_fields(CASE_FIELDS, changes, partial=True)
    with writing(db) as session:
        row = get_or_raise(session, PatientCase, case_id, "case")
        check_version(row, expected_version, "case")
        apply_fields(row, values, db.user_name)
        session.flush()
        return case_record(session, row, hide=hides_identifiers(db))


def get_case(db: Database, *, case_id: int) -> CaseRecord:
    """One case."""
    with db.reading() as session:
        row = get_or_raise(session, PatientCase, case_id, "case")
        return case_record(session, row, hide=hides_identifiers(db))


def find_case(db: Database, *, identifier: str) -> CaseRecord | None:
    """The case with this identifier, if any (never for a viewer, who may not look one up)."""
    if hides_identifiers(db):
        return None
    with db.reading() as session:
        row = session.scalar(
            select(PatientCase).where(PatientCase.identifier == identifier.strip())
        )
        return case_record(session, row, hide=False) if row is not None else None


def list_cases(
    db: Database,
    *,
    location_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = 500,
) -> list[CaseRecord]:
    """Cases opened at a location (any, when None) in a period, newest first."""
    query = select(PatientCase).order_by(PatientCase.opened_at.desc(), PatientCase.id.desc())
    if location_id is not None:
        query = query.where(PatientCase.location_id == location_id)
    if since is not None:
        query = query.where(PatientCase.opened_at >= since)
    if until is not None:
        query = query.where(PatientCase.opened_at < until)
    if limit is not None:
        query = query.limit(limit)
    hide = hides_identifiers(db)
    with db.reading() as session:
        return [case_record(session, row, hide=hide) for row in session.scalars(query)]
