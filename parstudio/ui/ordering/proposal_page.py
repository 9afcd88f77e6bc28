"""The Proposal screen: what to order from the latest counts, reviewed and approved by a person."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.money import Currency
from parstudio.domain.orders import Proposal
from parstudio.domain.progress import Progress
from parstudio.domain.rebalance import SurplusOffer
from parstudio.services.catalog import locations
from parstudio.services.core import settings
from parstudio.services.ordering import proposals
from parstudio.ui.kit.background import Receiver, Task
from parstudio.ui.kit.page import PageHost, make_table
from parstudio.ui.kit.permissions import permit
from parstudio.ui.kit.table_models import ColumnTableModel, RecordRole, SortRole
from parstudio.ui.ordering.approving import approve_in_background, lines_to_order
from parstudio.ui.ordering.models import AttentionTableModel, ProposalTableModel
from parstudio.ui.ordering.surplus_switch import (
    choose_offer,
    offer_checkbox,
    save_setting,
    show_setting,
    switch_note,
)


def sorted_view(parent: QWidget, model: ColumnTableModel) -> QTableView:
    """A house-style table over a model, sortable by its sort role, with starting widths."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    view = make_table(parent)
    view.setModel(proxy)
    for column, spec in enumerate(model.columns):
        view.setColumnWidth(column, spec.width)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ProposalPage(QWidget):
    """Pick locations, propose, change quantities, approve into orders."""

    orders_created = Signal(list)

    def __init__(self, host: PageHost) -> None:
        super().__init__()
        self.host = host
        self.proposal: Proposal | None = None
        self.currency = Currency()
        self.task: Task | None = None
        self.approving: Task | None = None

        self.location_list = QListWidget(self)
        self.location_list.setObjectName("proposal_locations")
        self.location_list.setMaximumWidth(260)
        self.due_button = QPushButton("Due today", self)
        self.all_button = QPushButton("All", self)
        self.none_button = QPushButton("None", self)
        self.propose_button = QPushButton("Propose", self)
        self.propose_button.setDefault(True)
        self.approve_button = QPushButton("Approve and create orders", self)
        self.approve_button.setEnabled(False)
        self.take_button = QPushButton("Take from surplus…", self)
        self.take_button.setToolTip("Move the line from another location's surplus instead")
        self.take_button.setEnabled(False)
        self.offer_box = offer_checkbox(self)
        self.summary = QLabel("Choose locations and press Propose.", self)
        self.summary.setObjectName("proposal_summary")
        self.message = QLabel("", self)
        self.message.setObjectName("proposal_message")
        self.message.setStyleSheet("color: #a01818;")
        self.message.setWordWrap(True)
        # The working state: proposing a large department takes seconds, off the UI thread.
        self.working = QProgressBar(self)
        self.working.setObjectName("proposal_working")
        self.working.setMaximumWidth(220)
        self.working.setTextVisible(False)
        self.working.hide()

        self.lines_model = ProposalTableModel(self)
        self.attention_model = AttentionTableModel(self)
        self.ordered_model = AttentionTableModel(self)
        self.lines_view = sorted_view(self, self.lines_model)
        self.attention_view = sorted_view(self, self.attention_model)
        self.ordered_view = sorted_view(self, self.ordered_model)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.lines_view, "To order")
        self.tabs.addTab(self.attention_view, "Needs attention")
        self.tabs.addTab(self.ordered_view, "Already ordered")
        self.tab_views = (self.lines_view, self.attention_view, self.ordered_view)
        # The Explanation column is off-screen on a laptop: the selected line's is shown here.
        self.detail = QTextBrowser(self)
        self.detail.setObjectName("proposal_detail")
        self.detail.setPlaceholderText("Select a line to see how its quantity was worked out.")
        self.detail.setMinimumHeight(70)
        self.lines_view.selectionModel().currentRowChanged.connect(
            lambda *_a: self.show_detail(self.lines_view)
        )
        self.attention_view.selectionModel().currentRowChanged.connect(
            lambda *_a: self.show_detail(self.attention_view)
        )
        self.tabs.currentChanged.connect(lambda i: self.show_detail(self.tab_views[i]))
        self.ordered_view.selectionModel().currentRowChanged.connect(
            lambda *_a: self.show_detail(self.ordered_view)
        )

        picker = QWidget(self)
        picker_layout = QVBoxLayout(picker)
        picker_layout.setContentsMargins(0, 0, 0, 0)
        picker_layout.addWidget(QLabel("<b>Locations</b>", picker))
        picker_layout.addWidget(self.location_list, 1)
        quick = QHBoxLayout()
        for button in (self.due_button, self.all_button, self.none_button):
            quick.addWidget(button)
        picker_layout.addLayout(quick)
        picker_layout.addWidget(self.propose_button)
        picker_layout.addWidget(self.offer_box)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(self.summary, 1)
        header.addWidget(self.working)
        header.addWidget(self.take_button)
        header.addWidget(self.approve_button)
        right_layout.addLayout(header)
        right_layout.addWidget(self.message)
        lines_and_detail = QSplitter(Qt.Orientation.Vertical, right)
        lines_and_detail.addWidget(self.tabs)
        lines_and_detail.addWidget(self.detail)
        lines_and_detail.setStretchFactor(0, 1)
        lines_and_detail.setSizes([520, 130])
        right_layout.addWidget(lines_and_detail, 1)

        splitter = QSplitter(self)
        splitter.addWidget(picker)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.due_button.clicked.connect(self.check_due_today)
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button.clicked.connect(lambda: self._check_all(False))
        self.propose_button.clicked.connect(self.propose)
        self.approve_button.clicked.connect(self.approve)
        self.take_button.clicked.connect(lambda: self.take_from_surplus())
        self.offer_box.toggled.connect(self._offer_toggled)
        self.lines_model.dataChanged.connect(self._update_summary)
        self.lines_model.edit_refused.connect(self._refused)
        for model in (self.lines_model, self.attention_model):
            model.dataChanged.connect(lambda *_a: self._show_current_detail())
            model.modelReset.connect(self._show_current_detail)

    # -- page protocol
    def refresh(self) -> None:
        """Reload the location list, keeping what was ticked."""
        ticked = set(self.checked_location_ids())
        self.location_list.clear()
        try:
            found = locations.list_locations(self.host.db)
        except Exception as exc:  # shown the house way; the page stays usable
            self.host.report_error(exc)
            return
        for location in found:
            if location.setting_count == 0:
                continue
            entry = QListWidgetItem(f"{location.code} — {location.name}", self.location_list)
            entry.setData(Qt.ItemDataRole.UserRole, location.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(
                Qt.CheckState.Checked if location.id in ticked else Qt.CheckState.Unchecked
            )

        show_setting(self.offer_box, self.host)

    def _offer_toggled(self, on: bool) -> None:
        if save_setting(self.offer_box, self.host, on) and self.proposal is not None:
            self.propose()

    def take_from_surplus(self, offer: SurplusOffer | None = None) -> None:
        """Switch the current line to another location's surplus (asked which), or back."""
        index = self.lines_view.currentIndex()
        line = index.data(RecordRole) if index.isValid() else None
        if line is None or not line.offers:
            self.host.show_status("Select a line with surplus elsewhere first.")
            return
        if line.setting_id in self.lines_model.switches:
            self.lines_model.switch(line, None)
        else:
            chosen = offer or choose_offer(self, line)
            if chosen is None:
                return
            self.lines_model.switch(line, chosen)
        self._update_summary()
        self._show_current_detail()

    def focus_search(self) -> None:
        """Nothing to search here: focus the location list."""
        self.location_list.setFocus()

    # -- locations
    def checked_location_ids(self) -> list[int]:
        """The ticked locations."""
        return [
            int(self.location_list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.location_list.count())
            if self.location_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, location_ids: list[int]) -> None:
        """Tick exactly these locations."""
        wanted = set(location_ids)
        for row in range(self.location_list.count()):
            entry = self.location_list.item(row)
            state = entry.data(Qt.ItemDataRole.UserRole) in wanted
            entry.setCheckState(Qt.CheckState.Checked if state else Qt.CheckState.Unchecked)

    def _check_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for row in range(self.location_list.count()):
            self.location_list.item(row).setCheckState(state)

    def check_due_today(self, today: date | None = None) -> None:
        """Tick the locations whose delivery schedule includes today."""
        self.set_checked(proposals.locations_due(self.host.db, on=today or date.today()))

    # -- proposing and approving
    @property
    def busy(self) -> bool:
        """Whether a proposal is being worked out, or approved into orders."""
        return self.task is not None or self.approving is not None

    def propose(self) -> None:
        """Work out the proposal for the ticked locations, off the UI thread."""
        chosen = self.checked_location_ids()
        if not chosen:
            self.message.setText("Tick at least one location first.")
            return
        if self.busy:
            return
        db = self.host.db

        def job(progress: Progress) -> tuple[Proposal, Currency]:
            return (
                proposals.propose_orders(db, location_ids=chosen, progress=progress),
                settings.get_currency(db),
            )

        self._set_working(True)
        self.task = Task(job)
        self.task.receiver = Receiver(  # type: ignore[attr-defined]
            self.task,
            self,
            on_progress=self._progress,
            on_done=self._proposed,
            on_error=self._failed,
        )
        self.task.start()

    def _set_working(self, working: bool) -> None:
        for widget in (self.propose_button, self.due_button, self.all_button, self.none_button):
            widget.setEnabled(not working)
        self.working.setVisible(working)
        if working:
            self.working.setRange(0, 0)  # moving until the first count of lines arrives
            self.approve_button.setEnabled(False)
            self.message.setText("")
            self.summary.setText("Working out the proposal from the latest counts…")

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.working.setRange(0, total)
            self.working.setValue(done)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._set_working(False)
        self.summary.setText("Choose locations and press Propose.")
        self.host.report_error(exc)

    def _proposed(self, result: tuple[Proposal, Currency]) -> None:
        self.task = None
        self._set_working(False)
        self.proposal, self.currency = result
        self.message.setText("")
        self.lines_model.set_rows(self.proposal.to_order)
        attention = self.proposal.needs_attention
        self.attention_model.set_rows(attention)
        self.ordered_model.set_rows(self.proposal.already_ordered)
        self.tabs.setTabText(0, f"To order ({len(self.proposal.to_order)})")
        self.tabs.setTabText(1, f"Needs attention ({len(attention)})")
        self.tabs.setTabText(2, f"Already ordered ({len(self.proposal.already_ordered)})")
        self._update_summary()

    def _update_summary(self, *_args: Any) -> None:
        lines = self.lines_model.rows()
        if self.proposal is None or self.task is not None:
            return
        to_order = [line for line in lines if self.lines_model.packs_of(line) > 0]
        total = sum((self.lines_model.cost_of(line) or Decimal(0) for line in to_order), Decimal(0))
        warnings = sum(1 for line in lines if line.warnings)
        changed = len(self.lines_model.overrides)
        parts = [f"<b>{len(to_order)}</b> lines to order, <b>{self.currency.amount(total)}</b>"]
        for count, words in (
            (len(self.proposal.stale_count), "need a new count"),
            (len(self.proposal.missing_count), "missing a count"),
            (len(self.proposal.invalid), "cannot be computed"),
        ):
            if count:
                parts.append(f"<span style='color:#a01818'>{count} {words}</span>")
        if warnings:
            parts.append(f"{warnings} with warnings")
        if changed:
            parts.append(f"{changed} changed by you")
        if self.proposal.already_ordered:
            parts.append(f"{len(self.proposal.already_ordered)} already ordered")
        self.summary.setText(" · ".join(parts))
        permit(
            self.approve_button,
            self.host.db,
            "purchase_order",
            enabled=bool(to_order),
            tip="Create draft orders from the lines to order",
        )
        self.message.setText(self.lines_model.last_error)

    def _show_current_detail(self) -> None:
        self.show_detail(self.tab_views[self.tabs.currentIndex()])

    def show_detail(self, view: QTableView) -> None:
        """Show the current line's explanation, warnings and any change of its packs."""
        line = view.currentIndex().data(RecordRole) if view.currentIndex().isValid() else None
        if line is None:
            self.detail.clear()
            self.take_button.setEnabled(False)
            return
        parts = [
            f"<b>{escape(line.item_code)}</b> — {escape(line.description)}"
            f" at {escape(line.location_code)}"
        ]
        if line.explanation:
            parts.append(escape(line.explanation))
        if line.reason:
            parts.append(escape(line.reason))
        parts += [f"<span style='color:#8a5a00'>⚠ {escape(w)}</span>" for w in line.warnings]
        packs = self.lines_model.packs_of(line) if view is self.lines_view else line.packs
        switched = switch_note(self.lines_model, line) if view is self.lines_view else ""
        if switched:
            parts.append(switched)
        elif packs != line.packs:
            parts.append(f"<b>Changed by you:</b> {packs} packs instead of {line.packs}.")
        self.detail.setHtml("<br>".join(parts))
        if view is self.lines_view:
            self.take_button.setEnabled(bool(line.offers))
            taken = line.setting_id in self.lines_model.switches
            self.take_button.setText("Buy it all instead" if taken else "Take from surplus…")

    def _refused(self, message: str) -> None:
        self.message.setText(message)
        self.host.show_status(message)

    def approve(self, *, confirm: bool = True) -> None:
        """Create the orders off the UI thread; ``orders_created`` carries them once made."""
        if self.busy:  # being approved already, or a new proposal on its way
            return
        count, make = lines_to_order(self.lines_model)
        if confirm:
            answer = QMessageBox.question(
                self,
                "Approve proposal",
                f"Create orders for {count:,} lines? They are saved as drafts to send.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.approve_button.setEnabled(False)
        self.approving = approve_in_background(
            self,
            self.host.db,
            count,
            make,
            on_done=self._approved,
            on_error=self._approve_failed,
            on_cancel=lambda: self._approve_failed(None),
        )

    def _approved(self, created: list[Any]) -> None:
        self.approving = None
        numbers = ", ".join(order.number for order in created)
        self.host.show_status(f"Created {len(created)} orders: {numbers}")
        self.propose()
        self.orders_created.emit(created)

    def _approve_failed(self, exc: BaseException | None) -> None:
        """A refused approval (or a cancelled one, ``None``): nothing was ordered."""
        self.approving = None
        self._update_summary()  # the button as the lines and the user's role allow
        if exc is None:
            self.message.setText("Cancelled: nothing was ordered.")
            return
        self.host.report_error(exc)
        self.message.setText(str(exc))
