"""Backups: an online copy of a SQLite file or a pg_dump, a checked restore, and daily copies."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import make_url

from parstudio.domain.errors import BackupError, DatabaseOpenError
from parstudio.domain.scan_journal import new_client_id
from parstudio.models import RestoreMarker
from parstudio.services.core.credentials import stored_password, with_password
from parstudio.services.core.database import (
    Database,
    describe_url,
    normalise_url,
    open_database,
)
from parstudio.services.core.schema import known_revisions

DAILY_KEEP = 7
BACKUP_FOLDER = "backups"
PG_DUMP_TIMEOUT = 3600


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database or "")


def _libpq_url(url: str) -> str:
    """The URL pg_dump understands (no SQLAlchemy driver name, no password)."""
    return make_url(url).set(drivername="postgresql", password=None).render_as_string()


def _pg_env(url: str) -> dict[str, str]:
    """The environment for pg_dump: the password in PGPASSWORD, never on the command line."""
    password = make_url(url).password
    return {**os.environ, "PGPASSWORD": str(password)} if password else dict(os.environ)


def backup_database(db: Database, target: Path | str) -> Path:
    """Copy the open database to ``target``: SQLite's online backup, or pg_dump's custom format."""
    target = Path(target).expanduser().resolve()
    if target.is_dir():
        raise BackupError(f"{target} is a folder; name the backup file to write.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if db.is_sqlite:
        source_path = _sqlite_path(db.url)
        if source_path.resolve() == target:
            raise BackupError(
                "A backup cannot overwrite the database it copies; choose another file."
            )
        partial.unlink(missing_ok=True)
        try:
            # The online backup API copies a consistent snapshot even while others write.
            _sqlite_copy(source_path, partial)
        except sqlite3.Error as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"The backup of {db.description} failed: {exc}") from exc
    else:
        # The engine's URL carries the server password when it came from the keyring.
        _pg_dump(db.engine.url.render_as_string(hide_password=False), partial)
    os.replace(partial, target)
    return target


def _sqlite_copy(source: Path, target: Path, *, new_file: bool = True) -> None:
    """Copy every page of one SQLite database over another with the online backup API."""
    with closing(sqlite3.connect(source)) as reader, closing(sqlite3.connect(target)) as writer:
        if new_file:
            # A new file (a ".partial" renamed once complete, or a safety copy) needs no
            # journal of its own; a restored live database keeps its journal.
            writer.execute("PRAGMA synchronous=OFF")
            writer.execute("PRAGMA journal_mode=OFF")
        reader.backup(writer)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found, so the shared database cannot be backed up or restored from "
            f"here. Install the PostgreSQL client tools (the same major version as the server) "
            f"and put {name} on the PATH, or ask whoever runs the server."
        )
    return found


def _run(args: list[str], what: str, env: dict[str, str] | None = None) -> str:
    try:
        result = subprocess.run(
            args, capture_output=True, text=True, check=False, timeout=PG_DUMP_TIMEOUT, env=env
        )
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{what} took more than an hour and was stopped.") from exc
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{what} failed: {reason}")
    return result.stdout


def pg_backup_revision(path: Path) -> str:
    """The schema revision inside a pg_dump file, refusing anything not a PAR Studio dump."""
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    pg_restore = _pg_tool("pg_restore")
    try:
        listing = _run([pg_restore, "--list", str(path)], f"Reading {path.name}")
    except BackupError as exc:
        raise BackupError(f"{path} is not a pg_dump backup PAR Studio can read ({exc}).") from exc
    if "TABLE public alembic_version" not in listing or "TABLE public par_setting" not in listing:
        raise BackupError(f"{path} is a PostgreSQL backup, but not of a PAR Studio database.")
    data = _run(
        [pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(path)],
        f"Reading {path.name}",
    )
    lines = data.splitlines()
    start = next((n for n, line in enumerate(lines) if line.startswith("COPY ")), None)
    revision = lines[start + 1].strip() if start is not None and start + 1 < len(lines) else ""
    if revision not in known_revisions():
        raise BackupError(
            f"{path} holds schema {revision or 'none'}, which this PAR Studio does not know; "
            "update PAR Studio to restore it."
        )
    return revision


def _pg_restore(url: str, source: Path) -> Path:
    """Check a pg_dump file, dump the current database beside it, then restore over it."""
    pg_backup_revision(source)
    url = with_password(url, stored_password(url))
    safety = source.with_name(f"{source.stem}.before-restore.dump")
    _pg_dump(url, safety)
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_libpq_url(url)}",
            str(source),
        ],
        f"Restoring {source.name}",
        env=_pg_env(url),
    )
    try:
        open_database(url, create=False).close()
    except DatabaseOpenError as exc:
        raise BackupError(f"The restored database did not open: {exc.message}") from exc
    return safety


def _pg_dump(url: str, target: Path) -> None:
    pg_dump = _pg_tool("pg_dump")
    try:
        result = subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url)],
            env=_pg_env(url),
            capture_output=True,
            text=True,
            check=False,
            timeout=PG_DUMP_TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        target.unlink(missing_ok=True)
        raise BackupError("pg_dump took more than an hour and was stopped.") from exc
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"pg_dump could not back up {describe_url(url)}: {reason}")


def backup_revision(path: Path | str) -> str:
    """The schema revision of a SQLite backup, refusing anything that is not a PAR Studio one."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    reader = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in reader.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables or "par_setting" not in tables:
            raise BackupError(f"{path} is an SQLite file but not a PAR Studio database.")
        revision = reader.execute("SELECT version_num FROM alembic_version").fetchone()
        healthy = reader.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a PAR Studio backup (not an SQLite database).") from exc
    finally:
        reader.close()
    if healthy is None or healthy[0] != "ok":
        raise BackupError(f"{path} is damaged ({healthy[0] if healthy else 'unreadable'}).")
    if revision is None or revision[0] not in known_revisions():
        found = revision[0] if revision else "none"
        raise BackupError(
            f"{path} was written by a newer PAR Studio (schema {found}); update PAR Studio to "
            "restore it."
        )
    return str(revision[0])


