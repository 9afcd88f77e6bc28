"""User accounts for managers: add, change a role, deactivate, set a password."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import ParStudioError, ValidationError
from parstudio.domain.roles import Role
from parstudio.services.admin import users
from parstudio.services.admin.users import UserRecord
from parstudio.ui.kit.dialogs import error_label
from parstudio.ui.kit.page import PageHost, make_table
from parstudio.ui.kit.table_models import INACTIVE_COLOUR, Column, ColumnTableModel, RecordRole

ROLE_HELP = {
    Role.MANAGER: "everything, including PAR settings, orders and accounts",
    Role.CLERK: "count, scan, receive and send orders",
    Role.VIEWER: "look at everything, change nothing",
}


def _active(record: UserRecord) -> str:
    active = "Yes" if record.active else "No"
    if record.locked() and record.locked_until is not None:
        active += f" — locked until {record.locked_until.astimezone():%H:%M}"
    return active


class UsersModel(ColumnTableModel):
    """The accounts, one per row; deactivated ones greyed."""

    columns = (
        Column("Login", lambda r: r.login, lambda r: r.login, width=120),
        Column("Name", lambda r: r.display_name, lambda r: r.display_name.lower(), width=180),
        Column("Role", lambda r: r.role.label, lambda r: r.role.label, width=90),
        Column("Active", _active, _active, width=170),
        Column("May", lambda r: ROLE_HELP[r.role], lambda r: ROLE_HELP[r.role], width=320),
    )

    def load(self, records: list[UserRecord]) -> None:
        """Show these accounts."""
        self.set_rows(records)

    def extra_data(self, row: UserRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(INACTIVE_COLOUR)
        return None


NO_ACCOUNTS_NOTE = (
    "With no accounts, sign-in is off on a local file. Once the first (manager) account exists, "
    "everyone signs in."
)
ACCOUNTS_NOTE = (
    "Everyone signs in. Managers change the catalogue, levels and accounts; clerks count, scan, "
    "receive and send orders; viewers look."
)


class AccountDialog(QDialog):
    """Add an account, or set a password (``login`` given): fields, and the refusal under them."""

    def __init__(self, parent: QWidget | None, host: PageHost, login: str | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.existing = login
        self.setWindowTitle(f"Set the password of {login}" if login else "Add an account")
        self.setMinimumWidth(440)
        form = QFormLayout()
        self.login = QLineEdit(login or "", self)
        self.login.setReadOnly(login is not None)
        self.name = QLineEdit(self)
        self.role = QComboBox(self)
        for role in Role:
            self.role.addItem(f"{role.label} — {ROLE_HELP[role]}", role)
        # Most new accounts are clerks; the first must be a manager, or nobody could manage.
        self.first = login is None and not users.list_users(host.db)
        self.role.setCurrentIndex(self.role.findData(Role.MANAGER if self.first else Role.CLERK))
        self.role.setEnabled(not self.first)
        if self.first:
            self.role.setToolTip("The first account is a manager, who can then add clerks.")
        self.password = QLineEdit(self)
        self.repeat = QLineEdit(self)
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("&Login:", self.login)
        if login is None:
            form.addRow("&Name:", self.name)
            form.addRow("&Role:", self.role)
            if self.first:
                first_note = QLabel(
                    "The first account is a manager. Once it exists, everyone signs in.", self
                )
                first_note.setWordWrap(True)
                form.addRow("", first_note)
        else:
            self.name.hide()
            self.role.hide()
        form.addRow("&Password:", self.password)
        form.addRow("R&epeat:", self.repeat)
        self.error = error_label(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_save(self) -> None:
        """Save through the services; on a refusal say why and stay open."""
        try:
            if self.password.text() != self.repeat.text():
                raise ValidationError("The two passwords differ; type them again.")
            if self.existing is None:
                users.create_user(
                    self.host.db,
                    login=self.login.text(),
                    display_name=self.name.text(),
                    role=Role(self.role.currentData()),
                    password=self.password.text(),
                )
            else:
                users.change_password(
                    self.host.db, login=self.existing, new_password=self.password.text()
                )
        except ParStudioError as exc:
            self.error.setText(exc.message)
            self.error.setVisible(True)
            return
        self.accept()


class UsersPage(QWidget):
    """Who may sign in, and with which role."""

    def __init__(self, host: PageHost) -> None:
        super().__init__()
        self.host = host
        self.model = UsersModel(self)
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_action = QAction("Add…", self)
        self.password_action = QAction("Set password…", self)
        self.active_action = QAction("Deactivate", self)
        self.unlock_action = QAction("Unlock", self)
        self.unlock_action.setToolTip("Let an account locked by wrong passwords sign in again now")
        for action in (
            self.add_action,
            self.password_action,
            self.active_action,
            self.unlock_action,
        ):
            self.toolbar.addAction(action)
        self.unlock_action.triggered.connect(self.unlock)
        self.add_action.triggered.connect(self.add)
        self.password_action.triggered.connect(self.set_password)
        self.active_action.triggered.connect(self.toggle_active)
        self.role_picker = QComboBox(self)
        self.role_picker.setObjectName("role_picker")
        for role in Role:
            self.role_picker.addItem(role.label, role)
        self.role_picker.activated.connect(lambda _index: self.change_role())
        self.note = QLabel(NO_ACCOUNTS_NOTE, self)
        self.note.setObjectName("users_note")
        self.note.setStyleSheet("color: #555;")
        self.note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.toolbar)
        top.addWidget(QLabel("Role:", self))
        top.addWidget(self.role_picker)
        top.addStretch(1)
        self.view = make_table(self)
        self.view.setModel(self.model)
        for column, width in enumerate((120, 200, 80, 170)):
            self.view.horizontalHeader().resizeSection(column, width)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        self._update_actions()

    def refresh(self) -> None:
        """Read the accounts again."""
        accounts = users.list_users(self.host.db)
        self.model.load(accounts)
        self.note.setText(ACCOUNTS_NOTE if accounts else NO_ACCOUNTS_NOTE)
        self._update_actions()

    def focus_search(self) -> None:
        """Nothing to search on this short list."""

    def selected(self) -> UserRecord | None:
        """The selected account."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.data(rows[0], RecordRole) if rows else None

    def select_login(self, login: str) -> None:
        """Select an account's row."""
        for row in range(self.model.rowCount()):
            if self.model.data(self.model.index(row, 0)) == login:
                self.view.selectRow(row)

    def _update_actions(self) -> None:
        record = self.selected()
        for widget in (self.password_action, self.active_action, self.role_picker):
            widget.setEnabled(record is not None)
        self.unlock_action.setEnabled(record is not None and record.locked())
        if record is not None:
            self.active_action.setText("Deactivate" if record.active else "Reactivate")
            self.role_picker.setCurrentIndex(self.role_picker.findData(record.role))
        else:
            self.role_picker.setCurrentIndex(-1)  # no account chosen: no role to show

    def _run(self, action: Any, done: str) -> None:
        record = self.selected()
        try:
            action()
        except ParStudioError as exc:
            self.host.report_error(exc)
        else:
            self.host.show_status(done)
        self.refresh()
        if record is not None:
            self.select_login(record.login)

    def add(self) -> None:
        """Open the add dialog."""
        dialog = AccountDialog(self, self.host)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.select_login(dialog.login.text().strip().lower())
            self.host.show_status(f"Added the account {dialog.login.text().strip()}.")

    def set_password(self) -> None:
        """Give the selected account a new password."""
        record = self.selected()
        if record is not None and AccountDialog(self, self.host, record.login).exec():
            self.host.show_status(f"Set a new password for {record.login}.")

    def change_role(self) -> None:
        """Give the selected account the role chosen in the picker."""
        record, role = self.selected(), Role(self.role_picker.currentData())
        if record is not None and role is not record.role:
            self._run(
                lambda: users.set_role(self.host.db, login=record.login, role=role),
                f"{record.login} is now a {role.value}.",
            )

    def toggle_active(self) -> None:
        """Deactivate the selected account, or reactivate it."""
        record = self.selected()
        if record is not None:
            self._run(
                lambda: users.set_active(
                    self.host.db, login=record.login, active=not record.active
                ),
                f"{'Reactivated' if not record.active else 'Deactivated'} {record.login}.",
            )

    def unlock(self) -> None:
        """Let the selected account, locked by wrong passwords, sign in again now."""
        record = self.selected()
        if record is not None:
            self._run(
                lambda: users.unlock_user(self.host.db, login=record.login),
                f"{record.login} can sign in again.",
            )
