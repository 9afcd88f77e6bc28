"""The restore marker: which restore a database was last brought back by, and the refusal to
write over a database restored since it was opened."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect

from parstudio.domain.errors import DatabaseRestoredError

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
