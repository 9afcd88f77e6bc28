"""Starting up: the window shows at once, the database opens behind it, and one that will not
open is explained, with a way out, never a traceback."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from parstudio.domain.roles import Role
from parstudio.services.admin import users
from parstudio.services.catalog import items
from parstudio.services.core.database import Database, open_database, sqlite_url
from parstudio.ui.shell import app as ui_app
from parstudio.ui.shell import opening
from parstudio.ui.shell.main_window import MainWindow
from parstudio.ui.shell.sign_in import SignInDialog

PASSWORD = "correct horse battery"
WAIT_MS = 20_000
# What the window must not wait for: the database layer, and what printing, worksheets, charts,
# scanning and accounts use.
HEAVY = (
    "sqlalchemy", "alembic", "parstudio.models", "psycopg", "keyring", "argon2", "reportlab",
    "openpyxl", "python_calamine", "pypdfium2", "biip", "PySide6.QtCharts",
)  # fmt: skip  # opening imports SQLAlchemy in a fresh worker: slow on a busy machine


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Auto-answer the recovery question from a script; record each message shown."""
    shown: list[str] = []
    script: list[str] = []

    def choose(_parent: Any, message: str) -> str:
        shown.append(message)
        return script.pop(0) if script else opening.QUIT

    monkeypatch.setattr(opening, "recovery_choice", choose)
    return shown, script


def start(qtbot: Any, path: Path) -> MainWindow:
    """The window as `parstudio` starts it, on a database still opening behind it."""
    window = ui_app.start_main_window(sqlite_url(path))
    qtbot.addWidget(window)
    return window


def renamed_text_file(tmp_path: Path) -> Path:
    path = tmp_path / "par.sqlite"
    path.write_text("Item,PAR\nSYR-10,12\n" * 200)
    return path


def other_apps_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "inventory.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE stock (sku TEXT, qty INTEGER)")
    return path


def department(tmp_path: Path, count: int = 3) -> Path:
    """A database file with a few items."""
    path = tmp_path / "ward.sqlite"
    db = open_database(sqlite_url(path))
    try:
        for n in range(count):
            items.create_item(
                db, fields={"code": f"SYR-{n}", "description": f"Syringe {n} ml", "unit": "EA"}
            )
    finally:
        db.close()
    return path


def with_accounts(path: Path) -> Path:
    """The database with a manager's and a clerk's account: signing in is required."""
    db = open_database(sqlite_url(path))
    try:
        for login, role in (("anna", Role.MANAGER), ("carl", Role.CLERK)):
            users.create_user(
                db, login=login, display_name=login.title(), role=role, password=PASSWORD
            )
    finally:
        db.close()
    return path


def needs_the_database(window: MainWindow) -> list[Any]:
    return [*window.database_actions, window.items_page.search, window.items_page.show_inactive]


def test_the_window_is_painted_before_sqlalchemy_is_imported(tmp_path: Path) -> None:
    """Through the real entry point, in a fresh interpreter (other tests import SQLAlchemy)."""
    path = department(tmp_path)
    probe = f"""
import json, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
from parstudio import cli
from parstudio.ui.shell.app import make_application

seen = {{}}
HEAVY = {HEAVY!r}

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow) and not seen:
            seen["at_paint"] = sorted(set(HEAVY) & set(sys.modules))
            seen["waiting"] = obj.items_page.waiting.text()
            obj.database_opened.connect(QApplication.quit)
        return False

app = make_application()
watcher = FirstPaint()
app.installEventFilter(watcher)
code = cli.main(["--database", {str(path)!r}])
seen["code"] = code
seen["after"] = "sqlalchemy" in sys.modules
print(json.dumps(seen))
"""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {
        "at_paint": [],
        "waiting": "Opening ward.sqlite…",
        "code": 0,
        "after": True,
    }


def test_the_window_says_it_is_opening_then_shows_the_items(qtbot: Any, tmp_path: Path) -> None:
    window = start(qtbot, department(tmp_path))
    page = window.items_page
    assert window.isVisible() and window.db is None
    assert window.windowTitle() == "PAR Studio — ward.sqlite"
    assert page.waiting.text() == "Opening ward.sqlite…"
    assert window.statusBar().currentMessage() == "Opening ward.sqlite…"
    assert page.model.rowCount() == 0
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        pass
    assert window.db is not None and window.db.url == sqlite_url(tmp_path / "ward.sqlite")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    assert not page.waiting.isVisible() and page.body.currentWidget() is page.view
    assert page.count_label.text() == "3 items"
    assert page.model.index(0, 0).data() == "SYR-0"
    assert window.db.description in window.database_label.text()
    assert page.add_action.isEnabled()  # a manager, now it is known who is working
    window.show_page("Suppliers")  # the other pages read when first shown, as before
    assert window.current_page() is window.page("Suppliers")


