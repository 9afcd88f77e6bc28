"""Help ▸ User guide renders docs/ inside the app and searches it; Help ▸ Keyboard shortcuts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl

from parstudio.ui.shell.help import ShortcutsDialog, UserGuide, docs_folder, guide_pages
from parstudio.ui.shell.main_window import MainWindow


def test_every_docs_page_is_in_the_guide_in_reading_order() -> None:
    folder = docs_folder()
    assert folder is not None
    pages = guide_pages(folder)
    assert {p.name for p in pages} == {path.stem for path in folder.glob("*.md")}
    assert [p.name for p in pages][:3] == ["demo", "catalogue", "counting"]
    assert all(p.title and not p.title.startswith("#") for p in pages)


def test_user_guide_renders_searches_and_follows_links(qtbot: Any, window: MainWindow) -> None:
    window.guide_action.trigger()
    guide: UserGuide = window.user_guide
    qtbot.addWidget(guide)
    assert guide.isVisible() and guide.page_name() == "demo"
    assert guide.browser.toPlainText().startswith("The demo department")  # rendered, no “#”
    qtbot.keyClicks(guide.search, "Keep counting")
    names = [guide.contents.item(r).text() for r in range(guide.count())]
    assert names and all("(" in n for n in names)
    assert any(n.startswith("Counting") for n in names)
    assert "page(s) mention" in guide.found.text()
    assert guide.browser.textCursor().selectedText().lower() == "keep counting"
    guide.search.clear()
    guide.follow(QUrl("review.md#flex-par-calendar-seasonal-levels"))
    assert guide.page_name() == "review"


def test_keyboard_shortcuts_lists_the_menu_keys(qtbot: Any, window: MainWindow) -> None:
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    rows = {
        dialog.table.item(r, 1).text(): dialog.table.item(r, 0).text()
        for r in range(dialog.table.rowCount())
    }
    assert rows["Undo"] == "Ctrl+Z" and rows["Find"] == "Ctrl+F" and rows["User guide"] == "F1"
    assert "Undo the last scan of this count" in rows


def test_screenshots_in_the_guide_are_shrunk_to_the_pane(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtGui import QTextCursor

    guide = UserGuide(window)
    qtbot.addWidget(guide)
    guide.show()
    guide.show_page("catalogue")
    document = guide.browser.document()
    widths = []
    cursor = QTextCursor(document)
    while not (cursor := document.find("\ufffc", cursor)).isNull():
        if cursor.charFormat().isImageFormat():
            widths.append(cursor.charFormat().toImageFormat().width())
    assert len(widths) == 4  # Items, Suppliers, Locations, PAR Settings
    assert all(0 < w <= guide.browser.viewport().width() for w in widths)
