"""The X11 libraries Qt needs are checked before Qt starts, and named with the apt command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from parstudio.cli import qt_libraries as qt
from parstudio.domain.errors import ParStudioError

ALL = {soname for soname, _package in qt.XCB_LIBRARIES}


@pytest.mark.parametrize(
    ("environ", "platform", "xcb"),
    [
        ({}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb:nomitshm"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland"}, "linux", False),
        ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"XDG_SESSION_TYPE": "wayland", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({}, "win32", False),
        ({}, "darwin", False),
    ],
)
def test_when_qt_uses_xcb(environ: dict[str, str], platform: str, xcb: bool) -> None:
    assert qt.uses_xcb(environ, platform) is xcb


def test_missing_libraries_are_named_with_the_packages_to_install() -> None:
    missing = {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}
    with pytest.raises(ParStudioError) as raised:
        qt.require_display_libraries({}, "linux", lambda name: name not in missing)
    message = str(raised.value)
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4" in message
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4\n" in message


def test_nothing_is_checked_offscreen_or_when_all_are_there() -> None:
    qt.require_display_libraries({"QT_QPA_PLATFORM": "offscreen"}, "linux", lambda _n: False)
    qt.require_display_libraries({}, "win32", lambda _n: False)
    qt.require_display_libraries({}, "linux", lambda _n: True)


def test_a_bundle_finds_the_libraries_it_carries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "libxcb-cursor.so.0").write_bytes(b"")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert qt._loads("libxcb-cursor.so.0")
    assert not qt._loads("libparstudio-no-such-library.so.9")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 check is for Linux")
def test_the_real_command_says_what_this_machine_lacks_before_qt_starts(
    tmp_path: Path,
) -> None:
    """On this machine, as it is: `parstudio` with X11 chosen either names what is missing
    (exit 2, Qt never loaded) or finds everything there."""
    missing = qt.missing_libraries()
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "XDG_DATA_HOME": str(tmp_path)}
    env.pop("DISPLAY", None)
    if not missing:
        qt.require_display_libraries({"QT_QPA_PLATFORM": "xcb"}, "linux")
        return
    probe = (
        "import sys; from parstudio.cli import main; code = main([]); "
        "sys.exit(100 if 'PySide6' in sys.modules else code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "sudo apt install " + " ".join(package for _s, package in missing) in done.stderr
