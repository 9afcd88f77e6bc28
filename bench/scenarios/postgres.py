"""The shared server: the department on PostgreSQL, 16 stations scanning, proposing orders.

Both rows run on the benchmarks' own PostgreSQL server (bench/pg_server.py: started by the
bench from the machine's binaries, the department loaded once and its data folder kept).
Without PostgreSQL binaries, or if the server will not start, both rows are reported as not
run, and missed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from bench.context import Context
from bench.harness import Measured, NotRun, Scenario

SCRATCH = "bench_stations"


def scenarios(ctx: Context) -> list[Scenario]:
    """16 stations scanning one location; propose orders for every setting, on the server."""
    server = _server_of(ctx)
    stations = StationsBench(ctx, server)
    proposing = ProposeBench(server)
    return [
        Scenario(
            name="PostgreSQL: propose orders for every setting",
            ours=proposing.propose,
            baseline=proposing.bare_join,
            target="≤ 2× the bare SQL join on the same server",
            max_ratio=2.0,
            setup=proposing.open,
        ),
        Scenario(
            name="PostgreSQL: 16 stations scanning one location",
            ours=stations.scan,
            baseline=None,
            target="median < 30 ms, p95 < 100 ms, 0 errors, every scan recorded once",
            max_value=0.030,
            repeat=1,
            warm_up=False,
            setup=stations.fresh_copy,
            note="scan → committed and acknowledged, each station its own process and login",
        ),
    ]


def _server_of(ctx: Context) -> Callable[[], Any]:
    """The server, started when a scenario first needs it; NotRun if it cannot be."""

    @cache
    def server() -> Any:
        from bench import pg_server

        try:
            return pg_server.start(ctx)
        except pg_server.NotAvailable as exc:
            raise NotRun(f"no PostgreSQL server: {exc}") from exc

    return server


class ProposeBench:
    """`propose_orders` against the same SELECT through SQLAlchemy Core, on the server."""

    def __init__(self, server: Callable[[], Any]) -> None:
        self.server = server
        self.db: Any = None

    def open(self) -> None:
        if self.db is None:
            from parstudio.services.core.database import open_database

            self.db = open_database(self.server().url(), user_name="bench")

    def propose(self) -> None:
        from parstudio.services.ordering.proposals import propose_orders

        propose_orders(self.db)

    def bare_join(self) -> None:
        from parstudio.services.ordering.proposals import proposal_query

        with self.db.engine.connect() as connection:
            connection.execute(proposal_query(None)).all()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


class StationsBench:
    """Each run on a fresh copy of the department (the stations write)."""

    def __init__(self, ctx: Context, server: Callable[[], Any]) -> None:
        self.ctx = ctx
        self.server = server
        self.url_of: Callable[[str | None], str] | None = None

    def fresh_copy(self) -> None:
        bench = self.server()
        bench.scratch_database(SCRATCH)
        if self.url_of is None:
            self.ctx.on_cleanup(lambda: bench.drop_database(SCRATCH))
        self.url_of = lambda login: bench.url(SCRATCH, login)

    def scan(self) -> Measured:
        from bench import pg_server
        from bench.pg_stations import run_stations

        assert self.url_of is not None
        run = run_stations(
            self.url_of,
            pg_server.STATIONS,
            password=pg_server.PASSWORD,
            login_for=pg_server.clerk_login,
            manager=pg_server.MANAGER,
            workdir=Path(tempfile.mkdtemp(dir=self.ctx.workdir)),
        )
        problems = [f"{len(run.errors)} errors, e.g. {run.errors[0]}"] if run.errors else []
        problems += run.problems
        if run.p95 >= 0.100:
            problems.append(f"p95 {run.p95 * 1000:.1f} ms ≥ 100 ms")
        details = (
            f"p95 {run.p95 * 1000:.1f} ms, {len(run.latencies):,} scans, {len(run.errors)} "
            f"errors, CPU {1000 * (run.station_cpu + run.server_cpu) / len(run.latencies):.1f} "
            f"ms a scan, machine {run.machine_busy * 100:.0f} % busy"
        )
        print(f"  {run.summary()}", flush=True)
        return Measured(run.median, problems=tuple(problems), details=details)