def test_what_needs_the_database_waits_until_it_is_open(qtbot: Any, tmp_path: Path) -> None:
    window = start(qtbot, department(tmp_path))
    assert not any(w.isEnabled() for w in needs_the_database(window))
    assert not window.open_action.isEnabled()  # one database opens at a time
    assert not window.items_page.add_action.isEnabled()
    for row in range(1, window.sidebar.count()):
        assert not window.sidebar.item(row).flags() & window.sidebar.item(row).flags().ItemIsEnabled
    assert window.sidebar.item(window.page_names().index("Users")).isHidden()
    # Clicking around while it opens does nothing harmful, and the window answers.
    window.sidebar.setCurrentRow(4)
    window.find_action.trigger()
    window.print_current()
    window.about()
    qtbot.waitUntil(lambda: window.sidebar.currentRow() == 0)
    assert window.current_page() is window.items_page
    assert "Count" not in window.pages
    # The database may finish opening while the clicks above are handled: wait for the state,
    # not for a signal that may already have gone by.
    qtbot.waitUntil(lambda: window.db is not None, timeout=WAIT_MS)
    assert all(w.isEnabled() for w in needs_the_database(window) if w is not window.password_action)
    assert not window.password_action.isEnabled()  # no accounts: nobody to change it for
    assert window.open_action.isEnabled() and window.new_action.isEnabled()
    assert window.sidebar.item(4).flags() & window.sidebar.item(4).flags().ItemIsEnabled
    assert not window.sidebar.item(window.page_names().index("Users")).isHidden()


