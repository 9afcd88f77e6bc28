"""Asking for the database server's password, and offering to keep it in the system keyring."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from parstudio.services.core.credentials import keyring_problem
from parstudio.services.core.urls import describe_url


class ServerPasswordDialog(QDialog):
    """The server refused the login without (or with a wrong) password: ask for it."""

    def __init__(self, parent: QWidget | None, url: str, reason: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("PAR Studio — database password")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"<b>{describe_url(url)}</b> asks for the server password of this workstation's "
            f"login.<br><span style='color:#555'>{reason}</span>",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("&Password:", self.password)
        layout.addLayout(form)
        self.remember = QCheckBox("&Remember it in the system keyring", self)
        problem = keyring_problem()
        self.remember.setEnabled(problem is None)
        self.remember.setChecked(problem is None)
        layout.addWidget(self.remember)
        self.keyring_note = QLabel(problem or "", self)
        self.keyring_note.setObjectName("keyring_note")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet("color: #555;")
        self.keyring_note.setVisible(problem is not None)
        layout.addWidget(self.keyring_note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.password.setFocus()


def ask_server_password(parent: QWidget | None, url: str, reason: str) -> tuple[str, bool] | None:
    """The password typed and whether to remember it; None if cancelled."""
    dialog = ServerPasswordDialog(parent, url, reason)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.password.text(), dialog.remember.isChecked() and dialog.remember.isEnabled()
