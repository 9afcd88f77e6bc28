"""On the demo department, Rebalance moves an expiring lot to a room that uses it before it
expires: accepted, picked from the printed pick list, sent and received."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from parstudio.domain.orders import OrderKind, OrderStatus
from parstudio.domain.paper import PrintOptions
from parstudio.domain.rebalance import MoveKind
from parstudio.models import Order, OrderLine, Receipt
from parstudio.services.core.database import Database
from parstudio.services.ordering import orders
from parstudio.services.ordering.across import stock_across_locations
from parstudio.services.ordering.printing import document_for_order
from parstudio.services.ordering.rebalance import accept_moves, rebalance_suggestions
from tests.support.demo import DEMO_DAY
from tests.support.pdfs import texts

TODAY = date(2026, 11, 25)


def test_rebalance_moves_an_expiring_lot_through_a_pick_list(reviewed_demo_db: Database) -> None:
    # The demo of TODAY with its usage learned by the review, as the app's demo has it.
    assert TODAY == DEMO_DAY
    db = reviewed_demo_db
    found = rebalance_suggestions(db, today=TODAY)
    kinds = {move.kind for move in found.suggestions}
    assert kinds == {MoveKind.EXPIRING, MoveKind.SURPLUS}
    move = next(m for m in found.suggestions if m.kind is MoveKind.EXPIRING)
    assert move.lot is not None and move.expiry is not None
    days = (move.expiry - TODAY).days
    assert days > 0
    # The explanation gives both rates; the move fits what the destination uses in time.
    assert f"{move.source_code} has " in move.explanation and " would expire" in move.explanation
    assert f"{move.destination_code} uses " in move.explanation
    across = stock_across_locations(db, item_id=move.item_id, today=TODAY)
    view = {row.location_code: row for row in across.rows}
    source, dest = view[move.source_code], view[move.destination_code]
    assert source.weekly_usage is not None and dest.weekly_usage is not None
    assert source.on_hand is not None and dest.on_hand is not None and source.level is not None
    # The source would not use it in time; the destination uses its own stock and this lot.
    assert source.weekly_usage / 7 * days < sum(lot.quantity for lot in source.expiring)
    assert dest.weekly_usage / 7 * days >= dest.on_hand + move.quantity
    assert source.on_hand - move.quantity >= source.level  # never below its own PAR

    made = accept_moves(db, accepted=[(move, move.quantity)], order_date=TODAY)
    assert len(made) == 1
    order = made[0]
    assert order.kind is OrderKind.TRANSFER and order.source_code == move.source_code

    pdf = document_for_order(db, order_id=order.id, options=PrintOptions()).pdf
    text = " ".join(texts(pdf))
    assert "PICK LIST" in text and order.number in text
    assert move.source_code in text and move.destination_code in text
    assert f"lot {move.lot}" in text and move.item_code in text

    orders.send_order(db, order_id=order.id)
    line = orders.get_order(db, order_id=order.id).lines[0]
    orders.receive_order(db, order_id=order.id, received_units={line.id: move.quantity})
    with db.reading() as session:
        stored = session.get(Order, order.id)
        assert stored is not None and stored.status == OrderStatus.RECEIVED
        assert stored.source_location_id == move.source_location_id
        row = session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).one()
        assert (row.location_id, row.lot, row.expiry) == (
            move.destination_location_id,
            move.lot,
            move.expiry,
        )
        receipt = session.scalars(select(Receipt).where(Receipt.order_line_id == row.id)).one()
        assert receipt.location_id == move.destination_location_id
        assert (receipt.quantity, receipt.lot, receipt.expiry) == (
            move.quantity,
            move.lot,
            move.expiry,
        )
    # Both counts are stale now (stock moved since): the lot is not suggested again.
    after = rebalance_suggestions(db, today=TODAY)
    assert not any(m.lot == move.lot for m in after.suggestions)
