"""The issue's "done when": count the demo CT room with scans only (GS1 with lot and expiry
included), kill the app halfway, reopen, finish, and get the proposal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from parstudio.demo import department as demo
from parstudio.domain.counting import CountSheetLine
from parstudio.services.catalog import items, locations
from parstudio.services.core.database import Database, open_database
from parstudio.services.counting import scans as counting
from parstudio.ui.counting.page import CountPage
from parstudio.ui.counting.station import open_count_station
from parstudio.ui.shell.app import open_main_window
from tests.ui.scanning import GS, Clock, scan

EXPIRY = date.today() + timedelta(days=400)


def label_of(line: CountSheetLine, barcodes: tuple[str, ...], unit: int) -> str:
    """What the clerk scans for one unit: mostly the GS1 DataMatrix, sometimes HIBC or UPC."""
    gtin = next(code for code in barcodes if len(code) == 14 and code.isdigit())
    others = [code for code in barcodes if code != gtin]
    if others and unit == 1:
        return others[0]  # the second unit of such a line by its HIBC or UPC label
    return f"]d201{gtin}17{EXPIRY:%y%m%d}10L{line.item_id}{GS}21S{line.item_id}-{unit}"


def scan_lines(
    screen: Any, clock: Clock, lines: list[CountSheetLine], barcodes: dict[int, tuple[str, ...]]
) -> None:
    for line in lines:
        for unit in range(units_of(line)):
            scan(screen.table, clock, label_of(line, barcodes[line.item_id], unit))
            assert not screen.status.property("error"), screen.status.text()


def units_of(line: CountSheetLine) -> int:
    return line.setting_id % 3 + 1


def test_count_the_demo_ct_room_kill_it_halfway_reopen_finish_and_propose(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.build_demo(sqlite_db)
    ct = locations.find_location(sqlite_db, code="CT1")
    assert ct is not None
    barcodes = {item.id: item.barcodes for item in items.list_items(sqlite_db)}
    clock = Clock()

    # First half at a scanning station (`parstudio count --location CT1`).
    # Not given to qtbot: the test deletes it itself when it "kills" the station.
    station = open_count_station(sqlite_db, ct.id)
    station.catcher._clock = clock
    station.show()
    to_count = [line for line in station.model.lines() if line.to_count]
    assert len(to_count) > 40
    half = len(to_count) // 2
    scan_lines(station, clock, to_count[:half], barcodes)
    assert station.tally_label.text() == f"Counted {half} / {len(to_count)}"
    count_id = station.sheet.count_id

    # Killed: the window and the database connection dropped, nothing finished or saved.
    station.stop()
    station.close()  # not deleteLater(): qtbot closes it at teardown, and waitUntil below
    # runs an event loop that would delete it first
    url = sqlite_db.url
    sqlite_db.close()

    # Reopened in the app: the Count page shows the open count and resumes it.
    db = open_database(url, user_name="tester")
    window = open_main_window(db)
    qtbot.addWidget(window)
    window.show()
    window.show_page("Count")
    page: CountPage = window.page("Count")
    page.select_location(ct.id)
    screen = page.count_selected()
    assert screen is not None and screen.sheet.count_id == count_id
    assert screen.status.text().startswith("Count resumed")
    assert screen.tally_label.text() == f"Counted {half} / {len(to_count)}"
    screen.catcher._clock = clock
    scan_lines(screen, clock, to_count[half:], barcodes)

    reviews: list[Any] = []
    monkeypatch.setattr(screen, "confirm_finish", lambda review: reviews.append(review) or True)
    monkeypatch.setattr(screen, "offer_proposal", lambda: True)
    screen.finish_button.click()
    assert reviews[0].uncounted == ()

    sheet = counting.get_count_sheet(db, count_id=count_id)
    by_setting = {line.setting_id: line for line in sheet.lines}
    for line in to_count:
        recorded = by_setting[line.setting_id]
        assert recorded.counted == units_of(line), line.item_code
        if label_of(line, barcodes[line.item_id], units_of(line) - 1).startswith("]d2"):
            assert (recorded.lot, recorded.expiry) == (f"L{line.item_id}", EXPIRY)

    proposal: Any = window.page("Proposal")
    assert window.current_page() is proposal
    assert proposal.checked_location_ids() == [ct.id]
    qtbot.waitUntil(lambda: not proposal.busy, timeout=30_000)  # proposed off the UI thread
    ordered = proposal.lines_model.rows()
    assert ordered and {line.location_code for line in ordered} == {"CT1"}
    on_hand = {line.item_code for line in to_count}
    assert not [line for line in proposal.proposal.missing_count if line.item_code in on_hand]
    db.close()
