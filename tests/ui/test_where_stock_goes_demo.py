"""Done when (#23): on the demo department a clerk records items to a case by scanning, the
billing office gets the charge file, the reconciliation shows the unbilled uses, and Rebalance
moves an expiring lot to a location that uses it before it expires, through a pick list."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from parstudio.demo.cases import CASE_DAYS, UNBILLED_KEYS
from parstudio.demo.department import build_demo
from parstudio.domain.charges import DayRange
from parstudio.domain.orders import OrderKind
from parstudio.domain.paper import PrintOptions
from parstudio.domain.rebalance import MoveKind
from parstudio.domain.reconciliation import GapStatus
from parstudio.domain.roles import Role
from parstudio.models import Barcode, Item, Order, OrderLine, Receipt, UseLine
from parstudio.services import cases
from parstudio.services.billing.charges import export_charges
from parstudio.services.billing.reconciliation import reconciliation
from parstudio.services.core.database import open_database
from parstudio.services.ordering import orders
from parstudio.services.ordering.printing import document_for_order
from parstudio.services.review import suggestions as review
from parstudio.ui.cases.page import CasesPage
from parstudio.ui.ordering.rebalance_page import RebalancePage
from parstudio.ui.shell.app import open_main_window
from tests.support.pdfs import texts
from tests.ui.counting.wedge import Wedge

# The demo's month ends today: the clerk's scans are made now, inside the charge period.
TODAY = date.today()
MONTH = DayRange(TODAY - timedelta(days=CASE_DAYS - 1), TODAY)


def test_where_stock_goes_on_the_demo_department(qtbot: Any, tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "demo.sqlite"))
    build_demo(db, today=TODAY)
    review.refresh_profiles(db, through=TODAY)  # usage learned, as the demo's first run does
    window = open_main_window(db)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()

    # A clerk at the IR suite scans the case label, then two billable items, with the scanner.
    db.role = Role.CLERK
    with db.reading() as session:
        sheath, code = session.execute(
            select(Barcode.code, Item.charge_code)
            .join(Item, Item.id == Barcode.item_id)
            .where(Item.code == "IRD-006")
        ).one()
    window.show_page("Cases")
    page = window.page("Cases")
    assert isinstance(page, CasesPage)
    screen = page.scanned_on_list("IR1")
    assert screen is not None
    wedge = Wedge()
    wedge.scan(screen.lines, "V4499999")
    wedge.scan(screen.lines, sheath)
    wedge.scan(screen.lines, sheath)
    case = cases.find_case(db, identifier="V4499999")
    assert case is not None and case.location_code == "IR1"
    recorded = cases.list_use_lines(db, case_id=case.id)
    assert [(line.item_code, line.quantity) for line in recorded] == [
        ("IRD-006", Decimal(1)),
        ("IRD-006", Decimal(1)),
    ]
    with db.reading() as session:
        assert session.scalar(select(UseLine.used_by).where(UseLine.case_id == case.id))

    # The billing office gets the charge file of the month: the new case is on it.
    db.role = Role.MANAGER
    charge_file = tmp_path / "charges.csv"
    export_charges(db, path=charge_file, period=MONTH)
    rows = list(csv.DictReader(charge_file.read_text(encoding="utf-8-sig").splitlines()))
    ours = [row for row in rows if row["Case"] == "V4499999"]
    assert [(row["Item Code"], row["Charge Code"], row["Quantity"]) for row in ours] == [
        ("IRD-006", code, "1"),
        ("IRD-006", code, "1"),
    ]
    assert len({row["Case"] for row in rows}) > 20  # the demo's month of cases

    # The reconciliation shows the uses the counts saw and nobody recorded to a case.
    gaps = reconciliation(db, period=MONTH, location_codes=["IR1"])
    unbilled = [line for line in gaps.lines if line.status is GapStatus.UNBILLED]
    assert len(unbilled) == UNBILLED_KEYS and gaps.unbilled_value > 0
    assert all(line.gap is not None and line.gap > 0 for line in unbilled)

    # Rebalance moves the crash cart's expiring lot to a room that uses it in time.
    window.show_page("Rebalance")
    rebalance = window.page("Rebalance")
    assert isinstance(rebalance, RebalancePage)
    qtbot.waitUntil(lambda: not rebalance.busy and rebalance.result is not None, timeout=20_000)
    move = next(m for m in rebalance.model.rows() if m.kind is MoveKind.EXPIRING)
    assert move.lot is not None and move.expiry is not None and move.expiry > TODAY
    assert "would expire" in move.explanation
    model = rebalance.model
    for row, other in enumerate(model.rows()):
        if other is not move:  # only the expiring lot is moved here
            untick = model.index(row, model.COL_TAKE)
            model.setData(untick, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.accepted() == [(move, move.quantity)]
    with qtbot.waitSignal(rebalance.transfers_created, timeout=20_000) as made:
        rebalance.accept(confirm=False, print_lists=False)
    (order,) = made.args[0]
    assert order.kind is OrderKind.TRANSFER and order.source_code == move.source_code

    # Its pick list names the lot to pick; sent, then received at the room that uses it.
    text = " ".join(texts(document_for_order(db, order_id=order.id, options=PrintOptions()).pdf))
    assert "PICK LIST" in text and f"lot {move.lot}" in text and move.destination_code in text
    orders.send_order(db, order_id=order.id)
    sent = orders.get_order(db, order_id=order.id)
    (line,) = sent.lines
    orders.receive_order(db, order_id=order.id, received_units={line.id: line.units})
    with db.reading() as session:
        receipt = session.scalars(
            select(Receipt).join(OrderLine, OrderLine.id == Receipt.order_line_id)
        ).one()
        moved = session.scalars(select(Order).where(Order.id == order.id)).one()
    assert (receipt.lot, receipt.expiry, receipt.quantity) == (move.lot, move.expiry, move.quantity)
    assert moved.status == "RECEIVED"
    window.close()
    db.close()
