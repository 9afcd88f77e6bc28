"""Scanning on a case: a case label opens the case, an item barcode records the item as used.

Every refusal raises `UseRefused` before anything is written. A scan comes with the client id
its workstation gave it: sent again (a reply lost on the way), it is recognised, never doubled.
Serial-tracked items are checked under a lock per item (PostgreSQL; SQLite's writes are serial
already), so one serial is never recorded on two cases by two stations at the same moment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select, text
from sqlalchemy.orm import Session

from parstudio.domain.barcodes import GS, ScanDecode, decode_scan, item_codes
from parstudio.domain.cases import (
    USE_QUANTITY,
    CaseRecord,
    CaseScan,
    UseLineRecord,
    UseRefusal,
    UseRefused,
    is_case_label,
    masked,
    unit_cost,
)
from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.domain.fields import tidy
from parstudio.models import Item, PatientCase, UseLine
from parstudio.services.cases.cases import (
    case_record,
    hides_identifiers,
    open_case_row,
    refuse_unless_recording,
)
from parstudio.services.cases.label_pattern import case_pattern_of
from parstudio.services.core.database import Database
from parstudio.services.core.store import get_or_raise, writing
from parstudio.services.counting.scan_lines import find_item, lot_flag
from parstudio.services.counting.sheet import lock_for_writing

SERIAL_LOCK_SPACE = 0x5053_0003
ONE = Decimal(1)


def _line_query() -> Select[UseLine, str, str, str, bool, str | None, Decimal | None]:
    return select(
        UseLine,
        Item.code,
        Item.description,
        Item.unit,
        Item.billable,
        Item.charge_code,
        Item.charge_price,
    ).join(Item, Item.id == UseLine.item_id)


def _line_record(row: Any) -> UseLineRecord:
    line, code, description, unit, billable, charge_code, charge_price = row
    return UseLineRecord(
        id=line.id,
        case_id=line.case_id,
        location_id=line.location_id,
        item_id=line.item_id,
        item_code=code,
        description=description,
        unit=unit,
        quantity=line.quantity,
        lot=line.lot,
        serial=line.serial,
        expiry=line.expiry,
        unit_cost=line.unit_cost,
        billable=bool(billable),
        charge_code=charge_code,
        charge_price=charge_price,
        used_at=line.used_at,
        used_by=line.used_by,
        voided=bool(line.voided),
        voided_at=line.voided_at,
        voided_by=line.voided_by,
    )


def _one_line(session: Session, line_id: int) -> UseLineRecord:
    return _line_record(session.execute(_line_query().where(UseLine.id == line_id)).one())


def list_use_lines(
    db: Database, *, case_id: int, include_voided: bool = True
) -> list[UseLineRecord]:
    """A case's lines in the order they were recorded (voided ones marked, kept)."""
    query = _line_query().where(UseLine.case_id == case_id).order_by(UseLine.id)
    if not include_voided:
        query = query.where(UseLine.voided.is_(False))
    with db.reading() as session:
        return [_line_record(row) for row in session.execute(query)]


def scan_on_case(
    db: Database,
    *,
    location_id: int,
    case_id: int | None,
    text: str,
    quantity: Any = None,
    client_id: str | None = None,
    group_separator: str = GS,
    today: date | None = None,
) -> CaseScan:
    """One scan on the Cases screen: a case label opens that case, an item is used on ``case_id``.

    An item's barcode is tried first (a visit number could look like a UPC), then the case
    label pattern. ``quantity`` is a quantity typed for this scan (else one).
    """
    refuse_unless_recording(db)
    today = today or date.today()
    decode = decode_scan(text, group_separator=group_separator, today=today)
    body = text.strip(" \t\r\n")
    hide = hides_identifiers(db)
    with writing(db, duplicate=_duplicate) as session:
        lock_for_writing(session)
        if client_id is not None:
            already = _already_recorded(session, client_id, hide)
            if already is not None:
                return already
        codes = () if decode.error else item_codes(decode, body)
        item = find_item(session, codes) if codes else None
        if item is None and is_case_label(case_pattern_of(session), body):
            row, created = open_case_row(session, body, location_id, db.user_name, {})
            case = case_record(session, row, hide=hide)
            said = "New case" if created else "Case re-opened"
            return CaseScan(
                f"{said} {case.identifier}: scan the items used on it.",
                case,
                opened=True,
                created=created,
            )
        if case_id is None:
            pattern = case_pattern_of(session)
            what = f"{item.code} {item.description}" if item is not None else f"“{body[:60]}”"
            raise UseRefused(
                UseRefusal.NO_CASE,
                f"No case is open: scan the case label first (a label matching {pattern}). "
                f"{what} was not recorded.",
            )
        case_row = get_or_raise(session, PatientCase, case_id, "case")
        if item is None:
            _refuse_unknown(session, decode, body)
        assert item is not None
        if item.serial_tracked and _hold_serials(session, item.id) and client_id is not None:
            # The same scan sent twice at once: the second waited for the first, and is it.
            already = _already_recorded(session, client_id, hide)
            if already is not None:
                return already
        line = _record(session, db, case_row, location_id, item, decode, quantity, client_id, hide)
        case = case_record(session, case_row, hide=hide)
        # It was used, so it is recorded (the charge and the trace to the patient matter most
        # for a recalled unit); the screen says it loudly so the rest comes off the shelf.
        _flag, flagged = lot_flag(session, item.id, decode, today)
        if flagged:
            warning = (
                f"{flagged}: {item.code} was used on case {case.identifier} and is recorded. "
                "Take the rest off the shelf and tell the manager."
            )
            return CaseScan(warning, case, line=line, warning=warning)
        return CaseScan(_used_message(line, today), case, line=line)


