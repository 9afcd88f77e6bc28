"""The scanner settings dialog: speed threshold, group separator, what a scan does, sound, and a
box that shows what a live scan decodes to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.barcodes import GS, decode_scan
from parstudio.domain.catalog import LocationRecord
from parstudio.domain.errors import ParStudioError
from parstudio.domain.scanner_input import BrokenScan, ScanEvent
from parstudio.services.catalog import locations
from parstudio.services.core.database import Database
from parstudio.ui.counting.scan_catcher import ScanCatcher
from parstudio.ui.counting.scanner_settings import ScanMode, ScannerSettings
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.geometry import fit_and_remember

__all__ = ["ScannerSettingsDialog", "edit_scanner_settings"]

KIND_LABELS = {"gs1": "GS1", "hibc": "HIBC", "ean_upc": "EAN / UPC", "plain": "plain code"}
MODE_LABELS = {
    ScanMode.LOCATION: "does what the location says",
    ScanMode.ADD_ONE: "adds one, at every location",
    ScanMode.ASK_QUANTITY: "goes to the quantity box, at every location",
}


class ScannerSettingsDialog(QDialog):
    """Set up this workstation's scanner (and one location's scan options), and try a scan."""

    def __init__(
        self,
        current: ScannerSettings,
        *,
        location: LocationRecord | None = None,
        clock: Callable[[], float] | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Scanner settings")
        self.location = location
        self._today = today

        self.interval = QSpinBox()
        self.interval.setObjectName("max_interval")
        self.interval.setRange(5, 500)
        self.interval.setSuffix(" ms")
        self.interval.setValue(round(current.max_interval_ms))
        self.separator = QLineEdit("" if current.group_separator == GS else current.group_separator)
        self.separator.setObjectName("group_separator")
        self.separator.setPlaceholderText("ASCII 29 (the standard)")
        self.separator.setMaxLength(8)
        self.mode = QComboBox()
        self.mode.setObjectName("scan_mode")
        for mode, label in MODE_LABELS.items():
            self.mode.addItem(label, mode.value)
        self.mode.setCurrentIndex(self.mode.findData(current.scan_mode.value))
        self.sound = QCheckBox("Beep on unknown, unreadable, expired or recalled scans")
        self.sound.setObjectName("sound")
        self.sound.setChecked(current.sound)

        station = QGroupBox("This workstation")
        form = QFormLayout(station)
        form.addRow("Speed threshold", self.interval)
        form.addRow(_hint("Slower keys are typing. Raise it (50 ms) for a slow wireless scanner."))
        form.addRow("Group separator replacement", self.separator)
        form.addRow(
            _hint("Leave empty unless the scanner sends something else for ASCII 29 (GS), e.g. ~.")
        )
        form.addRow("A scan of an item", self.mode)
        form.addRow("", self.sound)

        layout = QVBoxLayout(self)
        layout.addWidget(station)

        self.adds_one: QCheckBox | None = None
        self.blind: QCheckBox | None = None
        if location is not None:
            here = QGroupBox(f"Location {location.code} {location.name}: for every workstation")
            here_layout = QVBoxLayout(here)
            self.adds_one = QCheckBox("A scan adds one (otherwise: type the quantity)")
            self.adds_one.setObjectName("location_adds_one")
            self.adds_one.setChecked(location.scan_adds_one)
            self.blind = QCheckBox("Blind count (hide expected quantities)")
            self.blind.setObjectName("location_blind")
            self.blind.setChecked(location.blind_count)
            here_layout.addWidget(self.adds_one)
            here_layout.addWidget(self.blind)
            layout.addWidget(here)

        tester = QGroupBox("Test your scanner")
        tester_layout = QVBoxLayout(tester)
        tester_layout.addWidget(QLabel("Scan any barcode now: what PAR Studio reads appears here."))
        self.test_input = QLineEdit()
        self.test_input.setObjectName("test_input")
        self.test_input.setPlaceholderText("scan here (or anywhere in this window)")
        self.test_input.returnPressed.connect(self._typed)
        tester_layout.addWidget(self.test_input)
        self.result_how = QLabel("Nothing scanned yet.")
        self.result_how.setObjectName("result_how")
        self.result_how.setWordWrap(True)
        tester_layout.addWidget(self.result_how)
        results = QFormLayout()
        self.results: dict[str, QLabel] = {}
        for key, label in (
            ("kind", "Barcode"),
            ("gtin", "GTIN"),
            ("lot", "Lot"),
            ("expiry", "Expiry"),
            ("serial", "Serial"),
            ("codes", "Looks up"),
            ("error", "Problem"),
        ):
            value = QLabel("–")
            value.setObjectName(f"result_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.results[key] = value
            results.addRow(label, value)
        tester_layout.addLayout(results)
        layout.addWidget(tester)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        for button in buttons.findChildren(QPushButton):
            button.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.catcher = ScanCatcher(
            self, max_interval_ms=current.max_interval_ms, clock=clock, fallback=self.test_input
        )
        self.catcher.scanned.connect(self.show_scan)
        self.catcher.broken.connect(self.show_broken)
        self.interval.valueChanged.connect(lambda ms: self.catcher.set_max_interval(float(ms)))
        self.catcher.start()
        self.finished.connect(lambda _result: self.catcher.stop())
        fit_and_remember(self, "scanner_settings", QSize(620, 640))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter belongs to the scanner test: it never presses Save (the button box would)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def settings(self) -> ScannerSettings:
        """The settings as the dialog shows them."""
        return ScannerSettings(
            max_interval_ms=float(self.interval.value()),
            group_separator=self.separator.text() or GS,
            scan_mode=ScanMode(self.mode.currentData()),
            sound=self.sound.isChecked(),
        )

    def location_changes(self) -> dict[str, str]:
        """The location options changed in the dialog, as field values."""
        if self.location is None or self.adds_one is None or self.blind is None:
            return {}
        changes = {}
        if self.adds_one.isChecked() != self.location.scan_adds_one:
            changes["scan_adds_one"] = "yes" if self.adds_one.isChecked() else "no"
        if self.blind.isChecked() != self.location.blind_count:
            changes["blind_count"] = "yes" if self.blind.isChecked() else "no"
        return changes

    def show_scan(self, event: ScanEvent) -> None:
        """Show what a scan decodes to with the settings now in the dialog."""
        separator = self.separator.text() or GS
        decoded = decode_scan(event.text, group_separator=separator, today=self._today)
        took = event.ended_ms - event.started_ms
        shown = event.text.replace(GS, "<GS>")
        self.test_input.setText(shown)
        self.result_how.setText(f"Read as a scan: {len(event.text) + 1} keys in {took:.0f} ms.")
        values = {
            "kind": KIND_LABELS.get(decoded.kind.value, decoded.kind.value),
            "gtin": decoded.gtin or "–",
            "lot": decoded.lot or "–",
            "expiry": f"{decoded.expiry:%d %b %Y}" if decoded.expiry else "–",
            "serial": decoded.serial or "–",
            "codes": ", ".join(decoded.lookup_codes) or "–",
            "error": decoded.error or "none",
        }
        for key, value in values.items():
            self.results[key].setText(value)
        self.results["error"].setStyleSheet("color: #b00020;" if decoded.error else "")

    def show_broken(self, broken: BrokenScan) -> None:
        """A burst at scanner speed that did not come as one scan: say so, in red."""
        self.test_input.setText(broken.text.replace("\r", "").replace(GS, "<GS>"))
        self.result_how.setText(
            f"That came at scanner speed but not as one scan ({broken.describe()}): the "
            "scanner paused part-way, or sent no Enter at the end. Raise the speed threshold, "
            "or set the scanner to send Enter."
        )
        for label in self.results.values():
            label.setText("–")

    def _typed(self) -> None:
        text = self.test_input.text()
        self.result_how.setText(
            f"“{text}” was typed by hand (keys more than {self.interval.value()} ms apart), "
            "so it is not taken for a scan."
        )
        for label in self.results.values():
            label.setText("–")


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555555;")
    return label


def save_dialog(
    db: Database, dialog: ScannerSettingsDialog, settings: QSettings | None = None
) -> ScannerSettings:
    """Store what an accepted dialog says: the workstation's settings and the location's."""
    chosen = dialog.settings()
    chosen.save(settings)
    changes = dialog.location_changes()
    if changes and dialog.location is not None:
        locations.update_location(db, location_id=dialog.location.id, changes=changes)
    return chosen


def edit_scanner_settings(
    db: Database,
    parent: QWidget | None,
    *,
    location_id: int | None = None,
    settings: QSettings | None = None,
) -> ScannerSettings | None:
    """Show the dialog; returns the saved settings, or None when cancelled or refused."""
    location = None
    try:
        if location_id is not None:
            location = locations.get_location(db, location_id=location_id)
        dialog = ScannerSettingsDialog(
            ScannerSettings.load(settings), location=location, parent=parent
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return save_dialog(db, dialog, settings)
    except ParStudioError as exc:
        show_error(parent, exc)
        return None
