"""A scan whose COMMIT reached the server but whose reply was lost is counted once, not twice.

A proxy in front of the real PostgreSQL server lets the COMMIT through, swallows the reply and
cuts the connection: the station cannot tell whether the scan landed, keeps it under the id it
was sent with, and the replay finds that id already on the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from parstudio.domain.errors import ConnectionLostError
from parstudio.domain.scan_journal import new_client_id
from parstudio.services.core.database import Database, open_database
from parstudio.services.counting import scans as counting
from parstudio.services.counting.journal import journal_for
from tests.services.counting import test_counting
from tests.services.counting.test_scan_journal import counted, scans_recorded
from tests.support.proxy import DroppingProxy

ct = test_counting.ct
pytestmark = pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)]
)


@pytest.fixture
def proxy(db_url: str) -> Iterator[DroppingProxy]:
    """A proxy in front of the test database's server."""
    port = urlsplit(db_url.replace("postgresql+psycopg", "postgresql")).port
    assert port is not None
    running = DroppingProxy(port)
    yield running
    running.close()


@pytest.fixture
def station(db_url: str, proxy: DroppingProxy) -> Iterator[Database]:
    """The same database as `db`, opened through the proxy, as the station does."""
    database_name = db_url.rsplit("/", 1)[1]
    opened = open_database(proxy.url(database_name), user_name="tester")
    yield opened
    opened.close()


def test_a_scan_retried_after_its_commit_reply_was_lost_counts_once(
    db: Database, ct: dict[str, int], station: Database, proxy: DroppingProxy, tmp_path: Path
) -> None:
    journal = journal_for(station, tmp_path)
    sheet = counting.open_count(station, location_id=ct["ct"])
    counting.record_scan(station, count_id=sheet.count_id, text="GLV-M", client_id=new_client_id())
    for attempt in range(3):
        client_id, scanned_at = new_client_id(), datetime.now(UTC)
        proxy.drop_next_commit_reply()
        with pytest.raises(ConnectionLostError):
            counting.record_scan(
                station,
                count_id=sheet.count_id,
                text="GLV-M",
                client_id=client_id,
                scanned_at=scanned_at,
            )
        assert proxy.dropped.is_set()
        # The scan did land (the server committed it) though the station was never told.
        assert counted(db, sheet.count_id, ct["gloves"]) == 2 + attempt
        # What the count screen does with it: keep it under the id it was sent with.
        journal.keep(
            station,
            count_id=sheet.count_id,
            location_id=ct["ct"],
            text="GLV-M",
            group_separator="\x1d",
            client_id=client_id,
            scanned_at=scanned_at,
        )
        result = journal.replay(station)
        assert result.complete and result.already == 1 and result.sent == []
        # And a second send of the same scan (another retry) changes nothing either.
        again = counting.record_scan(
            station, count_id=sheet.count_id, text="GLV-M", client_id=client_id
        )
        assert again.already_recorded

    assert counted(db, sheet.count_id, ct["gloves"]) == 4
    assert scans_recorded(db, sheet.count_id) == 4