def record_use(
    db: Database,
    *,
    case_id: int | None,
    text: str,
    location_id: int | None = None,
    quantity: Any = None,
    client_id: str | None = None,
    group_separator: str = GS,
    today: date | None = None,
) -> CaseScan:
    """Record a scanned item as used on a case (at the case's location unless another is given).

    Refused, with nothing written: no case open, an unreadable or unknown barcode, a
    serial-tracked item scanned without its serial, a serial already used (on another case, or
    on this one), more than one unit of a serial.
    """
    if case_id is None:
        raise UseRefused(
            UseRefusal.NO_CASE, "No case is open: scan the case label first. Nothing was recorded."
        )
    if location_id is None:
        with db.reading() as session:
            location_id = get_or_raise(session, PatientCase, case_id, "case").location_id
    return scan_on_case(
        db,
        location_id=location_id,
        case_id=case_id,
        text=text,
        quantity=quantity,
        client_id=client_id,
        group_separator=group_separator,
        today=today,
    )


def _duplicate(_exc: object) -> str:
    return "This scan was recorded at the same moment by another send from this workstation."


def _already_recorded(session: Session, client_id: str, hide: bool) -> CaseScan | None:
    line_id = session.scalar(select(UseLine.id).where(UseLine.client_id == client_id))
    if line_id is None:
        return None
    line = _one_line(session, line_id)
    case = case_record(session, get_or_raise(session, PatientCase, line.case_id, "case"), hide=hide)
    return CaseScan(
        f"Already recorded: {line.item_code} on {case.identifier}.",
        case,
        line=line,
        already_recorded=True,
    )


def _refuse_unknown(session: Session, decode: ScanDecode, body: str) -> None:
    if decode.error:
        raise UseRefused(UseRefusal.UNREADABLE, f"Not recorded: {decode.error}")
    if not decode.lookup_codes:
        expiry = f", expiry {decode.expiry:%d %b %Y}" if decode.expiry else ""
        raise UseRefused(
            UseRefusal.NO_ITEM_NUMBER,
            f"This label holds only lot {decode.lot or '–'}{expiry} and no item number: scan "
            "the item's own barcode. Nothing was recorded.",
        )
    pattern = case_pattern_of(session)
    code = decode.lookup_codes[0][:80]
    raise UseRefused(
        UseRefusal.UNKNOWN,
        f"Unknown barcode {code}: no item has it, and it is not a case label ({pattern}). "
        "Nothing was recorded; link the barcode to its item on the Count screen or in Items.",
    )


def _record(
    session: Session,
    db: Database,
    case: PatientCase,
    location_id: int,
    item: Item,
    decode: ScanDecode,
    quantity: Any,
    client_id: str | None,
    hide: bool,
) -> UseLineRecord:
    amount = (
        ONE if quantity is None or str(quantity).strip() == "" else USE_QUANTITY.parse(quantity)
    )
    serial = decode.serial
    if item.serial_tracked:
        _check_serial(session, case, item, serial, amount, hide)
    line = UseLine(
        case_id=case.id,
        location_id=location_id,
        item_id=item.id,
        quantity=amount,
        lot=decode.lot,
        serial=serial,
        expiry=decode.expiry,
        unit_cost=unit_cost(item.pack_price, item.pack_size),
        raw=decode.raw[:400],
        used_at=datetime.now(UTC),
        used_by=db.user_name,
        client_id=client_id,
        voided=False,
    )
    session.add(line)
    session.flush()
    return _one_line(session, line.id)


