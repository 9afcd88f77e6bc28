"""Counting a location scan by scan: every scan is committed before the screen shows it.

A count stays open (``finished_at`` NULL) until it is finished, so a count interrupted by a
crash is resumed by the next `open_count` at that location with every committed scan.

Several scanners may count one location at once: they share its open count. Every change to a
line is made under a lock (PostgreSQL: the line's row, inserted with ON CONFLICT DO NOTHING and
then locked FOR UPDATE; SQLite: the database, taken with BEGIN IMMEDIATE before anything is
read), so two scans of the same line at the same moment both land.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.barcodes import GS, ScanDecode, decode_scan, item_codes
from parstudio.domain.counting import (
    CountReview,
    CountSheet,
    ScanKind,
    ScanOutcome,
    variance_of,
)
from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.domain.fields import FieldSpec, Kind, tidy
from parstudio.domain.scan_effect import adds_one_here
from parstudio.models import (
    Count,
    Item,
    Location,
    ParSetting,
    Scan,
)
from parstudio.services.core.database import Database
from parstudio.services.core.store import get_or_raise, writing
from parstudio.services.counting.links import (
    LinkResult,
    add_recall,
    link_barcode,
    list_unmatched_scans,
)
from parstudio.services.counting.scan_lines import (
    ScanRule,
    apply_item_scan,
    change_line,
    find_item,
    find_jump,
    find_setting,
)
from parstudio.services.counting.sheet import (
    hold_count,
    hold_location,
    lock_for_writing,
    now,
    one_line,
    open_count_row,
    refuse_if_finished,
    sheet_lines,
)
from parstudio.services.counting.undo import undo_last_scan

__all__ = [
    "LinkResult",
    "add_recall",
    "finish_count",
    "get_count_sheet",
    "link_barcode",
    "list_unmatched_scans",
    "open_count",
    "reapply_scan",
    "record_scan",
    "set_quantity",
    "undo_last_scan",
]

_QUANTITY = FieldSpec("quantity", "Quantity", Kind.DECIMAL, required=True, minimum=Decimal(0))


# --- the sheet -------------------------------------------------------------------------------


def _sheet(session: Session, count: Count, location: Location, *, resumed: bool) -> CountSheet:
    return CountSheet(
        count_id=count.id,
        location_id=location.id,
        location_code=location.code,
        location_name=location.name,
        blind=location.blind_count,
        scan_adds_one=location.scan_adds_one,
        started_at=count.started_at,
        counted_by=count.counted_by,
        lines=tuple(sheet_lines(session, count.id, location.id)),
        resumed=resumed,
    )


def open_count(db: Database, *, location_id: int, counted_by: str | None = None) -> CountSheet:
    """Resume the location's open count, or start one; returns the sheet to count from."""
    with writing(db) as session:
        lock_for_writing(session)
        # Holding the location makes two stations opening it at once share one count (an
        # advisory lock: a clerk's server login may read locations but not lock their rows).
        hold_location(session, location_id)
        location = session.get(Location, location_id)
        if location is None:
            raise NotFoundError(
                "That location no longer exists; it may have been removed elsewhere."
            )
        count = session.scalar(
            select(Count)
            .where(Count.location_id == location_id, Count.finished_at.is_(None))
            .order_by(Count.started_at.desc(), Count.id.desc())
            .limit(1)
        )
        resumed = count is not None
        if count is None:
            count = Count(
                location_id=location_id,
                started_at=now(),
                counted_by=counted_by or db.user_name,
                source="SCREEN",
            )
            session.add(count)
            session.flush()
        return _sheet(session, count, location, resumed=resumed)


def get_count_sheet(db: Database, *, count_id: int) -> CountSheet:
    """A count's sheet as it stands (open or finished)."""
    with db.reading() as session:
        count = get_or_raise(session, Count, count_id, "count")
        location = get_or_raise(session, Location, count.location_id, "location")
        return _sheet(session, count, location, resumed=True)


# --- scans -----------------------------------------------------------------------------------


