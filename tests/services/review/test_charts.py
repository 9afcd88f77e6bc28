"""Chart data on both databases: a setting's levels week by week, and spend by month."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from parstudio.models import Receipt
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.services.review import charts


def test_spend_by_month_per_department(db: Database) -> None:
    ct = locations.create_location(
        db, fields={"code": "CT1", "name": "CT", "department": "Imaging"}
    )
    ward = locations.create_location(db, fields={"code": "W1", "name": "Ward"})
    gowns = items.create_item(
        db, fields={"code": "GWN", "description": "Gowns", "pack_price": "12.50", "pack_size": "10"}
    )
    free = items.create_item(db, fields={"code": "FREE", "description": "No price"})
    with db.transaction() as session:
        for location_id, item_id, day, quantity in (
            (ct.id, gowns.id, date(2026, 10, 31), 20),
            (ct.id, gowns.id, date(2026, 11, 1), 4),
            (ward.id, gowns.id, date(2026, 11, 2), 8),
            (ct.id, free.id, date(2026, 11, 2), 99),
            (ct.id, gowns.id, date(2025, 1, 2), 500),  # before the period
        ):
            moment = datetime(day.year, day.month, day.day, 23, 30, tzinfo=UTC)
            session.add(
                Receipt(
                    location_id=location_id,
                    item_id=item_id,
                    quantity=Decimal(quantity),
                    received_at=moment,
                )
            )
    data = charts.spend_by_month(db, through=date(2026, 11, 23), months=3)
    assert data.months == (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1))
    assert data.departments == ("Imaging", charts.NO_DEPARTMENT)
    assert data.spend["Imaging"] == (Decimal(0), Decimal("25.00"), Decimal("5.00"))
    assert data.spend[charts.NO_DEPARTMENT] == (Decimal(0), Decimal(0), Decimal("10.00"))
    only = charts.spend_by_month(db, department="Imaging", through=date(2026, 11, 23), months=3)
    assert only.departments == ("Imaging",) and only.total == Decimal("30.00")
    assert charts.departments(db) == ["Imaging"]


def test_setting_chart_without_history(db: Database) -> None:
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT"})
    gowns = items.create_item(db, fields={"code": "GWN", "description": "Gowns"})
    record = par_settings.create_par_setting(
        db,
        location_id=ct.id,
        item_id=gowns.id,
        fields={"method": "MIN/MAX", "min_level": "5", "max_level": "12"},
    )
    data = charts.setting_chart(db, setting_id=record.id, through=date(2026, 11, 23), months=2)
    assert data.weeks == () and data.par_line == ()
    assert {v for _, v in data.max_line} == {Decimal(12)} and {v for _, v in data.min_line} == {
        Decimal(5)
    }
    assert data.title == "GWN Gowns at CT1"
