"""Counting a location scan by scan: every scan is committed before the screen shows it.

A count stays open (``finished_at`` NULL) until it is finished, so a count interrupted by a
crash is resumed by the next `open_count` at that location with every committed scan.

Several scanners may count one location at once: they share its open count. Every change to a
line is made under a lock (PostgreSQL: the line's row, inserted with ON CONFLICT DO NOTHING and
then locked FOR UPDATE; SQLite: the database, taken with BEGIN IMMEDIATE before anything is
read), so two scans of the same line at the same moment both land.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from parstudio.domain.barcodes import GS, ScanDecode, decode_scan, is_expired
from parstudio.domain.counting import (
    CountReview,
    CountSheet,
    CountSheetLine,
    ScanFlag,
    ScanKind,
    ScanOutcome,
    flag_label,
    variance_of,
)
from parstudio.domain.enums import CountType, Method
from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.domain.fields import FieldSpec, Kind, tidy
from parstudio.models import (
    Barcode,
    Bin,
    Count,
    CountLine,
    Item,
    Location,
    ParSetting,
    RecalledLot,
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
from parstudio.services.counting.sheet import (
    lock_for_writing,
    locked_line,
    now,
    one_line,
    open_count_row,
    sheet_lines,
    tidy_or_none,
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
_ONE = Decimal(1)


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
        # Locking the location row makes two stations opening it at once share one count.
        location = session.scalar(
            select(Location).where(Location.id == location_id).with_for_update()
        )
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
    client_id: str | None = None,
    scanned_at: datetime | None = None,
    scanned_by: str | None = None,
) -> ScanOutcome:
    """Record one scan in an open count, committed before this returns.

    `scan_adds_one` overrides the location's own setting (a workstation's choice) when given.
    A scan kept in a workstation's journal comes with its `client_id` (and when and by whom it
    was scanned): a scan whose id is already recorded is not recorded again.
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
        scan = Scan(
            count_id=count.id,
            raw=text[:400],
            recorded_at=scanned_at or now(),
            recorded_by=scanned_by or db.user_name,
            client_id=client_id,
            lot=decode.lot,
            expiry=decode.expiry,
            serial=decode.serial,
            undone=False,
            kind=ScanKind.UNKNOWN.value,
        )
        adds_one = location.scan_adds_one if scan_adds_one is None else scan_adds_one
        outcome = _classify(session, count, location, scan, decode, body, today, adds_one)
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
    found = session.execute(
        select(Count, Location)
        .join(Location, Location.id == Count.location_id)
        .where(Count.id == count_id)
    ).first()
    if found is None:
        raise NotFoundError("That count no longer exists; it may have been removed elsewhere.")
    count, location = found
    if count.finished_at is not None:
        raise ValidationError(
            "This count is already finished; open the location again to start a new count."
        )
    return count, location


def _classify(
    session: Session,
    count: Count,
    location: Location,
    scan: Scan,
    decode: ScanDecode,
    body: str,
    today: date,
    adds_one: bool,
) -> ScanOutcome:
    """Find what the scan names and apply it to the count."""
    if decode.error:
        return ScanOutcome(ScanKind.UNREADABLE, f"Not counted: {decode.error}", warning=True)
    # The label as printed is tried last: a barcode stored exactly as scanned (an HIBC code
    # with its "+" and check character, say) names its item too.
    codes = decode.lookup_codes
    if decode.lookup_codes and body and body not in codes:
        codes = (*codes, body)
    found = _find_setting(session, location.id, codes)
    if found is not None:
        return _apply_item_scan(session, count, location, found, scan, decode, today, adds_one)
    jump = _find_jump(session, location, body)
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
    elsewhere = _find_item(session, codes)
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


class _Found(NamedTuple):
    """A PAR setting of the location that a scan names, with its item and bin code."""

    setting: ParSetting
    item: Item
    bin_code: str | None


