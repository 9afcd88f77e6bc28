"""What the counting services share: the sheet's lines as read back, locks, the open count."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from parstudio.domain.counting import CountSheetLine, flag_label
from parstudio.domain.enums import Method
from parstudio.domain.errors import ValidationError
from parstudio.domain.fields import tidy
from parstudio.models import Bin, Count, CountLine, Item, Location, ParSetting, Scan
from parstudio.services.core.store import get_or_raise


def now() -> datetime:
    return datetime.now(UTC)


def lock_for_writing(session: Session) -> None:
    """On SQLite, take the write lock before reading, so read-then-write cannot interleave."""
    # PostgreSQL needs nothing here: the rows changed are locked one by one (FOR UPDATE).
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("BEGIN IMMEDIATE"))


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
            select(Scan.item_id, Scan.flag, Scan.lot)
            .where(Scan.count_id == count_id, Scan.flag.is_not(None), Scan.undone.is_(False))
            .order_by(Scan.id)
        )
        if setting_id is not None:
            line_query = line_query.where(CountLine.item_id.in_(item_ids))
            flag_query = flag_query.where(Scan.item_id.in_(item_ids))
        for counted_id, counted, counted_lot, counted_expiry in session.execute(line_query):
            recorded[counted_id] = (counted, counted_lot, counted_expiry)
        for flagged_id, flag, flagged_lot in session.execute(flag_query):
            if flagged_id is None or flag is None:
                continue
            label = flag_label(flag, flagged_lot)
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
                expected=tidy_or_none(top if method == Method.MIN_MAX.value else par),
                counted=tidy_or_none(quantity),
                lot=lot,
                expiry=expiry,
                flags=tuple(flags.get(item_id, ())),
            )
        )
    return lines


def tidy_or_none(value: Decimal | None) -> Decimal | None:
    return None if value is None else tidy(value)


def open_count_row(session: Session, count_id: int) -> Count:
    count = get_or_raise(session, Count, count_id, "count")
    if count.finished_at is not None:
        raise ValidationError(
            "This count is already finished; open the location again to start a new count."
        )
    return count


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
