"""Workstations scanning one location at once on the PostgreSQL server, each a process.

Each station is its own interpreter (``python -m bench.pg_station CONFIG``), as a
real workstation is: it opens the database with `open_database` under its own server login
(a clerk's, a member of ``parstudio_clerk``: the server's grants and row security apply),
signs in to its own PAR Studio account, joins the location's open count with `open_count`
(as the count screen does), then records its scans through `record_scan`, the service the
count screen calls, each with a fresh client id and the time it was made, as the screen sends
them. A clerk with a handheld scanner scans, waits for the beep, moves to the next unit: the
next scan is made 0.5–1.1 s (0.8 s on average, random) after the last was acknowledged.

Each station walks its own aisle of the location (its share of the lines, in bin order, one to
four units a line). One scan in ten is of one of a few lines every station also holds, so some
scans of one line by different stations meet (and must both land).

Each scan is timed from the call to `record_scan` returning, i.e. committed and acknowledged.
The first scans of each station (its warm-up: a new connection fills its caches) are recorded
but not timed. Afterwards the database is checked: every client id sent is recorded exactly
once, no other scan is in the count, and each line holds as many units as scans of it.

``python -m bench.pg_stations compare 4 8 16`` runs the same with 4, 8 and 16 stations and
prints the figures (bench/README.md, "PostgreSQL rows").
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.pg_station import WARM_UP

SCANS_EACH = 190
GAP_S = (0.5, 1.1)
SHARED_LINES = 8
# One scan in this many is of a shared line (``BENCH_SHARED_EVERY=1``: every scan, the worst
# case for the lines' locks; by hand only).
SHARED_EVERY = int(os.environ.get("BENCH_SHARED_EVERY", "10"))


@dataclass
class StationsRun:
    """The figures of one run of the stations."""

    stations: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """What the check of the database found wrong (lost, doubled, miscounted)."""
    scans: int = 0
    seconds: float = 0.0
    station_cpu: float = 0.0
    """CPU seconds of the stations' processes over the timed scans."""
    server_cpu: float = 0.0
    """CPU seconds of the stations' server backends over the timed scans."""
    machine_busy: float = 0.0
    """Share of both cores busy with anything during the timed scans (0–1), from /proc/stat."""

    @property
    def median(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.latencies, n=20)[-1]

    def summary(self) -> str:
        per_scan = (self.station_cpu + self.server_cpu) / max(len(self.latencies), 1)
        return (
            f"{self.stations} stations: {len(self.latencies):,} scans in {self.seconds:.0f} s, "
            f"median {self.median * 1000:.1f} ms, p95 {self.p95 * 1000:.1f} ms, "
            f"max {max(self.latencies) * 1000:.0f} ms, {len(self.errors)} errors; CPU per scan "
            f"{per_scan * 1000:.1f} ms ({self.station_cpu / max(len(self.latencies), 1) * 1000:.1f}"
            f" station + {self.server_cpu / max(len(self.latencies), 1) * 1000:.1f} server); "
            f"machine busy {self.machine_busy * 100:.0f} %"
        )


# --- the bench's side ----------------------------------------------------------------------


def run_stations(
    url_for: Any,
    stations: int,
    *,
    scans_each: int = SCANS_EACH,
    password: str,
    login_for: Any,
    manager: str,
    workdir: Path,
    gap: tuple[float, float] = GAP_S,
) -> StationsRun:
    """Run ``stations`` station processes on the database ``url_for(login)`` names; check it.

    The location is the one with the most PAR settings (the storeroom); a manager opens its
    count first, and each station joins it.
    """
    from parstudio.services.admin import users
    from parstudio.services.core.database import open_database
    from parstudio.services.counting import scans as counting

    manager_db = open_database(url_for(None), user_name=manager, authenticate=users.authenticate)
    manager_db.sign_in(manager, password)
    try:
        location_id = _largest_location(manager_db)
        sheet = counting.open_count(manager_db, location_id=location_id)
        texts = _station_scans(manager_db, sheet.lines, stations, scans_each + WARM_UP)
    finally:
        manager_db.close()
    processes = []
    for station in range(stations):
        config = workdir / f"station-{station}.json"
        config.write_text(
            json.dumps(
                {
                    "url": url_for(login_for(station)),
                    "login": login_for(station),
                    "password": password,
                    "location_id": location_id,
                    "texts": texts[station],
                    "seed": station,
                    "gap": list(gap),
                    "out": str(workdir / f"station-{station}.out.json"),
                }
            )
        )
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "bench.pg_station", str(config)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd=Path(__file__).resolve().parent.parent,
            )
        )
    try:
        return _drive(processes, stations, workdir, sheet.count_id, url_for(None))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()


def _drive(
    processes: list[subprocess.Popen[str]], stations: int, workdir: Path, count_id: int, url: str
) -> StationsRun:
    assert all(process.stdin and process.stdout for process in processes)
    backends = []
    for process in processes:  # each says "ready COUNT_ID BACKEND_PID" once warmed up
        line = process.stdout.readline().split()  # type: ignore[union-attr]
        if not line or line[0] != "ready":
            raise RuntimeError(f"A station did not start: {line}")
        if int(line[1]) != count_id:
            raise RuntimeError(f"A station joined count {line[1]}, not {count_id}")
        backends.append(int(line[2]))
    server_before = sum(_process_cpu(pid) for pid in backends)
    busy_before = _machine_ticks()
    start_at = time.monotonic() + 0.2
    for process in processes:
        process.stdin.write(f"{start_at!r}\n")  # type: ignore[union-attr]
        process.stdin.flush()  # type: ignore[union-attr]
    for process in processes:  # "done" once its scans are in; it waits to be let go
        if process.stdout.readline().strip() != "done":  # type: ignore[union-attr]
            raise RuntimeError("A station ended before its scans were done")
    run = StationsRun(stations=stations, seconds=time.monotonic() - start_at)
    run.server_cpu = sum(_process_cpu(pid) for pid in backends) - server_before
    run.machine_busy = _busy_share(busy_before, _machine_ticks())
    for process in processes:
        process.stdin.write("exit\n")  # type: ignore[union-attr]
        process.stdin.flush()  # type: ignore[union-attr]
        process.wait(timeout=60)
    sent: list[str] = []
    for station in range(stations):
        out = json.loads((workdir / f"station-{station}.out.json").read_text())
        run.latencies += out["latencies"]
        run.errors += out["errors"]
        run.station_cpu += out["cpu"]
        sent += out["client_ids"]
        run.problems += [f"station {station}: {kind} outcome" for kind in out["odd_outcomes"]]
    run.scans = len(sent)
    run.problems += _check_database(url, count_id, sent)
    return run


