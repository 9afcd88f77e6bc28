"""Build the self-contained application folder with PyInstaller, and its archive.

``make dist`` runs it on Linux; the CI workflow (.github/workflows/dist.yml) runs the same script
on Windows and macOS: ``python packaging/build_dist.py``. The folder is ``dist/parstudio/``
(``dist/PAR Studio.app`` too on macOS); the archive ``dist/parstudio-VERSION-SYSTEM-MACHINE``
``.tar.gz`` (``.zip`` on Windows and macOS). ``--dist DIR`` and ``--work DIR`` build elsewhere
(the tests build in a temporary folder).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "parstudio.spec"
SYSTEMS = {"linux": "linux", "win32": "windows", "darwin": "macos"}


def version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "parstudio" / "__init__.py").read_text(encoding="utf-8"), namespace)
    return namespace["__version__"]


def folder_size(folder: Path) -> int:
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()  # PyInstaller links shared libraries
    )


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller over the spec; returns the application folder."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        check=True,
        cwd=ROOT,
    )
    folder = dist / "parstudio"
    for name in ("README.md", "CHANGELOG.md"):
        shutil.copyfile(ROOT / name, folder / name)
    shutil.copytree(ROOT / "docs", folder / "docs", dirs_exist_ok=True)
    return folder


def archive(dist: Path) -> Path:
    """The folder (on macOS the .app) packed for download."""
    system = SYSTEMS.get(sys.platform, sys.platform)
    machine = platform.machine().lower().replace("amd64", "x86_64")
    base = dist / f"parstudio-{version()}-{system}-{machine}"
    if sys.platform == "linux":
        target = base.with_name(base.name + ".tar.gz")
        # Level 6: about as small as 9 here, in half the time.
        with tarfile.open(target, "w:gz", compresslevel=6) as packed:
            packed.add(dist / "parstudio", arcname="parstudio")
        return target
    source = "PAR Studio.app" if sys.platform == "darwin" else "parstudio"
    return Path(shutil.make_archive(str(base), "zip", dist, source))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the folder goes")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's scratch")
    parser.add_argument("--no-archive", action="store_true", help="only the folder")
    args = parser.parse_args(argv)
    started = time.monotonic()
    folder = build(args.dist.resolve(), args.work.resolve())
    print(f"Built {folder}: {folder_size(folder) / 1e6:.0f} MB", flush=True)
    if not args.no_archive:
        packed = archive(args.dist.resolve())
        print(f"Packed {packed}: {packed.stat().st_size / 1e6:.0f} MB")
    print(f"in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
