"""One workstation of the PostgreSQL stations row, in a process of its own (bench/pg_stations.py).

``python -m bench.pg_station CONFIG``: open the database as the station's login, sign in, join
the location's open count, make the warm-up scans, say "ready COUNT_ID BACKEND_PID", wait for
the start time on stdin, make the timed scans at a clerk's pace, write what it measured to the
file the config names, say "done", and wait for a line on stdin before closing (so the bench
reads its server backend's CPU while it is still there).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

WARM_UP = 3
"""Scans made before the timed ones (recorded and checked, not timed)."""


def station(config_path: str) -> None:
    """One workstation: join the count, warm up, wait for the start, scan, report."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    from parstudio.domain.counting import ScanKind
    from parstudio.domain.scan_journal import new_client_id
    from parstudio.services.admin import users
    from parstudio.services.core.database import open_database
    from parstudio.services.counting import scans as counting

    config = json.loads(Path(config_path).read_text())
    db = open_database(
        config["url"],
        user_name=config["login"],
        password=config["password"],
        authenticate=users.authenticate,
    )
    db.sign_in(config["login"], config["password"])
    count_id = counting.open_count(db, location_id=config["location_id"]).count_id
    rng = random.Random(config["seed"])
    client_ids: list[str] = []
    latencies: list[float] = []
    errors: list[str] = []
    odd: list[str] = []

    def scan(text_: str) -> float:
        client_id = new_client_id()
        client_ids.append(client_id)
        start = time.perf_counter()
        try:
            outcome = counting.record_scan(
                db,
                count_id=count_id,
                text=text_,
                client_id=client_id,
                scanned_at=datetime.now(UTC),
            )
        except Exception as exc:  # every failure is counted, none ends the run
            errors.append(f"{type(exc).__name__}: {exc}")
            return time.perf_counter() - start
        elapsed = time.perf_counter() - start
        if outcome.kind is not ScanKind.ITEM:
            odd.append(outcome.kind.value)
        return elapsed

    texts = config["texts"]
    for text_ in texts[:WARM_UP]:
        scan(text_)
    with db.engine.connect() as connection:
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    print(f"ready {count_id} {backend}", flush=True)
    start_at = float(sys.stdin.readline())
    low, high = config["gap"]
    time.sleep(max(0.0, start_at - time.monotonic()) + rng.uniform(0, high))
    cpu = time.process_time()
    for text_ in texts[WARM_UP:]:
        latencies.append(scan(text_))
        time.sleep(rng.uniform(low, high))
    cpu = time.process_time() - cpu
    Path(config["out"]).write_text(
        json.dumps(
            {
                "latencies": latencies,
                "errors": errors,
                "client_ids": client_ids,
                "cpu": cpu,
                "odd_outcomes": odd,
            }
        )
    )
    print("done", flush=True)
    sys.stdin.readline()  # held open until the bench has read the server's CPU
    db.close()


if __name__ == "__main__":
    station(sys.argv[1])
