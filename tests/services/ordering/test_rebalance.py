"""Stock across locations and Rebalance, on both databases: suggestions from the latest counts,
accepted as transfers between PAR locations, picked by lot, received, and usage unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from parstudio.domain.errors import PermissionDenied, ValidationError
from parstudio.domain.orders import OrderKind
from parstudio.domain.rebalance import MoveKind
from parstudio.domain.roles import Role
from parstudio.models import Order, OrderLine, Receipt, Scan
from parstudio.services.admin import users
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database, open_database
from parstudio.services.ordering import orders, paperwork, proposals
from parstudio.services.ordering.across import stock_across_locations
from parstudio.services.ordering.rebalance import accept_moves, rebalance_suggestions
from parstudio.services.review.usage import usage_histories
from tests.support.history import add_count

TODAY = date.today()
D = Decimal


def at(days_ago: int, hour: int = 7) -> datetime:
    day = TODAY - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def count(
    db: Database,
    location_id: int,
    item_id: int,
    days_ago: int,
    quantity: str,
    *,
    kind: str = "ON HAND",
    lot: tuple[str, int, str] | None = None,
    finished: bool = True,
) -> None:
    """A count of one item; ``lot`` = (lot, days to expiry, quantity of it) as a lot scan."""
    moment = at(days_ago)
    with db.transaction() as session:
        row = add_count(
            session, location_id, item_id, D(quantity), moment, count_type=kind, finished=finished
        )
        if lot is not None:
            name, days, held = lot
            session.add(
                Scan(
                    count_id=row.id,
                    kind="GS1",
                    raw=f"(10){name}",
                    item_id=item_id,
                    lot=name,
                    expiry=TODAY + timedelta(days=days),
                    quantity_before=None,
                    quantity_after=D(held),
                    recorded_at=moment,
                )
            )


@pytest.fixture
def dept(db: Database) -> dict[str, int]:
    """OR-2 with an expiring lot it barely uses; CT-1 short and busy; ER-3 counted by order."""
    ids: dict[str, int] = {}
    for code in ("OR-2", "CT-1", "ER-3", "ICU"):
        ids[code] = locations.create_location(db, fields={"code": code, "name": code}).id
    ids["item"] = items.create_item(
        db, fields={"code": "SUT-3", "description": "Suture 3-0", "pack_price": "24"}
    ).id
    levels = {"OR-2": ("10", "0.7"), "CT-1": ("6", "7"), "ER-3": ("5", "7"), "ICU": ("5", "7")}
    for code, (par, weekly) in levels.items():
        ids[f"s{code}"] = par_settings.create_par_setting(
            db,
            location_id=ids[code],
            item_id=ids["item"],
            fields={"par_level": par, "weekly_usage": weekly},
        ).id
    count(db, ids["OR-2"], ids["item"], 1, "13", lot=("L42", 10, "3"))
    count(db, ids["CT-1"], ids["item"], 1, "2")
    count(db, ids["ER-3"], ids["item"], 1, "4", kind="ORDER QTY")
    count(db, ids["ICU"], ids["item"], 0, "1", finished=False)
    return ids


def test_stock_across_locations_shows_every_location_and_why(
    db: Database, dept: dict[str, int]
) -> None:
    view = stock_across_locations(db, item_id=dept["item"], today=TODAY)
    rows = {row.location_code: row for row in view.rows}
    assert list(rows) == ["CT-1", "ER-3", "ICU", "OR-2"]
    assert (rows["OR-2"].on_hand, rows["OR-2"].surplus, rows["OR-2"].shortage) == (13, 3, 0)
    assert [(lot.lot, lot.quantity) for lot in rows["OR-2"].expiring] == [("L42", 3)]
    assert (rows["CT-1"].on_hand, rows["CT-1"].shortage) == (2, 4)
    assert rows["ER-3"].on_hand is None and rows["ER-3"].note == "counted as order quantity"
    assert rows["ER-3"].surplus is None
    assert rows["ICU"].note == "not counted" and "being counted now" in rows["ICU"].status
    assert view.on_hand == 15


def test_suggestions_move_the_expiring_lot_then_the_surplus(
    db: Database, dept: dict[str, int]
) -> None:
    found = rebalance_suggestions(db, today=TODAY)
    moves = [
        (m.kind, m.source_code, m.destination_code, m.quantity, m.lot) for m in found.suggestions
    ]
    # OR-2 uses 0.1 a day: of 3 expiring in 10 days 1 is used, 2 would expire; CT-1 takes them.
    # OR-2 is then at 11, 1 above PAR 10; CT-1 at 4, 2 below PAR 6: the 1 moves too.
    assert moves == [
        (MoveKind.EXPIRING, "OR-2", "CT-1", 2, "L42"),
        (MoveKind.SURPLUS, "OR-2", "CT-1", 1, None),
    ]
    assert any("ICU is being counted" in note for note in found.notes)
    only_er = rebalance_suggestions(db, location_codes=["OR-2", "ER-3"], today=TODAY)
    assert only_er.suggestions == ()


def test_accepting_makes_an_approved_transfer_with_the_lot_picked_and_received(
    db: Database, dept: dict[str, int]
) -> None:
    found = rebalance_suggestions(db, today=TODAY).suggestions
    made = accept_moves(db, accepted=[(found[0], D(2)), (found[1], D(0))], order_date=TODAY)
    assert len(made) == 1
    order = made[0]
    assert order.kind is OrderKind.TRANSFER and order.source_code == "OR-2"
    assert order.approved_by == "tester" and (order.notes or "").startswith("Rebalance")
    with db.reading() as session:
        row = session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).one()
        assert (row.location_id, row.lot, row.packs, row.pack_size) == (
            dept["CT-1"],
            "L42",
            2,
            1,
        )
        assert row.expiry == TODAY + timedelta(days=10)
        assert session.get(Order, order.id).source_location_id == dept["OR-2"]  # type: ignore[union-attr]
    pick = paperwork.pick_list(db, order_id=order.id)
    assert pick.storeroom_code == "OR-2"
    assert [(g.location_code, [p.lot_text for p in g.lines]) for g in pick.groups] == [
        ("CT-1", [f"lot L42, exp {(TODAY + timedelta(days=10)).isoformat()}"])
    ]
    orders.send_order(db, order_id=order.id)
    line = orders.get_order(db, order_id=order.id).lines[0]
    orders.receive_order(db, order_id=order.id, received_units={line.id: D(2)})
    with db.reading() as session:
        receipt = session.scalars(select(Receipt).where(Receipt.order_line_id == line.id)).one()
        assert (receipt.location_id, receipt.quantity, receipt.lot) == (dept["CT-1"], 2, "L42")
    # Both counts are now stale (stock moved since): nothing more is suggested, and the
    # proposal asks for a new count of the source (a transfer out) and the destination.
    assert rebalance_suggestions(db, today=TODAY).suggestions == ()
    stale = proposals.propose_orders(db, location_ids=[dept["OR-2"], dept["CT-1"]], on=TODAY)
    assert {line.location_code for line in stale.stale_count} == {"OR-2", "CT-1"}


def test_accepting_refuses_more_than_suggested_and_nothing_is_written(
    db: Database, dept: dict[str, int]
) -> None:
    found = rebalance_suggestions(db, today=TODAY).suggestions
    with pytest.raises(ValidationError, match="at most 2"):
        accept_moves(db, accepted=[(found[0], D(3))])
    with pytest.raises(ValidationError, match="nothing to move"):
        accept_moves(db, accepted=[(found[0], D(0))])
    with db.reading() as session:
        assert session.scalars(select(Order)).all() == []


def test_accepting_refuses_suggestions_the_shelf_has_moved_past(
    db: Database, dept: dict[str, int]
) -> None:
    found = rebalance_suggestions(db, today=TODAY).suggestions
    count(db, dept["OR-2"], dept["item"], 0, "10")  # counted again: nothing above PAR now
    with pytest.raises(ValidationError, match="below its PAR"):
        accept_moves(db, accepted=[(found[0], D(2))])
    with db.reading() as session:
        assert session.scalars(select(Order)).all() == []


@pytest.fixture
def clerk(db: Database, db_url: str) -> Iterator[Database]:
    users.create_user(db, login="anna", display_name="Anna", role=Role.MANAGER, password="p" * 9)
    users.create_user(db, login="carl", display_name="Carl", role=Role.CLERK, password="p" * 9)
    other = open_database(db_url, authenticate=users.authenticate)
    other.sign_in("carl", "p" * 9)
    yield other
    other.close()


def test_only_a_manager_accepts(db: Database, dept: dict[str, int], clerk: Database) -> None:
    found = rebalance_suggestions(clerk, today=TODAY).suggestions
    assert found
    with pytest.raises(PermissionDenied, match="Only a manager"):
        accept_moves(clerk, accepted=[(found[0], D(2))])
    with db.reading() as session:
        assert session.scalars(select(Order)).all() == []


def _or2_usage(db: Database, setting_id: int) -> Decimal:
    history = usage_histories(db, setting_ids=[setting_id], through=TODAY, months=2)[setting_id]
    return sum((week.usage for week in history.weeks), D(0))


def _usage_scenario(db: Database, *, moved: bool) -> Decimal:
    """OR-2 counted 20, then 13; 2 sent to CT-1 (or not), then counted 10 (or 12)."""
    tag = "M" if moved else "N"
    store = locations.create_location(db, fields={"code": f"OR-2{tag}", "name": "OR 2"})
    ct = locations.create_location(db, fields={"code": f"CT-1{tag}", "name": "CT 1"})
    item = items.create_item(db, fields={"code": f"SUT-{tag}", "description": "Suture"})
    setting = par_settings.create_par_setting(
        db, location_id=store.id, item_id=item.id, fields={"par_level": "10"}
    ).id
    par_settings.create_par_setting(
        db, location_id=ct.id, item_id=item.id, fields={"par_level": "10"}
    )
    count(db, store.id, item.id, 20, "20")
    count(db, store.id, item.id, 13, "13")
    count(db, ct.id, item.id, 13, "2")
    if moved:
        found = rebalance_suggestions(db, today=TODAY - timedelta(days=12)).suggestions
        assert [(m.source_code, m.quantity) for m in found] == [("OR-2M", 3)]
        order = accept_moves(db, accepted=[(found[0], D(2))], order_date=TODAY)[0]
        orders.send_order(db, order_id=order.id)
        with db.transaction() as session:
            sent = session.get(Order, order.id)
            assert sent is not None
            sent.sent_at = at(10)
    count(db, store.id, item.id, 6, "10" if moved else "12")
    return _or2_usage(db, setting)


def test_usage_at_the_source_is_unchanged_by_a_rebalance(db: Database) -> None:
    with_move = _usage_scenario(db, moved=True)
    # 20 → 13 is 7 used; then 13 − 2 moved out − 10 counted = 1 used (not 3).
    assert with_move == 8
    assert _usage_scenario(db, moved=False) == with_move
