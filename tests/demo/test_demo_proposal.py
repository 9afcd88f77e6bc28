"""The demo department's proposal: never from a stale count; transfers in units of issue."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from parstudio.domain.orders import OrderKind
from parstudio.domain.replenishment import LineStatus
from parstudio.models import Order, OrderLine, Receipt
from parstudio.services.core.database import Database
from parstudio.services.ordering import proposals
from tests.support.demo import DEMO_DAY

TODAY = date(2026, 11, 25)


@pytest.fixture
def demo(demo_db: Database) -> Database:
    """The demo department of TODAY (built once a run, copied for each test)."""
    assert TODAY == DEMO_DAY
    return demo_db


def test_no_line_ordered_rests_on_a_count_older_than_its_last_receipt_or_order(
    demo: Database,
) -> None:
    proposal = proposals.propose_orders(demo, on=TODAY)
    with demo.reading() as session:
        received = {
            (location, item): moment
            for location, item, moment in session.execute(
                select(
                    Receipt.location_id, Receipt.item_id, func.max(Receipt.received_at)
                ).group_by(Receipt.location_id, Receipt.item_id)
            )
        }
        ordered = {
            (location, item): moment
            for location, item, moment in session.execute(
                select(OrderLine.location_id, OrderLine.item_id, func.max(OrderLine.created_at))
                .join(Order, Order.id == OrderLine.order_id)
                .where(Order.status != "CANCELLED")
                .group_by(OrderLine.location_id, OrderLine.item_id)
            )
        }
    assert len(proposal.to_order) > 200
    for line in proposal.to_order:
        key = (line.location_id, line.item_id)
        assert line.counted_at is not None
        for moment in (received.get(key), ordered.get(key)):
            assert moment is None or line.counted_at >= moment, line
        assert line.explanation.startswith(("counted ", "bin empty on ", "requested ")), line

    # The lines the stock moved past are listed as needing a new count, with their dates.
    stale = proposal.stale_count
    assert stale, "the demo has answered empty-bin signals and skipped counts"
    for line in stale:
        assert line in proposal.needs_attention
        assert line.reason is not None and line.reason.startswith("Needs a new count: counted ")


def test_transfers_are_proposed_in_units_of_issue(demo: Database) -> None:
    proposal = proposals.propose_orders(demo, on=TODAY)
    transfers = [line for line in proposal.to_order if line.source_kind is OrderKind.TRANSFER]
    assert transfers
    for line in transfers:
        assert line.pack_size == 1 and line.units == line.packs
        # Never rounded up to the supplier's pack (a need of 18 electrodes is not 600).
        assert " pack of 1" in line.explanation or " packs of 1" in line.explanation, line
    assert all(line.status is LineStatus.ORDER for line in transfers)
