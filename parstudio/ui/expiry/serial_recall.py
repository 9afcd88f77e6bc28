"""The Expiry page's recalled serials: every serial on the recall list and where it is."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import ParStudioError
from parstudio.domain.roles import Action
from parstudio.domain.serials import RecalledSerialRecord
from parstudio.ui.expiry.models import RowsModel
from parstudio.ui.kit.formatting import local_time
from parstudio.ui.kit.page import PageHost, selected_record, sorted_table, table_or_empty
from parstudio.ui.kit.permissions import permit

WIDTHS = (90, 170, 100, 300, 180)


class RecalledSerialModel(RowsModel[RecalledSerialRecord]):
    """Recalled serials with where each unit is: received at, last seen, used on a case."""

    COLUMNS = (
        ("Item", "", lambda r: r.item_code, False),
        ("Description", "", lambda r: r.description, False),
        ("Serial", "", lambda r: r.serial, False),
        ("Where it is", "By the latest evidence: used on a case, seen in a count, or received",
         lambda r: r.status.where, False),
        ("Reason", "", lambda r: r.reason, False),
        ("Recalled", "When it was put on the list", lambda r: local_time(r.created_at), False),
    )  # fmt: skip


class AddSerialDialog(QDialog):
    """Item, serial and reason of a serial to put on the recall list."""

    def __init__(self, parent: QWidget, items: list[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recall a serial")
        self.item = QComboBox(self)
        self.item.setObjectName("recall_serial_item")
        self.item.setEditable(True)
        for code, description in items:
            self.item.addItem(f"{code} — {description}", code)
        self.serial = QLineEdit(self)
        self.serial.setObjectName("recall_serial")
        self.serial.setPlaceholderText("Serial as printed on the label")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("e.g. the manufacturer's field safety notice number")
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Item", self.item)
        form.addRow("Serial", self.serial)
        form.addRow("Reason", self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def item_code(self) -> str:
        """The item chosen or typed: its code."""
        text = self.item.currentText().strip()
        index = self.item.findText(text)
        data = self.item.itemData(index) if index >= 0 else None
        return str(data) if data else text.split(" — ")[0].strip()


class RecalledSerials(QWidget):
    """The list, and Add serial… / Take off the list / History… (a manager recalls)."""

    def __init__(self, host: PageHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.host = host
        self.model = RecalledSerialModel(self)
        self.view = sorted_table(self, self.model, WIDTHS)
        self.view.setObjectName("recalled_serials")
        self.body, self.empty = table_or_empty(self, self.view)
        self.empty.setText(
            "No serial is on the recall list. A recalled serial is flagged when a count scans "
            "it, as a recalled lot is."
        )
        self.add_button = QPushButton("Recall a serial…", self)
        self.add_button.setObjectName("recall_serial_add")
        self.remove_button = QPushButton("Take off the list", self)
        self.history_button = QPushButton("History…", self)
        self.history_button.setToolTip("Received, counted, used on a case: the serial's history")
        intro = QLabel(
            "Serials of implants and equipment on the recall list, and where each unit is: "
            "used on a case, seen in a count, or received.",
            self,
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.body, 1)
        self.add_button.clicked.connect(lambda: self.add())
        self.remove_button.clicked.connect(lambda: self.remove(confirm=True))
        self.history_button.clicked.connect(self.history)
        self.view.selectionModel().currentChanged.connect(lambda *_a: self._update_buttons())

    def refresh(self) -> None:
        """Read the recalled serials again."""
        from parstudio.services.billing import serials

        self.model.set_rows(serials.recalled_serials(self.host.db))
        self.body.show_rows(bool(self.model.rows()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = selected_record(self.view, RecalledSerialRecord) is not None
        permit(self.add_button, self.host.db, "recalled_serial")
        permit(self.remove_button, self.host.db, "recalled_serial", Action.DELETE, enabled=chosen)
        self.history_button.setEnabled(chosen)

    def add(self, *, item_code: str | None = None, serial: str = "", reason: str = "") -> bool:
        """Ask for the item, serial and reason (unless given) and put it on the list."""
        from parstudio.services.billing import serials

        if item_code is None:
            dialog = AddSerialDialog(self, serials.serial_tracked_items(self.host.db))
            while dialog.exec() == QDialog.DialogCode.Accepted:
                try:
                    serials.add_recalled_serial(
                        self.host.db,
                        item_code=dialog.item_code(),
                        serial=dialog.serial.text(),
                        reason=dialog.reason.text(),
                    )
                except ParStudioError as exc:
                    dialog.error.setText(str(exc))
                    continue
                self._added(dialog.item_code(), dialog.serial.text().strip())
                return True
            return False
        try:
            serials.add_recalled_serial(
                self.host.db, item_code=item_code, serial=serial, reason=reason
            )
        except ParStudioError as exc:
            self.host.report_error(exc)
            return False
        self._added(item_code, serial)
        return True

    def _added(self, item_code: str, serial: str) -> None:
        self.refresh()
        self.host.show_status(
            f"Serial {serial} of {item_code} is on the recall list: a count flags it when scanned."
        )

    def remove(self, *, confirm: bool = False) -> None:
        """Take the selected serial off the recall list (after asking)."""
        from parstudio.services.billing import serials

        record = selected_record(self.view, RecalledSerialRecord)
        if record is None:
            return
        item_code, serial = record.item_code, record.serial
        if (
            confirm
            and QMessageBox.question(
                self, "Take off the recall list", f"Take serial {serial} of {item_code} off?"
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        try:
            serials.remove_recalled_serial(self.host.db, item_code=item_code, serial=serial)
        except ParStudioError as exc:
            self.host.report_error(exc)
            return
        self.refresh()
        self.host.show_status(f"Serial {serial} of {item_code} is off the recall list.")

    def history(self) -> None:
        """The selected serial's history in a dialog."""
        from parstudio.ui.billing.serials import open_serial_history

        record = selected_record(self.view, RecalledSerialRecord)
        if record is None:
            return
        self.dialog = open_serial_history(
            self,
            self.host.db,
            item_code=record.item_code,
            serial=record.serial,
        )
