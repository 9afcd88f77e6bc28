"""The PAR calculator dialog: both formulas, its working, and applying (undoably) on accept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QDialog

from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.counting.counts import record_count
from parstudio.ui.catalog.par_page import ParSettingsPage
from parstudio.ui.review.par_calculator import ParCalculatorDialog
from parstudio.ui.shell.main_window import MainWindow


@pytest.fixture
def page(window: MainWindow) -> ParSettingsPage:
    db = window.db
    ct = locations.create_location(
        db, fields={"code": "CT1", "name": "CT room 1", "delivery_weekdays": "MON"}
    )
    bag = items.create_item(db, fields={"code": "BAG-1", "description": "Saline bag 1 L"})
    par_settings.create_par_setting(
        db, location_id=ct.id, item_id=bag.id, fields={"par_level": "30", "weekly_usage": "20"}
    )
    now = datetime.now(UTC)
    # 20 a week used: 60 → 40 → 20 → 0 over three weeks.
    for weeks_ago, quantity in ((3, 60), (2, 40), (1, 20), (0, 0)):
        record_count(
            db,
            location_id=ct.id,
            quantities={bag.id: Decimal(quantity)},
            when=now - timedelta(weeks=weeks_ago, minutes=5),
        )
    page: ParSettingsPage = window.page("PAR Settings")
    window.show_page("PAR Settings")
    page.view.setCurrentIndex(page.proxy.index(0, 0))
    return page


def test_deliveries_formula_from_the_counts_shows_its_working(page: ParSettingsPage) -> None:
    dialog = ParCalculatorDialog(page, page.host.db, page.current_record())
    assert dialog.from_counts.isChecked()
    assert dialog.deliveries.value() == 1
    # DOMAIN.md's example: 20 a week, 20 % safety, one delivery a week → PAR 24.
    dialog.safety_pct.setValue(20)
    assert dialog.suggested_par() == 24
    text = dialog.working.toPlainText()
    assert "3 periods between 4 counts" in text
    assert "PAR = (20 + 4) ÷ 1 delivery a week = 24 EA" in text
    assert dialog.apply_button.text() == "Apply PAR 24"
    assert dialog.apply_button.isEnabled()
    # The suggestion's label no longer hides QDialog.result(): it still answers a dialog code.
    assert "Suggested PAR: <b>24</b>" in dialog.suggestion_label.text()
    dialog.reject()
    assert dialog.result() == dialog.DialogCode.Rejected


def test_coverage_formula_and_typed_usage(page: ParSettingsPage) -> None:
    dialog = ParCalculatorDialog(page, page.host.db, page.current_record())
    dialog.typed.setChecked(True)
    dialog.weekly.setValue(14)
    dialog.by_coverage.setChecked(True)
    dialog.review_days.setValue(7)
    dialog.lead_days.setValue(2)
    dialog.safety_kind.setCurrentIndex(1)  # days of usage
    dialog.safety_value.setValue(1)
    # 2 a day × (7 + 2) days = 18, + 1 day × 2 = 20.
    assert dialog.suggested_par() == 20
    assert "Safety stock = 1 days × 2 EA a day = 2 EA" in dialog.working.toPlainText()


def test_service_level_needs_the_counts(page: ParSettingsPage) -> None:
    dialog = ParCalculatorDialog(page, page.host.db, page.current_record())
    dialog.typed.setChecked(True)
    dialog.by_coverage.setChecked(True)
    dialog.safety_kind.setCurrentIndex(2)
    assert dialog.suggested_par() is None
    assert not dialog.apply_button.isEnabled()
    assert "needs the day-to-day spread" in dialog.working.toPlainText()
    dialog.from_counts.setChecked(True)
    assert dialog.suggested_par() is not None


def test_accepting_applies_the_par_and_undo_restores_it(
    page: ParSettingsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    def accept(dialog: ParCalculatorDialog) -> int:
        dialog.safety_pct.setValue(20)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(ParCalculatorDialog, "exec", accept)
    setting_id = page.current_record().id
    page.open_calculator()
    db = page.host.db
    assert par_settings.get_par_setting(db, setting_id=setting_id).par_level == 24
    assert page.model.record(0).par_level == 24
    page.host.undo_stack.undo()
    assert par_settings.get_par_setting(db, setting_id=setting_id).par_level == 30


def test_cancelling_changes_nothing(page: ParSettingsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ParCalculatorDialog, "exec", lambda _d: QDialog.DialogCode.Rejected.value)
    setting_id = page.current_record().id
    page.open_calculator()
    assert par_settings.get_par_setting(page.host.db, setting_id=setting_id).par_level == 30
    assert page.host.undo_stack.count() == 0
