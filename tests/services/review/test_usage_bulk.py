"""Usage read per location in bulk (usage_bulk) gives the histories usage_histories gives."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from parstudio.models import Location, ParSetting, Receipt, Waste
from parstudio.services.core.database import Database
from parstudio.services.review.usage import usage_histories
from parstudio.services.review.usage_bulk import usage_by_location
from tests.support.demo import DEMO_DAY
from tests.support.history import add_count

TODAY = date(2026, 11, 25)


def _same(db: Database, location_ids: list[int], **options: object) -> int:
    expected = usage_histories(db, location_ids=location_ids, through=TODAY, **options)  # type: ignore[arg-type]
    found = usage_by_location(db, location_ids=location_ids, through=TODAY, **options)  # type: ignore[arg-type]
    assert found.keys() == expected.keys()
    for setting_id, history in expected.items():
        # Field by field, as written (repr): a Decimal 0 against 0.00 would show.
        assert repr(found[setting_id].history()) == repr(history)
    return len(expected)


def test_the_demo_departments_histories_are_the_same(demo_db: Database) -> None:
    assert TODAY == DEMO_DAY
    db = demo_db
    with db.reading() as session:
        location_ids = list(session.scalars(select(Location.id).order_by(Location.id)))
    assert _same(db, location_ids) > 400
    assert _same(db, location_ids, months=18, with_weeks=False) > 400
    assert _same(db, location_ids[:2], months=6, with_months=False) > 0


def test_odd_rows_are_worked_out_by_the_rule_with_the_same_result(demo_db: Database) -> None:
    # Quantities to a tenth and waste (not whole numbers), two counts on one day, a receipt
    # after the last count: every way a setting leaves the plain path.
    assert TODAY == DEMO_DAY
    db = demo_db
    with db.reading() as session:
        setting = session.scalars(select(ParSetting).order_by(ParSetting.id).limit(1)).one()
        location_id, item_id = setting.location_id, setting.item_id
    day = datetime(2026, 10, 5, 7, tzinfo=UTC)
    with db.transaction() as session:
        add_count(session, location_id, item_id, Decimal("12.5"), day)
        add_count(session, location_id, item_id, Decimal("11.5"), day + timedelta(hours=3))
        session.add(
            Receipt(
                location_id=location_id,
                item_id=item_id,
                quantity=Decimal("2.25"),
                received_at=day + timedelta(days=2),
            )
        )
        session.add(
            Waste(
                location_id=location_id,
                item_id=item_id,
                quantity=Decimal("0.5"),
                reason="EXPIRED",
                recorded_at=day + timedelta(days=3),
            )
        )
        add_count(session, location_id, item_id, Decimal("3.75"), day + timedelta(days=9))
        session.add(
            Receipt(
                location_id=location_id,
                item_id=item_id,
                quantity=Decimal(4),
                received_at=datetime(2026, 11, 24, 23, tzinfo=UTC),
            )
        )
    assert _same(db, [location_id]) > 0
