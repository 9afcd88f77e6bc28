"""The scanner settings dialog driven with key events, and the count screen using its settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.ui.counting.scanner_settings import (
    SETTING_GROUP_SEPARATOR,
    SETTING_MAX_INTERVAL,
    SETTING_SCAN_MODE,
    SETTING_SOUND,
    ScanMode,
    ScannerSettings,
)
from parstudio.ui.counting.scanner_settings_dialog import ScannerSettingsDialog, save_dialog
from parstudio.ui.counting.screen import CountScreen
from tests.ui.scanning import GS, Clock, scan, type_keys

SYRINGE_GTIN = "09501101530003"


@pytest.fixture
def room(sqlite_db: Database) -> int:
    """A room with syringes (by GTIN) and gloves."""
    location = locations.create_location(sqlite_db, fields={"code": "CT1", "name": "CT room 1"})
    syringe = items.create_item(
        sqlite_db,
        fields={"code": "SYR-10", "description": "Syringe 10 mL", "barcodes": SYRINGE_GTIN},
    )
    gloves = items.create_item(sqlite_db, fields={"code": "GLV-M", "description": "Gloves M"})
    for item in (syringe, gloves):
        par_settings.create_par_setting(
            sqlite_db, location_id=location.id, item_id=item.id, fields={"par_level": "20"}
        )
    return location.id


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "scanner.ini"), QSettings.Format.IniFormat)


def open_dialog(
    qtbot: QtBot, sqlite_db: Database, room: int, clock: Clock
) -> ScannerSettingsDialog:
    dialog = ScannerSettingsDialog(
        ScannerSettings(),
        location=locations.get_location(sqlite_db, location_id=room),
        clock=clock,
        today=date(2026, 11, 23),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_live_scan_shows_gtin_lot_expiry_and_serial(
    qtbot: QtBot, sqlite_db: Database, room: int
) -> None:
    clock = Clock()
    dialog = open_dialog(qtbot, sqlite_db, room, clock)
    dialog.test_input.setFocus()
    scan(dialog.test_input, clock, f"]d201{SYRINGE_GTIN}17280131{'10'}LOT42{GS}21SER9")

    values = {key: label.text() for key, label in dialog.results.items()}
    assert values["kind"] == "GS1"
    assert values["gtin"] == SYRINGE_GTIN
    assert (values["lot"], values["expiry"], values["serial"]) == ("LOT42", "31 Jan 2028", "SER9")
    assert values["error"] == "none"
    assert dialog.result_how.text().startswith("Read as a scan")
    assert dialog.isVisible()  # the scan's Enter pressed no button


def test_typing_by_hand_is_not_taken_for_a_scan(
    qtbot: QtBot, sqlite_db: Database, room: int
) -> None:
    clock = Clock()
    dialog = open_dialog(qtbot, sqlite_db, room, clock)
    dialog.test_input.setFocus()
    type_keys(dialog.test_input, clock, "GLV-M\r", gap_ms=200)
    assert "typed by hand" in dialog.result_how.text()
    assert dialog.results["gtin"].text() == "–"
    assert dialog.isVisible()


def test_settings_typed_into_the_dialog_are_saved_and_decode_the_substitute(
    qtbot: QtBot, sqlite_db: Database, room: int, settings: QSettings
) -> None:
    clock = Clock()
    dialog = open_dialog(qtbot, sqlite_db, room, clock)
    dialog.interval.setFocus()
    dialog.interval.selectAll()
    type_keys(dialog.interval, clock, "60", gap_ms=200)
    QTest.keyClick(dialog.interval, Qt.Key.Key_Tab)  # leaves the box: held keys reach it
    assert dialog.interval.value() == 60
    dialog.separator.setFocus()
    type_keys(dialog.separator, clock, "~", gap_ms=200)
    QTest.keyClick(dialog.separator, Qt.Key.Key_Tab)
    dialog.mode.setFocus()
    QTest.keyClick(dialog.mode, Qt.Key.Key_Down)
    QTest.keyClick(dialog.mode, Qt.Key.Key_Down)
    assert dialog.adds_one is not None and dialog.blind is not None
    for box in (dialog.sound, dialog.blind):
        box.setFocus()
        type_keys(box, clock, " ", gap_ms=200)
    clock.now += 200

    # A slow (50 ms a key) scanner with "~" for GS is now read as a scan.
    type_keys(dialog.test_input, clock, f"01{SYRINGE_GTIN}10B7~17280131\r", gap_ms=50)
    assert (dialog.results["lot"].text(), dialog.results["expiry"].text()) == ("B7", "31 Jan 2028")

    dialog.accept()
    chosen = save_dialog(sqlite_db, dialog, settings)
    assert chosen == ScannerSettings(60.0, "~", ScanMode.ASK_QUANTITY, sound=False)
    again = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    assert float(again.value(SETTING_MAX_INTERVAL)) == 60
    assert again.value(SETTING_GROUP_SEPARATOR) == "~"
    assert again.value(SETTING_SCAN_MODE) == "ask_quantity"
    assert ScannerSettings.load(again) == chosen
    assert str(again.value(SETTING_SOUND)).lower() == "false"
    assert locations.get_location(sqlite_db, location_id=room).blind_count


def test_the_workstation_override_sends_a_scan_to_the_quantity_box_and_mutes_beeps(
    qtbot: QtBot,
    sqlite_db: Database,
    room: int,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ScannerSettings(scan_mode=ScanMode.ASK_QUANTITY, sound=False).save(settings)
    beeps: list[bool] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(True)))
    clock = Clock()
    screen = CountScreen(sqlite_db, room, settings=settings, clock=clock)
    qtbot.addWidget(screen)
    screen.show()
    assert "a scan asks for the quantity" in screen.subtitle.text()

    scan(screen.table, clock, "GLV-M")
    assert "type the quantity on the shelf" in screen.status.text()
    line = screen.current_line()
    assert line is not None and line.item_code == "GLV-M"
    type_keys(screen.quantity, clock, "7\r", gap_ms=200)
    line = next(line for line in screen.model.lines() if line.item_code == "GLV-M")
    assert line.counted == 7

    scan(screen.table, clock, "NO-SUCH-CODE")
    assert "Unknown barcode" in screen.status.text() and beeps == []

    screen.apply_settings(ScannerSettings(scan_mode=ScanMode.ADD_ONE))
    scan(screen.table, clock, "GLV-M")
    assert next(ln for ln in screen.model.lines() if ln.item_code == "GLV-M").counted == 8
    scan(screen.table, clock, "NO-SUCH-CODE")
    assert beeps == [True]


def test_a_scan_without_enter_is_shown_as_broken_in_the_tester(
    qtbot: QtBot, sqlite_db: Database, room: int
) -> None:
    from tests.ui.counting.wedge import Wedge

    dialog = open_dialog(qtbot, sqlite_db, room, Clock())
    dialog.test_input.setFocus()
    wedge = Wedge()
    for char in "GLV-M":  # a scanner set to send no Enter
        wedge.key(dialog.test_input, char)

    qtbot.waitUntil(lambda: "not as one scan" in dialog.result_how.text(), timeout=3000)
    assert "(“GLV-M”)" in dialog.result_how.text()
    assert dialog.test_input.text() == "GLV-M"
