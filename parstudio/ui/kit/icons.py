"""PAR Studio's own icons as QIcons: the application icon and the sidebar's page icons."""

from __future__ import annotations

from functools import cache

from PySide6 import QtSvg  # noqa: F401 - the SVG icon engine needs QtSvg (and the bundle too)
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from parstudio import resources

# The page icons are drawn in one colour; on a selected (highlighted) row they are drawn in the
# highlighted text's colour instead, so they stay as readable as the row's text.
_SELECTED_SIZES = (16, 20, 24, 32, 40, 48)


@cache
def app_icon() -> QIcon:
    """The application icon: the rendered sizes for the small ones, the SVG above them."""
    icon = QIcon()
    for size in resources.APP_ICON_SIZES:
        icon.addFile(str(resources.app_icon_png(size)), QSize(size, size))
    icon.addFile(str(resources.app_icon_svg()))
    return icon


def _tinted(drawn: QIcon, size: int, colour: QColor) -> QPixmap:
    pixmap = drawn.pixmap(QSize(size, size))
    painter = QPainter(pixmap)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(pixmap.rect(), colour)
    painter.end()
    return pixmap


@cache
def page_icon(page: str, selected_colour: str = "#ffffff") -> QIcon:
    """The sidebar icon of a page, by the page's name (as shown in the sidebar)."""
    path = str(resources.page_icon(page))
    drawn = QIcon(path)
    icon = QIcon(path)
    for size in _SELECTED_SIZES:
        icon.addPixmap(
            _tinted(drawn, size, QColor(selected_colour)), QIcon.Mode.Selected, QIcon.State.Off
        )
    return icon
