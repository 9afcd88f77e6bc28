"""What the main window's parts share, declared once so each part type-checks on its own.

``MainWindow`` is put together from ``WindowDatabase`` (opening, switching, backups) and
``WindowMenus`` (the menus); both build on ``WindowParts``, which names the widgets, state and
methods the others provide. It holds no behaviour: every method here is one the window has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QMenu, QStackedWidget, QWidget

if TYPE_CHECKING:
    from parstudio.services.core.database import Database
    from parstudio.ui.catalog.pages import ItemsPage
    from parstudio.ui.kit.background import Task
    from parstudio.ui.kit.undo import UndoStack
    from parstudio.ui.shell.opening import DatabaseOpener
    from parstudio.ui.worksheets.actions import WorksheetActions


class WindowParts(QMainWindow):
    """The main window as its parts see it."""

    database_opened = Signal()
    """A database opened behind the window is open, signed in to, and its first page read."""
    gave_up = Signal()
    """The database did not open (or nobody signed in) and the user chose to quit."""

    # Set up by MainWindow.__init__ and WindowMenus._build_menus.
    db: Database | None
    opener: DatabaseOpener
    daily_backup: bool
    _pending_url: str | None
    _backup: Task | None
    _pending_demo: bool
    demo_task: Task | None
    undo_stack: UndoStack
    pages: dict[str, QWidget]
    _page_names: list[str]
    sidebar: QListWidget
    stack: QStackedWidget
    database_label: QLabel
    items_page: ItemsPage
    worksheets: WorksheetActions
    new_action: QAction
    open_action: QAction
    recent_menu: QMenu
    print_menu: QMenu
    print_action: QAction
    password_action: QAction
    find_action: QAction
    scanner_action: QAction
    database_actions: list[QAction]

    # Provided by MainWindow.
    def page(self, name: str) -> Any:
        raise NotImplementedError

    def current_page(self) -> Any:
        raise NotImplementedError

    def show_page(self, name: str) -> None:
        raise NotImplementedError

    def refresh_pages(self, *, already_read: QWidget | None = None) -> None:
        raise NotImplementedError

    def show_status(self, message: str) -> None:
        raise NotImplementedError

    def report_error(self, exc: BaseException) -> None:
        raise NotImplementedError

    # Provided by WindowDatabase, used by the menus.
    def new_database(self) -> None:
        raise NotImplementedError

    def open_database_file(self) -> None:
        raise NotImplementedError

    def switch_database(self, url: str) -> bool:
        raise NotImplementedError

    def _fill_recent(self) -> None:
        raise NotImplementedError
