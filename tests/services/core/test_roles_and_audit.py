"""Roles enforced through any path, and the audit trail written by the same hook."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, insert, select, update

from parstudio.domain.errors import ConflictError, PermissionDenied, SignInError, ValidationError
from parstudio.domain.roles import Role
from parstudio.models import AuditEntry, Item, ParSetting, Supplier
from parstudio.services import worksheets
from parstudio.services.admin import users
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core import audit
from parstudio.services.core.database import Database, open_database
from parstudio.services.counting import scans as counting

PASSWORD = "correct horse"
SignIn = Callable[[str], Database]


@pytest.fixture
def ward(db: Database) -> dict[str, int]:
    """A manager account, a clerk and a viewer, and one PAR setting to fight over."""
    users.create_user(
        db, login="anna", display_name="Anna Manager", role=Role.MANAGER, password=PASSWORD
    )
    users.create_user(
        db, login="carl", display_name="Carl Clerk", role=Role.CLERK, password=PASSWORD
    )
    users.create_user(db, login="vera", display_name="Vera", role=Role.VIEWER, password=PASSWORD)
    room = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    item = items.create_item(
        db, fields={"code": "SYR-10", "description": "Syringe 10 mL", "barcodes": "INT-7788"}
    )
    setting = par_settings.create_par_setting(
        db, location_id=room.id, item_id=item.id, fields={"par_level": "10"}
    )
    return {"location": room.id, "item": item.id, "setting": setting.id}


@pytest.fixture
def as_user(db_url: str) -> Iterator[SignIn]:
    """Open the same database again and sign in as someone."""
    opened: list[Database] = []

    def sign_in(login: str) -> Database:
        other = open_database(db_url, authenticate=users.authenticate)
        opened.append(other)
        other.sign_in(login, PASSWORD)
        return other

    yield sign_in
    for other in opened:
        other.close()


def par_level(db: Database, setting_id: int) -> Decimal | None:
    return par_settings.get_par_setting(db, setting_id=setting_id).par_level


def test_sign_in_is_off_without_accounts_and_required_once_they_exist(db_url: str) -> None:
    first = open_database(db_url)
    try:
        assert first.role is Role.MANAGER and not first.sign_in_required
        users.create_user(first, login="anna", display_name="Anna", role=Role.MANAGER,
                          password=PASSWORD)  # fmt: skip
    finally:
        first.close()
    later = open_database(db_url, authenticate=users.authenticate)
    try:
        assert later.sign_in_required and later.role is None
        with pytest.raises(PermissionDenied, match="Sign in"):
            locations.create_location(later, fields={"code": "X", "name": "X"})
        with pytest.raises(SignInError, match="do not match"):
            later.sign_in("anna", "wrong password")
        with pytest.raises(SignInError, match="do not match"):
            later.sign_in("nobody", PASSWORD)
        later.sign_in("Anna", PASSWORD)
        assert (later.user_name, later.role, later.display_name) == ("anna", Role.MANAGER, "Anna")
        locations.create_location(later, fields={"code": "X", "name": "X"})
    finally:
        later.close()


def test_sign_in_uses_the_check_the_opener_was_given(db_url: str) -> None:
    """services/core imports no feature: the accounts' check is handed to open_database."""
    first = open_database(db_url)
    users.create_user(first, login="anna", display_name="Anna", role=Role.MANAGER,
                      password=PASSWORD)  # fmt: skip
    first.close()
    asked: list[str] = []

    def check(db: Database, /, *, login: str, password: str) -> users.UserRecord:
        asked.append(login)
        return users.authenticate(db, login=login, password=password)

    later = open_database(db_url, authenticate=check)
    unable = open_database(db_url)
    try:
        later.sign_in("anna", PASSWORD)
        assert asked == ["anna"] and later.role is Role.MANAGER
        with pytest.raises(RuntimeError, match="without an authenticator"):
            unable.sign_in("anna", PASSWORD)
        assert unable.role is None and unable.sign_in_required
    finally:
        later.close()
        unable.close()


