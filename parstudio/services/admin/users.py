"""User accounts: create, sign in, change a password, set a role, deactivate.

Only a manager may manage accounts (the write guard refuses anyone else); anyone signed in may
change their own password. Passwords are stored only as argon2 hashes.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parstudio.domain.errors import (
    DuplicateError,
    NotFoundError,
    PermissionDenied,
    SignInError,
    ValidationError,
)
from parstudio.domain.roles import Role
from parstudio.models.users import User
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


def _record(row: User) -> UserRecord:
    return UserRecord(
        id=row.id,
        login=row.login,
        display_name=row.display_name,
        role=Role(row.role),
        active=row.active,
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
    db.has_users = True
    return record


def authenticate(db: Database, *, login: str, password: str) -> UserRecord:
    """The account ``login`` if ``password`` is right; else a SignInError saying why."""
    refused = SignInError("That login and password do not match an account. Check them and retry.")
    with db.reading() as session:
        row = session.scalar(select(User).where(User.login == login.strip().lower()))
        if row is None:
            raise refused
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            raise refused from None
        if not row.active:
            raise SignInError(
                f"The account “{row.login}” has been deactivated; ask a manager to reactivate it."
            )
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
        return _record(row)
