"""Sign-in, History…, the audit log page and the conflict dialog, driven through their widgets."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.modeltest import ModelTester

from parstudio.domain.errors import ConflictError, SignInError
from parstudio.domain.roles import Role
from parstudio.services.admin import users
from parstudio.services.catalog import locations, par_settings, suppliers
from parstudio.services.core.database import Database, open_database
from parstudio.ui.admin.audit_page import BATCH, AuditLogPage, AuditTableModel, HistoryDialog
from parstudio.ui.catalog import list_page as catalog_page
from parstudio.ui.kit import conflicts
from parstudio.ui.kit.conflicts import ConflictDialog
from parstudio.ui.shell.main_window import MainWindow
from parstudio.ui.shell.sign_in import SignInDialog, needs_sign_in

PASSWORD = "correct horse"


def test_sign_in_dialog_refuses_a_wrong_password_then_signs_in(
    qtbot: Any, sqlite_db: Database
) -> None:
    users.create_user(sqlite_db, login="carl", display_name="Carl", role=Role.MANAGER,
                      password=PASSWORD)  # fmt: skip
    db = open_database(sqlite_db.url, authenticate=users.authenticate)
    try:
        assert needs_sign_in(db)
        dialog = SignInDialog(db)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.keyClicks(dialog.login, "carl")
        qtbot.keyClicks(dialog.password, "wrong password")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.error.isVisible() and "do not match" in dialog.error.text()
        assert db.role is None
        dialog.password.clear()
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == dialog.DialogCode.Accepted
        assert (db.user_name, db.role) == ("carl", Role.MANAGER)
    finally:
        db.close()


def test_first_manager_of_a_database_is_created_from_the_dialog(
    qtbot: Any, sqlite_db: Database
) -> None:
    dialog = SignInDialog(sqlite_db)
    qtbot.addWidget(dialog)
    assert dialog.first_manager and dialog.ok_button.text() == "Create and sign in"
    dialog.login.setText("anna")
    qtbot.keyClicks(dialog.display_name, "Anna Berg")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.repeat, "something else")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "differ" in dialog.error.text()
    dialog.repeat.setText(PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert (sqlite_db.user_name, sqlite_db.display_name, sqlite_db.role) == (
        "anna",
        "Anna Berg",
        Role.MANAGER,
    )
    assert [u.login for u in users.list_users(sqlite_db)] == ["anna"]


def test_history_dialog_lists_changes_old_to_new(
    qtbot: Any, window: MainWindow, qtmodeltester: Any
) -> None:
    room = locations.create_location(window.db, fields={"code": "CT1", "name": "CT room 1"})
    locations.update_location(
        window.db, location_id=room.id, changes={"name": "CT suite"}, expected_version=1
    )
    window.refresh_pages()
    page = window.page("Locations")
    page.select_record(room.id)
    assert page.history_action.isEnabled()
    dialog = HistoryDialog(page, window, table="location", record_id=room.id, title="CT1")
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 2
    changes = dialog.model.index(0, AuditTableModel.COL_CHANGES).data()
    assert changes == "name CT room 1 → CT suite"
    assert dialog.model.index(1, AuditTableModel.COL_ACTION).data() == "Added"
    assert dialog.view.isColumnHidden(AuditTableModel.COL_RECORD)


def test_audit_log_page_filters_and_reads_in_batches(qtbot: Any, window: MainWindow) -> None:
    for n in range(BATCH + 30):
        suppliers.create_supplier(window.db, fields={"code": f"S{n:03d}", "name": f"Vendor {n}"})
    locations.create_location(window.db, fields={"code": "CT1", "name": "CT room 1"})
    page: AuditLogPage = window.page("Audit log")
    window.show_page("Audit log")
    page.refresh()
    assert page.model.rowCount() == BATCH
    assert page.count_label.text() == f"{BATCH + 31} changes"
    assert page.model.canFetchMore()
    page.model.fetchMore()
    assert page.model.rowCount() == BATCH + 31 and not page.model.canFetchMore()
    # Checked once, not watched: Qt's tester fetches more on every reset, and the test counts
    # the batches.
    ModelTester(None).check(page.model)
    page.table.setCurrentIndex(page.table.findData("location"))
    assert page.model.rowCount() == 1
    assert page.model.index(0, AuditTableModel.COL_RECORD).data() == "Location CT1"
    page.table.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "Vendor 17")
    page.apply_filters()
    assert {r.record_id for r in page.model.records()} == {18, *range(171, 181)}
    page.until.setDate(QDate(2001, 1, 1))
    assert page.model.rowCount() == 0 and page.body.currentWidget() is page.empty
    page.clear_filters()
    assert page.until.date() == page.until.minimumDate() and page.model.rowCount() == BATCH
    page.since.setDate(QDate.fromString(date.today().isoformat(), "yyyy-MM-dd"))
    assert page.model.rowCount() == BATCH
    page.who.setCurrentText("tester")
    assert page.model.rowCount() == BATCH


def test_audit_log_is_hidden_from_a_clerk(qtbot: Any, sqlite_db: Database) -> None:
    users.create_user(sqlite_db, login="anna", display_name="Anna", role=Role.MANAGER,
                      password=PASSWORD)  # fmt: skip
    users.create_user(sqlite_db, login="carl", display_name="Carl", role=Role.CLERK,
                      password=PASSWORD)  # fmt: skip
    sqlite_db.sign_in("carl", PASSWORD)
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    row = win.page_names().index("Audit log")
    assert win.sidebar.item(row).isHidden()
    assert "Carl (Clerk)" in win.database_label.text()
    items_page = win.page("Items")
    assert not items_page.add_action.isEnabled()


def _stale_edit(window: MainWindow) -> tuple[Any, Any]:
    supplier = suppliers.create_supplier(window.db, fields={"code": "OM", "name": "Owens"})
    other = open_database(window.db.url, user_name="anna")
    try:
        suppliers.update_supplier(
            other, supplier_id=supplier.id, changes={"lead_time_days": "5"}, expected_version=1
        )
    finally:
        other.close()
    window.refresh_pages()
    return window.page("Suppliers"), supplier


@pytest.mark.parametrize("choice", [conflicts.REAPPLY, conflicts.RELOAD])
def test_a_conflicting_save_offers_reload_or_reapply(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    page, stale = _stale_edit(window)
    asked: list[ConflictError] = []

    def ask(_parent: Any, exc: ConflictError) -> str:
        asked.append(exc)
        return choice

    monkeypatch.setattr(catalog_page, "ask_about_conflict", ask)
    page._edit_now(stale, {"name": "Owens & Minor"})
    (exc,) = asked
    assert "anna changed it" in exc.message and "lead time days 2 → 5" in exc.message
    (now,) = suppliers.list_suppliers(window.db)
    if choice == conflicts.REAPPLY:
        assert (now.name, now.lead_time_days, now.version) == ("Owens & Minor", 5, 3)
    else:
        assert (now.name, now.lead_time_days, now.version) == ("Owens", 5, 2)
    assert page.model.records()[0] == now


def test_conflict_dialog_shows_the_other_change(qtbot: Any, window: MainWindow) -> None:
    _page, stale = _stale_edit(window)
    try:
        suppliers.update_supplier(window.db, supplier_id=stale.id, changes={"name": "X"},
                                  expected_version=1)  # fmt: skip
    except ConflictError as exc:
        dialog = ConflictDialog(window, exc)
    qtbot.addWidget(dialog)
    assert "anna at" in dialog.details.text() and "2 → 5" in dialog.details.text()
    qtbot.mouseClick(dialog.reapply_button, Qt.MouseButton.LeftButton)
    assert dialog.choice == conflicts.REAPPLY


def test_par_grid_conflict_reapplies_on_the_fresh_version(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = locations.create_location(window.db, fields={"code": "CT1", "name": "CT room 1"})
    from parstudio.services.catalog import items

    item = items.create_item(window.db, fields={"code": "SYR", "description": "Syringe"})
    setting = par_settings.create_par_setting(
        window.db, location_id=room.id, item_id=item.id, fields={"par_level": "10"}
    )
    window.refresh_pages()
    page = window.page("PAR Settings")
    other = open_database(window.db.url, user_name="anna")
    try:
        par_settings.update_par_setting(
            other, setting_id=setting.id, changes={"moq": "2"}, expected_version=1
        )
    finally:
        other.close()
    monkeypatch.setattr(
        "parstudio.ui.kit.conflicts.ask_about_conflict", lambda *_a: conflicts.REAPPLY
    )
    column = page.model.COLUMNS.index("par_level")
    assert not page.model.setData(page.model.index(0, column), "12")
    qtbot.waitUntil(
        lambda: par_settings.get_par_setting(window.db, setting_id=setting.id).version == 3
    )
    final = par_settings.get_par_setting(window.db, setting_id=setting.id)
    assert (final.par_level, final.moq) == (12, 2)


def test_users_page_adds_accounts_changes_roles_and_deactivates(
    qtbot: Any, window: MainWindow, qtmodeltester: Any
) -> None:
    from parstudio.ui.admin.users_page import AccountDialog, UsersPage

    page: UsersPage = window.page("Users")
    window.show_page("Users")
    assert page.note.text().startswith("With no accounts")
    dialog = AccountDialog(page, window)
    qtbot.addWidget(dialog)
    # The first account is offered as a manager, and cannot be made anything else.
    assert dialog.role.currentData() == Role.MANAGER and not dialog.role.isEnabled()
    qtbot.keyClicks(dialog.login, "carl")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.repeat, PASSWORD)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    (carl,) = users.list_users(window.db)
    assert carl.role is Role.MANAGER
    page.refresh()
    assert page.note.text().startswith("Everyone signs in")
    second = AccountDialog(page, window)
    qtbot.addWidget(second)
    assert second.role.currentData() == Role.CLERK and second.role.isEnabled()
    users.create_user(window.db, login="vera", display_name="Vera", role=Role.CLERK,
                      password=PASSWORD)  # fmt: skip
    page.refresh()
    qtmodeltester.check(page.model)
    assert [page.model.index(r, 0).data() for r in range(2)] == ["carl", "vera"]
    page.select_login("vera")
    page.role_picker.setCurrentIndex(page.role_picker.findData(Role.VIEWER))
    page.change_role()
    page.toggle_active()
    (vera,) = [u for u in users.list_users(window.db) if u.login == "vera"]
    assert (vera.role, vera.active) == (Role.VIEWER, False)
    assert page.active_action.text() == "Reactivate"
    page.select_login("carl")
    page.toggle_active()  # the only manager: refused, and said so
    assert all(u.active for u in users.list_users(window.db) if u.login == "carl")
    assert "only active manager" in window.statusBar().currentMessage()


def test_a_server_asking_for_a_password_gets_one_and_it_is_remembered(
    qtbot: Any, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QWidget

    from parstudio.domain.errors import DatabaseOpenError
    from parstudio.services.core import database
    from parstudio.ui.shell import opening

    url = "postgresql+psycopg://anna@supply-server/parstudio"
    tried: list[str | None] = []
    kept: list[tuple[str, str]] = []

    def fake_open(given: str, *, password: str | None = None, **_options: object) -> Database:
        tried.append(password)
        if password != "s3cret":
            raise DatabaseOpenError('Could not open: password authentication failed for "anna"')
        return sqlite_db

    monkeypatch.setattr(database, "open_database", fake_open)  # what the opening job calls
    monkeypatch.setattr(opening, "ask_server_password", lambda *_a: ("s3cret", True))
    monkeypatch.setattr(opening, "remember_password", lambda u, p: kept.append((u, p)))
    parent = QWidget()
    qtbot.addWidget(parent)
    opener = opening.DatabaseOpener(parent)
    with qtbot.waitSignal(opener.opened, timeout=20_000) as done:
        opener.open(url)
    assert done.args[0].db is sqlite_db
    assert tried == [None, "s3cret"] and kept == [(url, "s3cret")]


def test_server_password_dialog_says_when_there_is_no_keyring(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parstudio.ui.shell import server_password

    monkeypatch.setattr(server_password, "keyring_problem", lambda: "No system keyring here.")
    dialog = server_password.ServerPasswordDialog(
        None, "postgresql+psycopg://anna@supply-server/parstudio", "password authentication failed"
    )
    qtbot.addWidget(dialog)
    assert not dialog.remember.isEnabled() and not dialog.remember.isChecked()
    assert dialog.keyring_note.text() == "No system keyring here."


def test_a_signed_in_clerk_changes_their_own_password(qtbot: Any, sqlite_db: Database) -> None:
    from parstudio.ui.shell.sign_in import ChangePasswordDialog

    users.create_user(sqlite_db, login="anna", display_name="Anna", role=Role.MANAGER,
                      password=PASSWORD)  # fmt: skip
    users.create_user(sqlite_db, login="carl", display_name="Carl", role=Role.CLERK,
                      password=PASSWORD)  # fmt: skip
    sqlite_db.sign_in("carl", PASSWORD)
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    assert win.password_action.isEnabled()
    dialog = ChangePasswordDialog(sqlite_db, win)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.current, "not it at all")
    qtbot.keyClicks(dialog.new, "new password 1")
    qtbot.keyClicks(dialog.repeat, "new password 1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "do not match" in dialog.error.text()
    dialog.current.setText(PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert users.authenticate(sqlite_db, login="carl", password="new password 1").login == "carl"


def test_without_accounts_there_is_no_password_to_change(window: MainWindow) -> None:
    assert not window.password_action.isEnabled()


def test_audit_log_names_records_as_people_do_and_finds_them_by_name(
    qtbot: Any, window: MainWindow
) -> None:
    from parstudio.services.catalog import items, par_settings

    db = window.db
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    glass = items.create_item(db, fields={"code": "GLS-003", "description": "Goggles"})
    items.create_item(db, fields={"code": "SYR-10", "description": "Syringe"})
    setting = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=glass.id, fields={"max_level": "10"}
    )
    par_settings.update_par_setting(
        db, setting_id=setting.id, changes={"max_level": "12"}, expected_version=setting.version
    )
    page: AuditLogPage = window.page("Audit log")
    window.show_page("Audit log")
    page.refresh()
    shown = [page.model.index(r, AuditTableModel.COL_RECORD).data() for r in range(5)]
    assert shown == [
        "PAR setting GLS-003 at CT1",
        "PAR setting GLS-003 at CT1",
        "Item SYR-10",
        "Item GLS-003",
        "Location CT1",
    ]
    qtbot.keyClicks(page.search, "gls-003")
    page.apply_filters()
    found = [page.model.index(r, AuditTableModel.COL_RECORD).data() for r in range(3)]
    assert page.model.rowCount() == 3 and set(found) == {
        "PAR setting GLS-003 at CT1",
        "Item GLS-003",
    }
    assert "Max 10 → 12" in page.model.index(0, AuditTableModel.COL_CHANGES).data()


def test_tab_leaves_the_from_date(qtbot: Any, window: MainWindow) -> None:
    page: AuditLogPage = window.page("Audit log")
    window.show_page("Audit log")
    page.refresh()
    window.activateWindow()
    page.since.setFocus()
    qtbot.waitUntil(lambda: page.since.hasFocus())
    qtbot.keyClick(page.since, Qt.Key.Key_Tab)
    assert page.until.hasFocus()
    qtbot.keyClick(page.until, Qt.Key.Key_Backtab)
    assert page.since.hasFocus()
    page.since.setDate(QDate(2026, 12, 1))  # a real date: Tab still leaves at once
    qtbot.keyClick(page.since, Qt.Key.Key_Tab)
    assert page.until.hasFocus()


def test_users_page_shows_a_locked_account_and_unlocks_it(
    qtbot: Any, window: MainWindow, tmp_path: Any
) -> None:
    from parstudio.ui.admin.users_page import UsersPage

    users.create_user(window.db, login="anna", display_name="Anna", role=Role.MANAGER,
                      password=PASSWORD)  # fmt: skip
    users.create_user(window.db, login="carl", display_name="Carl", role=Role.CLERK,
                      password=PASSWORD)  # fmt: skip
    for _ in range(5):  # each wait passes at once here: five wrong passwords in a row
        with pytest.raises(SignInError):
            users.authenticate(window.db, login="carl", password="wrong password")
        with window.db.engine.begin() as connection:
            connection.exec_driver_sql(
                "UPDATE app_user SET locked_until = NULL WHERE failed_sign_ins < 5"
            )
    page: UsersPage = window.page("Users")
    window.resize(1280, 800)
    window.show_page("Users")
    page.refresh()
    page.select_login("carl")
    assert "locked until" in page.model.index(1, 3).data()
    assert page.unlock_action.isEnabled()
    window.grab().save(str(tmp_path / "users-locked.png"))

    page.unlock_action.trigger()

    assert not page.unlock_action.isEnabled() and page.model.index(1, 3).data() == "Yes"
    assert "carl can sign in again" in window.statusBar().currentMessage()
    assert users.authenticate(window.db, login="carl", password=PASSWORD).login == "carl"
