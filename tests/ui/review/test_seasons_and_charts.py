"""The Seasons… dialog driven through its widgets, and the charts drawn with QtCharts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCharts import QAreaSeries, QLineSeries, QScatterSeries, QStackedBarSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from parstudio.domain.catalog import ParSettingRecord
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.services.review import charts, seasons
from parstudio.ui.kit import charts as ui_charts
from parstudio.ui.kit.charts import SpendChartDialog, UsageChartDialog, save_png, usage_chart
from parstudio.ui.review.seasons_dialog import SeasonsDialog
from parstudio.ui.shell.main_window import MainWindow
from tests.support.history import sunday_before, weekly_counts

TODAY = date(2026, 11, 23)


def history(db: Database, location_id: int, item_id: int) -> None:
    """Twenty weekly counts (Sundays): 10 used a week, a stockout, refills the day after."""
    weekly_counts(
        db,
        location_id,
        item_id,
        last_sunday=sunday_before(TODAY),
        weeks=20,
        on_hand=lambda k: 0 if k == 10 else 20,
        refill_to=30,
        refill_after=timedelta(hours=20),
    )


@pytest.fixture
def setting(window: MainWindow) -> ParSettingRecord:
    db = window.db
    ct = locations.create_location(
        db, fields={"code": "CT1", "name": "CT room 1", "department": "Imaging"}
    )
    gowns = items.create_item(
        db, fields={"code": "GWN", "description": "Gowns", "pack_price": "12.50", "pack_size": "10"}
    )
    record = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=gowns.id, fields={"par_level": "30"}
    )
    history(db, ct.id, gowns.id)
    return record


def test_seasons_dialog_adds_refuses_an_overlap_and_removes(
    qtbot: Any, window: MainWindow, setting: ParSettingRecord
) -> None:
    dialog = SeasonsDialog(window, window.db, setting)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "winter")
    dialog.start.set(12, 1)
    dialog.end.set(2, 28)
    dialog.factor.clear()
    qtbot.keyClicks(dialog.factor, "1.3")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == ""
    assert dialog.table.rowCount() == 1
    assert [dialog.table.item(0, c).text() for c in range(4)] == [
        "winter",
        "1 Dec",
        "28 Feb",
        "×1.3",
    ]
    # An overlapping range is refused with the reason under the form; nothing is added.
    dialog.name.setText("flu")
    dialog.start.set(2, 1)
    dialog.end.set(3, 31)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "overlaps the season “winter”" in dialog.error.text()
    assert dialog.table.rowCount() == 1
    # Fixed levels for another season; then change and remove through the selection.
    dialog.name.setText("summer")
    dialog.start.set(6, 1)
    dialog.end.set(8, 31)
    dialog.by_fixed.setChecked(True)
    qtbot.keyClicks(dialog.par, "20")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 2 and dialog.table.item(0, 3).text() == "PAR 20"
    dialog.table.selectRow(0)
    assert dialog.name.text() == "summer" and dialog.by_fixed.isChecked()
    dialog.par.setText("18")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.table.item(0, 3).text() == "PAR 18"
    dialog.table.selectRow(1)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert [s.name for s in seasons.list_seasons(window.db, setting_id=setting.id)] == ["summer"]
    assert dialog.changed


def test_par_page_opens_seasons_and_chart_for_the_selected_row(
    qtbot: Any, window: MainWindow, setting: ParSettingRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(SeasonsDialog, "exec", lambda self: opened.append(self.windowTitle()) or 0)
    monkeypatch.setattr(
        UsageChartDialog, "exec", lambda self: opened.append(self.windowTitle()) or 0
    )
    page = window.page("PAR Settings")
    window.show_page("PAR Settings")
    page.refresh()
    page.seasons_action.trigger()  # nothing selected yet: a hint, no dialog
    assert opened == []
    page.view.setCurrentIndex(page.proxy.index(0, 0))
    page.seasons_action.trigger()
    page.chart_action.trigger()
    assert opened == ["Seasons of GWN at CT1", "Usage of GWN Gowns at CT1"]


def test_usage_chart_has_usage_levels_and_stockouts(
    qtbot: Any, window: MainWindow, setting: ParSettingRecord, tmp_path: Path
) -> None:
    seasons.add_season(
        window.db,
        setting_id=setting.id,
        fields={
            "name": "autumn",
            "start_month": 10,
            "start_day": 1,
            "end_month": 11,
            "end_day": 30,
            "factor": "1.5",
        },
    )
    data = charts.setting_chart(window.db, setting_id=setting.id, through=TODAY)
    assert len(data.weeks) == 20 and data.stockouts and data.source == "counts"
    # The PAR line steps up to 45 (30 × 1.5) in weeks whose Thursday is in October or November.
    thursday = timedelta(days=3)
    assert {v for d, v in data.par_line if (d + thursday).month == 9} == {Decimal(30)}
    assert {v for d, v in data.par_line if (d + thursday).month == 10} == {Decimal(45)}
    chart = usage_chart(data)
    kinds = {type(s) for s in chart.series()}
    assert {QAreaSeries, QLineSeries, QScatterSeries} <= kinds
    names = [s.name() for s in chart.series()]
    assert names[:2] == ["Used per week", "PAR level"]
    assert "Stockout (counted 0)" in names and "Received per week" in names
    assert [a.titleText() for a in chart.axes()] == ["Week starting", "EA per week"]
    dialog = UsageChartDialog(window, data)
    qtbot.addWidget(dialog)
    dialog.resize(1600, 900)
    dialog.show()
    target = tmp_path / "usage.png"
    assert save_png(dialog.view, target)
    image = QImage(str(target))
    assert image.width() > 700 and image.height() > 400
    assert "20 complete weeks" in dialog.caption.text()


def test_a_storeroom_lines_chart_says_its_usage_is_what_it_issued(
    qtbot: Any, window: MainWindow, setting: ParSettingRecord, tmp_path: Path
) -> None:
    from dataclasses import replace

    data = replace(
        charts.setting_chart(window.db, setting_id=setting.id, through=TODAY), source="issues"
    )
    chart = usage_chart(data)
    names = [s.name() for s in chart.series()]
    assert names[:2] == ["Issued per week", "PAR level"] and "Received per week" in names
    dialog = UsageChartDialog(window, data)
    qtbot.addWidget(dialog)
    assert "usage from what the storeroom issued (transfers sent to PAR locations)" in (
        dialog.caption.text()
    )


def test_spend_chart_by_department_and_save(
    qtbot: Any,
    window: MainWindow,
    setting: ParSettingRecord,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = charts.spend_by_month(window.db, through=TODAY, months=12)
    assert data.departments == ("Imaging",)
    # 21 receipts: 20 of 10 units and one of 30 (after the stockout), at 12.50 ÷ 10 a unit.
    assert data.total == Decimal("287.50")
    dialog = SpendChartDialog(window, window.db)
    qtbot.addWidget(dialog)
    assert dialog.department.count() == 2
    (bars,) = dialog.view.chart().series()
    assert isinstance(bars, QStackedBarSeries) and bars.barSets()[0].label() == "Imaging"
    target = tmp_path / "spend"
    monkeypatch.setattr(
        ui_charts.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PNG (*.png)")
    )
    dialog.save_as()
    assert (tmp_path / "spend.png").stat().st_size > 1000
