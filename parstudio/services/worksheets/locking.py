"""An import writes only over what its preview showed: each row it updates is locked, and its
version checked against the one the preview read.

PostgreSQL: the rows are locked with SELECT … FOR UPDATE, so a screen save waits for the
import (and then sees its version raised); SQLite: the import takes the database's write lock
(BEGIN IMMEDIATE) before it reads anything. A row changed since the preview is a conflict,
named with who changed it (from the audit trail), and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.errors import ConflictError
from parstudio.models import Item, ParSetting
from parstudio.services.core.audit import changes_since
from parstudio.services.core.store import chunks
from parstudio.services.counting.sheet import lock_for_writing
from parstudio.services.worksheets.context import Plan

__all__ = ["check_versions", "lock_for_writing"]

_TABLES: dict[str, Any] = {"item": Item, "par_setting": ParSetting}
_NAMED_AT_MOST = 20


def check_versions(
    session: Session, plan: Plan, previewed: Mapping[tuple[str, int], tuple[int, str]]
) -> None:
    """Lock the rows the plan updates; refuse if one is not at the version previewed."""
    wanted = {**plan.versions, **previewed}
    conflicts: list[str] = []
    for table, model in _TABLES.items():
        ids = sorted(record_id for name, record_id in wanted if name == table)
        for batch in chunks(ids):
            query = (
                select(model.id, model.version, model.updated_by)
                .where(model.id.in_(batch))
                .order_by(model.id)  # one locking order, so two imports cannot deadlock
                .with_for_update()
            )
            for record_id, version, updated_by in session.execute(query):
                seen, label = previewed.get((table, record_id)) or wanted[(table, record_id)]
                if version != seen:
                    conflicts.append(_conflict(session, table, record_id, seen, label, updated_by))
    if conflicts:
        shown = conflicts[:_NAMED_AT_MOST]
        if len(conflicts) > _NAMED_AT_MOST:
            shown.append(f"… and {len(conflicts) - _NAMED_AT_MOST} more")
        raise ConflictError(
            f"Nothing was imported: {len(conflicts)} line(s) changed since the preview: "
            + "; ".join(shown)
            + ". Preview the worksheet again to see what the import would now do."
        )


def _conflict(
    session: Session, table: str, record_id: int, seen: int, label: str, updated_by: str | None
) -> str:
    others = changes_since(session, table=table, record_id=record_id, version=seen)
    if not others:
        return f"{label} (changed by {updated_by or 'someone else'})"
    told = ", then ".join(
        f"{entry.user_name} {_when(entry.at)}: {entry.summary()}" for entry in others
    )
    return f"{label} (changed by {told})"


def _when(at: datetime) -> str:
    local = at.astimezone()
    return f"on {local:%Y-%m-%d} at {local:%H:%M}"
