"""Opening databases: creation, upgrades, and clear refusals of what is not ours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from parstudio.domain.errors import (
    DatabaseOpenError,
    DatabaseTooNewError,
    NotAParStudioDatabaseError,
)
from parstudio.services.catalog import suppliers
from parstudio.services.core.database import (
    describe_url,
    normalise_url,
    open_database,
    sqlite_url,
)
from parstudio.services.core.schema import head_revision, schema_revision


def test_new_file_is_created_and_migrated(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "sub" / "new.sqlite"))
    try:
        assert schema_revision(db) == head_revision()
        assert db.is_sqlite
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.close()


def test_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list: gloves, gowns\n" * 200)
    with pytest.raises(NotAParStudioDatabaseError, match="not a PAR Studio database"):
        open_database(str(path))
    assert path.read_text().startswith("shopping list")


def test_someone_elses_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY)")
    with pytest.raises(NotAParStudioDatabaseError, match="other tables"):
        open_database(str(path))
    with sqlite3.connect(path) as connection:
        names = [r[0] for r in connection.execute("SELECT name FROM sqlite_master")]
    assert names == ["patients"]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "newer.sqlite")
    open_database(url).close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseTooNewError, match="newer version of PAR Studio"):
        open_database(url)


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="no database file"):
        open_database(str(tmp_path / "absent.sqlite"), create=False)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://localhost/par", "SQLite files and PostgreSQL"),
        ("sqlite://", "needs a database file"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "Could not open"),
    ],
)
def test_unusable_urls_get_a_clear_message(url: str, message: str) -> None:
    with pytest.raises(DatabaseOpenError, match=message):
        open_database(url)


def test_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="is a folder"):
        open_database(str(tmp_path))


def test_descriptions_hide_passwords() -> None:
    described = describe_url("postgresql+psycopg://anna:secret@db.example:5433/par")
    assert described == "PostgreSQL anna@db.example:5433/par"
    assert "secret" not in described
    assert normalise_url("x.sqlite").startswith("sqlite:///")


def test_data_survives_reopening(db_url: str) -> None:
    db = open_database(db_url)
    suppliers.create_supplier(db, fields={"code": "A", "name": "Alpha"})
    db.close()
    again = open_database(db_url)
    try:
        assert [s.code for s in suppliers.list_suppliers(again)] == ["A"]
    finally:
        again.close()
