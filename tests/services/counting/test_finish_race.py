"""Scans racing Finish on the real PostgreSQL server: each lands before it, or is refused."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest

from parstudio.domain.errors import CountFinishedError
from parstudio.domain.scan_journal import new_client_id
from parstudio.services.core.database import Database
from parstudio.services.counting import scans as counting
from tests.services.counting import test_counting
from tests.services.counting.test_scan_journal import counted, scans_recorded

ct = test_counting.ct


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("race", range(3))
def test_no_scan_lands_after_finish_and_every_acknowledged_scan_is_in_it(
    db: Database, ct: dict[str, int], race: int
) -> None:
    sheet = counting.open_count(db, location_id=ct["ct"])
    acknowledged: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    after_finish = [0] * 4

    def scanner(number: int) -> None:
        try:
            while len(acknowledged) < 5000:  # Finish comes long before
                try:
                    counting.record_scan(
                        db, count_id=sheet.count_id, text="GLV-M", client_id=new_client_id()
                    )
                except CountFinishedError as exc:
                    refused.append(str(exc))
                    after_finish[number] += 1
                    if after_finish[number] >= 5:  # it keeps trying a little after Finish
                        return
                else:
                    acknowledged.append("GLV-M")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=scanner, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.3 + 0.1 * race)
    review = counting.finish_count(db, count_id=sheet.count_id, confirm=True)
    at_finish = counted(db, sheet.count_id, ct["gloves"])
    for thread in threads:
        thread.join(30)

    assert not errors
    assert review.finished_at is not None
    assert refused and all("already finished" in reason for reason in refused)
    assert len(acknowledged) > 0
    # Nothing landed after Finish, and everything acknowledged is in the finished count.
    assert counted(db, sheet.count_id, ct["gloves"]) == at_finish == Decimal(len(acknowledged))
    assert scans_recorded(db, sheet.count_id) == len(acknowledged)
    # The review was made under the lock: it shows the gloves as counted.
    assert all(line.item_code != "GLV-M" for line in review.uncounted)