def test_passwords_are_stored_only_as_argon2_hashes(db: Database, ward: dict[str, int]) -> None:
    with db.reading() as session:
        stored = session.scalar(select(users.User.password_hash).where(users.User.login == "carl"))
    assert stored is not None and stored.startswith("$argon2") and PASSWORD not in stored
    with pytest.raises(ValidationError, match="at least 8"):
        users.create_user(db, login="short", display_name="", role=Role.CLERK, password="abc")


def test_clerk_cannot_change_par_settings_items_or_import(
    db: Database, ward: dict[str, int], as_user: SignIn, tmp_path: Path
) -> None:
    clerk: Database = as_user("carl")
    with pytest.raises(PermissionDenied, match="Only a manager can change PAR settings"):
        par_settings.update_par_setting(
            clerk, setting_id=ward["setting"], changes={"par_level": "99"}
        )
    with pytest.raises(PermissionDenied, match="items"):
        items.create_item(clerk, fields={"code": "NEW", "description": "New thing"})
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Location", "Item Code", "Description", "PAR Level"])
    sheet.append(["CT1", "SYR-10", "Syringe 10 mL", 50])
    book.save(tmp_path / "sheet.xlsx")
    with pytest.raises(PermissionDenied):
        worksheets.apply_import(clerk, path=tmp_path / "sheet.xlsx")
    # The same clerk session cannot get there through a bulk statement either.
    with pytest.raises(PermissionDenied), clerk.transaction() as session:
        session.execute(update(ParSetting).values(par_level=Decimal(77)))
    with pytest.raises(PermissionDenied), clerk.transaction() as session:
        session.execute(insert(Supplier.__table__).values(code="S", name="S", version=1))
    with pytest.raises(PermissionDenied):
        users.set_role(clerk, login="carl", role=Role.MANAGER)
    assert par_level(db, ward["setting"]) == Decimal(10)
    assert items.find_item_by_code(db, code="NEW") is None
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Supplier)) == 0


def test_clerk_counts_and_scans_and_viewer_writes_nothing(
    db: Database, ward: dict[str, int], as_user: SignIn
) -> None:
    clerk: Database = as_user("carl")
    sheet = counting.open_count(clerk, location_id=ward["location"])
    outcome = counting.record_scan(clerk, count_id=sheet.count_id, text="INT-7788")
    assert outcome.scan_id is not None
    counted = counting.get_count_sheet(db, count_id=sheet.count_id)
    assert [line.counted for line in counted.lines] == [Decimal(1)]
    viewer: Database = as_user("vera")
    with pytest.raises(PermissionDenied, match="viewer"):
        counting.record_scan(viewer, count_id=sheet.count_id, text="INT-7788")
    with pytest.raises(PermissionDenied, match="viewer"):
        locations.create_location(viewer, fields={"code": "X", "name": "X"})
    with pytest.raises(PermissionDenied, match="another person"):
        users.change_password(viewer, login="carl", new_password="x" * 12)
    assert counting.get_count_sheet(db, count_id=sheet.count_id).lines[0].counted == Decimal(1)
    # Reading is fine for everyone.
    assert par_level(viewer, ward["setting"]) == Decimal(10)


def test_anyone_changes_their_own_password_but_only_a_manager_anyone_elses(
    db: Database, ward: dict[str, int], as_user: SignIn
) -> None:
    clerk: Database = as_user("carl")
    with pytest.raises(SignInError):
        users.change_password(clerk, login="carl", old_password="wrong one", new_password="n" * 9)
    users.change_password(clerk, login="carl", old_password=PASSWORD, new_password="n" * 9)
    with pytest.raises(PermissionDenied):
        users.change_password(clerk, login="vera", new_password="n" * 9)
    users.change_password(db, login="vera", new_password="m" * 9)
    assert users.authenticate(db, login="carl", password="n" * 9).role is Role.CLERK
    assert users.authenticate(db, login="vera", password="m" * 9).role is Role.VIEWER


