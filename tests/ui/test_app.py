"""Starting up: a database that will not open is explained, with a way out, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from parstudio.services.database import sqlite_url
from parstudio.ui import app as ui_app


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Auto-answer the recovery question from a script; record each message shown."""
    shown: list[str] = []
    script: list[str] = []

    def choose(_parent: Any, message: str) -> str:
        shown.append(message)
        return script.pop(0) if script else ui_app.QUIT

    monkeypatch.setattr(ui_app, "recovery_choice", choose)
    return shown, script


def renamed_text_file(tmp_path: Path) -> Path:
    path = tmp_path / "par.sqlite"
    path.write_text("Item,PAR\nSYR-10,12\n" * 200)
    return path


def other_apps_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "inventory.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE stock (sku TEXT, qty INTEGER)")
    return path


def test_a_text_file_renamed_sqlite_is_explained(
    tmp_path: Path, answers: tuple[list[str], list[str]]
) -> None:
    shown, _ = answers
    assert ui_app.open_interactively(sqlite_url(renamed_text_file(tmp_path))) is None
    assert len(shown) == 1
    assert "is not a PAR Studio database" in shown[0]
    assert "Traceback" not in shown[0]


def test_a_sqlite_file_of_another_program_is_explained(
    tmp_path: Path, answers: tuple[list[str], list[str]]
) -> None:
    shown, _ = answers
    path = other_apps_sqlite(tmp_path)
    assert ui_app.open_interactively(sqlite_url(path)) is None
    assert "already holds other tables" in shown[0]
    with sqlite3.connect(path) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    assert tables == {"stock"}


def test_open_another_file_after_a_failure(
    tmp_path: Path, answers: tuple[list[str], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown, script = answers
    script.extend([ui_app.OPEN_OTHER])
    good = tmp_path / "good.sqlite"
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(good), ""))
    )
    db = ui_app.open_interactively(sqlite_url(other_apps_sqlite(tmp_path)))
    assert db is not None
    try:
        assert db.url == sqlite_url(good)
        assert len(shown) == 1
    finally:
        db.close()


def test_create_new_database_after_a_failure(
    tmp_path: Path, answers: tuple[list[str], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, script = answers
    script.extend([ui_app.CREATE_NEW])
    new = tmp_path / "new.sqlite"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(new), ""))
    )
    db = ui_app.open_interactively(sqlite_url(renamed_text_file(tmp_path)))
    assert db is not None
    db.close()
    assert new.exists()


def test_run_app_quits_cleanly_when_nothing_opens(
    tmp_path: Path, answers: tuple[list[str], list[str]]
) -> None:
    shown, _ = answers
    assert ui_app.run_app(sqlite_url(renamed_text_file(tmp_path))) == 1
    assert shown and "not a PAR Studio database" in shown[0]


def test_open_main_window_remembers_the_database(qtbot: Any, sqlite_db: Any) -> None:
    window = ui_app.open_main_window(sqlite_db)
    qtbot.addWidget(window)
    from PySide6.QtCore import QSettings

    assert QSettings().value("lastDatabase") == sqlite_db.url
    assert QSettings().organizationName() == "PARStudio"
    assert QSettings().applicationName() == "PAR Studio"
