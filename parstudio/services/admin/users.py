"""User accounts: create, sign in, change a password, set a role, deactivate.

Only a manager may manage accounts (the write guard refuses anyone else); anyone signed in may
change their own password. Passwords are stored only as argon2 hashes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from parstudio.domain.errors import (
    DuplicateError,
    NotFoundError,
    PermissionDenied,
    SignInError,
    ValidationError,
)
from parstudio.domain.roles import Role
from parstudio.domain.sign_in_policy import LOCK_AFTER, wait_after
from parstudio.models.users import User
from parstudio.services.admin.server_roles import (
    change_own_server_password,
    grant_server_login,
    set_up_server_roles,
)
from parstudio.services.core.database import Database
from parstudio.services.core.store import writing

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A user account as the screens show it (never the hash)."""

    id: int
    login: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None = None  # sign-in refused until then (wrong passwords)

    def locked(self, now: datetime | None = None) -> bool:
        """Whether sign-in is refused now."""
        return self.locked_until is not None and self.locked_until > (now or datetime.now(UTC))


def _record(row: User) -> UserRecord:
    return UserRecord(
        id=row.id,
        login=row.login,
        display_name=row.display_name,
        role=Role(row.role),
        active=row.active,
        locked_until=row.locked_until,
    )


def _clean_login(login: str) -> str:
    cleaned = login.strip().lower()
    if not cleaned:
        raise ValidationError("Enter a login name.", field="login")
    if len(cleaned) > 60 or any(ch.isspace() for ch in cleaned):
        raise ValidationError(
            "A login is one word of at most 60 characters, without spaces.", field="login"
        )
    return cleaned


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )


def _find(session: Session, login: str) -> User:
    row = session.scalar(select(User).where(User.login == _clean_login(login)))
    if row is None:
        raise NotFoundError(f"There is no user “{login.strip()}”.")
    return row


def _other_active_managers(session: Session, login: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.MANAGER.value, User.active, User.login != login)
        )
        or 0
    )


def list_users(db: Database) -> list[UserRecord]:
    """Every account, by login."""
    with db.reading() as session:
        return [_record(row) for row in session.scalars(select(User).order_by(User.login))]


def create_user(
    db: Database, *, login: str, display_name: str, role: Role, password: str
) -> UserRecord:
    """Add an account; the first account of a database must be a manager."""
    login = _clean_login(login)
    _check_password(password)
    name = display_name.strip() or login
    with writing(db, duplicate=lambda _exc: f"The login “{login}” is already taken.") as session:
        if role is not Role.MANAGER and not _other_active_managers(session, login):
            raise ValidationError(
                "The first account must be a manager, or nobody could manage accounts.",
                field="role",
            )
        if session.scalar(select(User.id).where(User.login == login)) is not None:
            raise DuplicateError(f"The login “{login}” is already taken.", field="login")
        row = User(
            login=login,
            display_name=name,
            role=role.value,
            password_hash=_hasher.hash(password),
            active=True,
            updated_by=db.user_name,
        )
        session.add(row)
        session.flush()
        record = _record(row)
        # Where the server login may create roles and they are set up, the person gets their
        # own server login with the same password (docs/users-and-roles.md).
        grant_server_login(session.connection(), login=login, role=role, password=password)
    db.has_users = True
    return record


def authenticate(db: Database, *, login: str, password: str) -> UserRecord:
    """The account ``login`` if ``password`` is right; else a SignInError saying why.

    Wrong passwords in a row slow sign-in down, then lock the account for a while (see
    domain/sign_in_policy.py); a right one resets the count. A locked account is refused
    even with the right password, until the time passes or a manager unlocks it.
    """
    refused = "That login and password do not match an account. Check them and retry."
    now = datetime.now(UTC)
    with db.reading() as session:
        row = session.scalar(select(User).where(User.login == login.strip().lower()))
        if row is None:
            raise SignInError(refused)
        if row.locked_until is not None and row.locked_until > now:
            raise SignInError(_locked_message(row.login, row.failed_sign_ins, row.locked_until))
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            failures, until = _count_failure(db, row.id, now)
            if until is None:
                raise SignInError(refused) from None
            raise SignInError(_locked_message(row.login, failures, until)) from None
        if not row.active:
            raise SignInError(
                f"The account “{row.login}” has been deactivated; ask a manager to reactivate it."
            )
        if row.failed_sign_ins or row.locked_until is not None:
            _reset_failures(db, row.id)
        return _record(row)


def _users_table() -> Table:
    return User.__table__  # type: ignore[return-value]


