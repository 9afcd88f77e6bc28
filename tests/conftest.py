"""Shared fixtures: a migrated database per test, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from parstudio.services.admin import users
from parstudio.services.core.database import Database, open_database, sqlite_url
from tests.support.demo import DEMO_DAY
from tests.support.postgres import PostgresServer, PostgresUnavailable, start_server

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def postgres_required() -> bool:
    """In CI (or when asked) the PostgreSQL tests must run: failing to start is an error."""
    return bool(os.environ.get("CI")) or os.environ.get("PARSTUDIO_REQUIRE_POSTGRES") == "1"


def x11_required() -> bool:
    """In CI (or when asked) the real-X tests (tests/x11) must run: a missing tool is an error."""
    return bool(os.environ.get("CI")) or os.environ.get("PARSTUDIO_REQUIRE_X11") == "1"


_skipped_postgres: list[str] = []
_skipped_x11: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and "postgres" in report.keywords:
        _skipped_postgres.append(report.nodeid)
    if report.skipped and "x11" in report.keywords:
        _skipped_x11.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for skipped, what, required in (
        (_skipped_postgres, "PostgreSQL", postgres_required()),
        (_skipped_x11, "real-X (Xvfb)", x11_required()),
    ):
        if skipped and required:
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line(
                    f"ERROR: {len(skipped)} {what} test(s) were skipped; they must run here.",
                    red=True,
                )
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters in tests: the real ones cost ~0.1 s a hash, by design."""
    from argon2 import PasswordHasher

    from parstudio.services.admin import users

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the whole test session."""
    try:
        server = start_server()
    except PostgresUnavailable as exc:
        if postgres_required():
            pytest.fail(f"PostgreSQL could not be started and is required here: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer) -> str:
    """A migrated template database that each test's database is copied from."""
    open_database(pg_server.create_database("parstudio_template")).close()
    return "parstudio_template"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test's database is copied from."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    db = open_database(sqlite_url(path))
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


_counter = itertools.count()


def make_database_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> str:
    """A fresh, migrated, empty database URL on the chosen backend."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "parstudio.sqlite"
        shutil.copyfile(template, path)
        return sqlite_url(path)
    return _pg_copy(request, request.getfixturevalue("pg_template"), "test")


def _pg_copy(request: pytest.FixtureRequest, template: str, prefix: str) -> str:
    """The URL of a new PostgreSQL database copied from ``template``, dropped after the test."""
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = f"{prefix}_{os.getpid()}_{next(_counter)}"
    url = server.create_database(name, template=template)
    request.addfinalizer(lambda: server.drop_database(name))
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """Each service test runs once on SQLite and once on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> str:
    """The URL of a fresh, migrated database."""
    return make_database_url(request, backend, tmp_path)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A fresh, migrated database, opened as the user ``tester``."""
    database = open_database(db_url, user_name="tester", authenticate=users.authenticate)
    yield database
    database.close()


@pytest.fixture
def sqlite_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh SQLite database, for tests that are about something other than the backend."""
    url = make_database_url(request, "sqlite", tmp_path)
    database = open_database(url, user_name="tester", authenticate=users.authenticate)
    yield database
    database.close()


_demo_sources: dict[tuple[str, bool], str] = {}


def _demo_source(request: pytest.FixtureRequest, backend: str, reviewed: bool) -> str:
    """A demo department built once per backend (and with or without the review's learned
    usage) in this run: a SQLite file, or a PostgreSQL template database."""
    key = (backend, reviewed)
    if key in _demo_sources:
        return _demo_sources[key]
    from parstudio.demo.department import build_demo
    from parstudio.services.review import suggestions

    folder = request.getfixturevalue("tmp_path_factory").mktemp("demo")
    name = f"demo_template_{int(reviewed)}"
    if backend == "sqlite":
        url = make_database_url(request, backend, folder)
    else:
        # A template database of its own, kept for the run (not one a test's finalizer drops).
        server: PostgresServer = request.getfixturevalue("pg_server")
        url = server.create_database(name, template=request.getfixturevalue("pg_template"))
    db = open_database(url, user_name="tester", authenticate=users.authenticate)
    build_demo(db, today=DEMO_DAY)
    if reviewed:
        suggestions.refresh_profiles(db, through=DEMO_DAY)
    if backend == "sqlite":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    _demo_sources[key] = str(folder / "parstudio.sqlite") if backend == "sqlite" else name
    return _demo_sources[key]


def _demo_copy(request: pytest.FixtureRequest, backend: str, tmp_path: Path, reviewed: bool) -> str:
    """The URL of a fresh copy of the shared demo department (each test may write to its own)."""
    source = _demo_source(request, backend, reviewed)
    if backend == "sqlite":
        path = tmp_path / "demo.sqlite"
        shutil.copyfile(source, path)
        return sqlite_url(path)
    return _pg_copy(request, source, "demo")


@pytest.fixture
def demo_db(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of the demo department of DEMO_DAY, on each backend, opened as ``tester``.

    The department is built once per backend in a run and copied for each test (building it
    takes seconds; a copy a fraction of one).
    """
    url = _demo_copy(request, backend, tmp_path, reviewed=False)
    database = open_database(url, user_name="tester", authenticate=users.authenticate)
    yield database
    database.close()


@pytest.fixture
def reviewed_demo_db(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> Iterator[Database]:
    """As ``demo_db``, with the review's usage learned through DEMO_DAY (as the app's demo)."""
    url = _demo_copy(request, backend, tmp_path, reviewed=True)
    database = open_database(url, user_name="tester", authenticate=users.authenticate)
    yield database
    database.close()
