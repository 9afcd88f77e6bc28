"""Done when (#7): on the demo department a manager runs the quarterly review, sees why each
suggestion is made, accepts some, and prints the report."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMessageBox

from parstudio.demo.department import build_demo
from parstudio.domain.paper import PrintOptions
from parstudio.services.catalog import par_settings
from parstudio.services.core.database import open_database
from parstudio.services.review import suggestions as review
from parstudio.ui.kit import print_preview
from parstudio.ui.kit.table_models import RecordRole
from parstudio.ui.review.quarterly_report import QuarterlyReportDialog
from parstudio.ui.shell.app import open_main_window
from tests.support.pdfs import texts

TODAY = date(2026, 11, 25)


def test_a_quarterly_review_of_the_demo_department(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(str(tmp_path / "demo.sqlite"))
    build_demo(db, today=TODAY)
    review.refresh_profiles(db, through=TODAY)
    window = open_main_window(db)
    qtbot.addWidget(window)
    window.show()
    window.show_page("Review")
    page = window.page("Review")
    page.refresh()
    lines = page.model.lines
    assert len(lines) > 20

    # Why: each line's evidence shows the working of both formulas.
    page.view.selectRow(0)
    evidence = page.evidence.toPlainText()
    assert "By coverage:" in evidence and "By deliveries per week:" in evidence
    assert "suggested" in evidence

    # Accept two suggestions at once.
    chosen = [page.proxy.index(row, 0).data(RecordRole) for row in (0, 1)]
    page.view.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (0, 1):
        page.view.selectionModel().select(page.proxy.index(row, 0), flags)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    page.accept_button.click()
    accepted = [d for d in review.decisions(db) if d.decision == "ACCEPTED"]
    assert len(accepted) == 2
    levels = {s.id: s for s in par_settings.list_par_settings(db)}
    for line in chosen:
        setting = levels[line.setting_id]
        level = setting.par_level if line.level == "PAR" else setting.max_level
        assert level == line.suggested

    # The report of the last complete quarter, on screen and printed.
    dialog = QuarterlyReportDialog(window, window, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60_000)
    report = dialog.report
    assert report is not None
    assert report.quarter.code == "2026-Q3"
    assert report.waste and report.rush_orders and report.stockouts and report.out_of_line
    made: list[Any] = []
    monkeypatch.setattr(print_preview, "preview", lambda _parent, make, **_k: made.append(make))
    dialog.print_button.click()
    pdf = made[0](PrintOptions()).pdf
    text = "\n".join(texts(pdf))
    for heading in ("Usage by location", "Stockouts", "Waste", "Rush orders", "Top movers"):
        assert heading in text
    db.close()
