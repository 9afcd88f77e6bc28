"""UI test fixtures: settings and the data folder in a temporary place, message boxes answered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QMessageBox

from parstudio.services.core.database import Database
from parstudio.ui.kit import errors as ui_errors
from parstudio.ui.kit.conflicts import ConflictDialog
from parstudio.ui.shell.app import APPLICATION, ORGANISATION, open_main_window
from parstudio.ui.shell.main_window import MainWindow


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any) -> Iterator[Path]:
    """QSettings and the data folder (log file) under the test's temporary folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "cfg"))
    QSettings().clear()
    yield tmp_path


@pytest.fixture(autouse=True)
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes and error dialogs record their text instead of waiting for a click."""
    shown: list[str] = []

    def warning(_parent: Any, _title: str, text: str, *args: Any) -> Any:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    def error_exec(dialog: ui_errors.ErrorDialog) -> int:
        shown.append(dialog.details)
        return 0

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(warning))

    def conflict_exec(dialog: ConflictDialog) -> int:
        shown.append(dialog.details.text())
        return 0  # as if cancelled: the user's change is not saved

    monkeypatch.setattr(ui_errors.ErrorDialog, "exec", error_exec)
    monkeypatch.setattr(ConflictDialog, "exec", conflict_exec)
    return shown


@pytest.fixture
def window(qtbot: Any, sqlite_db: Database) -> MainWindow:
    """The main window on a fresh database, shown offscreen."""
    win = open_main_window(sqlite_db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win
