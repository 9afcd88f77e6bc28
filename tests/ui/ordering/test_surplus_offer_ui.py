"""The proposal setting on the Proposal page: turned on by a manager, a line bought from a
supplier shows the surplus elsewhere, and Take from surplus approves it as a transfer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from parstudio.models import Order, OrderLine
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core import settings
from parstudio.ui.shell.main_window import MainWindow
from tests.services.ordering.test_rebalance import count


def _two_rooms(window: MainWindow) -> dict[str, int]:
    db = window.db
    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline"})
    ids = {
        code: locations.create_location(db, fields={"code": code, "name": code}).id
        for code in ("OR-2", "CT-1")
    }
    item = items.create_item(
        db,
        fields={
            "code": "SUT-3",
            "description": "Suture 3-0",
            "supplier_code": "MED",
            "pack_size": "2",
        },
    ).id
    for code in ("OR-2", "CT-1"):
        par_settings.create_par_setting(
            db, location_id=ids[code], item_id=item, fields={"par_level": "10"}
        )
    count(db, ids["OR-2"], item, 1, "16")
    count(db, ids["CT-1"], item, 1, "2")
    window.refresh_pages()
    return ids


def test_a_line_is_taken_from_the_surplus_elsewhere(qtbot: Any, window: MainWindow) -> None:
    ids = _two_rooms(window)
    window.show_page("Proposal")
    page = window.page("Proposal")
    assert not page.offer_box.isChecked() and page.offer_box.isEnabled()
    page.set_checked([ids["CT-1"]])
    page.offer_box.setChecked(True)  # saves the setting (and proposes once there is one)
    assert settings.offers_surplus(window.db)
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    (line,) = page.lines_model.rows()
    assert [o.source_code for o in line.offers] == ["OR-2"]
    page.lines_view.selectRow(0)
    assert "OR-2 has 6 EA above PAR" in page.detail.toPlainText()
    assert page.take_button.isEnabled() and page.take_button.text() == "Take from surplus…"

    page.take_from_surplus(line.offers[0])
    assert page.lines_model.packs_of(line) == 1  # 8 needed, 6 taken: 2 EA is 1 pack bought
    assert page.lines_model.cell_text(line, page.lines_model.COL_FROM) == "OR-2 + MED"
    assert "Taken from surplus" in page.detail.toPlainText()
    assert page.take_button.text() == "Buy it all instead"

    with qtbot.waitSignal(page.orders_created, timeout=20_000) as approved:
        page.approve(confirm=False)
    created = approved.args[0]
    assert {order.kind.value for order in created} == {"PURCHASE", "TRANSFER"}
    with window.db.reading() as session:
        rows = session.execute(
            select(Order.kind, Order.source_location_id, OrderLine.packs).join(
                OrderLine, OrderLine.order_id == Order.id
            )
        ).all()
    assert sorted(rows, key=lambda r: r[0]) == [
        ("PURCHASE", None, 1),
        ("TRANSFER", ids["OR-2"], 6),
    ]
