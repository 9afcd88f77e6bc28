"""The PAR settings grid: cell edits saved or refused, through the model and the delegate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLineEdit, QStyleOptionViewItem

from parstudio.services.catalog import items, locations, par_settings
from parstudio.ui.catalog.par_grid import DEFAULT_BLANK, ParSettingsModel
from parstudio.ui.catalog.par_page import ParSettingsPage
from parstudio.ui.shell.main_window import MainWindow


@pytest.fixture
def grid(window: MainWindow) -> ParSettingsPage:
    db = window.db
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    syringe = items.create_item(db, fields={"code": "SYR-10", "description": "Syringe 10 mL"})
    gloves = items.create_item(db, fields={"code": "GLV-M", "description": "Gloves medium"})
    items.create_item(db, fields={"code": "CM-350", "description": "Iohexol 350 100 mL"})
    for item, bin_code in ((syringe, "A1"), (gloves, "A2")):
        par_settings.create_par_setting(
            db,
            location_id=ct.id,
            item_id=item.id,
            fields={"bin": bin_code, "par_level": "10", "min_level": "2", "max_level": "12"},
        )
    page: ParSettingsPage = window.page("PAR Settings")
    window.show_page("PAR Settings")
    page.refresh()
    return page


def setting(page: ParSettingsPage, row: int = 0) -> Any:
    return par_settings.get_par_setting(page.host.db, setting_id=page.model.record(row).id)


def test_grid_lists_the_location_in_bin_order(grid: ParSettingsPage) -> None:
    assert grid.location_picker.currentText() == "CT1 — CT room 1"
    codes = [grid.proxy.index(r, 0).data() for r in range(grid.proxy.rowCount())]
    assert codes == ["SYR-10", "GLV-M"]


def test_cell_edit_through_the_model_saves_and_undoes(grid: ParSettingsPage) -> None:
    model, window = grid.model, grid.host
    assert model.setData(model.index(0, ParSettingsModel.COL_PAR), "11.50")
    assert setting(grid).par_level == Decimal("11.5")
    assert model.index(0, ParSettingsModel.COL_PAR).data() == "11.5"
    window.undo_stack.undo()
    assert setting(grid).par_level == 10
    assert model.index(0, ParSettingsModel.COL_PAR).data() == "10"
    window.undo_stack.redo()
    assert setting(grid).par_level == Decimal("11.5")


def test_min_above_max_is_refused_and_shown(grid: ParSettingsPage) -> None:
    model, window = grid.model, grid.host
    before = setting(grid)
    assert not model.setData(model.index(0, ParSettingsModel.COL_MIN), "20")
    after = setting(grid)
    assert (after.min_level, after.version) == (before.min_level, before.version)
    assert model.index(0, ParSettingsModel.COL_MIN).data() == "2"
    assert grid.message_strip.isVisible()
    text = grid.message_strip.text()
    assert "SYR-10" in text and "Min" in text and "must not be more than Max (12)" in text
    assert window.statusBar().currentMessage() == text
    assert window.undo_stack.count() == 0


def test_conflicting_edit_is_refused(grid: ParSettingsPage) -> None:
    record = grid.model.record(0)
    par_settings.update_par_setting(
        grid.host.db, setting_id=record.id, changes={"bin": "Z9"}, expected_version=None
    )
    assert not grid.model.setData(grid.model.index(0, ParSettingsModel.COL_PAR), "3")
    assert "changed" in grid.message_strip.text()
    assert setting(grid).par_level == 10


def test_cell_edit_through_the_delegate_editor(qtbot: Any, grid: ParSettingsPage) -> None:
    view = grid.view
    index = grid.proxy.index(1, ParSettingsModel.COL_MAX)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.text() == "12"
    editor.selectAll()
    qtbot.keyClicks(editor, "24")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits Return through a queued call.
    qtbot.waitUntil(lambda: index.data() == "24")
    assert setting(grid, 1).max_level == 24
    assert index.data() == "24"


def test_choice_cells_use_a_combo_with_a_blank_default(grid: ParSettingsPage) -> None:
    delegate = grid.view.itemDelegate()
    index = grid.proxy.index(0, ParSettingsModel.COL_COUNT_TYPE)
    editor = delegate.createEditor(grid.view.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox)
    assert editor.itemText(0) == DEFAULT_BLANK
    delegate.setEditorData(editor, index)
    assert editor.currentIndex() == 0
    editor.setCurrentText("ORDER QTY")
    delegate.setModelData(editor, grid.proxy, index)
    assert setting(grid).count_type == "ORDER QTY"
    assert index.data() == "ORDER QTY"
    editor.setCurrentIndex(0)
    delegate.setModelData(editor, grid.proxy, index)
    assert setting(grid).count_type is None
    assert index.data() == "(ON HAND)"
    editor.deleteLater()


def test_deactivate_and_undo(grid: ParSettingsPage) -> None:
    record = grid.model.record(0)
    grid.view.setCurrentIndex(grid.proxy.index(0, 0))
    grid.deactivate_action.trigger()
    assert not par_settings.get_par_setting(grid.host.db, setting_id=record.id).active
    assert [r.item_code for r in grid.model.records()] == ["GLV-M"]
    grid.host.undo_stack.undo()
    assert par_settings.get_par_setting(grid.host.db, setting_id=record.id).active
    assert [r.item_code for r in grid.model.records()] == ["SYR-10", "GLV-M"]
    grid.host.undo_stack.redo()
    assert not par_settings.get_par_setting(grid.host.db, setting_id=record.id).active


def test_add_item_to_location_and_undo(grid: ParSettingsPage) -> None:
    db = grid.host.db
    contrast = items.find_item_by_code(db, code="CM-350")
    assert contrast is not None
    location_id = grid.location_picker.currentData()
    added = grid.add_setting(location_id, contrast.id)
    assert added is not None
    assert "CM-350" in [r.item_code for r in grid.model.records()]
    grid.host.undo_stack.undo()
    remaining = par_settings.list_par_settings(db, location_id=location_id, include_inactive=True)
    assert [r.item_code for r in remaining] == ["SYR-10", "GLV-M"]
    grid.host.undo_stack.redo()
    assert "CM-350" in [r.item_code for r in grid.model.records()]
    assert grid.add_setting(location_id, contrast.id) is None
    assert "already has a PAR setting" in grid.message_strip.text()


def test_add_item_dialog_offers_only_items_not_yet_there(qtbot: Any, grid: ParSettingsPage) -> None:
    from parstudio.ui.catalog.par_actions import AddItemDialog

    taken = {r.item_id for r in grid.model.records()}
    dialog = AddItemDialog(grid, grid.host.db, taken)
    qtbot.addWidget(dialog)
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [
        "CM-350 — Iohexol 350 100 mL"
    ]
    qtbot.keyClicks(dialog.search, "gloves")
    assert dialog.list.count() == 0


def type_into_cell(qtbot: Any, page: ParSettingsPage, row: int, column: int, text: str) -> None:
    """Type into a cell the way a clerk does: select it, type, press Enter."""
    index = page.proxy.index(row, column)
    page.view.setCurrentIndex(index)
    page.view.edit(index)
    editor = page.view.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    assert editor.text() == text  # nothing typed is dropped
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on Enter through a queued call.
    qtbot.waitUntil(lambda: page.view.state() != QAbstractItemView.State.EditingState)


@pytest.mark.parametrize(
    ("column", "typed", "said"),
    [
        (ParSettingsModel.COL_PAR, "-5", "PAR level must be at least 0"),
        (ParSettingsModel.COL_MAX, "abc", "Max must be a number, not “abc”"),
        (ParSettingsModel.COLUMNS.index("moq"), "2.5", "MOQ (packs) must be a whole number"),
    ],
)
def test_bad_number_typed_in_a_cell_is_refused_with_its_reason(
    qtbot: Any, grid: ParSettingsPage, column: int, typed: str, said: str
) -> None:
    before = setting(grid)
    type_into_cell(qtbot, grid, 0, column, typed)
    after = setting(grid)
    assert (after.par_level, after.max_level, after.moq, after.version) == (
        before.par_level,
        before.max_level,
        before.moq,
        before.version,
    )
    assert grid.message_strip.isVisible()
    assert said in grid.message_strip.text()
    assert "SYR-10" in grid.message_strip.text()
    assert grid.host.undo_stack.count() == 0
    assert "Saved" not in grid.host.statusBar().currentMessage()


def test_message_shows_while_typing_and_clears_when_corrected(
    qtbot: Any, grid: ParSettingsPage
) -> None:
    index = grid.proxy.index(0, ParSettingsModel.COL_PAR)
    grid.view.setCurrentIndex(index)
    grid.view.edit(index)
    editor = grid.view.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "-5")
    assert "PAR level must be at least 0" in grid.message_strip.text()
    assert grid.message_strip.isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert editor.text() == "5"
    assert not grid.message_strip.isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: setting(grid).par_level == 5)


def test_two_edits_of_one_cell_undo_and_redo_in_turn(
    qtbot: Any, grid: ParSettingsPage, messages: list[str]
) -> None:
    model, window = grid.model, grid.host
    grid.location_picker.setFocus()
    type_into_cell(qtbot, grid, 0, ParSettingsModel.COL_PAR, "36")
    type_into_cell(qtbot, grid, 0, ParSettingsModel.COL_PAR, "37")
    assert setting(grid).par_level == 37
    window.undo_stack.undo()
    assert setting(grid).par_level == 36
    window.undo_stack.undo()  # no conflict with my own edit
    assert setting(grid).par_level == 10
    assert window.undo_stack.index() == 0 and window.undo_stack.count() == 2
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert setting(grid).par_level == 37
    assert model.index(0, ParSettingsModel.COL_PAR).data() == "37"
    assert messages == [] and not grid.message_strip.isVisible()


def test_undo_after_someone_else_changed_the_line_is_a_conflict(grid: ParSettingsPage) -> None:
    model, window = grid.model, grid.host
    assert model.setData(model.index(0, ParSettingsModel.COL_PAR), "36")
    record = setting(grid)
    par_settings.update_par_setting(  # another workstation
        window.db, setting_id=record.id, changes={"bin": "Z9"}, expected_version=record.version
    )
    window.undo_stack.undo()
    after = setting(grid)
    assert (after.par_level, after.bin) == (36, "Z9")  # their change and mine both kept
    assert "changed" in window.statusBar().currentMessage()  # said, not done silently
