"""Starting the desktop application: open the database (or help choose one), show the window."""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from parstudio.domain.errors import DatabaseOpenError
from parstudio.services.credentials import needs_password, remember_password
from parstudio.services.database import (
    Database,
    default_database_url,
    open_database,
    sqlite_url,
)
from parstudio.ui.errors import show_error
from parstudio.ui.main_window import FILE_FILTER, MainWindow
from parstudio.ui.server_password import ask_server_password
from parstudio.ui.sign_in import sign_in_if_needed

ORGANISATION = "PARStudio"
APPLICATION = "PAR Studio"
OPEN_OTHER, CREATE_NEW, QUIT = "open", "new", "quit"


def make_application() -> QApplication:
    """The QApplication, named so QSettings finds PAR Studio's settings."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    return app


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


def open_interactively(url: str, parent: QWidget | None = None) -> Database | None:
    """Open a database; if it fails say why and offer another file, a new one, or quitting.

    A server that wants a password gets one asked for (and kept in the system keyring when the
    user ticks the box and the computer has one).
    """
    password: str | None = None
    remember = False
    while True:
        try:
            db = open_database(url, password=password)
        except DatabaseOpenError as exc:
            message = exc.message
            if not url.startswith("sqlite") and needs_password(message):
                answer = ask_server_password(parent, url, message)
                if answer is not None:
                    password, remember = answer
                    continue
        except Exception as exc:
            show_error(parent, exc)
            message = "PAR Studio could not open the database."
        else:
            if password and remember:
                problem = remember_password(url, password)
                if problem:
                    QMessageBox.warning(parent, "PAR Studio", problem)
            return db
        password = None
        choice = recovery_choice(parent, message)
        if choice == OPEN_OTHER:
            path, _ = QFileDialog.getOpenFileName(parent, "Open database", "", FILE_FILTER)
        elif choice == CREATE_NEW:
            path, _ = QFileDialog.getSaveFileName(
                parent, "New database", "parstudio.sqlite", FILE_FILTER
            )
        else:
            return None
        if path:
            url = sqlite_url(path)


def open_main_window(db: Database) -> MainWindow:
    """A main window on an open database (also what tests use)."""
    make_application()
    window = MainWindow(db)
    window.remember_database(db.url)
    return window


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    show_error(QApplication.activeWindow(), exc.with_traceback(tb))


def run_app(database_url: str | None = None) -> int:
    """Run PAR Studio on a database (default: the last one used); returns the exit code."""
    app = make_application()
    sys.excepthook = _excepthook
    last = QSettings().value("lastDatabase")
    url = database_url or (str(last) if last else None) or default_database_url()
    db = open_interactively(url)
    if db is None:
        return 1
    if not sign_in_if_needed(db):
        db.close()
        return 1
    window = open_main_window(db)
    window.make_daily_backup()
    window.show()
    try:
        return app.exec()
    finally:
        window.db.close()
