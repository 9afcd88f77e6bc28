"""Making the SQLAlchemy engine for a database address, and telling a lost server from other
database errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from parstudio.domain.errors import DatabaseOpenError
from parstudio.services.core.urls import without_password


def _is_disconnect(exc: DBAPIError) -> bool:
    """Whether the error means the server is gone (dropped, shut down, or refusing to connect).

    A connection that drops mid-transaction is flagged by SQLAlchemy; a server that is already
    down fails on connecting, with no SQLSTATE at all (PostgreSQL's class 08 is a connection
    exception, 57P01-57P03 a server shutting down or starting). SQLite has no server: its
    operational errors ("database is locked") are never a lost connection.
    """
    if getattr(exc, "connection_invalidated", False):
        return True
    if not isinstance(exc, OperationalError) or exc.orig is None:
        return False
    if type(exc.orig).__module__.startswith("sqlite3"):
        return False
    state = getattr(exc.orig, "sqlstate", None)
    return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")


def _unreachable(exc: DBAPIError) -> bool:
    """On opening: the server did not answer at all (a refusal it answered with is not this).

    Connecting, psycopg has no SQLSTATE even for the server's own refusals ("database does not
    exist", a wrong password): those come as FATAL messages, unlike a refused or timed-out
    connection. A server starting up or shutting down is as good as away.
    """
    if not _is_disconnect(exc):
        return False
    message = str(exc.orig)
    return "FATAL:" not in message or "starting up" in message or "shutting down" in message


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseOpenError(
            f"“{url}” is not a database address. Use a file path, sqlite:///path/to/file.sqlite "
            "or postgresql+psycopg://user@host/database."
        ) from exc
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseOpenError(
            f"PAR Studio works with SQLite files and PostgreSQL servers, not “{backend}”."
        )
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _make_engine(
    url: str, parsed: URL, password: str | None, *, create: bool
) -> tuple[str, Engine]:
    """The engine for ``url`` (not yet connected), and the URL as it is remembered."""
    if parsed.password is not None:
        # A password written in the address is used, but never kept in it: the address is
        # what the window remembers, lists under Recent and names in messages.
        password = password or parsed.password
        url = without_password(url)
        parsed = parsed.set(password=None)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not parsed.database or parsed.database == ":memory:":
            raise DatabaseOpenError("PAR Studio needs a database file, not an in-memory database.")
        if not path.exists() and not create:
            raise DatabaseOpenError(f"There is no database file at {path}.")
        if path.exists() and path.is_dir():
            raise DatabaseOpenError(f"{path} is a folder, not a database file.")
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        if password:
            parsed = parsed.set(password=password)
        elif parsed.password is None and parsed.username:
            from parstudio.services.core.credentials import stored_password

            remembered = stored_password(url)
            if remembered:
                parsed = parsed.set(password=remembered)
        engine = create_engine(parsed, **_SERVER_ENGINE)
    return url, engine


_SERVER_ENGINE: dict[str, Any] = {
    "pool_pre_ping": True,
    "connect_args": {"connect_timeout": 5, "application_name": "PAR Studio"},
}
