"""What differs on Windows, run everywhere: the data folder, the scan journal's file lock, the
PDF fonts' folders and the keyring's refusals (sys.platform and the Windows modules faked)."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import platformdirs
import platformdirs.windows
import pytest

from parstudio.services.core import urls


def test_the_data_folder_on_windows_is_in_local_app_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    local = tmp_path / "AppData" / "Local"
    asked: list[str] = []

    def win_folder(csidl: str) -> str:
        asked.append(csidl)
        return str(local)

    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", win_folder)
    assert urls.data_folder() == local / "PARStudio"  # not roaming, no "author" folder
    assert asked == ["CSIDL_LOCAL_APPDATA"]
    assert urls.default_database_url() == urls.sqlite_url(local / "PARStudio" / "parstudio.sqlite")
    assert urls.log_file() == local / "PARStudio" / "parstudio.log"
    assert (local / "PARStudio").is_dir()


class FakeMsvcrt(types.ModuleType):
    """msvcrt's byte-range lock, recording what it is asked."""

    LK_LOCK = 1
    LK_UNLCK = 0

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.calls: list[tuple[int, int]] = []
        self.held = False

    def locking(self, _fd: int, mode: int, nbytes: int) -> None:
        assert self.held is (mode == self.LK_UNLCK), "lock and unlock out of order"
        self.held = mode == self.LK_LOCK
        self.calls.append((mode, nbytes))


def test_the_scan_journal_locks_with_msvcrt_on_windows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from parstudio.services.counting import journal as journal_module

    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setitem(sys.modules, "fcntl", None)  # importing it would fail, as on Windows
    monkeypatch.setattr(journal_module.sys, "platform", "win32")
    journal = journal_module.ScanJournal(tmp_path / "scan-journal-x.jsonl")
    db: Any = SimpleNamespace(user_name="anna")
    kept = [
        journal.keep(db, count_id=1, location_id=2, text=f"ITEM-{n}", group_separator="\x1d")
        for n in range(2)
    ]
    assert fake.calls == [(1, 1), (0, 1)] * 2  # the first byte, locked and unlocked each time
    assert not fake.held
    assert [e.text for e in journal.entries()] == ["ITEM-0", "ITEM-1"]
    assert journal._rewrite({kept[0].client_id}) == 1
    assert [e.text for e in journal.entries()] == ["ITEM-1"]
    assert fake.calls[-2:] == [(1, 1), (0, 1)]


def test_no_folder_fsync_where_folders_cannot_be_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    from parstudio.services.counting import journal as journal_module

    def refuse(*_args: object) -> int:
        raise PermissionError("a folder cannot be opened on Windows")

    folder = Path("/Users/anna")  # made before os.name is faked (pathlib reads it)
    with monkeypatch.context() as patched:
        patched.setattr(journal_module.os, "name", "nt")
        patched.setattr(journal_module.os, "open", refuse)
        journal_module._fsync_folder(folder)  # returns without opening it


def test_pdf_fonts_are_looked_for_in_the_windows_fonts_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from parstudio.reports import pdf_common

    monkeypatch.setattr(pdf_common.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", r"D:\Windows")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\anna\AppData\Local")
    monkeypatch.delenv("PARSTUDIO_FONT_DIR", raising=False)
    folders = pdf_common.font_folders()
    assert Path(r"D:\Windows") / "Fonts" in folders
    assert Path(r"C:\Users\anna\AppData\Local") / "Microsoft" / "Windows" / "Fonts" in folders


def test_a_password_the_windows_credential_store_refuses_is_not_lost_silently() -> None:
    """Windows' Credential Manager refuses long secrets with PasswordSetError: the user is
    told why it is not remembered, and nothing is read back."""
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordSetError

    from parstudio.services.core import credentials

    class RefusingVault(KeyringBackend):
        priority = 5  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise PasswordSetError("The stub received is too large")

        def delete_password(self, service: str, username: str) -> None:
            raise NotImplementedError

    before = keyring.get_keyring()
    keyring.set_keyring(RefusingVault())
    try:
        url = "postgresql+psycopg://anna@supply-server/parstudio"
        problem = credentials.remember_password(url, "x" * 3000)
        assert problem is not None and "refused to keep the password" in problem
        assert credentials.stored_password(url) is None
    finally:
        keyring.set_keyring(before)
