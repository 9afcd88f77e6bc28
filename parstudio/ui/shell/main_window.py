"""The main window: a sidebar of pages and the shared undo stack; its menus are in
window_menus.py, its database (opening, switching, recent files) in window_database.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QByteArray, QSettings, QSize, QTimer
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from parstudio.ui.catalog.pages import ItemsPage
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.geometry import fitted
from parstudio.ui.kit.icons import page_icon
from parstudio.ui.kit.undo import UndoStack
from parstudio.ui.shell.database import WindowDatabase
from parstudio.ui.shell.menus import WindowMenus
from parstudio.ui.shell.opening import DatabaseOpener

if TYPE_CHECKING:
    from parstudio.services.core.database import Database
    from parstudio.ui.kit.page import PageHost

# Nothing here imports the services (SQLAlchemy) at start-up: the window is shown first and the
# database opened behind it (ui/opening.py); the services are imported where they are used.


class Page(Protocol):
    """What a page offers the window."""

    def refresh(self) -> None: ...

    def focus_search(self) -> None: ...


class MainWindow(WindowMenus, WindowDatabase):
    """PAR Studio's main window, on an open database or on one it is opening."""

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
        self._pending_demo = False
        """Whether the pending open first builds the demo into an empty database."""
        self.demo_task = None
        self._backup = None
        self.undo_stack = UndoStack(self)
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

        # Pages other than the first are built the first time they are shown: their modules
        # (and the services they use) are imported then, which keeps start-up quick.
        self.items_page = ItemsPage(self.host)
        self.add_page("Items", page_icon("Items"), self.items_page)
        self.add_page("Suppliers", page_icon("Suppliers"), self._suppliers)
        self.add_page("Locations", page_icon("Locations"), self._locations)
        self.add_page("PAR Settings", page_icon("PAR Settings"), self._par_settings)
        self.add_page("Count", page_icon("Count"), self._count)
        self.add_page("Cases", page_icon("Cases"), self._cases)
        self.add_page("Proposal", page_icon("Proposal"), self._proposal)
        self.add_page("Orders", page_icon("Orders"), self._orders)
        self.add_page("Rebalance", page_icon("Rebalance"), self._rebalance)
        self.add_page("Charges", page_icon("Charges"), self._charges)
        self.add_page("Review", page_icon("Review"), self._review)
        self.add_page("Expiry", page_icon("Expiry"), self._expiry)
        self.add_page("Users", page_icon("Users"), self._users)
        self.add_page("Audit log", page_icon("Audit log"), self._audit_log)
        self._build_menus()
        if db is not None:
            self._attach(db)
        else:
            self._enable_for_database(False, opening=False)
        self.sidebar.setCurrentRow(0)
        self.restore_state()

    # -- pages
    def _suppliers(self) -> QWidget:
        from parstudio.ui.catalog.pages import SuppliersPage

        return SuppliersPage(self.host)

    def _locations(self) -> QWidget:
        from parstudio.ui.catalog.pages import LocationsPage

        return LocationsPage(self.host)

    def _par_settings(self) -> QWidget:
        from parstudio.ui.catalog.par_page import ParSettingsPage

        return ParSettingsPage(self.host)

    def _count(self) -> QWidget:
        from parstudio.ui.counting.page import CountPage

        page = CountPage(self.host)
        page.proposal_requested.connect(self.propose_for_location)
        return page

    def _cases(self) -> QWidget:
        from parstudio.ui.cases.page import CasesPage

        return CasesPage(self.host)

    def _proposal(self) -> QWidget:
        from parstudio.ui.ordering.proposal_page import ProposalPage

        page = ProposalPage(self.host)
        page.orders_created.connect(lambda _orders: self.mark_stale("Orders"))
        return page

    def _orders(self) -> QWidget:
        from parstudio.ui.ordering.orders_page import OrdersPage

        return OrdersPage(self.host)

    def _rebalance(self) -> QWidget:
        from parstudio.ui.ordering.rebalance_page import RebalancePage

        page = RebalancePage(self.host)
        page.transfers_created.connect(lambda _orders: self.mark_stale("Orders"))
        return page

    def _charges(self) -> QWidget:
        from parstudio.ui.billing.page import ChargesPage

        return ChargesPage(self.host)

    def _review(self) -> QWidget:
        from parstudio.ui.review.page import ReviewPage

        page = ReviewPage(self.host)
        page.levels_changed.connect(lambda: self.mark_stale("PAR Settings"))
        return page

    def _expiry(self) -> QWidget:
        from parstudio.ui.expiry.page import ExpiryPage

        return ExpiryPage(self.host)

    def _users(self) -> QWidget:
        from parstudio.ui.admin.users_page import UsersPage

        return UsersPage(self.host)

    def _audit_log(self) -> QWidget:
        from parstudio.ui.admin.audit_page import AuditLogPage

        return AuditLogPage(self.host)

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

    @property
    def host(self) -> PageHost:
        """The window as its pages see it. Pages act on an open database: ``db`` is None only
        while one opens or after one failed to, and the pages shown then check for it."""
        return cast("PageHost", self)

    def _build(self, name: str) -> QWidget:
        page = self.pages.get(name)
        if page is None:
            page = self._factories.pop(name)()
            index = self._page_names.index(name)
            stand_in = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            if stand_in is not None:
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
    def restore_state(self) -> None:
        """Put the window back where it was."""
        settings = QSettings()
        geometry = settings.value("mainWindow/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(fitted(self, QSize(1280, 800)))
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
