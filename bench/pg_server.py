"""The benchmarks' PostgreSQL server: the department loaded once, its data folder kept.

The server is the tests' throwaway server (tests/support/postgres.py: initdb and pg_ctl from
the machine's binaries, run as an unprivileged user when the bench runs as root), but its data
folder is kept in ``bench/.data/postgres-<size>-v<generator>-schema<head>-load<n>-pg<major>/``
(or under ``$BENCH_DATA_DIR``). The first run makes it: initdb, the department copied from
its SQLite file (bench/pg_load.py), the station accounts; a name that no longer matches (a
new generator, schema or PostgreSQL) is made again and the stale folder removed. Every run
starts the server on the kept folder and stops it when the run ends (`Context.cleanup`, and
at exit). The database ``department`` is never written: a scenario that writes works on a
copy made from it as a template (`scratch_database`).

The server runs as a real one would be set up for a department: durable commits (fsync,
synchronous commit and full-page writes on, PostgreSQL's defaults), 512 MB of shared
buffers. Only the one-time load runs without fsync; the folder is synced before it is kept.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench.context import GENERATOR_VERSION, Context, data_dir

if TYPE_CHECKING:
    from tests.support.postgres import PostgresServer

LOAD_VERSION = 1
"""Bump when what is loaded changes (pg_load.py, the accounts), so a stale folder is remade."""

DATABASE = "department"
SERVING = "-c max_connections=100 -c shared_buffers=512MB"
LOADING = (
    "-F -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB "
    "-c shared_buffers=512MB -c maintenance_work_mem=512MB"
)

MANAGER = "bench-manager"
STATIONS = 16
PASSWORD = "bench-station-password"


def clerk_login(station: int) -> str:
    """The PAR Studio account (and server login) of station ``station`` (0-based)."""
    return f"clerk{station + 1:02d}"


class NotAvailable(RuntimeError):
    """No PostgreSQL server for the benchmarks here (no binaries, or it would not start)."""


@dataclass
class BenchServer:
    """The running server over the kept department."""

    server: PostgresServer
    load_seconds: float | None = None
    """How long the load took, if this run made the folder."""
    load_summary: str = ""

    def url(self, database: str = DATABASE, login: str | None = None) -> str:
        """A SQLAlchemy URL of a database here, as the server's owner or as ``login``."""
        url = self.server.url(database)
        if login is not None:
            url = url.replace("//parstudio@", f"//{login}@", 1)
        return url

    def scratch_database(self, name: str) -> str:
        """A fresh copy of the department to write in (CREATE DATABASE … TEMPLATE, file copy)."""
        self.drop_database(name)
        # A template may have no other connection while it is copied (a pool keeps one open
        # after a scenario read it; pre-ping makes it connect again).
        self.server.admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{DATABASE}' AND pid <> pg_backend_pid()"
        )
        self.server.admin(f'CREATE DATABASE "{name}" TEMPLATE "{DATABASE}" STRATEGY FILE_COPY')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.server.drop_database(name)

    def cpu_seconds(self) -> float:
        """CPU time of the server: the postmaster and every backend that has ended.

        A backend's time is added to the postmaster's children's time when it exits, so
        reading this before and after a job whose connections are all closed gives the
        server's CPU for that job (plus the background workers', a little).
        """
        pid = (self.server.folder / "data" / "postmaster.pid").read_text().split()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
        return (utime + stime + cutime + cstime) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Stop the server, keeping its folder (safe to call twice)."""
        self.server.pause()


_running: dict[str, BenchServer] = {}


def start(ctx: Context, log: Callable[[str], None] = print) -> BenchServer:
    """The department's server, running (made and loaded first if not kept yet)."""
    key = str(ctx.database_path)
    if key in _running:
        return _running[key]
    try:
        from tests.support import postgres
    except ImportError as exc:  # run from elsewhere than the repository's root
        raise NotAvailable(f"tests.support.postgres cannot be imported: {exc}") from exc
    try:
        folder = _folder(ctx, postgres.find_bin_dir())
        loaded = None
        if not (folder / "data" / "PG_VERSION").is_file():
            loaded = _build(ctx, folder, log)
        server = postgres.existing_server(folder, SERVING)
        if _status(server) == 0:
            if _owner_alive(folder):
                raise NotAvailable(
                    f"The server kept in {folder} is already running (another bench run?)."
                )
            log("Stopping the PostgreSQL server a killed bench run left running")
            _stop_if_running(folder)
        bench = BenchServer(postgres.start_on(server))
        (folder / _OWNER).write_text(str(os.getpid()), encoding="utf-8")
    except postgres.PostgresUnavailable as exc:
        raise NotAvailable(str(exc)) from exc
    if loaded is not None:
        bench.load_seconds, bench.load_summary = loaded
    _running[key] = bench

    def stop() -> None:
        if _running.pop(key, None) is bench:
            bench.stop()

    ctx.on_cleanup(stop)
    atexit.register(stop)
    return bench


