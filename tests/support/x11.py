"""A throwaway X server (Xvfb, with openbox managing its windows) and xdotool to type into it.

The tests in tests/x11 start one per session on a display number Xvfb picks itself, so they
never meet a desktop or another session's server.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["TOOLS", "X11Unavailable", "XServer", "missing_tools", "start_x_server"]

TOOLS = ("Xvfb", "xdotool", "openbox")


class X11Unavailable(RuntimeError):
    """Xvfb, openbox or xdotool is missing, or the server would not start."""


def _hardware_priority() -> None:
    """Run ahead of ordinary processes where allowed: the emulated scanner (xdotool, and the
    X server that timestamps its keys) stands in for hardware, which a busy computer does not
    slow down; the app under test and the CPU hog keep the ordinary priority."""
    # Where that is not allowed, the keys may stall now and then, as under real load.
    with contextlib.suppress(OSError):
        os.nice(-10)


def missing_tools() -> list[str]:
    """The tools of TOOLS not on PATH."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class XServer:
    """A running Xvfb with a window manager; `env` is the environment for its clients."""

    def __init__(self, xvfb: subprocess.Popen[bytes], display: str, log_dir: Path) -> None:
        self.xvfb = xvfb
        self.display = display
        self.log_dir = log_dir
        self.window_manager: subprocess.Popen[bytes] | None = None
        self.display_pipe: int | None = None

    @property
    def env(self) -> dict[str, str]:
        """The environment a client of this server runs with (Qt on X11, not offscreen)."""
        env = {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def xdotool(self, *args: str, timeout: float = 60.0) -> str:
        """Run xdotool on this display; its output."""
        done = subprocess.run(
            ["xdotool", *args],
            env=self.env,
            preexec_fn=_hardware_priority,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"xdotool {' '.join(args[:6])}… failed: {done.stderr.strip()}")
        return done.stdout

    def xdotool_async(self, args: Sequence[str]) -> subprocess.Popen[bytes]:
        """Start xdotool without waiting for it (a long stream of keys)."""
        return subprocess.Popen(
            ["xdotool", *args], env=self.env, stderr=subprocess.PIPE, preexec_fn=_hardware_priority
        )

    def wait_for_window(self, name: str, timeout: float = 30.0) -> str:
        """The id of the first visible window whose title contains `name`, once it is mapped."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", name],
                env=self.env,
                capture_output=True,
                text=True,
                check=False,
            )
            ids = found.stdout.split()
            if ids:
                return ids[0]
            time.sleep(0.1)
        raise TimeoutError(f"no window called “{name}” appeared on {self.display}")

    def focus(self, window: str) -> None:
        """Make `window` the active window with the keyboard focus."""
        self.xdotool("windowactivate", "--sync", window)
        self.xdotool("windowfocus", "--sync", window)

    def stop(self) -> None:
        for process in (self.window_manager, self.xvfb):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if self.display_pipe is not None:
            os.close(self.display_pipe)
            self.display_pipe = None


def start_x_server(log_dir: Path, *, size: str = "1280x800x24") -> XServer:
    """Start Xvfb on a free display it chooses itself, and openbox on it."""
    missing = missing_tools()
    if missing:
        raise X11Unavailable(f"not installed: {', '.join(missing)}")
    log_dir.mkdir(parents=True, exist_ok=True)
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        # -noreset: the server would otherwise reset (and write to the closed pipe) when its
        # last client goes.
        [
            "Xvfb",
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            size,
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_end,),
        preexec_fn=_hardware_priority,
        stdout=subprocess.DEVNULL,
        stderr=(log_dir / "xvfb.log").open("wb"),
    )
    os.close(write_end)
    # Xvfb writes the number, then a newline: the pipe stays open until the server stops, or
    # a late write to it would be fatal.
    number = ""
    deadline = time.monotonic() + 20.0
    while not number.endswith("\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([read_end], [], [], 1.0)
        if ready:
            chunk = os.read(read_end, 64).decode()
            if not chunk:
                break
            number += chunk
    number = number.strip()
    if not number.isdigit():
        xvfb.kill()
        xvfb.wait()
        os.close(read_end)
        raise X11Unavailable(f"Xvfb did not start (see {log_dir / 'xvfb.log'})")
    server = XServer(xvfb, f":{number}", log_dir)
    server.display_pipe = read_end
    server.window_manager = subprocess.Popen(
        ["openbox", "--sm-disable"],
        env=server.env,
        stdout=subprocess.DEVNULL,
        stderr=(log_dir / "openbox.log").open("wb"),
    )
    time.sleep(0.5)  # openbox takes the screen; windows opened later are managed by it
    if server.window_manager.poll() is not None:
        server.stop()
        raise X11Unavailable(f"openbox did not start (see {log_dir / 'openbox.log'})")
    return server
