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
    def never(_name: str) -> bool:
        raise AssertionError("nothing should be looked for")

    qt.require_display_libraries({"QT_QPA_PLATFORM": "offscreen"}, "linux", never, never)
    qt.require_display_libraries({}, "win32", never, never)
    qt.require_display_libraries({"DISPLAY": ":0"}, "linux", lambda _n: True, lambda _d: True)


def test_no_display_is_said_plainly_instead_of_qts_xcb_cursor_message() -> None:
    everything = {"loads": lambda _n: True}
    with pytest.raises(ParStudioError, match="DISPLAY is not set"):
        qt.require_display_libraries({}, "linux", **everything, connects=lambda _d: True)
    with pytest.raises(ParStudioError, match=r"the display :7 does not answer"):
        qt.require_display_libraries({"DISPLAY": ":7"}, "linux", **everything, connects=bool_not)


def bool_not(_display: str) -> bool:
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="libxcb is Linux's")
def test_the_real_connect_tells_a_dead_display() -> None:
    if qt.missing_libraries():
        pytest.skip("libxcb itself is missing here")
    assert not qt._connects(":187")  # no X server there


def test_a_bundle_finds_the_libraries_it_carries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "libxcb-cursor.so.0").write_bytes(b"")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert qt._loads("libxcb-cursor.so.0")
    assert not qt._loads("libparstudio-no-such-library.so.9")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 check is for Linux")
def test_the_real_command_explains_before_qt_starts(tmp_path: Path) -> None:
    """On this machine, as it is, `parstudio` on a display that does not answer: it names the
    missing libraries if any, else the display, and exits 2 without loading Qt."""
    missing = qt.missing_libraries()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "DISPLAY": ":187"}
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("WAYLAND_DISPLAY", None)
    probe = (
        "import sys; from parstudio.cli import main; code = main([]); "
        "sys.exit(100 if 'PySide6' in sys.modules else code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    if missing:
        assert "sudo apt install " + " ".join(package for _s, package in missing) in done.stderr
    else:
        assert "the display :187 does not answer" in done.stderr
