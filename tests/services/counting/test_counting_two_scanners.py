"""Two scanners counting one location at the same time, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from parstudio.models import Scan
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database, open_database
from parstudio.services.counting import scans as counting

SCANS_EACH = 40


@pytest.fixture
def closet(db: Database) -> dict[str, int]:
    """A closet with one item on its PAR list."""
    room = locations.create_location(db, fields={"code": "CL1", "name": "Closet 1"})
    gloves = items.create_item(db, fields={"code": "GLV-M", "description": "Gloves M"})
    par_settings.create_par_setting(
        db, location_id=room.id, item_id=gloves.id, fields={"par_level": "100"}
    )
    return {"room": room.id, "gloves": gloves.id}


@pytest.fixture
def stations(db_url: str, db: Database) -> Iterator[tuple[Database, Database]]:
    """Two workstations: their own Database (engine, connections) and their own user."""
    anna = open_database(db_url, user_name="anna")
    ben = open_database(db_url, user_name="ben")
    yield anna, ben
    anna.close()
    ben.close()


def at_once(*jobs: Callable[[], object]) -> list[object]:
    """Run the jobs in threads released together; re-raise the first failure."""
    start = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[], object]) -> None:
        start.wait()
        try:
            results[index] = job()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def gloves_counted(db: Database, count_id: int) -> Decimal | None:
    sheet = counting.get_count_sheet(db, count_id=count_id)
    return sheet.lines[0].counted


def test_two_stations_opening_a_location_at_once_share_one_count(
    stations: tuple[Database, Database], closet: dict[str, int]
) -> None:
    anna, ben = stations
    sheets = at_once(
        lambda: counting.open_count(anna, location_id=closet["room"]),
        lambda: counting.open_count(ben, location_id=closet["room"]),
    )
    assert len({sheet.count_id for sheet in sheets}) == 1  # type: ignore[attr-defined]


def test_two_scanners_scanning_the_same_line_lose_no_scan(
    db: Database, stations: tuple[Database, Database], closet: dict[str, int]
) -> None:
    anna, ben = stations
    count_id = counting.open_count(db, location_id=closet["room"]).count_id

    def scan_many(station: Database) -> int:
        for _ in range(SCANS_EACH):
            outcome = counting.record_scan(station, count_id=count_id, text="GLV-M")
            assert outcome.changed, outcome.message
        return SCANS_EACH

    at_once(lambda: scan_many(anna), lambda: scan_many(ben))

    assert gloves_counted(db, count_id) == 2 * SCANS_EACH
    with db.reading() as session:
        scans = session.execute(
            select(Scan.recorded_by, Scan.quantity_before, Scan.quantity_after)
            .where(Scan.count_id == count_id)
            .order_by(Scan.id)
        ).all()
    assert sorted(by for by, _, _ in scans) == ["anna"] * SCANS_EACH + ["ben"] * SCANS_EACH
    # Each scan saw the line as another left it: the scans form one unbroken chain 0 → 80.
    # (Ordered by what they left, not by id: PostgreSQL hands out ids before the line lock.)
    chain = sorted((after, before or 0) for _, before, after in scans)
    assert chain == [(n, n - 1) for n in range(1, 2 * SCANS_EACH + 1)]


def test_undo_takes_back_only_your_own_scan_and_keeps_the_other_scanners(
    stations: tuple[Database, Database], closet: dict[str, int]
) -> None:
    anna, ben = stations
    count_id = counting.open_count(anna, location_id=closet["room"]).count_id
    counting.record_scan(anna, count_id=count_id, text="GLV-M")  # 1
    counting.record_scan(ben, count_id=count_id, text="GLV-M")  # 2
    counting.set_quantity(anna, count_id=count_id, setting_id=_setting(anna, count_id), quantity=10)
    counting.record_scan(ben, count_id=count_id, text="GLV-M")  # 11

    undone = counting.undo_last_scan(anna, count_id=count_id)  # anna's typed 10 (was 2)
    assert undone.line is not None and undone.line.counted == 3  # ben's later scan is kept
    assert counting.undo_last_scan(anna, count_id=count_id).line.counted == 2  # type: ignore[union-attr]
    assert counting.undo_last_scan(anna, count_id=count_id).message == "Nothing to undo."
    assert gloves_counted(ben, count_id) == 2


def _setting(db: Database, count_id: int) -> int:
    return counting.get_count_sheet(db, count_id=count_id).lines[0].setting_id