def _folder(ctx: Context, bin_dir: Path) -> Path:
    from parstudio.services.core.schema import SCHEMA_HEAD

    version = subprocess.run(
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"(\d+)", version)
    major = found.group(1) if found else "x"
    stem = f"postgres-{ctx.size}-v{GENERATOR_VERSION}"
    return data_dir() / f"{stem}-schema{SCHEMA_HEAD}-load{LOAD_VERSION}-pg{major}"


def _status(server: PostgresServer) -> int:
    """pg_ctl status: 0 running, 3 not running."""
    pg_ctl = str(server.bin_dir / "pg_ctl")
    return server._run(pg_ctl, "-D", str(server.folder / "data"), "status").returncode


def _build(ctx: Context, folder: Path, log: Callable[[str], None]) -> tuple[float, str]:
    """Make the folder: a new server, the department copied in, the station accounts."""
    from bench.pg_load import copy_department
    from tests.support import postgres

    stem = folder.name.split("-schema")[0]
    for stale in folder.parent.glob(f"{stem.rsplit('-v', 1)[0]}-v*"):
        if stale != folder and stale.is_dir():
            log(f"Removing the stale PostgreSQL department {stale.name}")
            _stop_if_running(stale)
            shutil.rmtree(stale, ignore_errors=True)
    partial = folder.with_name(folder.name + ".partial")
    _stop_if_running(partial)
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    log(f"Loading the {ctx.size} department into PostgreSQL (once; kept in {folder})…")
    started = time.perf_counter()
    server = postgres.start_on(postgres.init_server(partial, LOADING))
    try:
        bench = BenchServer(server=server)
        server.create_database(DATABASE)
        report = copy_department(ctx.database_path, bench.url(), log=log)
        _make_accounts(bench.url())
    finally:
        server.pause()
    os.sync()  # the load ran without fsync: make it durable before the folder is kept
    partial.rename(folder)
    seconds = time.perf_counter() - started
    log(f"Loaded in {seconds:.1f} s: {report.summary()}")
    return seconds, report.summary()


_OWNER = "bench-run.pid"
"""The process id of the bench run that started the kept server."""


def _owner_alive(folder: Path) -> bool:
    """Whether the bench run that started the kept server is still running."""
    try:
        pid = int((folder / _OWNER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_if_running(folder: Path) -> None:
    from tests.support import postgres

    if (folder / "data" / "postmaster.pid").exists():
        server = postgres.existing_server(folder)
        if _status(server) == 0:
            server._stop("immediate")


def _make_accounts(url: str, stations: int = STATIONS) -> None:
    """A manager, then a clerk per station, each with their own server login (as a department
    that shares a server sets it up: docs/users-and-roles.md, "Roles the server enforces")."""
    from parstudio.domain.roles import Role
    from parstudio.services.admin import users
    from parstudio.services.core.database import open_database

    db = open_database(url, user_name=MANAGER, authenticate=users.authenticate)
    try:
        users.create_user(
            db, login=MANAGER, display_name="Bench manager", role=Role.MANAGER, password=PASSWORD
        )
        users.set_up_server_logins(db)
        for station in range(stations):
            users.create_user(
                db,
                login=clerk_login(station),
                display_name=f"Clerk {station + 1}",
                role=Role.CLERK,
                password=PASSWORD,
            )
    finally:
        db.close()
