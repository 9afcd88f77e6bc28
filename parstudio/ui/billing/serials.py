"""A serial's history: an item (and a serial, or all its serials) → where each unit went."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.serials import SerialHistory, SerialStatus
from parstudio.services.core.database import Database
from parstudio.ui.billing.models import SerialEventModel, SerialStatusModel
from parstudio.ui.kit.background import Receiver, Task
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.geometry import fit_and_remember
from parstudio.ui.kit.page import selected_record, sorted_table, table_or_empty

STATUS_WIDTHS = (110, 260, 120, 70, 90, 120, 110)
EVENT_WIDTHS = (125, 130, 80, 260)
HINT = (
    "Choose a serial-tracked item (or type its code), and a serial or leave it blank for every "
    "serial of the item; then Search."
)


class SerialHistoryView(QWidget):
    """Item and serial to search by, the serials found, and the events of the one selected."""

    def __init__(self, parent: QWidget | None, database: Callable[[], Database]) -> None:
        super().__init__(parent)
        # The database is asked for each time: the window may have opened another since.
        self.database = database
        self.history: SerialHistory | None = None
        self.task: Task | None = None
        self.item = QComboBox(self)
        self.item.setObjectName("serial_item")
        self.item.setEditable(True)
        self.item.setMinimumWidth(260)
        typed = self.item.lineEdit()
        assert typed is not None
        typed.setPlaceholderText("Item code")
        self.serial = QLineEdit(self)
        self.serial.setObjectName("serial_number")
        self.serial.setPlaceholderText("Serial (blank: every serial of the item)")
        self.serial.setMinimumWidth(240)
        self.search_button = QPushButton("Search", self)
        self.search_button.setObjectName("serial_search")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Item", self))
        bar.addWidget(self.item)
        bar.addWidget(QLabel("Serial", self))
        bar.addWidget(self.serial)
        bar.addWidget(self.search_button)
        bar.addStretch(1)
        self.heading = QLabel(self)
        self.heading.setObjectName("serial_heading")
        self.heading.setWordWrap(True)
        self.statuses = SerialStatusModel(self)
        self.status_view = sorted_table(self, self.statuses, STATUS_WIDTHS)
        self.status_view.setObjectName("serials_table")
        self.body, self.empty = table_or_empty(self, self.status_view)
        self.body.show_rows(False, HINT)
        self.events = SerialEventModel(self)
        self.event_view = sorted_table(self, self.events, EVENT_WIDTHS)
        self.event_view.setObjectName("serial_events")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.body)
        splitter.addWidget(self.event_view)
        splitter.setSizes([300, 160])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        self.search_button.clicked.connect(lambda: self.search())
        self.serial.returnPressed.connect(lambda: self.search())
        typed.returnPressed.connect(lambda: self.search())
        self.status_view.selectionModel().currentChanged.connect(lambda *_a: self._show_events())

    def load_items(self) -> None:
        """Offer the serial-tracked items (another code can still be typed)."""
        from parstudio.services.billing import serials

        typed = self.item.currentText()
        self.item.clear()
        for code, description in serials.serial_tracked_items(self.database()):
            self.item.addItem(f"{code} — {description}", code)
        self.item.setEditText(typed)

    def item_code(self) -> str:
        """The item chosen or typed: its code."""
        text = self.item.currentText().strip()
        index = self.item.findText(text)
        data = self.item.itemData(index) if index >= 0 else None
        return str(data) if data else text.split(" — ")[0].strip()

    def search(self, *, item_code: str | None = None, serial: str | None = None) -> Task | None:
        """Read the history off the UI thread (an item and serial given set the boxes)."""
        from parstudio.services.billing import serials

        if item_code is not None:
            self.item.setEditText(item_code)
        if serial is not None:
            self.serial.setText(serial)
        code, wanted = self.item_code(), self.serial.text().strip() or None
        if not code:
            self.heading.setText("Give the item code first.")
            return None
        db = self.database()
        task = Task(lambda _progress: serials.serial_history(db, item_code=code, serial=wanted))
        task.receiver = Receiver(  # type: ignore[attr-defined]
            task, self, on_done=self._found, on_error=self._failed
        )
        self.task = task
        self.heading.setText("Reading…")
        task.start()
        return task

    def _failed(self, exc: BaseException) -> None:
        from parstudio.domain.errors import ParStudioError

        if isinstance(exc, ParStudioError):
            self.heading.setText(str(exc))
            return
        self.heading.setText("")
        show_error(self, exc)

    def _found(self, found: Any) -> None:
        history: SerialHistory = found
        self.history = history
        self.statuses.set_rows(list(history.statuses))
        recalled = sum(1 for s in history.statuses if s.recalled)
        n = len(history.statuses)
        what = (
            f"serial {history.serial}" if history.serial else f"{n} serial{'s' if n != 1 else ''}"
        )
        text = f"<b>{history.item_code}</b> {history.description}: {what}"
        if recalled:
            text += f", <span style='color:#b00020'><b>{recalled} recalled</b></span>"
        self.heading.setText(text + ".")
        self.body.show_rows(
            bool(history.statuses), f"No serial of {history.item_code} has been received yet."
        )
        if history.statuses:
            self.status_view.selectRow(0)
        self._show_events()

    def _show_events(self) -> None:
        status = selected_record(self.status_view, SerialStatus)
        history = self.history
        if status is None or history is None:
            self.events.set_rows([])
            return
        self.events.set_rows(history.events_of(status.serial))


class SerialHistoryDialog(QDialog):
    """The serial history in a window of its own (from the Expiry page's recalled serials)."""

    def __init__(self, parent: QWidget | None, db: Database) -> None:
        super().__init__(parent)
        self.setWindowTitle("Serial history")
        self.view = SerialHistoryView(self, lambda: db)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        fit_and_remember(self, "serial_history", QSize(1000, 600))
        self.view.load_items()


def open_serial_history(
    parent: QWidget | None, db: Database, *, item_code: str = "", serial: str = ""
) -> SerialHistoryDialog:
    """Show the history of a serial (or of every serial of an item) in a dialog."""
    dialog = SerialHistoryDialog(parent, db)
    if item_code:
        dialog.view.search(item_code=item_code, serial=serial)
    dialog.setModal(True)
    dialog.show()
    return dialog