def restore_database(
    url: str, source: Path | str, *, restored_by: str | None = None
) -> Path | None:
    """Replace the SQLite database at ``url`` with a checked backup; returns the safety copy.

    The current file, if any, is first copied beside itself (``….before-restore.sqlite``), and
    the restored database is upgraded to this PAR Studio's schema if it is older. A marker
    written into it tells every workstation that had it open, at its next save.
    """
    url = normalise_url(url)
    source = Path(source).expanduser().resolve()
    if make_url(url).get_backend_name() != "sqlite":
        dumped = _pg_restore(url, source)
        _mark_restored(url, source, restored_by)
        return dumped
    backup_revision(source)
    target = _sqlite_path(url).resolve()
    if source == target:
        raise BackupError("That backup is the database itself; choose a backup file.")
    safety = None
    if target.exists():
        safety = target.with_name(f"{target.stem}.before-restore{target.suffix or '.sqlite'}")
        safety.unlink(missing_ok=True)
        _sqlite_copy(target, safety)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The backup API replaces every page of the target (and works while it is open elsewhere),
    # so nothing of the old database stays behind.
    _sqlite_copy(source, target, new_file=False)
    try:
        open_database(url, create=False).close()
    except DatabaseOpenError as exc:
        raise BackupError(f"The restored database did not open: {exc.message}") from exc
    _mark_restored(url, source, restored_by)
    return safety


def _mark_restored(url: str, source: Path, restored_by: str | None) -> None:
    """Note the restore in the restored database (straight on a connection: no one's edit)."""
    db = open_database(url, create=False)
    try:
        with db.engine.begin() as connection:
            connection.execute(
                insert(RestoreMarker).values(
                    token=new_client_id(),
                    restored_at=datetime.now(UTC),
                    restored_by=restored_by,
                    backup_name=source.name[:260],
                )
            )
    finally:
        db.close()


def daily_backup(db: Database, *, today: date | None = None, keep: int = DAILY_KEEP) -> Path | None:
    """Once a day, copy a local SQLite database into ``backups/`` beside it; keep the last few.

    Returns the new backup, or None when there is nothing to do (a shared server, or today's
    copy already exists).
    """
    if not db.is_sqlite:
        return None
    source = _sqlite_path(db.url)
    folder = source.parent / BACKUP_FOLDER
    stamp = (today or date.today()).isoformat()
    target = folder / f"{source.stem}-{stamp}.sqlite"
    if target.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    made = backup_database(db, target)
    ours = sorted(folder.glob(f"{source.stem}-????-??-??.sqlite"))
    for old in ours[: max(0, len(ours) - keep)]:
        old.unlink(missing_ok=True)
    return made
