"""Roles the PostgreSQL server enforces: a clerk's own login cannot do what a clerk may not."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import func, select

from parstudio.domain.errors import PermissionDenied
from parstudio.domain.roles import Role
from parstudio.models import AuditEntry
from parstudio.services.admin import users
from parstudio.services.core.database import Database, open_database
from parstudio.services.counting import scans as counting
from tests.services.core.test_roles_and_audit import PASSWORD, par_level, ward

__all__ = ["ward"]  # a fixture
pytestmark = pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)]
)


def as_login(db_url: str, login: str) -> str:
    """The database's address with another server login (the test server trusts loopback)."""
    return db_url.replace("parstudio@", f"{login}@", 1)


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def server_roles(db: Database, ward: dict[str, int]) -> Iterator[list[str]]:
    """The ward's accounts, each with its own server login in its role's group."""
    users.create_user(
        db, login="pgmaria", display_name="Maria", role=Role.MANAGER, password=PASSWORD
    )
    given = users.set_up_server_logins(db)
    users.create_user(db, login="pgcarl", display_name="Carl", role=Role.CLERK, password=PASSWORD)
    yield given


def audit_rows(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_a_clerks_own_login_cannot_write_par_settings_or_touch_the_audit_trail(
    db: Database, db_url: str, ward: dict[str, int], server_roles: list[str]
) -> None:
    assert {"anna", "carl", "vera", "pgmaria"} <= set(server_roles)
    entries = audit_rows(db)
    with psycopg.connect(libpq(as_login(db_url, "pgcarl")), autocommit=True) as clerk:
        for statement in (
            "UPDATE par_setting SET par_level = 99",
            "INSERT INTO par_setting (location_id, item_id) VALUES (1, 1)",
            "DELETE FROM audit_entry",
            "UPDATE audit_entry SET user_name = 'someone else'",
            "UPDATE app_user SET role = 'manager' WHERE login = 'pgcarl'",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                clerk.execute(statement)
        # Row security: another account's row is not even there to change.
        for statement in (
            "UPDATE app_user SET failed_sign_ins = 9 WHERE login = 'anna'",
            "UPDATE app_user SET password_hash = 'x' WHERE login = 'anna'",
        ):
            assert clerk.execute(statement).rowcount == 0
    assert users.authenticate(db, login="anna", password=PASSWORD).login == "anna"
    assert par_level(db, ward["setting"]) == Decimal(10)
    assert audit_rows(db) == entries

    # A manager's own login may change PAR settings, but not the trail either.
    with psycopg.connect(libpq(as_login(db_url, "pgmaria")), autocommit=True) as manager:
        manager.execute("UPDATE par_setting SET par_level = 11")
        for statement in ("DELETE FROM audit_entry", "TRUNCATE audit_entry"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                manager.execute(statement)
    assert audit_rows(db) == entries


def test_a_clerk_working_through_their_own_login_counts_as_usual(
    db: Database, db_url: str, ward: dict[str, int], server_roles: list[str]
) -> None:
    station = open_database(as_login(db_url, "pgcarl"), authenticate=users.authenticate)
    try:
        station.sign_in("pgcarl", PASSWORD)
        sheet = counting.open_count(station, location_id=ward["location"])
        outcome = counting.record_scan(station, count_id=sheet.count_id, text="INT-7788")
        assert outcome.line is not None and outcome.line.counted == 1
        counting.undo_last_scan(station, count_id=sheet.count_id)
        counting.finish_count(station, count_id=sheet.count_id, confirm=True)
        users.change_password(
            station, login="pgcarl", old_password=PASSWORD, new_password="a new password"
        )
        with pytest.raises(PermissionDenied):  # PAR Studio's own check says it first
            from parstudio.services.catalog import par_settings

            par_settings.update_par_setting(
                station, setting_id=ward["setting"], changes={"par_level": 12}
            )
    finally:
        station.close()
    assert par_level(db, ward["setting"]) == Decimal(10)


def test_a_clerks_own_login_cannot_change_a_finished_count(
    db: Database, db_url: str, ward: dict[str, int], server_roles: list[str]
) -> None:
    finished = counting.open_count(db, location_id=ward["location"])
    counting.record_scan(db, count_id=finished.count_id, text="INT-7788")
    counting.finish_count(db, count_id=finished.count_id, confirm=True)
    still_open = counting.open_count(db, location_id=ward["location"])
    counting.record_scan(db, count_id=still_open.count_id, text="INT-7788")
    with psycopg.connect(libpq(as_login(db_url, "pgcarl")), autocommit=True) as clerk:
        for statement in (
            "UPDATE count_line SET quantity = 99 WHERE count_id = %s",
            "DELETE FROM count_line WHERE count_id = %s",
            "UPDATE scan SET undone = true WHERE count_id = %s",
            "UPDATE count SET finished_at = NULL WHERE id = %s",
        ):
            assert clerk.execute(statement, (finished.count_id,)).rowcount == 0
        changed = clerk.execute(
            "UPDATE count_line SET quantity = 5 WHERE count_id = %s", (still_open.count_id,)
        )
        assert changed.rowcount == 1  # an open count is the clerk's to count
    sheet = counting.get_count_sheet(db, count_id=finished.count_id)
    assert sheet.lines[0].counted == 1
    assert counting.get_count_sheet(db, count_id=still_open.count_id).lines[0].counted == 5


def test_a_role_change_and_a_deactivation_reach_the_server_login(
    db: Database, db_url: str, ward: dict[str, int], server_roles: list[str]
) -> None:
    users.set_role(db, login="pgcarl", role=Role.VIEWER)
    with (
        psycopg.connect(libpq(as_login(db_url, "pgcarl")), autocommit=True) as viewer,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        viewer.execute("INSERT INTO scan (count_id, kind, raw, undone) VALUES (1, 'X', 'x', false)")
    users.set_active(db, login="pgcarl", active=False)
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(libpq(as_login(db_url, "pgcarl")))


@pytest.fixture
def password_checked(db: Database) -> Iterator[str]:
    """A login the test server checks the password of (the rest of the server trusts loopback)."""
    login = "pwclerk"
    with db.engine.connect() as connection:
        hba = Path(str(connection.exec_driver_sql("SHOW hba_file").scalar()))
    before = hba.read_text(encoding="utf-8")
    hba.write_text(f"host all {login} 127.0.0.1/32 scram-sha-256\n{before}", encoding="utf-8")
    reload_server(db)
    try:
        yield login
    finally:
        hba.write_text(before, encoding="utf-8")
        reload_server(db)


def reload_server(db: Database) -> None:
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT pg_reload_conf()")


def with_password(url: str, login: str, password: str) -> str:
    return url.replace("parstudio@", f"{login}:{quote(password)}@", 1)


def test_changing_your_own_password_changes_your_server_logins_too(
    db: Database, db_url: str, server_roles: list[str], password_checked: str
) -> None:
    login, new = password_checked, "a new password 2"
    users.create_user(db, login=login, display_name="Pia", role=Role.CLERK, password=PASSWORD)
    station = open_database(with_password(db_url, login, PASSWORD), authenticate=users.authenticate)
    try:
        station.sign_in(login, PASSWORD)
        users.change_password(station, login=login, old_password=PASSWORD, new_password=new)
        # The station goes on working: its next connections log in with the new password.
        station.engine.dispose()
        assert counting.list_unmatched_scans(station, count_id=0) == []
    finally:
        station.close()

    with psycopg.connect(libpq(with_password(db_url, login, new))) as connection:
        assert connection.execute("SELECT current_user").fetchone() == (login,)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(libpq(with_password(db_url, login, PASSWORD)))
    assert users.authenticate(db, login=login, password=new).login == login


def test_a_password_set_through_the_owner_login_still_sets_the_server_logins(
    db: Database, db_url: str, server_roles: list[str], password_checked: str
) -> None:
    login = password_checked
    users.create_user(db, login=login, display_name="Pia", role=Role.CLERK, password=PASSWORD)
    users.change_password(db, login=login, new_password="set by anna 3")  # a manager, as owner
    with psycopg.connect(libpq(with_password(db_url, login, "set by anna 3"))) as connection:
        assert connection.execute("SELECT current_user").fetchone() == (login,)
