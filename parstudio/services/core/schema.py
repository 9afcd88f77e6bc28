"""The schema a PAR Studio database is at: checking it, upgrading it with Alembic, refusing one
a newer PAR Studio has made."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, inspect, text

from parstudio.domain.errors import (
    DatabaseOpenError,
    DatabaseTooNewError,
    NotAParStudioDatabaseError,
)

if TYPE_CHECKING:
    from alembic.config import Config

    from parstudio.services.core.database import Database

# The newest migration (tests/test_migrations.py checks it is Alembic's head). Opening a
# database already at this revision needs no Alembic at all, which keeps start-up quick.
SCHEMA_HEAD = "0010"


def migrations_folder() -> Path:
    """Where the Alembic scripts are: inside an installed wheel, or beside the source tree."""
    here = Path(__file__).resolve().parents[2]  # the parstudio package
    for candidate in (here / "_migrations", here.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise DatabaseOpenError("PAR Studio's migration scripts are missing from this installation.")


def alembic_config(connection: Any | None = None) -> Config:
    """An Alembic configuration pointing at PAR Studio's migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_folder()))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _current_revision(connection: Connection) -> str | None:
    """The revision stamped in the database, read without starting Alembic."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


# Any fixed number: every PAR Studio takes this advisory lock while it checks and upgrades.
MIGRATION_LOCK_KEY = 0x5A_5354_5544


def _check_and_upgrade(engine: Engine, description: str, *, create: bool, upgrade: bool) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Workstations opening an older (or empty) shared database at once: the first
            # upgrades, the others wait here until it commits, then find it at head. The lock
            # is released with the transaction, however it ends.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        current = _current_revision(connection)
        if current == SCHEMA_HEAD:
            return
        from alembic import command
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config())
        head = script.get_current_head()
        tables = set(inspect(connection).get_table_names())
        if current is None:
            if tables - {"alembic_version"}:
                raise NotAParStudioDatabaseError(
                    f"{description} already holds other tables and is not a PAR Studio database."
                )
            if not create:
                raise NotAParStudioDatabaseError(
                    f"{description} is empty: it has no PAR Studio data."
                )
        elif current != head:
            try:
                known = script.get_revision(current)
            except Exception:  # alembic raises several kinds for an unknown id
                known = None
            if known is None:
                raise DatabaseTooNewError(
                    f"{description} was last used by a newer version of PAR Studio "
                    f"(schema {current}). Update PAR Studio to open it; nothing was changed."
                )
        if current != head and upgrade:
            if current is not None and connection.dialect.name == "sqlite":
                from parstudio.services.core.safety_copy import keep_copy_before_upgrade

                raw = connection.connection.driver_connection
                database = Path(str(engine.url.database))
                keep_copy_before_upgrade(raw, database, current)  # type: ignore[arg-type]
            command.upgrade(alembic_config(connection), "head")


def known_revisions() -> frozenset[str]:
    """Every schema revision this version of PAR Studio knows."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(revision.revision for revision in script.walk_revisions())


_KNOWN: dict[str, frozenset[str]] = {}


def check_schema_not_newer(connection: Connection, description: str) -> None:
    """Refuse to write to a database a newer PAR Studio has upgraded since it was opened."""
    current = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    _refuse_unknown_revision(current, description)


def _refuse_unknown_revision(current: str | None, description: str) -> None:
    if current is None or current == SCHEMA_HEAD:
        return
    if "revisions" not in _KNOWN:
        _KNOWN["revisions"] = known_revisions()  # read the scripts once, not at every commit
    if current is not None and current not in _KNOWN["revisions"]:
        raise DatabaseTooNewError(
            f"{description} was upgraded by a newer version of PAR Studio (schema {current}) "
            "while this one had it open. Nothing was saved; update PAR Studio to go on working."
        )


def schema_revision(db: Database) -> str | None:
    """The Alembic revision the database is at."""
    with db.engine.connect() as connection:
        return _current_revision(connection)


def head_revision() -> str | None:
    """The newest schema revision this version of PAR Studio knows."""
    return SCHEMA_HEAD
