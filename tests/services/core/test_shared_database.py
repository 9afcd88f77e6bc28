"""Several workstations on one database: no lost update, one upgrade, no writes by an old app."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from parstudio.domain.errors import ConflictError, DatabaseTooNewError
from parstudio.models import AuditEntry, Location
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core import audit
from parstudio.services.core.database import Database, open_database
from parstudio.services.core.schema import head_revision, schema_revision
from tests.conftest import make_database_url
from tests.support.postgres import PostgresServer


@pytest.fixture
def pg_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database on the test PostgreSQL server."""
    return make_database_url(request, "postgres", tmp_path)


def _one_setting(url: str) -> int:
    db = open_database(url, user_name="setup")
    try:
        room = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
        item = items.create_item(db, fields={"code": "SYR-10", "description": "Syringe 10 mL"})
        return par_settings.create_par_setting(
            db, location_id=room.id, item_id=item.id, fields={"par_level": "10"}
        ).id
    finally:
        db.close()


def _save_level(url: str, user: str, setting_id: int, level: str, ready: Any, outcome: Any) -> None:
    """One workstation: read the setting, wait for the other, then save a new PAR level."""
    db = open_database(url, user_name=user)
    try:
        seen = par_settings.get_par_setting(db, setting_id=setting_id)
        ready.wait(timeout=30)
        try:
            par_settings.update_par_setting(
                db,
                setting_id=setting_id,
                changes={"par_level": level},
                expected_version=seen.version,
            )
            outcome.put((user, "saved", ""))
        except ConflictError as exc:
            outcome.put((user, "conflict", str(exc)))
    finally:
        db.close()


def _check_one_winner(url: str, setting_id: int, results: list[tuple[str, str, str]]) -> None:
    assert sorted(kind for _user, kind, _message in results) == ["conflict", "saved"]
    winner = next(user for user, kind, _m in results if kind == "saved")
    db = open_database(url)
    try:
        final = par_settings.get_par_setting(db, setting_id=setting_id)
        assert final.par_level == {"anna": Decimal(12), "ben": Decimal(14)}[winner]
        assert final.version == 2
        history = audit.record_history(db, table="par_setting", record_id=setting_id)
        assert [(entry.action, entry.user_name) for entry in history] == [
            ("update", winner),
            ("insert", "setup"),
        ]
    finally:
        db.close()


@pytest.mark.postgres
def test_two_workstations_saving_the_same_setting_one_is_refused(pg_url: str) -> None:
    setting_id = _one_setting(pg_url)
    ready = threading.Barrier(2)
    results: list[tuple[str, str, str]] = []

    class Outcome:
        def put(self, item: tuple[str, str, str]) -> None:
            results.append(item)

    workers = [
        threading.Thread(
            target=_save_level, args=(pg_url, user, setting_id, level, ready, Outcome())
        )
        for user, level in (("anna", "12"), ("ben", "14"))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    _check_one_winner(pg_url, setting_id, results)


@pytest.mark.postgres
def test_two_processes_saving_the_same_setting_one_is_refused(pg_url: str) -> None:
    setting_id = _one_setting(pg_url)
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(2)
    outcome = context.Queue()
    workers = [
        context.Process(target=_save_level, args=(pg_url, user, setting_id, level, ready, outcome))
        for user, level in (("anna", "12"), ("ben", "14"))
    ]
    for worker in workers:
        worker.start()
    results = [outcome.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    _check_one_winner(pg_url, setting_id, results)


def test_a_conflict_message_names_who_and_what_in_sequence(db: Database) -> None:
    setting_id = _one_setting(db.url)
    other = open_database(db.url, user_name="anna")
    try:
        par_settings.update_par_setting(
            other, setting_id=setting_id, changes={"par_level": "12"}, expected_version=1
        )
        par_settings.update_par_setting(
            other, setting_id=setting_id, changes={"moq": "2"}, expected_version=2
        )
    finally:
        other.close()
    with pytest.raises(ConflictError) as refused:
        par_settings.update_par_setting(
            db, setting_id=setting_id, changes={"par_level": "20"}, expected_version=1
        )
    message = str(refused.value)
    assert "anna changed it at" in message
    assert "PAR level 10 → 12" in message and "MOQ (blank) → 2" in message
    assert message.index("PAR level") < message.index("MOQ")


@pytest.fixture
def empty_pg_url(pg_server: PostgresServer) -> Iterator[str]:
    """A brand-new, empty PostgreSQL database (no schema yet)."""
    yield pg_server.create_database("fresh_shared")
    pg_server.drop_database("fresh_shared")


@pytest.mark.postgres
def test_two_apps_opening_a_fresh_shared_database_at_once_upgrade_it_once(
    empty_pg_url: str,
) -> None:
    start = threading.Barrier(2)
    opened: list[Database] = []
    failures: list[BaseException] = []

    def open_it() -> None:
        start.wait(timeout=30)
        try:
            opened.append(open_database(empty_pg_url))
        except BaseException as exc:  # collected for the assertion below
            failures.append(exc)

    workers = [threading.Thread(target=open_it) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    try:
        assert failures == []
        assert len(opened) == 2
        assert {schema_revision(db) for db in opened} == {head_revision()}
        locations.create_location(opened[0], fields={"code": "CT1", "name": "CT room 1"})
        assert [loc.code for loc in locations.list_locations(opened[1])] == ["CT1"]
    finally:
        for db in opened:
            db.close()


def test_an_older_app_does_not_write_after_a_newer_one_upgraded(db: Database) -> None:
    locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    newer = create_engine(db.url)
    with newer.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    newer.dispose()
    with pytest.raises(DatabaseTooNewError, match="upgraded by a newer version"):
        locations.create_location(db, fields={"code": "MRI", "name": "MRI"})
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Location)) == 1
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1
    # Reading still works, so the user can look while they update PAR Studio.
    assert [loc.code for loc in locations.list_locations(db)] == ["CT1"]
