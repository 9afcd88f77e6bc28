"""The audit trail: one record's history, and a searchable, paged log of every change."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from parstudio.domain.audit import AuditRecord, FieldChange
from parstudio.domain.cases import masked, sees_identifiers
from parstudio.models.users import AuditEntry
from parstudio.services.core.database import Database
from parstudio.services.core.record_names import named_like, record_names

# The fields of a table that hold a case identifier: masked for viewers.
IDENTIFYING_FIELDS = {"patient_case": frozenset({"identifier"})}


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What the audit log is narrowed to; every part is optional."""

    user: str | None = None
    table: str | None = None
    text: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _records(session: Session, rows: list[AuditEntry], *, hide: bool) -> list[AuditRecord]:
    """Audit records with the names people call their records by (cases masked if ``hide``)."""
    keys = [(row.table_name, row.record_id) for row in rows if row.record_id is not None]
    names = record_names(session, keys, hide_identifiers=hide)
    return [
        _record(row, names.get((row.table_name, row.record_id or 0)), hide=hide) for row in rows
    ]


def _record(row: AuditEntry, name: str | None = None, *, hide: bool = False) -> AuditRecord:
    decoded: dict[str, Any] = json.loads(row.changes) if row.changes else {}
    if hide and row.table_name in IDENTIFYING_FIELDS:
        # A viewer sees that a case's identifier was set, never what it is.
        shown = masked(row.record_id or 0)
        for key in IDENTIFYING_FIELDS[row.table_name] & set(decoded):
            old, new = decoded[key]
            decoded[key] = (None if old is None else shown, None if new is None else shown)
    return AuditRecord(
        id=row.id,
        at=row.at,
        user_name=row.user_name,
        table=row.table_name,
        record_id=row.record_id,
        record_version=row.record_version,
        action=row.action,
        rows=row.rows,
        changes=tuple(FieldChange(key, old, new) for key, (old, new) in sorted(decoded.items())),
        record_name=name,
    )


def record_history(db: Database, *, table: str, record_id: int) -> list[AuditRecord]:
    """Every recorded change to one record, newest first."""
    with db.reading() as session:
        query = (
            select(AuditEntry)
            .where(AuditEntry.table_name == table, AuditEntry.record_id == record_id)
            .order_by(AuditEntry.id.desc())
        )
        return _records(session, list(session.scalars(query)), hide=not sees_identifiers(db.role))


def _filtered(query: Select[Any], where: AuditFilter, *, hide: bool) -> Select[Any]:
    if where.user:
        query = query.where(func.lower(AuditEntry.user_name) == where.user.strip().lower())
    if where.table:
        query = query.where(AuditEntry.table_name == where.table)
    if where.text and where.text.strip():
        pattern = f"%{where.text.strip().lower()}%"
        in_changes: ColumnElement[bool] = func.lower(AuditEntry.changes).like(pattern)
        if hide:  # a viewer's search never reaches the identifiers kept in a case's changes
            in_changes = and_(in_changes, AuditEntry.table_name.not_in(list(IDENTIFYING_FIELDS)))
        query = query.where(
            or_(
                in_changes,
                func.lower(AuditEntry.user_name).like(pattern),
                named_like(pattern, hide_identifiers=hide),
            )
        )
    if where.since is not None:
        query = query.where(AuditEntry.at >= where.since)
    if where.until is not None:
        query = query.where(AuditEntry.at < where.until)
    return query


def count_audit(db: Database, *, where: AuditFilter | None = None) -> int:
    """How many audit entries match."""
    with db.reading() as session:
        query = _filtered(
            select(func.count()).select_from(AuditEntry),
            where or AuditFilter(),
            hide=not sees_identifiers(db.role),
        )
        return int(session.scalar(query) or 0)


def search_audit(
    db: Database, *, where: AuditFilter | None = None, offset: int = 0, limit: int = 200
) -> list[AuditRecord]:
    """One page of matching audit entries, newest first."""
    with db.reading() as session:
        hide = not sees_identifiers(db.role)
        query = _filtered(select(AuditEntry), where or AuditFilter(), hide=hide)
        query = query.order_by(AuditEntry.id.desc()).offset(offset).limit(limit)
        return _records(session, list(session.scalars(query)), hide=hide)


def audit_users(db: Database) -> list[str]:
    """Everyone who appears in the log, for the filter list."""
    with db.reading() as session:
        query = select(AuditEntry.user_name).distinct().order_by(AuditEntry.user_name)
        return list(session.scalars(query))


def changes_since(
    session: Session, *, table: str, record_id: int, version: int
) -> list[AuditRecord]:
    """The recorded changes that took a record past ``version``, oldest first."""
    query = (
        select(AuditEntry)
        .where(
            AuditEntry.table_name == table,
            AuditEntry.record_id == record_id,
            AuditEntry.record_version > version,
        )
        .order_by(AuditEntry.id)
    )
    return [_record(row) for row in session.scalars(query)]