def _hold_serials(session: Session, item_id: int) -> bool:
    """Hold the item's serials until the transaction ends; True if a lock was waited for."""
    if session.get_bind().dialect.name != "postgresql":
        return False  # SQLite: BEGIN IMMEDIATE already made this write the only one
    session.execute(
        text("SELECT pg_advisory_xact_lock(:space, :item_id)"),
        {"space": SERIAL_LOCK_SPACE, "item_id": item_id},
    )
    return True


def _check_serial(
    session: Session,
    case: PatientCase,
    item: Item,
    serial: str | None,
    amount: Decimal,
    hide: bool,
) -> None:
    """Refuse a serial-tracked use without its serial, or with a serial used already."""
    what = f"{item.code} {item.description}"
    if not serial:
        raise UseRefused(
            UseRefusal.NEEDS_SERIAL,
            f"{what} is serial-tracked: scan the label that carries its serial number "
            "(SN, or GS1 (21)). Nothing was recorded.",
        )
    if amount != ONE:
        raise UseRefused(
            UseRefusal.ONE_PER_SERIAL,
            f"{what} is serial-tracked: one serial is one unit, so its quantity is 1, not "
            f"{tidy(amount)}. Nothing was recorded.",
            field="quantity",
        )
    earlier = session.execute(
        select(UseLine.case_id, UseLine.used_at, UseLine.used_by, PatientCase.identifier)
        .join(PatientCase, PatientCase.id == UseLine.case_id)
        .where(UseLine.item_id == item.id, UseLine.serial == serial, UseLine.voided.is_(False))
        .order_by(UseLine.id)
        .limit(1)
    ).first()
    if earlier is None:
        return
    other_id, used_at, used_by, identifier = earlier
    when = f"{used_at.astimezone():%d %b %Y %H:%M}"
    if other_id == case.id:
        raise UseRefused(
            UseRefusal.SERIAL_AGAIN,
            f"Serial {serial} of {what} is already recorded on this case ({when}, "
            f"{used_by or 'someone'}): not recorded twice.",
        )
    other = masked(other_id) if hide else identifier
    raise UseRefused(
        UseRefusal.SERIAL_ELSEWHERE,
        f"Serial {serial} of {what} was already used on case {other} ({when}, "
        f"{used_by or 'someone'}): NOT recorded. Check the label; if that earlier line is "
        "wrong, void it on that case first.",
    )


def _used_message(line: UseLineRecord, today: date) -> str:
    parts = [f"{tidy(line.quantity)} {line.unit} {line.item_code} {line.description}"]
    if line.lot:
        parts.append(f"lot {line.lot}")
    if line.serial:
        parts.append(f"serial {line.serial}")
    said = "Used: " + ", ".join(parts) + "."
    if line.expiry is not None and line.expiry < today:
        said += f" Note: it expired on {line.expiry:%d %b %Y}."
    return said


def void_use(db: Database, *, line_id: int) -> UseLineRecord:
    """Take a line back: it is kept, marked void, with who and when (never deleted)."""
    with writing(db) as session:
        line = get_or_raise(session, UseLine, line_id, "use line")
        if line.voided:
            raise ValidationError(
                f"That line was already voided by {line.voided_by or 'someone'}; nothing changed."
            )
        line.voided = True
        line.voided_at = datetime.now(UTC)
        line.voided_by = db.user_name
        session.flush()
        return _one_line(session, line.id)


def undo_last_use(db: Database, *, case_id: int) -> UseLineRecord:
    """Void the latest line you recorded on this case (someone else's lines stay)."""
    with db.reading() as session:
        line_id = session.scalar(
            select(UseLine.id)
            .where(
                UseLine.case_id == case_id,
                UseLine.voided.is_(False),
                UseLine.used_by == db.user_name,
            )
            .order_by(UseLine.id.desc())
            .limit(1)
        )
    if line_id is None:
        raise NotFoundError("There is no line of yours on this case to undo.")
    return void_use(db, line_id=line_id)


def case_of_line(db: Database, *, line_id: int) -> CaseRecord:
    """The case a line was recorded on."""
    with db.reading() as session:
        line = get_or_raise(session, UseLine, line_id, "use line")
        row = get_or_raise(session, PatientCase, line.case_id, "case")
        return case_record(session, row, hide=hides_identifiers(db))
