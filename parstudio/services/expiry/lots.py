"""Lots on hand from the latest counts: expiring soon with a FEFO hint, and the recall search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from parstudio.domain.enums import CountType
from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.domain.expiry import (
    ExpiringLot,
    LotOnHand,
    RecallHolding,
    RecallList,
    expiring_within,
    merge_lots,
)
from parstudio.models import (
    Count,
    CountLine,
    Item,
    Location,
    ParSetting,
    RecalledLot,
    Receipt,
    Scan,
    Waste,
)
from parstudio.services.core.bulk import collector_paused, read_rows
from parstudio.services.core.database import Database
from parstudio.services.counting.latest import latest_count_line_id


def expiring_soon(
    db: Database, *, days: int = 30, location_id: int | None = None, today: date | None = None
) -> list[ExpiringLot]:
    """Lots on hand (at one location or all) that expire within `days`, soonest first."""
    today = today or date.today()
    with collector_paused(), db.reading() as session:
        lots = lots_on_hand(
            session, location_id=location_id, expiring_by=today + timedelta(days=days)
        )
        return expiring_within(lots, today=today, days=days)


def lots_on_hand(
    session: Session,
    *,
    location_id: int | None = None,
    item_id: int | None = None,
    expiring_by: date | None = None,
) -> list[LotOnHand]:
    """The lots held by the latest count line of each PAR setting (finished counts only).

    Only ON HAND lines say what is on the shelf (other count types record what to order).
    A line's scans that carry a lot split it into lots (each scan adds what it changed the
    line by); what the scans do not cover stays with the line's own lot. Lines of 0 hold
    nothing. Waste of the same lot recorded after the count is taken off; a lot all thrown
    away is gone.

    With `expiring_by`, only the places that can hold a lot expiring by that day are read:
    lines whose own expiry or one of whose dated lot scans is that day or sooner. Every lot of
    such a line is still returned (the FEFO hint orders all of an item's lots at a location,
    and they all come from its one latest line); a line without one holds no such lot, since
    merging lots keeps the soonest expiry and waste only takes away.
    """
    newest = latest_count_line_id()
    query = (
        select(
            CountLine.count_id,
            CountLine.location_id,
            Location.code,
            Location.name,
            CountLine.item_id,
            Item.code,
            Item.description,
            CountLine.lot,
            CountLine.expiry,
            CountLine.quantity,
            CountLine.recorded_at,
        )
        .select_from(ParSetting)
        .join(CountLine, CountLine.id == newest)
        .join(Location, Location.id == CountLine.location_id)
        .join(Item, Item.id == CountLine.item_id)
        .where(CountLine.quantity > 0, CountLine.count_type == CountType.ON_HAND)
    )
    if location_id is not None:
        query = query.where(ParSetting.location_id == location_id)
    if item_id is not None:
        query = query.where(ParSetting.item_id == item_id)
    if expiring_by is not None:
        dated_scan = (
            select(Scan.id)
            .where(Scan.count_id == CountLine.count_id, Scan.item_id == CountLine.item_id)
            .where(Scan.expiry <= expiring_by, Scan.undone.is_(False))
        )
        query = query.where(or_(CountLine.expiry <= expiring_by, dated_scan.exists()))
    # Core execution: tens of thousands of plain rows, without the ORM's per-row loading, and
    # their times, dates and quantities converted once per distinct value.
    rows = read_rows(session.connection(), query)
    scans = _scanned_lots(session, [(row[0], row[4]) for row in rows])
    lots: list[LotOnHand] = []
    for count_id, loc_id, loc_code, loc_name, it_id, it_code, desc, lot, expiry, qty, at in rows:
        place = (loc_id, loc_code, loc_name, it_id, it_code, desc)
        day = _day(at)
        split = scans.get((count_id, it_id))
        if not split:
            lots.append(LotOnHand(*place, lot, expiry, qty, day))
            continue
        # Built directly rather than by dataclasses.replace: tens of thousands of lots are
        # split on a large department, and replace costs several times a constructor.
        covered = sum((q for _lot, _expiry, q in split), Decimal(0))
        for scan_lot, scan_expiry, scan_quantity in split:
            if scan_quantity > 0:
                lots.append(LotOnHand(*place, scan_lot, scan_expiry, scan_quantity, day))
        if qty > covered:
            lots.append(LotOnHand(*place, None, None, qty - covered, day))
    counted_at = {(row[1], row[4]): row[10] for row in rows}
    return _less_waste(session, merge_lots(lots), counted_at)


def _less_waste(
    session: Session,
    lots: list[LotOnHand],
    counted_at: dict[tuple[int, int], datetime],
) -> list[LotOnHand]:
    """The lots less what was thrown away of each (same location, item and lot) since its count."""
    if not lots:
        return lots
    query = select(
        Waste.location_id, Waste.item_id, Waste.lot, Waste.quantity, Waste.recorded_at
    ).where(Waste.recorded_at > min(counted_at.values()))
    locations_held = {lot.location_id for lot in lots}
    items_held = {lot.item_id for lot in lots}
    if len(locations_held) == 1:
        query = query.where(Waste.location_id == next(iter(locations_held)))
    if len(items_held) == 1:
        query = query.where(Waste.item_id == next(iter(items_held)))
    wasted: dict[tuple[int, int, str | None], Decimal] = {}
    for loc_id, it_id, lot, quantity, at in session.execute(query):
        counted = counted_at.get((loc_id, it_id))
        if counted is not None and at > counted:
            key = (loc_id, it_id, lot)
            wasted[key] = wasted.get(key, Decimal(0)) + quantity
    if not wasted:
        return lots
    left = []
    for held in lots:
        thrown = wasted.get((held.location_id, held.item_id, held.lot), Decimal(0))
        if held.quantity > thrown:
            left.append(replace(held, quantity=held.quantity - thrown) if thrown else held)
    return left


def _scanned_lots(
    session: Session, lines: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], list[tuple[str | None, date | None, Decimal]]]:
    """The quantity each lot's scans added to a (count, item) line, for lines that have them."""
    wanted = set(lines)
    counts = sorted({count_id for count_id, _item in wanted})
    found: dict[tuple[int, int], dict[tuple[str | None, date | None], Decimal]] = {}
    for start in range(0, len(counts), 500):
        for count_id, it_id, lot, expiry, before, after in read_rows(
            session.connection(),
            select(
                Scan.count_id,
                Scan.item_id,
                Scan.lot,
                Scan.expiry,
                Scan.quantity_before,
                Scan.quantity_after,
            )
            .where(Scan.count_id.in_(counts[start : start + 500]))
            .where(Scan.undone.is_(False), Scan.item_id.is_not(None))
            .where(or_(Scan.lot.is_not(None), Scan.expiry.is_not(None))),
        ):
            if it_id is None or (count_id, it_id) not in wanted:
                continue
            added = (after or Decimal(0)) - (before or Decimal(0))
            per_lot = found.setdefault((count_id, it_id), {})
            per_lot[(lot, expiry)] = per_lot.get((lot, expiry), Decimal(0)) + added
    return {
        key: [(lot, expiry, qty) for (lot, expiry), qty in per_lot.items()]
        for key, per_lot in found.items()
    }


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _item_by_code(session: Session, item_code: str) -> Item:
    item = session.scalar(select(Item).where(func.lower(Item.code) == item_code.lower()))
    if item is None:
        raise NotFoundError(f"There is no item with the code {item_code}.")
    return item


