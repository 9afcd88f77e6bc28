"""The demo department: what it holds, and that its history makes sense, on both backends."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from biip.gtin import Gtin
from sqlalchemy import select

from parstudio.demo.catalogue import catalogue, gs1_check_digit, make_gtin14, make_hibc, make_upc_a
from parstudio.demo.department import DatabaseNotEmptyError, build_demo, is_empty
from parstudio.domain.quarterly_review import Quarter
from parstudio.domain.waste import WasteReason
from parstudio.models import Count, CountLine, Item, Location, ParSetting, Receipt
from parstudio.services.core.database import Database, open_database, sqlite_url
from parstudio.services.expiry import lots as expiry
from parstudio.services.review import suggestions as review
from parstudio.services.review.quarterly import quarterly_review
from tests.support.demo import DEMO_DAY

TODAY = date(2026, 11, 25)
PAR_CODES = {"CT1", "CT2", "MRI1", "US1", "IR1", "XR1", "CART-CRASH", "NUC1"}


@pytest.fixture
def demo(demo_db: Database) -> Database:
    """The demo department of TODAY (built once a run, copied for each test)."""
    assert TODAY == DEMO_DAY
    return demo_db


def test_summary_matches_what_was_written(db: Database) -> None:
    summary = build_demo(db, today=TODAY)
    assert not is_empty(db)
    assert summary.suppliers == 3
    assert 250 <= summary.items <= 350
    assert summary.barcodes > summary.items  # every item has a GTIN, some a second code
    assert summary.locations == 9
    # Each PAR location holds 25–70 lines; the storeroom holds what it supplies.
    assert 8 * 25 < summary.settings < 9 * 70 + 200
    # A year of counts: 3 counting days a week on average, give or take.
    assert 8 * 52 < summary.counts < 9 * 5 * 53
    assert summary.count_lines > 30_000
    assert summary.receipts > 20_000
    with db.reading() as session:
        assert len(session.scalars(select(Count.id)).all()) == summary.counts
        assert len(session.scalars(select(Receipt.id)).all()) == summary.receipts


def test_every_par_location_has_settings_and_a_latest_count(demo: Database) -> None:
    yesterday = TODAY - timedelta(days=1)
    with demo.reading() as session:
        rows = session.execute(select(Location.id, Location.code, Location.kind)).all()
        assert {code for _, code, kind in rows if kind == "PAR LOCATION"} == PAR_CODES
        for location_id, code, _kind in rows:
            settings = session.scalars(
                select(ParSetting).where(ParSetting.location_id == location_id)
            ).all()
            if code != "STORE":
                assert 25 <= len(settings) <= 70, code
            latest = session.scalar(
                select(Count.started_at)
                .where(Count.location_id == location_id)
                .order_by(Count.started_at.desc())
                .limit(1)
            )
            assert latest is not None and latest.date() in (yesterday, TODAY), code
            assert all(c.finished_at for c in session.scalars(select(Count)).all())
        methods = session.scalars(select(ParSetting.method)).all()
        share = methods.count("MIN/MAX") / len(methods)
        assert 0.15 < share < 0.55  # a quarter of PAR lines, plus the storeroom's


def test_location_count_types_and_blind_count(demo: Database) -> None:
    with demo.reading() as session:
        locations = {loc.code: loc for loc in session.scalars(select(Location))}
        line_types = set(session.scalars(select(CountLine.count_type).distinct()))
    assert locations["STORE"].kind == "STOREROOM"
    assert locations["CART-CRASH"].default_count_type == "ORDER PAR"
    assert locations["NUC1"].default_count_type == "ORDER QTY"
    assert [c for c, loc in locations.items() if loc.blind_count] == ["MRI1"]
    assert {"ON HAND", "ORDER PAR", "ORDER QTY"} <= line_types
    assert all(1 <= loc.deliveries_per_week <= 5 for loc in locations.values())


def _on_hand_history(
    demo: Database,
) -> tuple[
    dict[tuple[int, int], list[tuple[datetime, Decimal]]], list[tuple[int, int, datetime, Decimal]]
]:
    with demo.reading() as session:
        lines = session.execute(
            select(
                CountLine.location_id, CountLine.item_id, CountLine.recorded_at, CountLine.quantity
            ).where(CountLine.count_type == "ON HAND")
        ).all()
        receipts = session.execute(
            select(Receipt.location_id, Receipt.item_id, Receipt.received_at, Receipt.quantity)
        ).all()
    counted: dict[tuple[int, int], list[tuple[datetime, Decimal]]] = defaultdict(list)
    for location_id, item_id, at, quantity in lines:
        counted[(location_id, item_id)].append((at, quantity))
    return counted, [tuple(r) for r in receipts]  # type: ignore[misc]


def test_usage_derived_from_counts_and_receipts_is_never_negative(demo: Database) -> None:
    counted, receipts = _on_hand_history(demo)
    received: dict[tuple[int, int], list[tuple[datetime, Decimal]]] = defaultdict(list)
    for location_id, item_id, at, quantity in receipts:
        received[(location_id, item_id)].append((at, quantity))
    intervals = zeros = 0
    for key, history in counted.items():
        history.sort()
        for (before, previous), (after, current) in pairwise(history):
            got = sum((q for at, q in received[key] if before < at <= after), Decimal(0))
            usage = previous + got - current
            assert usage >= 0, (key, before, after, previous, got, current)
            intervals += 1
        zeros += sum(1 for _, q in history if q == 0)
    assert intervals > 20_000
    # Stockouts happen, but rarely.
    total = sum(len(h) for h in counted.values())
    assert 0 < zeros < total * 0.06


def test_gloves_are_used_more_in_flu_season_than_in_summer(demo: Database) -> None:
    with demo.reading() as session:
        rows = session.execute(
            select(Receipt.received_at, Receipt.quantity)
            .join(Item, Item.id == Receipt.item_id)
            .join(Location, Location.id == Receipt.location_id)
            .where(Item.category == "Gloves", Item.code.like("GLN-%"))
            .where(Location.kind == "PAR LOCATION")
        ).all()
    by_month: dict[int, Decimal] = defaultdict(Decimal)
    for at, quantity in rows:
        by_month[at.month] += quantity
    winter = by_month[12] + by_month[1] + by_month[2]
    summer = by_month[6] + by_month[7] + by_month[8]
    assert winter > summer * Decimal("1.25"), (winter, summer)


def test_some_lines_miss_the_latest_count_on_purpose(demo: Database) -> None:
    with demo.reading() as session:
        latest_counts = {}
        for location_id, count_id, _started in session.execute(
            select(Count.location_id, Count.id, Count.started_at).order_by(Count.started_at)
        ):
            latest_counts[location_id] = count_id
        counted_last = set(
            session.execute(
                select(CountLine.location_id, CountLine.item_id).where(
                    CountLine.count_id.in_(latest_counts.values())
                )
            ).all()
        )
        on_hand = session.execute(
            select(ParSetting.location_id, ParSetting.item_id)
            .join(Location, Location.id == ParSetting.location_id)
            .where(
                ParSetting.count_type.is_(None) | (ParSetting.count_type == "ON HAND"),
                Location.default_count_type == "ON HAND",
            )
        ).all()
    missing = [tuple(s) for s in on_hand if tuple(s) not in counted_last]
    assert 2 <= len(missing) <= 3


def test_a_second_demo_is_refused_with_a_clear_message(demo: Database) -> None:
    with pytest.raises(DatabaseNotEmptyError, match=r"already holds data \(\d+ items"):
        build_demo(demo, today=TODAY)
    with demo.reading() as session:
        assert len(session.scalars(select(Location.id)).all()) == 9


def test_the_same_seed_builds_the_same_department(db: Database, tmp_path: Path) -> None:
    other = open_database(sqlite_url(tmp_path / "second" / "demo.sqlite"), user_name="tester")
    try:
        first = build_demo(db, seed=11, today=TODAY)
        second = build_demo(other, seed=11, today=TODAY)
        assert first == second
        query = select(Item.code, Item.description, Item.pack_price).order_by(Item.id).limit(20)
        lines = select(CountLine.quantity).order_by(CountLine.id).limit(500)
        with db.reading() as one, other.reading() as two:
            assert one.execute(query).all() == two.execute(query).all()
            assert one.scalars(lines).all() == two.scalars(lines).all()
    finally:
        other.close()


def test_another_seed_keeps_the_catalogue_but_changes_prices() -> None:
    one, two = catalogue(random.Random(11)), catalogue(random.Random(12))
    assert [c.code for c in one] == [c.code for c in two]
    assert [c.pack_price for c in one] != [c.pack_price for c in two]
    assert len({c.code for c in one}) == len(one)


def test_items_carry_valid_gtins_and_sensible_catalogue_fields(demo: Database) -> None:
    from parstudio.models import Barcode

    with demo.reading() as session:
        codes = session.execute(select(Barcode.code, Barcode.kind)).all()
        items = session.scalars(select(Item)).all()
    gtins = [code for code, kind in codes if kind == "GTIN" and len(code) == 14]
    assert len(gtins) == len(items)
    assert all(gs1_check_digit(code[:-1]) == code[-1] for code, kind in codes if kind == "GTIN")
    assert {kind for _, kind in codes} == {"GTIN", "HIBC"}
    assert {i.unit for i in items} >= {"EA", "BX", "PR", "BT"}
    assert all(
        i.pack_price is not None and i.pack_price == i.pack_price.quantize(Decimal("0.01"))
        for i in items
    )
    assert any(i.consignment for i in items)
    assert 0 < sum(not i.expensed for i in items) < len(items) / 2
    drugs = [i for i in items if i.category in ("Contrast media", "Crash cart drugs")]
    assert drugs and all(i.shelf_life_days for i in drugs)
    assert any("µg" in i.description for i in items)


def test_code_helpers_follow_gs1_and_hibc() -> None:
    gtin = make_gtin14(1, "0884838", 352)
    assert gtin.startswith("1088483800352") and len(gtin) == 14
    assert Gtin.parse(gtin).payload == gtin[:-1]  # biip checks the check digit
    assert gs1_check_digit("03600029145") == "2"  # a well-known UPC-A: 036000291452
    upc = make_upc_a("0884838", 352)
    assert upc is not None and upc.startswith("88483800352") and Gtin.parse(upc)
    assert make_upc_a("4046719", 1) is None  # not a US prefix: no UPC-A
    assert make_hibc("A123", "BJC5D6E7", 1) == "+A123BJC5D6E71G"  # the HIBC standard's example


def test_items_with_a_shelf_life_have_lots_expiring_soon_with_fefo_hints(demo: Database) -> None:
    soon = expiry.expiring_soon(demo, days=90, today=TODAY)
    assert len(soon) >= 5
    with demo.reading() as session:
        shelf_lives = dict(session.execute(select(Item.code, Item.shelf_life_days)).all())
    assert all(shelf_lives[e.lot.item_code] for e in soon)
    assert all(e.lot.lot and e.days_left <= 90 for e in soon)
    # Some latest counts were scanned lot by lot, so there is a lot to use first and one after.
    assert any(e.hint.startswith("Use lot") for e in soon)
    assert any(e.hint.startswith("Use after lot") for e in soon)
    assert len(expiry.expiring_soon(demo, days=30, today=TODAY)) < len(soon)


def test_a_quarterly_review_of_the_demo_has_every_part(demo: Database) -> None:
    """Waste, rush orders, stockouts and suggestions: the demo's quarter has something of each."""
    review.refresh_profiles(demo, through=TODAY)
    quarter = Quarter.last_complete(TODAY)
    report = quarterly_review(demo, quarter=quarter, today=TODAY)
    assert report.settings > 400
    total = report.total_usage
    assert total.this_quarter > 0 and total.last_quarter > 0 and total.complete
    assert not total.year_before_known  # a year of history does not reach the year before
    assert report.waste and all(w.cost for w in report.waste)
    assert {w.reason for w in report.waste} <= {WasteReason.EXPIRED, WasteReason.DAMAGED}
    assert report.rush_orders and report.rush_value > 0
    assert {r.why == "marked rush" for r in report.rush_orders} == {True, False}
    assert report.stockouts and report.total_stock_value > 0
    assert len(report.movers) == 10 and report.out_of_line
    # Consignment stock is kept apart from the stock value.
    assert report.total_consignment_value >= 0
