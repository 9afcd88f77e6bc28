"""Every page and every dialog fits the smallest supported screen, 1280×800 (tests/ui/tour.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

from tests.ui.tour import screen_file

ROOT = Path(__file__).resolve().parents[3]


def _tour(screen: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
    return subprocess.run(
        # faulthandler: a crash prints the Python stack where it happened.
        [sys.executable, "-X", "faulthandler", "-m", "tests.ui.tour", "1280x800"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_page_and_dialog_fits_1280_by_800(tmp_path: Path) -> None:
    screen = screen_file(tmp_path, 1280, 800)
    done = _tour(screen)
    if done.returncode < 0:
        # Killed by a signal: the tour once crashed in about twenty runs, with no trace then
        # (under investigation, see the session notes). Its stack is kept and shown; the tour
        # is run again and must then pass, so a crash that repeats still fails the test.
        first = done.stderr[-3000:]
        warnings.warn(
            f"the screen tour crashed ({done.returncode}) and was run again: {first}", stacklevel=1
        )
        done = _tour(screen)
        assert done.returncode == 0, f"crashed twice; first: {first}\nthen: {done.stderr[-3000:]}"
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    seen = report["seen"]
    # The tour really opened what the issue names, not just the pages.
    for title in (
        "page PAR Settings",
        "page Review",
        "page Proposal",
        "dialog Receive ",
        "dialog Shelf labels",
        "dialog Add item",
        "dialog Usage of ",
        "dialog Export PAR worksheet",
        "window Import worksheet",
        "page Rebalance",
        "dialog Stock across locations",
    ):
        assert any(name.startswith(title) for name in seen), (title, seen)
    assert len(seen) >= 40
    assert report["problems"] == []
