"""The Expiry page: lots expiring soon with a FEFO hint (and thrown away), the recall search,
and the waste recorded lately."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import ParStudioError
from parstudio.domain.expiry import HORIZONS, ExpiringLot, RecallList
from parstudio.domain.replenishment import format_quantity as fq
from parstudio.services.catalog import locations
from parstudio.services.expiry import lots as expiry
from parstudio.ui.expiry.models import ExpiringModel, HoldingsModel
from parstudio.ui.expiry.serial_recall import RecalledSerials
from parstudio.ui.expiry.waste_dialog import WasteDraft, record_waste
from parstudio.ui.expiry.waste_list import WasteList
from parstudio.ui.kit.page import (
    PageHost,
    selected_record,
    sorted_table,
    table_or_empty,
)

EXPIRING_WIDTHS = (80, 90, 220, 90, 95, 120, 75, 95)  # "Use first" still whole at 1280 px
HOLDING_WIDTHS = (110, 260, 70, 95)


class ExpiryPage(QWidget):
    """Lots expiring within 30/60/90 days, where a lot of an item is, the recalled serials and
    where they are, and waste: a tab each."""

    def __init__(self, host: PageHost, *, today: date | None = None) -> None:
        super().__init__()
        self.host = host
        self.today = today
        self.recall: RecallList | None = None
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._expiring_tab(), "Expiring soon")
        self.tabs.addTab(self._recall_tab(), "Recall search")
        self.recalled_serials = RecalledSerials(host, self)
        self.tabs.addTab(self.recalled_serials, "Recalled serials")
        self.waste = WasteList(host, self, today=today)
        self.tabs.addTab(self.waste, "Waste")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    # -- building
    def _expiring_tab(self) -> QWidget:
        tab = QWidget(self)
        self.horizon = QComboBox(tab)
        self.horizon.setObjectName("horizon")
        for days in HORIZONS:
            self.horizon.addItem(f"{days} days", days)
        self.location = QComboBox(tab)
        self.location.setObjectName("expiry_location")
        self.location.setMinimumWidth(220)
        self.summary = QLabel(tab)
        self.summary.setObjectName("expiry_summary")
        top = QHBoxLayout()
        top.addWidget(QLabel("Lots expiring within", tab))
        top.addWidget(self.horizon)
        top.addWidget(QLabel("at", tab))
        top.addWidget(self.location)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)
        self.throw_away_button = QPushButton("Throw away…", tab)
        self.throw_away_button.setToolTip(
            "Record the selected lot as waste (expired, damaged or recalled), with its cost"
        )
        top.addWidget(self.throw_away_button)
        self.expiring = ExpiringModel(self)
        self.expiring_view = sorted_table(tab, self.expiring, EXPIRING_WIDTHS)
        self.expiring_view.setObjectName("expiring_table")
        self.throw_away_action = QAction("Throw away…", self.expiring_view)
        self.throw_away_action.setToolTip(self.throw_away_button.toolTip())
        self.expiring_view.addAction(self.throw_away_action)
        self.expiring_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.expiring_stack, self.expiring_empty = table_or_empty(tab, self.expiring_view)
        note = QLabel(
            "From the latest count of each item at each location: lots recorded on the count "
            "line, or scanned lot by lot, less what was thrown away since. Expired lots still on "
            "the shelf are listed first.",
            tab,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(self.expiring_stack, 1)
        layout.addWidget(note)
        self.horizon.currentIndexChanged.connect(self.reload)
        self.location.currentIndexChanged.connect(self.reload)
        self.throw_away_button.clicked.connect(self.throw_away)
        self.throw_away_action.triggered.connect(self.throw_away)
        self.expiring_view.selectionModel().currentChanged.connect(self._update_buttons)
        self.expiring.modelReset.connect(self._update_buttons)
        self._update_buttons()
        return tab

    def _recall_tab(self) -> QWidget:
        tab = QWidget(self)
        self.item_code = QLineEdit(tab)
        self.item_code.setObjectName("recall_item")
        self.item_code.setPlaceholderText("Item code, e.g. IOH-003")
        self.lot = QLineEdit(tab)
        self.lot.setObjectName("recall_lot")
        self.lot.setPlaceholderText("Lot number as printed on the pack")
        self.search_button = QPushButton("Search", tab)
        self.search_button.setDefault(True)
        self.print_button = QPushButton("Print recall list…", tab)
        self.print_button.setEnabled(False)
        self.add_recall_button = QPushButton("Add to the recall list…", tab)
        self.add_recall_button.setToolTip(
            "Put this lot on the recall list: a count then flags it as it is scanned"
        )
        self.add_recall_button.setEnabled(False)
        self.recall_error = QLabel(tab)
        self.recall_error.setObjectName("recall_error")
        self.recall_error.setStyleSheet("color: #b00020;")
        self.recall_error.setVisible(False)
        form = QFormLayout()
        form.addRow("Item", self.item_code)
        form.addRow("Lot", self.lot)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.add_recall_button)
        buttons.addStretch(1)
        self.recall_heading = QLabel(tab)
        self.recall_heading.setObjectName("recall_heading")
        self.recall_heading.setWordWrap(True)
        self.recall_heading.setTextFormat(Qt.TextFormat.RichText)
        self.holdings = HoldingsModel(self)
        self.holdings_view = sorted_table(tab, self.holdings, HOLDING_WIDTHS)
        self.holdings_view.setObjectName("holdings_table")
        self.holdings_stack, self.holdings_empty = table_or_empty(tab, self.holdings_view)
        self.holdings_empty.setText(
            "Give an item code and a lot number to see which locations hold the lot, by their "
            "latest counts and the receipts since."
        )
        self.holdings_stack.setCurrentWidget(self.holdings_empty)
        form_box = QWidget(tab)
        form_box.setMaximumWidth(520)
        form_layout = QVBoxLayout(form_box)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addLayout(form)
        form_layout.addWidget(self.recall_error)
        form_layout.addLayout(buttons)
        layout = QVBoxLayout(tab)
        layout.addWidget(form_box)
        layout.addWidget(self.recall_heading)
        layout.addWidget(self.holdings_stack, 1)
        self.search_button.clicked.connect(self.search)
        self.item_code.returnPressed.connect(self.search)
        self.lot.returnPressed.connect(self.search)
        self.print_button.clicked.connect(self.print_recall)
        self.add_recall_button.clicked.connect(self.add_to_recall_list)
        return tab

    # -- the page protocol
    def refresh(self) -> None:
        """Read the locations, the expiring list and the waste list again."""
        chosen = self.location.currentData()
        places = locations.list_locations(self.host.db)
        self.location.blockSignals(True)
        self.location.clear()
        self.location.addItem("All locations", None)
        for record in places:
            self.location.addItem(f"{record.code} — {record.name}", record.id)
        self.location.setCurrentIndex(max(self.location.findData(chosen), 0))
        self.location.blockSignals(False)
        self.waste.set_locations(places)
        self.reload()
        self.waste.reload()
        self.recalled_serials.refresh()

    def focus_search(self) -> None:
        """Ctrl+F: the recall search's item box."""
        self.tabs.setCurrentIndex(1)
        self.item_code.setFocus()

    # -- expiring soon
    def reload(self) -> None:
        """List the lots expiring within the chosen horizon at the chosen location."""
        days = int(self.horizon.currentData())
        try:
            rows = expiry.expiring_soon(
                self.host.db, days=days, location_id=self.location.currentData(), today=self.today
            )
        except ParStudioError as exc:
            self.host.report_error(exc)
            return
        self.expiring.set_rows(rows)
        self.summary.setText(self._summary(rows, days))
        self.expiring_stack.show_rows(
            bool(rows),
            f"No lot on hand expires within {days} days by the latest counts.\n"
            "Lots and expiry dates come from count lines and GS1 scans that carry them.",
        )

    def current_lot(self) -> ExpiringLot | None:
        """The expiring lot of the selected row."""
        return selected_record(self.expiring_view, ExpiringLot)

    def _update_buttons(self, *_args: Any) -> None:
        selected = self.current_lot() is not None
        self.throw_away_button.setEnabled(selected)
        self.throw_away_action.setEnabled(selected)

    def throw_away(self) -> None:
        """Record the selected lot (all of it, unless changed) as waste; the lists follow."""
        row = self.current_lot()
        if row is None:
            return
        lot = row.lot
        draft = WasteDraft(
            location_id=lot.location_id,
            item_id=lot.item_id,
            quantity=lot.quantity,
            lot=lot.lot,
            expiry=lot.expiry,
            on_hand=f"{fq(lot.quantity)} on hand, counted {lot.counted_on:%d %b %Y}",
        )
        record_waste(self, self.host, draft, today=self.today)

    @staticmethod
    def _summary(rows: list[ExpiringLot], days: int) -> str:
        expired = sum(1 for row in rows if row.expired)
        places = len({row.lot.location_id for row in rows})
        text = f"{len(rows)} lots within {days} days at {places} locations"
        return text + (f", {expired} already expired" if expired else "")

    # -- recall search
    def search(self) -> None:
        """Find the locations that hold the lot; a mistake is shown under the fields."""
        try:
            found = expiry.recall_search(
                self.host.db, item_code=self.item_code.text(), lot=self.lot.text(), today=self.today
            )
        except ParStudioError as exc:
            self.recall = None
            self.recall_error.setText(str(exc))
            self.recall_error.setVisible(True)
            self.holdings.set_rows([])
            self.recall_heading.clear()
            self.holdings_stack.show_rows(False)
            self.print_button.setEnabled(False)
            self.add_recall_button.setEnabled(False)
            return
        self.recall = found
        self.recall_error.setVisible(False)
        self.holdings.set_rows(found.holdings)
        status = (
            "<b style='color:#b00020'>on the recall list</b>"
            + (f" ({found.reason})" if found.reason else "")
            if found.on_recall_list
            else "not on the recall list"
        )
        self.recall_heading.setText(
            f"<b>{found.item_code}</b> {found.description} · lot <b>{found.lot}</b>, "
            f"{status}: {found.summary}."
        )
        self.holdings_stack.show_rows(
            bool(found.holdings),
            f"No location holds lot {found.lot} of {found.item_code} by the latest counts "
            "and the receipts since.",
        )
        self.print_button.setEnabled(True)
        self.add_recall_button.setEnabled(not found.on_recall_list)
        self.host.show_status(f"Lot {found.lot} of {found.item_code}: {found.summary}.")

    def add_to_recall_list(self) -> None:
        """Ask why, put the searched lot on the recall list, and show the search again."""
        recall = self.recall
        if recall is None or recall.on_recall_list:
            return
        reason, ok = QInputDialog.getText(
            self,
            "Add to the recall list",
            f"Why is lot {recall.lot} of {recall.item_code} recalled? (e.g. the supplier's "
            "recall notice number)",
        )
        if not ok:
            return
        try:
            expiry.add_to_recall_list(
                self.host.db, item_code=recall.item_code, lot=recall.lot, reason=reason
            )
        except ParStudioError as exc:
            self.recall_error.setText(str(exc))
            self.recall_error.setVisible(True)
            return
        self.search()
        self.host.show_status(f"Lot {recall.lot} of {recall.item_code} is on the recall list.")

    def print_recall(self) -> None:
        """Preview the recall list of the last search, to print or save."""
        recall = self.recall
        if recall is None:
            return
        from parstudio.services.ordering import printing
        from parstudio.ui.kit.print_preview import preview

        def make(options: Any) -> Any:
            return printing.recall_list_document(recall, options)

        preview(self, make, title=f"Recall list {recall.item_code} lot {recall.lot}")
