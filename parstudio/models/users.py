"""Tables of who works here and what they did: users with roles, and the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from parstudio.models.base import Audited, Base, utcnow


class User(Audited, Base):
    """A person who signs in, with a role; the password is kept only as an argon2 hash."""

    # "user" is a reserved word in PostgreSQL.
    __tablename__ = "app_user"
    __mapper_args__ = {"version_id_col": Audited.version}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Wrong passwords in a row, and until when sign-in is refused after too many.
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None]


class AuditEntry(Base):
    """One change: who, when, which record, and its fields old → new as JSON.

    A bulk statement (an import, the demo) is summarised in one entry per table and kind of
    write, with ``record_id`` NULL and the number of rows in ``rows``.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_record", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_name: Mapped[str] = mapped_column(String(100), index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int | None] = mapped_column(Integer)
    # The record's version after this change, so a refused save can show what came between.
    record_version: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    rows: Mapped[int] = mapped_column(Integer, default=1)
    changes: Mapped[str | None] = mapped_column(Text)


class DatabaseSetting(Base):
    """One setting of the whole database, by key (the currency's ISO code and symbol)."""

    __tablename__ = "database_setting"

    # An integer id like every table, so the audit log can name the row changed.
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    value: Mapped[str] = mapped_column(Text)


class RestoreMarker(Base):
    """A restore of this database from a backup: written into the database restored."""

    __tablename__ = "restore_marker"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(36), unique=True)
    restored_at: Mapped[datetime] = mapped_column(default=utcnow)
    restored_by: Mapped[str | None] = mapped_column(String(100))
    backup_name: Mapped[str | None] = mapped_column(String(260))
