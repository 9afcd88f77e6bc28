"""The main window's menus: File, Edit, Print, Help, and the actions behind them."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMessageBox,
)

from parstudio import __version__ as VERSION
from parstudio.services.core.urls import data_folder, log_file
from parstudio.ui.shell.parts import WindowParts
from parstudio.ui.worksheets.actions import WorksheetActions


class WindowMenus(WindowParts):
    """The menus of the main window (mixed into MainWindow, whose state they use)."""

    def _load_scans_from_file(self) -> None:
        """Count ▸ Load scans from a file…: into the count open on the Count page."""
        self.show_page("Count")
        self.page("Count").load_scans_from_file()

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

        count_menu = self.menuBar().addMenu("Coun&t")  # Alt+C is the Count page's button
        self.load_scans_action = QAction("&Load scans from a file…", self)
        self.load_scans_action.triggered.connect(self._load_scans_from_file)
        count_menu.addAction(self.load_scans_action)

        help_menu = self.menuBar().addMenu("&Help")
        self.guide_action = QAction("&User guide", self)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.guide_action.triggered.connect(self.show_user_guide)
        help_menu.addAction(self.guide_action)
        self.shortcuts_action = QAction("&Keyboard shortcuts", self)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
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
            self.load_scans_action,
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
        from parstudio.ui.shell.sign_in import ChangePasswordDialog

        if self.db is not None and ChangePasswordDialog(self.db, self).exec():
            self.show_status("Your password was changed.")

    def find_in_page(self) -> None:
        """Focus the current page's search box."""
        page = self.current_page()
        if hasattr(page, "focus_search"):
            page.focus_search()

    def show_user_guide(self) -> None:
        """Help ▸ User guide: the docs, rendered inside the app (not modal: read while working)."""
        from parstudio.ui.shell.help import UserGuide

        self.user_guide = UserGuide(self)
        self.user_guide.show()

    def show_shortcuts(self) -> None:
        """Help ▸ Keyboard shortcuts."""
        from parstudio.ui.shell.help import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def about(self) -> None:
        """Say what this is."""
        QMessageBox.about(
            self,
            "About PAR Studio",
            f"<b>PAR Studio {VERSION}</b><p>Periodic automatic replenishment for a department "
            "supply office: items, suppliers, locations and their PAR levels.</p>"
            f"<p>Database: {self.db.description if self.db else 'none open'}<br>"
            f"Data folder: {data_folder()}<br>Log file: {log_file()}</p>",
        )

    # -- databases
