"""An older local database is copied before an update upgrades it, or not upgraded at all."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from parstudio.domain.errors import DatabaseOpenError
from parstudio.services.core.database import open_database
from parstudio.services.core.safety_copy import safety_copy_path
from parstudio.services.core.schema import SCHEMA_HEAD, alembic_config
from parstudio.services.core.urls import sqlite_url


def older_database(path: Path) -> str:
    """A database at the revision before the newest, holding one supplier; returns its id."""
    script = ScriptDirectory.from_config(alembic_config())
    previous = script.get_revision(SCHEMA_HEAD).down_revision
    assert isinstance(previous, str)
    engine = create_engine(sqlite_url(path))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), previous)
        connection.execute(
            text(
                "INSERT INTO supplier (code, name, lead_time_days, delivery_weekdays, active,"
                " version, created_at, updated_at) VALUES ('OLD', 'Old Supplies', 3, '', 1, 1,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()
    return previous


def revision_and_suppliers(path: Path) -> tuple[str, list[str]]:
    with sqlite3.connect(path) as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        names = [row[0] for row in connection.execute("SELECT name FROM supplier")]
    return revision, names


def test_the_old_database_is_copied_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "parstudio.sqlite"
    previous = older_database(path)
    open_database(sqlite_url(path)).close()

    copy = safety_copy_path(path, previous)
    assert copy == tmp_path / "backups" / f"parstudio-before-upgrade-from-{previous}.sqlite"
    assert revision_and_suppliers(copy) == (previous, ["Old Supplies"])
    assert revision_and_suppliers(path) == (SCHEMA_HEAD, ["Old Supplies"])
    assert not list((tmp_path / "backups").glob("*.partial"))

    open_database(sqlite_url(path)).close()  # at head now: nothing more is copied
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_no_copy_no_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "parstudio.sqlite"
    previous = older_database(path)
    (tmp_path / "backups").write_text("a file where the backups folder should be")
    with pytest.raises(DatabaseOpenError, match="could not be kept first"):
        open_database(sqlite_url(path))
    assert revision_and_suppliers(path) == (previous, ["Old Supplies"])


def test_a_new_database_needs_no_copy(tmp_path: Path) -> None:
    open_database(sqlite_url(tmp_path / "new.sqlite")).close()
    assert not (tmp_path / "backups").exists()
