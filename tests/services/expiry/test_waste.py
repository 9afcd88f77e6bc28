"""Waste: stock thrown away is recorded with its cost, and is not counted as usage."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.domain.waste import WasteReason
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.services.expiry import waste
from parstudio.services.review.usage import usage_history
from tests.services.review.test_usage_history import record

SUNDAY = date(2026, 3, 1)


@pytest.fixture
def gloves(db: Database) -> dict[str, int]:
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    item = items.create_item(
        db,
        fields={"code": "GLV", "description": "Gloves", "pack_size": "10", "pack_price": "4.50"},
    )
    setting = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=item.id, fields={"par_level": "60"}
    )
    return {"location": ct.id, "item": item.id, "setting": setting.id}


def test_recorded_waste_keeps_the_unit_cost_of_the_day(
    db: Database, gloves: dict[str, int]
) -> None:
    found = waste.record_waste(
        db,
        location_id=gloves["location"],
        item_id=gloves["item"],
        quantity="12",
        reason="expired",
        lot="L42",
        expiry=date(2026, 2, 28),
        note="found behind the drapes",
    )
    assert found.reason is WasteReason.EXPIRED
    assert found.unit_cost == Decimal("0.45")
    assert found.cost == Decimal("5.40")
    assert (found.location_code, found.item_code, found.lot) == ("CT1", "GLV", "L42")
    assert found.recorded_by == db.user_name
    # A later price change does not reprice what was thrown away.
    items.update_item(db, item_id=gloves["item"], changes={"pack_price": "9.00"})
    (listed,) = waste.list_waste(db)
    assert listed.cost == Decimal("5.40")


def test_bad_waste_is_refused_and_nothing_is_written(db: Database, gloves: dict[str, int]) -> None:
    for quantity, reason, message in (
        ("0", "EXPIRED", "more than 0"),
        ("-3", "EXPIRED", "more than 0"),
        ("lots", "EXPIRED", "not a quantity"),
        (" ", "EXPIRED", "Give the quantity"),
        ("2", "stolen", "not a reason"),
    ):
        with pytest.raises(ValidationError, match=message):
            waste.record_waste(
                db,
                location_id=gloves["location"],
                item_id=gloves["item"],
                quantity=quantity,
                reason=reason,
            )
    with pytest.raises(NotFoundError):
        waste.record_waste(
            db, location_id=gloves["location"], item_id=999, quantity=1, reason="OTHER"
        )
    assert waste.list_waste(db) == []


def test_waste_is_listed_by_time_and_location_and_can_be_taken_back(
    db: Database, gloves: dict[str, int]
) -> None:
    march = datetime(2026, 3, 10, 9, tzinfo=UTC)
    for day, units in ((0, 1), (5, 2), (40, 3)):
        waste.record_waste(
            db,
            location_id=gloves["location"],
            item_id=gloves["item"],
            quantity=units,
            reason=WasteReason.DAMAGED,
            at=march + timedelta(days=day),
        )
    in_march = waste.list_waste(db, since=march, until=datetime(2026, 4, 1, tzinfo=UTC))
    assert [w.quantity for w in in_march] == [Decimal(2), Decimal(1)]
    assert waste.list_waste(db, location_ids=[gloves["location"] + 1]) == []
    waste.remove_waste(db, waste_id=in_march[0].id)
    assert [w.quantity for w in waste.list_waste(db)] == [Decimal(3), Decimal(1)]
    with pytest.raises(NotFoundError):
        waste.remove_waste(db, waste_id=in_march[0].id)


def test_a_removed_record_is_put_back_as_it_was(db: Database, gloves: dict[str, int]) -> None:
    first = waste.record_waste(
        db,
        location_id=gloves["location"],
        item_id=gloves["item"],
        quantity="3",
        reason=WasteReason.RECALLED,
        lot="R9",
        expiry=date(2027, 1, 31),
        note="notice R-118",
        at=datetime(2026, 3, 10, 9, tzinfo=UTC),
    )
    waste.remove_waste(db, waste_id=first.id)
    items.update_item(db, item_id=gloves["item"], changes={"pack_price": "9.00"})
    again = waste.restore_waste(db, record=first)
    # The old price, time and author (the id may be a new one: the undo stack follows it).
    assert replace(again, id=first.id) == first
    assert waste.list_waste(db) == [again]


def test_waste_between_counts_is_not_usage(db: Database, gloves: dict[str, int]) -> None:
    # Counted 60 on Sundays; 20 used a week, refilled to 60; in the second week 10 expired.
    sundays = [SUNDAY + timedelta(days=7 * k) for k in range(3)]
    record(
        db,
        gloves["location"],
        gloves["item"],
        [(sundays[0], 60), (sundays[1], 40), (sundays[2], 30)],
        [(sundays[1] + timedelta(days=1), 20)],
    )
    waste.record_waste(
        db,
        location_id=gloves["location"],
        item_id=gloves["item"],
        quantity=10,
        reason="EXPIRED",
        at=datetime(2026, 3, 11, 12, tzinfo=UTC),
    )
    history = usage_history(db, setting_id=gloves["setting"], through=sundays[2])
    weeks = {w.start: w.usage for w in history.weeks if w.complete}
    assert weeks[date(2026, 3, 2)] == Decimal(20)
    assert weeks[date(2026, 3, 9)] == Decimal(20)  # 40 + 20 − 10 wasted − 30
