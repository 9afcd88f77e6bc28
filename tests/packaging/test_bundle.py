"""The `make dist` bundle: built with PyInstaller, unpacked elsewhere, its own executable runs
what a user runs first with no Python environment on PATH.

A tier of its own (marker ``dist``, about two minutes to build): it runs in CI (CI set) or with
PARSTUDIO_REQUIRE_DIST=1, and there a missing PyInstaller is a failure, not a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.packaging.user_commands import check_user_commands, run, user_environment

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = bool(os.environ.get("CI")) or os.environ.get("PARSTUDIO_REQUIRE_DIST") == "1"

pytestmark = [
    pytest.mark.dist,
    pytest.mark.skipif(
        not REQUIRED, reason="builds the bundle: set PARSTUDIO_REQUIRE_DIST=1 (CI does)"
    ),
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux archive")
def test_the_unpacked_bundle_runs_the_user_commands_without_python(tmp_path: Path) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is missing: `make test` installs it (the dist extra)")
    build = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build_dist.py"),
            "--dist",
            str(tmp_path / "dist"),
            "--work",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (archive,) = (tmp_path / "dist").glob("parstudio-*-linux-*.tar.gz")
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as packed:
        packed.extractall(unpacked, filter="tar")
    executable = unpacked / "parstudio" / "parstudio"
    assert (unpacked / "parstudio" / "docs" / "install.md").is_file()

    home = tmp_path / "home"
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    env = user_environment(home, "/usr/bin:/bin")  # no virtual environment, no PYTHONPATH
    check_user_commands([str(executable)], folder, env)

    # A what-if replays in worker processes started as this executable: the same comparison
    # as replayed in the one process.
    simulate = [str(executable), "simulate", "--from", "2025-12-01", "--to", "2026-11-30"]
    in_workers = run(simulate, folder, {**env, "PARSTUDIO_REPLAY_WORKERS": "2"})
    assert in_workers == run(simulate, folder, {**env, "PARSTUDIO_REPLAY_WORKERS": "0"})
    assert "Stockout days" in in_workers, in_workers

    # The desktop entry starts this executable; the window itself opens (offscreen) on the
    # demo and keeps running: the Qt plugins and the icons are inside.
    installed = run([str(executable), "install-desktop-entry"], folder, env)
    assert f"starts {executable}" in installed
    app = subprocess.Popen(
        [str(executable)], cwd=folder, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            app.wait(timeout=20)  # still running: the window is up, not aborted
    finally:
        app.terminate()
        _out, errors = app.communicate(timeout=60)
    assert "Traceback" not in errors and "qt.qpa.plugin" not in errors, errors
