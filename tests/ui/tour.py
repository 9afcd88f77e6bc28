"""A tour of every page and every dialog a clerk can open, on a screen of a given size.

Run in its own process, so the screen really is that size (Qt's offscreen platform, set up by a
screen file): ``python -m tests.ui.tour 1280x800 [--shots FOLDER | --page-shots FOLDER]``
(--page-shots saves the pages only: that is how docs/screenshots/ is made). It builds the demo
department, shows each page, selects a row, then presses every toolbar action, button and menu
entry. Each dialog that opens is checked (and not run): it and each of its buttons and inputs
must lie inside the screen and inside the window, not cut off by anything that does not scroll;
a toolbar must show all its actions (no overflow). Prints one JSON object: what was looked at
and the problems found. tests/ui/shell/test_fits_the_screen.py runs it.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QRect, QSettings, Qt, QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolBar,
    QWidget,
)

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractScrollArea)
# Entries that would end the tour or leave the demo database.
SKIP = ("quit", "open database", "new database", "recent", "sign out", "restore", "activate")


def screen_file(folder: Path, width: int, height: int) -> Path:
    """An offscreen-platform screen description of that size."""
    path = folder / f"screen-{width}x{height}.json"
    screen = {"name": "tour", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalDpiX": 96, "logicalDpiY": 96}
    path.write_text(json.dumps({"screens": [screen]}))
    return path


def _scrolled(widget: QWidget, window: QWidget) -> bool:
    """Whether the widget is content of a scroll area (reachable by scrolling)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            return True
        parent = area
    return False


def layout_problems(window: QWidget, name: str) -> list[str]:
    """Buttons and inputs of a window off the screen, outside it or cut off; hidden actions."""
    problems: list[str] = []
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    if not screen.contains(frame):
        problems.append(f"{name}: {frame.width()}×{frame.height()} does not fit the screen")
    for bar in window.findChildren(QToolBar):
        if not bar.isVisibleTo(window):
            continue
        for action in bar.actions():
            shown = bar.widgetForAction(action)
            if action.isVisible() and shown is not None and not shown.isVisible():
                problems.append(f"{name}: “{action.text()}” hidden behind the toolbar's overflow")
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(window):
            continue
        if widget.window() is not window or widget.objectName().startswith("qt_"):
            continue
        if _scrolled(widget, window):
            continue
        label = f"{type(widget).__name__} “{_text(widget)}”"
        rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not window.rect().contains(rect):
            problems.append(f"{name}: {label} lies outside the window at {rect.getRect()}")
            continue
        child: QWidget = widget
        parent = widget.parentWidget()
        while parent is not None and parent is not window:
            inner = QRect(child.mapTo(parent, child.rect().topLeft()), child.size())
            if not parent.rect().contains(inner) and not isinstance(parent, QTabWidget):
                problems.append(f"{name}: {label} is cut off by {type(parent).__name__}")
                break
            child, parent = parent, parent.parentWidget()
    return problems


def _text(widget: QWidget) -> str:
    for attribute in ("text", "currentText", "placeholderText"):
        value = getattr(widget, attribute, None)
        if callable(value) and value():
            return str(value())
    return widget.objectName() or "?"


class Tour:
    """Walks the window; each dialog opened is recorded, checked and closed unrun."""

    def __init__(self, shots: Path | None, *, dialogs: bool = True) -> None:
        self.shots = shots
        self.dialogs = dialogs
        self.seen: list[str] = []
        self.problems: list[str] = []

    def look(self, window: QWidget, name: str) -> None:
        """Check one window (and photograph it when asked)."""
        QApplication.processEvents()
        # The events just run may have ended a background task: its progress window is gone.
        if name in self.seen or not shiboken6.isValid(window):
            return
        self.seen.append(name)
        self.problems += layout_problems(window, name)
        if self.shots is not None and (self.dialogs or name.startswith("page ")):
            slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
            slug = "-".join(part for part in slug.split("-") if part)
            size = window.screen().size()
            window.grab().save(str(self.shots / f"{slug}-{size.width()}x{size.height()}.png"))

    def fake_exec(self, dialog: QDialog) -> int:
        dialog.show()
        self.look(dialog, f"dialog {dialog.windowTitle() or type(dialog).__name__}")
        dialog.hide()
        return int(QDialog.DialogCode.Rejected)

    def patch(self) -> None:
        """Dialogs are shown and checked, not run; questions are answered No."""
        tour = self
        QDialog.exec = lambda d: tour.fake_exec(d)  # type: ignore[method-assign]
        QMessageBox.exec = lambda d: tour.fake_exec(d)  # type: ignore[method-assign]
        no = QMessageBox.StandardButton.No
        for name in ("question", "warning", "information", "critical", "about"):
            setattr(QMessageBox, name, staticmethod(lambda *_a, **_k: no))
        for name in ("getOpenFileName", "getSaveFileName"):
            setattr(QFileDialog, name, staticmethod(lambda *_a, **_k: ("", "")))
        QFileDialog.getExistingDirectory = staticmethod(lambda *_a, **_k: "")  # type: ignore
        for name in ("getText", "getItem", "getInt", "getDouble"):
            setattr(QInputDialog, name, staticmethod(lambda *_a, **_k: ("", False)))
        QMenu.exec = lambda *_a, **_k: None  # type: ignore[method-assign]

    def press(self, what: str, press: Callable[[], Any]) -> None:
        before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
        try:
            press()
        except Exception as exc:  # a crash is a problem too, not the end of the tour
            self.problems.append(f"{what}: {type(exc).__name__}: {exc}")
        QApplication.processEvents()
        for widget in QApplication.topLevelWidgets():
            # Looking at one window lets events run: a background task's progress window
            # listed with it may be gone by then (deleted when its work ended).
            if not shiboken6.isValid(widget):
                continue
            if widget.isVisible() and id(widget) not in before and not isinstance(widget, QMenu):
                self.look(widget, f"window {widget.windowTitle() or type(widget).__name__}")
                if shiboken6.isValid(widget):
                    widget.close()


