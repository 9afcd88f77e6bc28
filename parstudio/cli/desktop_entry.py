"""``parstudio install-desktop-entry``: PAR Studio in the Linux desktop's application menu.

Writes the desktop entry (resources/parstudio.desktop, with the full path of the command) into
``$XDG_DATA_HOME/applications`` and the application icon into the hicolor icon theme under
``$XDG_DATA_HOME/icons`` (``~/.local/share`` when XDG_DATA_HOME is unset), for this user only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from parstudio.domain.errors import ParStudioError
from parstudio.resources import APP_ICON_SIZES, app_icon_png, app_icon_svg, resource

ENTRY_NAME = "parstudio.desktop"
ICON_NAME = "parstudio"


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """Where a user's desktop entries and icons go (the XDG base directory rule)."""
    given = (os.environ if environ is None else environ).get("XDG_DATA_HOME", "")
    return Path(given) if os.path.isabs(given) else Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """How the desktop starts this PAR Studio: the bundle's executable, the installed
    ``parstudio`` command (pipx, a virtual environment), else this Python with ``-m parstudio``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is not None and started.name == "parstudio" and started.is_file():
        return [str(started.resolve())]
    found = shutil.which("parstudio")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "parstudio"]


def quote_exec_argument(argument: str) -> str:
    """One argument of a desktop entry's Exec key, quoted as the Desktop Entry spec says."""
    if argument and not any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`="):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'


def entry_text(command: list[str]) -> str:
    """The packaged desktop entry with Exec set to the command that starts PAR Studio."""
    exec_line = "Exec=" + " ".join(quote_exec_argument(part) for part in command)
    lines = [
        exec_line if line.startswith("Exec=") else line
        for line in resource(ENTRY_NAME).read_text(encoding="utf-8").splitlines()
    ]
    return "\n".join(lines) + "\n"


def entry_paths(home: Path) -> list[Path]:
    """Every file the desktop entry consists of, under a data home."""
    icons = home / "icons" / "hicolor"
    return [
        home / "applications" / ENTRY_NAME,
        icons / "scalable" / "apps" / f"{ICON_NAME}.svg",
        *(icons / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png" for size in APP_ICON_SIZES),
    ]


def _check_platform(platform: str) -> None:
    if platform.startswith("win"):
        raise ParStudioError(
            "The desktop entry is for Linux desktops. On Windows, start PAR Studio from the "
            "bundle's “PAR Studio.exe” (pin it to Start or make a shortcut): see docs/install.md."
        )
    if platform == "darwin":
        raise ParStudioError(
            "The desktop entry is for Linux desktops. On macOS, drag “PAR Studio.app” from the "
            "bundle into Applications: see docs/install.md."
        )


def install_desktop_entry(
    *, home: Path | None = None, command: list[str] | None = None, platform: str | None = None
) -> list[Path]:
    """Write the desktop entry and the icons; returns the files written."""
    _check_platform(platform or sys.platform)
    home = home or data_home()
    entry, svg, *pngs = entry_paths(home)
    sources = [app_icon_svg(), *(app_icon_png(size) for size in APP_ICON_SIZES)]
    text = entry_text(command or launch_command())
    for target, source in zip([svg, *pngs], sources, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    entry.parent.mkdir(parents=True, exist_ok=True)
    scratch = entry.with_suffix(".tmp")
    scratch.write_text(text, encoding="utf-8")
    scratch.chmod(0o755)
    os.replace(scratch, entry)  # the menu never sees a half-written entry
    _refresh_caches(home)
    return [entry, svg, *pngs]


def remove_desktop_entry(*, home: Path | None = None, platform: str | None = None) -> list[Path]:
    """Take the desktop entry and the icons away again; returns the files removed."""
    _check_platform(platform or sys.platform)
    home = home or data_home()
    removed = [path for path in entry_paths(home) if path.is_file()]
    for path in removed:
        path.unlink()
    _refresh_caches(home)
    return removed


def _refresh_caches(home: Path) -> None:
    """Tell the desktop now rather than at the next log-in (where the tools exist)."""
    for tool, folder in (
        ("update-desktop-database", home / "applications"),
        ("gtk-update-icon-cache", home / "icons" / "hicolor"),
    ):
        if shutil.which(tool) and folder.is_dir():
            arguments = [tool, "-q", str(folder)]
            if tool == "gtk-update-icon-cache":
                arguments.insert(2, "--ignore-theme-index")
            subprocess.run(arguments, check=False, capture_output=True, timeout=30)


def cmd_install_desktop_entry(args: argparse.Namespace) -> int:
    """Add PAR Studio to (or, with --remove, take it out of) the desktop's application menu."""
    if args.remove:
        removed = remove_desktop_entry()
        print(
            f"Removed the desktop entry and {len(removed) - 1} icon files."
            if removed
            else "There was no PAR Studio desktop entry to remove."
        )
        return 0
    entry, *icons = install_desktop_entry()
    print(f"Wrote {entry} (starts {' '.join(launch_command())})")
    print(f"and the icon in {len(icons)} sizes under {icons[0].parents[2]}.")
    print("PAR Studio is now in your desktop's application menu (log out and in if not yet).")
    return 0