def _find_setting(session: Session, location_id: int, codes: tuple[str, ...]) -> _Found | None:
    """The location's active PAR setting for the first code that names an item there.

    A code is looked up among barcodes first, then among item codes.
    """
    if not codes:
        return None
    here = (ParSetting.location_id == location_id, ParSetting.active.is_(True))
    found = select(ParSetting, Item, Bin.code).join(Item, Item.id == ParSetting.item_id)
    found = found.outerjoin(Bin, Bin.id == ParSetting.bin_id).where(*here)
    by_barcode: dict[str, _Found] = {
        code: _Found(setting, item, bin_code)
        for setting, item, bin_code, code in session.execute(
            found.add_columns(Barcode.code)
            .join(Barcode, Barcode.item_id == Item.id)
            .where(Barcode.code.in_(codes))
        )
    }
    if codes[0] in by_barcode:  # nothing can come before it: skip the item code query
        return by_barcode[codes[0]]
    by_item_code: dict[str, _Found] = {
        item.code: _Found(setting, item, bin_code)
        for setting, item, bin_code in session.execute(found.where(Item.code.in_(codes)))
    }
    for code in codes:
        hit = by_barcode.get(code) or by_item_code.get(code)
        if hit is not None:
            return hit
    return None


def _find_item(session: Session, codes: tuple[str, ...]) -> Item | None:
    """Any item in the catalogue that the codes name."""
    for code in codes:
        item = session.scalar(
            select(Item).join(Barcode, Barcode.item_id == Item.id).where(Barcode.code == code)
        ) or session.scalar(select(Item).where(Item.code == code))
        if item is not None:
            return item
    return None


def _find_jump(session: Session, location: Location, body: str) -> ScanOutcome | None:
    """A bin label or the location's own label: the outcome points at the line to go to."""
    if not body:
        return None
    lowered = body.lower()
    bin_code = session.scalar(
        select(Bin.code).where(Bin.location_id == location.id, func.lower(Bin.code) == lowered)
    )
    if bin_code is not None:
        setting_id = session.scalar(
            select(ParSetting.id)
            .join(Bin, Bin.id == ParSetting.bin_id)
            .join(Item, Item.id == ParSetting.item_id)
            .where(
                ParSetting.location_id == location.id,
                ParSetting.active.is_(True),
                Bin.code == bin_code,
            )
            .order_by(Item.code)
            .limit(1)
        )
        return ScanOutcome(
            ScanKind.BIN,
            f"Bin {bin_code}." if setting_id else f"Bin {bin_code} holds no items to count.",
            line=one_line(session, location.id, setting_id, None),
        )
    if location.code.lower() == lowered:
        return ScanOutcome(ScanKind.LOCATION, f"Location {location.code} {location.name}.")
    return None


class _Changed(NamedTuple):
    """A line's quantity before and after a change, and its lot and expiry after it."""

    before: Decimal | None
    after: Decimal | None
    lot: str | None
    expiry: date | None


def _change_line(
    session: Session,
    count: Count,
    item_id: int,
    count_type: str,
    scan: Scan,
    new_quantity: Callable[[Decimal | None], Decimal | None],
) -> _Changed:
    """Set the item's line to `new_quantity(before)` under a lock.

    A missing line is created with ON CONFLICT DO NOTHING, so two first scans of an item at
    the same moment make one line, and the second then adds to it.
    """
    line = locked_line(session, count, item_id)
    if line is None:
        first = new_quantity(None)
        if first is None:
            return _Changed(None, None, None, None)
        values = {
            "count_id": count.id,
            "location_id": count.location_id,
            "item_id": item_id,
            "count_type": count_type,
            "quantity": first,
            "recorded_at": scan.recorded_at,
            "recorded_by": scan.recorded_by,
            "lot": scan.lot,
            "expiry": scan.expiry,
        }
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        inserted = session.scalar(
            dialect.insert(CountLine)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["count_id", "item_id"])
            .returning(CountLine.id)
        )
        if inserted is not None:
            return _Changed(None, first, scan.lot, scan.expiry)
        line = locked_line(session, count, item_id)  # another scanner made it just now
        assert line is not None
    before = line.quantity
    after = new_quantity(before)
    if after is not None and after != before:
        line.quantity = after
        line.recorded_at = scan.recorded_at
        line.recorded_by = scan.recorded_by
        if scan.lot is not None or scan.expiry is not None:
            line.lot, line.expiry = scan.lot, scan.expiry
    else:
        after = before
    return _Changed(before, after, line.lot, line.expiry)


