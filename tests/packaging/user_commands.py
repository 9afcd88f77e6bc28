"""What a user runs first, run through an installed `parstudio` from a folder of their own."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from openpyxl import load_workbook

DEMO_LOCATIONS = 9


def user_environment(home: Path, path: str) -> dict[str, str]:
    """A user's environment: no project virtual environment, no Python path, data in `home`."""
    env = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "share"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "PATH": path,
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    for name in ("TMPDIR", "SYSTEMROOT", "WINDIR", "LOCALAPPDATA", "APPDATA"):
        if name in os.environ:  # Windows needs these to start a process at all
            env[name] = os.environ[name]
    return env


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 240) -> str:
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{command} failed ({done.returncode}):\n{done.stderr}"
    return done.stdout


def check_user_commands(parstudio: list[str], folder: Path, env: dict[str, str]) -> str:
    """--version, demo, print count-sheets, export-worksheet and info; returns info's output."""
    from parstudio import __version__

    assert run([*parstudio, "--version"], folder, env).strip() == f"PAR Studio {__version__}"
    assert "Demo department written to" in run([*parstudio, "demo"], folder, env)
    database = Path(env["XDG_DATA_HOME"]) / "PARStudio" / "parstudio.sqlite"
    with sqlite3.connect(database) as connection:
        settings = connection.execute("SELECT count(*) FROM par_setting").fetchone()[0]
        locations = connection.execute("SELECT count(*) FROM location").fetchone()[0]
    assert settings > 400 and locations == DEMO_LOCATIONS

    run([*parstudio, "print", "count-sheets", "--out", "sheets"], folder, env)
    sheets = sorted((folder / "sheets").glob("*.pdf"))
    assert len(sheets) == DEMO_LOCATIONS
    assert all(sheet.read_bytes().startswith(b"%PDF") for sheet in sheets)

    run([*parstudio, "export-worksheet", "worksheet.xlsx"], folder, env)
    sheet = load_workbook(folder / "worksheet.xlsx", read_only=True).worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]
    assert rows[0][:2] == ("Location", "Item Code")
    assert len(rows) == settings + 1  # the header, then one row per PAR setting

    info = run([*parstudio, "info"], folder, env)
    assert f"Database: SQLite file {database}" in info
    assert f"Log file: {database.parent / 'parstudio.log'}" in info
    return info
