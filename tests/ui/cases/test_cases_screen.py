"""The Cases screen driven as a clerk drives it: a real scanner's key events, the keyboard only.

Scans are typed by the counting tests' wedge (Shift and Ctrl pressed as keys of their own,
every key with its own timestamp); what they did is read back from the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from parstudio.domain.barcodes import hibc_check_character
from parstudio.domain.cases import DEFAULT_CASE_PATTERN, MASK
from parstudio.domain.roles import Role
from parstudio.models import Item
from parstudio.services import cases
from parstudio.services.catalog import items, locations
from parstudio.services.core.database import Database
from parstudio.services.counting.links import add_recall
from parstudio.ui.cases.pattern_dialog import CasePatternDialog
from parstudio.ui.cases.screen import CaseScreen
from parstudio.ui.counting.station import SETTING_GROUP_SEPARATOR
from parstudio.ui.shell.main_window import MainWindow
from tests.ui.counting.wedge import GS, Wedge
from tests.ui.scanning import Clock, type_keys
from tests.ui.tour import layout_problems

CONTRAST_GTIN = "00614141999996"
STENT = "+A123BJC5D6E71"


def stent(serial: str) -> str:
    data = f"{STENT}/$$+3281231{serial}"
    return data + hibc_check_character(data)


def contrast(lot: str, separator: str = GS) -> str:
    return f"01{CONTRAST_GTIN}10{lot}{separator}17281231"


@pytest.fixture
def lab(sqlite_db: Database) -> dict[str, int]:
    room = locations.create_location(sqlite_db, fields={"code": "IR1", "name": "IR suite"})
    items.create_item(
        sqlite_db,
        fields={
            "code": "CONTRAST-100",
            "description": "Iodinated contrast 100 mL",
            "barcodes": CONTRAST_GTIN,
            "billable": True,
            "charge_code": "Q9967",
            "charge_price": "45",
        },
    )
    items.create_item(
        sqlite_db,
        fields={
            "code": "STENT-3x18",
            "description": "Stent 3.0 x 18 mm",
            "barcodes": "A123BJC5D6E71",
            "billable": True,
            "serial_tracked": True,
        },
    )
    items.create_item(
        sqlite_db, fields={"code": "GAUZE", "description": "Gauze", "barcodes": "GZ-4488"}
    )
    return {"room": room.id}


@pytest.fixture
def beeps(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    heard: list[bool] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: heard.append(True)))
    return heard


@pytest.fixture
def screen(
    qtbot: QtBot, sqlite_db: Database, lab: dict[str, int], tmp_path: Path, beeps: list[bool]
) -> Iterator[CaseScreen]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(SETTING_GROUP_SEPARATOR, "~")
    shown = CaseScreen(sqlite_db, lab["room"], "IR suite (IR1)", settings=settings, clock=Clock())
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.stop()


def lines_of(db: Database, identifier: str) -> list[tuple[str, str | None, str | None, int]]:
    case = cases.find_case(db, identifier=identifier)
    assert case is not None
    return [
        (line.item_code, line.lot, line.serial, int(line.quantity))
        for line in cases.list_use_lines(db, case_id=case.id, include_voided=False)
    ]


def is_red(screen: CaseScreen) -> bool:
    return bool(screen.status.property("error"))


def test_a_scanner_opens_the_case_and_records_gs1_and_hibc_items(
    screen: CaseScreen, sqlite_db: Database, beeps: list[bool]
) -> None:
    wedge = Wedge()
    wedge.scan(screen.lines, "V0012345")
    assert screen.case is not None and screen.case.identifier == "V0012345"
    assert "V0012345" in screen.case_label.text() and not is_red(screen)
    wedge.scan(screen.lines, contrast("LOT7X"))  # Ctrl+] for the group separator
    wedge.scan(screen.lines, contrast("LOT8Y", "~"))  # the workstation's substitute
    wedge.scan(screen.lines, stent("SN9001"))  # "+", "$" and "/" typed with Shift
    assert lines_of(sqlite_db, "V0012345") == [
        ("CONTRAST-100", "LOT7X", None, 1),
        ("CONTRAST-100", "LOT8Y", None, 1),
        ("STENT-3x18", None, "SN9001", 1),
    ]
    assert screen.lines_model.rowCount() == 3 and beeps == []
    assert screen.lines_model.index(2, 3).data() == "SN9001"
    assert screen.lines_model.index(0, 6).data() == "Yes"
    assert screen.lines_model.index(0, 7).data() == "Q9967"
    assert screen.case_model.rowCount() == 1


def test_each_refusal_beeps_turns_red_and_records_nothing(
    screen: CaseScreen, sqlite_db: Database, beeps: list[bool]
) -> None:
    wedge = Wedge()
    wedge.scan(screen.lines, contrast("LOT7X"))
    assert is_red(screen) and "scan the case label first" in screen.status.text()
    assert len(beeps) == 1 and cases.list_cases(sqlite_db) == []

    wedge.scan(screen.lines, "V0012345")
    assert not is_red(screen)
    for barcode, said in (
        ("NO-SUCH-1", "Unknown barcode NO-SUCH-1"),
        (STENT + hibc_check_character(STENT), "scan the label that carries its serial"),
    ):
        wedge.scan(screen.lines, barcode)
        assert is_red(screen) and said in screen.status.text()
    assert len(beeps) == 3 and lines_of(sqlite_db, "V0012345") == []

    wedge.scan(screen.lines, stent("SN1"))
    wedge.scan(screen.lines, "V0099999")  # the next patient's case
    assert screen.case is not None and screen.case.identifier == "V0099999"
    wedge.scan(screen.lines, stent("SN1"))
    assert is_red(screen) and "already used on case V0012345" in screen.status.text()
    assert len(beeps) == 4 and lines_of(sqlite_db, "V0099999") == []
    assert screen.lines_model.rowCount() == 0


def test_keyboard_only_quantity_case_details_undo_and_void(
    qtbot: QtBot, screen: CaseScreen, sqlite_db: Database
) -> None:
    clock = screen.catcher._clock  # the screen's own clock: typed keys are timed by it
    assert isinstance(clock, Clock)
    screen.open_box.setFocus()
    type_keys(screen.open_box, clock, "ENC-2026001\r", gap_ms=150)
    assert screen.case is not None and screen.case.identifier == "ENC-2026001"
    screen.procedure.setFocus()
    type_keys(screen.procedure, clock, "Biliary drain", gap_ms=150)
    QTest.keyClick(screen.procedure, Qt.Key.Key_Tab)
    assert screen.physician.hasFocus()
    type_keys(screen.physician, clock, "Dr Ama\r", gap_ms=150)
    saved = cases.find_case(sqlite_db, identifier="ENC-2026001")
    assert saved is not None and (saved.procedure, saved.physician) == ("Biliary drain", "Dr Ama")

    screen.lines.setFocus()
    type_keys(screen.lines, clock, "3", gap_ms=150)  # typed on the table: the quantity box
    qtbot.waitUntil(lambda: screen.quantity.text() == "3")  # held until it is not a scan
    assert screen.quantity.hasFocus()
    Wedge().scan(screen.quantity, "GZ-4488")
    Wedge(start_ms=90_000).scan(screen.lines, "GZ-4488")
    assert lines_of(sqlite_db, "ENC-2026001") == [
        ("GAUZE", None, None, 3),
        ("GAUZE", None, None, 1),
    ]
    assert screen.quantity.text() == ""

    QTest.keyClick(screen.lines, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert lines_of(sqlite_db, "ENC-2026001") == [("GAUZE", None, None, 3)]
    undone = screen.lines_model.line_at(1)
    assert undone is not None and undone.voided
    screen.lines.setFocus()
    screen.lines.selectRow(0)
    assert screen.void_button.isEnabled()
    screen.void_button.setFocus()
    QTest.keyClick(screen.void_button, Qt.Key.Key_Space)  # a typed key: held, then the button's
    qtbot.waitUntil(lambda: lines_of(sqlite_db, "ENC-2026001") == [])
    assert cases.list_use_lines(sqlite_db, case_id=saved.id)[0].voided_by == "tester"


def test_a_viewer_sees_masked_identifiers_and_cannot_record(
    qtbot: QtBot,
    sqlite_db: Database,
    lab: dict[str, int],
    tmp_path: Path,
    beeps: list[bool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = cases.open_case(sqlite_db, identifier="V0012345", location_id=lab["room"])
    cases.record_use(sqlite_db, case_id=case.id, text="GZ-4488")
    monkeypatch.setattr(sqlite_db, "role", Role.VIEWER)
    settings = QSettings(str(tmp_path / "viewer.ini"), QSettings.Format.IniFormat)
    shown = CaseScreen(sqlite_db, lab["room"], "IR suite", settings=settings, clock=Clock())
    qtbot.addWidget(shown)
    shown.show()
    assert shown.read_only and "viewer" in shown.status.text()
    listed = shown.case_model.index(0, 0).data()
    assert MASK in listed and "0012345" not in listed
    shown.case_list.selectRow(0)
    shown._case_chosen(shown.case_list.currentIndex())
    assert shown.lines_model.rowCount() == 1 and "0012345" not in shown.case_label.text()
    for control in (shown.open_box, shown.quantity, shown.procedure, shown.save_button):
        assert not control.isEnabled()
    Wedge().scan(shown.lines, "GZ-4488")
    assert "viewer" in shown.status.text() and beeps
    monkeypatch.setattr(sqlite_db, "role", Role.MANAGER)
    assert len(cases.list_use_lines(sqlite_db, case_id=case.id)) == 1
    shown.stop()


def test_the_cases_page_fits_1280_by_800(
    qtbot: QtBot, window: MainWindow, lab: dict[str, int]
) -> None:
    # 1280×800 with the window's frame, as the tour sizes it (tests/ui/tour.py runs it too).
    frame = window.frameGeometry().size() - window.geometry().size()
    window.resize(1280 - frame.width(), 800 - frame.height())
    window.show_page("Cases")
    page = window.page("Cases")
    page.refresh()
    assert page.model.rowCount() == 1
    opened = page.scanned_on_list("ir1")
    assert opened is not None and page.case_screen is opened
    Wedge().scan(opened.lines, "V0012345")
    Wedge(start_ms=90_000).scan(opened.lines, contrast("LOT7X"))
    QApplication.processEvents()
    assert opened.lines_model.rowCount() == 1
    # The offscreen platform's own screen is smaller (the tour runs on a 1280×800 one): only
    # the widgets are checked here, every one inside the window and not cut off.
    problems = layout_problems(window, "page Cases")
    assert [p for p in problems if "does not fit the screen" not in p] == []
    assert opened.void_button.geometry().right() < opened.width()
    page.back_to_locations()
    assert page.case_screen is None


def test_the_pattern_dialog_tries_a_label_refuses_a_bad_pattern_and_saves(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    dialog = CasePatternDialog(sqlite_db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pattern.text() == DEFAULT_CASE_PATTERN
    qtbot.keyClicks(dialog.sample, "V0012345")
    assert "opens a case" in dialog.verdict.text()
    dialog.pattern.clear()
    qtbot.keyClicks(dialog.pattern, r"ACC(\d{6}")
    assert "not a valid regular expression" in dialog.verdict.text()
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and cases.get_case_pattern(sqlite_db) == DEFAULT_CASE_PATTERN
    qtbot.keyClicks(dialog.pattern, ")")
    assert "does not match" in dialog.verdict.text()
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and cases.get_case_pattern(sqlite_db) == r"ACC(\d{6})"


def test_a_clerk_sees_the_pattern_but_cannot_change_it(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_db, "role", Role.CLERK)
    dialog = CasePatternDialog(sqlite_db)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled() and dialog.pattern.isReadOnly()
    assert "manager" in dialog.save_button.toolTip()


def test_a_recalled_lot_is_recorded_and_said_in_red_with_a_beep(
    screen: CaseScreen, sqlite_db: Database, beeps: list[bool]
) -> None:
    with sqlite_db.reading() as session:
        contrast_id = session.scalar(select(Item.id).where(Item.code == "CONTRAST-100"))
    assert contrast_id is not None
    add_recall(sqlite_db, item_id=contrast_id, lot="BAD7")
    wedge = Wedge()
    wedge.scan(screen.lines, "V0012345")
    wedge.scan(screen.lines, contrast("BAD7"))
    assert is_red(screen) and "RECALLED lot BAD7" in screen.status.text()
    assert "tell the manager" in screen.status.text() and len(beeps) == 1
    assert lines_of(sqlite_db, "V0012345") == [("CONTRAST-100", "BAD7", None, 1)]
    assert screen.lines_model.rowCount() == 1
