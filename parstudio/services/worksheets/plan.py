"""Checking a parsed worksheet against the database: what an import would create and change.

Items are checked in ``plan_items``, counts already recorded found in ``counts``; this module
resolves the rows (locations, PAR settings, counts) and puts the preview together.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.progress import Progress
from parstudio.domain.worksheet import CellError, WorksheetRow, column_letter
from parstudio.domain.worksheet_checks import check_setting, column_for_field
from parstudio.domain.worksheet_headers import NEVER_MATCHED, header_key
from parstudio.domain.worksheet_preview import (
    CountToRecord,
    FieldChange,
    ImportPreview,
    ParsedWorksheet,
    RecordChange,
)
from parstudio.models import ParSetting
from parstudio.services.core.store import chunks
from parstudio.services.worksheets.context import (
    SETTING_DEFAULTS,
    SETTING_FIELDS,
    SETTING_NAMES,
    WORKSHEET_SOURCE,
    Context,
    Plan,
    load_context,
    setting_values,
)
from parstudio.services.worksheets.counts import count_time, drop_recorded_counts
from parstudio.services.worksheets.plan_items import near_duplicates, resolve_items, show

__all__ = ["SETTING_FIELDS", "WORKSHEET_SOURCE", "Context", "Plan", "make_plan", "replace"]


_AMBIGUOUS = {header_key(text) for text in NEVER_MATCHED}


def replace(preview: ImportPreview, **changes: Any) -> ImportPreview:
    """The preview with some fields changed."""
    return dataclasses.replace(preview, **changes)


def make_plan(
    session: Session, parsed: ParsedWorksheet, progress: Progress | None
) -> tuple[Plan, Context]:
    """Check parsed rows against the database: the preview, and everything to write."""
    header = parsed.header
    extra = tuple(
        f"{letter} “{text}”"
        + (f" (sheet {name})" if len(parsed.headers) > 1 else "")
        + (" (ambiguous by itself: map it)" if header_key(text) in _AMBIGUOUS else "")
        for name, sheet_header in (parsed.headers or {parsed.sheet: header}).items()
        for letter, text in sheet_header.extra
    )
    base = ImportPreview(
        path=parsed.path,
        sheet=parsed.sheet,
        rows=parsed.rows_read or len(parsed.rows),
        extra_columns=extra,
        skipped_sheets=parsed.skipped_sheets,
        skipped_rows=parsed.skipped_rows,
        decimal=parsed.decimal,
        counts_dated=parsed.has_count_dates,
    )
    if not parsed.rows and parsed.errors:
        return Plan(replace(base, errors=parsed.errors)), Context()
    # The rows that parsed are checked against the database even when others did not, so
    # the user sees every problem of the file at once.
    context = load_context(session, parsed.rows, [name for name, *_ in parsed.sheet_locations])
    rows, errors = _sheet_locations(parsed, context)
    if progress is not None:
        progress(1, 2)
    plan = Plan(base, rows=rows)
    errors.extend(parsed.errors)
    errors.extend(_resolve(plan, context, parsed, session))
    order = {name: position for position, name in enumerate(parsed.sheets)}
    errors.sort(key=lambda e: (order.get(e.sheet, 0), e.row, len(e.column), e.column))
    plan.preview = replace(
        plan.preview,
        errors=tuple(errors),
        warnings=tuple(([plan.newer] if plan.newer else []) + near_duplicates(session, plan)),
    )
    return plan, context


def _sheet_locations(
    parsed: ParsedWorksheet, context: Context
) -> tuple[list[WorksheetRow], list[CellError]]:
    """Rows of sheets named after a location get its code; a name that is none is refused."""
    rows = list(parsed.rows)
    if not parsed.sheet_locations:
        return rows, []
    errors: list[CellError] = []
    codes: dict[str, str | None] = {}
    notes: list[str] = []
    for sheet, name, header_row in parsed.sheet_locations:
        found = context.by_name.get(name.lower())
        codes[sheet] = found[1] if found else None
        if found:
            notes.append(f"sheet “{sheet}” → location {found[1]}")
        else:
            errors.append(
                CellError(
                    header_row,
                    "",
                    "Location",
                    f"The sheet has no Location column and no location is called “{name}”; "
                    "add a Location column, or name the sheet after a location's code.",
                    sheet,
                )
            )
    kept = []
    for row in rows:
        if row.sheet in codes:
            code = codes[row.sheet]
            if code is None:
                continue
            row = dataclasses.replace(row, location=code)
        kept.append(row)
    context.sheet_notes = tuple(notes)
    return kept, errors


_ACTIVE = SETTING_NAMES.index("active")
_COUNT_TYPE = SETTING_NAMES.index("count_type")


def _unchanged(found: tuple[Any, ...], given: Mapping[str, Any]) -> bool:
    """Whether every field a row gives equals the setting's (``found``, as the context holds
    it): the test ``given.items() <= setting_values(found).items()`` makes, without the dict."""
    pick = _picker(tuple(given))
    if pick is None:
        return given.items() <= setting_values(found).items()
    # The database's values on the left, as in the dict test.
    return bool(pick(found) == tuple(given.values()))


@functools.cache
def _picker(names: tuple[str, ...]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]] | None:
    """What picks the fields ``names`` out of a setting's tuple, as a tuple (None: not all are
    fields of the tuple)."""
    if not set(names) <= set(SETTING_NAMES):
        return None
    positions = [SETTING_NAMES.index(name) for name in names]
    if len(positions) > 1:
        return itemgetter(*positions)
    return lambda found: tuple(found[i] for i in positions)


@functools.cache
def _defaults(names: tuple[str, ...]) -> dict[str, Any]:
    """The defaults of the blank fields ``names`` of a new setting (one dict per combination)."""
    return {name: SETTING_DEFAULTS[name] for name in names}


def _edited_after(session: Session, edited: dict[int, str], saved_at: datetime | None) -> list[str]:
    """The settings (of those the import changes) last edited after the file was saved."""
    if saved_at is None:
        return []
    found: list[str] = []
    for ids in chunks(sorted(edited)):
        query = select(ParSetting.id, ParSetting.updated_by).where(
            ParSetting.id.in_(ids), ParSetting.updated_at > saved_at
        )
        found.extend(f"{edited[i]} ({who or 'someone'})" for i, who in session.execute(query))
    return sorted(found)


def _saved_at(path: str) -> datetime | None:
    """When the worksheet file was last saved (aware UTC), if it is a file here."""
    try:
        return datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
    except OSError:
        return None


def _resolve(
    plan: Plan, context: Context, parsed: ParsedWorksheet, session: Session
) -> list[CellError]:
    errors: list[CellError] = []
    changed_settings: list[RecordChange] = []
    new_settings: list[str] = []
    unchanged = 0
    now = datetime.now(UTC)
    headers = parsed.headers or {parsed.sheet: parsed.header}
    saved_at = _saved_at(parsed.path)
    edited: dict[int, str] = {}

    def error(row: WorksheetRow, name: str, message: str) -> None:
        header = headers.get(row.sheet) or parsed.header
        index = header.index_of(name)
        letter = "" if index is None else column_letter(index)
        errors.append(CellError(row.row, letter, name, message, row.sheet or parsed.sheet))

    changed_items = resolve_items(plan, context, error)

    lowered: dict[str, str] = {}  # a worksheet names few locations, on every row
    # Locations, settings and counts, row by row.
    for row in plan.rows:
        key = lowered.get(row.location) or lowered.setdefault(row.location, row.location.lower())
        known = context.locations.get(key)
        if known is None and key not in plan.new_locations:
            plan.new_locations[key] = row.location
        default_type = known[2] if known else "ON HAND"
        item = context.items.get(row.item_code)
        # item[0]: its id (a Row's attribute costs ten times its index, on every row).
        found = context.settings.get((known[0], item[0])) if known is not None and item else None
        if found is not None and found[_ACTIVE] and _unchanged(found, row.setting):
            # Most rows of a re-imported export: the setting as it is, without a dict of it.
            if row.item_code not in changed_items:
                unchanged += 1
            count_type = found[_COUNT_TYPE] or default_type
        elif found is None:
            # The defaults a blank takes, shared between rows: no copy of each row's values.
            missing = tuple(n for n in SETTING_DEFAULTS if row.setting.get(n) is None)
            extra = _defaults(missing)
            values = {**row.setting, **extra} if extra else row.setting
            problem = check_setting(values, default_count_type=default_type)
            if problem:
                error(row, column_for_field(problem[0]).name, problem[1])
            plan.new_settings.append((row, extra))
            new_settings.append(f"{known[1] if known else row.location} / {row.item_code}")
            count_type = values.get("count_type") or default_type
        else:
            setting = setting_values(found)
            update = {}
            shown = []
            if not setting["active"]:
                # A row for a deactivated line brings it back: the worksheet lists active lines.
                update["active"] = True
                shown.append(FieldChange("Active", "no", "yes"))
            for name, value in row.setting.items():
                if value is None and name in SETTING_DEFAULTS:
                    continue
                old = setting[name]
                if old != value:
                    update[name] = value
                    shown.append(FieldChange(column_for_field(name).name, show(old), show(value)))
            if shown:
                current = {name: setting.get(name) for name in SETTING_FIELDS}
                problem = check_setting({**current, **update}, default_count_type=default_type)
                if problem:
                    error(row, column_for_field(problem[0]).name, problem[1])
                plan.setting_updates[setting["id"]] = (row, update)
                label = f"{known[1] if known else row.location} / {row.item_code}"
                plan.versions[("par_setting", setting["id"])] = (
                    setting["version"],
                    f"the PAR setting {label}",
                )
                changed_settings.append(RecordChange(label, row.row, tuple(shown)))
                if setting["version"] > 1:  # edited since created: perhaps after the file
                    edited[setting["id"]] = label
            elif row.item_code not in changed_items:
                unchanged += 1
            count_type = update.get("count_type", setting["count_type"]) or default_type
        if row.count is not None:
            counted_at = count_time(row.counted_on, now)
            if counted_at > now:
                error(row, "Counted On", "Counted On is in the future; give the day of the count.")
            plan.counts.append((row, count_type, counted_at))
    newer = _edited_after(session, edited, saved_at)
    if newer:
        plan.newer = (
            f"{len(newer)} PAR setting(s) were changed in PAR Studio after this file was saved; "
            "the import sets them back to the file's values: "
            + ", ".join(newer[:10])
            + (f" … and {len(newer) - 10} more" if len(newer) > 10 else "")
            + ". Export a fresh worksheet if that is not what you want."
        )
    recorded = drop_recorded_counts(session, plan, context)
    # Made only for the counts left to record (a file applied again has none).
    counts = [
        CountToRecord(
            (context.locations.get(row.location.lower()) or (0, row.location))[1],
            row.item_code,
            count_type,
            row.count,
            row.row,
            counted_at,
            row.counted_on is None,
            row.sheet,
        )
        for row, count_type, counted_at in plan.counts
        if row.count is not None
    ]
    plan.preview = replace(
        plan.preview,
        new_locations=tuple(sorted(plan.new_locations.values())),
        new_suppliers=tuple(sorted(plan.new_suppliers.values())),
        new_items=tuple(sorted(plan.new_items)),
        new_settings=tuple(new_settings),
        changed_items=tuple(changed_items.values()),
        changed_settings=tuple(changed_settings),
        unchanged=unchanged,
        counts=tuple(counts),
        counts_already_recorded=len(recorded),
        sheet_locations=context.sheet_notes,
    )
    return errors
