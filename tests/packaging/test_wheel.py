"""The wheel, built and installed in a fresh virtual environment outside the checkout, runs what
a user runs first, from a folder of the user's.

The wheel is built with ``pip wheel --no-deps`` (hatchling from the configured package index)
and installed with ``pip install --no-deps`` into a new virtual environment in a temporary
folder. Its dependencies are not downloaded and installed again (PySide6 alone is 650 MB and
takes minutes): a ``.pth`` file in the new environment appends this checkout's environment's
site-packages *after* its own, so the libraries are the versions pip resolved for this
pyproject.toml while ``parstudio`` itself comes from the wheel (the test checks where it was
imported from). What this proves: the wheel carries everything of its own (the migrations, the
icons and desktop entry) and its ``parstudio`` command works from anywhere. That pip resolves the
dependencies from the index is what ``make test``'s own install of the same pyproject proves.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from tests.packaging.user_commands import check_user_commands, run, user_environment

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_installed_elsewhere_runs_the_user_commands(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("parstudio-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "parstudio/_migrations/env.py" in names
    assert "parstudio/_resources/icons/app/parstudio.svg" in names
    assert "parstudio/_resources/parstudio.desktop" in names
    assert not [name for name in names if name.startswith(("tests/", "resources/"))]

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    (site,) = (venv / "lib").glob("python3*/site-packages")
    (site / "zz_checkout_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    home = tmp_path / "home"
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    env = user_environment(home, f"{venv / 'bin'}:/usr/bin:/bin")
    where = run(
        [str(python), "-c", "import parstudio.resources as r; print(r.resources_folder())"],
        folder,
        env,
    )
    assert Path(where.strip()) == site / "parstudio" / "_resources"

    check_user_commands([str(venv / "bin" / "parstudio")], folder, env)

    # The desktop entry comes from the wheel's resources and starts the installed command.
    run([str(venv / "bin" / "parstudio"), "install-desktop-entry"], folder, env)
    entry = (home / "share" / "applications" / "parstudio.desktop").read_text()
    assert f"Exec={venv / 'bin' / 'parstudio'}\n" in entry
    assert (home / "share/icons/hicolor/48x48/apps/parstudio.png").is_file()
