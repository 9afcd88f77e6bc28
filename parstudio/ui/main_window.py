"""The main window: a sidebar of pages, the shared undo stack, menus and the database status."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Protocol

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QUndoStack
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
from parstudio.services import backup
from parstudio.services.database import Database, open_database, sqlite_url
from parstudio.ui.errors import show_error
from parstudio.ui.pages import ItemsPage
from parstudio.ui.worksheet_actions import WorksheetActions

MAX_RECENT = 8
MANAGER_PAGES = ("Users", "Audit log")
FILE_FILTER = "PAR Studio databases (*.sqlite *.db);;All files (*)"


class Page(Protocol):
    """What a page offers the window."""

    def refresh(self) -> None: ...

    def focus_search(self) -> None: ...


def short_name(db: Database) -> str:
    """The database as the window title names it: a file name, or the server description."""
    if db.is_sqlite and db.url.startswith("sqlite:///"):
        return Path(db.url.removeprefix("sqlite:///")).name
    return db.description


class MainWindow(QMainWindow):
    """PAR Studio's main window."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
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
        self.add_page(
            "Items", icon(QStyle.StandardPixmap.SP_FileDialogDetailedView), ItemsPage(self)
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
        self._show_database()
        self.refresh_pages()
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

    def refresh_pages(self) -> None:
        """Every page reads its data again: the one on screen now, the others when next shown.

        Reading every page at once made start-up on a large database slow for pages nobody
        had opened yet.
        """
        self._stale = set(self.pages)
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
        self._build_print_menu(file_menu.addMenu("&Print"))
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
            f"<p>Database: {self.db.description}</p>",
        )

    # -- databases
    def _show_database(self) -> None:
        self.setWindowTitle(f"PAR Studio — {short_name(self.db)}")
        # Accounts and the audit log are for managers (the services refuse others' writes).
        for name in MANAGER_PAGES:
            row = self._page_names.index(name)
            self.sidebar.item(row).setHidden(self.db.role is not Role.MANAGER)
            if self.db.role is not Role.MANAGER and self.sidebar.currentRow() == row:
                self.sidebar.setCurrentRow(0)
        self.password_action.setEnabled(self.db.has_users and self.db.display_name is not None)
        who = self.db.display_name or self.db.user_name
        role = f" ({self.db.role.label})" if self.db.role and self.db.has_users else ""
        self.database_label.setText(f"{self.db.description}  ·  {who}{role}")

    def switch_database(self, url: str) -> bool:
        """Open another database instead of this one; on failure keep the current one."""
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
        old.close()
        self.undo_stack.clear()
        self._show_database()
        self.refresh_pages()
        self.remember_database(new_db.url)
        self.show_status(f"Opened {new_db.description}.")
        self.make_daily_backup()
        return True

    def make_daily_backup(self) -> None:
        """Copy a local database once a day (the last seven are kept); a failure only warns."""
        try:
            made = backup.daily_backup(self.db)
        except ParStudioError as exc:
            self.show_status(f"Today's automatic backup failed: {exc.message}")
            return
        if made is not None:
            self.show_status(f"Today's backup was saved to {made}.")

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
            action.setEnabled(url != self.db.url)
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
