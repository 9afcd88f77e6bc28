"""A small hand-worked department for the billing tests: the one of
tests/domain/test_reconciliation.py, recorded through the database, with cases and use lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from parstudio.models import Count, CountLine, Item, PatientCase, Receipt, UseLine, Waste
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.services.core.store import writing

OCT31, NOV1, NOV10, NOV15, NOV30 = (
    date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 10), date(2026, 11, 15),
    date(2026, 11, 30),
)  # fmt: skip


def local(day: date, hour: int = 12) -> datetime:
    """A moment of a local day (the periods are in local days, whatever the machine's zone)."""
    return datetime(day.year, day.month, day.day, hour).astimezone()


@dataclass
class Department:
    """Ids of what the department holds, by code."""

    locations: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)


def make_item(
    db: Database,
    code: str,
    *,
    price: str | None = None,
    charge_code: str | None = None,
    billable: bool = True,
    serial_tracked: bool = False,
    pack_price: str = "10.00",
) -> int:
    """An item with the billing fields set directly (the item form is another branch's)."""
    made = items.create_item(
        db, fields={"code": code, "description": code.title(), "pack_price": pack_price}
    )
    with writing(db) as session:
        item = session.get(Item, made.id)
        assert item is not None
        item.billable = billable
        item.charge_code = charge_code
        item.charge_price = None if price is None else Decimal(price)
        item.serial_tracked = serial_tracked
    return made.id


def add_count(db: Database, location_id: int, item_id: int, day: date, quantity: int) -> None:
    with writing(db) as session:
        moment = local(day, 12)
        count = Count(location_id=location_id, started_at=moment, finished_at=moment)
        session.add(count)
        session.flush()
        session.add(
            CountLine(
                count_id=count.id,
                location_id=location_id,
                item_id=item_id,
                count_type="ON HAND",
                quantity=Decimal(quantity),
                recorded_at=moment,
            )
        )


def add_receipt(db: Database, location_id: int, item_id: int, day: date, quantity: int) -> None:
    with writing(db) as session:
        session.add(
            Receipt(
                location_id=location_id,
                item_id=item_id,
                quantity=Decimal(quantity),
                received_at=local(day, 9),
            )
        )


def add_waste(db: Database, location_id: int, item_id: int, day: date, quantity: int) -> None:
    with writing(db) as session:
        session.add(
            Waste(
                location_id=location_id,
                item_id=item_id,
                quantity=Decimal(quantity),
                reason="DAMAGED",
                recorded_at=local(day, 10),
            )
        )


def open_case(
    db: Database,
    identifier: str,
    location_id: int,
    *,
    procedure: str | None = None,
    physician: str | None = None,
    day: date = NOV1,
) -> int:
    with writing(db) as session:
        case = PatientCase(
            identifier=identifier,
            location_id=location_id,
            procedure=procedure,
            physician=physician,
            opened_at=local(day, 8),
            opened_by="nurse",
        )
        session.add(case)
        session.flush()
        return case.id


def use(
    db: Database,
    case_id: int,
    location_id: int,
    item_id: int,
    quantity: str,
    *,
    day: date = NOV10,
    hour: int = 11,
    serial: str | None = None,
    lot: str | None = None,
    unit_cost: str | None = None,
    voided: bool = False,
) -> int:
    with writing(db) as session:
        line = UseLine(
            case_id=case_id,
            location_id=location_id,
            item_id=item_id,
            quantity=Decimal(quantity),
            serial=serial,
            lot=lot,
            unit_cost=None if unit_cost is None else Decimal(unit_cost),
            used_at=local(day, hour),
            used_by="nurse",
            voided=voided,
        )
        session.add(line)
        session.flush()
        return line.id


