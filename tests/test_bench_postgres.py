"""The PostgreSQL rows of the bench: the department's copy into the server, the stations' check.

Run against the tests' own PostgreSQL server, on the tiny generated department.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from bench.context import Context, prepare
from bench.harness import NotRun, Result, Scenario, format_row, run
from bench.pg_load import copy_department
from bench.pg_stations import _check_database, run_stations
from parstudio.models import Base
from parstudio.services.catalog import items
from parstudio.services.core.database import open_database
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    """The tiny generated department, in a folder of its own (about a second to make)."""
    folder = tmp_path_factory.mktemp("bench-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BENCH_DATA_DIR", str(folder))
        ctx = prepare("tiny", log=lambda _message: None)
    yield ctx
    ctx.cleanup()


@pytest.fixture(scope="module")
def copied(pg_server: PostgresServer, tiny: Context) -> str:
    """The tiny department copied into a new database on the test server."""
    url = pg_server.create_database("bench_tiny_copy")
    copy_department(tiny.database_path, url, log=lambda _message: None)
    return url


def test_the_copy_holds_every_row_of_every_table_as_sqlalchemy_reads_it(
    tiny: Context, copied: str
) -> None:
    source = open_database(tiny.database_url, create=False, upgrade=False)
    target = open_database(copied, create=False, upgrade=False)
    try:
        compared = 0
        for table in Base.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            with source.engine.connect() as connection:
                expected = connection.execute(query).all()
            with target.engine.connect() as connection:
                got = connection.execute(query).all()
            # Decimals of four places, aware UTC times, booleans: equal value by value.
            assert got == expected, table.name
            compared += len(expected)
        assert compared > 10_000  # the tiny department is not empty
    finally:
        source.close()
        target.close()


def test_the_copy_keeps_its_indexes_and_keys_and_new_rows_take_new_ids(copied: str) -> None:
    db = open_database(copied, user_name="tester")
    try:
        with db.engine.connect() as connection:
            foreign_keys = connection.execute(
                text("SELECT count(*) FROM pg_constraint WHERE contype = 'f'")
            ).scalar_one()
            indexes = connection.execute(
                text("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'")
            ).scalar_one()
            largest = connection.execute(text("SELECT max(id) FROM item")).scalar_one()
        assert foreign_keys >= 20 and indexes >= 30
        made = items.create_item(db, fields={"code": "NEW-1", "description": "After the copy"})
        assert made.id == largest + 1
    finally:
        db.close()


def test_stations_scan_one_count_and_every_scan_is_found_once(
    tmp_path: Path, pg_server: PostgresServer, copied: str
) -> None:
    """Two station processes, each its own login, scan the largest location's count."""
    from bench.pg_server import _make_accounts, clerk_login

    name = "bench_tiny_stations"
    pg_server.create_database(name, template="bench_tiny_copy")
    _make_accounts(pg_server.url(name), stations=2)

    def url_for(login: str | None) -> str:
        url = pg_server.url(name)
        return url if login is None else url.replace("//parstudio@", f"//{login}@", 1)

    outcome = run_stations(
        url_for,
        2,
        scans_each=6,
        password="bench-station-password",
        login_for=clerk_login,
        manager="bench-manager",
        workdir=tmp_path,
        gap=(0.0, 0.01),
    )
    assert outcome.errors == [] and outcome.problems == []
    assert len(outcome.latencies) == 12 and outcome.scans == 2 * (6 + 3)  # with the warm-up
    engine = create_engine(url_for(None))
    with engine.begin() as connection:
        count_id, recorded = connection.execute(
            text("SELECT count_id, count(*) FROM scan GROUP BY count_id")
        ).one()
        assert recorded == outcome.scans
        sent = [row[0] for row in connection.execute(text("SELECT client_id FROM scan"))]
        # The check finds a scan lost, and one recorded that no station sent (a scan sent
        # again without its client id), which also leaves its line short of its scans.
        connection.execute(
            text(
                "INSERT INTO scan (count_id, kind, raw, item_id, recorded_at, undone, "
                "client_id) SELECT count_id, kind, raw, item_id, recorded_at, undone, "
                "'sent-again' FROM scan ORDER BY id LIMIT 1"
            )
        )
    engine.dispose()
    problems = _check_database(url_for(None), count_id, [*sent, "never-recorded"])
    assert problems == [
        "1 scans lost",
        "1 scans in the count that no station sent",
        "1 lines whose quantity is not their number of scans",
    ]


def test_a_scenario_that_cannot_run_is_reported_and_missed() -> None:
    def no_server() -> None:
        raise NotRun("no PostgreSQL server: no binaries")

    scenario = Scenario("pg", ours=no_server, baseline=None, target="t", max_value=1)
    result = run(scenario, log=lambda _row: None)
    assert not result.passed
    assert format_row(result) == (
        "| pg | not run | — | — | — | t | **missed** (not run: no PostgreSQL server: no binaries) |"
    )
    measured = Result(scenario, ours=[0.01], problems=["2 scans lost"], details="p95 9 ms")
    assert not measured.passed
    assert format_row(measured).endswith("| **missed** (p95 9 ms; 2 scans lost) |")


def test_without_postgresql_binaries_both_rows_are_not_run_and_missed(
    tiny: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.scenarios import postgres as rows
    from tests.support import postgres

    def missing() -> Path:
        raise postgres.PostgresUnavailable("no PostgreSQL server binaries")

    monkeypatch.setattr(postgres, "find_bin_dir", missing)
    results = [run(scenario, log=lambda _row: None) for scenario in rows.scenarios(tiny)]
    assert [result.scenario.name for result in results] == [
        "PostgreSQL: propose orders for every setting",
        "PostgreSQL: 16 stations scanning one location",
    ]
    assert all(not result.passed and not result.ours for result in results)
    assert all("no PostgreSQL server binaries" in (result.not_run or "") for result in results)


def test_a_server_left_by_a_killed_run_is_known_by_its_owner_being_gone(tmp_path: Path) -> None:
    from bench.pg_server import _OWNER, _owner_alive

    assert not _owner_alive(tmp_path)  # no owner written: nobody holds it
    (tmp_path / _OWNER).write_text(str(os.getpid()), encoding="utf-8")
    assert _owner_alive(tmp_path)
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    (tmp_path / _OWNER).write_text(finished.stdout.strip(), encoding="utf-8")
    assert not _owner_alive(tmp_path)