def actions_of(page: QWidget) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Every toolbar action, button (and its menu's entries) on a page."""
    for bar in page.findChildren(QToolBar):
        for action in bar.actions():
            if action.text() and not action.isSeparator():
                yield action.text(), action.trigger
    for button in page.findChildren(QPushButton):
        if button.menu() is not None:
            for action in button.menu().actions():
                if action.text():
                    yield action.text(), action.trigger
        elif button.text():
            yield button.text(), button.click


def menu_actions(window: QWidget) -> Iterator[QAction]:
    """Every entry of the menu bar, submenus included."""
    stack = [a for a in window.menuBar().actions()]  # type: ignore[attr-defined]
    while stack:
        action = stack.pop(0)
        if action.menu() is not None:
            stack[:0] = action.menu().actions()
        elif action.text() and not action.isSeparator():
            yield action


def select_rows(page: QWidget) -> None:
    """Select a row in every table (on Orders, the sent order with the most lines)."""
    for view in page.findChildren(QTableView):
        model = view.model()
        if not view.isVisible() or model is None or not model.rowCount():
            continue
        row = 0
        if view.objectName() == "orders":
            row = max(range(model.rowCount()), key=lambda r: _sent_lines(model.index(r, 0)))
        index = model.index(row, 0)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.selectionModel().setCurrentIndex(
            index,
            view.selectionModel().SelectionFlag.ClearAndSelect
            | view.selectionModel().SelectionFlag.Rows,
        )


def _sent_lines(index: Any) -> int:
    from parstudio.ui.kit.table_models import RecordRole

    order = index.data(RecordRole)
    status = str(getattr(order, "status", ""))
    return int(getattr(order, "line_count", 0)) if status in ("SENT", "PARTIAL") else -1


def send_orders(db: Any, created: list[Any]) -> None:
    """Send the orders just approved, so that Orders has some to receive."""
    from parstudio.services.ordering import orders

    for order in created:
        orders.send_order(db, order_id=order.id)


def run(shots: Path | None, *, dialogs: bool = True) -> dict[str, Any]:
    from parstudio.demo.first_run import build_demo_if_empty
    from parstudio.services.core.database import open_database, sqlite_url
    from parstudio.ui.shell.app import APPLICATION, ORGANISATION, open_main_window

    folder = Path(tempfile.mkdtemp())
    os.environ["XDG_DATA_HOME"] = str(folder / "data")
    QApplication.instance() or QApplication(sys.argv)
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION + " tour")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    db = open_database(sqlite_url(folder / "demo.sqlite"))
    build_demo_if_empty(db)  # as `make run` builds it: with the review's suggestions
    window = open_main_window(db)
    window.show()
    QApplication.processEvents()
    # The whole screen, frame included: as large as the window can be on it.
    area = window.screen().availableGeometry()
    frame = window.frameGeometry().size() - window.geometry().size()
    window.move(area.topLeft())
    window.resize(area.size() - frame)
    tour = Tour(shots, dialogs=dialogs)
    tour.patch()
    for name in window.page_names():
        window.show_page(name)
        page = window.page(name)
        QApplication.processEvents()
        if name == "Proposal":
            page.check_due_today()
            page.propose()
        if hasattr(page, "busy"):
            wait_until(lambda page=page: not page.busy)  # worked out off the UI thread
        select_rows(page)
        window.statusBar().clearMessage()  # what the last page's buttons said
        tour.look(window, f"page {name}")
        if name == "Proposal":
            created: list[Any] = []
            page.orders_created.connect(created.extend)
            page.approve(confirm=False)
            wait_until(
                lambda page=page, made=created: bool(made) and not page.busy
            )  # off the UI thread
            send_orders(db, created)
            window.refresh_pages()
        for text, press in list(actions_of(page)):
            if not any(word in text.lower() for word in SKIP):
                select_rows(page)
                tour.press(f"{name} ▸ {text}", press)
        window.show_page(name)
    for action in menu_actions(window):
        if action.isEnabled() and not any(w in action.text().lower() for w in SKIP):
            tour.press(f"menu ▸ {action.text()}", action.trigger)
    window.setWindowState(Qt.WindowState.WindowNoState)
    # As the app does on quitting: background work still running must end before the database
    # closes and the interpreter exits (else the process can crash on its way out).
    QThreadPool.globalInstance().waitForDone()
    db.close()
    return {"seen": tour.seen, "problems": tour.problems}


def wait_until(done: Callable[[], bool], seconds: float = 60.0) -> None:
    """Let the event loop run until background work has come back (or fail after a while)."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the tour waited too long for background work")
        QApplication.processEvents()
        time.sleep(0.01)


def main(argv: list[str]) -> int:
    width, height = (int(n) for n in argv[0].split("x"))
    shots = Path(argv[2]) if len(argv) > 2 and argv[1] in ("--shots", "--page-shots") else None
    dialogs = len(argv) < 2 or argv[1] != "--page-shots"
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp())
    if "configfile" not in os.environ.get("QT_QPA_PLATFORM", ""):
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen_file(folder, width, height)}"
    print(json.dumps(run(shots, dialogs=dialogs)), flush=True)
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    # The report is out. The tour patched QDialog.exec and friends and left dialogs, menus and
    # tasks' wrappers behind: tearing the interpreter down over them is not something the app
    # does (its own quitting is tested in tests/ui/shell/test_app.py), so leave at once.
    os._exit(code)