def _flag(session: Session, item_id: int, decode: ScanDecode, today: date) -> tuple[str, str]:
    """The flag and warning for a recalled or expired lot, or ("", "")."""
    if decode.lot:
        recalled = session.scalar(
            select(RecalledLot).where(RecalledLot.item_id == item_id, RecalledLot.lot == decode.lot)
        )
        if recalled is not None:
            why = f" ({recalled.reason})" if recalled.reason else ""
            return ScanFlag.RECALLED.value, f"RECALLED lot {decode.lot}{why}"
    if is_expired(decode, today) and decode.expiry is not None:
        return ScanFlag.EXPIRED.value, f"EXPIRED on {decode.expiry:%d %b %Y}"
    return "", ""


def _apply_item_scan(
    session: Session,
    count: Count,
    location: Location,
    found: _Found,
    scan: Scan,
    decode: ScanDecode,
    today: date,
    adds_one: bool,
) -> ScanOutcome:
    """Apply a scan of an item by the line's count type and the scan setting."""
    setting, item = found.setting, found.item
    count_type = setting.count_type or location.default_count_type
    scan.item_id = item.id
    flag, warning = _flag(session, item.id, decode, today)
    scan.flag = flag or None
    name = f"{item.code} {item.description}"
    needs_quantity = False
    change: Callable[[Decimal | None], Decimal | None] = lambda before: before  # noqa: E731
    if count_type == CountType.NOT_COUNTED.value:
        message = f"{name} is not counted at this location (count type NOT COUNTED)."
    elif count_type == CountType.ORDER_PAR.value:
        change = lambda _before: _ONE  # noqa: E731 - the empty bin, however often scanned
        message = f"{name}: empty bin recorded."
    elif count_type == CountType.ORDER_QTY.value:
        needs_quantity = True
        message = f"{name}: type the quantity to order, then press Enter."
    elif not adds_one:
        needs_quantity = True
        message = f"{name}: type the quantity on the shelf, then press Enter."
    elif flag:
        message = f"{name}: not counted."
    else:
        change = lambda before: (before or Decimal(0)) + _ONE  # noqa: E731
        message = ""
    changed = _change_line(session, count, item.id, count_type, scan, change)
    scan.quantity_before, scan.quantity_after = changed.before, changed.after
    if not message:
        message = f"{name}: {tidy(changed.after or Decimal(0))} {item.unit}"
    if warning:
        message = f"{warning} — take it off the shelf. {message}"
    flags = _flag_labels(session, count.id, item.id)
    if flag:
        label = flag_label(flag, scan.lot)
        flags += () if label in flags else (label,)
    line = CountSheetLine(
        setting_id=setting.id,
        item_id=item.id,
        item_code=item.code,
        description=item.description,
        unit=item.unit,
        bin=found.bin_code,
        count_type=count_type,
        expected=tidy_or_none(
            setting.max_level if setting.method == Method.MIN_MAX.value else setting.par_level
        ),
        counted=tidy_or_none(changed.after),
        lot=changed.lot,
        expiry=changed.expiry,
        flags=flags,
    )
    return ScanOutcome(
        ScanKind.ITEM,
        message,
        line=line,
        warning=bool(flag),
        needs_quantity=needs_quantity,
        changed=changed.after != changed.before,
    )


def _flag_labels(session: Session, count_id: int, item_id: int) -> tuple[str, ...]:
    """The problems scanned on an item's line so far, e.g. ("EXPIRED L123",), oldest first."""
    labels: list[str] = []
    for flag, lot in session.execute(
        select(Scan.flag, Scan.lot)
        .where(
            Scan.count_id == count_id,
            Scan.item_id == item_id,
            Scan.flag.is_not(None),
            Scan.undone.is_(False),
        )
        .order_by(Scan.id)
    ):
        label = flag_label(flag, lot) if flag is not None else None
        if label is not None and label not in labels:
            labels.append(label)
    return tuple(labels)


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
        changed = _change_line(session, count, item.id, count_type, scan, lambda _before: value)
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
    """Review a count (lines never counted, variances beyond tolerance); `confirm` closes it."""
    with writing(db) as session:
        count = get_or_raise(session, Count, count_id, "count")
        if count.finished_at is not None and confirm:
            raise ValidationError("This count is already finished.")
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
