"""Open sessions follow a manager's changes at once; wrong passwords slow, then lock sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from parstudio.domain.errors import PermissionDenied, SignInError
from parstudio.domain.roles import Role
from parstudio.domain.scan_journal import new_client_id
from parstudio.models import Count, Scan, User
from parstudio.services.admin import users
from parstudio.services.catalog import par_settings
from parstudio.services.core.database import Database
from parstudio.services.counting import counts
from parstudio.services.counting import scans as counting
from tests.services.core.test_roles_and_audit import PASSWORD, SignIn, as_user, par_level, ward

__all__ = ["as_user", "ward"]  # fixtures


def scans_of(db: Database, count_id: int) -> list[tuple[str | None, datetime]]:
    with db.reading() as session:
        rows = session.execute(
            select(Scan.recorded_by, Scan.recorded_at).where(Scan.count_id == count_id)
        )
        return [(by, at) for by, at in rows]


def test_a_manager_demoted_while_signed_in_cannot_save_their_next_change(
    ward: dict[str, int], as_user: SignIn
) -> None:
    demoted, other = as_user("anna"), as_user("anna")
    users.create_user(other, login="max", display_name="Max", role=Role.MANAGER, password=PASSWORD)
    boss = as_user("max")
    par_settings.update_par_setting(demoted, setting_id=ward["setting"], changes={"par_level": 12})
    users.set_role(boss, login="anna", role=Role.VIEWER)

    with pytest.raises(PermissionDenied):
        par_settings.update_par_setting(
            demoted, setting_id=ward["setting"], changes={"par_level": 77}
        )

    assert par_level(boss, ward["setting"]) == Decimal(12)
    assert demoted.role is Role.VIEWER  # what the window shows from now on


def test_a_clerk_deactivated_while_counting_cannot_scan_on(
    ward: dict[str, int], as_user: SignIn
) -> None:
    clerk, boss = as_user("carl"), as_user("anna")
    sheet = counting.open_count(clerk, location_id=ward["location"])
    counting.record_scan(clerk, count_id=sheet.count_id, text="INT-7788")
    users.set_active(boss, login="carl", active=False)

    with pytest.raises(PermissionDenied, match="deactivated"):
        counting.record_scan(clerk, count_id=sheet.count_id, text="INT-7788")

    assert len(scans_of(boss, sheet.count_id)) == 1
    assert clerk.role is None  # signed out: nothing more is written from this session


def test_a_scan_is_recorded_under_the_signed_in_user_within_its_count(
    ward: dict[str, int], as_user: SignIn
) -> None:
    clerk = as_user("carl")
    sheet = counting.open_count(clerk, location_id=ward["location"])
    counting.record_scan(
        clerk,
        count_id=sheet.count_id,
        text="INT-7788",
        client_id=new_client_id(),
        scanned_at=datetime(2020, 1, 1, tzinfo=UTC),  # before the count began: not believed
    )
    counting.record_scan(
        clerk,
        count_id=sheet.count_id,
        text="INT-7788",
        scanned_at=datetime.now(UTC) + timedelta(days=3),  # in the future: not believed
    )
    [(first_by, first_at), (second_by, second_at)] = sorted(scans_of(clerk, sheet.count_id))
    assert first_by == second_by == "carl"
    assert first_at >= sheet.started_at and second_at <= datetime.now(UTC)


def test_a_clerk_cannot_record_a_count_as_someone_else_or_at_another_time(
    ward: dict[str, int], as_user: SignIn
) -> None:
    clerk, boss = as_user("carl"), as_user("anna")
    quantities = {ward["item"]: Decimal(3)}
    with pytest.raises(PermissionDenied):
        counts.record_count(
            clerk, location_id=ward["location"], quantities=quantities, counted_by="vera"
        )
    with pytest.raises(PermissionDenied):
        counts.record_count(
            clerk,
            location_id=ward["location"],
            quantities=quantities,
            when=datetime.now(UTC) + timedelta(days=1),
        )
    with boss.reading() as session:
        assert session.scalar(select(func.count()).select_from(Count)) == 0
    made = counts.record_count(clerk, location_id=ward["location"], quantities=quantities)
    assert made.counted_by == "carl"
    paper = counts.record_count(
        boss,
        location_id=ward["location"],
        quantities=quantities,
        counted_by="vera",
        when=datetime(2026, 11, 1, tzinfo=UTC),
    )
    assert paper.counted_by == "vera"


def failures_of(db: Database, login: str) -> tuple[int, datetime | None]:
    with db.reading() as session:
        row = session.execute(
            select(User.failed_sign_ins, User.locked_until).where(User.login == login)
        ).one()
        return int(row[0]), row[1]


def test_wrong_passwords_slow_sign_in_then_lock_it_until_a_manager_unlocks(
    db: Database, ward: dict[str, int], as_user: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    for attempt in range(1, 3):
        with pytest.raises(SignInError, match="do not match") as refused:
            users.authenticate(db, login="carl", password="wrong password")
        assert "wait" not in str(refused.value)
        assert failures_of(db, "carl") == (attempt, None)
    with pytest.raises(SignInError, match="wait 5 seconds"):
        users.authenticate(db, login="carl", password="wrong password")
    # Even the right password waits its turn.
    with pytest.raises(SignInError, match="wait"):
        users.authenticate(db, login="carl", password=PASSWORD)
    with db.engine.begin() as connection:  # the five seconds pass
        connection.execute(User.__table__.update().values(locked_until=None))
    with pytest.raises(SignInError, match="wait 30 seconds"):
        users.authenticate(db, login="carl", password="wrong password")
    with db.engine.begin() as connection:
        connection.execute(User.__table__.update().values(locked_until=None))
    with pytest.raises(SignInError, match="locked until"):
        users.authenticate(db, login="carl", password="wrong password")
    failures, until = failures_of(db, "carl")
    assert failures == 5 and until is not None
    assert timedelta(minutes=14) < until - datetime.now(UTC) <= timedelta(minutes=15)
    with pytest.raises(SignInError, match="parstudio users unlock carl"):
        users.authenticate(db, login="carl", password=PASSWORD)
    listed = {user.login: user for user in users.list_users(db)}
    assert listed["carl"].locked() and not listed["anna"].locked()

    boss = as_user("anna")
    users.unlock_user(boss, login="carl")

    assert failures_of(db, "carl") == (0, None)
    assert users.authenticate(db, login="carl", password=PASSWORD).login == "carl"


def test_only_a_manager_unlocks_and_a_right_password_resets_the_count(
    db: Database, ward: dict[str, int], as_user: SignIn
) -> None:
    for _ in range(2):
        with pytest.raises(SignInError):
            users.authenticate(db, login="vera", password="wrong password")
    assert users.authenticate(db, login="vera", password=PASSWORD).login == "vera"
    assert failures_of(db, "vera") == (0, None)
    with pytest.raises(PermissionDenied):
        users.unlock_user(as_user("carl"), login="vera")
