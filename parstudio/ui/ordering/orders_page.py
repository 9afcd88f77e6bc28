"""The Orders screen: drafts to send, sent orders to receive (in part or in full)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QItemSelection, QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import ParStudioError
from parstudio.domain.orders import OrderKind, OrderRecord, OrderStatus
from parstudio.domain.paper import PrintedDocument, PrintOptions
from parstudio.domain.roles import Action
from parstudio.services.ordering import orders, printing
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.formatting import quantity
from parstudio.ui.kit.geometry import fit_and_remember, scrolling
from parstudio.ui.kit.page import PageHost
from parstudio.ui.kit.permissions import permit
from parstudio.ui.kit.print_preview import preview
from parstudio.ui.kit.table_models import RecordRole
from parstudio.ui.ordering.models import OrderLineTableModel, OrderTableModel
from parstudio.ui.ordering.proposal_page import sorted_view
from parstudio.ui.ordering.serials_box import SerialsBox

RUSH_TIP = "An order placed outside the delivery schedule; the quarterly review counts them"


class ReceiveDialog(QDialog):
    """Units received per line, starting at what is still outstanding."""

    def __init__(self, parent: QWidget, order: OrderRecord) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Receive {order.number}")
        self.spins: dict[int, QDoubleSpinBox] = {}
        self.serial_boxes: dict[int, SerialsBox] = {}
        lines = QWidget(self)
        form = QFormLayout(lines)
        for line in order.lines:
            if line.outstanding_units <= 0:
                continue
            if line.serial_tracked:
                # Implants and equipment: one serial per unit, the units are the serials.
                box = SerialsBox(self, line)
                self.serial_boxes[line.id] = box
                form.addRow(f"{line.item_code} → {line.location_code} (serials)", box)
                continue
            spin = QDoubleSpinBox(self)
            spin.setDecimals(0)
            spin.setRange(0, float(line.outstanding_units) * 10)
            spin.setValue(float(line.outstanding_units))
            spin.setSuffix(f" {line.unit}")
            self.spins[line.id] = spin
            lot = f", lot {line.lot}" if line.lot else ""
            form.addRow(
                f"{line.item_code} → {line.location_code}{lot} "
                f"(outstanding {quantity(line.outstanding_units)})",
                spin,
            )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Enter what arrived. Less than outstanding keeps the order open."))
        # A long order (or a 200-line transfer) scrolls; OK and Cancel stay in reach below it.
        layout.addWidget(scrolling(lines, self), 1)
        layout.addWidget(buttons)
        height = lines.sizeHint().height() + 120
        fit_and_remember(self, "receive", QSize(lines.sizeHint().width() + 60, height))

    def received(self) -> dict[int, Decimal]:
        """Units received by order line id (a serial-tracked line: its number of serials)."""
        units = {line_id: Decimal(int(spin.value())) for line_id, spin in self.spins.items()}
        for line_id, box in self.serial_boxes.items():
            units[line_id] = Decimal(len(box.serials()))
        return units

    def serials(self) -> dict[int, list[str]]:
        """The serials given, by order line id of the serial-tracked lines."""
        return {line_id: box.serials() for line_id, box in self.serial_boxes.items()}


class OrdersPage(QWidget):
    """Orders, newest first, with their lines and the actions their status allows."""

    def __init__(self, host: PageHost) -> None:
        super().__init__()
        self.host = host
        self.orders_model = OrderTableModel(self)
        self.lines_model = OrderLineTableModel(self)
        self.orders_view = sorted_view(self, self.orders_model)
        self.orders_view.setObjectName("orders")
        self.lines_view = sorted_view(self, self.lines_model)
        self.open_only = QCheckBox("Open orders only", self)
        self.open_only.setChecked(True)
        self.send_button = QPushButton("Mark sent", self)
        self.receive_button = QPushButton("Receive…", self)
        self.cancel_button = QPushButton("Cancel order", self)
        self.rush_button = QPushButton("Rush order", self)
        self.rush_button.setCheckable(True)
        self.rush_button.setToolTip(RUSH_TIP)
        self.print_button = QPushButton("Print…", self)
        self.print_button.setToolTip("Order sheet of a purchase order, pick list of a transfer")
        self.detail = QLabel("", self)

        bar = QHBoxLayout()
        bar.addWidget(self.open_only)
        bar.addStretch(1)
        for button in (
            self.print_button,
            self.rush_button,
            self.send_button,
            self.receive_button,
            self.cancel_button,
        ):
            bar.addWidget(button)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.orders_view)
        lines_box = QWidget(self)
        lines_layout = QVBoxLayout(lines_box)
        lines_layout.setContentsMargins(0, 0, 0, 0)
        lines_layout.addWidget(self.detail)
        lines_layout.addWidget(self.lines_view)
        splitter.addWidget(lines_box)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self.open_only.toggled.connect(self.refresh)
        self.orders_view.selectionModel().selectionChanged.connect(self._selected)
        self.send_button.clicked.connect(self.send_selected)
        self.receive_button.clicked.connect(self.receive_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.print_button.clicked.connect(self.print_selected)
        self.rush_button.clicked.connect(self.mark_rush)
        self._update_actions(None)

    def refresh(self, *_args: Any) -> None:
        """Read the orders again."""
        try:
            found = orders.list_orders(self.host.db, open_only=self.open_only.isChecked())
        except Exception as exc:
            self.host.report_error(exc)
            return
        self.orders_model.set_rows(found)
        self.lines_model.set_rows([])
        self._update_actions(None)

    def focus_search(self) -> None:
        """Focus the order list."""
        self.orders_view.setFocus()

    def selected_order(self) -> OrderRecord | None:
        """The order picked in the list, with its lines."""
        rows = self.orders_view.selectionModel().selectedRows()
        if not rows:
            return None
        header: OrderRecord = rows[0].data(RecordRole)
        return orders.get_order(self.host.db, order_id=header.id)

    def select_row(self, row: int) -> None:
        """Pick an order by its row (tests and keyboard users)."""
        self.orders_view.selectRow(row)

    def _selected(self, *_args: QItemSelection) -> None:
        try:
            order = self.selected_order()
        except Exception as exc:
            self.host.report_error(exc)
            return
        self.lines_model.set_rows(order.lines if order else [])
        if order:
            self.detail.setText(
                f"<b>{order.number}</b> · {order.kind.value.title()} · {order.source_name} · "
                f"{order.status.value.title()} · expected {order.expected_date or '—'}"
            )
        self._update_actions(order)

    def _update_actions(self, order: OrderRecord | None) -> None:
        status = order.status if order else None
        self.send_button.setEnabled(status is OrderStatus.DRAFT)
        self.receive_button.setEnabled(
            status in (OrderStatus.DRAFT, OrderStatus.SENT, OrderStatus.PARTIAL)
        )
        db = self.host.db
        cancellable = status in (OrderStatus.DRAFT, OrderStatus.SENT)
        permit(
            self.cancel_button,
            db,
            "purchase_order",
            Action.UPDATE,
            enabled=cancellable,
            columns={"status"},
            new_status=OrderStatus.CANCELLED.value,
        )
        self.print_button.setEnabled(order is not None)
        permit(
            self.rush_button,
            db,
            "purchase_order",
            Action.UPDATE,
            enabled=order is not None and status is not OrderStatus.CANCELLED,
            columns={"rush"},
            tip=RUSH_TIP,
        )
        self.rush_button.setChecked(bool(order and order.rush))
        if order is not None:
            paper = "Order sheet" if order.kind is OrderKind.PURCHASE else "Pick list"
            self.print_button.setText(f"Print {paper.lower()}…")
        else:
            self.print_button.setText("Print…")
        if order is None:
            self.detail.setText("Pick an order to see its lines.")

    def _after(self, order: OrderRecord, verb: str) -> None:
        self.host.show_status(f"{order.number} {verb}.")
        self.refresh()

    def print_selected(self) -> None:
        """Preview the selected order's paper: its order sheet, or its pick list."""
        rows = self.orders_view.selectionModel().selectedRows()
        if not rows:
            self.host.show_status("Pick an order to print its order sheet or pick list.")
            return
        header: OrderRecord = rows[0].data(RecordRole)

        def make(options: PrintOptions) -> PrintedDocument:
            return printing.document_for_order(self.host.db, order_id=header.id, options=options)

        preview(self, make, title=header.number)

    def mark_rush(self, rush: bool) -> None:
        """Mark the selected order as a rush order, or take the mark off."""
        order = self.selected_order()
        if order is None:
            return
        try:
            changed = orders.mark_rush(
                self.host.db, order_id=order.id, rush=rush, expected_version=order.version
            )
        except Exception as exc:
            self.rush_button.setChecked(order.rush)
            self.host.report_error(exc)
            return
        self._after(changed, "marked as a rush order" if rush else "no longer marked rush")

    def send_selected(self) -> None:
        """Mark the draft as sent."""
        order = self.selected_order()
        if order is None:
            return
        try:
            self._after(orders.send_order(self.host.db, order_id=order.id), "marked sent")
        except Exception as exc:
            self.host.report_error(exc)

    def receive_selected(
        self,
        *,
        answers: dict[int, Decimal] | None = None,
        serials: dict[int, list[str]] | None = None,
    ) -> None:
        """Record what arrived; ``answers`` (and ``serials``) skip the dialog (tests, scripted
        receipts)."""
        order = self.selected_order()
        if order is None:
            return
        if answers is not None:
            try:
                done = orders.receive_order(
                    self.host.db, order_id=order.id, received_units=answers, serials=serials
                )
            except Exception as exc:
                self.host.report_error(exc)
                return
        else:
            found = self._receive_in_dialog(order)
            if found is None:
                return
            done = found
        self._after(done, f"is now {done.status.value.lower()}")

    def _receive_in_dialog(self, order: OrderRecord) -> OrderRecord | None:
        """Ask what arrived until it is recorded or cancelled: a refused receipt (a serial
        received before, a serial missing) keeps what was typed, to correct it."""
        dialog = ReceiveDialog(self, order)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                return orders.receive_order(
                    self.host.db,
                    order_id=order.id,
                    received_units=dialog.received(),
                    serials=dialog.serials(),
                )
            except ParStudioError as exc:
                show_error(self, exc)
            except Exception as exc:
                self.host.report_error(exc)
                return None
        return None

    def cancel_selected(self, *, confirm: bool = True) -> None:
        """Cancel the order, after asking."""
        order = self.selected_order()
        if order is None:
            return
        if (
            confirm
            and QMessageBox.question(
                self, "Cancel order", f"Cancel {order.number}? Its lines can be proposed again."
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        try:
            self._after(orders.cancel_order(self.host.db, order_id=order.id), "cancelled")
        except Exception as exc:
            self.host.report_error(exc)
