"""Scans typed as a real keyboard-wedge scanner types them: Shift and Ctrl pressed as keys of
their own, and every key event carrying its own timestamp."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from parstudio.domain.barcodes import hibc_check_character
from parstudio.services.catalog import items, par_settings
from parstudio.services.core.database import Database
from parstudio.services.counting import scans as counting
from parstudio.ui.counting.station import SETTING_GROUP_SEPARATOR, CountWindow
from tests.ui.counting.test_count_window import (  # noqa: F401 - fixtures
    SYRINGE_GTIN,
    Clock,
    clock,
    counted,
    db_counted,
    settings,
    station,
)
from tests.ui.counting.wedge import GS, Wedge

HIBC_DATA = "+A123BJC5D6E71"
HIBC = HIBC_DATA + hibc_check_character(HIBC_DATA)
HIBC_WITH_LOT = f"{HIBC_DATA}/$$3301231LOT7X"
HIBC_WITH_LOT += hibc_check_character(HIBC_WITH_LOT)
# One label in 43 has a space for its check character: the scanner types it before Enter.
HIBC_SPACE_CHECK = f"{HIBC_DATA}/$$3301231SP19"
assert hibc_check_character(HIBC_SPACE_CHECK) == " "
HIBC_SPACE_CHECK += " "


@pytest.fixture
def screen(
    qtbot: QtBot,
    sqlite_db: Database,
    station: dict[str, int],  # noqa: F811
    settings: QSettings,  # noqa: F811
    clock: Clock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[CountWindow]:
    saline = items.create_item(
        sqlite_db, fields={"code": "NS0.9%-1L", "description": "Saline 0.9 % 1 L"}
    )
    par_settings.create_par_setting(
        sqlite_db, location_id=station["ct"], item_id=saline.id, fields={"par_level": "8"}
    )
    catheter = items.create_item(
        sqlite_db,
        fields={"code": "CATH-7", "description": "Catheter 7F", "barcodes": "A123BJC5D6E71"},
    )
    par_settings.create_par_setting(
        sqlite_db, location_id=station["ct"], item_id=catheter.id, fields={"par_level": "5"}
    )
    settings.setValue(SETTING_GROUP_SEPARATOR, "~")
    beeps: list[bool] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(True)))
    shown = CountWindow(sqlite_db, station["ct"], settings=settings, clock=clock)
    shown.beeps = beeps  # type: ignore[attr-defined]
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.close()


def count_lot(db: Database, count_id: int, item_code: str) -> object:
    sheet = counting.get_count_sheet(db, count_id=count_id)
    return next(line.lot for line in sheet.lines if line.item_code == item_code)


@pytest.mark.parametrize(
    ("barcode", "item_code", "lot"),
    [
        (HIBC, "CATH-7", None),
        (HIBC_WITH_LOT, "CATH-7", "LOT7X"),
        (HIBC_SPACE_CHECK, "CATH-7", "SP19"),
        (f"01{SYRINGE_GTIN}17301231" + "10AB12345", "SYR-10", "AB12345"),
        (f"(01){SYRINGE_GTIN}(10)55501", "SYR-10", "55501"),
        ("GLV-M", "GLV-M", None),
        ("NS0.9%-1L", "NS0.9%-1L", None),
        (f"01{SYRINGE_GTIN}10L8{GS}17301231", "SYR-10", "L8"),
        (f"01{SYRINGE_GTIN}10L9~17301231", "SYR-10", "L9"),
    ],
    ids=[
        "hibc",
        "hibc-secondary",
        "hibc-space-check",
        "gs1-lot-letters",
        "gs1-brackets",
        "own-label",
        "own-label-.%",
        "ctrl-]",
        "~",
    ],
)
def test_barcodes_typed_with_shift_and_ctrl_are_read_whole(
    screen: CountWindow, sqlite_db: Database, barcode: str, item_code: str, lot: str | None
) -> None:
    Wedge().scan(screen.table, barcode)

    assert db_counted(sqlite_db, screen.sheet.count_id, item_code) == 1
    assert count_lot(sqlite_db, screen.sheet.count_id, item_code) == lot
    assert counting.list_unmatched_scans(sqlite_db, count_id=screen.sheet.count_id) == []
    assert screen.quantity.text() == ""
    assert screen.beeps == []  # type: ignore[attr-defined]


def test_caps_lock_and_a_lone_shift_inside_a_scan_do_not_end_it(
    screen: CountWindow, sqlite_db: Database
) -> None:
    wedge = Wedge()
    for char in "GLV":
        wedge.key(screen.table, char)
    wedge.tap(screen.table, Qt.Key.Key_CapsLock)
    wedge.modifier(screen.table, Qt.Key.Key_Shift, Qt.KeyboardModifier.ShiftModifier, True)
    wedge.modifier(screen.table, Qt.Key.Key_Shift, Qt.KeyboardModifier.ShiftModifier, False)
    for char in "-M\r":
        wedge.key(screen.table, char)

    assert db_counted(sqlite_db, screen.sheet.count_id, "GLV-M") == 1


def test_keys_are_timed_by_their_timestamps_not_when_a_busy_screen_gets_them(
    screen: CountWindow,
    sqlite_db: Database,
    clock: Clock,  # noqa: F811
) -> None:
    wedge = Wedge(gap_ms=4)
    for char in HIBC + "\r":
        clock.now += 120.0  # the user-interface thread was busy: each key handled late
        wedge.key(screen.quantity, char)

    assert db_counted(sqlite_db, screen.sheet.count_id, "CATH-7") == 1
    assert screen.quantity.text() == ""


def test_a_scan_that_stalls_part_way_is_still_read_whole(
    screen: CountWindow, sqlite_db: Database
) -> None:
    wedge = Wedge(gap_ms=4)
    for char in "GLV-":
        wedge.key(screen.table, char)
    wedge.pause(150)  # a wireless scanner held the rest back
    for char in "M\r":
        wedge.key(screen.table, char)

    assert db_counted(sqlite_db, screen.sheet.count_id, "GLV-M") == 1
    assert screen.beeps == []  # type: ignore[attr-defined]
    assert screen.quantity.text() == ""


def test_a_scan_in_pieces_beeps_says_so_and_counts_nothing(
    screen: CountWindow, sqlite_db: Database
) -> None:
    wedge = Wedge(gap_ms=4)
    for piece in ("GLV-", "M", "\r"):  # stalled twice in five keys: not one scan
        for char in piece:
            wedge.key(screen.table, char)
        wedge.pause(120)

    assert db_counted(sqlite_db, screen.sheet.count_id, "GLV-M") is None
    assert counting.list_unmatched_scans(sqlite_db, count_id=screen.sheet.count_id) == []
    assert "came in pieces (“GLV-” … “M”)" in screen.status.text()
    assert "NOT counted" in screen.status.text()
    assert screen.beeps == [True]  # type: ignore[attr-defined]
    assert screen.quantity.text() == ""


def test_a_burst_without_enter_is_reported_when_the_wait_is_over(
    qtbot: QtBot, screen: CountWindow, sqlite_db: Database
) -> None:
    wedge = Wedge(gap_ms=4)
    for char in "GLV-M":
        wedge.key(screen.table, char)

    qtbot.waitUntil(lambda: "came in pieces" in screen.status.text(), timeout=2000)
    assert screen.quantity.text() == ""
    assert db_counted(sqlite_db, screen.sheet.count_id, "GLV-M") is None


def test_digits_typed_on_the_table_go_to_the_quantity_box_and_arrows_move_the_line(
    qtbot: QtBot,
    screen: CountWindow,
    sqlite_db: Database,
    clock: Clock,  # noqa: F811
) -> None:
    screen.table.setFocus()
    screen.table.selectRow(0)
    for char in "12":
        clock.now += 200.0
        QTest.keyClick(screen.table, char)
    qtbot.waitUntil(lambda: screen.quantity.text() == "12", timeout=2000)
    assert screen.quantity.hasFocus()

    QTest.keyClick(screen.quantity, Qt.Key.Key_Down)
    assert screen.current_line() == screen.model.line_at(1)
    QTest.keyClick(screen.quantity, Qt.Key.Key_Up)
    assert screen.current_line() == screen.model.line_at(0)

    clock.now += 200.0
    QTest.keyClick(screen.quantity, Qt.Key.Key_Return)
    first = screen.model.line_at(0)
    assert first is not None
    assert db_counted(sqlite_db, screen.sheet.count_id, first.item_code) == 12


def test_tab_goes_from_the_table_to_the_quantity_box(screen: CountWindow) -> None:
    screen.table.setFocus()
    QTest.keyClick(screen.table, Qt.Key.Key_Tab)
    assert screen.quantity.hasFocus()


def test_the_group_separator_is_shown_as_gs_in_the_unmatched_list(
    screen: CountWindow, sqlite_db: Database
) -> None:
    Wedge().scan(screen.table, f"UNKNOWN{GS}17271231")

    assert screen.unmatched.item(0).text() == "UNKNOWN<GS>17271231"
