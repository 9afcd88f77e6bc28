"""Serials of a serial-tracked line in the Receive dialog: scanned or typed, one a line."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from parstudio.domain.orders import OrderLineRecord
from parstudio.domain.serials import serial_from_scan
from parstudio.ui.kit.formatting import quantity


class SerialsBox(QWidget):
    """One serial a line (a scanner ends each scan with Enter); the units received are the
    number of serials, shown under the box."""

    def __init__(self, parent: QWidget, line: OrderLineRecord) -> None:
        super().__init__(parent)
        self.line = line
        self.text = QPlainTextEdit(self)
        self.text.setObjectName(f"serials_{line.id}")
        self.text.setPlaceholderText("Scan or type each unit's serial, one a line")
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(72)
        self.tally = QLabel(self)
        self.tally.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.text)
        layout.addWidget(self.tally)
        self.text.textChanged.connect(self._count)
        self._count()

    def serials(self) -> list[str]:
        """The serials given, each scan read for its serial, blank lines left out."""
        # Split on line ends only: splitlines() would also split at the GS1 group separator
        # (ASCII 29) a scanned label carries before its serial.
        rows = self.text.toPlainText().replace("\r", "\n").split("\n")
        return [serial_from_scan(row) for row in rows if row.strip()]

    def _count(self) -> None:
        given = self.serials()
        twice = len(given) - len(set(given))
        text = (
            f"{len(given)} serial{'s' if len(given) != 1 else ''} = {len(given)} "
            f"{self.line.unit} (outstanding {quantity(self.line.outstanding_units)})"
        )
        if twice:
            text += f" — {twice} given twice"
        self.tally.setText(text)
