"""Starting the desktop application: show the window at once, open the database behind it."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication

from parstudio.services.core.urls import default_database_url, normalise_url
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.icons import app_icon
from parstudio.ui.shell.database import forget_remembered_passwords
from parstudio.ui.shell.main_window import MainWindow

if TYPE_CHECKING:
    from parstudio.services.core.database import Database

# Nothing imported here (or by the window) loads SQLAlchemy: the window is shown before the
# database is opened, off the UI thread (ui/opening.py). tests/ui/test_app.py checks it.

ORGANISATION = "PARStudio"
APPLICATION = "PAR Studio"


def make_application() -> QApplication:
    """The QApplication, named so QSettings finds PAR Studio's settings."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName("parstudio")  # matches the desktop entry (its icon on Wayland)
    app.setWindowIcon(app_icon())
    return app


def open_main_window(db: Database) -> MainWindow:
    """A main window on a database already open (the count station's and the tests' way)."""
    make_application()
    window = MainWindow(db)
    window.remember_database(db.url)
    return window


def start_main_window(
    database_url: str | None = None, *, daily_backup: bool = True, demo: bool = False
) -> MainWindow:
    """Show the main window now and open the database (default: the last one used) behind it.

    With ``demo``, an empty database first gets the demo department, built behind the window
    with a progress window (the first run of ``make run``).

    Once it is open, a local database gets its daily backup (off the UI thread) unless
    ``daily_backup`` is False (the benchmarks, which measure the start, not the copy).
    """
    make_application()
    forget_remembered_passwords()
    last = QSettings().value("lastDatabase")
    url = database_url or (str(last) if last else None) or default_database_url()
    window = MainWindow()
    window.daily_backup = daily_backup
    window.show()
    window.open_in_background(normalise_url(url), build_demo=demo)
    return window


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    show_error(QApplication.activeWindow(), exc.with_traceback(tb))


def run_app(database_url: str | None = None, *, demo: bool = False) -> int:
    """Run PAR Studio on a database (default: the last one used); returns the exit code.

    1 when the database did not open (or nobody signed in) and the user chose to quit.
    """
    app = make_application()
    sys.excepthook = _excepthook
    window = start_main_window(database_url, demo=demo)
    window.gave_up.connect(lambda: app.exit(1))
    try:
        return app.exec()
    finally:
        # Work still on the pool (today's backup copy, an open) ends before the interpreter
        # does: Python code still running in a pool thread at shutdown can crash it.
        QThreadPool.globalInstance().waitForDone()
        if window.db is not None:
            window.db.close()
