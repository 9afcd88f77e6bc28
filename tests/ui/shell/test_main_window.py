"""The main window: pages, status bar, search, find, switching databases, the error boundary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from parstudio.domain.errors import ValidationError
from parstudio.services.catalog import items, suppliers
from parstudio.services.core.database import sqlite_url
from parstudio.ui.kit.errors import ErrorDialog, log_file, show_error
from parstudio.ui.shell.database import forget_remembered_passwords, recent_databases
from parstudio.ui.shell.main_window import MainWindow


def test_pages_switch_from_the_sidebar(window: MainWindow) -> None:
    names = [window.sidebar.item(r).text() for r in range(window.sidebar.count())]
    assert names == [
        "Items", "Suppliers", "Locations", "PAR Settings", "Count", "Cases", "Proposal",
        "Orders", "Rebalance", "Charges", "Review", "Expiry", "Users", "Audit log",
    ]  # fmt: skip
    assert all(not window.sidebar.item(r).icon().isNull() for r in range(4))
    window.sidebar.setCurrentRow(2)
    assert window.current_page() is window.page("Locations")
    window.show_page("PAR Settings")
    assert window.stack.currentWidget() is window.page("PAR Settings")


def test_status_bar_and_title_name_the_database(window: MainWindow) -> None:
    assert window.db.description in window.database_label.text()
    assert "tester" in window.database_label.text()
    assert window.windowTitle() == "PAR Studio — parstudio.sqlite"
    assert window.minimumWidth() >= 900


def test_a_page_can_be_registered(window: MainWindow) -> None:
    from PySide6.QtWidgets import QLabel

    extra = QLabel("Counts go here")
    window.add_page("Counts", window.windowIcon(), extra)
    window.show_page("Counts")
    assert window.current_page() is extra
    assert window.sidebar.item(window.sidebar.count() - 1).text() == "Counts"


def test_empty_pages_say_so(window: MainWindow) -> None:
    page = window.page("Items")
    assert page.body.currentWidget() is page.empty
    assert "no items yet" in page.empty.text()
    par = window.page("PAR Settings")
    assert "no locations yet" in par.empty.text()


def test_supplier_search_filters(qtbot: Any, window: MainWindow) -> None:
    for code, name in (("OM", "Owens & Minor"), ("MEDLINE", "Medline"), ("GEHC", "GE Health")):
        suppliers.create_supplier(window.db, fields={"code": code, "name": name})
    page = window.page("Suppliers")
    page.refresh()
    assert page.proxy.rowCount() == 3
    qtbot.keyClicks(page.search, "owens")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1)
    assert page.proxy.index(0, 0).data() == "OM"
    page.search.clear()
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 3)
    qtbot.keyClicks(page.search, "zzz")
    qtbot.waitUntil(lambda: page.body.currentWidget() is page.empty)
    assert page.empty.text() == "No suppliers match “zzz”."


def test_item_search_asks_the_database(qtbot: Any, window: MainWindow) -> None:
    items.create_item(window.db, fields={"code": "SYR-10", "description": "Syringe 10 mL"})
    items.create_item(
        window.db, fields={"code": "GLV-M", "description": "Gloves", "barcodes": "00884838003526"}
    )
    page = window.page("Items")
    page.refresh()
    assert page.model.rowCount() == 2
    qtbot.keyClicks(page.search, "00884838003526")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.record(0).code == "GLV-M"
    assert page.count_label.text() == "1 item"


def test_items_page_reads_more_as_it_scrolls(qtbot: Any, window: MainWindow) -> None:
    for n in range(1_100):
        items.create_item(window.db, fields={"code": f"IT-{n:05d}", "description": f"Item {n}"})
    page = window.page("Items")
    page.refresh()
    assert page.model.rowCount() == 500
    assert page.count_label.text() == "500 of 1,100 items read"
    page.view.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() > 500)
    assert page.model.rowCount() in (1_000, 1_100)


def test_find_focuses_the_page_search(qtbot: Any, window: MainWindow) -> None:
    window.activateWindow()
    window.show_page("Suppliers")
    window.find_action.trigger()
    qtbot.waitUntil(lambda: window.page("Suppliers").search.hasFocus())
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"


def test_switching_database_refreshes_pages_and_clears_undo(
    tmp_path: Path, window: MainWindow
) -> None:
    suppliers.create_supplier(window.db, fields={"code": "OM", "name": "Owens"})
    page = window.page("Suppliers")
    page.refresh()
    page.view.selectRow(0)
    page.deactivate_action.trigger()
    assert window.undo_stack.count() == 1
    other = tmp_path / "other.sqlite"
    assert window.switch_database(sqlite_url(other))
    assert window.windowTitle() == "PAR Studio — other.sqlite"
    assert str(other) in window.database_label.text()
    assert window.undo_stack.count() == 0
    assert page.model.rowCount() == 0
    assert QSettings().value("lastDatabase") == sqlite_url(other)
    assert recent_databases()[0] == sqlite_url(other)


def test_switching_to_a_bad_file_keeps_the_open_database(
    tmp_path: Path, window: MainWindow, messages: list[str]
) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_text("shopping list: gloves, syringes\n" * 100)
    before = window.db
    assert not window.switch_database(sqlite_url(bad))
    assert window.db is before
    assert messages and "not a PAR Studio database" in messages[-1]
    assert suppliers.list_suppliers(window.db) == []


def test_known_errors_show_plainly_in_the_status_bar(window: MainWindow) -> None:
    show_error(window, ValidationError("Pack size must be more than 0.", field="pack_size"))
    assert window.statusBar().currentMessage() == "Pack size must be more than 0."


def test_known_errors_in_a_dialog_use_a_message_box(
    qtbot: Any, window: MainWindow, messages: list[str]
) -> None:
    page = window.page("Suppliers")
    show_error(page, ValidationError("That code is already used."))
    assert messages == ["That code is already used."]


def test_unknown_errors_are_logged_and_shown_with_details(
    window: MainWindow, messages: list[str]
) -> None:
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        show_error(window, exc)
    assert "ZeroDivisionError: boom" in messages[-1]
    assert "Traceback" in messages[-1]
    assert "ZeroDivisionError: boom" in log_file().read_text()


def test_error_dialog_copies_its_details(qtbot: Any) -> None:
    dialog = ErrorDialog(None, "Traceback (most recent call last): boom")
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == "Traceback (most recent call last): boom"
    assert dialog.copy_button.text() == "Copy details"


def test_an_undo_that_fails_is_reported_not_raised(window: MainWindow) -> None:
    supplier = suppliers.create_supplier(window.db, fields={"code": "OM", "name": "Owens"})
    page = window.page("Suppliers")
    page.refresh()
    page.view.selectRow(0)
    page.deactivate_action.trigger()
    # Someone else removed it meanwhile: undo cannot reactivate it.
    assert suppliers.delete_supplier_if_unused(window.db, supplier_id=supplier.id)
    window.undo_stack.undo()
    assert "no longer exists" in window.statusBar().currentMessage()


def test_no_password_is_written_to_the_settings_or_shown_under_recent(
    tmp_path: Path, window: MainWindow
) -> None:
    typed = "postgresql+psycopg://anna:Hunter2-secret@supply-server:5433/parstudio"
    window.remember_database(typed)
    window._fill_recent()
    QSettings().sync()

    assert recent_databases()[0] == "postgresql+psycopg://anna@supply-server:5433/parstudio"
    assert QSettings().value("lastDatabase") == recent_databases()[0]
    shown = [action.text() for action in window.recent_menu.actions()]
    assert "PostgreSQL anna@supply-server:5433/parstudio" in shown
    assert not any("Hunter2" in text for text in shown)
    written = "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*.ini"))
    assert "supply-server" in written and "Hunter2" not in written


def test_passwords_an_older_version_remembered_are_taken_out(tmp_path: Path, qapp: Any) -> None:
    settings = QSettings()
    settings.setValue("lastDatabase", "postgresql://anna:old-secret@db/par")
    settings.setValue("recentDatabases", ["postgresql://anna:old-secret@db/par", "sqlite:////x"])
    forget_remembered_passwords()
    settings.sync()
    assert settings.value("lastDatabase") == "postgresql://anna@db/par"
    assert recent_databases() == ["postgresql://anna@db/par", "sqlite:////x"]
    written = "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*.ini"))
    assert "old-secret" not in written
