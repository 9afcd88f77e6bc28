"""Applying one scan to its count: the PAR setting it names, the line it changes, its flags.

`record_scan` (scans.py) decodes the scan and calls these under the count's write lock; what
a scan does to a line is `domain.scan_effect.scan_effect`, the table in docs/counting.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from parstudio.domain.barcodes import ScanDecode, is_expired
from parstudio.domain.counting import CountSheetLine, ScanFlag, ScanKind, ScanOutcome, flag_label
from parstudio.domain.fields import tidy
from parstudio.domain.quantities import fill_level
from parstudio.domain.scan_effect import scan_effect
from parstudio.models import (
    Barcode,
    Bin,
    Count,
    CountLine,
    Item,
    Location,
    ParSetting,
    RecalledLot,
    RecalledSerial,
    Scan,
)
from parstudio.services.counting.sheet import locked_line, one_line, tidy_or_none

__all__ = [
    "Changed",
    "Found",
    "ScanRule",
    "apply_item_scan",
    "change_line",
    "find_item",
    "find_jump",
    "find_setting",
    "flag_labels",
    "lot_flag",
]


class ScanRule(NamedTuple):
    """How this scan counts: "a scan adds one" here, and a quantity keyed with the scan."""

    adds_one: bool
    keyed: int | None = None


class Found(NamedTuple):
    """A PAR setting of the location that a scan names, with its item and bin code."""

    setting: ParSetting
    item: Item
    bin_code: str | None


def find_setting(session: Session, location_id: int, codes: tuple[str, ...]) -> Found | None:
    """The location's active PAR setting for the first code that names an item there.

    A code is looked up among barcodes first, then among item codes.
    """
    if not codes:
        return None
    here = (ParSetting.location_id == location_id, ParSetting.active.is_(True))
    found = select(ParSetting, Item, Bin.code).join(Item, Item.id == ParSetting.item_id)
    found = found.outerjoin(Bin, Bin.id == ParSetting.bin_id).where(*here)
    by_barcode: dict[str, Found] = {
        code: Found(setting, item, bin_code)
        for setting, item, bin_code, code in session.execute(
            found.add_columns(Barcode.code)
            .join(Barcode, Barcode.item_id == Item.id)
            .where(Barcode.code.in_(codes))
        )
    }
    if codes[0] in by_barcode:  # nothing can come before it: skip the item code query
        return by_barcode[codes[0]]
    by_item_code: dict[str, Found] = {
        item.code: Found(setting, item, bin_code)
        for setting, item, bin_code in session.execute(found.where(Item.code.in_(codes)))
    }
    for code in codes:
        hit = by_barcode.get(code) or by_item_code.get(code)
        if hit is not None:
            return hit
    return None


def find_item(session: Session, codes: tuple[str, ...]) -> Item | None:
    """Any item in the catalogue that the codes name."""
    for code in codes:
        item = session.scalar(
            select(Item).join(Barcode, Barcode.item_id == Item.id).where(Barcode.code == code)
        ) or session.scalar(select(Item).where(Item.code == code))
        if item is not None:
            return item
    return None


def find_jump(session: Session, location: Location, body: str) -> ScanOutcome | None:
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


class Changed(NamedTuple):
    """A line's quantity before and after a change, and its lot and expiry after it."""

    before: Decimal | None
    after: Decimal | None
    lot: str | None
    expiry: date | None


def change_line(
    session: Session,
    count: Count,
    item_id: int,
    count_type: str,
    scan: Scan,
    new_quantity: Callable[[Decimal | None], Decimal | None],
) -> Changed:
    """Set the item's line to `new_quantity(before)` under a lock.

    A missing line is created with ON CONFLICT DO NOTHING, so two first scans of an item at
    the same moment make one line, and the second then adds to it.
    """
    line = locked_line(session, count, item_id)
    if line is None:
        first = new_quantity(None)
        if first is None:
            return Changed(None, None, None, None)
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
            return Changed(None, first, scan.lot, scan.expiry)
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
    return Changed(before, after, line.lot, line.expiry)


