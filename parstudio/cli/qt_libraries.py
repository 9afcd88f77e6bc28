"""Before Qt starts on Linux: the system libraries its X11 (xcb) support needs, named with the
command that installs them, and a display to show the window on.

Without them Qt prints "Could not load the Qt platform plugin "xcb"… This application failed to
start" and aborts, a message only a developer understands. The PySide6 wheels (and the
``make dist`` bundle) carry Qt itself but not these X11 libraries of the system.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from parstudio.domain.errors import ParStudioError

# The libraries Qt's xcb platform plugin (and QtGui under it) loads, with the Debian/Ubuntu
# package that installs each one.
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-render.so.0", "libxcb-render0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-shm.so.0", "libxcb-shm0"),
    ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-util.so.1", "libxcb-util1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxcb.so.1", "libxcb1"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libX11.so.6", "libx11-6"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libfontconfig.so.1", "libfontconfig1"),
    ("libEGL.so.1", "libegl1"),
    ("libGL.so.1", "libgl1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
)


def _loads(soname: str) -> bool:
    """Whether the dynamic loader finds a library (inside a bundle: also among its own files)."""
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled and (Path(bundled) / soname).exists():
        return True
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(environ: Mapping[str, str], platform: str) -> bool:
    """Whether Qt will start on X11 (xcb): Linux, with QT_QPA_PLATFORM unset or xcb.

    A Wayland session with QT_QPA_PLATFORM unset gets Qt's Wayland support, which needs none of
    these; offscreen (the tests) and the other platforms need none either.
    """
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").strip().lower()
    if chosen:
        return chosen.split(":")[0] == "xcb"
    wayland = environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY")
    return not wayland


def missing_libraries(loads: Callable[[str], bool] = _loads) -> list[tuple[str, str]]:
    """The (library, package) pairs the loader cannot find."""
    return [(soname, package) for soname, package in XCB_LIBRARIES if not loads(soname)]


def _connects(display: str) -> bool:
    """Whether the X server of `display` accepts a connection (libxcb's own connect)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # not knowable here; the libraries' check names libxcb itself
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)  # never NULL: an error object at worst
    try:
        return int(xcb.xcb_connection_has_error(connection)) == 0
    finally:
        xcb.xcb_disconnect(connection)


def require_display_libraries(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    loads: Callable[[str], bool] = _loads,
    connects: Callable[[str], bool] = _connects,
) -> None:
    """Refuse to start Qt on X11 when a library it needs is missing, saying how to install it,
    or when there is no display to show the window on (Qt blames a missing xcb-cursor then)."""
    environ = os.environ if environ is None else environ
    if not uses_xcb(environ, platform or sys.platform):
        return
    missing = missing_libraries(loads)
    if not missing:
        _require_display(environ.get("DISPLAY", ""), connects)
        return
    files = ", ".join(soname for soname, _package in missing)
    packages = " ".join(package for _soname, package in missing)
    raise ParStudioError(
        f"PAR Studio cannot open its window: this computer lacks {files}, which Qt needs to "
        "show windows on an X11 desktop.\n"
        f"On Debian or Ubuntu, install them with:\n    sudo apt install {packages}\n"
        "(on other Linux systems, install the packages that provide those files). "
        "See docs/install.md."
    )


def _require_display(display: str, connects: Callable[[str], bool]) -> None:
    offscreen = (
        "Commands that open no window (parstudio print …, export-worksheet …) work without "
        "one; QT_QPA_PLATFORM=offscreen runs the app without a screen."
    )
    if not display:
        raise ParStudioError(
            "PAR Studio cannot open its window: there is no display (DISPLAY is not set). "
            "Start it from your desktop session. " + offscreen
        )
    if not connects(display):
        raise ParStudioError(
            f"PAR Studio cannot open its window: the display {display} does not answer (is its "
            "X server running, and may you use it?). " + offscreen
        )
