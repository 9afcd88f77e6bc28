"""A throwaway PostgreSQL server for tests and benchmarks, started from the machine's binaries.

PostgreSQL refuses to run as root, so when the tests run as root the server runs as an
unprivileged user (``postgres`` if it exists, else ``nobody``) in a folder it owns (a temporary
one for the tests; the benchmarks keep theirs, see bench/pg_server.py), listening on a free
loopback port.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be started here."""


def find_bin_dir() -> Path:
    """The newest PostgreSQL server binaries on this machine."""
    explicit = os.environ.get("PARSTUDIO_PG_BIN")
    candidates = [explicit] if explicit else []
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True
    )
    for candidate in candidates:
        if candidate and (Path(candidate) / "postgres").is_file():
            return Path(candidate)
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).resolve().parent
    raise PostgresUnavailable("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _demote_to(uid: int, gid: int) -> Callable[[], None]:
    def demote() -> None:
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)

    return demote


def _demotion() -> tuple[Callable[[], None] | None, int | None, int | None]:
    if os.geteuid() != 0:
        return None, None, None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return _demote_to(entry.pw_uid, entry.pw_gid), entry.pw_uid, entry.pw_gid
    raise PostgresUnavailable("running as root and no unprivileged user to run PostgreSQL as")


# The tests' server: quick, not durable (a crash loses nothing worth keeping).
TEST_OPTIONS = (
    "-F -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
    "-c shared_buffers=64MB"
)


@dataclass
class PostgresServer:
    """A running throwaway server; ``url(db)`` gives a SQLAlchemy URL to one of its databases."""

    folder: Path
    port: int
    bin_dir: Path
    user: str = "parstudio"
    _preexec: Callable[[], None] | None = None
    options: str = TEST_OPTIONS
    """Server settings given to ``postgres`` on the command line (``-c name=value ...``)."""

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def admin(self, statement: str) -> None:
        """Run one statement on the server's maintenance database, outside a transaction (as
        CREATE and DROP DATABASE must be)."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """A new database (empty, or copied from ``template``), any old one of the name dropped
        first; its URL."""
        self.drop_database(name)
        copied = f' TEMPLATE "{template}"' if template else ""
        self.admin(f'CREATE DATABASE "{name}"{copied}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, if there is one of the name, whoever is connected to it."""
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args,
            preexec_fn=self._preexec,  # demotes to the unprivileged user
            capture_output=True,
            text=True,
            check=False,
            cwd=self.folder,
            env={**os.environ, "LC_ALL": "C"},
        )

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        self._stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def restart(self) -> None:
        """Stop and start the server again on the same port (for connection-loss tests)."""
        self._stop("fast")
        self._start()

    def pause(self) -> None:
        """Stop the server, keeping its data, until ``resume``."""
        self._stop("fast")

    def resume(self) -> None:
        """Start a paused server again."""
        self._start()

    def _stop(self, mode: str) -> None:
        """pg_ctl stop in a shutdown mode: fast (a clean shutdown) or immediate (at once)."""
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", mode, "-w", "stop"
        )

    def _start(self) -> None:
        options = f"-p {self.port} -h 127.0.0.1 -k {self.folder} {self.options}"
        result = self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.folder / "data"),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        if result.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise PostgresUnavailable(f"pg_ctl start failed: {result.stderr.strip()}\n{log}")


def init_server(folder: Path, options: str = TEST_OPTIONS) -> PostgresServer:
    """A new, stopped server whose data is in ``folder/data`` (``folder`` must exist, empty)."""
    bin_dir = find_bin_dir()
    preexec, uid, gid = _demotion()
    if uid is not None and gid is not None:
        os.chown(folder, uid, gid)
    server = PostgresServer(
        folder=folder, port=free_port(), bin_dir=bin_dir, _preexec=preexec, options=options
    )
    result = server._run(
        str(bin_dir / "initdb"),
        "-D",
        str(folder / "data"),
        "-U",
        server.user,
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync",
    )
    if result.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {result.stderr.strip()[-2000:]}")
    return server


def start_on(server: PostgresServer) -> PostgresServer:
    """Start ``server`` on a free port (tried three times: another may take the port first)."""
    for attempt in range(3):
        try:
            server._start()
            return server
        except PostgresUnavailable:
            if attempt == 2:
                raise
            server.port = free_port()
            time.sleep(0.5)
    return server


def existing_server(folder: Path, options: str = TEST_OPTIONS) -> PostgresServer:
    """A stopped server over data ``init_server`` made in ``folder`` earlier (not started)."""
    preexec, _uid, _gid = _demotion()
    return PostgresServer(
        folder=folder, port=free_port(), bin_dir=find_bin_dir(), _preexec=preexec, options=options
    )


def start_server() -> PostgresServer:
    """Initialise and start a new throwaway PostgreSQL server."""
    find_bin_dir()  # says so before a folder is made
    folder = Path(tempfile.mkdtemp(prefix="parstudio-pg-"))
    try:
        return start_on(init_server(folder))
    except PostgresUnavailable:
        shutil.rmtree(folder, ignore_errors=True)
        raise
