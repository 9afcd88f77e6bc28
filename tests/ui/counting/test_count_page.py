"""The Count page of the main window: choose a location, count it in the page, propose."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.counting import scans as counting
from parstudio.ui.counting.dialogs import FinishReviewDialog
from parstudio.ui.counting.page import CountPage
from parstudio.ui.counting.screen import CountScreen
from parstudio.ui.shell.main_window import MainWindow
from tests.ui.scanning import Clock, scan


@pytest.fixture
def ct(window: MainWindow) -> int:
    """CT1 with syringes and gloves from one supplier; the page reloaded."""
    db = window.db
    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline"})
    room = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    locations.create_location(db, fields={"code": "EMPTY", "name": "Nothing stocked"})
    for code, level in (("SYR-10", "20"), ("GLV-M", "40")):
        item = items.create_item(
            db, fields={"code": code, "description": code.title(), "supplier_code": "MED"}
        )
        par_settings.create_par_setting(
            db, location_id=room.id, item_id=item.id, fields={"par_level": level}
        )
    window.refresh_pages()
    return room.id


def page_of(window: MainWindow) -> CountPage:
    window.show_page("Count")
    page: CountPage = window.page("Count")
    return page


def listed(page: CountPage) -> dict[str, list[str]]:
    model = page.model
    return {
        model.index(row, 0).data(): [
            model.index(row, column).data() for column in range(model.columnCount())
        ]
        for row in range(model.rowCount())
    }


def open_ct(page: CountPage, ct: int, clock: Clock) -> CountScreen:
    page.select_location(ct)
    page.count_button.click()
    screen = page.count_screen
    assert screen is not None and screen.sheet.location_id == ct
    screen.catcher._clock = clock  # scanner-speed keys on the test's clock
    return screen


def test_locations_are_listed_with_their_lines_and_open_count(
    window: MainWindow, ct: int, qtmodeltester: Any
) -> None:
    page = page_of(window)
    qtmodeltester.check(page.model)
    rows = listed(page)
    assert list(rows) == ["CT1"]  # a location with nothing stocked is not listed
    assert rows["CT1"][2] == "2" and rows["CT1"][3] == "" and rows["CT1"][4] == ""


def test_counting_in_the_page_resumes_and_ctrl_z_undoes_the_scan_not_the_catalogue(
    window: MainWindow, ct: int
) -> None:
    page = page_of(window)
    clock = Clock()
    screen = open_ct(page, ct, clock)
    assert page.stack.currentWidget() is page.holder
    scan(screen.table, clock, "GLV-M")
    scan(screen.table, clock, "GLV-M")
    assert screen.tally_label.text() == "Counted 1 / 2"
    catalogue_undo = window.undo_stack.count()

    QTest.keyClick(screen.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    line = next(line for line in screen.model.lines() if line.item_code == "GLV-M")
    assert line.counted == 1 and screen.status.text().startswith("Undone: GLV-M")
    assert window.undo_stack.count() == catalogue_undo

    count_id = screen.sheet.count_id
    page.back_button.click()
    assert page.count_screen is None and page.stack.currentIndex() == 0
    assert "1 lines counted" in listed(page)["CT1"][3]
    assert "open since" in listed(page)["CT1"][3] and "tester" in listed(page)["CT1"][3]

    again = open_ct(page, ct, clock)
    assert again.sheet.count_id == count_id and again.status.text().startswith("Count resumed")


def test_finishing_offers_the_proposal_for_that_location_in_the_proposal_page(
    qtbot: Any, window: MainWindow, ct: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = page_of(window)
    clock = Clock()
    screen = open_ct(page, ct, clock)
    for code in ("GLV-M", "SYR-10", "SYR-10"):
        scan(screen.table, clock, code)
    monkeypatch.setattr(screen, "confirm_finish", lambda _review: True)
    monkeypatch.setattr(screen, "offer_proposal", lambda: True)
    screen.finish_button.click()

    assert window.current_page() is window.page("Proposal")
    proposal: Any = window.page("Proposal")
    assert proposal.checked_location_ids() == [ct]
    qtbot.waitUntil(lambda: not proposal.busy, timeout=20_000)  # proposed off the UI thread
    ordered = {line.item_code: line.packs for line in proposal.lines_model.rows()}
    assert ordered == {"GLV-M": 39, "SYR-10": 18}

    window.show_page("Count")  # back on the page: the finished screen is put away
    assert page.count_screen is None
    assert listed(page)["CT1"][3] == "" and listed(page)["CT1"][4] != ""


def test_scanner_settings_from_the_edit_menu(
    window: MainWindow, ct: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int | None] = []
    monkeypatch.setattr(
        "parstudio.ui.counting.page.edit_scanner_settings",
        lambda _db, _parent, *, location_id=None: asked.append(location_id),
    )
    page = page_of(window)
    page.select_location(ct)
    window.scanner_action.trigger()
    assert asked == [ct]


def test_scanning_a_location_label_on_the_list_opens_it_and_an_item_counts_nothing(
    window: MainWindow, ct: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication

    from parstudio.services.counting import overview
    from tests.ui.counting.wedge import Wedge

    beeps: list[bool] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(True)))
    page = page_of(window)
    page.table.setFocus()
    wedge = Wedge()

    wedge.scan(page.table, "GLV-M")  # an item, before choosing a location
    assert page.count_screen is None and page.stack.currentIndex() == 0
    assert "Nothing was counted: “GLV-M” is not the label of a location" in page.hint.text()
    assert beeps == [True]
    assert all(row.open_count_id is None for row in overview.list_count_locations(window.db))

    wedge.pause(500)
    wedge.scan(page.table, "ct1")  # the label on the door
    assert page.count_screen is not None and page.count_screen.sheet.location_id == ct
    assert page.stack.currentWidget() is page.holder


def test_enter_in_the_search_box_opens_the_location_found(window: MainWindow, ct: int) -> None:
    page = page_of(window)
    page.search.setFocus()
    QTest.keyClicks(page.search, "ct room", Qt.KeyboardModifier.NoModifier, 120)  # by hand
    QTest.qWait(400)  # typed keys reach the box once they are seen to be typing
    assert page.search.text() == "ct room"

    QTest.keyClick(page.search, Qt.Key.Key_Return)

    assert page.count_screen is not None and page.count_screen.sheet.location_id == ct


def test_count_menu_loads_a_batch_file_into_the_chosen_location(
    window: MainWindow, ct: int, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parstudio.ui.counting import batch_dialog

    export = tmp_path / "handheld.txt"
    export.write_text("GLV-M,7\n", encoding="utf-8")
    monkeypatch.setattr(
        batch_dialog.QFileDialog, "getOpenFileName", staticmethod(lambda *a: (str(export), ""))
    )
    monkeypatch.setattr(CountScreen, "confirm_batch", lambda self, preview, name: True)
    page = page_of(window)
    page.select_location(ct)

    window.load_scans_action.trigger()

    screen = page.count_screen
    assert screen is not None and screen.sheet.location_id == ct
    line = next(line for line in screen.model.lines() if line.item_code == "GLV-M")
    assert line.counted == 7
    assert "handheld.txt: 1 scan(s) recorded." in screen.status.text()


def press_enter_in(shown: list[Any]) -> Any:
    """An exec() that shows the dialog and presses Enter, as a hurried clerk would."""

    def exec_(dialog: FinishReviewDialog) -> int:
        dialog.show()
        shown.append(dialog)
        QTest.keyClick(dialog, Qt.Key.Key_Return)
        return int(dialog.result())

    return exec_


@pytest.mark.parametrize(("scanned", "closed"), [(("GLV-M",), False), (("GLV-M", "SYR-10"), True)])
def test_enter_on_finish_keeps_counting_while_lines_are_uncounted(
    window: MainWindow,
    ct: int,
    monkeypatch: pytest.MonkeyPatch,
    scanned: tuple[str, ...],
    closed: bool,
) -> None:
    page = page_of(window)
    clock = Clock()
    screen = open_ct(page, ct, clock)
    for code in scanned:
        scan(screen.table, clock, code)
        scan(screen.table, clock, code)
    shown: list[FinishReviewDialog] = []
    monkeypatch.setattr(FinishReviewDialog, "exec", press_enter_in(shown))
    monkeypatch.setattr(screen, "offer_proposal", lambda: False)
    screen.finish_button.click()
    (dialog,) = shown
    default = dialog.close_button if closed else dialog.keep_button
    assert default.isDefault()
    assert screen.finished is closed
    review = counting.finish_count(window.db, count_id=screen.sheet.count_id)
    assert review.finished is closed  # what the database holds
    if not closed:
        assert screen.status.text() == "The count stays open; go on scanning."
