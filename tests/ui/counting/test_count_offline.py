"""The count screen while the server is unreachable: a banner, scans kept, then sent once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from parstudio.domain.errors import ConnectionLostError
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.services.counting import scans as counting
from parstudio.services.counting.journal import journal_for
from parstudio.ui.counting.screen import CountScreen
from tests.services.counting.test_dropped_commit import proxy, station
from tests.services.counting.test_scan_journal import server_unreachable
from tests.support.proxy import DroppingProxy

__all__ = ["proxy", "station"]  # fixtures, shared with the service test


def make_room(db: Database) -> int:
    """A supply closet with gloves and gauze."""
    closet = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    for code, description, bin_code in (("GLV-M", "Gloves M", "A-01"), ("GAUZE", "Gauze", "A-02")):
        item = items.create_item(db, fields={"code": code, "description": description})
        par_settings.create_par_setting(
            db,
            location_id=closet.id,
            item_id=item.id,
            fields={"bin": bin_code, "par_level": "10"},
        )
    return closet.id


@pytest.fixture
def room(sqlite_db: Database) -> int:
    """A supply closet with gloves and gauze."""
    return make_room(sqlite_db)


def counted(screen: CountScreen, item_code: str) -> object:
    return next(line.counted for line in screen.model.lines() if line.item_code == item_code)


def open_screen(qtbot: QtBot, db: Database, room: int, folder: Path) -> CountScreen:
    screen = CountScreen(db, room, journal=journal_for(db, folder))
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    return screen


def test_the_banner_shows_while_scans_are_kept_and_the_lines_update_when_they_are_sent(
    qtbot: QtBot,
    sqlite_db: Database,
    room: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    beeps: list[bool] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(True)))
    screen = open_screen(qtbot, sqlite_db, room, tmp_path)
    banner = screen.offline_banner
    assert not banner.isVisible()
    screen.handle_scan("GLV-M")
    assert counted(screen, "GLV-M") == 1

    with server_unreachable(sqlite_db):
        screen.handle_scan("GLV-M")
        assert banner.isVisible() and "Server unreachable" in banner.text()
        assert "1 scan is waiting" in banner.text()
        screen.handle_scan("GLV-M")
        screen.handle_scan("GAUZE")
        assert "3 scans are waiting" in banner.text()
        assert "Kept on this computer: GAUZE" in screen.status.text()
        assert "3 waiting" in screen.status.text()
        assert len(beeps) == 1  # one beep as the server goes, not one per kept scan
        assert counted(screen, "GLV-M") == 1  # not counted until the server has it
        screen.undo_last_scan()
        assert "Undo waits until the server is back" in screen.status.text()
        assert screen.finish_count() is None
        screen.quantity.setText("4")
        screen.save_typed_quantity()
        assert "Typing a quantity waits" in screen.status.text()
        banner.retry()  # the timer firing while the server is still away
        qtbot.waitUntil(lambda: not banner.replaying, timeout=5000)
        assert banner.isVisible() and "3 scans are waiting" in banner.text()
        screen.grab().save(str(tmp_path / "offline.png"))

    banner.timer.setInterval(20)  # the retry timer notices the server is back
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=3000)

    assert counted(screen, "GLV-M") == 3 and counted(screen, "GAUZE") == 1
    assert "The server is back: 3 kept scan(s) sent" in screen.status.text()
    assert screen.tally_label.text() == "Counted 2 / 2"
    assert not banner.timer.isActive() and len(screen._journal) == 0
    sheet = counting.get_count_sheet(sqlite_db, count_id=screen.sheet.count_id)
    assert {line.item_code: line.counted for line in sheet.lines} == {"GLV-M": 3, "GAUZE": 1}


def test_scans_kept_before_the_app_closed_are_sent_when_the_count_is_opened_again(
    qtbot: QtBot, sqlite_db: Database, room: int, tmp_path: Path
) -> None:
    screen = open_screen(qtbot, sqlite_db, room, tmp_path)
    with server_unreachable(sqlite_db):
        screen.handle_scan("GAUZE")
        screen.handle_scan("GAUZE")
    screen.stop()
    screen.close()
    assert (
        counting.get_count_sheet(sqlite_db, count_id=screen.sheet.count_id).lines[1].counted is None
    )

    again = open_screen(qtbot, sqlite_db, room, tmp_path)
    qtbot.waitUntil(lambda: not again.offline_banner.replaying, timeout=5000)

    assert not again.offline_banner.isVisible()
    assert counted(again, "GAUZE") == 2
    assert "2 kept scan(s) sent" in again.status.text()


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_scan_whose_commit_reply_was_lost_is_kept_and_counted_once(
    qtbot: QtBot,
    db: Database,
    station: Database,
    proxy: DroppingProxy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: None))
    closet = make_room(db)
    screen = open_screen(qtbot, station, closet, tmp_path)
    screen.handle_scan("GLV-M")
    proxy.drop_next_commit_reply()
    assert screen.handle_scan("GLV-M") is None  # the reply never came: kept, to be sure
    assert proxy.dropped.is_set() and "Kept on this computer" in screen.status.text()

    screen.offline_banner.retry()
    qtbot.waitUntil(lambda: not screen.offline_banner.replaying, timeout=5000)

    assert not screen.offline_banner.isVisible()
    assert counted(screen, "GLV-M") == 2
    sheet = counting.get_count_sheet(db, count_id=screen.sheet.count_id)
    assert {line.item_code: line.counted for line in sheet.lines} == {"GLV-M": 2, "GAUZE": None}


def test_a_scan_after_another_station_finished_the_count_is_set_aside_for_the_user(
    qtbot: QtBot, sqlite_db: Database, room: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: None))
    screen = open_screen(qtbot, sqlite_db, room, tmp_path)
    screen.handle_scan("GLV-M")
    counting.finish_count(sqlite_db, count_id=screen.sheet.count_id, confirm=True)  # elsewhere

    assert screen.handle_scan("GAUZE") is None

    assert "already finished" in screen.status.text() and "not counted" in screen.status.text()
    assert screen.status.property("error") is True
    [(kept, reason)] = screen._journal.refused()
    assert kept.text == "GAUZE" and kept.count_id == screen.sheet.count_id
    assert "already finished" in reason
    sheet = counting.get_count_sheet(sqlite_db, count_id=screen.sheet.count_id)
    assert {line.item_code: line.counted for line in sheet.lines} == {"GLV-M": 1, "GAUZE": None}


def test_thousands_of_kept_scans_are_sent_in_the_background_with_progress(
    qtbot: QtBot, sqlite_db: Database, room: int, tmp_path: Path
) -> None:
    journal = journal_for(sqlite_db, tmp_path)
    screen = open_screen(qtbot, sqlite_db, room, tmp_path)
    for _ in range(400):  # kept by an earlier session while the server was away
        journal.keep(
            sqlite_db,
            count_id=screen.sheet.count_id,
            location_id=room,
            text="GLV-M",
            group_separator="\x1d",
        )
    screen.stop()
    shown: list[str] = []

    again = CountScreen(sqlite_db, room, journal=journal)  # the replay starts as it opens
    qtbot.addWidget(again)
    banner = again.offline_banner
    banner.setText = lambda text: (shown.append(text), type(banner).setText(banner, text))  # type: ignore[method-assign]
    assert banner.replaying  # the screen is up and usable while the scans go
    again.handle_scan("GAUZE")  # scanned meanwhile: queued behind the kept ones
    qtbot.waitUntil(lambda: not banner.replaying and not banner.isVisible(), timeout=30000)

    assert any(text.startswith("Sending the scans kept on this computer") for text in shown)
    assert counted(again, "GLV-M") == 400 and counted(again, "GAUZE") == 1
    sheet = counting.get_count_sheet(sqlite_db, count_id=again.sheet.count_id)
    assert {line.item_code: line.counted for line in sheet.lines} == {"GLV-M": 400, "GAUZE": 1}
    assert len(journal) == 0


def test_a_count_opens_while_the_server_is_away_from_the_sheet_last_seen_here(
    qtbot: QtBot, sqlite_db: Database, room: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: None))
    first = open_screen(qtbot, sqlite_db, room, tmp_path)
    first.handle_scan("GLV-M")
    first.stop()
    first.close()

    with server_unreachable(sqlite_db):
        screen = open_screen(qtbot, sqlite_db, room, tmp_path)
        assert screen.sheet.count_id == first.sheet.count_id
        assert screen.offline_banner.isVisible() and screen.offline_banner.offline
        assert "counting from this location's sheet" in screen.status.text()
        assert counted(screen, "GLV-M") == 1 and screen.model.rowCount() == 2
        screen.handle_scan("GLV-M")
        screen.handle_scan("GAUZE")
        assert "Kept on this computer: GAUZE" in screen.status.text()
        screen.grab().save(str(tmp_path / "opened-offline.png"))

    screen.offline_banner.retry()
    qtbot.waitUntil(lambda: not screen.offline_banner.replaying, timeout=5000)
    assert not screen.offline_banner.isVisible()
    assert counted(screen, "GLV-M") == 2 and counted(screen, "GAUZE") == 1
    sheet = counting.get_count_sheet(sqlite_db, count_id=screen.sheet.count_id)
    assert {line.item_code: line.counted for line in sheet.lines} == {"GLV-M": 2, "GAUZE": 1}


def test_a_location_never_counted_here_cannot_be_opened_while_the_server_is_away(
    qtbot: QtBot, sqlite_db: Database, room: int, tmp_path: Path
) -> None:
    with server_unreachable(sqlite_db), pytest.raises(ConnectionLostError, match="no sheet"):
        CountScreen(sqlite_db, room, journal=journal_for(sqlite_db, tmp_path))


def test_opened_without_the_server_and_nothing_scanned_it_notices_the_server_back(
    qtbot: QtBot, sqlite_db: Database, room: int, tmp_path: Path
) -> None:
    first = open_screen(qtbot, sqlite_db, room, tmp_path)
    first.stop()
    with server_unreachable(sqlite_db):
        screen = open_screen(qtbot, sqlite_db, room, tmp_path)
    counting.record_scan(sqlite_db, count_id=first.sheet.count_id, text="GAUZE")  # elsewhere
    screen.offline_banner.retry()
    qtbot.waitUntil(lambda: not screen.offline_banner.offline, timeout=5000)
    assert not screen.offline_banner.isVisible()
    assert counted(screen, "GAUZE") == 1
    assert "The server is back" in screen.status.text()


def test_scans_set_aside_after_a_finish_are_counted_in_the_next_count_when_the_user_says(
    qtbot: QtBot, sqlite_db: Database, room: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: None))
    screen = open_screen(qtbot, sqlite_db, room, tmp_path)
    assert not screen.set_aside_button.isVisible()
    counting.finish_count(sqlite_db, count_id=screen.sheet.count_id, confirm=True)  # elsewhere
    screen.handle_scan("GAUZE")
    screen.handle_scan("GAUZE")
    screen.stop()
    screen.close()

    again = open_screen(qtbot, sqlite_db, room, tmp_path)  # the location opened again
    assert again.sheet.count_id != screen.sheet.count_id
    assert again.set_aside_button.isVisible()
    assert again.set_aside_button.text() == "Count 2 set-aside scan(s) here…"
    assert "2 scan(s) of this location were set aside" in again.status.text()
    again.grab().save(str(tmp_path / "set-aside.png"))

    again.set_aside_button.click()
    qtbot.waitUntil(lambda: not again.offline_banner.replaying, timeout=5000)

    assert not again.set_aside_button.isVisible()
    assert counted(again, "GAUZE") == 2
    sheet = counting.get_count_sheet(sqlite_db, count_id=again.sheet.count_id)
    assert {line.item_code: line.counted for line in sheet.lines} == {"GLV-M": None, "GAUZE": 2}
    assert again._journal.refused() == [] and len(again._journal) == 0
    again.count_set_aside_here()  # nothing left: counted once, not twice
    assert counting.get_count_sheet(sqlite_db, count_id=again.sheet.count_id).lines[1].counted == 2
