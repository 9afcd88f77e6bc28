"""What a scan does while it holds its line's lock: as little as it can, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from parstudio.domain.counting import ScanKind
from parstudio.domain.errors import PermissionDenied
from parstudio.domain.scan_journal import new_client_id
from parstudio.models import AuditEntry, Scan
from parstudio.services.admin import users
from parstudio.services.core.database import Database
from parstudio.services.counting import scans as counting
from tests.services.core.test_roles_and_audit import SignIn, as_user, ward

__all__ = ["as_user", "ward"]  # fixtures


def record(carl: Database, count_id: int) -> list[str]:
    """Scan the syringe once as Carl; the statements it sent."""
    sent: list[str] = []

    def keep(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(carl.engine, "before_cursor_execute", keep)
    try:
        outcome = counting.record_scan(
            carl, count_id=count_id, text="INT-7788", client_id=new_client_id()
        )
    finally:
        event.remove(carl.engine, "before_cursor_execute", keep)
    assert outcome.kind is ScanKind.ITEM
    return sent


def test_a_scan_reads_the_role_before_it_locks_the_line_and_audits_in_one_insert(
    db: Database, ward: dict[str, int], as_user: SignIn
) -> None:
    carl = as_user("carl")
    count_id = counting.open_count(carl, location_id=ward["location"]).count_id
    record(carl, count_id)  # the line is made
    sent = record(carl, count_id)  # and counted again under its lock
    role_read = next(i for i, s in enumerate(sent) if s.startswith("SELECT role, active"))
    if not db.is_sqlite:  # SQLite locks the whole database first (BEGIN IMMEDIATE)
        locked = next(i for i, s in enumerate(sent) if s.endswith("FOR UPDATE"))
        assert role_read < locked
    # The line's change and the scan are written in one flush: one audit insert for both.
    assert sum(s.startswith("INSERT INTO audit_entry") for s in sent) == 1
    with db.reading() as session:
        scans = session.scalar(select(func.count()).select_from(Scan))
        entries = dict(
            session.execute(
                select(AuditEntry.table_name, func.count())
                .where(AuditEntry.user_name == "carl")
                .group_by(AuditEntry.table_name)
            ).all()
        )
    assert scans == 2 and entries["scan"] == 2 and entries["count_line"] == 2
    sheet = counting.get_count_sheet(db, count_id=count_id)
    assert sheet.lines[0].counted == 2


def test_a_clerk_deactivated_meanwhile_is_refused_before_the_scan_counts(
    db: Database, ward: dict[str, int], as_user: SignIn
) -> None:
    carl = as_user("carl")
    count_id = counting.open_count(carl, location_id=ward["location"]).count_id
    users.set_active(db, login="carl", active=False)
    with pytest.raises(PermissionDenied, match="deactivated"):
        counting.record_scan(carl, count_id=count_id, text="INT-7788", client_id=new_client_id())
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Scan)) == 0