def test_the_last_manager_is_kept_and_deactivated_accounts_cannot_sign_in(
    db: Database, ward: dict[str, int], as_user: SignIn
) -> None:
    with pytest.raises(ValidationError, match="only active manager"):
        users.set_role(db, login="anna", role=Role.CLERK)
    with pytest.raises(ValidationError, match="only active manager"):
        users.set_active(db, login="anna", active=False)
    users.set_active(db, login="carl", active=False)
    with pytest.raises(SignInError, match="deactivated"):
        db.sign_in("carl", PASSWORD)
    assert users.set_role(db, login="vera", role=Role.CLERK).role is Role.CLERK
    assert [u.login for u in users.list_users(db)] == ["anna", "carl", "vera"]


def test_every_change_is_audited_with_who_and_old_to_new(
    db: Database, ward: dict[str, int], as_user: SignIn
) -> None:
    manager: Database = as_user("anna")
    par_settings.update_par_setting(
        manager, setting_id=ward["setting"], changes={"par_level": "12"}, expected_version=1
    )
    history = audit.record_history(db, table="par_setting", record_id=ward["setting"])
    assert [entry.action for entry in history] == ["update", "insert"]
    latest = history[0]
    assert latest.user_name == "anna" and latest.record_version == 2
    assert latest.summary() == "PAR level 10 → 12"
    assert history[1].user_name == "tester"
    created = {change.field: change.new for change in history[1].changes}
    assert created["par_level"] == "10"
    clerk: Database = as_user("carl")
    sheet = counting.open_count(clerk, location_id=ward["location"])
    counting.record_scan(clerk, count_id=sheet.count_id, text="INT-7788")
    page = audit.search_audit(db, where=audit.AuditFilter(user="carl"))
    assert {entry.table for entry in page} >= {"count", "count_line", "scan"}
    assert audit.count_audit(db, where=audit.AuditFilter(table="par_setting")) == 2
    found = audit.search_audit(db, where=audit.AuditFilter(text="syringe", table="item"))
    assert len(found) == 1 and found[0].action == "insert"
    assert len(audit.search_audit(db, where=audit.AuditFilter(text="syringe"))) > 1
    assert audit.search_audit(db, offset=1, limit=2)[0].id == audit.search_audit(db)[1].id
    assert "carl" in audit.audit_users(db)


def test_a_refused_write_leaves_no_audit_entry(
    db: Database, ward: dict[str, int], as_user: SignIn
) -> None:
    before = audit.count_audit(db)
    clerk: Database = as_user("carl")
    with pytest.raises(PermissionDenied):
        par_settings.update_par_setting(clerk, setting_id=ward["setting"], changes={"moq": "2"})
    assert audit.count_audit(db) == before


def test_bulk_statements_are_summarised_per_table_and_kind(db: Database) -> None:
    with db.transaction() as session:
        session.execute(
            insert(Item), [{"code": f"B{n}", "description": f"Bulk {n}"} for n in range(30)]
        )
        session.execute(update(Item).where(Item.code.like("B1%")).values(category="Bulk"))
    with db.reading() as session:
        entries = session.execute(
            select(AuditEntry.table_name, AuditEntry.action, AuditEntry.rows).where(
                AuditEntry.record_id.is_(None)
            )
        ).all()
    assert sorted(entries) == [("item", "insert", 30), ("item", "update", 11)]


def test_a_conflict_shows_the_other_persons_change(
    db: Database, ward: dict[str, int], as_user: SignIn
) -> None:
    manager: Database = as_user("anna")
    par_settings.update_par_setting(
        manager, setting_id=ward["setting"], changes={"par_level": "14"}, expected_version=1
    )
    with pytest.raises(ConflictError) as refused:
        par_settings.update_par_setting(
            db, setting_id=ward["setting"], changes={"par_level": "11"}, expected_version=1
        )
    message = str(refused.value)
    assert "anna changed it" in message and "PAR level 10 → 14" in message
    assert "Reload" in message and "reapply" in message
    assert [entry.user_name for entry in refused.value.other_changes] == ["anna"]
    assert par_level(db, ward["setting"]) == Decimal(14)


