"""Fixtures of the ordering tests: a CT room stocked from a supplier and from a storeroom."""

from __future__ import annotations

import pytest

from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database


@pytest.fixture
def ward(db: Database) -> dict[str, int]:
    """CT room stocked from a supplier and from the storeroom."""
    suppliers.create_supplier(
        db,
        fields={
            "code": "MED",
            "name": "Medline",
            "lead_time_days": "2",
            "delivery_weekdays": "MON,THU",
        },
    )
    store = locations.create_location(
        db, fields={"code": "STORE", "name": "Storeroom", "kind": "STOREROOM"}
    )
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    syringe = items.create_item(
        db,
        fields={
            "code": "SYR-10",
            "description": "Syringe 10 mL",
            "pack_size": "10",
            "supplier_code": "MED",
            "pack_price": "4.50",
        },
    )
    gloves = items.create_item(
        db,
        fields={
            "code": "GLV-M",
            "description": "Gloves M",
            "pack_size": "100",
            "supplier_code": "MED",
            "pack_price": "7.25",
        },
    )
    gauze = items.create_item(
        db, fields={"code": "GAUZE", "description": "Gauze 4x4", "supplier_code": "MED"}
    )
    s1 = par_settings.create_par_setting(
        db,
        location_id=ct.id,
        item_id=syringe.id,
        fields={"bin": "A-01", "par_level": "24", "moq": "3"},
    )
    s2 = par_settings.create_par_setting(
        db,
        location_id=ct.id,
        item_id=gloves.id,
        fields={
            "bin": "A-02",
            "method": "MIN/MAX",
            "min_level": "100",
            "max_level": "400",
            "source": "STORE",
        },
    )
    s3 = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=gauze.id, fields={"bin": "A-03", "par_level": "50"}
    )
    return {
        "ct": ct.id,
        "store": store.id,
        "syringe": syringe.id,
        "gloves": gloves.id,
        "gauze": gauze.id,
        "s1": s1.id,
        "s2": s2.id,
        "s3": s3.id,
    }
