"""Signing in at start: a login and password, or the first manager of a shared database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import ParStudioError, ValidationError
from parstudio.domain.roles import Role
from parstudio.services.admin import users
from parstudio.services.core.database import Database
from parstudio.ui.kit.dialogs import error_label


class SignInDialog(QDialog):
    """Sign in; on a shared database with no accounts yet, create the first manager instead."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.first_manager = not db.has_users
        self.setWindowTitle("PAR Studio — sign in")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(self)
        intro.setWordWrap(True)
        if self.first_manager:
            intro.setText(
                f"<b>{db.description}</b> is shared and has no accounts yet. Create the first "
                "manager's account; the manager then adds everyone else."
            )
        else:
            intro.setText(f"Sign in to <b>{db.description}</b>.")
        layout.addWidget(intro)

        form = QFormLayout()
        self.login = QLineEdit(self)
        self.login.setObjectName("login")
        self.login.setText("" if db.has_users else db.user_name)
        form.addRow("&Login:", self.login)
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("display_name")
        self.display_name.setPlaceholderText("e.g. Anna Berg")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setObjectName("repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        if self.first_manager:
            form.addRow("Your &name:", self.display_name)
        form.addRow("&Password:", self.password)
        if self.first_manager:
            form.addRow("&Repeat password:", self.repeat)
        else:
            self.display_name.hide()
            self.repeat.hide()
        layout.addLayout(form)

        self.error = error_label(self, "error")
        layout.addWidget(self.error)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Create and sign in" if self.first_manager else "Sign in")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if self.login.text() else self.login).setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def show_problem(self, message: str) -> None:
        """Say what is wrong, under the fields."""
        self.error.setText(message)
        self.error.setVisible(True)

    def try_sign_in(self) -> None:
        """Create the first manager if needed, then sign in; on a refusal say why and stay."""
        login, password = self.login.text().strip(), self.password.text()
        if not login:
            self.show_problem("Enter your login.")
            self.login.setFocus()
            return
        try:
            if self.first_manager:
                if password != self.repeat.text():
                    raise ValidationError("The two passwords differ; type them again.")
                users.create_user(
                    self.db,
                    login=login,
                    display_name=self.display_name.text(),
                    role=Role.MANAGER,
                    password=password,
                )
            self.db.sign_in(login, password)
        except ParStudioError as exc:
            self.show_problem(exc.message)
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()


def needs_sign_in(db: Database) -> bool:
    """Whether the app asks who is working: on a shared server, or once accounts exist."""
    return db.sign_in_required or (not db.is_sqlite and db.role is not None and not db.has_users)


def sign_in_if_needed(db: Database, parent: QWidget | None = None) -> bool:
    """Ask who is working when the database needs it; False if they cancelled."""
    if not needs_sign_in(db):
        return True
    return SignInDialog(db, parent).exec() == QDialog.DialogCode.Accepted


class ChangePasswordDialog(QDialog):
    """Change your own password: the current one, then the new one twice."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Change my password")
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Account <b>{db.user_name}</b>", self))
        form = QFormLayout()
        self.current = QLineEdit(self)
        self.new = QLineEdit(self)
        self.repeat = QLineEdit(self)
        for field in (self.current, self.new, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("&Current password:", self.current)
        form.addRow("&New password:", self.new)
        form.addRow("&Repeat:", self.repeat)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Change password")
        buttons.accepted.connect(self.try_change)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def try_change(self) -> None:
        """Change it through the services; on a refusal say why and stay."""
        try:
            if self.new.text() != self.repeat.text():
                raise ValidationError("The two new passwords differ; type them again.")
            users.change_password(
                self.db,
                login=self.db.user_name,
                old_password=self.current.text(),
                new_password=self.new.text(),
            )
        except ParStudioError as exc:
            self.error.setText(exc.message)
            self.error.setVisible(True)
            return
        self.accept()
