"""The window wears PAR Studio's own icons, and the About box says the version and where."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QApplication

from parstudio import __version__, resources
from parstudio.services.core.urls import data_folder, log_file
from parstudio.ui.kit.icons import page_icon
from parstudio.ui.shell import menus
from parstudio.ui.shell.main_window import MainWindow


def image(icon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> QImage:
    return icon.pixmap(QSize(20, 20), mode).toImage()


def test_every_page_in_the_sidebar_has_its_own_icon(window: MainWindow) -> None:
    for row, name in enumerate(window.page_names()):
        shown = window.sidebar.item(row).icon()
        drawn = QIcon(str(resources.page_icon(name)))
        assert image(shown) == image(drawn), name
    pages = window.sidebar.count()
    drawings = {bytes(image(window.sidebar.item(r).icon()).constBits()) for r in range(pages)}
    assert len(drawings) == pages >= 12  # a different icon each, none left blank or shared


def test_a_selected_row_draws_its_icon_light_on_the_highlight() -> None:
    icon = page_icon("Count")
    normal, selected = image(icon), image(icon, QIcon.Mode.Selected)
    inked = [(x, y) for x in range(20) for y in range(20) if normal.pixelColor(x, y).alpha() > 200]
    assert inked, "the icon draws something"
    for x, y in inked:
        assert normal.pixelColor(x, y).lightness() < 100
        assert selected.pixelColor(x, y).lightness() > 240


def test_the_application_has_its_icon(window: MainWindow) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    sizes = {size.width() for size in app.windowIcon().availableSizes()}
    assert set(resources.APP_ICON_SIZES) <= sizes
    assert not window.windowIcon().isNull()
    assert app.desktopFileName() == "parstudio"


def test_about_says_the_version_and_where_the_data_is(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def about(_parent: Any, _title: str, text: str) -> None:
        shown.append(text)

    monkeypatch.setattr(menus.QMessageBox, "about", about)
    window.about()
    (text,) = shown
    assert f"PAR Studio {__version__}" in text
    assert f"Data folder: {data_folder()}" in text
    assert f"Log file: {log_file()}" in text
    assert window.db is not None and f"Database: {window.db.description}" in text