def record_scan(
    db: Database,
    *,
    count_id: int,
    text: str,
    group_separator: str = GS,
    today: date | None = None,
    scan_adds_one: bool | None = None,
    quantity: int | None = None,
    client_id: str | None = None,
    scanned_at: datetime | None = None,
) -> ScanOutcome:
    """Record one scan in an open count, committed before this returns.

    `scan_adds_one` overrides the location's own setting (a workstation's choice) when given;
    `quantity` is a quantity keyed in with the scan on a handheld (see `scan_effect`).
    A scan comes with the `client_id` its workstation gave it as it was made: a scan whose id
    is already recorded is not recorded again. It is recorded under the signed-in user, never
    a name the caller gives; `scanned_at` (a kept scan's time) is taken only between the
    count's start and now.
    """
    today = today or date.today()
    decode = decode_scan(text, group_separator=group_separator, today=today)
    body = text.strip(" \t\r\n")
    with writing(db, duplicate=_duplicate_scan) as session:
        lock_for_writing(session)
        if client_id is not None:
            already = _already_recorded(session, client_id)
            if already is not None:
                return already
        count, location = _open_count_and_location(session, count_id)
        at = now()
        if scanned_at is not None:
            at = max(min(scanned_at, at), count.started_at)
        scan = Scan(
            count_id=count.id,
            raw=text[:400],
            recorded_at=at,
            recorded_by=db.user_name,
            client_id=client_id,
            lot=decode.lot,
            expiry=decode.expiry,
            serial=decode.serial,
            undone=False,
            kind=ScanKind.UNKNOWN.value,
        )
        rule = ScanRule(adds_one_here(location.scan_adds_one, scan_adds_one), quantity)
        outcome = _classify(session, count, location, scan, decode, body, today, rule)
        scan.kind = outcome.kind.value
        scan.message = outcome.message
        # Added last, complete, so the scan is one INSERT (a scan is recorded per keystroke
        # burst, so every statement counts: see bench/scenarios/counting.py).
        session.add(scan)
        session.flush()
        return replace(outcome, scan_id=scan.id)


def _already_recorded(session: Session, client_id: str) -> ScanOutcome | None:
    """The outcome of a journalled scan the server already holds, or None."""
    found = session.execute(
        select(Scan.id, Scan.kind, Scan.message).where(Scan.client_id == client_id)
    ).first()
    if found is None:
        return None
    scan_id, kind, message = found
    return ScanOutcome(
        ScanKind(kind), message or "Already recorded.", scan_id=scan_id, already_recorded=True
    )


def _duplicate_scan(_exc: object) -> str:
    return "This scan was recorded at the same moment by another send of the journal."


def _open_count_and_location(session: Session, count_id: int) -> tuple[Count, Location]:
    """The open count and its location, in one query."""
    hold_count(session, count_id)  # a scan lands before Finish or not at all
    found = session.execute(
        select(Count, Location)
        .join(Location, Location.id == Count.location_id)
        .where(Count.id == count_id)
        .execution_options(populate_existing=True)
    ).first()
    if found is None:
        raise NotFoundError("That count no longer exists; it may have been removed elsewhere.")
    count, location = found
    refuse_if_finished(count)
    return count, location


def _classify(
    session: Session,
    count: Count,
    location: Location,
    scan: Scan,
    decode: ScanDecode,
    body: str,
    today: date,
    rule: ScanRule,
) -> ScanOutcome:
    """Find what the scan names and apply it to the count."""
    if decode.error:
        return ScanOutcome(ScanKind.UNREADABLE, f"Not counted: {decode.error}", warning=True)
    codes = item_codes(decode, body)
    found = find_setting(session, location.id, codes)
    if found is not None:
        return apply_item_scan(session, count, location, found, scan, decode, today, rule)
    jump = find_jump(session, location, body)
    if jump is not None:
        return jump
    if not decode.lookup_codes:
        expiry = f", expiry {decode.expiry:%d %b %Y}" if decode.expiry else ""
        return ScanOutcome(
            ScanKind.UNKNOWN,
            f"This label holds only lot {decode.lot or '–'}{expiry} and no item number: "
            "scan the item's own barcode.",
            warning=True,
        )
    code = decode.lookup_codes[0][:80]
    elsewhere = find_item(session, codes)
    if elsewhere is not None:
        scan.item_id = elsewhere.id
        return ScanOutcome(
            ScanKind.UNKNOWN,
            f"{elsewhere.code} {elsewhere.description} is not on the PAR list of "
            f"{location.code}: nothing counted.",
            warning=True,
        )
    scan.code = code
    return ScanOutcome(
        ScanKind.UNKNOWN,
        f"Unknown barcode {code}: no item has it. Kept under Unmatched scans for a manager "
        "to link it to an item.",
        warning=True,
    )


