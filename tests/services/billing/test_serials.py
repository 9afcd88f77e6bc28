"""Serials on both databases: received one per unit, followed to the case, recalled by serial."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from parstudio.domain.errors import DuplicateError, NotFoundError, ValidationError
from parstudio.domain.roles import Role
from parstudio.domain.serials import SerialEventKind
from parstudio.models import Item, Order, OrderLine, Receipt
from parstudio.services.billing import serials
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.services.core.store import writing
from parstudio.services.counting import scans as counting
from parstudio.services.ordering import orders
from tests.services.billing.department import NOV1, NOV10, local, open_case, use
from tests.services.counting.test_counting import gs1

GTIN = "09501101530003"
TODAY = date(2026, 11, 23)


@pytest.fixture
def implants(db: Database) -> dict[str, int]:
    """The implants of make_implants, on both databases."""
    return make_implants(db)


def make_implants(db: Database) -> dict[str, int]:
    """A serial-tracked hip stem (with a GTIN) at OR1, gauze, and a sent order of 3 stems and
    10 gauze."""
    room = locations.create_location(db, fields={"code": "OR1", "name": "Theatre 1"})
    stem = items.create_item(
        db, fields={"code": "STEM", "description": "Hip stem", "barcodes": GTIN[1:]}
    )
    gauze = items.create_item(db, fields={"code": "GAUZE", "description": "Gauze"})
    with writing(db) as session:
        row = session.get(Item, stem.id)
        assert row is not None
        row.serial_tracked = row.billable = True
    for item in (stem, gauze):
        par_settings.create_par_setting(
            db, location_id=room.id, item_id=item.id, fields={"par_level": "4"}
        )
    with writing(db) as session:
        order = Order(number="PO-1", kind="PURCHASE", status="SENT", order_date=TODAY)
        session.add(order)
        session.flush()
        lines = [
            OrderLine(order_id=order.id, location_id=room.id, item_id=item_id, packs=packs,
                      proposed_packs=packs, pack_size=Decimal(1))
            for item_id, packs in ((stem.id, 3), (gauze.id, 10))
        ]  # fmt: skip
        session.add_all(lines)
        session.flush()
        return {"room": room.id, "stem": stem.id, "gauze": gauze.id, "order": order.id,
                "stem_line": lines[0].id, "gauze_line": lines[1].id}  # fmt: skip


def receipts(db: Database, item_id: int) -> list[tuple[str | None, Decimal]]:
    with db.reading() as session:
        return [
            (serial, Decimal(quantity))
            for serial, quantity in session.execute(
                select(Receipt.serial, Receipt.quantity)
                .where(Receipt.item_id == item_id)
                .order_by(Receipt.id)
            )
        ]


def test_receiving_takes_one_serial_per_unit(db: Database, implants: dict[str, int]) -> None:
    order, line = implants["order"], implants["stem_line"]
    units = {line: Decimal(2), implants["gauze_line"]: Decimal(10)}
    for given, message in (
        ([], "one serial per unit"),
        (["A1"], "one serial per unit"),
        (["A1", "A1"], "given twice"),
        (["A1", " "], "blank"),
    ):
        with pytest.raises(ValidationError, match=message):
            orders.receive_order(db, order_id=order, received_units=units, serials={line: given})
    assert receipts(db, implants["stem"]) == [] and receipts(db, implants["gauze"]) == []
    with pytest.raises(ValidationError, match="not serial-tracked"):
        orders.receive_order(
            db,
            order_id=order,
            received_units={implants["gauze_line"]: Decimal(10)},
            serials={implants["gauze_line"]: ["X"]},
        )
    done = orders.receive_order(
        db, order_id=order, received_units=units, serials={line: ["A1 ", "A2"]}
    )
    assert done.status.value == "PARTIAL"
    stem_line = next(each for each in done.lines if each.id == line)
    assert stem_line.serial_tracked and stem_line.received_units == 2
    assert receipts(db, implants["stem"]) == [("A1", Decimal(1)), ("A2", Decimal(1))]
    assert receipts(db, implants["gauze"]) == [(None, Decimal(10))]
    # The third stem: a serial already received is refused and nothing is written.
    with pytest.raises(ValidationError, match="A2 was already received"):
        orders.receive_order(
            db, order_id=order, received_units={line: Decimal(1)}, serials={line: ["A2"]}
        )
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Receipt)) == 3
        assert session.get(OrderLine, line).received_units == 2  # type: ignore[union-attr]
    done = orders.receive_order(
        db, order_id=order, received_units={line: Decimal(1)}, serials={line: ["A3"]}
    )
    assert done.status.value == "RECEIVED"


def test_a_serials_history_from_receipt_to_the_case(db: Database, implants: dict[str, int]) -> None:
    order, line, room = implants["order"], implants["stem_line"], implants["room"]
    orders.receive_order(
        db,
        order_id=order,
        received_units={line: Decimal(3)},
        serials={line: ["A1", "A2", "A3"]},
        received_at=local(NOV1, 9),
    )
    count_id = counting.open_count(db, location_id=room).count_id
    counting.record_scan(
        db, count_id=count_id, text=gs1(GTIN, expiry="291231", lot="L1", serial="A2"), today=TODAY
    )
    case = open_case(db, "ENC-77123", room, procedure="Hip", physician="Dr Lee")
    use(db, case, room, implants["stem"], "1", serial="A1", day=NOV10)

    every = serials.serial_history(db, item_code="STEM")
    assert [s.serial for s in every.statuses] == ["A1", "A2", "A3"]
    a1, a2, a3 = every.statuses
    assert (
        a1.case == "ENC-77123"
        and a1.order_number == "PO-1"
        and a1.where.startswith("Used on case ENC-77123")
    )
    assert a2.last_seen_location == "OR1" and a2.where == "Seen in a count at OR1"
    assert a3.where == "Received at OR1" and not a3.recalled
    kinds = [e.kind for e in every.events_of("A1")]
    assert kinds == [SerialEventKind.RECEIVED, SerialEventKind.USED]

    one = serials.serial_history(db, item_code="STEM", serial="A2")
    assert [s.serial for s in one.statuses] == ["A2"]
    unknown = serials.serial_history(db, item_code="STEM", serial="ZZ")
    assert unknown.statuses[0].where == "Not received, counted or used"
    with pytest.raises(NotFoundError, match="no item NOPE"):
        serials.serial_history(db, item_code="NOPE")

    db.role = Role.VIEWER
    masked = serials.serial_history(db, item_code="STEM", serial="A1")
    case = masked.statuses[0].case or ""
    assert re.fullmatch(r"•••• #\d+", case) and "77123" not in case


def test_a_recalled_serial_is_flagged_in_a_count_as_a_recalled_lot_is(
    db: Database, implants: dict[str, int]
) -> None:
    order, line, room = implants["order"], implants["stem_line"], implants["room"]
    orders.receive_order(
        db, order_id=order, received_units={line: Decimal(2)}, serials={line: ["A1", "A2"]}
    )
    serials.add_recalled_serial(db, item_code="STEM", serial="A1", reason="FSN-2026-14")
    with pytest.raises(DuplicateError, match="already on the recall list"):
        serials.add_recalled_serial(db, item_code="STEM", serial="A1")
    with pytest.raises(ValidationError, match="serial number"):
        serials.add_recalled_serial(db, item_code="STEM", serial=" ")

    count_id = counting.open_count(db, location_id=room).count_id
    recalled = counting.record_scan(
        db, count_id=count_id, text=gs1(GTIN, expiry="291231", lot="L1", serial="A1"), today=TODAY
    )
    assert recalled.warning and "RECALLED serial A1 (FSN-2026-14)" in recalled.message
    assert recalled.line is not None and recalled.line.counted is None
    assert recalled.line.flags == ("RECALLED L1 SN A1",)
    good = counting.record_scan(
        db, count_id=count_id, text=gs1(GTIN, expiry="291231", lot="L1", serial="A2"), today=TODAY
    )
    assert not good.warning and good.line is not None and good.line.counted == 1

    listed = serials.recalled_serials(db)
    assert [(r.item_code, r.serial, r.reason) for r in listed] == [("STEM", "A1", "FSN-2026-14")]
    assert listed[0].status.recalled and listed[0].status.where == "Seen in a count at OR1"

    db.role = Role.CLERK
    with pytest.raises(Exception, match="Only a manager"):
        serials.add_recalled_serial(db, item_code="STEM", serial="A2")
    db.role = Role.MANAGER
    serials.remove_recalled_serial(db, item_code="STEM", serial="A1")
    assert serials.recalled_serials(db) == []
    with pytest.raises(NotFoundError, match="not on the recall list"):
        serials.remove_recalled_serial(db, item_code="STEM", serial="A1")


POSTGRES_ONLY = pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
"""On SQLite one write transaction at a time holds the database: no such window."""


@POSTGRES_ONLY
def test_two_receipts_of_one_serial_at_once_record_it_once(
    db: Database, db_url: str, implants: dict[str, int]
) -> None:
    import threading
    import time

    from parstudio.services.core.database import open_database

    other = open_database(db_url, user_name="other")
    line, outcome = implants["stem_line"], []
    try:
        with other.transaction() as session:
            # Another receipt in progress: it holds the item, as receive_order does, and has
            # taken serial A1 but not committed yet.
            session.execute(select(Item.id).where(Item.id == implants["stem"]).with_for_update())
            session.add(
                Receipt(location_id=implants["room"], item_id=implants["stem"],
                        quantity=Decimal(1), serial="A1")
            )  # fmt: skip
            session.flush()

            def receive() -> None:
                try:
                    orders.receive_order(
                        db,
                        order_id=implants["order"],
                        received_units={line: Decimal(1)},
                        serials={line: ["A1"]},
                    )
                    outcome.append("recorded")
                except ValidationError as exc:
                    outcome.append(str(exc))

            worker = threading.Thread(target=receive)
            worker.start()
            time.sleep(0.5)
            assert worker.is_alive()  # waiting for the other receipt to commit
        worker.join(timeout=20)
    finally:
        other.close()
    assert outcome == ["STEM: serial A1 was already received."]
    assert receipts(db, implants["stem"]) == [("A1", Decimal(1))]
