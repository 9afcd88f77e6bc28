"""File ▸ Export ▸ PAR worksheet…: which locations, and whether to add counts and the proposal."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.catalog import LocationRecord
from parstudio.ui.kit.geometry import fit_and_remember

XLSX_FILTER = "Excel workbooks (*.xlsx)"


class ExportWorksheetDialog(QDialog):
    """Options of the PAR worksheet export, and where to save it."""

    def __init__(
        self, locations: Sequence[LocationRecord], path: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export PAR worksheet")
        fit_and_remember(self, "export_worksheet", QSize(520, 520))
        layout = QVBoxLayout(self)
        intro = QLabel(
            "One row per item at a location, with its levels and order rules. Edit it in "
            "Excel, then bring the changes back with File ▸ Import worksheet…"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.all_button = QRadioButton("All locations")
        self.chosen_button = QRadioButton("These locations:")
        self.all_button.setChecked(True)
        layout.addWidget(self.all_button)
        layout.addWidget(self.chosen_button)
        self.location_list = QListWidget()
        for location in locations:
            item = QListWidgetItem(f"{location.code} — {location.name}")
            item.setData(Qt.ItemDataRole.UserRole, location.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.location_list.addItem(item)
        self.location_list.setEnabled(False)
        self.chosen_button.toggled.connect(self.location_list.setEnabled)
        self.location_list.itemChanged.connect(lambda _item: self._update())
        self.chosen_button.toggled.connect(lambda _on: self._update())
        layout.addWidget(self.location_list, 1)
        self.counts_box = QCheckBox("Include the latest count (Last Count, Last Counted)")
        self.counts_box.setChecked(True)
        self.proposal_box = QCheckBox(
            "Include the current proposal (Order Packs, Order Units, Explanation)"
        )
        self.proposal_box.setChecked(True)
        self.proposal_box.toggled.connect(self._proposal_toggled)
        layout.addWidget(self.counts_box)
        layout.addWidget(self.proposal_box)
        row = QHBoxLayout()
        row.addWidget(QLabel("Save as:"))
        self.path_edit = QLineEdit(path)
        self.path_edit.textChanged.connect(lambda _text: self._update())
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()

    def _proposal_toggled(self, on: bool) -> None:
        # The proposal is worked out from the latest counts and shows them.
        if on:
            self.counts_box.setChecked(True)
        self.counts_box.setEnabled(not on)

    def _update(self) -> None:
        problem = ""
        if self.chosen_button.isChecked() and not self.location_codes():
            problem = "Tick at least one location."
        elif not self.path_edit.text().strip():
            problem = "Choose where to save the file."
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problem)

    def browse(self) -> None:
        """Choose where to save."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Export PAR worksheet", self.path_edit.text(), XLSX_FILTER
        )
        if path:
            self.path_edit.setText(path)

    def location_codes(self) -> list[str] | None:
        """The ticked locations, or None for all."""
        if self.all_button.isChecked():
            return None
        return [
            str(self.location_list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.location_list.count())
            if self.location_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def path(self) -> str:
        """Where to save the file."""
        return self.path_edit.text().strip()

    def include_counts(self) -> bool:
        """Whether to fill Last Count and Last Counted."""
        return self.counts_box.isChecked()

    def include_proposal(self) -> bool:
        """Whether to fill the proposal's columns."""
        return self.proposal_box.isChecked()
