"""Opening a PAR Studio database: URL choice, sign-in, the open `Database`.

The engine making is in ``engines.py``, the schema checks and upgrades in ``schema.py``, the
restore marker in ``restores.py``.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from parstudio.domain.errors import (
    ConnectionLostError,
    DatabaseOpenError,
    NotAParStudioDatabaseError,
    PermissionDenied,
    ServerUnreachableError,
)
from parstudio.domain.roles import Role
from parstudio.services.core.engines import (
    _SERVER_ENGINE,
    _is_disconnect,
    _make_engine,
    _parse_url,
    _unreachable,
)
from parstudio.services.core.restores import _latest_restore, refuse_if_restored
from parstudio.services.core.schema import _check_and_upgrade, _refuse_unknown_revision
from parstudio.services.core.urls import (
    APP_NAME,
    ENV_VAR,
    data_folder,
    default_database_url,
    demo_database_url,
    describe_url,
    normalise_url,
    sqlite_url,
)

# The URL helpers live apart, without SQLAlchemy, so the window can name a database before it
# opens it; they are re-exported here, where the rest of PAR Studio finds them.
__all__ = [
    "APP_NAME",
    "ENV_VAR",
    "Account",
    "Authenticator",
    "Database",
    "data_folder",
    "default_database_url",
    "demo_database_url",
    "describe_url",
    "normalise_url",
    "open_database",
    "open_offline",
    "sqlite_url",
]


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
