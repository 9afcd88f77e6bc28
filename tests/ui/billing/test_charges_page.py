"""The Charges page through its widgets: charge capture, the reconciliation, serials."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox

from parstudio.domain.roles import Role
from parstudio.ui.billing.page import ChargesPage
from parstudio.ui.shell.main_window import MainWindow
from tests.services.billing.department import fill_department

TODAY = date(2026, 11, 30)


def open_charges_page(window: MainWindow) -> ChargesPage:
    """The Charges page as of TODAY (its default period: 1–30 Nov), on screen and read."""
    window.pages.pop("Charges", None)
    window._factories["Charges"] = lambda: ChargesPage(window, today=TODAY)
    result: ChargesPage = window.page("Charges")
    window.show_page("Charges")
    result.refresh()
    return result


def settled(qtbot: Any, tab: Any) -> None:
    qtbot.waitUntil(lambda: tab.task is not None and not tab.task.running, timeout=20_000)
    qtbot.wait(20)


@pytest.fixture
def page(window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> ChargesPage:
    fill_department(window.db)
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)
    result = open_charges_page(window)
    settled(qtbot, result.charges)
    return result


def test_charge_capture_lists_the_period_and_exports_it(
    page: ChargesPage, qtbot: Any, tmp_path: Path, qtmodeltester: Any
) -> None:
    tab = page.charges
    assert len(tab.model.rows()) == 8
    assert "8 lines on 3 cases, charges 15,391.50" in tab.summary.text()
    proxy = tab.view.model()
    assert proxy.index(0, 0).data() == "V1001" and proxy.index(0, 10).data() == "6,000.00"
    assert proxy.index(6, 12).data() == "No charge price" and proxy.index(6, 10).data() == "—"
    qtmodeltester.check(tab.model)
    assert tab.excel_button.isEnabled() and tab.csv_button.isEnabled()
    written = tab.export(".csv", str(tmp_path / "charges.csv"))
    assert written is not None
    rows = list(csv.reader(written.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 9 and rows[1][0] == "V1001"

    page.scope.choose_locations(["CT2"])
    settled(qtbot, tab)
    assert {line.location_code for line in tab.model.rows()} == {"CT2"}
    assert page.scope.locations.text() == "CT2"
    # Ticking a second location in the menu reads both.
    ct1 = next(a for a in page.scope.place_actions if a.data() == "CT1")
    ct1.trigger()
    settled(qtbot, tab)
    assert {line.location_code for line in tab.model.rows()} == {"CT1", "CT2"}
    assert page.scope.locations.text() == "CT1, CT2"
    page.scope.everywhere.trigger()
    settled(qtbot, tab)
    assert page.scope.locations.text() == "All locations" and len(tab.model.rows()) == 8
    page.scope.first.setDate(QDate(2026, 12, 5))
    assert "ends (30 Nov 2026) before it starts" in tab.empty.text()
    assert not tab.excel_button.isEnabled()


def test_the_reconciliation_highlights_the_gap(page: ChargesPage, qtbot: Any) -> None:
    page.tabs.setCurrentWidget(page.reconciliation)
    tab = page.reconciliation
    settled(qtbot, tab)
    assert [line.item_code for line in tab.model.rows()][:2] == ["STENT", "PLATE"]
    proxy = tab.view.model()
    assert (proxy.index(0, 7).data(), proxy.index(0, 8).data()) == ("3", "3,600.00")
    assert proxy.index(0, 7).data(9) is not None  # ForegroundRole: coloured
    assert proxy.index(0, 4).data() == "31 Oct → 30 Nov"  # the two counts compared between
    assert proxy.index(7, 5).data() == "not counted" and proxy.index(7, 4).data() == ""
    assert "3 unbilled (value 5,500.00)" in tab.summary.text()
    assert not page.scope.isHidden()
    page.tabs.setCurrentWidget(page.serials)
    assert page.scope.isHidden()


def test_a_viewer_sees_masked_cases_and_cannot_export(window: MainWindow, qtbot: Any) -> None:
    fill_department(window.db)
    window.db.role = Role.VIEWER
    page = open_charges_page(window)
    settled(qtbot, page.charges)
    assert re.fullmatch(r"•••• #\d+", page.charges.model.rows()[0].case_identifier)
    assert not page.charges.excel_button.isEnabled()
    assert "Viewers cannot export" in page.charges.excel_button.toolTip()


def test_the_serials_tab_shows_a_serials_history(page: ChargesPage, qtbot: Any) -> None:
    page.tabs.setCurrentWidget(page.serials)
    view = page.serials
    task = view.search(item_code="STENT", serial="SN-1")
    assert task is not None
    qtbot.waitUntil(lambda: view.history is not None, timeout=20_000)
    assert [s.serial for s in view.statuses.rows()] == ["SN-1"]
    assert view.statuses.rows()[0].case == "V1001"
    assert [e.kind.value for e in view.events.rows()] == ["Used on a case"]
    view.search(item_code="NOPE", serial="")
    qtbot.waitUntil(lambda: "no item NOPE" in view.heading.text(), timeout=20_000)
