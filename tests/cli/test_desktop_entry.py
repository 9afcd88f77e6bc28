"""`parstudio install-desktop-entry`: the desktop entry and the icons, for this user."""

from __future__ import annotations

from pathlib import Path

import pytest

from parstudio.cli import desktop_entry as desktop
from parstudio.cli import main
from parstudio.domain.errors import ParStudioError
from parstudio.resources import APP_ICON_SIZES, app_icon_png


def test_it_writes_the_entry_with_the_full_command_and_the_icons(tmp_path: Path) -> None:
    written = desktop.install_desktop_entry(
        home=tmp_path, command=["/opt/PAR Studio/parstudio"], platform="linux"
    )
    entry = tmp_path / "applications" / "parstudio.desktop"
    assert written[0] == entry
    text = entry.read_text(encoding="utf-8")
    assert 'Exec="/opt/PAR Studio/parstudio"\n' in text
    assert "Icon=parstudio\n" in text and "Name=PAR Studio\n" in text
    for size in APP_ICON_SIZES:
        icon = tmp_path / f"icons/hicolor/{size}x{size}/apps/parstudio.png"
        assert icon.read_bytes() == app_icon_png(size).read_bytes()
    assert (tmp_path / "icons/hicolor/scalable/apps/parstudio.svg").is_file()
    assert not list(tmp_path.rglob("*.tmp"))

    # Installing again (an update) replaces it; --remove takes every file away.
    desktop.install_desktop_entry(home=tmp_path, command=["/usr/bin/parstudio"], platform="linux")
    assert "Exec=/usr/bin/parstudio\n" in entry.read_text(encoding="utf-8")
    removed = desktop.remove_desktop_entry(home=tmp_path, platform="linux")
    assert len(removed) == 2 + len(APP_ICON_SIZES)
    left = [path.name for path in tmp_path.rglob("*") if path.is_file()]
    assert left in ([], ["icon-theme.cache"])  # the desktop's own index, when it has the tool


@pytest.mark.parametrize(
    ("argument", "quoted"),
    [
        ("/home/anna/.local/bin/parstudio", "/home/anna/.local/bin/parstudio"),
        ("/opt/PAR Studio/parstudio", '"/opt/PAR Studio/parstudio"'),
        ('/odd"$`\\path', '"/odd\\"\\$\\`\\\\path"'),
        ("-m", "-m"),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_says(argument: str, quoted: str) -> None:
    assert desktop.quote_exec_argument(argument) == quoted


def test_the_data_home_follows_xdg_data_home() -> None:
    assert desktop.data_home({"XDG_DATA_HOME": "/srv/share"}) == Path("/srv/share")
    assert desktop.data_home({"XDG_DATA_HOME": "relative"}) == Path.home() / ".local/share"
    assert desktop.data_home({}) == Path.home() / ".local/share"


@pytest.mark.parametrize(("platform", "says"), [("win32", "PAR Studio.exe"), ("darwin", ".app")])
def test_other_systems_are_told_what_to_do_instead(
    tmp_path: Path, platform: str, says: str
) -> None:
    with pytest.raises(ParStudioError, match=says):
        desktop.install_desktop_entry(home=tmp_path, command=["x"], platform=platform)
    assert not list(tmp_path.iterdir())


def test_the_command_installs_and_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not desktop.sys.platform.startswith("linux"):
        pytest.skip("the desktop entry is for Linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["install-desktop-entry"]) == 0
    out = capsys.readouterr().out
    entry = tmp_path / "applications" / "parstudio.desktop"
    assert f"Wrote {entry}" in out
    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    assert "parstudio" in exec_line
    assert main(["install-desktop-entry", "--remove"]) == 0
    assert "Removed the desktop entry and 8 icon files." in capsys.readouterr().out
    assert not entry.exists()
    assert main(["install-desktop-entry", "--remove"]) == 0
    assert "There was no PAR Studio desktop entry" in capsys.readouterr().out


def test_on_windows_the_command_says_what_to_do_and_nothing_about_databases(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(desktop.sys, "platform", "win32")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["install-desktop-entry"]) == 2
    err = capsys.readouterr().err
    assert "parstudio: The desktop entry is for Linux desktops." in err
    assert "Pin it to Start" in err or "pin it to Start" in err
    assert "database" not in err
    assert not list(tmp_path.iterdir())
