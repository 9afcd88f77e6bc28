"""Opening the database behind the shown window: off the UI thread, with a way out if it fails.

The window is up before SQLAlchemy is imported (the import alone takes longer than showing a
bare window), so the import, the schema check (and any upgrade), who must sign in and the
first items are all done by a job on the thread pool.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from parstudio.domain.errors import DatabaseOpenError, ParStudioError
from parstudio.domain.progress import Progress
from parstudio.services.core.urls import sqlite_url
from parstudio.ui.kit.background import Receiver, Task
from parstudio.ui.kit.errors import show_error

if TYPE_CHECKING:
    from parstudio.services.core.database import Database
    from parstudio.ui.catalog.models import ItemBatch

FILE_FILTER = "PAR Studio databases (*.sqlite *.db);;All files (*)"
OPEN_OTHER, CREATE_NEW, QUIT = "open", "new", "quit"


@dataclass(frozen=True)
class Opened:
    """An open database and, unless someone must sign in first, its first items."""

    db: Database
    first_items: ItemBatch | None


def open_and_read(url: str, password: str | None = None) -> Opened:
    """Open the database and read the Items page's first batch (runs off the UI thread)."""
    from parstudio.services.admin.users import authenticate
    from parstudio.services.core.database import open_database
    from parstudio.ui.catalog.models import read_items
    from parstudio.ui.shell.sign_in import needs_sign_in

    db = open_database(url, password=password, authenticate=authenticate)
    try:
        # Data is shown only after signing in, so it is read then, on the UI thread.
        first = None if needs_sign_in(db) else read_items(db, include_inactive=False)
    except BaseException:
        db.close()
        raise
    return Opened(db, first)


def recovery_choice(parent: QWidget | None, message: str) -> str:
    """Ask what to do about a database that would not open."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("PAR Studio")
    box.setText(message)
    box.setInformativeText("What would you like to do?")
    open_button = box.addButton("Open another file…", QMessageBox.ButtonRole.AcceptRole)
    new_button = box.addButton("Create new database…", QMessageBox.ButtonRole.ActionRole)
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_button:
        return OPEN_OTHER
    if clicked is new_button:
        return CREATE_NEW
    del quit_button
    return QUIT


def ask_server_password(parent: QWidget | None, url: str, reason: str) -> tuple[str, bool] | None:
    """The server password typed and whether to remember it; None if cancelled."""
    from parstudio.ui.shell.server_password import ask_server_password as ask

    return ask(parent, url, reason)


def remember_password(url: str, password: str) -> str | None:
    """Keep the password in the system keyring; why not, if it could not."""
    from parstudio.services.core.credentials import remember_password as remember

    return remember(url, password)


def needs_password(message: str) -> bool:
    """Whether the server refused the login for want of (the right) password."""
    from parstudio.services.core.credentials import needs_password as needs

    return needs(message)


class DatabaseOpener(QObject):
    """Opens a database off the UI thread; on failure says why and offers another file or Quit.

    A server that wants a password gets one asked for (kept in the system keyring when the
    user ticks the box and the computer has one), and the open is tried again.
    """

    opening = Signal(str)
    """The URL now being opened (first, or after a password or another file was chosen)."""
    opened = Signal(object)
    """An :class:`Opened`."""
    failed = Signal(str)
    """Why the database did not open, in words for the user."""
    gave_up = Signal()
    """The user chose Quit rather than another database."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = parent
        self.url = ""
        self.task: Task | None = None
        self._password: tuple[str, bool] | None = None
        self._cancelled = False

    @property
    def busy(self) -> bool:
        """Whether an open is under way."""
        return self.task is not None

    def cancel(self) -> None:
        """Nobody waits for the database any more: it is closed when it opens, failures unsaid."""
        self._cancelled = True

    def open(self, url: str, password: tuple[str, bool] | None = None) -> None:
        """Start opening ``url`` (with the server password typed, and whether to keep it)."""
        self.url, self._password = url, password
        secret = password[0] if password else None

        def job(_progress: Progress) -> Opened:
            return open_and_read(url, secret)

        self.task = Task(job)
        self.task.receiver = Receiver(  # type: ignore[attr-defined]
            self.task, self, on_done=self._done, on_error=self._failed
        )
        self.opening.emit(url)
        self.task.start()

    def _done(self, result: Any) -> None:
        self.task = None
        if self._cancelled:
            result.db.close()
            return
        if self._password and self._password[1]:
            problem = remember_password(self.url, self._password[0])
            if problem:
                QMessageBox.warning(self.window, "PAR Studio", problem)
        self.opened.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        if self._cancelled:
            return
        if isinstance(exc, ParStudioError):
            message = exc.message
            wants_password = isinstance(exc, DatabaseOpenError) and needs_password(message)
            if wants_password and not self.url.startswith("sqlite"):
                answer = ask_server_password(self.window, self.url, message)
                if answer is not None:
                    self.open(self.url, answer)
                    return
        else:
            show_error(self.window, exc)  # logged, with details to copy
            message = "PAR Studio could not open the database."
        self.failed.emit(message)
        choice = recovery_choice(self.window, message)
        if choice == QUIT:
            self.gave_up.emit()
            return
        if choice == OPEN_OTHER:
            path, _ = QFileDialog.getOpenFileName(self.window, "Open database", "", FILE_FILTER)
        else:
            path, _ = QFileDialog.getSaveFileName(
                self.window, "New database", "parstudio.sqlite", FILE_FILTER
            )
        if path:  # else the window stays as it is; File ▸ Open and New are there
            self.open(sqlite_url(path))


def build_demo_behind(parent: QWidget, url: str, *, then: Callable[[], None]) -> Task:
    """Build the demo department into an empty database off the UI thread, then call ``then``.

    A progress window says what is happening (the first run takes a few seconds); Cancel
    leaves the database empty, and a failure is shown; either way the database then opens.
    """
    from parstudio.ui.kit.background import run_with_progress

    def job(progress: Progress) -> Any:
        from parstudio.demo.first_run import build_demo_if_empty
        from parstudio.services.core.database import open_database

        db = open_database(url)
        try:
            return build_demo_if_empty(db, progress)
        finally:
            db.close()

    def failed(exc: BaseException) -> None:
        show_error(parent, exc)
        then()

    def describe(done: int, total: int) -> str:
        if total and done >= total - 1:
            return "Working out the review suggestions from the demo's year of counts…"
        step = f" ({done + 1} of {total - 1} locations)" if total else ""
        return f"Building the demo department (first run only): a year of counts{step}…"

    return run_with_progress(
        parent,
        "Building the demo department (first run only)…",
        job,
        on_done=lambda _summary: then(),
        on_error=failed,
        on_cancel=then,
        describe=describe,
    )
