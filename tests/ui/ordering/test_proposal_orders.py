"""The Proposal and Orders screens, driven through their widgets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit
from sqlalchemy import func, select

from parstudio.domain.errors import CancelledError
from parstudio.domain.orders import OrderStatus
from parstudio.models import Order
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.counting import counts
from parstudio.services.ordering import orders
from parstudio.ui.ordering import approving
from parstudio.ui.ordering.models import ProposalTableModel
from parstudio.ui.shell.main_window import MainWindow


def _stock(window: MainWindow) -> dict[str, int]:
    db = window.db
    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline"})
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    syringe = items.create_item(
        db,
        fields={
            "code": "SYR-10",
            "description": "Syringe 10 mL",
            "pack_size": "10",
            "supplier_code": "MED",
            "pack_price": "4.50",
        },
    )
    gauze = items.create_item(
        db, fields={"code": "GAUZE", "description": "Gauze 4x4", "supplier_code": "MED"}
    )
    par_settings.create_par_setting(
        db, location_id=ct.id, item_id=syringe.id, fields={"bin": "A-01", "par_level": "24"}
    )
    par_settings.create_par_setting(
        db, location_id=ct.id, item_id=gauze.id, fields={"bin": "A-02", "par_level": "50"}
    )
    counts.record_count(db, location_id=ct.id, quantities={syringe.id: Decimal(8)})
    window.refresh_pages()
    return {"ct": ct.id}


def _propose(qtbot: Any, page: Any) -> None:
    """Press Propose and wait for the work off the UI thread to come back."""
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    assert page.busy and not page.propose_button.isEnabled()  # the working state
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)


def test_proposal_model_passes_the_model_tester(
    qtbot: Any, qtmodeltester: Any, window: MainWindow
) -> None:
    _stock(window)
    page = window.page("Proposal")
    page.set_checked([page.location_list.item(0).data(Qt.ItemDataRole.UserRole)])
    _propose(qtbot, page)
    qtmodeltester.check(page.lines_model)
    qtmodeltester.check(page.attention_model)
    qtmodeltester.check(page.ordered_model)


def test_propose_change_and_approve(qtbot: Any, window: MainWindow) -> None:
    ids = _stock(window)
    window.show_page("Proposal")
    page = window.page("Proposal")
    assert page.location_list.count() == 1
    page.set_checked([ids["ct"]])
    _propose(qtbot, page)
    model: ProposalTableModel = page.lines_model
    assert model.rowCount() == 1
    assert model.index(0, model.COL_PACKS).data() == "2"  # 24 − 8 = 16 → 2 packs of 10
    assert "PAR 24 − on hand 8 = 16 EA" in model.index(0, 11).data()
    assert page.attention_model.rowCount() == 1  # gauze has no count
    assert "missing a count" in page.summary.text()

    index = model.index(0, model.COL_PACKS)
    for typed in ("-3", "abc"):
        page.lines_view.setCurrentIndex(page.lines_view.model().index(0, model.COL_PACKS))
        page.lines_view.edit(page.lines_view.currentIndex())
        editor = page.lines_view.focusWidget()
        assert isinstance(editor, QLineEdit)
        editor.selectAll()
        qtbot.keyClicks(editor, typed)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.lines_view.state() != QAbstractItemView.State.EditingState)
        assert page.message.isVisible()
        assert f"SYR-10: “{typed}” is not a number of packs" in page.message.text()
        assert model.index(0, model.COL_PACKS).data() == "2"
        assert "changed by you" not in page.summary.text()
    assert model.index(0, model.COL_COST).data() == "9.00"
    assert model.setData(index, "5")
    assert "1 changed by you" in page.summary.text()
    assert model.index(0, model.COL_COST).data() == "22.50"  # the cost follows the packs
    assert "$22.50" in page.summary.text()

    with qtbot.waitSignal(page.orders_created, timeout=20_000) as approved:
        page.approve(confirm=False)
    created = approved.args[0]
    assert [o.number[:3] for o in created] == ["PO-"]
    line = orders.get_order(window.db, order_id=created[0].id).lines[0]
    assert (line.packs, line.proposed_packs) == (5, 2)
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert model.rowCount() == 0  # nothing proposed twice from the same count
    # Already ordered is information, apart from what needs a person (gauze's missing count).
    assert (page.attention_model.rowCount(), page.ordered_model.rowCount()) == (1, 1)
    assert page.tabs.tabText(2) == "Already ordered (1)"


def test_orders_page_send_and_receive(qtbot: Any, qtmodeltester: Any, window: MainWindow) -> None:
    ids = _stock(window)
    proposal = window.page("Proposal")
    proposal.set_checked([ids["ct"]])
    _propose(qtbot, proposal)
    with qtbot.waitSignal(proposal.orders_created, timeout=20_000) as approved:
        proposal.approve(confirm=False)
    [order] = approved.args[0]
    page = window.page("Orders")
    window.show_page("Orders")
    assert page.orders_model.rowCount() == 1
    page.select_row(0)
    assert page.lines_model.rowCount() == 1
    qtmodeltester.check(page.orders_model)
    qtmodeltester.check(page.lines_model)
    assert page.send_button.isEnabled()
    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
    assert orders.get_order(window.db, order_id=order.id).status is OrderStatus.SENT
    page.select_row(0)
    line_id = page.lines_model.rows()[0].id
    page.receive_selected(answers={line_id: Decimal(10)})
    assert orders.get_order(window.db, order_id=order.id).status is OrderStatus.PARTIAL
    page.select_row(0)
    page.receive_selected(answers={line_id: Decimal(10)})
    assert orders.get_order(window.db, order_id=order.id).status is OrderStatus.RECEIVED
    assert page.orders_model.rowCount() == 0  # open orders only


def test_orders_page_marks_a_rush_order(qtbot: Any, window: MainWindow) -> None:
    ids = _stock(window)
    proposal = window.page("Proposal")
    proposal.set_checked([ids["ct"]])
    _propose(qtbot, proposal)
    with qtbot.waitSignal(proposal.orders_created, timeout=20_000) as approved:
        proposal.approve(confirm=False)
    [order] = approved.args[0]
    page = window.page("Orders")
    window.show_page("Orders")
    assert not page.rush_button.isEnabled()  # nothing picked yet
    page.select_row(0)
    assert page.rush_button.isEnabled() and not page.rush_button.isChecked()
    rush_column = [c.label for c in page.orders_model.columns].index("Rush")
    assert page.orders_model.index(0, rush_column).data() == ""
    qtbot.mouseClick(page.rush_button, Qt.MouseButton.LeftButton)
    assert orders.get_order(window.db, order_id=order.id).rush
    assert page.orders_model.index(0, rush_column).data() == "Rush"
    page.select_row(0)
    assert page.rush_button.isChecked()
    qtbot.mouseClick(page.rush_button, Qt.MouseButton.LeftButton)
    assert not orders.get_order(window.db, order_id=order.id).rush


def test_a_clerk_sees_approve_greyed_out_with_who_may(qtbot: Any, window: MainWindow) -> None:
    from parstudio.domain.roles import Role

    ids = _stock(window)
    page = window.page("Proposal")
    page.set_checked([ids["ct"]])
    _propose(qtbot, page)
    assert page.approve_button.isEnabled()
    window.db.role = Role.CLERK
    _propose(qtbot, page)
    assert not page.approve_button.isEnabled()
    assert page.approve_button.toolTip().startswith("Only a manager can change orders")
    items_page = window.page("Items")
    items_page.refresh()
    assert not items_page.add_action.isEnabled()
    assert items_page.add_action.toolTip().startswith("Only a manager can change items")
    window.db.role = Role.MANAGER
    items_page.refresh()
    assert items_page.add_action.isEnabled() and items_page.add_action.toolTip() == "Add a new item"


def test_receiving_a_62_line_order_scrolls_and_keeps_ok_in_reach(
    qtbot: Any, window: MainWindow
) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QDialogButtonBox, QScrollArea

    from parstudio.services.ordering import proposals
    from parstudio.ui.ordering.orders_page import ReceiveDialog

    db = window.db
    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline"})
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    quantities = {}
    for n in range(62):
        item = items.create_item(
            db, fields={"code": f"SYR-{n:02d}", "description": "Syringe", "supplier_code": "MED"}
        )
        par_settings.create_par_setting(
            db, location_id=ct.id, item_id=item.id, fields={"par_level": "10"}
        )
        quantities[item.id] = Decimal(2)
    counts.record_count(db, location_id=ct.id, quantities=quantities)
    proposal = proposals.propose_orders(db, location_ids=[ct.id])
    lines = proposal.as_proposed()
    (order,) = orders.approve_lines(db, lines=lines)
    order = orders.send_order(db, order_id=order.id)
    dialog = ReceiveDialog(window, orders.get_order(db, order_id=order.id))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert len(dialog.spins) == 62
    screen = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height()
    assert dialog.findChild(QScrollArea) is not None
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None and buttons.isVisible()
    where = QRect(buttons.mapTo(dialog, buttons.rect().topLeft()), buttons.size())
    assert dialog.rect().contains(where)  # OK and Cancel in reach, not below the screen
    assert set(dialog.received().values()) == {Decimal(8)}


def _order_count(window: MainWindow) -> int:
    with window.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Order)) or 0)


def test_approving_runs_off_the_ui_thread_and_a_cancel_orders_nothing(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _stock(window)
    page = window.page("Proposal")
    page.set_checked([ids["ct"]])
    _propose(qtbot, page)
    real = orders.approve_lines

    def cancelled_once_written(db: Any, *, lines: Any, progress: Any) -> Any:
        def stop_at_the_end(done: int, total: int) -> None:
            progress(done, total)
            if done == total:  # every order written, the transaction not yet committed
                raise CancelledError()

        return real(db, lines=lines, progress=stop_at_the_end)

    monkeypatch.setattr(approving.orders, "approve_lines", cancelled_once_written)
    page.approve(confirm=False)
    assert page.busy and not page.approve_button.isEnabled()  # working, not waiting on it
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert page.message.text() == "Cancelled: nothing was ordered."
    assert _order_count(window) == 0
    assert page.approve_button.isEnabled()
    assert page.lines_model.rowCount() == 1  # the proposal as it was, to approve again

    monkeypatch.setattr(approving.orders, "approve_lines", real)
    # Another workstation orders the same line first: refused, said, nothing doubled.
    orders.approve_lines(window.db, lines=page.proposal.as_proposed())
    page.approve(confirm=False)
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert "already ordered" in page.message.text()
    assert _order_count(window) == 1
