"""The command line, end to end through files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parstudio.cli import main


def test_info_names_the_database_and_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "office.sqlite"
    assert main(["--database", str(path), "info"]) == 0
    out = capsys.readouterr().out
    assert f"SQLite file {path}" in out
    assert "Schema: " in out and "None" not in out


def test_environment_variable_selects_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "from-env.sqlite"
    monkeypatch.setenv("PARSTUDIO_DATABASE_URL", f"sqlite:///{path}")
    assert main(["info"]) == 0
    assert str(path) in capsys.readouterr().out


def test_bad_database_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"\x00not sqlite at all" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "parstudio", "--database", str(path), "info"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "not a PAR Studio database" in result.stderr
    assert "Traceback" not in result.stderr


def test_count_with_an_unknown_location_is_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "office.sqlite"
    assert main(["--database", str(path), "count", "--location", "NOPE"]) == 2
    assert "There is no location “NOPE”" in capsys.readouterr().err


def test_count_opens_the_count_window_on_the_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parstudio.services.catalog import locations
    from parstudio.services.core.database import open_database
    from parstudio.ui.counting import station as count_window

    path = tmp_path / "office.sqlite"
    db = open_database(str(path))
    room = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    db.close()
    opened: list[int] = []
    monkeypatch.setattr(
        count_window, "run_count_window", lambda _db, location_id: opened.append(location_id) or 0
    )
    assert main(["--database", str(path), "count", "--location", "ct1"]) == 0
    assert opened == [room.id]


def test_users_are_managed_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["--database", str(tmp_path / "office.sqlite")]
    monkeypatch.setenv("PARSTUDIO_NEW_PASSWORD", "manager-pw")
    assert main([*base, "users", "add", "anna", "--role", "manager", "--name", "Anna B"]) == 0
    monkeypatch.setenv("PARSTUDIO_NEW_PASSWORD", "clerk-pw1")
    # Accounts exist now: managing them needs a manager signed in.
    assert main([*base, "users", "add", "carl", "--role", "clerk"]) == 2
    assert "--user" in capsys.readouterr().err
    monkeypatch.setenv("PARSTUDIO_PASSWORD", "manager-pw")
    signed = [*base, "--user", "anna"]
    assert main([*signed, "users", "add", "carl", "--role", "clerk"]) == 0
    assert main([*signed, "users", "role", "carl", "viewer"]) == 0
    assert main([*signed, "users", "deactivate", "carl"]) == 0
    capsys.readouterr()
    assert main([*base, "users", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split()[:2] == ["anna", "Manager"]
    assert listing[1].split()[:2] == ["carl", "Viewer"] and "(deactivated)" in listing[1]
    monkeypatch.setenv("PARSTUDIO_PASSWORD", "wrong")
    assert main([*signed, "users", "list"]) == 2
    assert "do not match" in capsys.readouterr().err


def test_an_account_locked_by_wrong_passwords_is_unlocked_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["--database", str(tmp_path / "office.sqlite")]
    monkeypatch.setenv("PARSTUDIO_NEW_PASSWORD", "manager-pw")
    assert main([*base, "users", "add", "anna", "--role", "manager"]) == 0
    monkeypatch.setenv("PARSTUDIO_PASSWORD", "manager-pw")
    monkeypatch.setenv("PARSTUDIO_NEW_PASSWORD", "clerk-pw1")
    assert main([*base, "--user", "anna", "users", "add", "carl", "--role", "clerk"]) == 0
    from datetime import timedelta

    from parstudio.services.admin import users

    # No short waits between tries here (the service test has them): five, then locked.
    monkeypatch.setattr(users, "wait_after", lambda n: timedelta(minutes=15) if n >= 5 else None)
    monkeypatch.setenv("PARSTUDIO_PASSWORD", "wrong")
    for _ in range(5):
        assert main([*base, "--user", "carl", "users", "list"]) == 2
    capsys.readouterr()
    monkeypatch.setenv("PARSTUDIO_PASSWORD", "clerk-pw1")
    assert main([*base, "--user", "carl", "users", "list"]) == 2
    assert "locked until" in capsys.readouterr().err
    assert main([*base, "users", "list"]) == 0
    assert "(locked until" in capsys.readouterr().out
    monkeypatch.setenv("PARSTUDIO_PASSWORD", "manager-pw")
    assert main([*base, "--user", "anna", "users", "unlock", "carl"]) == 0
    assert "carl can sign in again" in capsys.readouterr().out
    monkeypatch.setenv("PARSTUDIO_PASSWORD", "clerk-pw1")
    assert main([*base, "--user", "carl", "users", "list"]) == 0


def test_a_scanning_station_on_a_database_with_accounts_signs_in_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parstudio.domain.roles import Role
    from parstudio.services.admin import users
    from parstudio.services.catalog import locations
    from parstudio.services.core.database import Database, open_database
    from parstudio.ui.counting import station as count_window
    from parstudio.ui.shell import sign_in

    path = tmp_path / "office.sqlite"
    db = open_database(str(path))
    locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    users.create_user(db, login="carl", display_name="Carl", role=Role.MANAGER, password="x" * 9)
    db.close()
    opened: list[str | None] = []
    monkeypatch.setattr(
        count_window, "run_count_window", lambda db, _id: opened.append(db.user_name) or 0
    )

    def answer(ok: bool) -> None:
        def sign(db: Database, _parent: object = None) -> bool:
            if ok:
                db.sign_in("carl", "x" * 9)
            return ok

        monkeypatch.setattr(sign_in, "sign_in_if_needed", sign)

    answer(False)
    assert main(["--database", str(path), "count", "--location", "CT1"]) == 1
    answer(True)
    assert main(["--database", str(path), "count", "--location", "CT1"]) == 0
    assert opened == ["carl"]


def test_recompute_suggestions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from parstudio.services.catalog import items, locations, par_settings
    from parstudio.services.core.database import open_database

    path = tmp_path / "office.sqlite"
    db = open_database(str(path))
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT"})
    item = items.create_item(db, fields={"code": "GLV", "description": "Gloves"})
    par_settings.create_par_setting(
        db, location_id=ct.id, item_id=item.id, fields={"par_level": "5"}
    )
    db.close()
    assert main(["--database", str(path), "recompute-suggestions", "--location", "ct1"]) == 0
    assert "Worked out usage and suggestions of 1 settings" in capsys.readouterr().out
    assert main(["--database", str(path), "recompute-suggestions", "--location", "XX"]) == 2
    assert "No location has the code XX" in capsys.readouterr().err
