"""A scanning station STARTED while its server is down: it opens from the sheet last seen here.

On the real PostgreSQL server, reached through a loopback proxy that is stopped (nothing
listens on its port: the server is unreachable) and started again on the same port.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from parstudio.domain.errors import ServerUnreachableError
from parstudio.models import Scan
from parstudio.services.core.database import Database, open_database
from parstudio.services.counting import scans as counting
from parstudio.services.counting.journal import journal_for
from parstudio.services.counting.station_start import open_station
from parstudio.ui.counting.screen import CountScreen
from tests.support.postgres import free_port
from tests.support.proxy import DroppingProxy
from tests.ui.counting.test_count_offline import counted, make_room

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("backend", ["postgres"])]


class Line:
    """The network between the station and the server: up or down, always on one port."""

    def __init__(self, db_url: str) -> None:
        upstream = urlsplit(db_url.replace("postgresql+psycopg", "postgresql")).port
        assert upstream is not None
        self.upstream, self.port = upstream, free_port()
        self.proxy: DroppingProxy | None = None
        self.url = DroppingProxy.url(self, db_url.rsplit("/", 1)[1])  # type: ignore[arg-type]

    def up(self) -> None:
        self.proxy = DroppingProxy(self.upstream, port=self.port)

    def down(self) -> None:
        if self.proxy is not None:
            self.proxy.close()
            self.proxy = None


@pytest.fixture
def line(db_url: str) -> Iterator[Line]:
    network = Line(db_url)
    network.up()
    yield network
    network.down()


def scans_of(db: Database, count_id: int) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).where(Scan.count_id == count_id)) or 0)


def test_a_station_started_while_the_server_is_down_counts_and_sends_once_when_it_is_back(
    qtbot: QtBot, db: Database, line: Line, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: None))
    make_room(db)
    # Online once: the station opens CT1 and scans, and this computer keeps the sheet.
    online, location_id = open_station(line.url, location_code="CT1", folder=tmp_path)
    first = CountScreen(online, location_id, journal=journal_for(online, tmp_path))
    qtbot.addWidget(first)
    first.handle_scan("GLV-M")
    first.stop()
    count_id = first.sheet.count_id
    online.close()

    line.down()
    with pytest.raises(ServerUnreachableError, match="has not counted “CT9” before"):
        open_station(line.url, location_code="CT9", folder=tmp_path)
    station, found = open_station(line.url, location_code="ct1", folder=tmp_path)
    assert found == location_id and station.opened_offline and station.role is None
    screen = CountScreen(station, found, journal=journal_for(station, tmp_path))
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    banner = screen.offline_banner
    assert screen.sheet.count_id == count_id and counted(screen, "GLV-M") == 1
    assert (
        banner.isVisible() and "Counting from the sheet this computer saw last (" in banner.text()
    )
    assert "counting from this location's sheet" in screen.status.text()
    for text in ("GLV-M", "GLV-M", "GAUZE"):
        screen.handle_scan(text)
    assert "3 scans are waiting" in banner.text() and "saw last (" in banner.text()
    banner.retry()  # the server is still away: nothing sent, nothing lost
    qtbot.waitUntil(lambda: not banner.replaying, timeout=15000)
    assert len(screen._journal) == 3 and banner.isVisible()
    assert scans_of(db, count_id) == 1
    screen.grab().save(str(tmp_path / "started-offline.png"))

    line.up()
    banner.retry()
    qtbot.waitUntil(lambda: not banner.replaying and not banner.isVisible(), timeout=15000)

    assert not station.opened_offline and station.role is not None
    assert "The server is back: 3 kept scan(s) sent" in screen.status.text()
    assert counted(screen, "GLV-M") == 3 and counted(screen, "GAUZE") == 1
    banner.retry()  # once more: nothing is sent twice
    qtbot.waitUntil(lambda: not banner.replaying, timeout=15000)
    assert scans_of(db, count_id) == 4
    sheet = counting.get_count_sheet(db, count_id=count_id)
    assert {entry.item_code: entry.counted for entry in sheet.lines} == {"GLV-M": 3, "GAUZE": 1}
    screen.stop()
    station.close()


def test_the_server_answering_but_refusing_is_not_taken_for_a_server_down(
    db_url: str, tmp_path: Path
) -> None:
    wrong = db_url.rsplit("/", 1)[0] + "/no_such_database"
    with pytest.raises(Exception) as raised:
        open_station(wrong, location_code="CT1", folder=tmp_path)
    assert not isinstance(raised.value, ServerUnreachableError)
    assert open_database(db_url).opened_offline is False


def test_parstudio_count_opens_the_station_offline_and_says_so_for_an_unknown_location(
    db: Database, line: Line, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from parstudio.cli import main
    from parstudio.ui.counting import station as count_window

    make_room(db)
    online, location_id = open_station(line.url, location_code="CT1")
    CountScreen(online, location_id).stop()  # the sheet kept in the data folder
    online.close()
    line.down()
    opened: list[tuple[bool, int]] = []
    monkeypatch.setattr(
        count_window,
        "run_count_window",
        lambda station, found: opened.append((station.opened_offline, found)) or 0,
    )

    assert main(["--database", line.url, "count", "--location", "CT1"]) == 0
    assert opened == [(True, location_id)]
    assert main(["--database", line.url, "count", "--location", "CT2"]) != 0
    assert "has not counted “CT2” before" in capsys.readouterr().err


def seen_by_anna_then_down(db: Database, line: Line, folder: Path | None) -> None:
    """A database with accounts; its CT1 opened once here by Anna; then the server goes."""
    from parstudio.domain.roles import Role
    from parstudio.services.admin import users

    make_room(db)
    users.create_user(
        db, login="anna", display_name="Anna", role=Role.MANAGER, password="pw-anna-1"
    )
    online, location_id = open_station(
        line.url, location_code="CT1", login="anna", password="pw-anna-1", folder=folder
    )
    journal = journal_for(online, folder) if folder is not None else None
    CountScreen(online, location_id, journal=journal).stop()
    online.close()
    line.down()


def test_with_accounts_the_kept_scans_wait_for_someone_to_sign_in_and_are_never_refused(
    qtbot: QtBot, db: Database, line: Line, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: None))
    seen_by_anna_then_down(db, line, tmp_path)
    station, found = open_station(line.url, location_code="CT1", folder=tmp_path)
    screen = CountScreen(station, found, journal=journal_for(station, tmp_path))
    qtbot.addWidget(screen)
    screen.show()
    screen.handle_scan("GAUZE")
    asked: list[bool] = []
    screen.offline_banner.sign_in_needed.connect(lambda: asked.append(True))

    line.up()
    screen.offline_banner.retry()
    qtbot.waitUntil(lambda: bool(asked), timeout=15000)
    assert station.has_users and station.sign_in_required
    assert len(screen._journal) == 1 and screen._journal.refused() == []

    station.sign_in("anna", "pw-anna-1")
    screen.offline_banner.retry()
    qtbot.waitUntil(lambda: not screen.offline_banner.isVisible(), timeout=15000)
    assert counted(screen, "GAUZE") == 1 and len(screen._journal) == 0
    sheet = counting.get_count_sheet(db, count_id=screen.sheet.count_id)
    assert {entry.item_code: entry.counted for entry in sheet.lines} == {"GLV-M": None, "GAUZE": 1}
    screen.stop()
    station.close()


def test_the_station_asks_who_is_counting_when_the_server_is_back_then_sends(
    qtbot: QtBot, db: Database, line: Line, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parstudio.ui.counting.station import open_count_station
    from parstudio.ui.shell import sign_in as sign_in_dialog

    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: None))
    seen_by_anna_then_down(db, line, None)
    station, found = open_station(line.url, location_code="CT1", login="anna", password="wrong-pw")
    window = open_count_station(station, found)
    qtbot.addWidget(window)
    window.show()
    window.handle_scan("GAUZE")
    asked: list[bool] = []

    def dialog(db: Database, _parent: object = None) -> bool:  # the sign-in dialog, answered
        asked.append(True)
        db.sign_in("anna", "pw-anna-1")
        return True

    monkeypatch.setattr(sign_in_dialog, "sign_in_if_needed", dialog)
    line.up()
    window.offline_banner.retry()  # the --user password given at start is wrong now: it asks
    qtbot.waitUntil(lambda: len(window._journal) == 0, timeout=15000)
    qtbot.waitUntil(lambda: not window.offline_banner.replaying, timeout=15000)

    assert asked == [True] and counted(window, "GAUZE") == 1
    sheet = counting.get_count_sheet(db, count_id=window.sheet.count_id)
    assert {entry.item_code: entry.counted for entry in sheet.lines} == {"GLV-M": None, "GAUZE": 1}
    window.stop()
    station.close()
