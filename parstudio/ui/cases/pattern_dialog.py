"""The case label pattern dialog: which scans open a case, tried on a label before it is saved."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.cases import DEFAULT_CASE_PATTERN, check_case_pattern, is_case_label
from parstudio.domain.errors import ParStudioError, ValidationError
from parstudio.services import cases
from parstudio.services.core.database import Database
from parstudio.ui.kit.dialogs import ERROR_STYLE
from parstudio.ui.kit.permissions import permit

__all__ = ["CasePatternDialog"]

EXPLAINED = (
    "A scan on the Cases screen opens a case when the <i>whole</i> label matches this regular "
    "expression (and is not an item's barcode). The default takes up to four letters, an "
    "optional dash and 5 to 12 digits: V0012345, ENC-2026001234, 88001234. Only the "
    "identifier is kept: no name or other patient data."
)


class CasePatternDialog(QDialog):
    """Show, try and (a manager) change the case label pattern."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Case label pattern")
        self.setMinimumWidth(560)
        self._db = db
        explained = QLabel(EXPLAINED, self)
        explained.setWordWrap(True)
        self.pattern = QLineEdit(cases.get_case_pattern(db), self)
        self.pattern.setObjectName("pattern")
        self.sample = QLineEdit(self)
        self.sample.setObjectName("sample")
        self.sample.setPlaceholderText("type or scan a case label to try the pattern")
        self.verdict = QLabel(self)
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.default_button = QPushButton("Use the &default", self)
        form = QFormLayout()
        form.addRow("&Pattern:", self.pattern)
        form.addRow("&Try a label:", self.sample)
        form.addRow("", self.verdict)
        default_row = QHBoxLayout()
        default_row.addWidget(self.default_button)
        default_row.addStretch(1)
        form.addRow("", default_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        permit(self.save_button, db, "database_setting")
        permit(self.default_button, db, "database_setting")
        self.pattern.setReadOnly(not self.save_button.isEnabled())
        layout = QVBoxLayout(self)
        layout.addWidget(explained)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.pattern.textChanged.connect(self.check)
        self.sample.textChanged.connect(self.check)
        self.default_button.clicked.connect(lambda: self.pattern.setText(DEFAULT_CASE_PATTERN))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.check()

    def check(self) -> bool:
        """Say whether the pattern can be used, and whether the sample label matches it."""
        try:
            check_case_pattern(self.pattern.text())
        except ValidationError as exc:
            self._say(exc.message, error=True)
            return False
        sample = self.sample.text().strip()
        if not sample:
            self._say("")
        elif is_case_label(self.pattern.text().strip(), sample):
            self._say(f"“{sample}” opens a case.")
        else:
            self._say(f"“{sample}” does not match: it would be refused.", error=True)
        return True

    def _say(self, text: str, *, error: bool = False) -> None:
        self.verdict.setText(text)
        self.verdict.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20;")

    def save(self) -> None:
        """Keep the pattern (a manager's change); a refused one stays on screen, explained."""
        if not self.check():
            return
        try:
            cases.set_case_pattern(self._db, pattern=self.pattern.text())
        except ParStudioError as exc:
            self._say(exc.message, error=True)
            return
        self.accept()
