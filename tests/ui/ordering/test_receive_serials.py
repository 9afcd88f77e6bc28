"""Receiving a serial-tracked item: serials scanned or typed in the Receive dialog."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from parstudio.models import Receipt
from parstudio.services.ordering import orders
from parstudio.ui.ordering.orders_page import ReceiveDialog
from parstudio.ui.shell.main_window import MainWindow
from tests.services.billing.test_serials import GTIN, make_implants
from tests.services.counting.test_counting import gs1


def test_serials_scanned_or_typed_are_the_units_received(qtbot: Any, window: MainWindow) -> None:
    ids = make_implants(window.db)
    order = orders.get_order(window.db, order_id=ids["order"])
    dialog = ReceiveDialog(window, order)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert set(dialog.serial_boxes) == {ids["stem_line"]} and set(dialog.spins) == {
        ids["gauze_line"]
    }
    box = dialog.serial_boxes[ids["stem_line"]]
    box.text.setFocus()
    qtbot.keyClicks(box.text, "A1")
    qtbot.keyClick(box.text, Qt.Key.Key_Return)
    # A scanner reading the implant's GS1 label: the serial is AI 21.
    box.text.insertPlainText(gs1(GTIN, expiry="291231", lot="L7", serial="A2") + "\n")
    assert box.serials() == ["A1", "A2"]
    assert box.tally.text().startswith("2 serials = 2 EA (outstanding 3)")
    assert dialog.received() == {ids["stem_line"]: Decimal(2), ids["gauze_line"]: Decimal(10)}
    done = orders.receive_order(
        window.db,
        order_id=order.id,
        received_units=dialog.received(),
        serials=dialog.serials(),
    )
    assert done.status.value == "PARTIAL"
    with window.db.reading() as session:
        got = session.scalars(
            select(Receipt.serial).where(Receipt.item_id == ids["stem"]).order_by(Receipt.id)
        ).all()
    assert got == ["A1", "A2"]
    again = ReceiveDialog(window, orders.get_order(window.db, order_id=order.id))
    qtbot.addWidget(again)
    typed = again.serial_boxes[ids["stem_line"]].text
    qtbot.keyClicks(typed, "A9")
    qtbot.keyClick(typed, Qt.Key.Key_Return)
    qtbot.keyClicks(typed, "A9")
    assert "1 given twice" in again.serial_boxes[ids["stem_line"]].tally.text()
