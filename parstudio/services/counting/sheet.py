"""What the counting services share: the sheet's lines as read back, locks, the open count."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from parstudio.domain.counting import CountSheetLine, flag_label
from parstudio.domain.errors import CountFinishedError, NotFoundError
from parstudio.domain.fields import tidy
from parstudio.domain.quantities import fill_level
from parstudio.models import Bin, Count, CountLine, Item, Location, ParSetting, Scan
from parstudio.services.core.guard import reread_role_now


def now() -> datetime:
    return datetime.now(UTC)


def lock_for_writing(session: Session) -> None:
    """Get ready to write: on SQLite, take the write lock before reading, so read-then-write
    cannot interleave; on PostgreSQL, re-read the user's role before any row is locked."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("BEGIN IMMEDIATE"))
    else:
        # The rows changed are locked one by one (FOR UPDATE) as they are reached; the role
        # check every write makes is one round trip that need not happen under those locks.
        reread_role_now(session)


def sheet_query(location_id: int) -> Any:
    return (
        select(
            ParSetting.id,
            ParSetting.item_id,
            Item.code,
            Item.description,
            Item.unit,
            Bin.code,
            func.coalesce(ParSetting.count_type, Location.default_count_type),
            ParSetting.method,
            ParSetting.par_level,
            ParSetting.max_level,
        )
        .join(Item, Item.id == ParSetting.item_id)
        .join(Location, Location.id == ParSetting.location_id)
        .outerjoin(Bin, Bin.id == ParSetting.bin_id)
        .where(ParSetting.location_id == location_id, ParSetting.active.is_(True))
        .order_by(Bin.sort_order.is_(None), Bin.sort_order, Bin.code, Item.code)
    )


def sheet_lines(
    session: Session, count_id: int, location_id: int, setting_id: int | None = None
) -> list[CountSheetLine]:
    """The sheet lines of a count (or just one), with what has been recorded so far."""
    query = sheet_query(location_id)
    if setting_id is not None:
        query = query.where(ParSetting.id == setting_id)
    rows = session.execute(query).all()
    item_ids = [row[1] for row in rows]
    recorded: dict[int, tuple[Decimal | None, str | None, date | None]] = {}
    flags: dict[int, list[str]] = defaultdict(list)
    if item_ids:
        line_query = select(
            CountLine.item_id, CountLine.quantity, CountLine.lot, CountLine.expiry
        ).where(CountLine.count_id == count_id)
        flag_query = (
            select(Scan.item_id, Scan.flag, Scan.lot, Scan.serial)
            .where(Scan.count_id == count_id, Scan.flag.is_not(None), Scan.undone.is_(False))
            .order_by(Scan.id)
        )
        if setting_id is not None:
            line_query = line_query.where(CountLine.item_id.in_(item_ids))
            flag_query = flag_query.where(Scan.item_id.in_(item_ids))
        for counted_id, counted, counted_lot, counted_expiry in session.execute(line_query):
            recorded[counted_id] = (counted, counted_lot, counted_expiry)
        for flagged_id, flag, flagged_lot, flagged_serial in session.execute(flag_query):
            if flagged_id is None or flag is None:
                continue
            label = flag_label(flag, flagged_lot, flagged_serial)
            if label not in flags[flagged_id]:
                flags[flagged_id].append(label)
    lines = []
    for setting, item_id, code, description, unit, bin_code, count_type, method, par, top in rows:
        quantity, lot, expiry = recorded.get(item_id, (None, None, None))
        lines.append(
            CountSheetLine(
                setting_id=setting,
                item_id=item_id,
                item_code=code,
                description=description,
                unit=unit,
                bin=bin_code,
                count_type=count_type,
                expected=tidy_or_none(fill_level(method, par, top)),
                counted=tidy_or_none(quantity),
                lot=lot,
                expiry=expiry,
                flags=tuple(flags.get(item_id, ())),
            )
        )
    return lines


def tidy_or_none(value: Decimal | None) -> Decimal | None:
    return None if value is None else tidy(value)


# The first keys of the PostgreSQL advisory locks a count or a location is held under (the
# second is its id).
COUNT_LOCK_SPACE = 0x5053_0001
LOCATION_LOCK_SPACE = 0x5053_0002


def hold_location(session: Session, location_id: int) -> None:
    """Hold a location until the transaction ends (PostgreSQL; SQLite's writes are serial)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :location_id)"),
            {"space": LOCATION_LOCK_SPACE, "location_id": location_id},
        )


def hold_count(session: Session, count_id: int, *, finishing: bool = False) -> None:
    """Hold the count against Finish (shared) or, to finish it, against every change.

    Changes to a count hold it shared until their transaction ends and Finish holds it
    exclusively, so a change lands before Finish or waits for it and is then refused: never
    after it. PostgreSQL's advisory locks queue fairly (a waiting Finish is not starved by a
    stream of scans, as it would be behind shared row locks); on SQLite, BEGIN IMMEDIATE
    already serialises every write.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock" if finishing else "pg_advisory_xact_lock_shared"
    session.execute(
        text(f"SELECT {function}(:space, :count_id)"),
        {"space": COUNT_LOCK_SPACE, "count_id": count_id},
    )


def open_count_row(session: Session, count_id: int) -> Count:
    """The open count, held against Finish until the transaction ends (see `hold_count`)."""
    hold_count(session, count_id)
    count = session.scalar(
        select(Count).where(Count.id == count_id).execution_options(populate_existing=True)
    )
    if count is None:
        raise NotFoundError("That count no longer exists; it may have been removed elsewhere.")
    refuse_if_finished(count)
    return count


def refuse_if_finished(count: Count) -> None:
    """Refuse a change to a finished count, saying when it was finished and by whom."""
    if count.finished_at is None:
        return
    when = count.finished_at.astimezone()
    raise CountFinishedError(
        f"This count is already finished (on {when:%d %b} at {when:%H:%M}); open the location "
        "again to start a new count."
    )


def one_line(
    session: Session, location_id: int, setting_id: int | None, count_id: int | None
) -> CountSheetLine | None:
    if setting_id is None:
        return None
    found = sheet_lines(session, count_id or 0, location_id, setting_id)
    return found[0] if found else None


def locked_line(session: Session, count: Count, item_id: int) -> CountLine | None:
    """The count's line for an item, locked until the transaction ends (no lost updates)."""
    return session.scalar(
        select(CountLine)
        .where(CountLine.count_id == count.id, CountLine.item_id == item_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
