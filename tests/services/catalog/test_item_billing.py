"""Billable and serial-tracked items: the fields, their checks, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from parstudio.domain.errors import ValidationError
from parstudio.models import Item
from parstudio.services.catalog import items
from parstudio.services.core.database import Database


def _stored(db: Database, code: str) -> Item:
    with db.reading() as session:
        row = session.scalar(select(Item).where(Item.code == code))
        assert row is not None
        return row


def test_billing_fields_are_kept_and_shown(db: Database) -> None:
    created = items.create_item(
        db,
        fields={
            "code": "STENT-3x18",
            "description": "Coronary stent 3.0 x 18 mm",
            "billable": "yes",
            "charge_code": " C1874 ",
            "charge_price": "1,250.00",
            "serial_tracked": True,
        },
    )
    assert created.billable and created.serial_tracked
    assert created.charge_code == "C1874" and created.charge_price == Decimal(1250)
    assert created.billing_warning is None
    row = _stored(db, "STENT-3x18")
    assert row.billable and row.serial_tracked and row.charge_price == Decimal(1250)
    plain = items.create_item(db, fields={"code": "GAUZE", "description": "Gauze"})
    assert not plain.billable and not plain.serial_tracked and plain.charge_price is None


def test_billable_without_a_charge_code_is_kept_but_warned(db: Database) -> None:
    created = items.create_item(
        db, fields={"code": "CATH", "description": "Catheter", "billable": True}
    )
    assert created.billable and created.charge_code is None
    assert created.billing_warning is not None and "charge code" in created.billing_warning
    changed = items.update_item(
        db, item_id=created.id, changes={"charge_code": "C1769"}, expected_version=1
    )
    assert changed.billing_warning is None and changed.version == 2


@pytest.mark.parametrize(
    ("price", "message"),
    [("-1", "Charge price must be at least 0"), ("12,5x", "Charge price must be a number")],
)
def test_a_bad_charge_price_is_refused_and_nothing_changes(
    db: Database, price: str, message: str
) -> None:
    created = items.create_item(
        db, fields={"code": "CONTRAST", "description": "Contrast 100 mL", "charge_price": "40"}
    )
    with pytest.raises(ValidationError, match=message) as refused:
        items.update_item(db, item_id=created.id, changes={"charge_price": price, "billable": 1})
    assert refused.value.field == "charge_price"
    row = _stored(db, "CONTRAST")
    assert row.charge_price == Decimal(40) and not row.billable and row.version == 1
    with pytest.raises(ValidationError, match="Billable must be yes or no"):
        items.create_item(db, fields={"code": "X", "description": "X", "billable": "maybe"})
    with pytest.raises(ValidationError, match="Charge code is too long"):
        items.create_item(db, fields={"code": "Y", "description": "Y", "charge_code": "C" * 41})
    with db.reading() as session:
        assert session.scalar(select(Item.id).where(Item.code.in_(["X", "Y"]))) is None