def _largest_location(db: Any) -> int:
    from sqlalchemy import func, select

    from parstudio.models import ParSetting

    with db.reading() as session:
        return int(
            session.execute(
                select(ParSetting.location_id)
                .where(ParSetting.active.is_(True))
                .group_by(ParSetting.location_id)
                .order_by(func.count().desc(), ParSetting.location_id)
                .limit(1)
            ).scalar_one()
        )


def _station_scans(db: Any, lines: Any, stations: int, each: int) -> list[list[str]]:
    """Each station's scans: its aisle in bin order, and now and then a line all stations hold."""
    from bench.scenarios.counting import _scan_texts

    counted = [line for line in lines if line.to_count]
    shared, rest = counted[:SHARED_LINES], counted[SHARED_LINES:]
    aisle = len(rest) // stations

    def walk(part: Any) -> list[str]:
        # HIBC labels whose check character is a space (1 in 43) are sent with it, as a
        # scanner types them.
        return _scan_texts(db, part, each)

    common = walk(shared)
    texts = []
    for station in range(stations):
        own = walk(rest[station * aisle : (station + 1) * aisle])
        texts.append(
            [
                common[(n * 7 + station) % len(common)]
                if n % SHARED_EVERY == SHARED_EVERY - 1
                else text
                for n, text in enumerate(own)
            ]
        )
    return texts


def _check_database(url: str, count_id: int, sent: list[str]) -> list[str]:
    """What is wrong in the count after the run: scans lost, doubled or extra, lines miscounted."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            recorded = Counter(
                dict(
                    connection.execute(
                        text(
                            "SELECT client_id, count(*) FROM scan WHERE count_id = :count "
                            "GROUP BY client_id"
                        ),
                        {"count": count_id},
                    ).all()
                )
            )
            miscounted = connection.execute(
                text(
                    "SELECT l.item_id, l.quantity, s.scans FROM count_line l JOIN ("
                    "  SELECT item_id, count(*) AS scans FROM scan"
                    "  WHERE count_id = :count AND kind = 'ITEM' GROUP BY item_id"
                    ") s ON s.item_id = l.item_id "
                    "WHERE l.count_id = :count AND l.quantity <> s.scans"
                ),
                {"count": count_id},
            ).all()
            lines = connection.execute(
                text("SELECT count(*) FROM count_line WHERE count_id = :count"),
                {"count": count_id},
            ).scalar_one()
            items = connection.execute(
                text(
                    "SELECT count(DISTINCT item_id) FROM scan "
                    "WHERE count_id = :count AND kind = 'ITEM'"
                ),
                {"count": count_id},
            ).scalar_one()
    finally:
        engine.dispose()
    wanted = Counter(sent)
    problems = []
    lost = [cid for cid in wanted if recorded[cid] == 0]
    doubled = [cid for cid in wanted if recorded[cid] > 1]
    extra = sum(n for cid, n in recorded.items() if cid not in wanted)
    if lost:
        problems.append(f"{len(lost)} scans lost")
    if doubled:
        problems.append(f"{len(doubled)} scans recorded twice or more")
    if extra:
        problems.append(f"{extra} scans in the count that no station sent")
    if miscounted:
        problems.append(f"{len(miscounted)} lines whose quantity is not their number of scans")
    if lines != items:
        problems.append(f"{lines} lines for {items} items scanned")
    return problems


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a running process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def _busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total else 0.0


# --- by hand: the same run with several numbers of stations -------------------------------


def compare(counts: list[int], scans_each: int) -> None:
    """Run the stations with each number in ``counts`` on a fresh copy; print the figures."""
    from bench import pg_server
    from bench.context import prepare

    ctx = prepare(os.environ.get("BENCH_SIZE", "large"))
    try:
        server = pg_server.start(ctx)
        print(f"load average: {_uptime()}", flush=True)
        for stations in counts:
            url = server.scratch_database("bench_stations")
            name = url.rsplit("/", 1)[1]
            run = run_stations(
                lambda login, name=name: server.url(name, login),
                stations,
                scans_each=scans_each,
                password=pg_server.PASSWORD,
                login_for=pg_server.clerk_login,
                manager=pg_server.MANAGER,
                workdir=Path(tempfile.mkdtemp(dir=ctx.workdir)),
            )
            problems = "; ".join(run.problems) or "every scan found once"
            print(f"{run.summary()}; {problems} (load average: {_uptime()})", flush=True)
            server.drop_database(name)
    finally:
        ctx.cleanup()


def _uptime() -> str:
    """The load averages over 1, 5 and 15 minutes, as `uptime` shows them."""
    return ", ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    if sys.argv[1] == "compare":
        scans = int(os.environ.get("BENCH_SCANS_EACH", SCANS_EACH))
        compare([int(n) for n in sys.argv[2:]], scans)