def add_to_recall_list(db: Database, *, item_code: str, lot: str, reason: str | None) -> None:
    """Put a lot on the recall list by item code: counts then flag it when it is scanned."""
    from parstudio.services.counting.links import add_recall

    with db.reading() as session:
        item_id = _item_by_code(session, item_code.strip()).id
    add_recall(db, item_id=item_id, lot=lot, reason=reason)


def recall_search(
    db: Database, *, item_code: str, lot: str, today: date | None = None
) -> RecallList:
    """Which locations hold a lot of an item: latest counts and scans, and receipts since."""
    item_code, lot = item_code.strip(), lot.strip()
    if not item_code:
        raise ValidationError("Give the item code to search for.", field="item")
    if not lot:
        raise ValidationError("Give the lot number to search for.", field="lot")
    with db.reading() as session:
        item = _item_by_code(session, item_code)
        recalled = session.scalar(
            select(RecalledLot).where(RecalledLot.item_id == item.id, RecalledLot.lot == lot)
        )
        lots = lots_on_hand(session, item_id=item.id)
        holdings = [
            RecallHolding(h.location_code, h.location_name, h.quantity, h.counted_on, "count")
            for h in lots
            if h.lot == lot and h.quantity > 0
        ]
        holdings += _received_since(session, item.id, lot)
        holdings.sort(key=lambda h: (h.location_code, h.source))
        return RecallList(
            item_code=item.code,
            description=item.description,
            lot=lot,
            reason=recalled.reason if recalled else None,
            on_recall_list=recalled is not None,
            holdings=tuple(holdings),
            made_on=today or date.today(),
        )


def _received_since(session: Session, item_id: int, lot: str) -> list[RecallHolding]:
    """Receipts of the lot at each location after that location's latest count of the item."""
    last_count = dict(
        session.execute(
            select(CountLine.location_id, func.max(CountLine.recorded_at))
            .join(Count, Count.id == CountLine.count_id)
            .where(CountLine.item_id == item_id, Count.finished_at.is_not(None))
            .group_by(CountLine.location_id)
        ).all()
    )
    received: dict[int, tuple[str, str, Decimal, date]] = {}
    for loc_id, code, name, quantity, at in session.execute(
        select(
            Receipt.location_id, Location.code, Location.name, Receipt.quantity, Receipt.received_at
        )
        .join(Location, Location.id == Receipt.location_id)
        .where(Receipt.item_id == item_id, Receipt.lot == lot)
        .order_by(Receipt.received_at)
    ):
        counted = last_count.get(loc_id)
        if counted is not None and at <= counted:
            continue  # the count after it says what is left of it
        _code, _name, total, _day_seen = received.get(loc_id, (code, name, Decimal(0), _day(at)))
        received[loc_id] = (code, name, total + quantity, _day(at))
    return [
        RecallHolding(code, name, total, seen, "receipt")
        for code, name, total, seen in received.values()
    ]
