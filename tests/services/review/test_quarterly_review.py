"""The quarterly review report read from a department with fifteen months of history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.domain.quarterly_review import ALL_LOCATIONS, Quarter
from parstudio.domain.waste import WasteReason
from parstudio.models import Order, OrderLine
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database
from parstudio.services.expiry import waste
from parstudio.services.review import suggestions as review
from parstudio.services.review.period_usage import SettingFilter
from parstudio.services.review.quarterly import quarterly_review
from tests.services.review.test_usage_history import record

Q2 = Quarter(2026, 2)
TODAY = date(2026, 7, 6)
FIRST_SUNDAY = date(2025, 3, 30)


@pytest.fixture
def department(db: Database) -> dict[str, int]:
    """The department of build_department on each database."""
    return build_department(db)


def build_department(db: Database) -> dict[str, int]:
    """Gloves at CT1 used 10 a day for fifteen months; a stent on consignment; gauze unpriced."""
    med = suppliers.create_supplier(
        db, fields={"code": "MED", "name": "Medline", "delivery_weekdays": "MON,THU"}
    )
    ct = locations.create_location(
        db,
        fields={
            "code": "CT1",
            "name": "CT room 1",
            "department": "Imaging",
            "cost_centre": "4100",
            "delivery_weekdays": "MON,THU",
        },
    )
    ward = locations.create_location(
        db, fields={"code": "W3", "name": "Ward 3", "department": "Medicine"}
    )
    gloves = items.create_item(
        db,
        fields={
            "code": "GLV",
            "description": "Gloves, nitrile, medium",
            "pack_size": "10",
            "pack_price": "5.00",
            "supplier_code": "MED",
        },
    )
    stent = items.create_item(
        db,
        fields={
            "code": "STENT",
            "description": "Coronary stent",
            "pack_price": "200",
            "consignment": True,
        },
    )
    gauze = items.create_item(db, fields={"code": "GAUZE", "description": "Gauze swabs"})
    glv = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=gloves.id, fields={"par_level": "400"}
    )
    par_settings.create_par_setting(
        db, location_id=ct.id, item_id=stent.id, fields={"par_level": "4"}
    )
    par_settings.create_par_setting(
        db, location_id=ct.id, item_id=gauze.id, fields={"par_level": "20"}
    )
    par_settings.create_par_setting(
        db, location_id=ward.id, item_id=gauze.id, fields={"par_level": "20"}
    )
    # Counted 100 every Sunday, refilled with 70 every Monday: 10 used a day.
    sundays = [FIRST_SUNDAY + timedelta(days=7 * k) for k in range(67)]
    record(
        db,
        ct.id,
        gloves.id,
        [(d, 100) for d in sundays],
        [(d + timedelta(days=1), 70) for d in sundays],
    )
    record(db, ct.id, stent.id, [(date(2026, 6, 20), 3)])
    record(db, ct.id, gauze.id, [(date(2026, 4, 12), 0), (date(2026, 5, 3), 6)])
    record(db, ct.id, gauze.id, [(date(2026, 5, 24), 0), (date(2026, 3, 1), 0)])
    with db.transaction() as session:
        for number, ordered, expected, rush in (
            ("PO-1", date(2026, 5, 4), date(2026, 5, 7), False),  # a Thursday: on schedule
            ("PO-2", date(2026, 5, 8), date(2026, 5, 9), False),  # a Saturday: off schedule
            ("PO-3", date(2026, 6, 1), date(2026, 6, 4), True),  # marked rush
            ("PO-4", date(2026, 3, 2), date(2026, 3, 7), True),  # the quarter before
        ):
            order = Order(
                number=number,
                kind="PURCHASE",
                supplier_id=med.id,
                status="RECEIVED",
                order_date=ordered,
                expected_date=expected,
                rush=rush,
            )
            session.add(order)
            session.flush()
            session.add(
                OrderLine(
                    order_id=order.id,
                    location_id=ct.id,
                    item_id=gloves.id,
                    packs=3,
                    proposed_packs=3,
                    pack_size=Decimal(10),
                    pack_price=Decimal("5.00"),
                )
            )
    for at, units, reason in (
        (datetime(2026, 5, 12, 10, tzinfo=UTC), 12, WasteReason.EXPIRED),
        (datetime(2026, 6, 2, 10, tzinfo=UTC), 1, WasteReason.DAMAGED),
        (datetime(2026, 7, 6, 10, tzinfo=UTC), 5, WasteReason.EXPIRED),  # next quarter
    ):
        waste.record_waste(
            db, location_id=ct.id, item_id=gloves.id, quantity=units, reason=reason, at=at
        )
    return {"ct": ct.id, "ward": ward.id, "gloves_setting": glv.id}


def test_usage_is_compared_with_the_last_quarter_and_the_year_before(
    db: Database, department: dict[str, int]
) -> None:
    report = quarterly_review(db, quarter=Q2, today=TODAY)
    assert report.quarter == Q2 and report.scope == "All departments"
    assert report.settings == 4
    assert report.unpriced_settings == 2  # gauze at CT1 and at W3
    total = report.total_usage
    assert total.name == ALL_LOCATIONS
    # 10 a day less what was thrown away: Q2 2026 has 91 days, 13 units wasted.
    assert total.this_quarter == Decimal("448.50")  # (910 − 13) × 0.50
    assert total.last_quarter == Decimal("450.00")  # 90 days
    assert total.year_before == Decimal("455.00")
    assert total.change_vs_last == Decimal("-0.3")
    (ct_row, _total) = report.usage
    assert ct_row.name == "CT1 — CT room 1"


def test_stockouts_waste_and_rush_orders_of_the_quarter(
    db: Database, department: dict[str, int]
) -> None:
    report = quarterly_review(db, quarter=Q2, today=TODAY)
    (gauze,) = report.stockouts
    assert (gauze.location_code, gauze.item_code) == ("CT1", "GAUZE")
    assert (gauze.stockouts, gauze.counts, gauze.last_on) == (2, 3, date(2026, 5, 24))
    assert [w.quantity for w in report.waste] == [Decimal(1), Decimal(12)]
    assert report.waste_cost == Decimal("6.50")
    assert [(w.reason, w.records) for w in report.waste_by_reason] == [
        (WasteReason.EXPIRED, 1),
        (WasteReason.DAMAGED, 1),
    ]
    assert [(r.number, r.why) for r in report.rush_orders] == [
        ("PO-2", "delivery on Saturday, outside the schedule (Mon, Thu)"),
        ("PO-3", "marked rush"),
    ]
    assert report.rush_value == Decimal("30.00")
    assert report.rush_orders[0].destinations == "CT1"


def test_stock_value_leaves_consignment_apart_and_movers_rank_by_value(
    db: Database, department: dict[str, int]
) -> None:
    report = quarterly_review(db, quarter=Q2, today=TODAY)
    (ct,) = report.stock_value
    # Gloves: 100 counted on 28 June at 0.50; the stent (3 at 200) is the vendor's.
    assert (ct.location_code, ct.value, ct.consignment_value) == (
        "CT1",
        Decimal("50.00"),
        Decimal("600.00"),
    )
    assert ct.unpriced == 0  # gauze is unpriced, but its latest count by 30 June found none
    assert report.total_stock_value == Decimal("50.00")
    mover, unpriced = report.movers
    assert (mover.item_code, mover.units, mover.value) == ("GLV", Decimal(897), Decimal("448.50"))
    assert mover.last_quarter_units == Decimal(900)
    # Gauze used 6 between 3 and 24 May; without a price it ranks after the priced items.
    assert (unpriced.item_code, unpriced.units, unpriced.value) == ("GAUZE", Decimal(6), 0)


def test_settings_out_of_line_come_from_the_computed_suggestions(
    db: Database, department: dict[str, int]
) -> None:
    before = quarterly_review(db, quarter=Q2, today=TODAY)
    assert before.out_of_line == () and before.suggestions_through is None
    review.refresh_profiles(db, through=TODAY)
    after = quarterly_review(db, quarter=Q2, today=TODAY)
    assert after.suggestions_through == TODAY
    by_item = {line.item_code: line for line in after.out_of_line}
    assert by_item["GLV"].suggested < Decimal(400)
    changes = [abs(line.change_pct or Decimal(0)) for line in after.out_of_line]
    assert changes == sorted(changes, reverse=True)


def test_filters_narrow_every_part(db: Database, department: dict[str, int]) -> None:
    medicine = quarterly_review(
        db, quarter=Q2, wanted=SettingFilter(department="Medicine"), today=TODAY
    )
    assert medicine.scope == "Department Medicine"
    assert medicine.settings == 1
    assert medicine.stockouts == () and medicine.waste == () and medicine.rush_orders == ()
    assert medicine.total_usage.this_quarter == Decimal(0)
    imaging = quarterly_review(
        db,
        quarter=Q2,
        wanted=SettingFilter(cost_centre="4100", location_codes=("CT1",)),
        today=TODAY,
    )
    assert imaging.scope == "Cost centre 4100, location CT1"
    assert len(imaging.rush_orders) == 2
    with pytest.raises(NotFoundError, match="Pharmacy"):
        quarterly_review(db, quarter=Q2, wanted=SettingFilter(department="Pharmacy"), today=TODAY)


def test_a_quarter_not_started_is_refused(db: Database, department: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="has not started"):
        quarterly_review(db, quarter=Quarter(2026, 4), today=TODAY)
