"""A proposal never orders from a count the stock has moved past (both databases)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from parstudio.domain.count_evidence import day_text
from parstudio.domain.errors import ValidationError
from parstudio.domain.orders import ApprovedLine, OrderRecord, ProposalLine
from parstudio.domain.replenishment import LineStatus
from parstudio.models import OrderLine
from parstudio.services.catalog import par_settings
from parstudio.services.core.database import Database
from parstudio.services.core.store import writing
from parstudio.services.counting import counts
from parstudio.services.ordering import orders, proposals

MON = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _line(db: Database, location_id: int, code: str) -> ProposalLine:
    [line] = [
        line
        for line in proposals.propose_orders(db, location_ids=[location_id]).lines
        if line.item_code == code
    ]
    return line


def _approve(db: Database, line: ProposalLine) -> OrderRecord:
    approved = ApprovedLine(line.setting_id, line.packs, line.packs, line.count_line_id)
    [order] = orders.approve_lines(db, lines=[approved], order_date=date(2026, 11, 30))
    return order


def test_a_count_older_than_a_receipt_orders_nothing(db: Database, ward: dict[str, int]) -> None:
    ct, syringe = ward["ct"], ward["syringe"]
    counts.record_count(db, location_id=ct, quantities={syringe: Decimal(8)}, when=MON)
    order = _approve(db, _line(db, ct, "SYR-10"))  # approved now
    # A count after the approval, then the delivery of Monday's order: the count is older.
    counted = datetime.now(UTC)
    counts.record_count(db, location_id=ct, quantities={syringe: Decimal(4)}, when=counted)
    assert _line(db, ct, "SYR-10").status is LineStatus.ORDER
    orders.send_order(db, order_id=order.id)
    arrived = counted + timedelta(days=1)
    orders.receive_order(
        db, order_id=order.id, received_units={order.lines[0].id: Decimal(30)}, received_at=arrived
    )

    proposal = proposals.propose_orders(db, location_ids=[ct])
    line = next(line for line in proposal.lines if line.item_code == "SYR-10")
    assert (line.status, line.packs) == (LineStatus.STALE_COUNT, 0)
    count_day, arrival_day = day_text(counted.astimezone()), day_text(arrived.astimezone())
    assert line.reason == f"Needs a new count: counted {count_day}, then received {arrival_day}"
    assert line.explanation.startswith(f"counted 4 on {count_day} by tester → needs a new count")
    assert line in proposal.needs_attention and line not in proposal.to_order

    # A new count after the delivery stands again.
    counts.record_count(
        db, location_id=ct, quantities={syringe: Decimal(20)}, when=arrived + timedelta(hours=1)
    )
    again = _line(db, ct, "SYR-10")
    assert again.status is LineStatus.ORDER and again.explanation.startswith("counted 20 on ")


def test_a_count_older_than_an_order_from_elsewhere_orders_nothing(
    db: Database, ward: dict[str, int]
) -> None:
    ct, syringe = ward["ct"], ward["syringe"]
    counts.record_count(db, location_id=ct, quantities={syringe: Decimal(8)}, when=MON)
    first = _line(db, ct, "SYR-10")
    # Another workstation ordered from an earlier count of its own: this count predates it.
    _approve(db, first)
    assert _line(db, ct, "SYR-10").status is LineStatus.ALREADY_ORDERED
    with writing(db) as session:
        line = session.scalars(select(OrderLine)).one()
        line.count_line_id = None  # as if ordered by hand, not from Monday's count
    stale = _line(db, ct, "SYR-10")
    assert stale.status is LineStatus.STALE_COUNT
    assert stale.reason is not None and "ordered" in stale.reason


def test_a_storeroom_count_older_than_a_transfer_out_orders_nothing(
    db: Database, ward: dict[str, int]
) -> None:
    ct, store, gloves = ward["ct"], ward["store"], ward["gloves"]
    par_settings.create_par_setting(
        db, location_id=store, item_id=gloves, fields={"par_level": "2000"}
    )
    counts.record_count(db, location_id=store, quantities={gloves: Decimal(900)}, when=MON)
    counts.record_count(
        db, location_id=ct, quantities={gloves: Decimal(50)}, when=MON + timedelta(days=1)
    )
    assert _line(db, store, "GLV-M").status is LineStatus.ORDER
    _approve(db, _line(db, ct, "GLV-M"))  # a transfer out of the storeroom

    store_line = _line(db, store, "GLV-M")
    assert store_line.status is LineStatus.STALE_COUNT
    assert store_line.reason is not None and "transferred out" in store_line.reason


def test_already_ordered_is_information_not_attention(db: Database, ward: dict[str, int]) -> None:
    ct, syringe = ward["ct"], ward["syringe"]
    counts.record_count(db, location_id=ct, quantities={syringe: Decimal(8)}, when=MON)
    order = _approve(db, _line(db, ct, "SYR-10"))
    proposal = proposals.propose_orders(db, location_ids=[ct])
    [line] = proposal.already_ordered
    assert line.explanation.endswith(f"already ordered on {order.number}; count again to reorder")
    assert line not in proposal.needs_attention


def test_a_storeroom_issue_pack_sets_what_a_transfer_is_picked_in(
    db: Database, ward: dict[str, int]
) -> None:
    ct, store, gloves = ward["ct"], ward["store"], ward["gloves"]
    own = par_settings.create_par_setting(
        db, location_id=store, item_id=gloves, fields={"par_level": "2000", "issue_pack": "25"}
    )
    assert par_settings.get_par_setting(db, setting_id=own.id).issue_pack == Decimal(25)
    counts.record_count(db, location_id=ct, quantities={gloves: Decimal(50)})
    line = _line(db, ct, "GLV-M")  # Max 400 − 50 = 350 → 14 bundles of 25, not 4 boxes of 100
    assert (line.packs, line.pack_size, line.pack_price) == (14, Decimal(25), Decimal("1.8125"))
    order = _approve(db, line)
    [picked] = order.lines
    assert (picked.packs, picked.pack_size, picked.units) == (14, Decimal(25), Decimal(350))
    with pytest.raises(ValidationError, match="Issue pack"):
        par_settings.update_par_setting(db, setting_id=own.id, changes={"issue_pack": "0"})
    assert par_settings.get_par_setting(db, setting_id=own.id).issue_pack == Decimal(25)
