"""The main window's database: opening it behind the window, switching, recent files, backups."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
)

from parstudio.domain.errors import ParStudioError
from parstudio.domain.roles import Role
from parstudio.services.core.urls import describe_url, short_name, sqlite_url, without_password
from parstudio.ui.kit.background import Receiver, Task
from parstudio.ui.kit.errors import show_error
from parstudio.ui.shell.opening import FILE_FILTER, Opened, build_demo_behind
from parstudio.ui.shell.parts import WindowParts

if TYPE_CHECKING:
    from parstudio.services.core.database import Database

MAX_RECENT = 8
START_OPEN_AT_LATEST_MS = 250
"""A window not painted by then (hidden behind others, say) opens its database anyway."""
MANAGER_PAGES = ("Users", "Audit log")


class WindowDatabase(WindowParts):
    """Which database the main window shows, and opening another (mixed into MainWindow)."""

    def open_in_background(self, url: str, *, build_demo: bool = False) -> None:
        """Open a database behind the shown window; the pages fill in when it is open.

        The open starts once the window has been painted: importing SQLAlchemy on the pool
        thread holds the interpreter for long stretches and would delay that first paint.
        With ``build_demo``, an empty database first gets the demo department (first_run.py).
        """
        self._opening(url)
        self._pending_url = url
        self._pending_demo = build_demo
        if self.isVisible():
            QTimer.singleShot(START_OPEN_AT_LATEST_MS, self._start_pending_open)
        else:
            self._start_pending_open()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._pending_url is not None:
            QTimer.singleShot(0, self._start_pending_open)  # after the rest of this paint

    def _start_pending_open(self) -> None:
        url, self._pending_url = self._pending_url, None
        if url is None:
            return
        if self._pending_demo:
            self._pending_demo = False
            self.demo_task = build_demo_behind(self, url, then=lambda: self.opener.open(url))
        else:
            self.opener.open(url)

    def _opening(self, url: str) -> None:
        name = short_name(url)
        self.setWindowTitle(f"PAR Studio — {name}")
        self.database_label.setText(describe_url(url))
        self.statusBar().showMessage(f"Opening {name}…")
        self.items_page.show_waiting(f"Opening {name}…")
        self._enable_for_database(False, opening=True)

    def _opened(self, opened: Opened) -> None:
        db = opened.db
        from parstudio.ui.shell.sign_in import needs_sign_in, sign_in_if_needed

        if needs_sign_in(db):
            name = short_name(db.url)
            self.statusBar().showMessage(f"{name} is open: sign in to work on it.")
            self.items_page.show_waiting(f"Sign in to see what {name} holds.")
        if not sign_in_if_needed(db, self):
            db.close()
            self.gave_up.emit()
            return
        self.statusBar().clearMessage()
        self._attach(db, opened.first_items)
        self.remember_database(db.url)
        if self.daily_backup:
            self.make_daily_backup()
        self.database_opened.emit()

    def _open_failed(self, message: str) -> None:
        name = short_name(self.opener.url)
        self.setWindowTitle(f"PAR Studio — {name}")
        self.statusBar().showMessage(f"{name} did not open.")
        self.items_page.show_waiting(
            f"{message}\n\nChoose File ▸ Open database… or File ▸ New database… to go on."
        )
        self._enable_for_database(False, opening=False)

    def _attach(self, db: Database, first_items: Any = None) -> None:
        """Work on this database: every page reads it (the Items page may have read it already)."""
        self.db = db
        self._enable_for_database(True, opening=False)
        self._show_database()
        if first_items is None:
            self.refresh_pages()
        else:
            self.refresh_pages(already_read=self.items_page)
            self.items_page.show_batch(first_items)

    def _enable_for_database(self, is_open: bool, *, opening: bool) -> None:
        """Enable what needs an open database; while one opens, File ▸ Open and New wait too."""
        for action in self.database_actions:
            action.setEnabled(is_open)
        for action in (self.new_action, self.open_action, self.recent_menu.menuAction()):
            action.setEnabled(not opening)
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            if row > 0:  # the Items page stays, to say what is going on
                flags = item.flags()
                enabled = Qt.ItemFlag.ItemIsEnabled
                item.setFlags(flags | enabled if is_open else flags & ~enabled)
            if not is_open and self._page_names[row] in MANAGER_PAGES:
                item.setHidden(True)  # who is signed in is not known yet

    def _show_database(self) -> None:
        db = self.db
        assert db is not None
        self.setWindowTitle(f"PAR Studio — {short_name(db.url)}")
        # Accounts and the audit log are for managers (the services refuse others' writes).
        for name in MANAGER_PAGES:
            row = self._page_names.index(name)
            self.sidebar.item(row).setHidden(db.role is not Role.MANAGER)
            if db.role is not Role.MANAGER and self.sidebar.currentRow() == row:
                self.sidebar.setCurrentRow(0)
        self.password_action.setEnabled(db.has_users and db.display_name is not None)
        who = db.display_name or db.user_name
        role = f" ({db.role.label})" if db.role and db.has_users else ""
        self.database_label.setText(f"{db.description}  ·  {who}{role}")

    def switch_database(self, url: str) -> bool:
        """Open another database instead of this one; on failure keep the current one."""
        from parstudio.services.admin.users import authenticate
        from parstudio.services.core.database import open_database

        try:
            new_db = open_database(url, authenticate=authenticate)
        except ParStudioError as exc:
            QMessageBox.warning(self, "PAR Studio", exc.message)
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        from parstudio.ui.shell.sign_in import sign_in_if_needed

        if not sign_in_if_needed(new_db, self):
            new_db.close()
            return False
        old, self.db = self.db, new_db
        if old is not None:
            old.close()
        self.undo_stack.clear_all()
        self._attach(new_db)
        self.remember_database(new_db.url)
        self.show_status(f"Opened {new_db.description}.")
        self.make_daily_backup()
        return True

    def make_daily_backup(self) -> None:
        """Copy a local database once a day (the last seven are kept), off the UI thread.

        A copy of a large department takes seconds; the window stays usable meanwhile, and a
        failure only warns.
        """
        from parstudio.services.admin import backup

        db = self.db
        if db is None or (self._backup is not None and self._backup.running):
            return
        task = self._backup = Task(lambda _progress: backup.daily_backup(db))
        task.receiver = Receiver(  # type: ignore[attr-defined]
            task, self, on_done=self._backup_made, on_error=self._backup_failed
        )
        task.start()

    def _backup_made(self, made: Path | None) -> None:
        if made is not None:
            self.show_status(f"Today's backup was saved to {made}.")

    def _backup_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ParStudioError):
            self.show_status(f"Today's automatic backup failed: {exc.message}")
        else:
            self.report_error(exc)

    def open_database_file(self) -> None:
        """Choose a database file to open."""
        path, _ = QFileDialog.getOpenFileName(self, "Open database", "", FILE_FILTER)
        if path:
            self.switch_database(sqlite_url(path))

    def new_database(self) -> None:
        """Choose where to create a new, empty database."""
        path, _ = QFileDialog.getSaveFileName(self, "New database", "parstudio.sqlite", FILE_FILTER)
        if not path:
            return
        if Path(path).exists():
            QMessageBox.warning(
                self, "PAR Studio", f"{path} already exists; use Open database… to open it."
            )
            return
        self.switch_database(sqlite_url(path))

    def remember_database(self, url: str) -> None:
        """Note the database as the last one and first among the recent ones (no password)."""
        url = without_password(url)
        settings = QSettings()
        recent = [u for u in recent_databases() if u != url]
        settings.setValue("lastDatabase", url)
        settings.setValue("recentDatabases", [url, *recent][:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for url in recent_databases():
            local = url.startswith("sqlite")
            shown = url.removeprefix("sqlite:///") if local else describe_url(url)
            action = self.recent_menu.addAction(shown)
            action.setEnabled(self.db is None or url != self.db.url)
            action.triggered.connect(lambda _checked=False, u=url: self.switch_database(u))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # -- window state


def recent_databases() -> list[str]:
    """Recently opened database URLs, newest first (never with a password)."""
    value = QSettings().value("recentDatabases", [])
    urls = [value] if isinstance(value, str) else value if isinstance(value, list | tuple) else []
    recent: list[str] = []
    for url in (without_password(str(v)) for v in urls):
        if url not in recent:
            recent.append(url)
    return recent


def forget_remembered_passwords() -> None:
    """Take passwords out of the last and recent databases an older PAR Studio remembered."""
    settings = QSettings()
    last = settings.value("lastDatabase")
    if isinstance(last, str) and without_password(last) != last:
        settings.setValue("lastDatabase", without_password(last))
    stored = settings.value("recentDatabases", [])
    listed = (
        [stored] if isinstance(stored, str) else list(stored) if isinstance(stored, list) else []
    )
    if recent_databases() != listed:
        settings.setValue("recentDatabases", recent_databases())
