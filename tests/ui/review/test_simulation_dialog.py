"""Done when (#22), on screen: the demo department's CT1 replayed under the suggested levels,
the leanest levels for 98 % found and accepted from the dialog, and undone."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from parstudio.demo.department import build_demo
from parstudio.models import ParReviewDecision, ParSetting
from parstudio.services.core.database import open_database
from parstudio.services.review import suggestions as review
from parstudio.ui.review.simulation_dialog import SimulationDialog
from parstudio.ui.shell.app import open_main_window

TODAY = date(2026, 11, 25)
SHOTS = os.environ.get("PARSTUDIO_SHOTS")
"""A folder to save the dialog's picture in, to look at it (unset: no picture)."""


def _levels(db: Any) -> dict[int, tuple[Any, ...]]:
    with db.reading() as session:
        rows = session.execute(
            select(ParSetting.id, ParSetting.par_level, ParSetting.min_level, ParSetting.max_level)
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def test_simulate_ct1_find_leanest_accept_and_undo(
    qtbot: Any, tmp_path: Path, qtmodeltester: Any
) -> None:
    db = open_database(str(tmp_path / "demo.sqlite"))
    build_demo(db, today=TODAY)
    review.refresh_profiles(db, through=TODAY)
    window = open_main_window(db)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.show_page("Review")
    page = window.page("Review")
    page.refresh()
    assert page.findChild(QPushButton, "simulate") is page.simulate_button

    dialog = SimulationDialog(page, window, levels_changed=page.decisions_changed)
    qtbot.addWidget(dialog)
    dialog.scope.setCurrentIndex(dialog.scope.findText("CT1", flags=_starts()))
    dialog.first.setDate(QDate(2025, 11, 26))
    dialog.last.setDate(QDate(2026, 11, 25))
    dialog.show()
    dialog.run_button.click()
    qtbot.waitUntil(lambda: dialog.task is None and dialog.comparison is not None, timeout=60_000)
    comparison = dialog.comparison
    assert comparison is not None and comparison.input.scope == "CT1"
    assert dialog.lines_model.rowCount() == len(comparison.lines) > 40
    assert dialog.totals_model.headers == ["Measure", "Current", "Suggested", "Change"]
    assert "lines replayed" in dialog.status.text()
    assert "Usage is replayed as recorded" in dialog.assumptions.toPlainText()
    assert "simulated shelf" in dialog.chart.chart().title()
    assert not dialog.accept_button.isEnabled()

    dialog.service_level.setValue(98)
    dialog.leanest_button.click()
    qtbot.waitUntil(
        lambda: dialog.task is None and dialog.comparison.leanest is not None, timeout=60_000
    )
    assert dialog.totals_model.headers[3] == "Leanest"
    assert "Leanest found for" in dialog.status.text()
    assert dialog.accept_button.isEnabled()
    qtmodeltester.check(dialog.lines_model)
    qtmodeltester.check(dialog.totals_model)
    if SHOTS:
        dialog.resize(1260, 780)
        qtbot.wait(50)
        dialog.grab().save(str(Path(SHOTS) / "what-if.png"))

    out = tmp_path / "what-if.xlsx"
    dialog.export_to(out)
    assert load_workbook(out, read_only=True).sheetnames == ["Summary", "Lines", "Not replayed"]

    before = _levels(db)
    dialog.accept_button.click()
    assert "Accepted" in dialog.status.text()
    after = _levels(db)
    changed = {i for i in before if before[i] != after[i]}
    assert changed
    lean = {x.setting.setting_id: x.leanest for x in dialog.comparison.lines}
    for setting_id in changed:
        found = lean[setting_id]
        assert found is not None and found.met
        assert found.level in (after[setting_id][0], after[setting_id][2])
    with db.reading() as session:
        decided = session.scalars(
            select(ParReviewDecision.par_setting_id).where(ParReviewDecision.formula == "leanest")
        ).all()
    assert set(decided) == changed

    window.undo_stack.undo()
    assert _levels(db) == before
    window.undo_stack.redo()
    assert _levels(db) == after
    dialog.reject()
    db.close()


def _starts() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MatchFlag.MatchStartsWith


def test_simulate_in_worker_processes_from_the_window(
    qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    # The replay runs on the window's background thread; there it starts worker processes
    # ("spawn") as a large replay does, and the window shows the same comparison.
    import multiprocessing

    from parstudio.services.review import simulation

    db = open_database(str(tmp_path / "demo.sqlite"))
    build_demo(db, today=TODAY)
    review.refresh_profiles(db, through=TODAY)
    window = open_main_window(db)
    qtbot.addWidget(window)
    window.show_page("Review")
    page = window.page("Review")
    page.refresh()
    monkeypatch.setenv("PARSTUDIO_REPLAY_WORKERS", "2")
    dialog = SimulationDialog(page, window, levels_changed=page.decisions_changed)
    qtbot.addWidget(dialog)
    dialog.scope.setCurrentIndex(dialog.scope.findText("CT1", flags=_starts()))
    dialog.first.setDate(QDate(2025, 11, 26))
    dialog.last.setDate(QDate(2026, 11, 25))
    dialog.show()
    dialog.run_button.click()
    qtbot.waitUntil(lambda: dialog.task is None and dialog.comparison is not None, timeout=60_000)
    shown = dialog.comparison
    assert shown is not None
    monkeypatch.setenv("PARSTUDIO_REPLAY_WORKERS", "0")
    here = simulation.simulate_levels(
        db,
        first=date(2025, 11, 26),
        last=date(2026, 11, 25),
        location_ids=simulation.location_ids_for(db, codes=["CT1"]),
        levels="suggested",
    )
    assert (shown.current, shown.proposed) == (here.current, here.proposed)
    assert shown.lines == here.lines
    assert multiprocessing.active_children() == []