def test_clerk_sends_and_receives_orders_but_cannot_approve_or_cancel(
    db: Database, ward: dict[str, int], as_user: SignIn
) -> None:
    from datetime import date

    from parstudio.services.catalog import suppliers
    from parstudio.services.counting import counts
    from parstudio.services.ordering import orders, proposals

    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline"})
    items.update_item(db, item_id=ward["item"], changes={"supplier_code": "MED"})
    clerk = as_user("carl")
    counts.record_count(clerk, location_id=ward["location"], quantities={ward["item"]: Decimal(2)})
    proposal = proposals.propose_orders(clerk, location_ids=[ward["location"]])
    lines = proposal.as_proposed()
    assert lines
    with pytest.raises(PermissionDenied, match="orders"):
        orders.approve_lines(clerk, lines=lines, order_date=date(2026, 11, 23))
    (order,) = orders.approve_lines(db, lines=lines, order_date=date(2026, 11, 23))
    assert orders.send_order(clerk, order_id=order.id).status.value == "SENT"
    with pytest.raises(PermissionDenied, match="cancelled"):
        orders.cancel_order(clerk, order_id=order.id)
    line = orders.get_order(db, order_id=order.id).lines[0]
    received = orders.receive_order(clerk, order_id=order.id, received_units={line.id: Decimal(1)})
    assert received.status.value == "PARTIAL"
    history = audit.record_history(db, table="purchase_order", record_id=order.id)
    assert [(e.user_name, e.action) for e in history] == [
        ("carl", "update"),
        ("carl", "update"),
        ("tester", "insert"),
    ]
    assert "status SENT → PARTIAL" in history[0].summary()


def test_an_import_is_in_each_changed_records_history_and_in_conflicts(
    db: Database, ward: dict[str, int], tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Location", "Item Code", "Description", "PAR Level"])
    sheet.append(["CT1", "SYR-10", "Syringe 10 mL", 50])
    sheet.append(["MRI", "GLV-M", "Gloves M", 8])
    book.save(tmp_path / "sheet.xlsx")
    assert worksheets.apply_import(db, path=tmp_path / "sheet.xlsx").applied
    latest = audit.record_history(db, table="par_setting", record_id=ward["setting"])[0]
    assert (latest.user_name, latest.record_version) == ("tester", 2)
    assert latest.summary() == "PAR level 10 → 50"
    with db.reading() as session:
        summaries = session.execute(
            select(AuditEntry.table_name, AuditEntry.action, AuditEntry.rows).where(
                AuditEntry.record_id.is_(None)
            )
        ).all()
    assert ("par_setting", "insert", 1) in summaries and ("item", "insert", 1) in summaries
    with pytest.raises(ConflictError, match="PAR level 10 → 50"):
        par_settings.update_par_setting(
            db, setting_id=ward["setting"], changes={"moq": "2"}, expected_version=1
        )


def test_without_sign_in_or_user_variable_the_audit_names_the_os_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import pwd

    from parstudio.services.core.urls import sqlite_url

    def no_terminal() -> str:
        raise OSError("no controlling terminal")

    monkeypatch.setattr(os, "getlogin", no_terminal)
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    login = pwd.getpwuid(os.getuid()).pw_name
    db = open_database(sqlite_url(tmp_path / "who.sqlite"))
    try:
        assert db.user_name == login != "unknown"
        items.create_item(db, fields={"code": "SYR-10", "description": "Syringe"})
        with db.reading() as session:
            users_seen = set(session.scalars(select(AuditEntry.user_name)))
        assert users_seen == {login}
    finally:
        db.close()


def test_audit_names_records_and_searches_those_names(db: Database) -> None:
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    goggles = items.create_item(db, fields={"code": "GLS-003", "description": "Goggles"})
    setting = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=goggles.id, fields={"max_level": "10"}
    )
    par_settings.update_par_setting(
        db, setting_id=setting.id, changes={"max_level": "12"}, expected_version=setting.version
    )
    found = audit.search_audit(db, where=audit.AuditFilter(text="GLS-003"))
    assert [(r.table, r.action, r.title) for r in found] == [
        ("par_setting", "update", "PAR setting GLS-003 at CT1"),
        ("par_setting", "insert", "PAR setting GLS-003 at CT1"),
        ("item", "insert", "Item GLS-003"),
    ]
    assert audit.count_audit(db, where=audit.AuditFilter(text="gls-003 at ct1")) == 2
    history = audit.record_history(db, table="location", record_id=ct.id)
    assert [r.title for r in history] == ["Location CT1"]
