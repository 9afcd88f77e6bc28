"""The Review page: the list out of line, evidence and chart of a line, accept and reject."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.review import suggestions as review
from parstudio.ui.review.page import ReviewPage
from parstudio.ui.shell.main_window import MainWindow
from tests.services.review.test_review import THROUGH, weekly_history


@pytest.fixture
def page(window: MainWindow) -> ReviewPage:
    db = window.db
    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline", "lead_time_days": "3"})
    ct = locations.create_location(
        db, fields={"code": "CT1", "name": "CT room 1", "deliveries_per_week": "1"}
    )
    for code, par, used in (
        ("GLOVES", "10", 20),
        ("GAUZE", "29", 20),
        ("TAPE", "60", 20),
        ("PADS", "1", 0),
    ):
        item = items.create_item(
            db, fields={"code": code, "description": code.title(), "supplier_code": "MED"}
        )
        par_settings.create_par_setting(
            db, location_id=ct.id, item_id=item.id, fields={"par_level": par}
        )
        weekly_history(db, ct.id, item.id, used)
    review.refresh_profiles(db, through=THROUGH)
    result: ReviewPage = window.page("Review")
    window.show_page("Review")
    result.refresh()
    return result


def test_the_list_follows_the_threshold_and_formula(page: ReviewPage, qtmodeltester: Any) -> None:
    # Coverage suggests 29 for all three: 20 a week over 7 + 3 days.
    assert [line.item_code for line in page.model.lines] == ["GLOVES", "TAPE"]
    assert "<b>2</b> of 4 settings differ by more than 25 %" in page.freshness.text()
    # Shown in the service's order (location, item) until a header is clicked.
    assert [page.proxy.index(r, 1).data() for r in range(2)] == ["GLOVES", "TAPE"]
    page.threshold.setValue(400)
    assert page.model.lines == [] and page.list_stack.currentWidget() is page.empty
    assert "within 400 %" in page.empty.text()
    page.threshold.setValue(10)
    page.formula.setCurrentIndex(page.formula.findData("deliveries"))
    # Deliveries per week: 25; PADS, PAR 1 suggested 0, is left out (fewer than 2 units apart).
    assert [line.item_code for line in page.model.lines] == ["GAUZE", "GLOVES", "TAPE"]
    qtmodeltester.check(page.model)


def test_one_line_shows_its_evidence_and_chart(page: ReviewPage) -> None:
    page.view.selectRow(0)
    html = page.evidence.toPlainText()
    assert "PAR 10 → 29 suggested" in html and "average 20 EA/week" in html
    assert "By deliveries per week: 25" in html and "By coverage: 29" in html
    assert "Not enough history for seasons" in html
    assert page.chart_view.chart().title() == "GLOVES at CT1"
    assert page.accept_button.text() == "Accept selected"


def test_accept_one_then_reject_in_bulk(page: ReviewPage, monkeypatch: pytest.MonkeyPatch) -> None:
    db = page.host.db
    page.view.selectRow(0)
    page.accept_button.click()
    gloves = next(s for s in par_settings.list_par_settings(db) if s.item_code == "GLOVES")
    assert gloves.par_level == 29
    assert [line.item_code for line in page.model.lines] == ["TAPE"]
    page.threshold.setValue(5)
    page.formula.setCurrentIndex(page.formula.findData("deliveries"))
    page.view.selectAll()
    assert page.reject_button.text() == "Reject 2 selected"
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    page.reject_button.click()
    assert page.model.lines == []
    assert sorted(d.decision for d in review.decisions(db)) == ["ACCEPTED", "REJECTED", "REJECTED"]
    assert (
        next(s for s in par_settings.list_par_settings(db) if s.item_code == "TAPE").par_level == 60
    )


def level_of(page: ReviewPage, code: str) -> Decimal | None:
    db = page.host.db
    return next(s for s in par_settings.list_par_settings(db) if s.item_code == code).par_level


def test_edit_undo_takes_back_a_bulk_accept_and_redo_makes_it_again(
    page: ReviewPage, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    par_page = window.page("PAR Settings")
    page.view.selectAll()
    page.accept_button.click()
    assert (level_of(page, "GLOVES"), level_of(page, "TAPE")) == (29, 29)
    assert page.model.lines == []
    assert window.undo_action.text() == "&Undo Accept 2 suggestions"
    window.undo_action.trigger()  # Edit ▸ Undo
    assert (level_of(page, "GLOVES"), level_of(page, "TAPE")) == (10, 60)
    assert window.statusBar().currentMessage() == (
        "Undone: Accept 2 suggestions. The levels are as they were, and the review lists them "
        "again."
    )
    assert [line.item_code for line in page.model.lines] == ["GLOVES", "TAPE"]
    assert review.decisions(window.db) == []
    # The PAR Settings page reads the levels again when next shown.
    assert "PAR Settings" in window._stale
    window.show_page("PAR Settings")
    assert "PAR Settings" not in window._stale and par_page.isVisible()
    window.redo_action.trigger()
    assert (level_of(page, "GLOVES"), level_of(page, "TAPE")) == (29, 29)
    assert [d.decision for d in review.decisions(window.db)] == ["ACCEPTED", "ACCEPTED"]
    window.undo_action.trigger()
    assert level_of(page, "GLOVES") == 10


def test_undo_of_an_accept_someone_changed_since_is_refused(
    page: ReviewPage, window: MainWindow
) -> None:
    page.view.selectRow(0)
    line = page.selected_lines()[0]
    page.accept_button.click()
    par_settings.update_par_setting(window.db, setting_id=line.setting_id, changes={"moq": "2"})
    window.undo_action.trigger()
    assert "GLOVES at CT1: This PAR setting was changed" in window.statusBar().currentMessage()
    assert level_of(page, "GLOVES") == 29 and len(review.decisions(window.db)) == 1
    assert window.undo_stack.count() == 0  # the refused command leaves the stack


def test_undo_of_a_reject_lists_the_line_again(page: ReviewPage, window: MainWindow) -> None:
    page.view.selectRow(0)
    page.reject_button.click()
    assert [line.item_code for line in page.model.lines] == ["TAPE"]
    assert window.undo_action.text() == "&Undo Reject the suggestion for GLOVES at CT1"
    window.undo_action.trigger()
    assert [line.item_code for line in page.model.lines] == ["GLOVES", "TAPE"]
    assert review.decisions(window.db) == [] and level_of(page, "GLOVES") == 10
    assert window.statusBar().currentMessage() == (
        "Undone: Reject the suggestion for GLOVES at CT1. The review lists it again."
    )


def test_a_conflict_is_shown_and_nothing_changes(page: ReviewPage, messages: list[str]) -> None:
    db = page.host.db
    page.view.selectRow(0)
    line = page.selected_lines()[0]
    par_settings.update_par_setting(db, setting_id=line.setting_id, changes={"moq": "2"})
    page.accept_button.click()
    assert any("was changed" in text for text in messages)
    assert par_settings.get_par_setting(db, setting_id=line.setting_id).par_level == Decimal(10)


def add_setting(window: MainWindow, location: str, code: str, par: str, used: int) -> int:
    """A new setting with 30 weeks of history, after the page's suggestions were worked out."""
    db = window.db
    place = next((p for p in locations.list_locations(db) if p.code == location), None)
    if place is None:
        place = locations.create_location(
            db, fields={"code": location, "name": location, "deliveries_per_week": "1"}
        )
    item = items.create_item(
        db, fields={"code": code, "description": code.title(), "supplier_code": "MED"}
    )
    setting = par_settings.create_par_setting(
        db, location_id=place.id, item_id=item.id, fields={"par_level": par}
    )
    weekly_history(db, place.id, item.id, used)
    return setting.id


