"""The main window: a sidebar of pages, the shared undo stack, menus and the database status."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QPaintEvent, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QWidget,
)

from parstudio import __version__ as VERSION
from parstudio.domain.errors import ParStudioError
from parstudio.domain.roles import Role
from parstudio.services.database_urls import describe_url, short_name, sqlite_url
from parstudio.ui.background import Receiver, Task
from parstudio.ui.errors import show_error
from parstudio.ui.opening import FILE_FILTER, DatabaseOpener, Opened
from parstudio.ui.pages import ItemsPage
from parstudio.ui.worksheet_actions import WorksheetActions

if TYPE_CHECKING:
    from parstudio.services.database import Database

# Nothing here imports the services (SQLAlchemy) at start-up: the window is shown first and the
# database opened behind it (ui/opening.py); the services are imported where they are used.

MAX_RECENT = 8
START_OPEN_AT_LATEST_MS = 250
"""A window not painted by then (hidden behind others, say) opens its database anyway."""
MANAGER_PAGES = ("Users", "Audit log")


class Page(Protocol):
    """What a page offers the window."""

    def refresh(self) -> None: ...

    def focus_search(self) -> None: ...


class MainWindow(QMainWindow):
    """PAR Studio's main window, on an open database or on one it is opening."""

    database_opened = Signal()
    """A database opened behind the window is open, signed in to, and its first page read."""
    gave_up = Signal()
    """The database did not open (or nobody signed in) and the user chose to quit."""

    def __init__(self, db: Database | None = None) -> None:
        super().__init__()
        self.db: Database | None = db
        self.opener = DatabaseOpener(self)
        self.opener.opening.connect(self._opening)
        self.opener.opened.connect(self._opened)
        self.opener.failed.connect(self._open_failed)
        self.opener.gave_up.connect(self.gave_up)
        self.daily_backup = True
        """Whether a database opened behind the window gets its daily backup."""
        self._pending_url: str | None = None
        self._backup: Task | None = None
        self.undo_stack = QUndoStack(self)
        self.pages: dict[str, QWidget] = {}
        self._page_names: list[str] = []
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self.setMinimumSize(QSize(960, 600))

        self.sidebar = QListWidget(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setMinimumWidth(150)
        self.sidebar.setMaximumWidth(220)
        self.sidebar.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        self.stack = QStackedWidget(self)
        splitter = QSplitter(self)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 1100])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.sidebar.currentRowChanged.connect(self._show_row)
        self._stale: set[str] = set()

        self.database_label = QLabel(self)
        self.database_label.setObjectName("database_label")
        self.statusBar().addPermanentWidget(self.database_label)

        icon = self.style().standardIcon
        # Pages other than the first are built the first time they are shown: their modules
        # (and the services they use) are imported then, which keeps start-up quick.
        self.items_page = ItemsPage(self)
        self.add_page(
            "Items", icon(QStyle.StandardPixmap.SP_FileDialogDetailedView), self.items_page
        )
        self.add_page("Suppliers", icon(QStyle.StandardPixmap.SP_DirLinkIcon), self._suppliers)
        self.add_page("Locations", icon(QStyle.StandardPixmap.SP_DirHomeIcon), self._locations)
        self.add_page(
            "PAR Settings", icon(QStyle.StandardPixmap.SP_FileDialogListView), self._par_settings
        )
        self.add_page("Count", icon(QStyle.StandardPixmap.SP_DialogApplyButton), self._count)
        self.add_page(
            "Proposal", icon(QStyle.StandardPixmap.SP_FileDialogContentsView), self._proposal
        )
        self.add_page("Orders", icon(QStyle.StandardPixmap.SP_DialogSaveButton), self._orders)
        self.add_page("Review", icon(QStyle.StandardPixmap.SP_BrowserReload), self._review)
        self.add_page("Expiry", icon(QStyle.StandardPixmap.SP_MessageBoxWarning), self._expiry)
        self.add_page("Users", icon(QStyle.StandardPixmap.SP_ComputerIcon), self._users)
        self.add_page(
            "Audit log", icon(QStyle.StandardPixmap.SP_FileDialogInfoView), self._audit_log
        )
        self._build_menus()
        if db is not None:
            self._attach(db)
        else:
            self._enable_for_database(False, opening=False)
        self.sidebar.setCurrentRow(0)
        self.restore_state()

    # -- pages
    def _suppliers(self) -> QWidget:
        from parstudio.ui.pages import SuppliersPage

        return SuppliersPage(self)

    def _locations(self) -> QWidget:
        from parstudio.ui.pages import LocationsPage

        return LocationsPage(self)

    def _par_settings(self) -> QWidget:
        from parstudio.ui.par_page import ParSettingsPage

        return ParSettingsPage(self)

    def _count(self) -> QWidget:
        from parstudio.ui.count_page import CountPage

        page = CountPage(self)
        page.proposal_requested.connect(self.propose_for_location)
        return page

    def _proposal(self) -> QWidget:
        from parstudio.ui.proposal_page import ProposalPage

        page = ProposalPage(self)
        page.orders_created.connect(lambda _orders: self.mark_stale("Orders"))
        return page

    def _orders(self) -> QWidget:
        from parstudio.ui.orders_page import OrdersPage

        return OrdersPage(self)

    def _review(self) -> QWidget:
        from parstudio.ui.review_page import ReviewPage

        page = ReviewPage(self)
        page.levels_changed.connect(lambda: self.mark_stale("PAR Settings"))
        return page

    def _expiry(self) -> QWidget:
        from parstudio.ui.expiry_page import ExpiryPage

        return ExpiryPage(self)

    def _users(self) -> QWidget:
        from parstudio.ui.users_page import UsersPage

        return UsersPage(self)

    def _audit_log(self) -> QWidget:
        from parstudio.ui.audit_page import AuditLogPage

        return AuditLogPage(self)

    def add_page(self, name: str, icon: QIcon, widget: QWidget | Callable[[], QWidget]) -> None:
        """Register a page: a sidebar entry and its widget, or a function that builds it.

        A page has ``refresh`` and ``focus_search``; one given as a function is built (and
        read) the first time it is shown or asked for.
        """
        self._page_names.append(name)
        if isinstance(widget, QWidget):
            self.pages[name] = widget
            self.stack.addWidget(widget)
        else:
            self._factories[name] = widget
            self.stack.addWidget(QWidget(self.stack))  # stands in until the page is built
        QListWidgetItem(icon, name, self.sidebar)

    def _build(self, name: str) -> QWidget:
        page = self.pages.get(name)
        if page is None:
            page = self._factories.pop(name)()
            index = self._page_names.index(name)
            stand_in = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
            self.pages[name] = page
            self._stale.add(name)
        return page

    def page(self, name: str) -> Any:
        """The page registered under a name, built and read first if need be."""
        page = self._build(name)
        self._refresh_if_stale(name)
        return page

    def page_names(self) -> list[str]:
        """The pages in sidebar order."""
        return list(self._page_names)

    def show_page(self, name: str) -> None:
        """Switch to a page."""
        self.sidebar.setCurrentRow(self._page_names.index(name))

    def current_page(self) -> Any:
        """The page on screen."""
        return self.stack.currentWidget()

    def refresh_pages(self, *, already_read: QWidget | None = None) -> None:
        """Every page reads its data again: the one on screen now, the others when next shown.

        Reading every page at once made start-up on a large database slow for pages nobody
        had opened yet. ``already_read`` is a page whose data was just read elsewhere.
        """
        self._stale = {name for name, page in self.pages.items() if page is not already_read}
        current = self.stack.currentWidget()
        for name, page in self.pages.items():
            if page is current:
                self._refresh_if_stale(name)

    def propose_for_location(self, location_id: int) -> None:
        """Go to the Proposal page with the proposal for one location (after its count)."""
        proposal_page = self.page("Proposal")
        proposal_page.refresh()
        proposal_page.set_checked([location_id])
        self.show_page("Proposal")
        proposal_page.propose()

    def mark_stale(self, name: str) -> None:
        """A page's data changed elsewhere: read it now if it is on screen, else when shown."""
        if name in self.pages:
            self._stale.add(name)
            if self.stack.currentWidget() is self.pages[name]:
                self._refresh_if_stale(name)

    def _refresh_if_stale(self, name: str) -> None:
        if name not in self._stale:
            return
        self._stale.discard(name)
        refresh = getattr(self.pages[name], "refresh", None)
        if refresh is not None:
            refresh()

    def _show_row(self, row: int) -> None:
        if self.db is None and row > 0:
            # Only the Items page (saying what is going on) exists until a database is open.
            QTimer.singleShot(0, lambda: self.sidebar.setCurrentRow(0))
            return
        if 0 <= row < len(self._page_names):
            self.page(self._page_names[row])
        self.stack.setCurrentIndex(row)

    # -- what pages call
    def show_status(self, message: str) -> None:
        """A passing message in the status bar."""
        self.statusBar().showMessage(message, 15000)

    def report_error(self, exc: BaseException) -> None:
        """Show an error the house way."""
        show_error(self, exc)

    # -- menus
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = QAction("&New database…", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_database)
        self.open_action = QAction("&Open database…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.open_database_file)
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Recent databases")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.worksheets = WorksheetActions(self)
        self.worksheets.add_to(file_menu)
        self.print_menu = file_menu.addMenu("&Print")
        self._build_print_menu(self.print_menu)
        file_menu.addSeparator()
        self.password_action = QAction("Change my &password…", self)
        self.password_action.triggered.connect(self.change_my_password)
        file_menu.addAction(self.password_action)
        file_menu.addSeparator()
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.find_action = QAction("&Find", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.find_in_page)
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        self.scanner_action = QAction("&Scanner settings…", self)
        self.scanner_action.triggered.connect(lambda: self.page("Count").edit_scanner_settings())
        edit_menu.addAction(self.scanner_action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About PAR Studio", self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)
        # What needs an open database: greyed out while it opens, or if it would not open.
        self.database_actions = [
            self.worksheets.import_action,
            self.worksheets.export_menu.menuAction(),
            self.print_menu.menuAction(),
            self.print_action,
            self.password_action,
            self.find_action,
            self.scanner_action,
        ]

    # What each page prints first (Ctrl+P), and every kind of paper in File ▸ Print.
    PRINTS: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("Order sheet or pick list…", "Orders", "print_selected"),
        ("Count sheet…", "Locations", "print_count_sheet"),
        ("Location and bin labels…", "Locations", "print_labels"),
        ("Shelf labels…", "PAR Settings", "print_labels"),
        ("Item labels…", "Items", "print_labels"),
    )

    def _build_print_menu(self, menu: Any) -> None:
        self.print_action = QAction("Print this page's paper…", self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.print_current)
        menu.addAction(self.print_action)
        menu.addSeparator()
        for text, page, method in self.PRINTS:
            action = QAction(text, self)
            action.triggered.connect(lambda _on=False, p=page, m=method: self.print_from(p, m))
            menu.addAction(action)

    def print_from(self, page: str, method: str) -> None:
        """Go to the page and open its print preview for what is selected there."""
        self.show_page(page)
        getattr(self.page(page), method)()

    def print_current(self) -> None:
        """Print what the current page prints first, if it prints anything."""
        current = self.current_page()
        for _text, page, method in self.PRINTS:
            if self.pages.get(page) is current:
                getattr(current, method)()
                return
        self.show_status("Nothing to print here: Orders, Locations, PAR Settings and Items print.")

    def change_my_password(self) -> None:
        """The signed-in person changes their own password."""
        from parstudio.ui.sign_in import ChangePasswordDialog

        if ChangePasswordDialog(self.db, self).exec():
            self.show_status("Your password was changed.")

    def find_in_page(self) -> None:
        """Focus the current page's search box."""
        page = self.current_page()
        if hasattr(page, "focus_search"):
            page.focus_search()

    def about(self) -> None:
        """Say what this is."""
        QMessageBox.about(
            self,
            "About PAR Studio",
            f"<b>PAR Studio {VERSION}</b><p>Periodic automatic replenishment for a department "
            "supply office: items, suppliers, locations and their PAR levels.</p>"
            f"<p>Database: {self.db.description if self.db else 'none open'}</p>",
        )

    # -- databases
    def open_in_background(self, url: str) -> None:
        """Open a database behind the shown window; the pages fill in when it is open.

        The open starts once the window has been painted: importing SQLAlchemy on the pool
        thread holds the interpreter for long stretches and would delay that first paint.
        """
        self._opening(url)
        self._pending_url = url
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
        if url is not None:
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
        from parstudio.ui.sign_in import needs_sign_in, sign_in_if_needed

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
        from parstudio.services.database import open_database

        try:
            new_db = open_database(url)
        except ParStudioError as exc:
            QMessageBox.warning(self, "PAR Studio", exc.message)
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        from parstudio.ui.sign_in import sign_in_if_needed

        if not sign_in_if_needed(new_db, self):
            new_db.close()
            return False
        old, self.db = self.db, new_db
        if old is not None:
            old.close()
        self.undo_stack.clear()
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
        from parstudio.services import backup

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
        """Note the database as the last one and first among the recent ones."""
        settings = QSettings()
        recent = [u for u in recent_databases() if u != url]
        settings.setValue("lastDatabase", url)
        settings.setValue("recentDatabases", [url, *recent][:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for url in recent_databases():
            action = self.recent_menu.addAction(url.removeprefix("sqlite:///"))
            action.setEnabled(self.db is None or url != self.db.url)
            action.triggered.connect(lambda _checked=False, u=url: self.switch_database(u))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # -- window state
    def restore_state(self) -> None:
        """Put the window back where it was."""
        settings = QSettings()
        geometry = settings.value("mainWindow/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = settings.value("mainWindow/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._pending_url = None  # not opened at all if the window goes before it has painted
        self.opener.cancel()  # a database still opening behind the window is closed when it is
        settings = QSettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        settings.setValue("mainWindow/state", self.saveState())
        super().closeEvent(event)


def recent_databases() -> list[str]:
    """Recently opened database URLs, newest first."""
    value = QSettings().value("recentDatabases", [])
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []
