"""The Rebalance page and the Stock across locations dialog, through their widgets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from parstudio.models import Order, OrderLine
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.ui.ordering.rebalance_page import RebalancePage
from parstudio.ui.ordering.stock_across import StockAcrossDialog
from parstudio.ui.shell.main_window import MainWindow
from tests.services.ordering.test_rebalance import count


@pytest.fixture
def dept(sqlite_db: Database) -> dict[str, int]:
    """OR-2 holds a lot it will not use in time; CT-1 is short and uses the item fast."""
    ids = {
        code: locations.create_location(sqlite_db, fields={"code": code, "name": code}).id
        for code in ("OR-2", "CT-1")
    }
    ids["item"] = items.create_item(
        sqlite_db, fields={"code": "SUT-3", "description": "Suture 3-0"}
    ).id
    for code, par, weekly in (("OR-2", "10", "0.7"), ("CT-1", "6", "7")):
        par_settings.create_par_setting(
            sqlite_db,
            location_id=ids[code],
            item_id=ids["item"],
            fields={"par_level": par, "weekly_usage": weekly},
        )
    count(sqlite_db, ids["OR-2"], ids["item"], 1, "13", lot=("L42", 10, "3"))
    count(sqlite_db, ids["CT-1"], ids["item"], 1, "2")
    return ids


def _page(window: MainWindow, qtbot: Any) -> RebalancePage:
    window.show_page("Rebalance")
    page = window.page("Rebalance")
    assert isinstance(page, RebalancePage)
    qtbot.waitUntil(lambda: not page.busy and page.result is not None, timeout=10_000)
    return page


def _edit(page: RebalancePage, row: int, text: str) -> bool:
    proxy = page.view.model()
    index = proxy.index(row, page.model.COL_QUANTITY)
    return bool(proxy.setData(index, text, Qt.ItemDataRole.EditRole))


def test_moves_are_shown_trimmed_and_accepted_as_transfers(
    window: MainWindow, qtbot: Any, dept: dict[str, int], sqlite_db: Database
) -> None:
    page = _page(window, qtbot)
    rows = page.model.rows()
    assert [(m.kind.value, m.source_code, m.destination_code, m.quantity) for m in rows] == [
        ("EXPIRING", "OR-2", "CT-1", 2),
        ("SURPLUS", "OR-2", "CT-1", 1),
    ]
    assert "would expire" in page.detail.toPlainText()
    assert "<b>2</b> moves suggested" in page.summary.text()

    # Never more than suggested, never negative, never text: refused where typed.
    for typed, words in (("3", "at most 2"), ("-1", "cannot be negative"), ("x", "not a")):
        assert not _edit(page, 0, typed)
        assert words in page.message.text()
        assert page.model.quantity_of(0) == 2
    assert _edit(page, 0, "1")
    assert page.model.quantity_of(0) == 1
    untick = page.view.model().index(1, page.model.COL_TAKE)
    page.view.model().setData(untick, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert "<b>1</b> ticked, 1 transfer" in page.summary.text()
    assert page.accept_button.isEnabled()

    with qtbot.waitSignal(page.transfers_created, timeout=10_000):
        page.accept(confirm=False, print_lists=False)  # off the UI thread
    with sqlite_db.reading() as session:
        order = session.scalars(select(Order)).one()
        line = session.scalars(select(OrderLine)).one()
    assert order.kind == "TRANSFER" and order.source_location_id == dept["OR-2"]
    assert (line.location_id, line.lot, line.packs, line.proposed_packs) == (
        dept["CT-1"],
        "L42",
        1,
        2,
    )
    assert line.overridden_by is not None
    # The page works the moves out again: both counts are stale now, nothing is left to move.
    qtbot.waitUntil(lambda: not page.busy and page.result is not None, timeout=10_000)
    assert page.model.rows() == []
    assert "No move is suggested" in page.summary.text()


def test_stock_across_locations_from_the_items_page(
    window: MainWindow, qtbot: Any, dept: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[StockAcrossDialog] = []
    monkeypatch.setattr(StockAcrossDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.show_page("Items")
    page = window.items_page
    page.refresh()  # the item was added after the window opened
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    page.view.selectRow(0)
    assert page.across_action.isEnabled()
    assert page.across_action in page.view.actions()  # on the table's context menu too
    page.across_action.trigger()
    assert len(shown) == 1
    dialog = shown[0]
    rows = {row.location_code: row for row in dialog.model.rows()}
    assert (rows["OR-2"].on_hand, rows["OR-2"].surplus) == (Decimal(13), Decimal(3))
    assert (rows["CT-1"].on_hand, rows["CT-1"].shortage) == (Decimal(2), Decimal(4))
    heading = dialog.findChild(QLabel, "stock_heading")
    assert heading is not None and "15 EA on hand at 2 of 2 locations" in heading.text()


def test_moves_among_the_ticked_locations_only(
    window: MainWindow, qtbot: Any, dept: dict[str, int]
) -> None:
    page = _page(window, qtbot)
    assert page.locations.text() == "All locations" and len(page.model.rows()) == 2
    assert [a.data() for a in page.locations.place_actions] == ["CT-1", "OR-2"]
    page.locations.choose(["OR-2"])  # one location alone: nothing to move to
    qtbot.waitUntil(lambda: not page.busy and page.result is not None, timeout=10_000)
    assert page.locations.text() == "OR-2" and page.model.rows() == []
    page.locations.choose(["OR-2", "CT-1"])
    qtbot.waitUntil(lambda: not page.busy and len(page.model.rows()) == 2, timeout=10_000)
    assert {m.destination_code for m in page.model.rows()} == {"CT-1"}
    page.locations.everywhere.trigger()
    qtbot.waitUntil(lambda: not page.busy and len(page.model.rows()) == 2, timeout=10_000)
    assert page.locations.text() == "All locations"