def test_recompute_runs_off_the_ui_thread_and_refreshes_the_list(
    page: ReviewPage, window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_setting(window, "CT1", "MASKS", "1", 20)  # no suggestion yet: not listed
    assert "MASKS" not in [line.item_code for line in page.model.lines]
    threads: list[str] = []
    real = review.refresh_profiles

    def watched(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(review, "refresh_profiles", watched)
    page.recompute_button.click()
    assert not page.recompute_button.isEnabled()  # once at a time
    qtbot.waitUntil(lambda: page.task is None, timeout=20000)
    assert threads and threads[0] != threading.main_thread().name
    assert "Suggestions worked out for 5 settings" in window.statusBar().currentMessage()
    # The list was read again: MASKS (PAR 1, 29 suggested) now needs a look.
    assert [line.item_code for line in page.model.lines] == ["GLOVES", "MASKS", "TAPE"]
    assert page.recompute_button.isEnabled()


def test_recompute_shows_its_progress_and_stop_stops_it(
    page: ReviewPage, window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k in range(3):
        add_setting(window, f"WARD{k}", f"ITEM{k}", "1", 20)
    monkeypatch.setattr(review, "LOCATIONS_PER_BATCH", 1)
    reached, release = threading.Event(), threading.Event()
    batches: list[int] = []
    real = review.usage_by_location

    def held(*args: Any, **kwargs: Any) -> Any:
        batches.append(1)
        if len(batches) == 2:  # the second location waits until Stop has been pressed
            reached.set()
            release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(review, "usage_by_location", held)
    page.recompute_button.click()
    assert page.task is not None
    dialog = page.task.dialog  # type: ignore[attr-defined]
    qtbot.waitUntil(reached.is_set, timeout=10000)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    # The window kept working: the first location's report reached the progress window.
    assert dialog.labelText() == "Working out usage and suggestions… 4 of 7 settings"
    assert (dialog.value(), dialog.maximum()) == (4, 7)
    assert dialog.windowTitle() == "Recompute suggestions"
    stop = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Stop")
    stop.click()
    assert "Stopping after the locations being worked out now" in (
        window.statusBar().currentMessage()
    )
    release.set()
    qtbot.waitUntil(lambda: page.task is None, timeout=10000)
    # The location being worked on was finished and saved; the last two were not started.
    assert len(batches) == 2
    assert window.statusBar().currentMessage() == (
        "Stopped: suggestions worked out for 5 of 7 settings; the others keep their "
        "earlier suggestions."
    )
    listed = [line.item_code for line in page.model.lines]
    assert "ITEM0" in listed and "ITEM1" not in listed and "ITEM2" not in listed


def test_a_failing_recompute_goes_to_the_error_boundary(
    page: ReviewPage, qtbot: Any, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(review, "refresh_profiles", broken)
    page.recompute_button.click()
    qtbot.waitUntil(lambda: page.task is None, timeout=10000)
    assert any("RuntimeError: disk on fire" in text for text in messages)
    assert page.recompute_button.isEnabled()


def test_spend_button_opens_the_chart(page: ReviewPage, monkeypatch: pytest.MonkeyPatch) -> None:
    from parstudio.ui.kit.charts import SpendChartDialog

    opened: list[str] = []
    monkeypatch.setattr(
        SpendChartDialog, "exec", lambda self: opened.append(self.windowTitle()) or 0
    )
    page.spend_action.trigger()
    assert opened == ["Spend per month"]


def test_seasons_found_can_be_put_in_the_calendar(page: ReviewPage, window: MainWindow) -> None:
    import random
    from datetime import date, timedelta

    from parstudio.domain.seasonality import month_of_week
    from parstudio.domain.suggestions import review_suggestion
    from parstudio.services.review import seasons

    page.view.selectRow(0)
    assert not page.add_seasons_button.isVisibleTo(page)
    rng = random.Random(1)
    weeks = [
        (
            monday,
            Decimal(round(rng.gauss(40 * (1.3 if month_of_week(monday) in (12, 1, 2) else 1), 2))),
        )
        for monday in (date(2024, 11, 25) + timedelta(days=7 * k) for k in range(105))
    ]
    page.detail = review_suggestion(weeks, deliveries_per_week=1, lead_time_days=2)
    page.add_seasons_button.click()
    line = page.selected_lines()[0]
    (added,) = seasons.list_seasons(window.db, setting_id=line.setting_id)
    assert (added.name, added.range_label) == ("winter", "1 Dec – 29 Feb")
    assert "Added to the calendar of GLOVES: winter" in window.statusBar().currentMessage()
