"""Importing a PAR worksheet: read it, check it against the database, preview, apply in one go.

The checking is in ``worksheet_plan`` and the writing in ``worksheet_apply``; this module holds
the use cases, their progress reports, and the reuse of a preview's check by the import.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parstudio.domain.errors import ConflictError
from parstudio.domain.progress import Progress
from parstudio.domain.worksheet_preview import ImportPreview, ParsedWorksheet
from parstudio.models import Barcode, Bin, Item, Location, ParSetting, Supplier
from parstudio.reports.worksheet_read import MAX_ROWS, MAX_UNCOMPRESSED_BYTES
from parstudio.services.core.bulk import collector_paused
from parstudio.services.core.database import Database
from parstudio.services.core.store import writing
from parstudio.services.worksheets.apply import write_plan
from parstudio.services.worksheets.locking import check_versions, lock_for_writing
from parstudio.services.worksheets.plan import (
    SETTING_FIELDS,
    WORKSHEET_SOURCE,
    Context,
    Plan,
    make_plan,
    replace,
)
from parstudio.services.worksheets.reading import parse_worksheet, read_worksheet

__all__ = [
    "SETTING_FIELDS",
    "WORKSHEET_SOURCE",
    "apply_import",
    "parse_worksheet",
    "preview_import",
    "read_worksheet",
]


def _parsed(
    path: Path | str | None,
    worksheet: ParsedWorksheet | None,
    header_overrides: Mapping[str, str] | None,
    limits: dict[str, int],
    phases: _Phases,
) -> ParsedWorksheet:
    if worksheet is not None:
        return worksheet
    if path is None:
        raise TypeError("give a path or a parsed worksheet")
    sheet = read_worksheet(path, progress=phases.next(), **limits)
    return parse_worksheet(
        sheet, path=path, header_overrides=header_overrides, progress=phases.next(), consume=True
    )


def preview_import(
    db: Database,
    *,
    path: Path | str | None = None,
    worksheet: ParsedWorksheet | None = None,
    header_overrides: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_rows: int = MAX_ROWS,
) -> ImportPreview:
    """What importing this worksheet (a file, or one already parsed) would do; writes nothing.

    ``progress(done, total)`` is told how far the work is; raising CancelledError in it stops.
    """
    phases = _Phases(progress, (2 if worksheet is None else 0) + 1)
    limits = {"max_uncompressed_bytes": max_uncompressed_bytes, "max_rows": max_rows}
    parsed = _parsed(path, worksheet, header_overrides, limits, phases)
    # The plan reads and compares tens of thousands of settings: no cycle collector meanwhile.
    with db.reading() as session, collector_paused():
        fingerprint = _fingerprint(session)
        plan, context = make_plan(session, parsed, phases.next())
    phases.finish()
    if not plan.preview.is_valid or not plan.preview.has_changes:
        return plan.preview
    return replace(plan.preview, prepared=_Prepared(parsed, plan, context, fingerprint))


def apply_import(
    db: Database,
    *,
    path: Path | str | None = None,
    worksheet: ParsedWorksheet | None = None,
    header_overrides: Mapping[str, str] | None = None,
    expected: ImportPreview | None = None,
    progress: Progress | None = None,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_rows: int = MAX_ROWS,
) -> ImportPreview:
    """Import the worksheet in one transaction if it is valid; an invalid one writes nothing.

    With ``expected`` (the preview the user saw), an import that would now do something else,
    because the database changed meanwhile, is refused. Cancelling (CancelledError raised in
    ``progress``) rolls everything back.
    """
    phases = _Phases(progress, (2 if worksheet is None else 0) + 2)
    limits = {"max_uncompressed_bytes": max_uncompressed_bytes, "max_rows": max_rows}
    parsed = _parsed(path, worksheet, header_overrides, limits, phases)
    prepared = expected.prepared if expected is not None else None
    previewed = prepared.versions if isinstance(prepared, _Prepared) else {}
    with writing(db) as session, collector_paused():
        lock_for_writing(session)
        reused = _reuse(session, expected, parsed)
        plan, context = reused or make_plan(session, parsed, phases.next())
        if not plan.preview.is_valid or not plan.preview.has_changes:
            return replace(plan.preview, prepared=None)
        check_versions(session, plan, previewed)
        if expected is not None and _differs(expected, plan.preview):
            raise ConflictError(
                "The database changed since the preview (someone else edited these items or "
                "PAR settings). Nothing was imported; preview the worksheet again."
            )
        write_plan(session, plan, context, db.user_name, phases.next())
    phases.finish()
    return replace(plan.preview, applied=True, prepared=None)


class _Prepared:
    """The plan behind a preview; apply may use it once, if the database has not changed."""

    def __init__(
        self, parsed: ParsedWorksheet, plan: Plan, context: Context, fingerprint: tuple[Any, ...]
    ) -> None:
        self.parsed = parsed
        self.fingerprint = fingerprint
        self.versions = dict(plan.versions)
        """The version of each row the preview would update, as it read them."""
        self.plan: tuple[Plan, Context] | None = (plan, context)

    def take(self) -> tuple[Plan, Context] | None:
        """The plan, once: writing changes it, so a second apply plans afresh."""
        plan, self.plan = self.plan, None
        return plan


def _reuse(
    session: Session, expected: ImportPreview | None, parsed: ParsedWorksheet
) -> tuple[Plan, Context] | None:
    """The preview's own plan when it is for this worksheet and nothing changed since."""
    prepared = expected.prepared if expected is not None else None
    if not isinstance(prepared, _Prepared) or prepared.parsed is not parsed:
        return None
    plan = prepared.take()
    if plan is None or _fingerprint(session) != prepared.fingerprint:
        return None
    return plan


def _fingerprint(session: Session) -> tuple[Any, ...]:
    """A summary of every table a plan reads, which any insert, update or delete changes."""
    found: list[Any] = []
    for model in (Item, ParSetting, Location, Supplier):
        # Every update raises a version; inserts and deletes change the count or the ids.
        found.extend(
            session.execute(select(func.count(), func.sum(model.version), func.sum(model.id))).one()
        )
    found.extend(session.execute(select(func.count(), func.sum(Barcode.id))).one())
    found.extend(
        session.execute(select(func.count(), func.sum(Bin.id), func.sum(Bin.sort_order))).one()
    )
    return tuple(found)


def _differs(expected: ImportPreview, now: ImportPreview) -> bool:
    return (
        expected.new_locations != now.new_locations
        or expected.new_suppliers != now.new_suppliers
        or expected.new_items != now.new_items
        or expected.new_settings != now.new_settings
        or expected.changed_items != now.changed_items
        or expected.changed_settings != now.changed_settings
        or [c.key for c in expected.counts] != [c.key for c in now.counts]
    )


class _Phases:
    """Turns the steps of one job (read, check, compare, write) into one progress scale."""

    STEP = 1000

    def __init__(self, progress: Progress | None, count: int) -> None:
        self.progress = progress
        self.count = max(count, 1)
        self.index = -1

    def next(self) -> Progress | None:
        """The progress callback of the next step."""
        self.index += 1
        if self.progress is None:
            return None
        base, report, total = self.index * self.STEP, self.progress, self.count * self.STEP

        def step(done: int, of: int) -> None:
            report(base + (done * self.STEP // of if of else self.STEP), total)

        step(0, 1)
        return step

    def finish(self) -> None:
        """Report the whole job done."""
        if self.progress is not None:
            total = self.count * self.STEP
            self.progress(total, total)
