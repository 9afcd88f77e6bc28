"""A copy of a local database file kept before an upgrade changes its schema.

An update of PAR Studio upgrades an older database in place when it first opens it; the copy
lets a user go back to the old version with the data as it was (docs/install.md, Updating).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from pathlib import Path

from parstudio.domain.errors import DatabaseOpenError


def safety_copy_path(database: Path, revision: str) -> Path:
    """Where the copy of a database at `revision` goes: beside the daily backups."""
    return database.parent / "backups" / f"{database.stem}-before-upgrade-from-{revision}.sqlite"


def keep_copy_before_upgrade(source: sqlite3.Connection, database: Path, revision: str) -> Path:
    """Copy the open SQLite database (SQLite's online backup) before it is upgraded.

    Refuses the upgrade, changing nothing, when the copy cannot be written (a full disk, a
    read-only folder): an upgrade without a way back is not made.
    """
    target = safety_copy_path(database, revision)
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
        finally:
            copy.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        raise DatabaseOpenError(
            f"{database} needs upgrading to this version of PAR Studio, but a copy of it could "
            f"not be kept first in {target.parent} ({exc}). Nothing was changed."
        ) from exc
    return target
