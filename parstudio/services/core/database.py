"""Opening a PAR Studio database: URL choice, engine set-up, schema checks and upgrades."""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from parstudio.domain.errors import (
    ConnectionLostError,
    DatabaseOpenError,
    DatabaseRestoredError,
    DatabaseTooNewError,
    NotAParStudioDatabaseError,
    PermissionDenied,
    ServerUnreachableError,
)
from parstudio.domain.roles import Role
from parstudio.services.core.urls import (
    APP_NAME,
    ENV_VAR,
    data_folder,
    default_database_url,
    demo_database_url,
    describe_url,
    normalise_url,
    sqlite_url,
    without_password,
)

if TYPE_CHECKING:
    from alembic.config import Config

# The URL helpers live apart, without SQLAlchemy, so the window can name a database before it
# opens it; they are re-exported here, where the rest of PAR Studio finds them.
__all__ = [
    "APP_NAME",
    "ENV_VAR",
    "MIGRATION_LOCK_KEY",
    "SCHEMA_HEAD",
    "Account",
    "Authenticator",
    "Database",
    "alembic_config",
    "check_schema_not_newer",
    "data_folder",
    "default_database_url",
    "demo_database_url",
    "describe_url",
    "head_revision",
    "known_revisions",
    "migrations_folder",
    "normalise_url",
    "open_database",
    "open_offline",
    "schema_revision",
    "sqlite_url",
]


# The newest migration (tests/test_migrations.py checks it is Alembic's head). Opening a
# database already at this revision needs no Alembic at all, which keeps start-up quick.
SCHEMA_HEAD = "0009"


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


class Account(Protocol):
    """Who has signed in, as an authenticator finds them."""

    @property
    def login(self) -> str: ...

    @property
    def display_name(self) -> str: ...

    @property
    def role(self) -> Role: ...


class Authenticator(Protocol):
    """Checks a login and password against the database's accounts.

    The accounts are a feature (``services/admin/users.py``), so the opener is given the check
    rather than importing it: nothing in ``services/core`` imports a feature.
    """

    def __call__(self, db: Database, /, *, login: str, password: str) -> Account: ...