def _count_failure(db: Database, user_id: int, now: datetime) -> tuple[int, datetime | None]:
    """Count one more wrong password; returns the count and until when sign-in is refused.

    Written straight on a connection: nobody is signed in yet, and this is no user's change.
    """
    table = _users_table()
    with db.engine.begin() as connection:
        counted = connection.execute(
            update(table)
            .where(table.c.id == user_id)
            .values(failed_sign_ins=table.c.failed_sign_ins + 1)
            .returning(table.c.failed_sign_ins)
        ).scalar()
        if counted is None:  # another person's account, which this server login may not touch
            return 0, None
        failures = int(counted)
        wait = wait_after(failures)
        until = now + wait if wait is not None else None
        if until is not None:
            connection.execute(
                update(table).where(table.c.id == user_id).values(locked_until=until)
            )
    return failures, until


def _reset_failures(db: Database, user_id: int) -> None:
    table = _users_table()
    with db.engine.begin() as connection:
        connection.execute(
            update(table).where(table.c.id == user_id).values(failed_sign_ins=0, locked_until=None)
        )


def _locked_message(login: str, failures: int, until: datetime) -> str:
    if failures >= LOCK_AFTER:
        return (
            f"Too many wrong passwords for “{login}”: the account is locked until "
            f"{until.astimezone():%H:%M}. A manager can unlock it now (Users page, or "
            f"parstudio users unlock {login})."
        )
    seconds = max(1, round((until - datetime.now(UTC)).total_seconds()))
    return (
        f"That login and password do not match an account, {failures} times in a row: wait "
        f"{seconds} seconds before trying again (after {LOCK_AFTER} the account is locked)."
    )


def unlock_user(db: Database, *, login: str) -> UserRecord:
    """Let a locked account sign in again at once (a manager's action)."""
    with writing(db) as session:
        row = _find(session, login)
        row.failed_sign_ins = 0
        row.locked_until = None
        row.updated_by = db.user_name
        session.flush()
        return _record(row)


def change_password(
    db: Database, *, login: str, new_password: str, old_password: str | None = None
) -> None:
    """Set a new password: your own (giving the old one), or anyone's if you are a manager."""
    _check_password(new_password)
    own = _clean_login(login) == db.user_name
    if own and db.has_users and db.role is not Role.MANAGER and old_password is None:
        raise ValidationError("Enter your current password.", field="old_password")
    if old_password is not None:
        authenticate(db, login=login, password=old_password)
    elif not own and db.role is not Role.MANAGER:
        raise PermissionDenied("Only a manager can set another person's password.")
    with writing(db) as session:
        row = _find(session, login)
        row.password_hash = _hasher.hash(new_password)
        row.updated_by = db.user_name
        session.flush()
        connection = session.connection()
        follows = own and change_own_server_password(
            connection, login=row.login, password=new_password
        )
        if not follows:
            grant_server_login(
                connection,
                login=row.login,
                role=Role(row.role),
                active=row.active,
                password=new_password,
            )
    if follows:  # this workstation's next connections log in with the new one
        db.use_server_password(new_password)


def set_role(db: Database, *, login: str, role: Role) -> UserRecord:
    """Give an account another role; the last active manager cannot lose theirs."""
    with writing(db) as session:
        row = _find(session, login)
        if (
            role is not Role.MANAGER
            and row.active
            and not _other_active_managers(session, row.login)
        ):
            raise ValidationError(
                f"{row.display_name} is the only active manager; make someone else a manager "
                "first.",
                field="role",
            )
        row.role = role.value
        row.updated_by = db.user_name
        session.flush()
        grant_server_login(session.connection(), login=row.login, role=role, active=row.active)
        return _record(row)


def set_active(db: Database, *, login: str, active: bool) -> UserRecord:
    """Deactivate an account (it can no longer sign in) or reactivate it."""
    with writing(db) as session:
        row = _find(session, login)
        if (
            not active
            and row.role == Role.MANAGER
            and not _other_active_managers(session, row.login)
        ):
            raise ValidationError(
                f"{row.display_name} is the only active manager and cannot be deactivated.",
                field="active",
            )
        row.active = active
        row.updated_by = db.user_name
        session.flush()
        grant_server_login(
            session.connection(), login=row.login, role=Role(row.role), active=active
        )
        return _record(row)


def set_up_server_logins(db: Database) -> list[str]:
    """Set up the server's roles and give every account its own server login (a manager's job).

    Returns the logins given one. Logins made here have no password yet: set one with
    `change_password` (or `parstudio users password LOGIN`), which sets the server's too.
    """
    if db.role is not Role.MANAGER:
        raise PermissionDenied("Only a manager can set up the server's roles.")
    with writing(db) as session:
        connection = session.connection()
        set_up_server_roles(connection)  # or says why it cannot
        given = []
        for row in session.scalars(select(User).order_by(User.login)):
            if grant_server_login(
                connection, login=row.login, role=Role(row.role), active=row.active
            ):
                given.append(row.login)
        return given
