"""The Rebalance page: moves suggested between locations, ticked, trimmed and accepted as
transfers with their pick lists."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.orders import OrderRecord
from parstudio.domain.paper import PrintedDocument, PrintOptions
from parstudio.domain.rebalance import Rebalance, Suggestion
from parstudio.services.catalog import locations
from parstudio.services.ordering import printing
from parstudio.services.ordering.rebalance import accept_moves, rebalance_suggestions
from parstudio.ui.kit.background import Receiver, Task, run_with_progress
from parstudio.ui.kit.formatting import quantity
from parstudio.ui.kit.location_choice import LocationsButton
from parstudio.ui.kit.page import PageHost, table_or_empty
from parstudio.ui.kit.permissions import permit
from parstudio.ui.kit.print_preview import preview
from parstudio.ui.kit.table_models import RecordRole
from parstudio.ui.ordering.proposal_page import sorted_view
from parstudio.ui.ordering.rebalance_models import RebalanceModel
from parstudio.ui.ordering.stock_across import show_stock_across

INTRO = (
    "Moves worked out from the latest counts: a lot a location will not use before it expires, "
    "to one that will; stock above PAR, to a location below it. No move takes a location below "
    "its own PAR."
)


class RebalancePage(QWidget):
    """Suggested moves between locations; accepted ones become approved transfers."""

    transfers_created = Signal(list)

    def __init__(self, host: PageHost) -> None:
        super().__init__()
        self.host = host
        self.result: Rebalance | None = None
        self.task: Task | None = None

        self.summary = QLabel("Press Refresh to work out the moves.", self)
        self.summary.setObjectName("rebalance_summary")
        self.working = QProgressBar(self)
        self.working.setMaximumWidth(160)
        self.working.setTextVisible(False)
        self.working.setRange(0, 0)
        self.working.hide()
        self.locations = LocationsButton(self)
        self.locations.setToolTip(
            "Moves among the ticked locations only (from one to another); none ticked is all"
        )
        self._again = False
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setToolTip("Work out the moves again from the latest counts")
        self.all_button = QPushButton("Tick all", self)
        self.none_button = QPushButton("Untick all", self)
        self.stock_button = QPushButton("Stock across locations…", self)
        self.stock_button.setToolTip("The selected item at every location, beside its PAR")
        self.accept_button = QPushButton("Accept and create transfers…", self)
        self.message = QLabel("", self)
        self.message.setObjectName("rebalance_message")
        self.message.setStyleSheet("color: #a01818;")
        self.message.setWordWrap(True)
        self.message.hide()

        self.model = RebalanceModel(self)
        self.view = sorted_view(self, self.model)
        self.view.setObjectName("rebalance_moves")
        self.detail = QTextBrowser(self)
        self.detail.setObjectName("rebalance_detail")
        self.detail.setPlaceholderText("Select a move to read why it is suggested.")
        self.detail.setMinimumHeight(70)
        self.notes = QTextBrowser(self)
        self.notes.setObjectName("rebalance_notes")
        self.notes.setMinimumHeight(60)

        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.working)
        bar.addWidget(self.locations)
        for button in (
            self.refresh_button,
            self.all_button,
            self.none_button,
            self.stock_button,
            self.accept_button,
        ):
            bar.addWidget(button)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(self.detail)
        lower.addWidget(self.notes)
        lower.setSizes([600, 500])
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.body, self.empty = table_or_empty(self, self.view)
        splitter.addWidget(self.body)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([480, 150])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(intro)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.locations.changed.connect(self.refresh)
        self.all_button.clicked.connect(lambda: self.model.set_all(True))
        self.none_button.clicked.connect(lambda: self.model.set_all(False))
        self.stock_button.clicked.connect(self.show_stock)
        self.accept_button.clicked.connect(lambda: self.accept())
        self.model.changed.connect(self._update_state)
        self.model.edit_refused.connect(self._refused)
        self.model.modelReset.connect(self._show_detail)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._show_detail())
        self._update_state()

    @property
    def busy(self) -> bool:
        """Whether the moves are being worked out (off the UI thread)."""
        return self.task is not None

    def focus_search(self) -> None:
        """Focus the list of moves."""
        self.view.setFocus()

    def refresh(self, *_args: Any) -> None:
        """Work the moves out again from the latest counts, off the UI thread."""
        if self.host.db is None:
            return
        if self.task is not None:
            self._again = True  # the choice changed meanwhile: work it out once more after
            return
        db = self.host.db
        try:
            found = locations.list_locations(db)
        except Exception as exc:  # shown the house way; the page stays usable
            self.host.report_error(exc)
            return
        self.locations.set_places([(place.code, place.name) for place in found])
        codes = list(self.locations.codes())
        self.task = Task(lambda _progress: rebalance_suggestions(db, location_codes=codes or None))
        self.task.receiver = Receiver(  # type: ignore[attr-defined]
            self.task, self, on_done=self._shown, on_error=self._failed
        )
        self._set_working(True)
        self.task.start()

    def _set_working(self, working: bool) -> None:
        self.working.setVisible(working)
        self.refresh_button.setEnabled(not working)
        if working:
            self.summary.setText("Working out the moves from the latest counts…")
        self._update_state()

    def _again_if_asked(self) -> bool:
        """Work the moves out again if the locations were changed while they were worked out."""
        if not self._again:
            return False
        self._again = False
        self.refresh()
        return True

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        if self._again_if_asked():
            return
        self._set_working(False)
        self.summary.setText("The moves could not be worked out.")
        self.host.report_error(exc)

    def _shown(self, result: Rebalance) -> None:
        self.task = None
        if self._again_if_asked():
            return
        self.result = result
        self.model.set_rows(result.suggestions)
        notes = "".join(f"<li>{escape(note)}</li>" for note in result.notes)
        self.notes.setHtml(
            f"<b>Left out</b><ul style='margin-left: -20px'>{notes}</ul>"
            if notes
            else "<b>Left out</b><br>Nothing: every location with a count took part."
        )
        self._set_working(False)
        self.body.show_rows(
            bool(result.suggestions),
            "No move to suggest.\nEvery location holds what it will use before it expires, "
            "and no location above its PAR has a neighbour below it."
            + ("\nSome locations were left out: see why below." if result.notes else ""),
        )
        if result.suggestions:
            self.view.selectRow(0)

    def _update_state(self) -> None:
        moves = self.model.accepted()
        rows = len(self.model.rows())
        if self.result is not None and self.task is None:
            if rows:
                pairs = {(s.source_code, s.destination_code) for s, _q in moves}
                self.summary.setText(
                    f"<b>{rows}</b> {'move' if rows == 1 else 'moves'} suggested · "
                    f"<b>{len(moves)}</b> ticked, {len(pairs)} "
                    f"{'transfer' if len(pairs) == 1 else 'transfers'}"
                )
            else:
                self.summary.setText(
                    "No move is suggested: every location holds what it will use in time."
                )
        permit(
            self.accept_button,
            self.host.db,
            "purchase_order",
            enabled=bool(moves) and self.task is None,
            tip="Create approved transfers for the ticked moves, with their pick lists",
        )
        for button in (self.all_button, self.none_button):
            button.setEnabled(bool(rows) and self.task is None)
        self.stock_button.setEnabled(self._current() is not None)
        self._show_detail()

    def _current(self) -> Suggestion | None:
        index = self.view.currentIndex()
        record = index.data(RecordRole) if index.isValid() else None
        return record if isinstance(record, Suggestion) else None

    def _show_detail(self) -> None:
        move = self._current()
        self.stock_button.setEnabled(move is not None)
        if move is None:
            self.detail.clear()
            return
        lot = f", lot {escape(move.lot)}" if move.lot else ""
        self.detail.setHtml(
            f"<b>{escape(move.item_code)}</b> — {escape(move.description)}: "
            f"{escape(move.source_code)} → {escape(move.destination_code)}, "
            f"{quantity(move.quantity)} {escape(move.unit)}{lot}<br>{escape(move.explanation)}"
        )

    def _refused(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.host.show_status(message)

    def show_stock(self) -> None:
        """The selected move's item at every location."""
        move = self._current()
        if move is None:
            self.host.show_status("Pick a move to see its item across locations.")
            return
        show_stock_across(self, self.host, move.item_id)

    def accept(self, *, confirm: bool = True, print_lists: bool | None = None) -> None:
        """Create the transfers for the ticked moves (after asking), then offer the pick lists.

        ``print_lists`` answers the offer without asking (tests).
        """
        moves = self.model.accepted()
        if not moves:
            self.host.show_status("Tick the moves to make first.")
            return
        pairs = {(s.source_code, s.destination_code) for s, _q in moves}
        if (
            confirm
            and QMessageBox.question(
                self,
                "Accept moves",
                f"Create {len(pairs)} approved transfers for {len(moves)} moves? "
                "They are saved as drafts to send, each with a pick list.",
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        db = self.host.db
        self.message.hide()

        def made(created: list[OrderRecord]) -> None:
            numbers = ", ".join(order.number for order in created)
            self.host.show_status(f"Created {len(created)} transfers: {numbers}")
            self.transfers_created.emit(created)
            self.result = None
            self.refresh()
            self._offer_pick_lists(created, print_lists)

        def failed(exc: BaseException) -> None:
            self._refused(str(exc))
            self.host.report_error(exc)

        run_with_progress(
            self,
            "Creating the transfers…",
            lambda _progress: accept_moves(db, accepted=moves),
            on_done=made,
            on_error=failed,
        )

    def _offer_pick_lists(self, created: list[OrderRecord], answer: bool | None) -> None:
        if answer is None:
            answer = (
                QMessageBox.question(
                    self,
                    "Pick lists",
                    f"Print the pick lists of {', '.join(o.number for o in created)} now? "
                    "They can be printed later from Orders.",
                )
                == QMessageBox.StandardButton.Yes
            )
        if not answer:
            return
        ids = [order.id for order in created]

        def make(options: PrintOptions) -> PrintedDocument:
            return printing.pick_lists_for(self.host.db, order_ids=ids, options=options)

        preview(self, make, title="Pick lists")
