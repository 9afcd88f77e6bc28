"""Bulk reading: the same values as SQLAlchemy's own conversion; the collector paused and back."""

from __future__ import annotations

import gc
import weakref
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from parstudio.models import CountLine
from parstudio.services.catalog import items, locations
from parstudio.services.core.bulk import collector_paused, read_rows
from parstudio.services.core.database import Database
from tests.support.history import add_count


def test_read_rows_gives_what_sqlalchemy_gives(db: Database) -> None:
    item = items.create_item(db, fields={"code": "A-1", "description": "Gauze", "unit": "EA"})
    ward = locations.create_location(db, fields={"code": "W1", "name": "Ward 1"})
    with db.transaction() as session:
        moment = datetime(2026, 11, 2, 7, 30, tzinfo=UTC)
        for quantity in ("2", "2", "3.5", "0.1234"):
            add_count(
                session,
                ward.id,
                item.id,
                Decimal(quantity),
                moment,
                lot="L1",
                expiry=date(2027, 1, 5),
            )
        add_count(session, ward.id, item.id, Decimal(1), moment, lot=None, expiry=None)
    query = select(
        CountLine.id, CountLine.quantity, CountLine.recorded_at, CountLine.expiry, CountLine.lot
    ).order_by(CountLine.id)
    with db.reading() as session:
        expected = [tuple(row) for row in session.connection().execute(query)]
        got = read_rows(session.connection(), query)
        empty = read_rows(session.connection(), query.where(CountLine.id < 0))
    assert got == expected
    assert [tuple(type(v) for v in row) for row in got] == [
        tuple(type(v) for v in row) for row in expected
    ]
    assert got[2][1:4] == (
        Decimal("3.5000"),
        datetime(2026, 11, 2, 7, 30, tzinfo=UTC),
        date(2027, 1, 5),
    )
    assert got[4][3:] == (None, None)
    assert empty == []


def test_collector_paused_nests_and_restores() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()


class _Node:
    """Something that can sit in a reference cycle and be watched by a weak reference."""

    def __init__(self) -> None:
        self.other: object = self


def test_what_a_paused_block_made_is_kept_old_and_its_cycles_still_freed() -> None:
    with collector_paused():
        kept = [[index] for index in range(1000)]
        cycle = _Node()
        watch = weakref.ref(cycle)
    # Moved to the oldest generation in one step: the young passes do not walk them again.
    assert not any(found is kept for found in gc.get_objects(generation=0))
    assert any(found is kept for found in gc.get_objects(generation=2))
    assert gc.get_count()[0] < 100
    del cycle
    assert watch() is not None  # a cycle: reference counting alone does not free it
    gc.collect()
    assert watch() is None  # the next whole-heap pass does
    assert len(kept) == 1000
