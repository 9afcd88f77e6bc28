"""Help ▸ User guide (the docs/ pages, rendered and searchable) and Help ▸ Keyboard shortcuts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QImageReader,
    QKeySequence,
    QResizeEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from parstudio.ui.kit.geometry import fit_and_remember

# The guide's pages in the order a new user reads them; any other page follows, by title.
ORDER = (
    "demo",
    "catalogue",
    "counting",
    "cases",
    "proposals",
    "ordering",
    "rebalance",
    "printing",
    "worksheets",
    "review",
    "par-calculator",
    "expiry",
    "billing",
    "costs",
    "barcodes",
    "users-and-roles",
    "audit",
    "databases",
    "backup",
    "command-line",
)
IMAGE_CHARACTER = "\ufffc"  # where a picture sits in a rendered page
# Keys that are not on a menu.
OTHER_KEYS = (
    ("Enter (in a grid cell)", "Save the value typed; a refused value says why above the grid"),
    ("Esc (in a grid cell)", "Leave the cell without saving"),
    ("F2 or typing (in a grid cell)", "Edit the cell"),
    ("Ctrl+Z (on the count screen)", "Undo the last scan of this count"),
    ("Ctrl+Z (on the case screen)", "Void the last line you recorded on the open case"),
    ("Tab / Shift+Tab", "Next / previous field"),
    ("Enter (in the guide's search box)", "Find the next match on the page"),
)


def docs_folder() -> Path | None:
    """The user guide's pages: inside an installed wheel, or beside the source tree."""
    here = Path(__file__).resolve().parents[2]  # the parstudio package
    for candidate in (here / "_docs", here.parent / "docs"):
        if (candidate / "catalogue.md").is_file():
            return candidate
    return None


@dataclass(frozen=True)
class GuidePage:
    """One page of the guide: its file name, its title and its Markdown."""

    name: str
    title: str
    text: str


def guide_pages(folder: Path | None = None) -> list[GuidePage]:
    """Every page of the guide, in reading order."""
    folder = folder or docs_folder()
    if folder is None:
        return []
    pages = []
    for path in folder.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
        pages.append(GuidePage(path.stem, heading.group(1).strip() if heading else path.stem, text))

    def position(page: GuidePage) -> tuple[int, str]:
        rank = ORDER.index(page.name) if page.name in ORDER else len(ORDER)
        return rank, page.title.lower()

    return sorted(pages, key=position)


class UserGuide(QDialog):
    """The docs/ pages: a contents list, a search box, and the page rendered from Markdown."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("PAR Studio — User guide")
        self.folder = folder or docs_folder()
        self.pages = guide_pages(self.folder)
        self.search = QLineEdit(self)
        self.search.setObjectName("guide_search")
        self.search.setPlaceholderText("Search the guide…")
        self.search.setClearButtonEnabled(True)
        self.contents = QListWidget(self)
        self.contents.setObjectName("guide_contents")
        self.contents.setWordWrap(True)  # long page titles stay whole
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("guide_page")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self.follow)
        if self.folder is not None:
            self.browser.setSearchPaths([str(self.folder)])  # screenshots beside the pages
        self.found = QLabel(self)
        self.found.setObjectName("guide_found")

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.contents, 1)
        left_layout.addWidget(self.found)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 760])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        fit_and_remember(self, "user_guide", QSize(1040, 760))

        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self.find_next)
        self.contents.currentItemChanged.connect(lambda *_a: self.show_current())
        self.filter("")
        if not self.pages:
            self.browser.setPlainText("The user guide is not installed with this copy.")

    def filter(self, text: str) -> None:
        """List the pages that mention the text (all of them for none), with how often."""
        wanted = text.strip().lower()
        shown = self.page_name()
        self.contents.blockSignals(True)
        self.contents.clear()
        for page in self.pages:
            hits = page.text.lower().count(wanted) if wanted else 0
            if wanted and not hits:
                continue
            label = f"{page.title} ({hits})" if wanted else page.title
            entry = QListWidgetItem(label, self.contents)
            entry.setData(Qt.ItemDataRole.UserRole, page.name)
        self.contents.blockSignals(False)
        self.found.setText(
            f"{self.contents.count()} page(s) mention “{text.strip()}”" if wanted else ""
        )
        names = [self.contents.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.count())]
        row = names.index(shown) if shown in names else 0
        if self.contents.count():
            self.contents.setCurrentRow(row)
            self.show_current()

    def count(self) -> int:
        """How many pages the contents list shows."""
        return self.contents.count()

    def page_name(self) -> str | None:
        """The name of the page shown."""
        item = self.contents.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def show_page(self, name: str, anchor: str = "") -> None:
        """Show a page by its file name (without .md), at an anchor if given."""
        if name not in [self.contents.item(r).data(Qt.ItemDataRole.UserRole) for r in
                        range(self.count())]:  # fmt: skip
            self.search.clear()
        for row in range(self.count()):
            if self.contents.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.contents.setCurrentRow(row)
        if anchor:
            self.browser.scrollToAnchor(anchor)

    def show_current(self) -> None:
        name = self.page_name()
        page = next((p for p in self.pages if p.name == name), None)
        if page is None:
            return
        self.browser.setMarkdown(page.text)
        self.fit_images()
        if self.search.text().strip():
            self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)
            self.find_next()

    def fit_images(self) -> None:
        """Shrink pictures wider than the page pane (a screenshot is 1280 px or more)."""
        if self.folder is None:
            return
        room = max(240, self.browser.viewport().width() - 24)
        document = self.browser.document()
        cursor = QTextCursor(document)
        while True:
            cursor = document.find(IMAGE_CHARACTER, cursor)
            if cursor.isNull():
                return
            picture = cursor.charFormat()
            if not picture.isImageFormat():
                continue
            image = picture.toImageFormat()
            size = QImageReader(str(self.folder / image.name())).size()
            if size.isValid() and size.width() > room:
                image.setWidth(room)
                image.setHeight(size.height() * room / size.width())
                cursor.setCharFormat(image)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.page_name() is not None and self.isVisible():
            self.show_current()

    def find_next(self) -> None:
        """Select the next match of the search on the page (from the top again at the end)."""
        text = self.search.text().strip()
        if text and not self.browser.find(text):
            self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)
            self.browser.find(text)

    def follow(self, url: QUrl) -> None:
        """A link: another page of the guide, or a web address (opened in the browser)."""
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        path = url.path()
        if path.endswith(".md"):
            self.show_page(Path(path).stem, url.fragment())
        elif path.endswith(".png") and self.folder is not None:  # a larger screenshot
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder / path)))
        elif url.hasFragment():
            self.browser.scrollToAnchor(url.fragment())


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcuts(window: QWidget) -> list[tuple[str, str]]:
    """(keys, what they do) of every action of the window that has a shortcut, then other keys."""
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys and action.text() and keys not in seen:
            seen[keys] = _plain(action.text())
    return sorted(seen.items(), key=lambda pair: pair[1].lower()) + list(OTHER_KEYS)


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard shortcuts: every key and what it does."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcuts(window)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcuts")
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        self.table.resizeColumnToContents(0)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Keys that work everywhere in PAR Studio, and in its grids:", self))
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        fit_and_remember(self, "shortcuts", QSize(620, 520))