def test_closing_the_window_while_it_opens_drops_the_database(
    qtbot: Any,
    tmp_path: Path,
    answers: tuple[list[str], list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown, _ = answers
    path = department(tmp_path)
    dropped: list[str] = []
    close = Database.close

    def recording_close(db: Database) -> None:
        dropped.append(db.url)
        close(db)

    monkeypatch.setattr(Database, "close", recording_close)
    window = start(qtbot, path)
    closed: list[bool] = []

    def close_now(_url: str) -> None:  # as the open starts, the user closes the window
        closed.append(window.close())

    window.opener.opening.connect(close_now)
    qtbot.waitUntil(lambda: bool(closed) and not window.opener.busy, timeout=WAIT_MS)
    assert window.db is None and shown == []
    assert dropped == [sqlite_url(path)]  # opened behind the closed window, and closed again


def test_a_text_file_renamed_sqlite_is_explained(
    qtbot: Any, tmp_path: Path, answers: tuple[list[str], list[str]]
) -> None:
    shown, _ = answers
    window = start(qtbot, renamed_text_file(tmp_path))
    with qtbot.waitSignal(window.gave_up, timeout=WAIT_MS):
        pass
    assert len(shown) == 1
    assert "is not a PAR Studio database" in shown[0]
    assert "Traceback" not in shown[0]
    assert window.db is None


def test_a_newer_schema_is_refused_and_another_database_can_be_opened(
    qtbot: Any, tmp_path: Path, answers: tuple[list[str], list[str]], monkeypatch: Any
) -> None:
    shown, script = answers
    script.append(opening.CREATE_NEW)  # then thinks better of it: the file dialog is cancelled
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    newer = department(tmp_path)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    window = start(qtbot, newer)
    with qtbot.waitSignal(window.opener.failed, timeout=WAIT_MS):
        pass
    qtbot.waitUntil(lambda: not window.opener.busy and bool(shown))
    assert "newer version of PAR Studio" in shown[0]
    page = window.items_page
    assert "newer version of PAR Studio" in page.waiting.text()
    assert "File ▸ Open database…" in page.waiting.text()
    assert window.statusBar().currentMessage() == "ward.sqlite did not open."
    assert window.db is None
    assert not any(w.isEnabled() for w in needs_the_database(window))
    assert window.open_action.isEnabled() and window.new_action.isEnabled()
    # The window is still usable: File ▸ Open another database works.
    good = tmp_path / "good.sqlite"
    assert window.switch_database(sqlite_url(good))
    assert window.db is not None and window.db.url == sqlite_url(good)
    assert not page.waiting.isVisible()
    assert "no items yet" in page.empty.text()
    assert all(w.isEnabled() for w in needs_the_database(window) if w is not window.password_action)


def test_an_unexpected_error_while_opening_shows_its_details(
    qtbot: Any,
    tmp_path: Path,
    answers: tuple[list[str], list[str]],
    messages: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown, _ = answers

    def broken(url: str, password: str | None = None) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(opening, "open_and_read", broken)
    window = start(qtbot, department(tmp_path))
    with qtbot.waitSignal(window.gave_up, timeout=WAIT_MS):
        pass
    assert any("RuntimeError: disk on fire" in text for text in messages)  # the details
    assert shown == ["PAR Studio could not open the database."]


def test_open_another_file_after_a_failure(
    qtbot: Any,
    tmp_path: Path,
    answers: tuple[list[str], list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown, script = answers
    script.extend([opening.OPEN_OTHER])
    good = department(tmp_path)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(good), ""))
    )
    window = start(qtbot, other_apps_sqlite(tmp_path))
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        pass
    assert window.db is not None and window.db.url == sqlite_url(good)
    assert len(shown) == 1 and "already holds other tables" in shown[0]
    assert window.items_page.model.rowCount() == 3
    with sqlite3.connect(tmp_path / "inventory.sqlite") as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    assert tables == {"stock"}  # the other program's file was left alone


def test_create_new_database_after_a_failure(
    qtbot: Any,
    tmp_path: Path,
    answers: tuple[list[str], list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, script = answers
    script.extend([opening.CREATE_NEW])
    new = tmp_path / "new.sqlite"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(new), ""))
    )
    window = start(qtbot, renamed_text_file(tmp_path))
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        pass
    assert new.exists()
    assert window.windowTitle() == "PAR Studio — new.sqlite"


def test_sign_in_comes_after_the_open_and_before_the_data(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = with_accounts(department(tmp_path))
    asked: list[int] = []

    def sign_in(dialog: SignInDialog) -> int:
        asked.append(window.items_page.model.rowCount())  # nothing shown before signing in
        assert window.items_page.waiting.text() == "Sign in to see what ward.sqlite holds."
        dialog.db.sign_in("carl", PASSWORD)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SignInDialog, "exec", sign_in)
    window = start(qtbot, path)
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        pass
    assert asked == [0]
    assert window.items_page.model.rowCount() == 3
    assert "Carl (Clerk)" in window.database_label.text()
    assert not window.items_page.add_action.isEnabled()  # clerks do not edit the catalogue


def test_cancelling_sign_in_quits(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = with_accounts(department(tmp_path))
    monkeypatch.setattr(SignInDialog, "exec", lambda _dialog: QDialog.DialogCode.Rejected)
    window = start(qtbot, path)
    with qtbot.waitSignal(window.gave_up, timeout=WAIT_MS):
        pass
    assert window.db is None


def test_run_app_quits_cleanly_when_nothing_opens(
    tmp_path: Path, answers: tuple[list[str], list[str]]
) -> None:
    shown, _ = answers
    safety = QTimer()  # never hang the suite
    safety.setSingleShot(True)
    safety.timeout.connect(lambda: QApplication.exit(99))
    safety.start(WAIT_MS)
    try:
        assert ui_app.run_app(sqlite_url(renamed_text_file(tmp_path))) == 1
    finally:
        safety.stop()
    assert shown and "not a PAR Studio database" in shown[0]
    for widget in QApplication.topLevelWidgets():
        widget.close()


def test_open_main_window_remembers_the_database(qtbot: Any, sqlite_db: Database) -> None:
    window = ui_app.open_main_window(sqlite_db)
    qtbot.addWidget(window)
    from PySide6.QtCore import QSettings

    assert QSettings().value("lastDatabase") == sqlite_db.url
    assert QSettings().organizationName() == "PARStudio"
    assert QSettings().applicationName() == "PAR Studio"


def test_first_run_shows_the_window_then_builds_the_demo_behind_a_progress_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from parstudio.services.catalog import items
    from parstudio.ui.kit import background

    monkeypatch.setattr(background, "SHOW_AFTER_MS", 0)  # the test machine may be quick
    url = sqlite_url(tmp_path / "demo.sqlite")
    window = ui_app.start_main_window(url, demo=True)
    qtbot.addWidget(window)
    assert window.isVisible() and window.db is None  # at once, before anything is built
    labels: list[str] = []

    def progress_shown() -> bool:
        found = [
            w for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.isVisible()
        ]  # fmt: skip
        labels.extend(w.labelText() for w in found)
        return bool(found)

    qtbot.waitUntil(progress_shown, timeout=WAIT_MS)
    assert labels[0].startswith("Building the demo department (first run only)")
    with qtbot.waitSignal(window.database_opened, timeout=120_000):
        pass
    assert window.db is not None and items.count_items(window.db) > 200
    qtbot.waitUntil(lambda: window.items_page.model.rowCount() > 0)
    assert not [
        w for w in QApplication.topLevelWidgets()
        if isinstance(w, QProgressDialog) and w.isVisible()
    ]  # fmt: skip
    assert window.demo_task is not None and not window.demo_task.running
