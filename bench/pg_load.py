"""Copying a generated department from its SQLite file into a PostgreSQL database, fast.

The schema is PAR Studio's own: `open_database` makes it on the empty database (Alembic, as
for any new server). Then, as pg_restore does, the foreign keys and the plain indexes are
dropped, every table is copied with COPY (psycopg 3 ``cursor.copy``) in foreign-key order,
the indexes are made again and the foreign keys added back (each checked once, in bulk, by
the server), the id sequences are moved past the copied ids, and the tables are vacuumed and
analysed so the first measurement does not pay for hint bits or missing statistics.

The SQLite file is only read (opened read-only). Values are sent as SQLite holds them and the
server parses them: times are SQLite's UTC text (the session's time zone is UTC), booleans
0/1, Numeric figures as SQLite's numbers, rounded by the column to its four places as
SQLAlchemy rounds them when reading SQLite.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_BATCH = 20_000


@dataclass
class LoadReport:
    """What was copied and how long each part took (seconds)."""

    rows: dict[str, int] = field(default_factory=dict)
    schema_s: float = 0.0
    copy_s: float = 0.0
    index_s: float = 0.0
    vacuum_s: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def total_s(self) -> float:
        return self.schema_s + self.copy_s + self.index_s + self.vacuum_s

    def summary(self) -> str:
        return (
            f"{self.total_rows:,} rows in {self.total_s:.1f} s (schema {self.schema_s:.1f} s, "
            f"COPY {self.copy_s:.1f} s, indexes and foreign keys {self.index_s:.1f} s, "
            f"VACUUM ANALYZE {self.vacuum_s:.1f} s)"
        )


def copy_department(source: Path, url: str, *, log: Callable[[str], None] = print) -> LoadReport:
    """Copy every table of the SQLite department ``source`` into the empty database at ``url``."""
    import psycopg

    from parstudio.models import Base
    from parstudio.services.core.database import open_database

    report = LoadReport()
    started = time.perf_counter()
    open_database(url, user_name="bench").close()  # PAR Studio's schema, by Alembic
    report.schema_s = time.perf_counter() - started
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        with psycopg.connect(_conninfo(url)) as connection:
            connection.execute("SET TimeZone = 'UTC'")
            tables = [
                table.name
                for table in Base.metadata.sorted_tables  # parents before children
                if table.name in _server_tables(connection) and table.name != "alembic_version"
            ]
            started = time.perf_counter()
            foreign_keys, indexes = _drop_keys_and_indexes(connection, tables)
            for table in tables:
                report.rows[table] = _copy_table(reader, connection, table)
                log(f"  {table}: {report.rows[table]:,} rows")
            report.copy_s = time.perf_counter() - started
            started = time.perf_counter()
            for statement in indexes + foreign_keys:
                connection.execute(statement)
            _move_sequences(connection, tables)
            connection.commit()
            report.index_s = time.perf_counter() - started
            started = time.perf_counter()
            connection.autocommit = True
            connection.execute("VACUUM (FREEZE, ANALYZE)")
            report.vacuum_s = time.perf_counter() - started
    finally:
        reader.close()
    return report


def _conninfo(url: str) -> str:
    """A libpq connection string from a SQLAlchemy ``postgresql+psycopg://`` URL."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    parts = {
        "host": parsed.host,
        "port": parsed.port,
        "dbname": parsed.database,
        "user": parsed.username,
        "password": parsed.password,
    }
    return " ".join(f"{key}={value}" for key, value in parts.items() if value is not None)


def _server_tables(connection: Any) -> set[str]:
    rows = connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    ).fetchall()
    return {row[0] for row in rows}


def _drop_keys_and_indexes(connection: Any, tables: list[str]) -> tuple[list[str], list[str]]:
    """Drop the tables' foreign keys and plain indexes; return the statements that remake them.

    Primary keys and unique constraints stay (the copy is checked against them as it goes).
    """
    foreign_keys = [
        (table, name, definition)
        for table, name, definition in connection.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE c.contype = 'f' AND n.nspname = 'public'"
        ).fetchall()
        if table.strip('"') in tables
    ]
    indexes = [
        (name, definition)
        for table, name, definition in connection.execute(
            "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = 'public' AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        ).fetchall()
        if table in tables
    ]
    for table, name, _definition in foreign_keys:
        connection.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        connection.execute(f'DROP INDEX "{name}"')
    return (
        [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {how}' for table, name, how in foreign_keys],
        [definition for _name, definition in indexes],
    )


def _copy_table(reader: sqlite3.Connection, connection: Any, table: str) -> int:
    """COPY one table's rows (the columns both sides have, which is all of them)."""
    server_columns = [
        row[0]
        for row in connection.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
            (table,),
        ).fetchall()
    ]
    local = {row[1] for row in reader.execute(f'PRAGMA table_info("{table}")')}
    missing = [name for name in server_columns if name not in local]
    if missing:
        raise RuntimeError(
            f"{table}: the SQLite department has no column {', '.join(missing)}; "
            "it was made by another schema (regenerate it, or open it once to upgrade it)."
        )
    names = ", ".join(f'"{name}"' for name in server_columns)
    copied = 0
    with connection.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for batch in _batches(reader.execute(f'SELECT {names} FROM "{table}"')):
            for row in batch:
                copy.write_row(row)
            copied += len(batch)
    return copied


def _batches(cursor: sqlite3.Cursor) -> Iterator[list[Any]]:
    while batch := cursor.fetchmany(_BATCH):
        yield batch


def _move_sequences(connection: Any, tables: list[str]) -> None:
    """Each id sequence continues after the largest id copied (new rows must not collide)."""
    generated = connection.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' "
        "AND (column_default LIKE 'nextval(%%' OR is_identity = 'YES')"
    ).fetchall()
    for table, column in generated:
        if table not in tables:
            continue
        connection.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), "
            f'coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)',
            (f'"{table}"', column),
        )
