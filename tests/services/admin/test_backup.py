"""Backups: online SQLite copies and pg_dump, checked restores, and the daily copy."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from parstudio.cli import main
from parstudio.domain.errors import BackupError, DatabaseRestoredError
from parstudio.domain.roles import Role
from parstudio.services.admin import backup, users
from parstudio.services.catalog import locations
from parstudio.services.core.database import Database, open_database, sqlite_url
from parstudio.services.core.schema import head_revision
from tests.conftest import make_database_url
from tests.support.postgres import PostgresServer


def codes(db: Database) -> list[str]:
    return [location.code for location in locations.list_locations(db)]


def test_sqlite_backup_and_restore_round_trip(sqlite_db: Database, tmp_path: Path) -> None:
    locations.create_location(sqlite_db, fields={"code": "CT1", "name": "CT room 1"})
    copy = backup.backup_database(sqlite_db, tmp_path / "saved" / "monday.sqlite")
    assert backup.backup_revision(copy) == head_revision()
    locations.create_location(sqlite_db, fields={"code": "MRI", "name": "MRI"})
    safety = backup.restore_database(sqlite_db.url, copy)
    assert codes(sqlite_db) == ["CT1"]  # the open database sees the restored pages
    assert safety is not None and safety.exists()
    before = open_database(sqlite_url(safety))
    try:
        assert codes(before) == ["CT1", "MRI"]
    finally:
        before.close()


def test_a_backup_taken_while_someone_writes_is_consistent(
    sqlite_db: Database, tmp_path: Path
) -> None:
    for n in range(20):
        locations.create_location(sqlite_db, fields={"code": f"L{n}", "name": f"Room {n}"})
    with sqlite_db.transaction() as session:  # an open write transaction during the copy
        session.execute(text("INSERT INTO bin (location_id, code, sort_order) VALUES (1, 'X', 0)"))
        copy = backup.backup_database(sqlite_db, tmp_path / "during.sqlite")
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT count(*) FROM location").fetchone() == (20,)
        assert connection.execute("SELECT count(*) FROM bin").fetchone() == (0,)
    connection.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"shopping list: gloves\n" * 100, "not an SQLite database"),
        (None, "not a PAR Studio database"),
    ],
)
def test_restore_refuses_what_is_not_a_par_studio_backup(
    sqlite_db: Database, tmp_path: Path, content: bytes | None, message: str
) -> None:
    locations.create_location(sqlite_db, fields={"code": "CT1", "name": "CT room 1"})
    bad = tmp_path / "bad.sqlite"
    if content is None:
        with sqlite3.connect(bad) as connection:
            connection.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY)")
        connection.close()
    else:
        bad.write_bytes(content)
    with pytest.raises(BackupError, match=message):
        backup.restore_database(sqlite_db.url, bad)
    assert codes(sqlite_db) == ["CT1"]
    with pytest.raises(BackupError, match="no backup file"):
        backup.restore_database(sqlite_db.url, tmp_path / "absent.sqlite")


def test_restore_refuses_a_backup_from_a_newer_par_studio(
    sqlite_db: Database, tmp_path: Path
) -> None:
    copy = backup.backup_database(sqlite_db, tmp_path / "newer.sqlite")
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.close()
    locations.create_location(sqlite_db, fields={"code": "CT1", "name": "CT room 1"})
    with pytest.raises(BackupError, match="9999_future"):
        backup.restore_database(sqlite_db.url, copy)
    assert codes(sqlite_db) == ["CT1"]


def test_daily_backup_once_a_day_keeping_the_last_seven(sqlite_db: Database) -> None:
    start = date(2026, 11, 1)
    made = [backup.daily_backup(sqlite_db, today=start + timedelta(days=n)) for n in range(9)]
    assert all(path is not None for path in made)
    assert backup.daily_backup(sqlite_db, today=start + timedelta(days=8)) is None
    folder = Path(str(made[0])).parent
    kept = sorted(path.name for path in folder.glob("*.sqlite"))
    assert kept == [f"parstudio-2026-11-{day:02d}.sqlite" for day in range(3, 10)]
    assert backup.backup_revision(folder / kept[-1]) == head_revision()


def test_cli_backup_and_restore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "office.sqlite"
    db = open_database(str(path))
    try:
        locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
        users.create_user(
            db, login="anna", display_name="Anna", role=Role.MANAGER, password="manager-pw"
        )
        users.create_user(
            db, login="carl", display_name="Carl", role=Role.CLERK, password="clerk-pw1"
        )
    finally:
        db.close()
    copy = tmp_path / "copy.sqlite"
    assert main(["--database", str(path), "backup", str(copy)]) == 0
    assert "Backed up" in capsys.readouterr().out
    monkeypatch.setenv("PARSTUDIO_PASSWORD", "clerk-pw1")
    assert main(["--database", str(path), "--user", "carl", "restore", str(copy), "--yes"]) == 2
    assert "Only a manager" in capsys.readouterr().err
    monkeypatch.setenv("PARSTUDIO_PASSWORD", "manager-pw")
    assert main(["--database", str(path), "--user", "anna", "restore", str(copy), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "is a PAR Studio backup" in out and "kept in" in out
    assert main(["--database", str(path), "restore", str(tmp_path / "nothing.sqlite")]) == 2
    assert "no backup file" in capsys.readouterr().err


@pytest.fixture
def pg_tools(pg_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """pg_dump and pg_restore of the test server on the PATH."""
    monkeypatch.setenv("PATH", f"{pg_server.bin_dir}:/usr/bin:/bin")


@pytest.mark.postgres
def test_pg_dump_backup_and_checked_restore(
    request: pytest.FixtureRequest, tmp_path: Path, pg_tools: None
) -> None:
    url = make_database_url(request, "postgres", tmp_path)
    db = open_database(url)
    try:
        locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
        dump = backup.backup_database(db, tmp_path / "shared.dump")
        assert backup.pg_backup_revision(dump) == head_revision()
        locations.create_location(db, fields={"code": "MRI", "name": "MRI"})
    finally:
        db.close()
    safety = backup.restore_database(url, dump)
    assert safety is not None and safety.exists()
    db = open_database(url)
    try:
        assert codes(db) == ["CT1"]
    finally:
        db.close()
    not_ours = tmp_path / "not-ours.dump"
    not_ours.write_text("hello")
    with pytest.raises(BackupError, match="not a pg_dump backup"):
        backup.restore_database(url, not_ours)


@pytest.mark.postgres
def test_without_pg_dump_the_backup_says_what_to_install(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(make_database_url(request, "postgres", tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    try:
        with pytest.raises(BackupError, match="pg_dump was not found"):
            backup.backup_database(db, tmp_path / "x.dump")
    finally:
        db.close()
    assert not (tmp_path / "x.dump").exists()


def test_backup_refuses_to_overwrite_the_database_itself(sqlite_db: Database) -> None:
    with pytest.raises(BackupError, match="cannot overwrite"):
        backup.backup_database(sqlite_db, Path(sqlite_db.url.removeprefix("sqlite:///")))


def _restore_tells_the_station(url: str, tmp_path: Path, dump_name: str) -> None:
    station = open_database(url, user_name="pat")
    other = open_database(url, user_name="anna")
    try:
        locations.create_location(station, fields={"code": "CT1", "name": "CT room 1"})
        copy = backup.backup_database(other, tmp_path / dump_name)
        locations.create_location(station, fields={"code": "MRI", "name": "MRI"})
        backup.restore_database(url, copy, restored_by="anna")

        with pytest.raises(DatabaseRestoredError) as refused:
            locations.create_location(station, fields={"code": "ER", "name": "Emergency"})
        message = str(refused.value)
        assert f"restored from the backup {dump_name}" in message and "by anna" in message
        assert "Nothing was saved" in message and "Open the database again" in message
    finally:
        station.close()
        other.close()
    reopened = open_database(url, user_name="pat")
    try:
        assert codes(reopened) == ["CT1"]  # the restore, and nothing written after it
        locations.create_location(reopened, fields={"code": "ER", "name": "Emergency"})
        assert codes(reopened) == ["CT1", "ER"]
    finally:
        reopened.close()


def test_a_station_that_had_the_database_open_is_told_of_a_restore(
    sqlite_db: Database, tmp_path: Path
) -> None:
    sqlite_db.close()
    _restore_tells_the_station(sqlite_db.url, tmp_path, "office-copy.sqlite")


@pytest.mark.postgres
def test_a_station_is_told_of_a_restore_over_the_live_server_database(
    request: pytest.FixtureRequest, tmp_path: Path, pg_tools: None
) -> None:
    url = make_database_url(request, "postgres", tmp_path)
    _restore_tells_the_station(url, tmp_path, "shared.dump")
