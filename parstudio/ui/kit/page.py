"""What every page uses: the host it lives in, house tables, empty and waiting texts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QStackedWidget,
    QTableView,
    QWidget,
)

from parstudio.ui.kit.table_models import RecordRole, SortRole
from parstudio.ui.kit.undo import UndoStack

if TYPE_CHECKING:
    from parstudio.services.core.database import Database

# The services (SQLAlchemy) are imported when a page first reads or writes: the window shows
# before the database is open. Printing (reportlab, pdfium) when something is printed.

EMPTY_STYLE = "color: #777; font-size: 11pt;"
T = TypeVar("T")


class PageHost(Protocol):
    """What a page needs from the window that holds it."""

    db: Database
    undo_stack: UndoStack

    def show_status(self, message: str) -> None: ...

    def report_error(self, exc: BaseException) -> None: ...


def make_table(parent: QWidget) -> QTableView:
    """A table view with the house look: whole rows, alternating colours, sortable."""
    view = QTableView(parent)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setHighlightSections(False)
    view.setWordWrap(False)
    return view


def sorted_table(parent: QWidget, model: QAbstractItemModel, widths: Sequence[int]) -> QTableView:
    """A house table over a model, sorted by its SortRole when a header is clicked."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    view = make_table(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    header = view.horizontalHeader()
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    header.setStretchLastSection(True)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order until clicked
    proxy.sort(-1)
    return view


def selected_record(view: QTableView, kind: type[T]) -> T | None:
    """The record (RecordRole) of the view's current row, if it is a ``kind``."""
    index = view.currentIndex()
    record = index.data(RecordRole) if index.isValid() else None
    return record if isinstance(record, kind) else None


def empty_label(parent: QWidget) -> QLabel:
    """The text shown instead of an empty table."""
    label = QLabel(parent)
    label.setObjectName("empty_state")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet(EMPTY_STYLE)
    return label


class TableBody(QStackedWidget):
    """A table (or tree), and the text shown in its place while it is empty."""

    def __init__(self, parent: QWidget, view: QWidget) -> None:
        super().__init__(parent)
        self.view = view
        self.empty = empty_label(parent)
        self.addWidget(view)
        self.addWidget(self.empty)

    def show_rows(self, any_rows: bool, empty_text: str | None = None) -> None:
        """The table when it has rows, else the text (``empty_text``, or the one set before)."""
        if any_rows:
            self.setCurrentWidget(self.view)
            return
        if empty_text is not None:
            self.empty.setText(empty_text)
        self.setCurrentWidget(self.empty)


def table_or_empty(parent: QWidget, view: QWidget) -> tuple[TableBody, QLabel]:
    """The table (or tree), and the text shown in its place while it is empty, stacked in one
    body."""
    body = TableBody(parent, view)
    return body, body.empty


def typing_pause(parent: QWidget, then: Callable[[], object], ms: int = 250) -> QTimer:
    """A timer that runs `then` once typing has paused (restart it on every keystroke)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(then)
    return timer


class WaitingText(QLabel):
    """A message over an empty table's rows, kept the size of its viewport."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view.viewport())
        self.setObjectName("waiting")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet(EMPTY_STYLE)
        self.hide()
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect().adjusted(24, 24, -24, -24))
        return False
