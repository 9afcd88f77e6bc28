"""The demo's month of cases: billable contrast and IR devices, serial-tracked implants, and uses.

Written into the demo's own transaction after its year of counts and receipts. Most of the
billable usage the counts show in the last month is recorded on cases; a few items are left
partly unrecorded on purpose, so the charge reconciliation has an unbilled gap to show.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from parstudio.demo.catalogue import COUNTERS, make_gtin14
from parstudio.domain.cases import unit_cost
from parstudio.domain.charges import DayRange
from parstudio.domain.enums import CountType
from parstudio.domain.reconciliation import SeenUsage, seen_usage
from parstudio.domain.usage import StockEvent
from parstudio.models import (
    Barcode,
    Count,
    CountLine,
    Item,
    Location,
    ParSetting,
    PatientCase,
    Receipt,
    Supplier,
    UseLine,
    Waste,
)

CASE_DAYS = 30
ROOMS = {"IR1": 40}
"""Procedure rooms and how many cases each has in the month: the IR suite, where devices and
implants are charged to the patient (the CT rooms' contrast is in the scan's price)."""
CHARGE_MARKUP = Decimal(3)
# What is charged to the patient: (item code prefix, words of its description). The
# iso-osmolar contrast (iodixanol) is; the everyday contrast is in the procedure's price.
BILLABLE = (
    ("IOD-", ()),
    ("IRD-", ("catheter", "sheath", "introducer", "closure", "guidewire", "torque")),
)
LATEST_USE = 80
"""Minutes after a case opens that its last item is scanned."""
READ_BEFORE = 21
"""Days before the month that counts are read, for the count before its first day."""
UNBILLED_KEYS = 3
"""Items whose use at a room is only partly recorded on cases: the gap to find."""
PHYSICIANS = ("Dr A. Okafor", "Dr L. Brandt", "Dr S. Iyer", "Dr M. Costa", "Dr H. Tanaka")
PROCEDURES = {
    "IR1": (
        "Biliary drainage",
        "Nephrostomy",
        "Diagnostic angiography",
        "Embolization",
        "Abscess drainage",
        "Port placement",
        "IVC filter placement",
    ),
}


@dataclass(frozen=True, slots=True)
class Implant:
    """A serial-tracked implant of the demo, used in IR."""

    code: str
    description: str
    price: str
    charge_code: str
    procedure: str


IMPLANTS = (
    Implant("IMP-001", "Biliary stent, self-expanding, 10 × 60 mm", "1480.00", "C1874",
            "Biliary stenting"),
    Implant("IMP-002", "Iliac stent, balloon-expandable, 8 × 39 mm", "1320.00", "C1876",
            "Iliac stenting"),
    Implant("IMP-003", "IVC filter, retrievable", "2150.00", "C1880", "IVC filter placement"),
    Implant("IMP-004", "Implantable port, 8F, titanium", "640.00", "C1788", "Port placement"),
    Implant("IMP-005", "Vascular plug, 8 mm", "1190.00", "C2628", "Embolization"),
)  # fmt: skip


@dataclass
class DemoCase:
    """A case being planned: where and when, and its lines."""

    location_id: int
    location_code: str
    opened_at: datetime
    opened_by: str
    procedure: str | None
    physician: str | None
    lines: list[dict[str, object]]
    case_id: int = 0


def add_cases(session: Session, rng: random.Random, *, today: date, user: str) -> tuple[int, int]:
    """Billable items, implants and a month of cases before ``today``; (cases, use lines)."""
    rooms = dict(
        session.execute(select(Location.code, Location.id).where(Location.code.in_(ROOMS))).all()
    )
    _mark_billable(session)
    implants = _insert_implants(session, user)
    # The month the Charges page opens on: the last 30 days through today.
    first = today - timedelta(days=CASE_DAYS - 1)
    cases = _plan_cases(rng, rooms, first, today)
    _use_counted_stock(session, rng, cases, rooms, first, today)
    _use_implants(session, rng, cases, implants, rooms["IR1"], first, today)
    return _insert(session, cases, user)


def _mark_billable(session: Session) -> None:
    """Contrast and IR devices become billable, with charge codes and prices."""
    rows = session.execute(
        select(Item.id, Item.code, Item.description, Item.pack_price, Item.pack_size).order_by(
            Item.code
        )
    ).all()
    changes: list[dict[str, Any]] = []
    for item_id, code, description, pack_price, pack_size in rows:
        for prefix, words in BILLABLE:
            if code.startswith(prefix) and (
                not words or any(word in description.lower() for word in words)
            ):
                cost = unit_cost(pack_price, pack_size) or Decimal(0)
                # The torque device is billable but its code is not set yet: the charge file
                # shows such a line without a code, as the item form warns.
                coded = "torque" not in description.lower()
                changes.append(
                    {
                        "item_id": item_id,
                        "code": f"{'Q' if prefix != 'IRD-' else 'C'}{9000 + len(changes):04d}"
                        if coded
                        else None,
                        "price": (cost * CHARGE_MARKUP).quantize(Decimal("0.01")),
                    }
                )
    for change in changes:
        session.execute(
            update(Item)
            .where(Item.id == change["item_id"])
            .values(billable=True, charge_code=change["code"], charge_price=change["price"])
        )


def _insert_implants(session: Session, user: str) -> dict[str, int]:
    """The implants: serial-tracked, billable, on consignment from Owens & Minor."""
    supplier_id = session.scalar(select(Supplier.id).where(Supplier.code == "OWENS"))
    ids: dict[str, int] = {}
    for number, implant in enumerate(IMPLANTS):
        price = Decimal(implant.price)
        ids[implant.code] = session.scalars(
            insert(Item).returning(Item.id),
            [
                {
                    "code": implant.code,
                    "description": implant.description,
                    "unit": "EA",
                    "pack_size": Decimal(1),
                    "supplier_id": supplier_id,
                    "supplier_item_no": f"OM9{number + 1:05d}",
                    "pack_price": price,
                    "category": "Implants",
                    "expensed": False,
                    "consignment": True,
                    "billable": True,
                    "charge_code": implant.charge_code,
                    "charge_price": price * CHARGE_MARKUP,
                    "serial_tracked": True,
                    "updated_by": user,
                }
            ],
        ).one()
        session.execute(
            insert(Barcode),
            [
                {
                    "item_id": ids[implant.code],
                    "code": make_gtin14(0, "0040197", 90_001 + number),
                    "kind": "GTIN",
                }
            ],
        )
    return ids


def _plan_cases(
    rng: random.Random, rooms: dict[str, int], first: date, today: date
) -> list[DemoCase]:
    """The month's cases at each procedure room, on weekdays, with most details set."""
    days = [
        first + timedelta(days=n)
        for n in range((today - first).days)
        if (first + timedelta(days=n)).weekday() < 5
    ]
    cases: list[DemoCase] = []
    for code, how_many in ROOMS.items():
        for _ in range(how_many):
            day = rng.choice(days)
            start = time(7 + rng.randint(0, 8), rng.choice((0, 15, 30, 45)))
            known = rng.random() < 0.85  # most cases carry the procedure and physician
            cases.append(
                DemoCase(
                    location_id=rooms[code],
                    location_code=code,
                    opened_at=datetime.combine(day, start, tzinfo=UTC),
                    opened_by=rng.choice(COUNTERS),
                    procedure=rng.choice(PROCEDURES[code]) if known else None,
                    physician=rng.choice(PHYSICIANS) if known or rng.random() < 0.5 else None,
                    lines=[],
                )
            )
    cases.sort(key=lambda case: case.opened_at)
    return cases


