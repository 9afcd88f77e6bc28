"""The Expiry page's recalled serials: where each unit is, recalling and its history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from parstudio.domain.roles import Role
from parstudio.services.ordering import orders
from parstudio.ui.expiry.serial_recall import AddSerialDialog
from parstudio.ui.shell.main_window import MainWindow
from tests.services.billing.department import NOV1, NOV10, local, open_case, use
from tests.services.billing.test_serials import make_implants
from tests.ui.expiry.test_expiry_page import open_expiry_page


def test_a_recalled_serial_shows_where_the_unit_is(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = window.db
    ids = make_implants(db)
    line = ids["stem_line"]
    orders.receive_order(
        db,
        order_id=ids["order"],
        received_units={line: Decimal(2)},
        serials={line: ["A1", "A2"]},
        received_at=local(NOV1, 9),
    )
    case = open_case(db, "ENC-55", ids["room"], procedure="Hip")
    use(db, case, ids["room"], ids["stem"], "1", serial="A1", day=NOV10)
    page = open_expiry_page(window)
    recalled = page.recalled_serials
    assert page.tabs.tabText(2) == "Recalled serials"
    assert recalled.body.currentWidget() is recalled.empty
    assert recalled.add_button.isEnabled()

    def answered(dialog: AddSerialDialog) -> int:
        dialog.item.setEditText("STEM")
        dialog.serial.setText("A1")
        dialog.reason.setText("FSN-9")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddSerialDialog, "exec", answered)
    assert recalled.add()
    assert recalled.add(item_code="STEM", serial="A2", reason="FSN-9")
    rows = recalled.model.rows()
    assert [(r.serial, r.status.where) for r in rows] == [
        ("A1", "Used on case ENC-55 at OR1"),
        ("A2", "Received at OR1"),
    ]
    recalled.view.selectRow(0)
    assert recalled.history_button.isEnabled() and recalled.remove_button.isEnabled()
    recalled.history()
    dialog = recalled.dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.view.history is not None, timeout=20_000)
    kinds = [e.kind.value for e in dialog.view.events.rows()]
    assert kinds == ["Received", "Used on a case", "Put on the recall list"]
    dialog.close()
    recalled.remove()
    assert [r.serial for r in recalled.model.rows()] == ["A2"]

    db.role = Role.CLERK
    recalled.refresh()
    assert not recalled.add_button.isEnabled()
    assert "Only a manager" in recalled.add_button.toolTip()