def lot_flag(session: Session, item_id: int, decode: ScanDecode, today: date) -> tuple[str, str]:
    """The flag and warning for a recalled lot or serial, or an expired lot, or ("", "")."""
    if decode.lot:
        recalled = session.scalar(
            select(RecalledLot).where(RecalledLot.item_id == item_id, RecalledLot.lot == decode.lot)
        )
        if recalled is not None:
            why = f" ({recalled.reason})" if recalled.reason else ""
            return ScanFlag.RECALLED.value, f"RECALLED lot {decode.lot}{why}"
    # A serial is recalled as a lot is: one unit (an implant, a device) instead of a batch.
    if decode.serial:
        serial = session.scalar(
            select(RecalledSerial).where(
                RecalledSerial.item_id == item_id, RecalledSerial.serial == decode.serial
            )
        )
        if serial is not None:
            why = f" ({serial.reason})" if serial.reason else ""
            return ScanFlag.RECALLED.value, f"RECALLED serial {decode.serial}{why}"
    if is_expired(decode, today) and decode.expiry is not None:
        return ScanFlag.EXPIRED.value, f"EXPIRED on {decode.expiry:%d %b %Y}"
    return "", ""


def apply_item_scan(
    session: Session,
    count: Count,
    location: Location,
    found: Found,
    scan: Scan,
    decode: ScanDecode,
    today: date,
    rule: ScanRule,
) -> ScanOutcome:
    """Apply a scan of an item by the line's count type and the scan setting."""
    setting, item = found.setting, found.item
    count_type = setting.count_type or location.default_count_type
    scan.item_id = item.id
    flag, warning = lot_flag(session, item.id, decode, today)
    scan.flag = flag or None
    name = f"{item.code} {item.description}"
    effect = scan_effect(
        count_type,
        adds_one=rule.adds_one,
        flagged=bool(flag),
        units=decode.quantity,
        keyed=rule.keyed,
        name=name,
    )
    changed = change_line(session, count, item.id, count_type, scan, effect.apply)
    scan.quantity_before, scan.quantity_after = changed.before, changed.after
    message = effect.message
    if message is None:
        counted = f"{name}: {tidy(changed.after or Decimal(0))} {item.unit}"
        message = f"{counted} {effect.note}" if effect.note else counted
    if warning:
        message = f"{warning} — take it off the shelf. {message}"
    # Read under the line's lock (every earlier scan of the line is committed), without
    # flushing the line's change first: the change and the scan are then written in one
    # flush at the end, with one audit insert for both (fewer round trips under the lock).
    with session.no_autoflush:
        flags = flag_labels(session, count.id, item.id)
    if flag:
        label = flag_label(flag, scan.lot, scan.serial)
        flags += () if label in flags else (label,)
    line = CountSheetLine(
        setting_id=setting.id,
        item_id=item.id,
        item_code=item.code,
        description=item.description,
        unit=item.unit,
        bin=found.bin_code,
        count_type=count_type,
        expected=tidy_or_none(fill_level(setting.method, setting.par_level, setting.max_level)),
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
        needs_quantity=effect.needs_quantity,
        changed=changed.after != changed.before,
    )


def flag_labels(session: Session, count_id: int, item_id: int) -> tuple[str, ...]:
    """The problems scanned on an item's line so far, e.g. ("EXPIRED L123",), oldest first."""
    labels: list[str] = []
    for flag, lot, serial in session.execute(
        select(Scan.flag, Scan.lot, Scan.serial)
        .where(
            Scan.count_id == count_id,
            Scan.item_id == item_id,
            Scan.flag.is_not(None),
            Scan.undone.is_(False),
        )
        .order_by(Scan.id)
    ):
        label = flag_label(flag, lot, serial) if flag is not None else None
        if label is not None and label not in labels:
            labels.append(label)
    return tuple(labels)
