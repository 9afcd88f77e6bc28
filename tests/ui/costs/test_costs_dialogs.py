"""Cost allocation… and Consignment usage…: driven through their widgets, models checked by Qt."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QModelIndex, Qt

from parstudio.domain.paper import PrintOptions
from parstudio.services.catalog import items
from parstudio.services.core.database import Database
from parstudio.ui.catalog.models import ItemTableModel
from parstudio.ui.costs import dialogs as costs_dialogs
from parstudio.ui.costs.dialogs import ConsignmentUsageDialog, CostAllocationDialog
from parstudio.ui.costs.models import COL_CONSIGNMENT, COL_NAME, COL_SPEND, COL_UNPRICED, COL_USAGE
from parstudio.ui.shell.main_window import MainWindow
from tests.services.costs.test_costs_and_consignment import TODAY, fill_department
from tests.support.pdfs import texts


@pytest.fixture
def department(sqlite_db: Database) -> Database:
    return fill_department(sqlite_db)


def _choose(dialog: Any, first: date, last: date) -> None:
    picker = dialog.period
    picker.first.setCurrentIndex(picker.months.index(first))
    picker.last.setCurrentIndex(picker.months.index(last))


def test_cost_allocation_shows_the_last_quarter_as_a_tree_with_totals(
    qtbot: Any, qtmodeltester: Any, department: Database, tmp_path: Path
) -> None:
    dialog = CostAllocationDialog(None, department, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.model
    qtmodeltester.check(model)
    assert dialog.period.first.currentText() == "Jul 2026"
    assert dialog.period.last.currentText() == "Sep 2026"
    top = [model.index(r, COL_NAME).data() for r in range(model.rowCount())]
    assert top == ["Imaging", "Medicine", "Total, all departments"]
    total = model.rowCount() - 1
    assert model.index(total, COL_USAGE).data() == "1,306.00"
    assert model.index(total, COL_SPEND).data() == "1,331.00"
    assert model.index(total, COL_CONSIGNMENT).data() == "800.00"
    imaging = model.index(0, 0)
    centre = model.index(0, 0, imaging)
    assert centre.data() == "Cost centre 4100"
    ct1 = model.index(0, 0, centre)
    assert ct1.data() == "CT1 — CT 1"
    assert model.index(0, COL_SPEND, centre).data() == "1,300.00"
    assert model.index(1, COL_UNPRICED, centre).data() == "1"  # CT2's gauze has no price
    coil = next(
        model.index(r, 0, ct1)
        for r in range(model.rowCount(ct1))
        if "COIL" in model.index(r, 0, ct1).data()
    )
    assert model.index(coil.row(), COL_CONSIGNMENT, ct1).data() == "800.00"
    assert "billed on use" in model.index(coil.row(), 0, ct1).data(3)  # tooltip
    assert "1 item without a price" in dialog.summary.text()

    dialog.department.setCurrentIndex(dialog.department.findText("Medicine"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Medicine",
        "Total, all departments",
    ]
    assert model.index(1, COL_USAGE).data() == "46.00"
    qtmodeltester.check(model)

    target = dialog.export(str(tmp_path / "medicine.xlsx"))
    assert target is not None
    rows = list(load_workbook(target)["Summary"].iter_rows(values_only=True))
    assert rows[1][:6] == ("Medicine", "(no cost centre)", "W3", "Ward 3", 46, 31)

    _choose(dialog, date(2026, 9, 1), date(2026, 7, 1))
    assert dialog.stack.currentWidget() is dialog.empty
    assert "after its first month" in dialog.empty.text()
    assert not dialog.export_button.isEnabled()
    assert model.rowCount(QModelIndex()) == 0
    dialog.grab().save(str(tmp_path / "costs.png"))


def test_consignment_usage_lists_print_and_export(
    qtbot: Any, qtmodeltester: Any, department: Database, tmp_path: Path, monkeypatch: Any
) -> None:
    dialog = ConsignmentUsageDialog(None, department, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    # Last month by default: October, when no coil was used.
    assert dialog.period.first.currentText() == "Oct 2026"
    assert dialog.stack.currentWidget() is dialog.empty
    assert dialog.empty.text() == "No consignment item was used in Oct 2026."
    assert not dialog.print_button.isEnabled()

    _choose(dialog, date(2026, 7, 1), date(2026, 9, 1))
    model = dialog.model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert [model.index(0, c).data() for c in range(model.columnCount())] == [
        "Owens & Minor", "CT1", "COIL", "OW-77", "Embolization coil", "EA", "10", "80.00", "800.00",
    ]  # fmt: skip
    assert "value <b>800.00</b>" in dialog.summary.text()
    assert dialog.vendor.findText("Owens & Minor") > 0

    made: list[Any] = []
    monkeypatch.setattr(costs_dialogs, "preview", lambda _parent, make, **kw: made.append(make))
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    document = made[0](PrintOptions())
    (page,) = texts(document.pdf)
    assert "CONSIGNMENT USAGE" in page and "COIL" in page and "800.00" in page

    target = dialog.export(str(tmp_path / "consignment.xlsx"))
    assert target is not None
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[1][3] == "COIL" and rows[1][-1] == 800

    dialog.vendor.setCurrentIndex(0)
    assert model.rowCount() == 1
    dialog.grab().save(str(tmp_path / "consignment.png"))


def test_items_table_marks_consignment_items(qtmodeltester: Any, department: Database) -> None:
    model = ItemTableModel()
    model.load(department, include_inactive=False)
    qtmodeltester.check(model)
    marks = {
        model.index(r, ItemTableModel.COL_CODE).data(): model.index(
            r, ItemTableModel.COL_CONSIGNMENT
        ).data()
        for r in range(model.rowCount())
    }
    assert marks == {"COIL": "Consignment", "GAUZE": "", "GLV": ""}
    assert items.find_item_by_code(department, code="COIL").consignment  # type: ignore[union-attr]


def test_review_page_and_file_menu_open_the_reports(window: MainWindow, monkeypatch: Any) -> None:
    opened: list[str] = []
    monkeypatch.setattr(costs_dialogs, "open_cost_allocation", lambda *_a: opened.append("costs"))
    monkeypatch.setattr(
        costs_dialogs, "open_consignment_usage", lambda *_a: opened.append("consignment")
    )
    actions = window.worksheets
    titles = [a.text() for a in actions.export_menu.actions()]
    assert "Cost &allocation…" in titles and "Co&nsignment usage…" in titles
    actions.export_costs_action.trigger()
    actions.export_consignment_action.trigger()
    assert opened == ["costs", "consignment"]
    window.show_page("Review")
    page = window.page("Review")
    page.costs_action.trigger()
    page.consignment_action.trigger()
    assert opened == ["costs", "consignment", "costs", "consignment"]
