"""Deleting a record nothing refers to, which is how undo takes back an addition."""

from __future__ import annotations

import pytest

from parstudio.domain.errors import NotFoundError
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database


def test_unused_records_are_deleted(db: Database) -> None:
    supplier = suppliers.create_supplier(db, fields={"code": "OM", "name": "Owens & Minor"})
    item = items.create_item(db, fields={"code": "G-1", "description": "Gloves", "barcodes": "123"})
    location = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    locations.set_bins(db, location_id=location.id, codes=["A1"])
    assert items.delete_item_if_unused(db, item_id=item.id) is True
    assert suppliers.delete_supplier_if_unused(db, supplier_id=supplier.id) is True
    assert locations.delete_location_if_unused(db, location_id=location.id) is True
    assert items.list_items(db, include_inactive=True) == []
    assert suppliers.list_suppliers(db, include_inactive=True) == []
    assert locations.list_locations(db, include_inactive=True) == []
    with pytest.raises(NotFoundError):
        items.get_item(db, item_id=item.id)


def test_records_in_use_are_kept(db: Database) -> None:
    supplier = suppliers.create_supplier(db, fields={"code": "OM", "name": "Owens & Minor"})
    item = items.create_item(
        db, fields={"code": "G-1", "description": "Gloves", "supplier_code": "OM"}
    )
    store = locations.create_location(db, fields={"code": "STORE", "name": "Store"})
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT", "parent_code": "STORE"})
    setting = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=item.id, fields={"par_level": "4", "bin": "A1"}
    )
    assert suppliers.delete_supplier_if_unused(db, supplier_id=supplier.id) is False
    assert items.delete_item_if_unused(db, item_id=item.id) is False
    assert locations.delete_location_if_unused(db, location_id=store.id) is False
    assert locations.delete_location_if_unused(db, location_id=ct.id) is False
    assert par_settings.delete_par_setting_if_unused(db, setting_id=setting.id) is True
    assert par_settings.list_par_settings(db, location_id=ct.id, include_inactive=True) == []
    assert items.delete_item_if_unused(db, item_id=item.id) is True
    assert locations.delete_location_if_unused(db, location_id=ct.id) is True
