"""Recording waste through the real widgets: from an expiring lot, from a PAR setting, the list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel

from parstudio.domain.roles import Role
from parstudio.domain.waste import WasteReason
from parstudio.services.admin import users
from parstudio.services.core.database import Database
from parstudio.services.expiry import waste
from parstudio.ui.catalog.par_page import ParSettingsPage
from parstudio.ui.expiry.page import ExpiryPage
from parstudio.ui.expiry.waste_dialog import WasteDialog
from parstudio.ui.shell.main_window import MainWindow
from tests.services.expiry.test_expiry import at, soon
from tests.ui.expiry.test_expiry_page import Ward, open_expiry_page, stock

PASSWORD = "correct horse"
Fill = Callable[[WasteDialog], bool]


@pytest.fixture
def ward(window: MainWindow) -> Ward:
    return stock(window.db)


@pytest.fixture
def page(window: MainWindow, ward: Ward) -> ExpiryPage:
    return open_expiry_page(window)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Fill]:
    """Each dialog opened is handed to the next function queued, as if the user filled it in."""
    queued: list[Fill] = []

    def exec_(dialog: WasteDialog) -> int:
        dialog.show()
        if queued.pop(0)(dialog):
            dialog.ok_button.click()
        else:
            dialog.reject()
        return int(dialog.result())

    monkeypatch.setattr(WasteDialog, "exec", exec_)
    return queued


def lots(page: ExpiryPage) -> list[tuple[str, str | None, Decimal]]:
    return [(e.lot.location_code, e.lot.lot, e.lot.quantity) for e in page.expiring.rows()]


def select_lot(page: ExpiryPage, location_code: str, lot: str) -> None:
    row = next(
        r
        for r, e in enumerate(page.expiring.rows())
        if (e.lot.location_code, e.lot.lot) == (location_code, lot)
    )
    page.expiring_view.selectRow(row)


def test_a_lot_thrown_away_leaves_the_list_and_undo_puts_it_back(
    page: ExpiryPage, window: MainWindow, qtbot: Any, dialogs: list[Fill]
) -> None:
    assert not page.throw_away_button.isEnabled()
    assert lots(page) == [("CART", "S1", 3), ("CT1", "A1", 4)]
    select_lot(page, "CT1", "A1")
    assert page.throw_away_button.isEnabled()
    seen: dict[str, Any] = {}

    def three_of_four(dialog: WasteDialog) -> bool:
        seen.update(
            place=dialog.findChild(QLabel, "waste_location").text(),
            quantity=dialog.quantity.text(),
            reason=dialog.reason.currentData(),
            lot=dialog.lot.text(),
            expiry=dialog.expiry_date(),
            cost=dialog.cost.text(),
        )
        dialog.quantity.clear()
        qtbot.keyClicks(dialog.quantity, "5")
        seen["more than on hand"] = dialog.on_hand.toolTip()
        dialog.quantity.clear()
        qtbot.keyClicks(dialog.quantity, "3")
        seen["cost after"] = dialog.cost.text()
        seen["on hand"] = (dialog.on_hand.text(), dialog.on_hand.toolTip())
        qtbot.keyClicks(dialog.note, "vials cracked")
        return True

    dialogs.append(three_of_four)
    page.throw_away_button.click()
    assert seen == {
        "place": "<b>CT1</b> — CT room 1",
        "quantity": "4",
        "reason": WasteReason.EXPIRED,  # 20 days from its expiry
        "lot": "A1",
        "expiry": soon(20),
        "cost": "<b>154.00</b> (4 BT × 38.50 each)",
        "cost after": "<b>115.50</b> (3 BT × 38.50 each)",
        "more than on hand": (
            "More than the count says is there: check the quantity, or count again"
        ),
        "on hand": ("4 on hand, counted 21 Nov 2026", ""),
    }
    (recorded,) = waste.list_waste(window.db)
    assert (recorded.quantity, recorded.reason, recorded.lot, recorded.expiry) == (
        3,
        WasteReason.EXPIRED,
        "A1",
        soon(20),
    )
    assert (recorded.cost, recorded.note) == (Decimal("115.50"), "vials cracked")
    assert lots(page) == [("CART", "S1", 3), ("CT1", "A1", 1)]
    assert [w.id for w in page.waste.model.rows()] == [recorded.id]
    assert window.undo_stack.undoText() == "Record waste of 3 IOH350 at CT1"
    assert window.statusBar().currentMessage() == "Recorded waste of 3 IOH350 at CT1 (115.50)."

    window.undo_stack.undo()
    assert waste.list_waste(window.db) == []
    assert lots(page) == [("CART", "S1", 3), ("CT1", "A1", 4)]
    assert page.waste.model.rows() == []
    window.undo_stack.redo()
    (again,) = waste.list_waste(window.db)
    assert (again.recorded_at, again.cost) == (recorded.recorded_at, recorded.cost)
    assert lots(page) == [("CART", "S1", 3), ("CT1", "A1", 1)]

    # All of an expired lot, from the row's menu: it leaves the list.
    select_lot(page, "CART", "S1")
    dialogs.append(lambda dialog: dialog.quantity.text() == "3")
    page.throw_away_action.trigger()
    assert lots(page) == [("CT1", "A1", 1)]
    assert waste.list_waste(window.db)[0].cost is None  # saline has no price


def test_a_bad_quantity_is_shown_next_to_it_and_nothing_is_recorded(
    page: ExpiryPage, window: MainWindow, qtbot: Any, dialogs: list[Fill]
) -> None:
    select_lot(page, "CT1", "A1")
    messages: list[str] = []

    def mistakes(dialog: WasteDialog) -> bool:
        for typed in ("0", ""):
            dialog.quantity.clear()
            qtbot.keyClicks(dialog.quantity, typed)
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            assert dialog.isVisible() and dialog.recorded is None
            messages.append(dialog.error_text("quantity"))
        assert dialog.error_text("general") == ""
        return False  # then cancelled

    dialogs.append(mistakes)
    page.throw_away()
    assert messages == [
        "The quantity thrown away must be more than 0.",
        "Give the quantity thrown away.",
    ]
    assert waste.list_waste(window.db) == []
    assert window.undo_stack.count() == 0
    assert lots(page) == [("CART", "S1", 3), ("CT1", "A1", 4)]


def test_waste_of_a_par_setting_has_no_lot_unless_given(
    window: MainWindow, ward: Ward, qtbot: Any, dialogs: list[Fill]
) -> None:
    grid: ParSettingsPage = window.page("PAR Settings")
    window.show_page("PAR Settings")
    grid.refresh()
    grid.select_location(ward.ct)
    grid.view.setCurrentIndex(grid.proxy.index(0, 0))
    assert grid.waste_action in grid.view.actions()
    seen: dict[str, Any] = {}

    def recalled(dialog: WasteDialog) -> bool:
        seen.update(
            title=dialog.windowTitle(),
            quantity=dialog.quantity.text(),
            reason=dialog.reason.currentData(),
            lot=dialog.lot.text(),
            expiry=dialog.expiry_date(),
        )
        qtbot.keyClicks(dialog.quantity, "2")
        dialog.reason.setCurrentIndex(dialog.reason.findText("Recalled"))
        qtbot.keyClicks(dialog.lot, "R9")
        dialog.no_expiry.setChecked(False)
        dialog.expiry.setDate(QDate(2027, 3, 31))
        return True

    dialogs.append(recalled)
    grid.waste_action.trigger()
    assert seen == {
        "title": "Record waste — IOH350 at CT1",
        "quantity": "",
        "reason": WasteReason.DAMAGED,
        "lot": "",
        "expiry": None,
    }
    (recorded,) = waste.list_waste(window.db)
    assert (recorded.location_code, recorded.quantity, recorded.reason) == (
        "CT1",
        2,
        WasteReason.RECALLED,
    )
    assert (recorded.lot, recorded.expiry) == ("R9", datetime(2027, 3, 31).date())
    assert window.undo_stack.undoText() == "Record waste of 2 IOH350 at CT1"
    # The Expiry page, opened later, lists it.
    page = open_expiry_page(window)
    assert [w.lot for w in page.waste.model.rows()] == ["R9"]


def test_the_waste_list_totals_by_period_and_removes_undoably(
    page: ExpiryPage, window: MainWindow, ward: Ward, qtmodeltester: Any
) -> None:
    db = window.db

    def thrown(location: int, item: int, quantity: int, reason: str, days_ago: int) -> None:
        waste.record_waste(db, location_id=location, item_id=item, quantity=quantity,
                           reason=reason, at=at(days_ago, 10))  # fmt: skip

    thrown(ward.ct, ward.contrast, 2, "EXPIRED", 3)  # 77.00
    thrown(ward.ct, ward.contrast, 1, "DAMAGED", 20)  # 38.50
    thrown(ward.cart, ward.saline, 5, "EXPIRED", 25)  # no price
    thrown(ward.ct, ward.contrast, 4, "RECALLED", 200)  # 154.00
    page.refresh()
    waste_list = page.waste
    qtmodeltester.check(waste_list.model)
    assert waste_list.summary.text() == (
        "3 records in the last 30 days, 115.50 in all: Expired 77.00 · Damaged or opened 38.50 "
        "(1 without a price, not in the total)"
    )
    view = waste_list.view.model()
    assert [view.index(0, c).data() for c in (1, 2, 6, 7, 8)] == [
        "CT1", "IOH350", "2 BT", "Expired", "77.00",
    ]  # fmt: skip
    assert view.index(2, 8).data() == "no price"
    waste_list.period.setCurrentIndex(waste_list.period.findData(365))
    assert len(waste_list.model.rows()) == 4
    assert "269.50 in all" in waste_list.summary.text()
    waste_list.location.setCurrentIndex(waste_list.location.findData(ward.cart))
    assert [w.location_code for w in waste_list.model.rows()] == ["CART"]
    waste_list.location.setCurrentIndex(0)

    waste_list.view.selectRow(1)
    assert waste_list.remove_button.isEnabled()
    removed = waste_list.current_record()
    assert removed is not None and removed.reason is WasteReason.DAMAGED
    waste_list.remove_button.click()
    assert removed.id not in [w.id for w in waste.list_waste(db)]
    assert len(waste_list.model.rows()) == 3
    assert window.undo_stack.undoText() == "Remove waste of 1 IOH350 at CT1"
    window.undo_stack.undo()
    back = [w for w in waste.list_waste(db) if w.reason is WasteReason.DAMAGED]
    assert [(w.recorded_at, w.cost) for w in back] == [(removed.recorded_at, removed.cost)]
    assert len(waste_list.model.rows()) == 4


def test_undo_takes_out_a_record_put_back_after_a_remove(
    page: ExpiryPage, window: MainWindow, ward: Ward, dialogs: list[Fill]
) -> None:
    # Recorded, then removed from the list: undoing both leaves nothing, though putting the
    # record back may have given it a new id.
    select_lot(page, "CT1", "A1")
    dialogs.append(lambda _dialog: True)
    page.throw_away()
    page.tabs.setCurrentWidget(page.waste)
    page.waste.view.selectRow(0)
    page.waste.remove_action.trigger()
    assert waste.list_waste(window.db) == []
    waste.record_waste(window.db, location_id=ward.cart, item_id=ward.saline, quantity=1,
                       reason="OTHER", at=datetime.now(UTC) - timedelta(hours=1))  # fmt: skip
    window.undo_stack.undo()  # the remove: the record is back
    assert sorted(w.quantity for w in waste.list_waste(window.db)) == [1, 4]
    window.undo_stack.undo()  # the recording: it goes again
    assert [w.quantity for w in waste.list_waste(window.db)] == [1]
    assert window.undo_stack.index() == 0


def test_a_viewer_is_told_they_cannot_record_waste(
    qtbot: Any, sqlite_db: Database, dialogs: list[Fill]
) -> None:
    ward = stock(sqlite_db)
    waste.record_waste(sqlite_db, location_id=ward.cart, item_id=ward.saline, quantity=1,
                       reason="DAMAGED")  # fmt: skip
    users.create_user(sqlite_db, login="anna", display_name="Anna", role=Role.MANAGER,
                      password=PASSWORD)  # fmt: skip
    users.create_user(sqlite_db, login="vera", display_name="Vera", role=Role.VIEWER,
                      password=PASSWORD)  # fmt: skip
    sqlite_db.sign_in("vera", PASSWORD)
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.show()
    page = open_expiry_page(window)
    select_lot(page, "CT1", "A1")
    told: list[str] = []

    def refused(dialog: WasteDialog) -> bool:
        told.append(dialog.error_text("general"))
        assert not dialog.ok_button.isEnabled()
        dialog.try_record()  # the service refuses too, and says the same
        told.append(dialog.error_text("general"))
        return False

    dialogs.append(refused)
    page.throw_away()
    message = "You are signed in as a viewer, who can look but not change waste."
    assert told == [message, message]
    page.waste.view.selectRow(0)
    page.waste.remove_button.click()
    assert window.statusBar().currentMessage() == message
    assert len(waste.list_waste(sqlite_db)) == 1
    assert window.undo_stack.count() == 0
