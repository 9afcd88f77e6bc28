"""The one place errors reach the user: known ones plainly, unknown ones logged with details."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import ParStudioError
from parstudio.services.core.urls import LOG_NAME, log_file, redact_passwords

__all__ = ["LOG_NAME", "ErrorDialog", "log_file", "show_error"]

log = logging.getLogger("parstudio")


def _ensure_file_logging() -> None:
    path = log_file()
    for handler in log.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path:
            return
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)


class ErrorDialog(QDialog):
    """An unexpected error: a plain sentence, and the details to copy for whoever supports you."""

    def __init__(self, parent: QWidget | None, details: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("PAR Studio — something went wrong")
        self.details = details
        layout = QVBoxLayout(self)
        self.message = QLabel(
            "PAR Studio ran into a problem it did not expect. What you were doing may not have "
            f"been saved.\n\nThe details were written to {log_file()}."
        )
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.text = QPlainTextEdit(details)
        self.text.setReadOnly(True)
        self.text.setVisible(False)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        self.show_button = buttons.addButton("Show details", QDialogButtonBox.ButtonRole.HelpRole)
        self.copy_button.clicked.connect(self.copy_details)
        self.show_button.clicked.connect(lambda: self.text.setVisible(not self.text.isVisible()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 200)

    def copy_details(self) -> None:
        """Put the traceback on the clipboard."""
        QApplication.clipboard().setText(self.details)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show an error: a ParStudioError as its message, anything else logged and with details."""
    if isinstance(exc, ParStudioError):
        window = parent.window() if parent is not None else None
        if isinstance(window, QMainWindow) and parent is window:
            window.statusBar().showMessage(exc.message, 15000)
        else:
            QMessageBox.warning(parent, "PAR Studio", exc.message)
        return
    # A database address in an error keeps its login but never its password, in the log too.
    details = redact_passwords(
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    )
    try:
        _ensure_file_logging()
        log.error("Unexpected error\n%s", details)
    except OSError:
        pass
    ErrorDialog(parent, details).exec()
