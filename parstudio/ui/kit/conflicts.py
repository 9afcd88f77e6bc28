"""When someone else saved the same record first: show their change, offer Reload or Reapply."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import ConflictError
from parstudio.ui.kit.formatting import local_time

RELOAD, REAPPLY, CANCEL = "reload", "reapply", "cancel"


class ConflictDialog(QDialog):
    """Someone else's change, field by field, and what to do about yours."""

    def __init__(self, parent: QWidget | None, exc: ConflictError) -> None:
        super().__init__(parent)
        self.setWindowTitle("PAR Studio — changed by someone else")
        self.setMinimumWidth(480)
        self.choice = CANCEL
        layout = QVBoxLayout(self)
        heading = QLabel("<b>Someone else saved this record after you opened it.</b>", self)
        layout.addWidget(heading)
        if exc.other_changes:
            lines = []
            for entry in exc.other_changes:
                changes = "".join(
                    f"<li>{change.label}: {change.old_to_new()}</li>" for change in entry.changes
                )
                lines.append(
                    f"<p>{entry.user_name} at {local_time(entry.at)}:</p>"
                    f"<ul>{changes or '<li>saved without changing a field you see</li>'}</ul>"
                )
            text = "".join(lines)
        else:
            text = f"<p>{exc.message}</p>"
        self.details = QLabel(text, self)
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        layout.addWidget(self.details)
        advice = QLabel(
            "<b>Reload</b> shows their version and drops your change. <b>Reapply</b> saves your "
            "change on top of theirs (fields you did not touch keep their values).",
            self,
        )
        advice.setWordWrap(True)
        advice.setStyleSheet("color: #444;")
        layout.addWidget(advice)
        buttons = QDialogButtonBox(self)
        self.reload_button = QPushButton("Reload", self)
        self.reapply_button = QPushButton("Reapply my change", self)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.reapply_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.reload_button.clicked.connect(lambda: self._choose(RELOAD))
        self.reapply_button.clicked.connect(lambda: self._choose(REAPPLY))
        buttons.rejected.connect(self.reject)
        self.reload_button.setDefault(True)
        layout.addWidget(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def ask_about_conflict(parent: QWidget | None, exc: ConflictError) -> str:
    """Show the other change; returns RELOAD, REAPPLY or CANCEL."""
    dialog = ConflictDialog(parent, exc)
    dialog.exec()
    return dialog.choice


def resolve_conflict(
    parent: QWidget | None,
    exc: ConflictError,
    *,
    reload: Callable[[], None],
    reapply: Callable[[], None],
) -> str:
    """Ask, then reload or reapply as chosen; returns the choice."""
    choice = ask_about_conflict(parent, exc)
    if choice == RELOAD:
        reload()
    elif choice == REAPPLY:
        reapply()
    return choice
