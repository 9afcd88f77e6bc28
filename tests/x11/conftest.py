"""The real-X tier: a throwaway Xvfb server (with openbox) for the session.

Like the PostgreSQL tests, these skip where Xvfb, openbox or xdotool are missing, except in CI
(`CI` set) or with PARSTUDIO_REQUIRE_X11=1, where a missing tool fails the run.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.conftest import x11_required
from tests.support.x11 import X11Unavailable, XServer, start_x_server


@pytest.fixture(scope="session")
def x_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XServer]:
    try:
        server = start_x_server(tmp_path_factory.mktemp("x11"))
        qt = subprocess.run(
            [sys.executable, "-c", "from PySide6.QtWidgets import QApplication; QApplication([])"],
            env=server.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if qt.returncode != 0:
            server.stop()
            raise X11Unavailable(
                "Qt cannot open the X display (its xcb plugin needs libxcb-icccm4, "
                f"libxcb-keysyms1, libxcb-cursor0, libxkbcommon-x11-0): {qt.stderr.strip()[-300:]}"
            )
    except X11Unavailable as exc:
        if x11_required():
            pytest.fail(f"The real-X tests must run here, but: {exc}")
        pytest.skip(f"No X server for the real-X tests: {exc}")
    yield server
    server.stop()
