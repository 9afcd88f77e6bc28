"""Usage history read from the database: counts and receipts of many settings at once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from parstudio.domain.orders import ApprovedLine
from parstudio.models import Order, Receipt
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.services.ordering import orders
from parstudio.services.review.usage import history_start, usage_histories, usage_history
from tests.support.history import add_count

MONDAY = date(2026, 3, 2)
SUNDAY = MONDAY - timedelta(days=1)


def record(
    db: Database,
    location_id: int,
    item_id: int,
    counts: list[tuple[date, int]],
    receipts: list[tuple[date, int]] = (),  # type: ignore[assignment]
    count_type: str = "ON HAND",
    finished: bool = True,
) -> None:
    with db.transaction() as session:
        for day, quantity in counts:
            moment = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
            add_count(
                session,
                location_id,
                item_id,
                quantity,
                moment,
                count_type=count_type,
                finished=finished,
            )
        for day, quantity in receipts:
            moment = datetime(day.year, day.month, day.day, 5, tzinfo=UTC)
            session.add(
                Receipt(
                    location_id=location_id,
                    item_id=item_id,
                    quantity=Decimal(quantity),
                    received_at=moment,
                )
            )


@pytest.fixture
def settings(db: Database) -> dict[str, int]:
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    cart = locations.create_location(db, fields={"code": "CART", "name": "Crash cart"})
    gloves = items.create_item(db, fields={"code": "GLV", "description": "Gloves"})
    gauze = items.create_item(db, fields={"code": "GAUZE", "description": "Gauze"})
    a = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=gloves.id, fields={"par_level": "30"}
    )
    b = par_settings.create_par_setting(
        db,
        location_id=cart.id,
        item_id=gauze.id,
        fields={"par_level": "5", "count_type": "ORDER PAR"},
    )
    c = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=gauze.id, fields={"par_level": "8"}
    )
    # Gloves at CT: counted on Sundays, so each Monday-to-Sunday week lies between two counts.
    weeks = [SUNDAY + timedelta(days=7 * k) for k in range(5)]
    record(
        db,
        ct.id,
        gloves.id,
        list(zip(weeks, [30, 18, 20, 0, 12], strict=True)),
        [(d + timedelta(days=1), r) for d, r in zip(weeks, [0, 12, 10, 30], strict=False) if r],
    )
    # Gauze on the cart: two-bin, counted as ORDER PAR; usage is what was received.
    record(
        db,
        cart.id,
        gauze.id,
        [(MONDAY + timedelta(days=8), 1)],
        [(MONDAY + timedelta(days=9), 5), (MONDAY + timedelta(days=23), 5)],
        count_type="ORDER PAR",
    )
    # An open (unfinished) count is not history yet.
    record(db, ct.id, gauze.id, [(MONDAY, 8), (MONDAY + timedelta(days=7), 2)], finished=False)
    return {"gloves": a.id, "cart": b.id, "gauze": c.id, "ct": ct.id}


def test_weekly_usage_by_counts(db: Database, settings: dict[str, int]) -> None:
    history = usage_history(db, setting_id=settings["gloves"], through=MONDAY + timedelta(days=30))
    assert history.source == "counts"
    complete = history.complete_weeks()
    # 30 → 18 (12 used); +12 → 20 (10); +10 → 0 (30); +30 → 12 (18).
    assert [u for _, u in complete] == [Decimal(12), Decimal(10), Decimal(30), Decimal(18)]
    assert complete[0][0] == MONDAY
    assert history.stockouts == (SUNDAY + timedelta(days=21),)
    assert len(history.deliveries) == 3
    assert history.months[0].start == date(2024, 5, 1)  # 24 months back
    assert len(history.months) == 24


def test_many_settings_in_one_request(db: Database, settings: dict[str, int]) -> None:
    histories = usage_histories(
        db, location_ids=None, through=MONDAY + timedelta(days=34), months=3
    )
    assert set(histories) == {settings["gloves"], settings["cart"], settings["gauze"]}
    cart = histories[settings["cart"]]
    assert cart.source == "receipts"
    assert sum(w.usage for w in cart.weeks) == 10
    gauze = histories[settings["gauze"]]
    assert not any(w.complete for w in gauze.weeks)  # its counts are still open
    only_ct = usage_histories(
        db, location_ids=[settings["ct"]], through=MONDAY + timedelta(days=34), months=3
    )
    assert set(only_ct) == {settings["gloves"], settings["gauze"]}


def test_history_stops_at_the_day_asked_for(db: Database, settings: dict[str, int]) -> None:
    history = usage_history(
        db, setting_id=settings["gloves"], through=MONDAY + timedelta(days=14), months=1
    )
    assert [u for _, u in history.complete_weeks()] == [Decimal(12), Decimal(10)]


def test_history_length_is_limited() -> None:
    assert history_start(date(2026, 3, 15), 24) == date(2024, 4, 1)
    assert history_start(date(2026, 3, 15), 1) == date(2026, 3, 1)


def test_more_than_24_months_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="1 to 24 months"):
        usage_histories(db, months=25)


def transfer(
    db: Database, setting_id: int, day: date, packs: int, status: str, *, sent: bool = True
) -> None:
    """A transfer for one PAR location line, approved on ``day`` and taken to ``status``."""
    (order,) = orders.approve_lines(
        db,
        lines=[ApprovedLine(setting_id=setting_id, packs=packs, proposed_packs=packs)],
        order_date=day,
    )
    with db.transaction() as session:
        row = session.get(Order, order.id)
        assert row is not None and row.kind == "TRANSFER"
        row.status = status
        row.sent_at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC) if sent else None


def test_a_storeroom_line_uses_what_the_storeroom_issued(db: Database) -> None:
    from parstudio.services.catalog import suppliers
    from parstudio.services.review import charts
    from parstudio.services.review import suggestions as review

    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline"})
    store = locations.create_location(
        db, fields={"code": "STORE", "name": "Central storeroom", "kind": "STOREROOM"}
    )
    locations.create_location(
        db, fields={"code": "STORE2", "name": "Other storeroom", "kind": "STOREROOM"}
    )
    er = locations.create_location(db, fields={"code": "ER", "name": "Emergency"})
    icu = locations.create_location(db, fields={"code": "ICU", "name": "Intensive care"})
    gloves = items.create_item(
        db,
        fields={"code": "GLV", "description": "Gloves", "pack_size": "10", "supplier_code": "MED"},
    )
    stock = par_settings.create_par_setting(
        db, location_id=store.id, item_id=gloves.id, fields={"par_level": "200"}
    )
    er_line = par_settings.create_par_setting(
        db, location_id=er.id, item_id=gloves.id, fields={"par_level": "30", "source": "STORE"}
    )
    icu_line = par_settings.create_par_setting(
        db, location_id=icu.id, item_id=gloves.id, fields={"par_level": "30", "source": "STORE2"}
    )
    # The storeroom's own counts see the big supplier deliveries: by counts it "used" 300.
    # Transfers are picked in units of issue (the storeroom sets no issue pack): packs of 1.
    record(
        db,
        store.id,
        gloves.id,
        [(SUNDAY, 100), (SUNDAY + timedelta(days=28), 300)],
        [(MONDAY + timedelta(days=3), 500)],
    )
    week = [MONDAY + timedelta(days=7 * k) for k in range(4)]
    transfer(db, er_line.id, week[0], 30, "SENT")  # Monday, the first issue: 30
    transfer(db, er_line.id, week[0] + timedelta(days=3), 20, "RECEIVED")  # 20
    # Received without being marked sent: it left on its order date. 40
    transfer(db, er_line.id, week[1] + timedelta(days=1), 40, "RECEIVED", sent=False)
    transfer(db, er_line.id, week[1] + timedelta(days=2), 50, "CANCELLED")  # never left
    transfer(db, er_line.id, week[1] + timedelta(days=3), 60, "DRAFT", sent=False)  # not yet
    transfer(db, er_line.id, week[3] + timedelta(days=1), 10, "PARTIAL")  # 10
    transfer(db, icu_line.id, week[3] + timedelta(days=2), 70, "SENT")  # from the other store
    through = week[3] + timedelta(days=6)

    history = usage_history(db, setting_id=stock.id, through=through)
    assert history.source == "issues"
    weeks = dict(history.complete_weeks())
    assert [weeks[monday] for monday in week] == [Decimal(50), Decimal(40), 0, Decimal(10)]
    assert MONDAY - timedelta(days=7) not in weeks  # before the first issue: not known
    assert history.deliveries == ((MONDAY + timedelta(days=3), Decimal(500)),)
    # In a batch of the recompute, by location, the same; the PAR locations are unchanged.
    batch = usage_histories(db, location_ids=[store.id, er.id, icu.id], through=through)
    assert batch[stock.id].complete_weeks() == history.complete_weeks()
    assert batch[er_line.id].source == "receipts" and batch[icu_line.id].source == "receipts"

    detail = review.review_detail(db, setting_id=stock.id, through=through)
    assert (detail.evidence.weeks_used, detail.evidence.average) == (4, Decimal(25))
    chart = charts.setting_chart(db, setting_id=stock.id, through=through)
    assert chart.source == "issues" and chart.weeks == tuple(history.complete_weeks())
