"""Expiring lots and the recall search, from the latest counts, scans and receipts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.models import ParSetting, Receipt, Scan
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.services.counting import links as count_links
from parstudio.services.expiry import lots as expiry
from parstudio.services.expiry import waste
from tests.support.history import add_count

TODAY = date(2026, 11, 23)


def at(days_ago: int, hour: int = 7) -> datetime:
    day = TODAY - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def soon(days: int) -> date:
    return TODAY + timedelta(days=days)


def count(
    db: Database,
    location_id: int,
    item_id: int,
    days_ago: int,
    quantity: int,
    lot: str | None = None,
    expires: date | None = None,
    scans: list[tuple[str, date, int]] = (),  # type: ignore[assignment]
) -> None:
    """One finished count of an item, its line, and (optionally) the lot scans that made it."""
    moment = at(days_ago)
    with db.reading() as session:
        has_setting = session.scalar(
            select(ParSetting.id).where(
                ParSetting.location_id == location_id, ParSetting.item_id == item_id
            )
        )
    if not has_setting:
        par_settings.create_par_setting(
            db, location_id=location_id, item_id=item_id, fields={"par_level": "10"}
        )
    with db.transaction() as session:
        row = add_count(session, location_id, item_id, quantity, moment, lot=lot, expiry=expires)
        running = Decimal(0)
        for scan_lot, scan_expiry, added in scans:
            session.add(
                Scan(
                    count_id=row.id,
                    kind="GS1",
                    raw=f"(10){scan_lot}",
                    item_id=item_id,
                    lot=scan_lot,
                    expiry=scan_expiry,
                    quantity_before=running or None,
                    quantity_after=running + added,
                    recorded_at=moment,
                )
            )
            running += added


@dataclass
class Place:
    ct: int
    cart: int
    store: int
    contrast: int
    gauze: int


@pytest.fixture
def place(db: Database) -> Place:
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"}).id
    cart = locations.create_location(db, fields={"code": "CART", "name": "Crash cart"}).id
    store = locations.create_location(db, fields={"code": "STORE", "name": "Storeroom"}).id
    contrast = items.create_item(db, fields={"code": "IOH350", "description": "Iohexol 350"}).id
    gauze = items.create_item(db, fields={"code": "GAUZE", "description": "Gauze"}).id
    return Place(ct, cart, store, contrast, gauze)


def test_only_the_latest_count_of_an_item_at_a_location_counts(db: Database, place: Place) -> None:
    count(db, place.ct, place.contrast, 14, 6, "OLD1", soon(10))
    count(db, place.ct, place.contrast, 7, 4, "NEW1", soon(50))
    count(db, place.cart, place.contrast, 3, 0, "EMPTY", soon(5))  # nothing left: not listed
    count(db, place.cart, place.gauze, 3, 9)  # no lot, no expiry: never listed
    within_30 = expiry.expiring_soon(db, days=30, today=TODAY)
    assert within_30 == []
    within_60 = expiry.expiring_soon(db, days=60, today=TODAY)
    assert [(e.lot.location_code, e.lot.lot, e.lot.quantity, e.days_left) for e in within_60] == [
        ("CT1", "NEW1", Decimal(4), 50)
    ]
    assert within_60[0].hint == "Only lot on hand"


def test_scans_split_a_line_into_lots_with_a_fefo_hint(db: Database, place: Place) -> None:
    count(
        db, place.ct, place.contrast, 2, 10, "B7", soon(80),
        scans=[("A1", soon(20), 3), ("B7", soon(80), 5)],
    )  # fmt: skip
    rows = expiry.expiring_soon(db, days=90, today=TODAY, location_id=place.ct)
    summary = [(e.lot.lot, e.lot.quantity, e.days_left, e.hint) for e in rows]
    assert summary == [
        ("A1", Decimal(3), 20, "Use lot A1 first"),
        ("B7", Decimal(5), 80, "Use after lot A1"),
    ]
    # Two units were typed without a scan: they are on hand without a lot, so not listed.
    assert expiry.expiring_soon(db, days=90, today=TODAY, location_id=place.cart) == []


def test_the_horizon_is_read_from_the_lines_and_their_scans(db: Database, place: Place) -> None:
    # The line's own expiry is far out, but a lot scanned into it expires soon: listed, with
    # the later lot (beyond the horizon) in its hint.
    count(
        db, place.ct, place.contrast, 2, 8, "FAR", soon(200),
        scans=[("NEAR", soon(10), 3), ("FAR", soon(200), 5)],
    )  # fmt: skip
    # The line's own expiry is soon, but its scans put everything on later lots: not listed.
    count(
        db, place.cart, place.gauze, 2, 4, "G1", soon(15),
        scans=[("G2", soon(120), 4)],
    )  # fmt: skip
    # Neither the line nor its scans expire within 30 days: nothing from it.
    count(db, place.store, place.gauze, 2, 6, "S1", soon(45), scans=[("S2", soon(50), 6)])
    rows = expiry.expiring_soon(db, days=30, today=TODAY)
    assert [(e.lot.location_code, e.lot.lot, e.lot.quantity, e.hint) for e in rows] == [
        ("CT1", "NEAR", Decimal(3), "Use lot NEAR first")
    ]
    within_60 = expiry.expiring_soon(db, days=60, today=TODAY)
    assert [(e.lot.location_code, e.lot.lot, e.hint) for e in within_60] == [
        ("CT1", "NEAR", "Use lot NEAR first"),
        ("STORE", "S2", "Only lot on hand"),
    ]


def test_an_expired_lot_still_on_the_shelf_is_listed_first(db: Database, place: Place) -> None:
    count(db, place.ct, place.contrast, 1, 2, "X", soon(-4))
    count(db, place.cart, place.contrast, 1, 1, "Y", soon(25))
    rows = expiry.expiring_soon(db, days=30, today=TODAY)
    assert [(e.lot.lot, e.expired) for e in rows] == [("X", True), ("Y", False)]


def test_recall_search_finds_counts_and_receipts_not_yet_counted(
    db: Database, place: Place
) -> None:
    count(db, place.ct, place.contrast, 5, 4, "R9", soon(100))
    count(db, place.cart, place.contrast, 5, 2, "OTHER", soon(100))
    with db.transaction() as session:
        for location_id, days_ago, qty in ((place.store, 1, 12), (place.ct, 8, 6)):
            session.add(
                Receipt(
                    location_id=location_id,
                    item_id=place.contrast,
                    quantity=Decimal(qty),
                    received_at=at(days_ago, 5),
                    lot="R9",
                )
            )
    count_links.add_recall(db, item_id=place.contrast, lot="R9", reason="Particles in vials")
    found = expiry.recall_search(db, item_code="ioh350 ", lot="R9", today=TODAY)
    assert found.on_recall_list and found.reason == "Particles in vials"
    # CT1's receipt came before its latest count, which says what is left of it.
    assert [(h.location_code, h.quantity, h.source) for h in found.holdings] == [
        ("CT1", Decimal(4), "count"),
        ("STORE", Decimal(12), "receipt"),
    ]
    assert found.total == 16
    nothing = expiry.recall_search(db, item_code="GAUZE", lot="R9", today=TODAY)
    assert nothing.holdings == () and not nothing.on_recall_list


def test_recall_search_names_what_is_wrong(db: Database, place: Place) -> None:
    with pytest.raises(NotFoundError, match="NOPE"):
        expiry.recall_search(db, item_code="NOPE", lot="1")
    with pytest.raises(ValidationError, match="lot number"):
        expiry.recall_search(db, item_code="GAUZE", lot="  ")


def test_a_lot_is_put_on_the_recall_list_by_item_code(db: Database) -> None:
    items.create_item(db, fields={"code": "IOH350", "description": "Iohexol 350"})
    expiry.add_to_recall_list(db, item_code=" ioh350 ", lot="B7", reason="Notice R-118")
    found = expiry.recall_search(db, item_code="IOH350", lot="B7")
    assert found.on_recall_list and found.reason == "Notice R-118"
    with pytest.raises(ValidationError, match="already on the recall list"):
        expiry.add_to_recall_list(db, item_code="IOH350", lot="B7", reason=None)
    with pytest.raises(NotFoundError, match="no item with the code NOPE"):
        expiry.add_to_recall_list(db, item_code="NOPE", lot="B7", reason=None)


def test_waste_after_the_count_is_taken_off_its_lot(db: Database, place: Place) -> None:
    count(
        db, place.ct, place.contrast, 2, 10, "B7", soon(80),
        scans=[("A1", soon(20), 4), ("B7", soon(80), 6)],
    )  # fmt: skip
    count(db, place.cart, place.contrast, 1, 2, "A1", soon(20))

    def throw_away(location_id: int, lot: str, quantity: int, days_ago: int) -> None:
        waste.record_waste(
            db,
            location_id=location_id,
            item_id=place.contrast,
            quantity=quantity,
            reason="EXPIRED",
            lot=lot,
            at=at(days_ago, 12),
        )

    throw_away(place.ct, "A1", 3, 1)  # after CT1's count: 1 of 4 left
    throw_away(place.ct, "A1", 2, 5)  # before CT1's count, which already left it out
    throw_away(place.ct, "B7", 6, 0)  # all of B7: it leaves the list
    throw_away(place.cart, "ZZ9", 1, 0)  # another lot: CART's A1 is untouched
    rows = expiry.expiring_soon(db, days=90, today=TODAY)
    assert [(e.lot.location_code, e.lot.lot, e.lot.quantity, e.hint) for e in rows] == [
        ("CART", "A1", Decimal(2), "Only lot on hand"),
        ("CT1", "A1", Decimal(1), "Only lot on hand"),
    ]
    found = expiry.recall_search(db, item_code="IOH350", lot="A1", today=TODAY)
    assert [(h.location_code, h.quantity) for h in found.holdings] == [
        ("CART", Decimal(2)),
        ("CT1", Decimal(1)),
    ]
    assert expiry.recall_search(db, item_code="IOH350", lot="B7", today=TODAY).holdings == ()
    # A newer count says what is left: the waste before it is no longer taken off.
    count(db, place.ct, place.contrast, 0, 5, "A1", soon(20))
    (ct_now,) = expiry.expiring_soon(db, days=90, location_id=place.ct, today=TODAY)
    assert ct_now.lot.quantity == 5
