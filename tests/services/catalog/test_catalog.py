"""Catalogue services: suppliers, items, locations and PAR settings, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parstudio.domain.errors import ConflictError, DuplicateError, ValidationError
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database


@pytest.fixture
def stocked(db: Database) -> dict[str, int]:
    """A supplier, an item with two barcodes, a storeroom and a PAR location."""
    supplier = suppliers.create_supplier(
        db, fields={"code": "MEDLINE", "name": "Medline", "delivery_weekdays": "Mon, Thu"}
    )
    item = items.create_item(
        db,
        fields={
            "code": "SYR-10",
            "description": "Syringe 10 mL luer lock",
            "pack_size": "100",
            "supplier_code": "medline",
            "barcodes": "00884838003526, IMG-00123",
            "pack_price": "18.50",
        },
    )
    store = locations.create_location(
        db, fields={"code": "STORE", "name": "Central storeroom", "kind": "storeroom"}
    )
    ct = locations.create_location(
        db, fields={"code": "CT1", "name": "CT room 1", "department": "Imaging", "parent_code": ""}
    )
    return {"supplier": supplier.id, "item": item.id, "store": store.id, "ct": ct.id}


def test_supplier_round_trip(db: Database) -> None:
    created = suppliers.create_supplier(
        db, fields={"code": "OM", "name": "Owens & Minor", "delivery_weekdays": "fri,mon,mon"}
    )
    assert created.delivery_weekdays == ("MON", "FRI")
    assert created.lead_time_days == 2
    changed = suppliers.update_supplier(
        db, supplier_id=created.id, changes={"lead_time_days": "3"}, expected_version=1
    )
    assert changed.lead_time_days == 3
    assert changed.version == 2
    assert [s.code for s in suppliers.list_suppliers(db, search="owens")] == ["OM"]


def test_duplicate_supplier_code_is_refused_by_name(db: Database) -> None:
    suppliers.create_supplier(db, fields={"code": "OM", "name": "Owens & Minor"})
    with pytest.raises(DuplicateError, match="OM"):
        suppliers.create_supplier(db, fields={"code": "OM", "name": "Other"})
    assert len(suppliers.list_suppliers(db)) == 1


def test_item_with_supplier_and_barcodes(db: Database, stocked: dict[str, int]) -> None:
    item = items.get_item(db, item_id=stocked["item"])
    assert item.supplier_code == "MEDLINE"
    assert item.barcodes == ("00884838003526", "IMG-00123")
    assert item.pack_size == Decimal(100)
    assert item.pack_price == Decimal("18.50")
    found = items.find_item_by_barcode(db, codes=["IMG-00123"])
    assert found is not None and found.code == "SYR-10"
    assert [i.code for i in items.list_items(db, search="00884838003526")] == ["SYR-10"]
    assert items.count_items(db, search="luer") == 1


def test_duplicate_item_code_and_barcode_are_refused(db: Database, stocked: dict[str, int]) -> None:
    with pytest.raises(DuplicateError, match="SYR-10"):
        items.create_item(db, fields={"code": "SYR-10", "description": "again"})
    with pytest.raises(DuplicateError, match=r"00884838003526.*SYR-10"):
        items.create_item(
            db, fields={"code": "SYR-20", "description": "Syringe 20", "barcodes": "00884838003526"}
        )
    assert items.count_items(db) == 1


def test_bad_item_values_name_the_field(db: Database) -> None:
    with pytest.raises(ValidationError) as error:
        items.create_item(db, fields={"code": "X", "description": "x", "pack_size": "0"})
    assert error.value.field == "pack_size"
    assert "Pack size must be more than 0" in str(error.value)
    with pytest.raises(ValidationError, match="no supplier"):
        items.create_item(db, fields={"code": "X", "description": "x", "supplier_code": "NOPE"})


def test_barcode_edit_bumps_version_and_replaces_list(
    db: Database, stocked: dict[str, int]
) -> None:
    item = items.update_item(
        db, item_id=stocked["item"], changes={"barcodes": "IMG-00123, 0884838003526"}
    )
    assert item.barcodes == ("IMG-00123", "0884838003526")
    assert item.version == 2


def test_stale_version_is_a_conflict(db: Database, stocked: dict[str, int]) -> None:
    items.update_item(db, item_id=stocked["item"], changes={"category": "Syringes"})
    with pytest.raises(ConflictError, match="tester"):
        items.update_item(
            db, item_id=stocked["item"], changes={"category": "Other"}, expected_version=1
        )
    assert items.get_item(db, item_id=stocked["item"]).category == "Syringes"


def test_deactivate_keeps_the_item(db: Database, stocked: dict[str, int]) -> None:
    items.set_item_active(db, item_id=stocked["item"], active=False)
    assert items.list_items(db) == []
    assert [i.code for i in items.list_items(db, include_inactive=True)] == ["SYR-10"]


def test_location_parent_and_loop(db: Database, stocked: dict[str, int]) -> None:
    cart = locations.create_location(
        db, fields={"code": "CART1", "name": "Crash cart", "parent_code": "CT1"}
    )
    assert cart.parent_code == "CT1"
    with pytest.raises(ValidationError, match="inside itself"):
        locations.update_location(db, location_id=stocked["ct"], changes={"parent_code": "CART1"})
    with pytest.raises(DuplicateError, match="ct1"):
        locations.create_location(db, fields={"code": "ct1", "name": "dup"})


def test_par_setting_in_grid_order(db: Database, stocked: dict[str, int]) -> None:
    other = items.create_item(db, fields={"code": "GLV-M", "description": "Gloves nitrile M"})
    par_settings.create_par_setting(
        db, location_id=stocked["ct"], item_id=other.id, fields={"bin": "A-02", "par_level": "10"}
    )
    setting = par_settings.create_par_setting(
        db,
        location_id=stocked["ct"],
        item_id=stocked["item"],
        fields={"bin": "A-01", "par_level": "24", "moq": "3", "source": "STORE"},
    )
    assert setting.source == "STORE"
    assert setting.effective_count_type == "ON HAND"
    grid = par_settings.list_par_settings(db, location_id=stocked["ct"])
    assert [s.item_code for s in grid] == ["GLV-M", "SYR-10"]  # bins made in that order
    assert locations.get_location(db, location_id=stocked["ct"]).bins == ("A-02", "A-01")


def test_par_setting_validation(db: Database, stocked: dict[str, int]) -> None:
    setting = par_settings.create_par_setting(
        db, location_id=stocked["ct"], item_id=stocked["item"], fields={"par_level": "24"}
    )
    with pytest.raises(ValidationError, match=r"Min \(15\) must not be more than Max \(10\)"):
        par_settings.update_par_setting(
            db,
            setting_id=setting.id,
            changes={"method": "min/max", "min_level": "15", "max_level": "10"},
        )
    with pytest.raises(ValidationError, match="MOQ"):
        par_settings.update_par_setting(db, setting_id=setting.id, changes={"moq": "-1"})
    with pytest.raises(ValidationError, match="neither a storeroom nor a supplier"):
        par_settings.update_par_setting(db, setting_id=setting.id, changes={"source": "CT1"})
    unchanged = par_settings.get_par_setting(db, setting_id=setting.id)
    assert unchanged.method == "PAR" and unchanged.min_level is None and unchanged.version == 1
    changed = par_settings.update_par_setting(
        db,
        setting_id=setting.id,
        changes={"method": "MIN/MAX", "min_level": "10", "max_level": "30", "source": "medline"},
    )
    assert (changed.min_level, changed.max_level, changed.source) == (10, 30, "MEDLINE")


def test_same_item_twice_at_a_location_is_refused(db: Database, stocked: dict[str, int]) -> None:
    par_settings.create_par_setting(
        db, location_id=stocked["ct"], item_id=stocked["item"], fields={}
    )
    with pytest.raises(DuplicateError, match="SYR-10 already has a PAR setting at CT1"):
        par_settings.create_par_setting(
            db, location_id=stocked["ct"], item_id=stocked["item"], fields={}
        )
