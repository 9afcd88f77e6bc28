"""The Stock across locations dialog: one item at every location that carries it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from parstudio.domain.stock_across import StockAcross
from parstudio.services.ordering.across import stock_across_locations
from parstudio.ui.kit.formatting import quantity
from parstudio.ui.kit.geometry import fit_and_remember
from parstudio.ui.kit.page import PageHost, sorted_table
from parstudio.ui.ordering.rebalance_models import StockAcrossModel

NOTE = (
    "On hand is the latest finished count at each location; “—” when that count was not an "
    "ON HAND count (an order quantity, an empty bin) or there is none. Surplus is what lies "
    "above the PAR (the Max of a MIN/MAX line), shortage what is missing below it. A location "
    "being counted, or whose stock moved since its count, is noted: Rebalance leaves it alone."
)


class StockAcrossDialog(QDialog):
    """The item's stock at every location, from the latest counts, beside PAR."""

    def __init__(self, parent: QWidget, stock: StockAcross) -> None:
        super().__init__(parent)
        self.stock = stock
        self.setWindowTitle(f"Stock across locations — {stock.item_code}")
        heading = QLabel(self)
        heading.setObjectName("stock_heading")
        counted = sum(1 for row in stock.rows if row.on_hand is not None)
        heading.setText(
            f"<b>{escape(stock.item_code)}</b> — {escape(stock.description)}<br>"
            f"{quantity(stock.on_hand)} {escape(stock.unit)} on hand at {counted} of "
            f"{len(stock.rows)} locations carrying it"
        )
        self.model = StockAcrossModel(self)
        self.model.set_rows(stock.rows)
        widths = [column.width for column in self.model.columns]
        self.view = sorted_table(self, self.model, widths)
        self.view.setObjectName("stock_across")
        note = QLabel(NOTE, self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        if not stock.rows:
            note.setText("No active location carries this item.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        fit_and_remember(self, "stock-across", QSize(1180, 480))


def show_stock_across(parent: QWidget, host: PageHost, item_id: int) -> None:
    """Open the dialog for an item (errors reading it shown as the app shows them)."""
    try:
        stock = stock_across_locations(host.db, item_id=item_id)
    except Exception as exc:
        host.report_error(exc)
        return
    StockAcrossDialog(parent, stock).exec()
