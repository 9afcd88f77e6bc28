"""A week run end to end through the services: count, propose, approve, send, receive."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from parstudio.domain.count_evidence import day_text
from parstudio.domain.errors import CancelledError, ConflictError, ValidationError
from parstudio.domain.orders import ApprovedLine, OrderKind, OrderStatus
from parstudio.domain.replenishment import LineStatus
from parstudio.models import Order, OrderLine
from parstudio.services.catalog import locations, par_settings
from parstudio.services.core.database import Database
from parstudio.services.counting import counts
from parstudio.services.ordering import orders, proposals


def _approve_all(db: Database, location_id: int) -> list[orders.OrderRecord]:
    proposal = proposals.propose_orders(db, location_ids=[location_id])
    return orders.approve_lines(db, lines=proposal.as_proposed(), order_date=date(2026, 11, 23))


def test_week_end_to_end(db: Database, ward: dict[str, int]) -> None:
    counts.record_count(
        db,
        location_id=ward["ct"],
        quantities={ward["syringe"]: Decimal(8), ward["gloves"]: Decimal(50)},
    )
    proposal = proposals.propose_orders(db, location_ids=[ward["ct"]])
    by_item = {line.item_code: line for line in proposal.lines}
    syringe = by_item["SYR-10"]
    assert (syringe.status, syringe.packs, syringe.units) == (LineStatus.ORDER, 3, Decimal(30))
    assert syringe.counted_at is not None
    day = day_text(syringe.counted_at.astimezone())
    assert syringe.explanation == (
        f"counted 8 on {day} by tester → PAR 24 − on hand 8 = 16 EA → 2 packs of 10 → MOQ 3"
        " → 3 packs"
    )
    assert syringe.source_kind is OrderKind.PURCHASE and syringe.source_code == "MED"
    gloves = by_item["GLV-M"]
    # A transfer is picked in units of issue, not in the supplier's boxes of 100.
    assert (gloves.status, gloves.packs, gloves.pack_size) == (LineStatus.ORDER, 350, 1)
    assert gloves.pack_price == Decimal("0.0725")
    assert gloves.source_kind is OrderKind.TRANSFER and gloves.source_code == "STORE"
    assert by_item["GAUZE"].status is LineStatus.MISSING_COUNT
    assert [line.item_code for line in proposal.missing_count] == ["GAUZE"]
    assert proposal.total_cost == Decimal("38.875")  # 3 × 4.50 + 350 × 0.0725 (at cost)

    created = _approve_all(db, ward["ct"])
    assert [(o.kind, o.source_code, o.line_count) for o in created] == [
        (OrderKind.PURCHASE, "MED", 1),
        (OrderKind.TRANSFER, "STORE", 1),
    ]
    purchase = created[0]
    assert purchase.number == "PO-2026-00001"
    assert purchase.expected_date == date(2026, 11, 26)  # Mon + 2 days → next delivery Thursday
    assert purchase.total == Decimal("13.5")

    transfer = created[1]
    assert [(line.packs, line.pack_size, line.units) for line in transfer.lines] == [
        (350, Decimal(1), Decimal(350))
    ]
    assert transfer.expected_date == date(2026, 11, 23)  # CT1 takes deliveries every day

    again = proposals.propose_orders(db, location_ids=[ward["ct"]])
    assert again.to_order == ()  # nothing is ordered twice from the same count
    assert again.needs_attention == again.missing_count  # only GAUZE: already ordered is info
    assert [line.status for line in again.already_ordered] == [LineStatus.ALREADY_ORDERED] * 2
    assert {line.already_ordered for line in again.lines if line.already_ordered} == {
        "PO-2026-00001",
        "TR-2026-00001",
    }

    sent = orders.send_order(db, order_id=purchase.id)
    assert sent.status is OrderStatus.SENT
    line = sent.lines[0]
    partial = orders.receive_order(db, order_id=purchase.id, received_units={line.id: Decimal(20)})
    assert partial.status is OrderStatus.PARTIAL
    assert partial.lines[0].outstanding_units == Decimal(10)
    done = orders.receive_order(db, order_id=purchase.id, received_units={line.id: Decimal(10)})
    assert done.status is OrderStatus.RECEIVED
    assert [o.number for o in orders.list_orders(db, open_only=True)] == ["TR-2026-00001"]


def test_open_orders_are_open_supply_for_min_max(db: Database, ward: dict[str, int]) -> None:
    counts.record_count(db, location_id=ward["ct"], quantities={ward["gloves"]: Decimal(50)})
    _approve_all(db, ward["ct"])  # 4 packs = 400 gloves on a draft transfer
    counts.record_count(db, location_id=ward["ct"], quantities={ward["gloves"]: Decimal(40)})
    line = proposals.propose_orders(db, location_ids=[ward["ct"]]).lines[1]
    assert line.item_code == "GLV-M"
    assert line.status is LineStatus.NOTHING_TO_ORDER  # 40 + 400 on order ≥ Min 100


def test_overridden_quantity_is_marked_and_negative_refused(
    db: Database, ward: dict[str, int]
) -> None:
    counts.record_count(db, location_id=ward["ct"], quantities={ward["syringe"]: Decimal(8)})
    proposal = proposals.propose_orders(db, location_ids=[ward["ct"]])
    line = proposal.to_order[0]
    with pytest.raises(ValidationError, match="negative"):
        orders.approve_lines(
            db, lines=[ApprovedLine(line.setting_id, -1, line.packs, line.count_line_id)]
        )
    created = orders.approve_lines(
        db, lines=[ApprovedLine(line.setting_id, 5, line.packs, line.count_line_id)]
    )
    order_line = created[0].lines[0]
    assert (order_line.packs, order_line.proposed_packs, order_line.overridden_by) == (
        5,
        3,
        "tester",
    )
    with pytest.raises(ConflictError, match="already ordered"):
        orders.approve_lines(db, lines=[ApprovedLine(line.setting_id, 3, 3, line.count_line_id)])


def test_approving_reports_progress_and_a_cancel_orders_nothing(
    db: Database, ward: dict[str, int]
) -> None:
    counts.record_count(
        db,
        location_id=ward["ct"],
        quantities={ward["syringe"]: Decimal(8), ward["gloves"]: Decimal(50)},
    )
    lines = proposals.propose_orders(db, location_ids=[ward["ct"]]).as_proposed()
    assert len(lines) == 2  # a purchase and a transfer: two orders

    def cancel_at_the_second_order(done: int, total: int) -> None:
        if done > total // 2:
            raise CancelledError()

    with pytest.raises(CancelledError):
        orders.approve_lines(db, lines=lines, progress=cancel_at_the_second_order)
    with db.reading() as session:
        # The first order was written before the cancel: rolled back with the rest.
        assert session.scalar(select(func.count()).select_from(Order)) == 0
        assert session.scalar(select(func.count()).select_from(OrderLine)) == 0
    heard: list[tuple[int, int]] = []
    created = orders.approve_lines(db, lines=lines, progress=lambda *r: heard.append(r))
    assert len(created) == 2
    assert heard[0] == (0, 4) and heard[-1] == (4, 4)
    assert heard == sorted(heard)


def test_uncomputable_setting_is_listed_with_its_reason(db: Database, ward: dict[str, int]) -> None:
    par_settings.update_par_setting(db, setting_id=ward["s3"], changes={"par_level": ""})
    counts.record_count(db, location_id=ward["ct"], quantities={ward["gauze"]: Decimal(3)})
    proposal = proposals.propose_orders(db, location_ids=[ward["ct"]])
    [invalid] = proposal.invalid
    assert invalid.item_code == "GAUZE"
    assert invalid.reason and "PAR level" in invalid.reason


def test_due_locations_follow_delivery_days(db: Database, ward: dict[str, int]) -> None:
    locations.update_location(db, location_id=ward["ct"], changes={"delivery_weekdays": "TUE"})
    assert proposals.locations_due(db, on=date(2026, 11, 24)) == [ward["ct"]]  # a Tuesday
    assert proposals.locations_due(db, on=date(2026, 11, 25)) == []


def test_an_order_can_be_marked_rush_and_unmarked(db: Database, ward: dict[str, int]) -> None:
    counts.record_count(db, location_id=ward["ct"], quantities={ward["syringe"]: Decimal(8)})
    order = _approve_all(db, ward["ct"])[0]
    assert not order.rush
    marked = orders.mark_rush(db, order_id=order.id, rush=True, expected_version=order.version)
    assert marked.rush
    assert [o.rush for o in orders.list_orders(db) if o.id == order.id] == [True]
    with pytest.raises(ConflictError):
        orders.mark_rush(db, order_id=order.id, rush=False, expected_version=order.version)
    assert not orders.mark_rush(db, order_id=order.id, rush=False).rush
    orders.cancel_order(db, order_id=order.id)
    with pytest.raises(ValidationError, match="cancelled"):
        orders.mark_rush(db, order_id=order.id, rush=True)


def test_a_transfer_is_due_on_the_destinations_next_delivery_day(
    db: Database, ward: dict[str, int]
) -> None:
    locations.update_location(db, location_id=ward["ct"], changes={"delivery_weekdays": "TUE,FRI"})
    counts.record_count(db, location_id=ward["ct"], quantities={ward["gloves"]: Decimal(50)})
    [transfer] = _approve_all(db, ward["ct"])  # approved on Monday 23 Nov
    assert transfer.kind is OrderKind.TRANSFER
    assert transfer.expected_date == date(2026, 11, 24)  # Tuesday, not a week away