def set_quantity(db: Database, *, count_id: int, setting_id: int, quantity: Any) -> ScanOutcome:
    """Record a typed quantity for one line (ON HAND: on the shelf; ORDER QTY: to order)."""
    value = _QUANTITY.parse(quantity)
    with writing(db) as session:
        lock_for_writing(session)
        count = open_count_row(session, count_id)
        setting = get_or_raise(session, ParSetting, setting_id, "PAR setting")
        if setting.location_id != count.location_id:
            raise ValidationError("That line belongs to another location.")
        location = get_or_raise(session, Location, count.location_id, "location")
        item = get_or_raise(session, Item, setting.item_id, "item")
        count_type = setting.count_type or location.default_count_type
        scan = Scan(
            count_id=count.id,
            kind=ScanKind.TYPED.value,
            raw=str(quantity)[:400],
            item_id=item.id,
            recorded_at=now(),
            recorded_by=db.user_name,
            undone=False,
        )
        changed = change_line(session, count, item.id, count_type, scan, lambda _before: value)
        before, after = changed.before, changed.after
        scan.quantity_before, scan.quantity_after = before, after
        scan.message = f"{item.code} {item.description}: {tidy(value)} {item.unit} (typed)"
        session.add(scan)
        session.flush()
        return ScanOutcome(
            ScanKind.TYPED,
            scan.message,
            line=one_line(session, location.id, setting.id, count.id),
            scan_id=scan.id,
            changed=before != after,
        )


# --- kept scans --------------------------------------------------------------------------


def reapply_scan(
    db: Database, *, scan_id: int, group_separator: str = GS, today: date | None = None
) -> ScanOutcome:
    """Record a kept scan again in its count (after its barcode was linked to an item)."""
    with db.reading() as session:
        scan = session.get(Scan, scan_id)
        if scan is None:
            raise NotFoundError("That scan no longer exists.")
        count_id, raw = scan.count_id, scan.raw
    return record_scan(
        db, count_id=count_id, text=raw, group_separator=group_separator, today=today
    )


# --- finishing -------------------------------------------------------------------------------


def finish_count(
    db: Database,
    *,
    count_id: int,
    tolerance_pct: Decimal = Decimal(20),
    confirm: bool = False,
) -> CountReview:
    """Review a count (lines never counted, variances beyond tolerance); `confirm` closes it.

    Closing takes the count's row lock: scans in flight finish first and are in the review,
    and a scan arriving after it is refused (CountFinishedError), never counted in silence.
    """
    with writing(db) as session:
        lock_for_writing(session)
        if confirm:
            hold_count(session, count_id, finishing=True)
        count = session.scalar(
            select(Count).where(Count.id == count_id).execution_options(populate_existing=True)
        )
        if count is None:
            raise NotFoundError("That count no longer exists; it may have been removed elsewhere.")
        if count.finished_at is not None and confirm:
            refuse_if_finished(count)
        location = get_or_raise(session, Location, count.location_id, "location")
        lines = sheet_lines(session, count.id, location.id)
        to_count = [line for line in lines if line.to_count]
        variances = [v for line in lines if (v := variance_of(line, tolerance_pct))]
        if confirm:
            count.finished_at = now()
        return CountReview(
            count_id=count.id,
            location_id=location.id,
            location_code=location.code,
            counted=sum(1 for line in to_count if line.is_counted),
            to_count=len(to_count),
            uncounted=tuple(line for line in to_count if not line.is_counted),
            variances=tuple(variances),
            tolerance_pct=tolerance_pct,
            finished_at=count.finished_at,
        )
