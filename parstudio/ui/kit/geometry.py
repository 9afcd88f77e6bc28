"""Windows that fit the screen they open on, and remember the size the user gave them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QScrollArea, QWidget

SIZES_GROUP = "window_sizes"
MARGIN = QSize(24, 48)  # room for the window frame and title bar


def available_area(widget: QWidget) -> QRect:
    """The part of the widget's screen windows may use (without panels and docks)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted(widget: QWidget, wanted: QSize) -> QSize:
    """A size no larger than the screen the widget opens on allows."""
    area = available_area(widget).size() - MARGIN
    return QSize(min(wanted.width(), area.width()), min(wanted.height(), area.height()))


class _SizeKeeper(QObject):
    """Saves a window's size under a key whenever it is hidden."""

    def __init__(self, window: QWidget, key: str) -> None:
        super().__init__(window)
        self.key = key

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and isinstance(watched, QWidget):
            QSettings().setValue(f"{SIZES_GROUP}/{self.key}", watched.size())
        return False


def fit_and_remember(window: QWidget, key: str, preferred: QSize) -> None:
    """Open at the size last used (or ``preferred``), never larger than the screen."""
    saved = QSettings().value(f"{SIZES_GROUP}/{key}")
    size = saved if isinstance(saved, QSize) and saved.isValid() else preferred
    window.resize(fitted(window, size))
    window.installEventFilter(_SizeKeeper(window, key))


def fit_to_screen(window: QWidget) -> None:
    """Shrink a window that its content made taller or wider than the screen."""
    window.adjustSize()
    window.resize(fitted(window, window.size()))


def scrolling(content: QWidget, parent: QWidget) -> QScrollArea:
    """A frameless scroll area around content that can grow past the screen."""
    area = QScrollArea(parent)
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area
