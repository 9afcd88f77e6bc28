"""The Proposal screen: what to order from the latest counts, reviewed and approved by a person."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.orders import ApprovedLine, Proposal
from parstudio.services.catalog import locations
from parstudio.services.ordering import orders, proposals
from parstudio.ui.kit.formatting import money
from parstudio.ui.kit.page import PageHost, make_table
from parstudio.ui.kit.table_models import ColumnTableModel, SortRole
from parstudio.ui.ordering.models import AttentionTableModel, ProposalTableModel


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
        self.summary = QLabel("Choose locations and press Propose.", self)
        self.summary.setObjectName("proposal_summary")
        self.message = QLabel("", self)
        self.message.setObjectName("proposal_message")
        self.message.setStyleSheet("color: #a01818;")
        self.message.setWordWrap(True)

        self.lines_model = ProposalTableModel(self)
        self.attention_model = AttentionTableModel(self)
        self.lines_view = sorted_view(self, self.lines_model)
        self.attention_view = sorted_view(self, self.attention_model)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.lines_view, "To order")
        self.tabs.addTab(self.attention_view, "Needs attention")

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

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(self.summary, 1)
        header.addWidget(self.approve_button)
        right_layout.addLayout(header)
        right_layout.addWidget(self.message)
        right_layout.addWidget(self.tabs, 1)

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
        self.lines_model.dataChanged.connect(self._update_summary)

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
    def propose(self) -> None:
        """Compute the proposal for the ticked locations."""
        chosen = self.checked_location_ids()
        if not chosen:
            self.message.setText("Tick at least one location first.")
            return
        # Many locations take a few seconds: say so with the cursor while it works.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.proposal = proposals.propose_orders(self.host.db, location_ids=chosen)
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            self.host.report_error(exc)
            return
        QApplication.restoreOverrideCursor()
        self.message.setText("")
        self.lines_model.set_rows(self.proposal.to_order)
        attention = self.proposal.missing_count + self.proposal.invalid
        self.attention_model.set_rows(attention)
        self.tabs.setTabText(0, f"To order ({len(self.proposal.to_order)})")
        self.tabs.setTabText(1, f"Needs attention ({len(attention)})")
        self._update_summary()

    def _update_summary(self, *_args: Any) -> None:
        lines = self.lines_model.rows()
        if self.proposal is None:
            return
        to_order = [line for line in lines if self.lines_model.packs_of(line) > 0]
        total = sum(
            (
                (line.pack_price or Decimal(0)) * self.lines_model.packs_of(line)
                for line in to_order
            ),
            Decimal(0),
        )
        warnings = sum(1 for line in lines if line.warnings)
        changed = len(self.lines_model.overrides)
        parts = [
            f"<b>{len(to_order)}</b> lines to order, <b>{money(total)}</b>",
            f"{len(self.proposal.missing_count)} missing a count",
            f"{len(self.proposal.invalid)} cannot be computed",
        ]
        if warnings:
            parts.append(f"{warnings} with warnings")
        if changed:
            parts.append(f"{changed} changed by you")
        self.summary.setText(" · ".join(parts))
        self.approve_button.setEnabled(bool(to_order))
        if self.lines_model.last_error:
            self.message.setText(self.lines_model.last_error)

    def approved_lines(self) -> list[ApprovedLine]:
        """The lines as the person left them."""
        return [
            ApprovedLine(
                setting_id=line.setting_id,
                packs=self.lines_model.packs_of(line),
                proposed_packs=line.packs,
                count_line_id=line.count_line_id,
                explanation=line.explanation,
            )
            for line in self.lines_model.rows()
        ]

    def approve(self, *, confirm: bool = True) -> list[Any]:
        """Create the orders; returns them (empty if cancelled or refused)."""
        lines = [line for line in self.approved_lines() if line.packs > 0]
        if confirm:
            answer = QMessageBox.question(
                self,
                "Approve proposal",
                f"Create orders for {len(lines)} lines? They are saved as drafts to send.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return []
        try:
            created = orders.approve_lines(self.host.db, lines=lines)
        except Exception as exc:
            self.host.report_error(exc)
            self.message.setText(str(exc))
            return []
        numbers = ", ".join(order.number for order in created)
        self.host.show_status(f"Created {len(created)} orders: {numbers}")
        self.propose()
        self.orders_created.emit(created)
        return created