def _use_counted_stock(
    session: Session,
    rng: random.Random,
    cases: list[DemoCase],
    rooms: dict[str, int],
    first: date,
    today: date,
) -> None:
    """Record on the cases what the counts say was used of each billable item, but for a few:
    between the same two counts the reconciliation of the month compares (on cases used
    between them), so the only gaps it finds are the ones left on purpose."""
    seen = _month_usage(session, list(rooms.values()), DayRange(first, today))
    usage = {key: found.usage for key, found in seen.items() if found.usage is not None}
    items = {
        row.id: row
        for row in session.execute(
            select(Item.id, Item.pack_price, Item.pack_size).where(Item.billable.is_(True))
        )
    }
    keys = sorted(key for key, used in usage.items() if used >= 1 and key[1] in items)
    short = set(rng.sample([k for k in keys if usage[k] >= 4], k=UNBILLED_KEYS))
    for location_id, item_id in keys:
        used = int(usage[(location_id, item_id)])
        recorded = used - max(2, used // 4) if (location_id, item_id) in short else used
        after, through = (
            seen[(location_id, item_id)].compared_from,
            seen[(location_id, item_id)].compared_to,
        )
        assert after is not None and through is not None
        here = [
            case
            for case in cases
            if case.location_id == location_id
            and after < case.opened_at
            and case.opened_at + timedelta(minutes=LATEST_USE) <= through
        ]
        if not here:
            continue
        per_case: dict[int, int] = defaultdict(int)
        for _ in range(recorded):
            per_case[rng.randrange(len(here))] += 1
        lot = _a_lot(session, location_id, item_id)
        row = items[item_id]
        for index, quantity in sorted(per_case.items()):
            case = here[index]
            case.lines.append(
                {
                    "location_id": location_id,
                    "item_id": item_id,
                    "quantity": Decimal(quantity),
                    "lot": lot[0],
                    "expiry": lot[1],
                    "serial": None,
                    "unit_cost": unit_cost(row.pack_price, row.pack_size),
                    "used_at": case.opened_at + timedelta(minutes=rng.randint(5, LATEST_USE)),
                    "used_by": case.opened_by,
                }
            )


def _month_usage(
    session: Session, location_ids: list[int], month: DayRange
) -> dict[tuple[int, int], SeenUsage]:
    """Units of each billable item used at each room between the counts around the month."""
    # Far enough back for the count before the month's first day.
    since = datetime.combine(month.first - timedelta(days=READ_BEFORE), time(0), tzinfo=UTC)
    until = datetime.combine(month.last + timedelta(days=1), time(0), tzinfo=UTC)
    billable = select(Item.id).where(Item.billable.is_(True))
    events: dict[tuple[int, int], list[StockEvent]] = defaultdict(list)
    counted = (
        select(CountLine.location_id, CountLine.item_id, CountLine.recorded_at, CountLine.quantity)
        .join(Count, Count.id == CountLine.count_id)
        .where(
            Count.finished_at.is_not(None),
            CountLine.count_type == CountType.ON_HAND,
            CountLine.location_id.in_(location_ids),
            CountLine.item_id.in_(billable),
            CountLine.recorded_at >= since,
            CountLine.recorded_at < until,
        )
    )
    for location_id, item_id, at, quantity in session.execute(counted):
        events[(location_id, item_id)].append(StockEvent(_utc(at), quantity, True))
    for model, when, sign in ((Receipt, Receipt.received_at, 1), (Waste, Waste.recorded_at, -1)):
        moved = select(model.location_id, model.item_id, when, model.quantity).where(
            model.location_id.in_(location_ids),
            model.item_id.in_(billable),
            when >= since,
            when < until,
        )
        for location_id, item_id, at, quantity in session.execute(moved):
            events[(location_id, item_id)].append(StockEvent(_utc(at), quantity * sign, False))
    settings = set(
        session.execute(
            select(ParSetting.location_id, ParSetting.item_id).where(
                ParSetting.location_id.in_(location_ids)
            )
        ).all()
    )
    return {key: seen_usage(found, month) for key, found in events.items() if key in settings}


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _a_lot(session: Session, location_id: int, item_id: int) -> tuple[str | None, date | None]:
    """The lot of the item's latest receipt at the room (what was on the shelf)."""
    found = session.execute(
        select(Receipt.lot, Receipt.expiry)
        .where(Receipt.location_id == location_id, Receipt.item_id == item_id)
        .order_by(Receipt.received_at.desc())
        .limit(1)
    ).first()
    return (found[0], found[1]) if found is not None else (None, None)


def _use_implants(
    session: Session,
    rng: random.Random,
    cases: list[DemoCase],
    implants: dict[str, int],
    ir_id: int,
    first: date,
    today: date,
) -> None:
    """Implants received at IR with their serials; most used on an IR case after arriving."""
    ir_cases = [case for case in cases if case.location_id == ir_id]
    receipts = []
    for implant in IMPLANTS:
        for _ in range(rng.randint(2, 4)):
            received = datetime.combine(
                first - timedelta(days=rng.randint(0, 30)), time(10), tzinfo=UTC
            )
            serial = f"SN{rng.randint(10_000_000, 99_999_999)}"
            lot = f"L{received:%y%m}{rng.randint(10, 99)}"
            expiry = received.date() + timedelta(days=720 + rng.randint(0, 300))
            receipts.append(
                {
                    "location_id": ir_id,
                    "item_id": implants[implant.code],
                    "quantity": Decimal(1),
                    "received_at": received,
                    "received_by": "Receiving dock",
                    "lot": lot,
                    "expiry": expiry,
                    "serial": serial,
                }
            )
            if rng.random() < 0.7:  # the rest wait on the shelf
                case = rng.choice(ir_cases)
                if case.procedure is not None:
                    case.procedure = implant.procedure
                case.lines.append(
                    {
                        "location_id": ir_id,
                        "item_id": implants[implant.code],
                        "quantity": Decimal(1),
                        "lot": lot,
                        "expiry": expiry,
                        "serial": serial,
                        "unit_cost": Decimal(implant.price),
                        "used_at": case.opened_at + timedelta(minutes=rng.randint(20, 90)),
                        "used_by": case.opened_by,
                    }
                )
    session.execute(insert(Receipt), receipts)


def _insert(session: Session, cases: list[DemoCase], user: str) -> tuple[int, int]:
    """Write the cases, numbered as visits are, and their lines."""
    lines = []
    for number, case in enumerate(cases):
        row = PatientCase(
            identifier=f"V{4_410_000 + number * 37:07d}",
            location_id=case.location_id,
            procedure=case.procedure,
            physician=case.physician,
            opened_at=case.opened_at,
            opened_by=case.opened_by,
            updated_by=user,
        )
        session.add(row)
        session.flush()
        used = sorted(case.lines, key=lambda line: str(line["used_at"]))  # in the order scanned
        lines += [{**line, "case_id": row.id, "raw": None} for line in used]
    if lines:
        session.execute(insert(UseLine), lines)
    return len(cases), len(lines)
