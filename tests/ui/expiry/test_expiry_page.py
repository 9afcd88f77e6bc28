"""The Expiry page: the expiring list by horizon and location, and the recall search and print."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import Qt

from parstudio.services.catalog import items, locations
from parstudio.services.core.database import Database
from parstudio.services.counting import links as count_links
from parstudio.ui.expiry.page import ExpiryPage
from parstudio.ui.shell.main_window import MainWindow
from tests.services.expiry.test_expiry import TODAY, count, soon


@dataclass
class Ward:
    """The ids of the places and items stocked."""

    ct: int
    cart: int
    contrast: int
    saline: int


def stock(db: Database) -> Ward:
    """CT1 holds lots A1 (4, soon) and B7 (6, later) of contrast; the cart saline S1 (expired)."""
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"}).id
    cart = locations.create_location(db, fields={"code": "CART", "name": "Crash cart"}).id
    contrast = items.create_item(
        db,
        fields={
            "code": "IOH350",
            "description": "Iohexol 350",
            "unit": "BT",
            "pack_size": "10",
            "pack_price": "385.00",
        },
    ).id
    saline = items.create_item(db, fields={"code": "NACL", "description": "Saline 0.9 %"}).id
    count(
        db, ct, contrast, 2, 10, "B7", soon(80),
        scans=[("A1", soon(20), 4), ("B7", soon(80), 6)],
    )  # fmt: skip
    count(db, cart, saline, 1, 3, "S1", soon(-2))
    return Ward(ct, cart, contrast, saline)


@pytest.fixture
def page(window: MainWindow) -> ExpiryPage:
    db = window.db
    ward = stock(db)
    count(db, ward.cart, ward.contrast, 1, 2, "A1", soon(20))
    count_links.add_recall(db, item_id=ward.contrast, lot="A1", reason="Particles in vials")
    return open_expiry_page(window)


def open_expiry_page(window: MainWindow) -> ExpiryPage:
    """The Expiry page as of TODAY, on screen and read."""
    window.pages.pop("Expiry", None)
    window._factories["Expiry"] = lambda: ExpiryPage(window, today=TODAY)
    result: ExpiryPage = window.page("Expiry")
    window.show_page("Expiry")
    result.refresh()
    return result


def test_the_list_follows_the_horizon_and_location(page: ExpiryPage, qtmodeltester: Any) -> None:
    assert [(e.lot.location_code, e.lot.lot) for e in page.expiring.rows()] == [
        ("CART", "S1"),
        ("CART", "A1"),
        ("CT1", "A1"),
    ]
    assert page.summary.text() == "3 lots within 30 days at 2 locations, 1 already expired"
    proxy = page.expiring_view.model()
    assert proxy.index(0, 5).data() == "expired 2 d ago"
    assert proxy.index(2, 8).data() == "Use lot A1 first"
    assert proxy.index(0, 5).data(Qt.ItemDataRole.FontRole).bold()
    page.horizon.setCurrentIndex(page.horizon.findData(90))
    assert [e.lot.lot for e in page.expiring.rows()] == ["S1", "A1", "A1", "B7"]
    assert page.expiring.rows()[-1].hint == "Use after lot A1"
    page.location.setCurrentIndex(page.location.findText("CT1 — CT room 1"))
    assert [e.lot.lot for e in page.expiring.rows()] == ["A1", "B7"]
    qtmodeltester.check(page.expiring)


def test_nothing_expiring_says_so(page: ExpiryPage) -> None:
    page.location.setCurrentIndex(page.location.findText("CT1 — CT room 1"))
    page.horizon.setCurrentIndex(page.horizon.findData(30))
    assert page.expiring_stack.currentWidget() is page.expiring_view
    assert page.location.count() == 3  # all locations, CART and CT1
    page.today = TODAY.replace(year=TODAY.year - 1)  # a year earlier nothing is that close
    page.reload()
    assert page.expiring_stack.currentWidget() is page.expiring_empty
    assert "No lot on hand expires within 30 days" in page.expiring_empty.text()


def test_recall_search_lists_the_locations_and_prints(
    page: ExpiryPage, qtbot: Any, qtmodeltester: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.focus_search()
    assert page.tabs.currentIndex() == 1
    qtbot.keyClicks(page.item_code, "ioh350")
    qtbot.keyClicks(page.lot, "A1")
    qtbot.keyClick(page.lot, Qt.Key.Key_Return)
    assert [(h.location_code, h.quantity) for h in page.holdings.rows()] == [
        ("CART", 2),
        ("CT1", 4),
    ]
    assert "on the recall list" in page.recall_heading.text()
    assert "2 locations, 6 units in all" in page.recall_heading.text()
    assert page.print_button.isEnabled()
    qtmodeltester.check(page.holdings)
    made: list[Any] = []

    def fake_preview(_parent: Any, make: Any, **kwargs: Any) -> None:
        from parstudio.domain.paper import PrintOptions

        made.append(make(PrintOptions()))

    monkeypatch.setattr("parstudio.ui.kit.print_preview.preview", fake_preview)
    page.print_button.click()
    assert made and made[0].filename == "recall-IOH350-A1.pdf"
    from tests.support.pdfs import texts

    assert "Crash cart" in texts(made[0].pdf)[0]


def test_a_mistake_is_shown_next_to_the_fields(page: ExpiryPage, qtbot: Any) -> None:
    page.focus_search()
    qtbot.keyClicks(page.item_code, "NOPE")
    qtbot.keyClicks(page.lot, "A1")
    page.search_button.click()
    assert page.recall_error.isVisibleTo(page)
    assert "There is no item with the code NOPE" in page.recall_error.text()
    assert not page.print_button.isEnabled()


def test_a_searched_lot_is_added_to_the_recall_list(
    page: ExpiryPage, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.focus_search()
    qtbot.keyClicks(page.item_code, "IOH350")
    qtbot.keyClicks(page.lot, "B7")
    page.search_button.click()
    assert "not on the recall list" in page.recall_heading.text()
    assert page.add_recall_button.isEnabled()
    monkeypatch.setattr(
        "parstudio.ui.expiry.page.QInputDialog.getText",
        lambda *_args, **_kw: ("Supplier notice R-118", True),
    )
    page.add_recall_button.click()
    heading = page.recall_heading.text()
    assert "on the recall list" in heading and "Supplier notice R-118" in heading
    assert "not on the recall list" not in heading
    assert not page.add_recall_button.isEnabled()
    # Cancelling the question adds nothing.
    page.lot.setText("ZZ9")
    page.search_button.click()
    monkeypatch.setattr(
        "parstudio.ui.expiry.page.QInputDialog.getText", lambda *_args, **_kw: ("", False)
    )
    page.add_recall_button.click()
    assert "not on the recall list" in page.recall_heading.text()