def fill_department(db: Database) -> Department:
    """Imaging (CT1, CT2) and a ward; the lines of the domain table test, recorded to cases."""
    dep = Department()
    for code, department in (("CT1", "Imaging"), ("CT2", "Imaging"), ("W3", "Medicine")):
        dep.locations[code] = locations.create_location(
            db, fields={"code": code, "name": f"Room {code}", "department": department}
        ).id
    for code, price in (("STENT", "1200"), ("CATH", "85.50"), ("PLATE", "300"),
                        ("SCREW", "40"), ("GRAFT", "500")):  # fmt: skip
        dep.items[code] = make_item(db, code, price=price, charge_code=f"C-{code}")
    dep.items["COIL"] = make_item(db, "COIL", charge_code="C-COIL")  # no charge price
    dep.items["BAND"] = make_item(db, "BAND", price="2.50")  # no charge code
    dep.items["GAUZE"] = make_item(db, "GAUZE", billable=False)
    ct1, ct2 = dep.locations["CT1"], dep.locations["CT2"]
    placed = (
        (ct1, "STENT"), (ct1, "CATH"), (ct1, "PLATE"), (ct2, "SCREW"),
        (ct2, "COIL"), (ct2, "STENT"), (ct2, "GRAFT"), (ct1, "GAUZE"),
    )  # fmt: skip
    for location, code in placed:
        par_settings.create_par_setting(
            db, location_id=location, item_id=dep.items[code], fields={"par_level": "10"}
        )
    i = dep.items
    add_count(db, ct1, i["STENT"], OCT31, 10)
    add_receipt(db, ct1, i["STENT"], NOV15, 6)
    add_count(db, ct1, i["STENT"], NOV30, 4)
    add_count(db, ct1, i["CATH"], OCT31, 20)
    add_waste(db, ct1, i["CATH"], NOV10, 2)
    add_count(db, ct1, i["CATH"], NOV30, 12)
    add_count(db, ct1, i["PLATE"], date(2026, 10, 16), 10)
    add_count(db, ct1, i["PLATE"], NOV15, 4)
    add_count(db, ct2, i["SCREW"], OCT31, 40)
    add_count(db, ct2, i["SCREW"], date(2026, 12, 10), 0)
    add_count(db, ct2, i["COIL"], OCT31, 5)
    add_count(db, ct2, i["COIL"], NOV30, 3)
    add_count(db, ct2, i["STENT"], NOV1, 8)
    add_count(db, ct2, i["GRAFT"], date(2026, 9, 1), 8)
    add_count(db, ct2, i["GRAFT"], OCT31, 5)
    gauze_count_days = (OCT31, NOV30)
    for day, quantity in zip(gauze_count_days, (50, 20), strict=True):
        add_count(db, ct1, i["GAUZE"], day, quantity)
    # Cases: V1001 (hip, Dr Lee) and V1002 (knee, Dr Shah) at CT1; V2001 (no procedure) at CT2.
    hip = dep.cases["V1001"] = open_case(db, "V1001", ct1, procedure="Hip", physician="Dr Lee")
    knee = dep.cases["V1002"] = open_case(db, "V1002", ct1, procedure="Knee", physician="Dr Shah")
    other = dep.cases["V2001"] = open_case(db, "V2001", ct2)
    use(db, hip, ct1, i["STENT"], "5", unit_cost="900", serial="SN-1", day=NOV10)
    use(db, knee, ct1, i["STENT"], "4", unit_cost="900", day=NOV15)
    use(db, hip, ct1, i["CATH"], "8", unit_cost="20", day=NOV10)
    use(db, knee, ct1, i["PLATE"], "1", unit_cost="150", day=NOV10)
    use(db, other, ct2, i["SCREW"], "30", unit_cost="5", day=NOV15)
    use(db, other, ct2, i["COIL"], "2", day=NOV15)
    use(db, other, ct2, i["STENT"], "2", unit_cost="900", day=NOV15)
    use(db, hip, ct1, i["BAND"], "3", unit_cost="1", day=NOV10)
    use(db, hip, ct1, i["GAUZE"], "10", unit_cost="0.10", day=NOV10)
    # Voided, and outside the period: never charged, never counted as recorded.
    use(db, knee, ct1, i["STENT"], "7", unit_cost="900", day=NOV15, voided=True)
    use(db, knee, ct1, i["STENT"], "1", unit_cost="900", day=date(2026, 12, 1), hour=0)
    return dep


def item_id(db: Database, code: str) -> int:
    with db.reading() as session:
        found = session.scalar(select(Item.id).where(Item.code == code))
        assert found is not None
        return found
