"""What the PAR calculator reads for a setting, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.models import Receipt
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database
from parstudio.services.counting.counts import record_count
from parstudio.services.expiry import waste
from parstudio.services.review.par_calculator import calculator_basis

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _setting(db: Database, **location_fields: str) -> tuple[int, int, int]:
    supplier = suppliers.create_supplier(
        db, fields={"code": "MED", "name": "Medline", "lead_time_days": 3}
    )
    location = locations.create_location(
        db, fields={"code": "CT1", "name": "CT room 1", **location_fields}
    )
    item = items.create_item(
        db,
        fields={
            "code": "SYR-10",
            "description": "Syringe",
            "supplier_code": supplier.code,
            "shelf_life_days": 365,
        },
    )
    setting = par_settings.create_par_setting(
        db, location_id=location.id, item_id=item.id, fields={"par_level": "30"}
    )
    return location.id, item.id, setting.id


def test_usage_and_delivery_rhythm_of_a_setting(db: Database) -> None:
    location_id, item_id, setting_id = _setting(db, delivery_weekdays="MON,THU")
    for weeks_ago, quantity in ((3, 40), (2, 25), (1, 35), (0, 20)):
        record_count(
            db,
            location_id=location_id,
            quantities={item_id: Decimal(quantity)},
            when=NOW - timedelta(weeks=weeks_ago),
        )
    with db.transaction() as session:
        session.add(
            Receipt(
                location_id=location_id,
                item_id=item_id,
                quantity=Decimal(30),
                received_at=NOW - timedelta(weeks=2) + timedelta(days=2),
            )
        )
    basis = calculator_basis(db, setting_id=setting_id, weeks=12, now=NOW)
    assert basis.usage is not None
    assert basis.usage.total == 50
    assert basis.usage.periods == 3
    assert basis.deliveries_per_week == 2
    assert basis.days_between_deliveries == Decimal("3.5")
    assert basis.lead_time_days == 3
    assert basis.shelf_life_days == 365
    assert basis.current_par == 30
    # Counts older than the window are left out.
    short = calculator_basis(db, setting_id=setting_id, weeks=2, now=NOW)
    assert short.usage is not None and short.usage.periods == 2


def test_no_counts_and_no_schedule(db: Database) -> None:
    _location_id, _item_id, setting_id = _setting(db)
    basis = calculator_basis(db, setting_id=setting_id, now=NOW)
    assert basis.usage is None
    assert basis.deliveries_per_week == 7


def test_bad_requests_are_refused(db: Database) -> None:
    _location_id, _item_id, setting_id = _setting(db)
    with pytest.raises(ValidationError, match="Weeks of history"):
        calculator_basis(db, setting_id=setting_id, weeks=0)
    with pytest.raises(NotFoundError):
        calculator_basis(db, setting_id=setting_id + 999)


def test_stock_thrown_away_is_not_usage(db: Database) -> None:
    location_id, item_id, setting_id = _setting(db)
    for weeks_ago, quantity in ((2, 40), (1, 30), (0, 10)):
        record_count(
            db,
            location_id=location_id,
            quantities={item_id: Decimal(quantity)},
            when=NOW - timedelta(weeks=weeks_ago),
        )
    # Of the 20 gone in the last week, 6 expired and were thrown away.
    waste.record_waste(
        db,
        location_id=location_id,
        item_id=item_id,
        quantity=6,
        reason="EXPIRED",
        at=NOW - timedelta(days=3),
    )
    basis = calculator_basis(db, setting_id=setting_id, weeks=12, now=NOW)
    assert basis.usage is not None
    assert basis.usage.total == Decimal(24)  # 10 + (20 − 6)
