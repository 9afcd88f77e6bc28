"""The databases the scenarios run against: generated once per size and kept between runs."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

# Bump when the generator's output changes, so a stale cached database is not measured.
GENERATOR_VERSION = 1

# A fixed "today" keeps the generated history, and so every measurement, repeatable.
TODAY = date(2026, 11, 25)

SIZES: dict[str, dict[str, Any]] = {
    "large": {"items": 20_000, "locations": 200, "settings": 100_000, "weeks": 104},
    "small": {"items": 2_000, "locations": 20, "settings": 10_000, "weeks": 26},
    "tiny": {"items": 200, "locations": 5, "settings": 600, "weeks": 8, "count_every_weeks": 1},
}


def data_dir() -> Path:
    """Where generated databases are cached (``BENCH_DATA_DIR`` overrides ``bench/.data``)."""
    override = os.environ.get("BENCH_DATA_DIR")
    return Path(override) if override else Path(__file__).resolve().parent / ".data"


@dataclass
class Context:
    """What a scenario module gets: the generated database and a scratch folder."""

    size: str
    database_path: Path
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="parbench-")))
    _cleanups: list[Callable[[], None]] = field(default_factory=list)

    @property
    def database_url(self) -> str:
        from parstudio.services.core.database import sqlite_url

        return sqlite_url(self.database_path)

    @property
    def sizes(self) -> dict[str, Any]:
        return SIZES[self.size]

    def scratch_copy(self, name: str) -> Path:
        """A private copy of the generated database, for scenarios that write."""
        target = self.workdir / name
        shutil.copyfile(self.database_path, target)
        return target

    def on_cleanup(self, job: Callable[[], None]) -> None:
        """Run ``job`` when the run ends (a server to stop), the last registered first."""
        self._cleanups.append(job)

    def cleanup(self) -> None:
        while self._cleanups:
            self._cleanups.pop()()
        shutil.rmtree(self.workdir, ignore_errors=True)


def prepare(size: str, log: Any = print) -> Context:
    """Generate the department of ``size`` unless a database of this version is cached."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"department-{size}-v{GENERATOR_VERSION}.sqlite"
    if not path.exists():
        from parstudio.demo.generate import generate_department
        from parstudio.services.core.database import open_database, sqlite_url

        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        log(f"Generating the {size} department (once; cached in {folder})…")
        db = open_database(sqlite_url(partial))
        try:
            generate_department(db, seed=7, today=TODAY, progress=log, **SIZES[size])
        finally:
            db.close()
        partial.rename(path)
    # A database cached by an older PAR Studio is brought to this version's schema once, here,
    # so no scenario measures an upgrade.
    from parstudio.services.core.database import open_database, sqlite_url

    open_database(sqlite_url(path)).close()
    return Context(size=size, database_path=path)