@dataclass
class Database:
    """An open PAR Studio database: its engine, a factory of transactions, and who is working.

    With no user accounts in the database, sign-in is off and the operating-system user acts
    as a manager. Once accounts exist, ``role`` is None (nothing may be written) until
    ``sign_in`` succeeds.
    """

    url: str
    engine: Engine
    session_factory: sessionmaker[Session]
    user_name: str
    role: Role | None = Role.MANAGER
    display_name: str | None = None
    has_users: bool = False
    authenticate: Authenticator | None = None
    signed_in: bool = False  # through an account (not the no-accounts session's manager)
    restore_token: str | None = None  # the latest restore marker when this was opened
    # Opened without the server (a scanning station, see `open_offline`): nothing is checked
    # yet, and nothing may be written until `finish_opening` has reached the server.
    opened_offline: bool = False
    pending_sign_in: tuple[str, str] | None = None  # --user and password, checked when back

    def finish_opening(self) -> None:
        """Opened offline: check the database now that the server answers, and sign in.

        Raises ConnectionLostError while the server is still away. Does nothing once done.
        """
        if not self.opened_offline:
            return
        try:
            _check_and_upgrade(self.engine, self.description, create=False, upgrade=False)
            has_users = _has_users(self.engine)
            token = _latest_restore(self.engine)
        except (OperationalError, DBAPIError) as exc:
            if _is_disconnect(exc):
                raise ConnectionLostError(
                    f"{self.description} still cannot be reached; the scans stay kept here."
                ) from exc
            raise
        self.has_users, self.restore_token = has_users, token
        self.role = None if has_users else Role.MANAGER
        self.opened_offline = False
        if self.pending_sign_in is not None and has_users:
            login, password = self.pending_sign_in
            self.pending_sign_in = None
            self.sign_in(login, password)

    @property
    def sign_in_required(self) -> bool:
        """Whether someone must sign in before anything can be written."""
        return self.role is None

    def sign_in(self, login: str, password: str) -> None:
        """Become the user ``login``; refuses an unknown login, a wrong password, a disabled one."""
        if self.authenticate is None:
            raise RuntimeError(
                "This database was opened without an authenticator: pass "
                "authenticate=users.authenticate to open_database to let people sign in."
            )
        user = self.authenticate(self, login=login, password=password)
        self.user_name = user.login
        self.display_name = user.display_name
        self.role = user.role
        self.has_users = True
        self.signed_in = True

    def reread_role(self, connection: Connection) -> None:
        """Take the signed-in user's role and active flag as they are now (once per write).

        A manager may have changed them since sign-in: a deactivated account is signed out
        and its write refused, a changed role holds from this write on.
        """
        if not self.signed_in or self.role is None:
            return
        found = connection.execute(
            text("SELECT role, active FROM app_user WHERE login = :login"),
            {"login": self.user_name},
        ).first()
        if found is None or not found[1]:
            self.role = None
            raise PermissionDenied(
                f"The account “{self.user_name}” has been deactivated or removed by a manager; "
                "nothing was saved. Ask a manager, then sign in again."
            )
        self.role = Role(found[0])

    def check_unchanged(self, connection: Connection) -> None:
        """Before a write commits: refuse if the schema is newer or a restore happened since.

        One round trip for both (every scan is a write: see bench/scenarios/counting.py).
        """
        found = connection.exec_driver_sql(
            "SELECT version_num, (SELECT token FROM restore_marker ORDER BY id DESC LIMIT 1) "
            "FROM alembic_version"
        ).first()
        current, token = found if found is not None else (None, None)
        _refuse_unknown_revision(current, self.description)
        if token != self.restore_token:
            refuse_if_restored(connection, self.restore_token, self.description)

    def _refuse_if_restored_since_opened(self) -> None:
        try:
            with self.engine.connect() as connection:
                refuse_if_restored(connection, self.restore_token, self.description)
        except (OperationalError, DBAPIError):
            return

    def use_server_password(self, password: str) -> None:
        """The server login's password was changed: connect with the new one from now on.

        Also kept in the system keyring if the old one was (else the next opening would fail).
        """
        from parstudio.services.core.credentials import remember_password, stored_password

        old = self.engine
        self.engine = create_engine(old.url.set(password=password), **_SERVER_ENGINE)
        self.session_factory.configure(bind=self.engine)
        old.dispose()
        if stored_password(self.url) is not None:
            remember_password(self.url, password)

    def sign_out(self) -> None:
        """Forget the signed-in user: nothing can be written until someone signs in again."""
        if self.has_users:
            self.role = None
            self.display_name = None

    @property
    def is_sqlite(self) -> bool:
        """Whether this is a local SQLite file."""
        return self.engine.dialect.name == "sqlite"

    @property
    def description(self) -> str:
        """What the status bar shows about this database."""
        return describe_url(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        session = self.session_factory()
        try:
            with session.begin():
                yield session
        except (OperationalError, DBAPIError) as exc:
            if getattr(exc, "connection_invalidated", False) or _is_disconnect(exc):
                raise ConnectionLostError(
                    f"The connection to the database was lost ({self.description}). "
                    "Nothing from the last action was saved; try again when it is back."
                ) from exc
            # A restore over the open database (tables dropped and made again) shows up as
            # some driver error: say what happened instead, if that is it.
            self._refuse_if_restored_since_opened()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading only."""
        with self.transaction() as session:
            yield session

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()


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


def open_database(
    url: str | None = None,
    *,
    create: bool = True,
    upgrade: bool = True,
    user_name: str | None = None,
    password: str | None = None,
    authenticate: Authenticator | None = None,
) -> Database:
    """Open (and create or upgrade as needed) the PAR Studio database at ``url``.

    ``password`` is the database server's (kept out of ``url``, which is remembered and shown);
    without one, a password remembered in the system keyring is used if there is one.
    ``authenticate`` checks sign-ins (``services.admin.users.authenticate``); without it the
    database can be used as the operating-system user when it has no accounts, but nobody can
    sign in.
    """
    url = normalise_url(url or default_database_url())
    parsed = _parse_url(url)
    url, engine = _make_engine(url, parsed, password, create=create)
    description = describe_url(url)
    try:
        _check_and_upgrade(engine, description, create=create, upgrade=upgrade)
    except DatabaseOpenError:
        engine.dispose()
        raise
    except (OperationalError, DBAPIError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        if "file is not a database" in reason or "malformed" in reason:
            raise NotAParStudioDatabaseError(
                f"{description} is not a PAR Studio database (it is not an SQLite database at all)."
            ) from exc
        if isinstance(exc, DBAPIError) and _unreachable(exc):
            raise ServerUnreachableError(f"Could not open {description}: {reason}") from exc
        raise DatabaseOpenError(f"Could not open {description}: {reason}") from exc
    has_users = _has_users(engine)
    db = Database(
        url=url,
        engine=engine,
        session_factory=sessionmaker(engine, expire_on_commit=False),
        user_name=user_name or _login_name(),
        role=None if has_users else Role.MANAGER,
        has_users=has_users,
        authenticate=authenticate,
    )
    db.restore_token = _latest_restore(engine)
    _install_guard(db)
    return db


def open_offline(
    url: str,
    *,
    user_name: str | None = None,
    password: str | None = None,
    authenticate: Authenticator | None = None,
) -> Database:
    """The stand-in a scanning station counts with while its PostgreSQL server is unreachable.

    Nothing is connected or checked: the engine connects on first use. Nobody is signed in
    and nothing can be written (role None) until `Database.finish_opening` reaches the server;
    until then the station only keeps scans in its journal.
    """
    url = normalise_url(url)
    parsed = _parse_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseOpenError("Only a database on a server can be opened without it.")
    url, engine = _make_engine(url, parsed, password, create=False)
    db = Database(
        url=url,
        engine=engine,
        session_factory=sessionmaker(engine, expire_on_commit=False),
        user_name=user_name or _login_name(),
        role=None,
        opened_offline=True,
        authenticate=authenticate,
    )
    _install_guard(db)
    return db


def _install_guard(db: Database) -> None:
    from parstudio.services.core import guard as _guard

    _guard.install(
        db.session_factory, lambda: (db.user_name, db.role), db.check_unchanged, db.reread_role
    )


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


_LATEST_RESTORE = (
    "SELECT token, restored_at, restored_by, backup_name FROM restore_marker "
    "ORDER BY id DESC LIMIT 1"
)


def _latest_restore(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("restore_marker"):
            return None
        found = connection.exec_driver_sql(_LATEST_RESTORE).first()
        return None if found is None else str(found[0])


def refuse_if_restored(connection: Connection, known: str | None, description: str) -> None:
    """Refuse to go on if the database was restored since the session saw restore ``known``."""
    found = connection.exec_driver_sql(_LATEST_RESTORE).first()
    if found is None or found[0] == known:
        return
    _token, at, by, name = found
    if isinstance(at, str):  # SQLite hands the raw text back
        at = datetime.fromisoformat(at)
    when = at.astimezone() if at.tzinfo else at.replace(tzinfo=UTC).astimezone()
    raise DatabaseRestoredError(
        f"{description} was restored from the backup {name or '(unnamed)'} on {when:%d %b} at "
        f"{when:%H:%M}{f' by {by}' if by else ''}, while PAR Studio had it open here: what this "
        "window shows may no longer be in it. Nothing was saved. Open the database again "
        "(File ▸ Open recent, or close and reopen this window) to go on from what it now holds."
    )


def _has_users(engine: Engine) -> bool:
    """Whether the database holds active user accounts (then sign-in is required)."""
    with engine.connect() as connection:
        if "app_user" not in inspect(connection).get_table_names():
            return False
        return bool(
            connection.exec_driver_sql("SELECT 1 FROM app_user WHERE active LIMIT 1").first()
        )


def _login_name() -> str:
    """The operating system's login of whoever runs PAR Studio (the audit log's name for them)."""
    # Never "unknown": with no terminal, no $USER and no password-file entry (a bare
    # container) it is the numeric user id.
    try:
        return os.getlogin()
    except OSError:
        pass
    try:
        return getpass.getuser()  # LOGNAME, USER, LNAME, USERNAME, then the password file
    except (OSError, KeyError, ImportError):
        uid = getattr(os, "getuid", None)
        return f"uid {uid()}" if uid is not None else "workstation"


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
