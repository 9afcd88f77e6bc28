"""Two stations recording on cases at the same moment, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from parstudio.domain.cases import UseRefusal, UseRefused
from parstudio.services import cases
from parstudio.services.catalog import items, locations
from parstudio.services.core.database import Database, open_database

IMPLANT = "00614141999996"
ROUNDS = 8


@pytest.fixture
def suite(db: Database) -> dict[str, int]:
    room = locations.create_location(db, fields={"code": "IR1", "name": "IR suite"})
    items.create_item(
        db,
        fields={
            "code": "IVC-FILTER",
            "description": "IVC filter",
            "barcodes": IMPLANT,
            "serial_tracked": True,
        },
    )
    return {"room": room.id}


@pytest.fixture
def stations(db_url: str, db: Database) -> Iterator[tuple[Database, Database]]:
    anna = open_database(db_url, user_name="anna")
    ben = open_database(db_url, user_name="ben")
    yield anna, ben
    anna.close()
    ben.close()


def at_once(*jobs: Callable[[], object]) -> list[object]:
    """Run the jobs in threads released together; a job's exception is its result."""
    start = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        start.wait()
        try:
            results[index] = job()
        except Exception as exc:  # the refusal is what the test looks at
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_one_serial_scanned_on_two_cases_at_once_is_recorded_once(
    stations: tuple[Database, Database], suite: dict[str, int]
) -> None:
    anna, ben = stations
    for round_ in range(ROUNDS):
        first = cases.open_case(anna, identifier=f"V10000{round_:02d}", location_id=suite["room"])
        second = cases.open_case(ben, identifier=f"V20000{round_:02d}", location_id=suite["room"])
        scan = f"01{IMPLANT}21SN-{round_}"
        results = at_once(
            lambda scan=scan, case=first: cases.record_use(anna, case_id=case.id, text=scan),
            lambda scan=scan, case=second: cases.record_use(ben, case_id=case.id, text=scan),
        )
        refused = [r for r in results if isinstance(r, Exception)]
        assert len(refused) == 1, results
        assert isinstance(refused[0], UseRefused)
        assert refused[0].reason is UseRefusal.SERIAL_ELSEWHERE
        recorded = cases.list_use_lines(anna, case_id=first.id) + cases.list_use_lines(
            anna, case_id=second.id
        )
        assert [line.serial for line in recorded] == [f"SN-{round_}"]


def test_one_scan_sent_twice_at_once_is_recorded_once(
    stations: tuple[Database, Database], suite: dict[str, int]
) -> None:
    anna, ben = stations
    case = cases.open_case(anna, identifier="V3000001", location_id=suite["room"])
    for round_ in range(ROUNDS):
        scan, sent = f"01{IMPLANT}21SN-{round_}", f"c-{round_}"
        results = at_once(
            *(
                lambda station=station, scan=scan, sent=sent: cases.record_use(
                    station, case_id=case.id, text=scan, client_id=sent
                )
                for station in (anna, ben)
            )
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        assert sum(1 for r in results if getattr(r, "already_recorded", False)) == 1
    assert len(cases.list_use_lines(ben, case_id=case.id)) == ROUNDS
