"""The count window driven through its real widgets with key events at scanner and human speed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from parstudio.domain.counting import CountReview
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.services.counting import scans as counting
from parstudio.ui.counting.station import (
    SETTING_GROUP_SEPARATOR,
    SETTING_MAX_INTERVAL,
    CountSheetModel,
    CountWindow,
)
from tests.ui.scanning import GS, Clock, type_keys

SYRINGE_GTIN = "09501101530003"


@pytest.fixture
def station(sqlite_db: Database) -> dict[str, int]:
    """A supply closet with syringes (GTIN), gloves and a two-bin item."""
    room = locations.create_location(sqlite_db, fields={"code": "CT1", "name": "CT room 1"})
    syringe = items.create_item(
        sqlite_db,
        fields={"code": "SYR-10", "description": "Syringe 10 mL", "barcodes": SYRINGE_GTIN},
    )
    gloves = items.create_item(sqlite_db, fields={"code": "GLV-M", "description": "Gloves M"})
    ids = {"ct": room.id, "syringe": syringe.id, "gloves": gloves.id}
    for key, bin_code, level in (("syringe", "A-01", "20"), ("gloves", "A-02", "40")):
        par_settings.create_par_setting(
            sqlite_db,
            location_id=room.id,
            item_id=ids[key],
            fields={"bin": bin_code, "par_level": level},
        )
    return ids


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def window(
    qtbot: QtBot, sqlite_db: Database, station: dict[str, int], settings: QSettings, clock: Clock
) -> Iterator[CountWindow]:
    shown = CountWindow(sqlite_db, station["ct"], settings=settings, clock=clock)
    qtbot.addWidget(shown)
    shown.resize(1366, 800)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.close()


def counted(window: CountWindow, item_code: str) -> object:
    line = next(line for line in window.model.lines() if line.item_code == item_code)
    return line.counted


def db_counted(db: Database, count_id: int, item_code: str) -> object:
    sheet = counting.get_count_sheet(db, count_id=count_id)
    return next(line.counted for line in sheet.lines if line.item_code == item_code)


def test_scanner_speed_gs1_scan_counts_wherever_the_focus_is(
    window: CountWindow, sqlite_db: Database, clock: Clock
) -> None:
    changed: list[tuple[int, int]] = []
    resets: list[bool] = []
    window.model.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row())))
    window.model.modelReset.connect(lambda: resets.append(True))
    scan = f"]d201{SYRINGE_GTIN}10LOT42{GS}17280131\r"

    type_keys(window.quantity, clock, scan, gap_ms=4)
    type_keys(window.table, clock, scan, gap_ms=4)

    assert counted(window, "SYR-10") == 2
    assert db_counted(sqlite_db, window.sheet.count_id, "SYR-10") == 2
    assert window.quantity.text() == ""  # nothing of the scan leaked into the box
    assert changed == [(0, 0), (0, 0)] and resets == []  # only the scanned row repainted
    assert window.tally_label.text() == "Counted 1 / 2"
    assert "SYR-10 Syringe 10 mL: 2 EA" in window.status.text()
    line = window.model.line_at(0)
    assert line is not None and line.lot == "LOT42"
    assert "LOT42 · exp 31 Jan 28" in window.model.index(0, CountSheetModel.COL_LOT).data()


def test_human_typing_goes_into_the_quantity_box_and_is_not_a_scan(
    qtbot: QtBot, window: CountWindow, sqlite_db: Database, clock: Clock
) -> None:
    window.table.selectRow(1)  # gloves
    window.quantity.setFocus()
    type_keys(window.quantity, clock, "GLV-M", gap_ms=150)
    clock.now += 150
    # The flush timer releases the last held key (later than its 50 ms on a busy machine).
    qtbot.waitUntil(lambda: window.quantity.text() == "GLV-M", timeout=2000)
    assert counted(window, "GLV-M") is None

    window.quantity.clear()
    type_keys(window.quantity, clock, "12\r", gap_ms=150)
    assert counted(window, "GLV-M") == 12
    assert db_counted(sqlite_db, window.sheet.count_id, "GLV-M") == 12
    assert window.quantity.text() == ""
    assert "(typed)" in window.status.text()


def test_a_negative_typed_quantity_is_refused_in_the_status_strip(
    window: CountWindow, clock: Clock
) -> None:
    window.table.selectRow(1)
    type_keys(window.quantity, clock, "-3\r", gap_ms=150)
    assert "at least 0" in window.status.text() and window.status.property("error") is True
    assert counted(window, "GLV-M") is None


def test_unknown_barcode_shows_the_message_beeps_and_is_listed_for_linking(
    window: CountWindow,
    sqlite_db: Database,
    station: dict[str, int],
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    beeps: list[bool] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(True)))
    type_keys(window.table, clock, "NEW-ITEM-77\r", gap_ms=3)

    assert "Unknown barcode NEW-ITEM-77" in window.status.text()
    assert window.status.property("error") is True and beeps == [True]
    assert window.unmatched.count() == 1
    scan_id, code = window.unmatched.item(0).data(Qt.ItemDataRole.UserRole)
    assert code == "NEW-ITEM-77"

    window.unmatched.setCurrentRow(0)
    assert window.link_button.isEnabled()
    window.link_unmatched(scan_id, code, station["gloves"])
    assert window.unmatched.count() == 0 and counted(window, "GLV-M") == 1
    type_keys(window.table, clock, "NEW-ITEM-77\r", gap_ms=3)
    assert counted(window, "GLV-M") == 2


def test_ctrl_z_undoes_the_last_scan(
    window: CountWindow, sqlite_db: Database, clock: Clock
) -> None:
    for _ in range(3):
        type_keys(window.table, clock, "GLV-M\r", gap_ms=5)
    assert counted(window, "GLV-M") == 3
    QTest.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert counted(window, "GLV-M") == 2
    window.quantity.setFocus()
    QTest.keyClick(window.quantity, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert counted(window, "GLV-M") == 1
    assert db_counted(sqlite_db, window.sheet.count_id, "GLV-M") == 1
    assert window.status.text().startswith("Undone: GLV-M")


def test_group_separator_substitute_and_speed_come_from_settings(
    qtbot: QtBot, sqlite_db: Database, station: dict[str, int], settings: QSettings, clock: Clock
) -> None:
    settings.setValue(SETTING_MAX_INTERVAL, 60)
    settings.setValue(SETTING_GROUP_SEPARATOR, "~")
    window = CountWindow(sqlite_db, station["ct"], settings=settings, clock=clock)
    qtbot.addWidget(window)
    type_keys(window.table, clock, f"01{SYRINGE_GTIN}10B7~17280131\r", gap_ms=50)
    line = window.model.line_at(0)
    assert line is not None and (line.counted, line.lot) == (1, "B7")


def test_reopening_the_window_resumes_the_count(
    qtbot: QtBot,
    window: CountWindow,
    sqlite_db: Database,
    station: dict[str, int],
    settings: QSettings,
    clock: Clock,
) -> None:
    type_keys(window.table, clock, "GLV-M\r", gap_ms=5)
    window.close()
    again = CountWindow(sqlite_db, station["ct"], settings=settings, clock=clock)
    qtbot.addWidget(again)
    assert again.sheet.count_id == window.sheet.count_id
    assert counted(again, "GLV-M") == 1
    assert again.status.text().startswith("Count resumed")


def test_blind_count_hides_expected(
    qtbot: QtBot, sqlite_db: Database, station: dict[str, int], settings: QSettings
) -> None:
    locations.update_location(sqlite_db, location_id=station["ct"], changes={"blind_count": "yes"})
    window = CountWindow(sqlite_db, station["ct"], settings=settings)
    qtbot.addWidget(window)
    assert window.table.isColumnHidden(CountSheetModel.COL_EXPECTED)
    assert any("blind count" in label.text() for label in window.findChildren(QLabel))


def test_finish_shows_the_review_closes_the_count_and_offers_the_proposal(
    qtbot: QtBot,
    window: CountWindow,
    sqlite_db: Database,
    station: dict[str, int],
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    type_keys(window.table, clock, "GLV-M\r", gap_ms=5)
    reviews: list[CountReview] = []
    monkeypatch.setattr(window, "confirm_finish", lambda review: reviews.append(review) or True)
    monkeypatch.setattr(window, "offer_proposal", lambda: True)
    with qtbot.waitSignal(window.proposal_requested) as signal:
        window.finish_button.click()
    assert signal.args == [station["ct"]]
    assert [line.item_code for line in reviews[0].uncounted] == ["SYR-10"]
    assert [v.line.item_code for v in reviews[0].variances] == ["GLV-M"]  # 1 of 40
    assert counting.finish_count(sqlite_db, count_id=window.sheet.count_id).finished
    assert not window.quantity.isEnabled()
    type_keys(window.table, clock, "GLV-M\r", gap_ms=5)
    assert counted(window, "GLV-M") == 1 and window.status.property("error") is True


def test_keep_counting_leaves_the_count_open(
    window: CountWindow, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window, "confirm_finish", lambda review: False)
    window.finish_button.click()
    assert "stays open" in window.status.text()
    type_keys(window.table, clock, "GLV-M\r", gap_ms=5)
    assert counted(window, "GLV-M") == 1


def test_table_model_passes_the_model_tester(qtmodeltester: object, window: CountWindow) -> None:
    qtmodeltester.check(window.model)  # type: ignore[attr-defined]
    assert window.model.rowCount() == 2
    assert (
        window.model.headerData(CountSheetModel.COL_COUNTED, Qt.Orientation.Horizontal) == "Counted"
    )


def test_scans_are_caught_when_the_window_is_embedded_in_another(
    qtbot: QtBot, sqlite_db: Database, station: dict[str, int], settings: QSettings, clock: Clock
) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    embedded = CountWindow(sqlite_db, station["ct"], settings=settings, clock=clock, parent=host)
    elsewhere = QLineEdit(host)
    host.show()
    type_keys(embedded.quantity, clock, "GLV-M\r", gap_ms=5)
    type_keys(elsewhere, clock, "GLV-M\r", gap_ms=5)  # outside the count window: not a scan
    assert counted(embedded, "GLV-M") == 1
    assert elsewhere.text() == "GLV-M"
