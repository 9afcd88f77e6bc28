"""Add and edit dialogs driven through their widgets, with what the services then hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from parstudio.services.catalog import items, locations, suppliers
from parstudio.ui.kit.dialogs import WeekdayEditor
from parstudio.ui.shell.main_window import MainWindow


def line(dialog: Any, name: str) -> QLineEdit:
    widget = dialog.editors[name].widget
    assert isinstance(widget, QLineEdit)
    return widget


def click_save(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_add_supplier_through_the_dialog_then_undo_and_redo(qtbot: Any, window: MainWindow) -> None:
    page = window.page("Suppliers")
    dialog = page.make_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(line(dialog, "code"), "OM")
    qtbot.keyClicks(line(dialog, "name"), "Owens & Minor")
    line(dialog, "lead_time_days").clear()
    qtbot.keyClicks(line(dialog, "lead_time_days"), "3")
    days = dialog.editors["delivery_weekdays"].widget
    assert isinstance(days, WeekdayEditor)
    qtbot.mouseClick(days.boxes["TUE"], Qt.MouseButton.LeftButton)
    days.boxes["FRI"].setChecked(True)
    click_save(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    (saved,) = suppliers.list_suppliers(window.db)
    assert (saved.code, saved.name, saved.lead_time_days) == ("OM", "Owens & Minor", 3)
    assert saved.delivery_weekdays == ("TUE", "FRI")
    assert [r.code for r in page.model.records()] == ["OM"]

    window.undo_stack.undo()
    assert suppliers.list_suppliers(window.db, include_inactive=True) == []
    assert page.model.rowCount() == 0
    window.undo_stack.redo()
    assert [s.code for s in suppliers.list_suppliers(window.db)] == ["OM"]
    assert page.model.rowCount() == 1


def test_item_dialog_shows_the_refusal_under_the_field_and_saves_nothing(
    qtbot: Any, window: MainWindow
) -> None:
    dialog = window.page("Items").make_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(line(dialog, "code"), "SYR-10")
    qtbot.keyClicks(line(dialog, "description"), "Syringe 10 mL")
    line(dialog, "pack_size").clear()
    qtbot.keyClicks(line(dialog, "pack_size"), "0")
    click_save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.error_text("pack_size") == "Pack size must be more than 0."
    assert dialog.error_text("code") == ""
    assert items.count_items(window.db) == 0

    line(dialog, "pack_size").clear()
    qtbot.keyClicks(line(dialog, "pack_size"), "100")
    click_save(qtbot, dialog)
    assert not dialog.isVisible()
    assert items.find_item_by_code(window.db, code="SYR-10") is not None


@pytest.mark.parametrize(
    ("name", "typed", "said"),
    [
        ("pack_price", "-3", "Pack price must be at least 0."),
        ("pack_size", "abc", "Pack size must be a number, not “abc”."),
        ("shelf_life_days", "12x", "Shelf life (days) must be a number, not “12x”."),
        ("charge_price", "-0.5", "Charge price must be at least 0."),
        ("charge_price", "12,5x", "Charge price must be a number, not “12,5x”."),
    ],
)
def test_item_dialog_bad_number_is_kept_as_typed_refused_and_explained(
    qtbot: Any, window: MainWindow, name: str, typed: str, said: str
) -> None:
    dialog = window.page("Items").make_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(line(dialog, "code"), "SYR-10")
    qtbot.keyClicks(line(dialog, "description"), "Syringe 10 mL")
    line(dialog, name).clear()
    qtbot.keyClicks(line(dialog, name), typed)
    assert line(dialog, name).text() == typed  # never silently changed
    assert dialog.error_text(name) == said  # shown as it is typed
    click_save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.error_text(name) == said
    assert items.count_items(window.db) == 0


def test_edit_item_with_a_negative_price_changes_nothing(qtbot: Any, window: MainWindow) -> None:
    item = items.create_item(
        window.db, fields={"code": "SYR-10", "description": "Syringe", "pack_price": "18.5"}
    )
    page = window.page("Items")
    page.refresh()
    dialog = page.make_dialog(page.model.record(0))
    qtbot.addWidget(dialog)
    dialog.show()
    line(dialog, "pack_price").clear()
    qtbot.keyClicks(line(dialog, "pack_price"), "-3")
    click_save(qtbot, dialog)
    assert dialog.error_text("pack_price") == "Pack price must be at least 0."
    stored = items.get_item(window.db, item_id=item.id)
    assert (stored.pack_price, stored.version) == (item.pack_price, item.version)
    assert window.undo_stack.count() == 0


def test_item_dialog_required_and_duplicate_codes(qtbot: Any, window: MainWindow) -> None:
    items.create_item(window.db, fields={"code": "SYR-10", "description": "Syringe"})
    window.page("Items").refresh()
    dialog = window.page("Items").make_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    click_save(qtbot, dialog)
    assert dialog.error_text("code") == "Item code is required."
    qtbot.keyClicks(line(dialog, "code"), "SYR-10")
    qtbot.keyClicks(line(dialog, "description"), "Another")
    click_save(qtbot, dialog)
    assert "SYR-10" in dialog.error_text("code")
    assert "already exists" in dialog.error_text("code")
    assert items.count_items(window.db) == 1


def test_item_supplier_is_chosen_from_supplier_codes(qtbot: Any, window: MainWindow) -> None:
    suppliers.create_supplier(window.db, fields={"code": "MEDLINE", "name": "Medline"})
    suppliers.create_supplier(window.db, fields={"code": "OM", "name": "Owens & Minor"})
    dialog = window.page("Items").make_dialog()
    qtbot.addWidget(dialog)
    combo = dialog.editors["supplier_code"].widget
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["", "MEDLINE", "OM"]
    combo.setCurrentText("OM")
    qtbot.keyClicks(line(dialog, "code"), "GLV-M")
    qtbot.keyClicks(line(dialog, "description"), "Gloves nitrile medium")
    expensed = dialog.editors["expensed"].widget
    assert isinstance(expensed, QCheckBox) and expensed.isChecked()
    click_save(qtbot, dialog)
    item = items.find_item_by_code(window.db, code="GLV-M")
    assert item is not None and item.supplier_code == "OM" and item.expensed


def test_edit_item_saves_only_changes_and_undo_restores(qtbot: Any, window: MainWindow) -> None:
    item = items.create_item(
        window.db,
        fields={"code": "SYR-10", "description": "Syringe", "pack_price": "18.5", "barcodes": "1"},
    )
    page = window.page("Items")
    page.refresh()
    dialog = page.make_dialog(page.model.record(0))
    qtbot.addWidget(dialog)
    assert line(dialog, "pack_price").text() == "18.50"
    line(dialog, "description").clear()
    qtbot.keyClicks(line(dialog, "description"), "Syringe 10 mL luer lock")
    line(dialog, "barcodes").setText("1, 00884838003526")
    assert set(dialog.changes()) == {"description", "barcodes"}
    click_save(qtbot, dialog)
    changed = items.get_item(window.db, item_id=item.id)
    assert changed.description == "Syringe 10 mL luer lock"
    assert changed.barcodes == ("1", "00884838003526")
    assert page.model.index(0, page.model.COL_DESCRIPTION).data() == "Syringe 10 mL luer lock"
    window.undo_stack.undo()
    restored = items.get_item(window.db, item_id=item.id)
    assert (restored.description, restored.barcodes) == ("Syringe", ("1",))
    assert page.model.index(0, page.model.COL_DESCRIPTION).data() == "Syringe"
    window.undo_stack.redo()
    assert items.get_item(window.db, item_id=item.id).description == "Syringe 10 mL luer lock"


def test_location_part_of_is_a_combo_of_location_codes(qtbot: Any, window: MainWindow) -> None:
    locations.create_location(window.db, fields={"code": "STORE", "name": "Store"})
    page = window.page("Locations")
    page.refresh()
    dialog = page.make_dialog()
    qtbot.addWidget(dialog)
    parent = dialog.editors["parent_code"].widget
    kind = dialog.editors["kind"].widget
    assert isinstance(parent, QComboBox) and isinstance(kind, QComboBox)
    assert kind.currentText() == "PAR LOCATION"
    parent.setCurrentText("STORE")
    qtbot.keyClicks(line(dialog, "code"), "CT1")
    qtbot.keyClicks(line(dialog, "name"), "CT room 1")
    line(dialog, "deliveries_per_week").clear()
    qtbot.keyClicks(line(dialog, "deliveries_per_week"), "0")
    click_save(qtbot, dialog)
    assert dialog.error_text("deliveries_per_week") == "Deliveries per week must be at least 1."
    line(dialog, "deliveries_per_week").setText("3")
    click_save(qtbot, dialog)
    ct = locations.find_location(window.db, code="CT1")
    assert ct is not None and ct.parent_code == "STORE" and ct.deliveries_per_week == 3


def test_deactivate_and_reactivate_with_undo(qtbot: Any, window: MainWindow) -> None:
    supplier = suppliers.create_supplier(window.db, fields={"code": "OM", "name": "Owens"})
    page = window.page("Suppliers")
    page.refresh()
    page.view.selectRow(0)
    assert page.deactivate_action.text() == "Deactivate"
    page.deactivate_action.trigger()
    assert not suppliers.get_supplier(window.db, supplier_id=supplier.id).active
    assert page.model.rowCount() == 0
    assert page.empty.text().startswith("There are no suppliers yet")
    window.undo_stack.undo()
    assert suppliers.get_supplier(window.db, supplier_id=supplier.id).active
    assert page.model.rowCount() == 1
    window.undo_stack.redo()
    assert not suppliers.get_supplier(window.db, supplier_id=supplier.id).active
    page.show_inactive.setChecked(True)
    page.view.selectRow(0)
    assert page.deactivate_action.text() == "Reactivate"
    page.deactivate_action.trigger()
    assert suppliers.get_supplier(window.db, supplier_id=supplier.id).active


def test_item_dialog_warns_of_a_billable_item_without_a_charge_code_but_saves_it(
    qtbot: Any, window: MainWindow
) -> None:
    dialog = window.page("Items").make_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    warning = dialog.findChild(QLabel, "warning_charge_code")
    assert warning is not None and not warning.isVisible()
    qtbot.keyClicks(line(dialog, "code"), "CATH-5F")
    qtbot.keyClicks(line(dialog, "description"), "Catheter 5F")
    billable = dialog.editors["billable"].widget
    assert isinstance(billable, QCheckBox)
    billable.setFocus()
    qtbot.keyClick(billable, Qt.Key.Key_Space)
    assert warning.isVisible() and "no charge code" in warning.text()
    qtbot.keyClicks(line(dialog, "charge_code"), "C1769")
    assert not warning.isVisible()
    line(dialog, "charge_code").clear()
    assert warning.isVisible()
    qtbot.keyClicks(line(dialog, "charge_price"), "85.50")
    click_save(qtbot, dialog)
    assert not dialog.isVisible()
    saved = items.find_item_by_code(window.db, code="CATH-5F")
    assert saved is not None and saved.billable and saved.charge_code is None
    assert saved.charge_price == Decimal("85.5") and not saved.serial_tracked
