"""The what-if chart: one line's simulated shelf, day by day, under current and new levels."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCharts import QChart, QScatterSeries, QValueAxis, QXYSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.simulation import LineOutcome, replay
from parstudio.domain.simulation_compare import ComparedLine, Comparison
from parstudio.domain.simulation_measures import level_of
from parstudio.ui.kit.charts import (
    ORDER_COLOUR,
    STOCKOUT_COLOUR,
    USAGE_COLOUR,
    _line,
    _msecs,
    _scatter,
    _style,
    month_axis,
)

NEW_COLOUR = QColor("#2a9d55")
LEAN_COLOUR = QColor("#e08a00")


def traced(comparison: Comparison, line: ComparedLine) -> list[tuple[str, LineOutcome]]:
    """The line replayed again with its daily shelf kept: now, new (and leanest)."""
    series = comparison.input.series[line.setting.setting_id]
    assert series is not None
    runs = [("Now", line.current.levels), ("New", line.proposed.levels)]
    if line.leanest is not None:
        runs.append(("Leanest", line.leanest.levels))
    return [(name, replay(line.setting, levels, series, trace=True)) for name, levels in runs]


def shelf_chart(comparison: Comparison, line: ComparedLine) -> QChart:
    """The simulated shelf of one line with its orders and stockout days."""
    chart = QChart()
    setting = line.setting
    _style(chart, f"{setting.item_code} at {setting.location_code} — simulated shelf")
    runs = traced(comparison, line)
    colours = (USAGE_COLOUR, NEW_COLOUR, LEAN_COLOUR)
    top = Decimal(1)
    series_list: list[QXYSeries] = []
    first = last = None
    for (name, outcome), colour in zip(runs, colours, strict=False):
        assert outcome.start is not None
        level = level_of(setting, outcome.levels)
        label = f"{name} ({fq(level) if level is not None else 'no level'})"
        shelf = _line(label, colour, 1.6, Qt.PenStyle.SolidLine)
        for day, stock in enumerate(outcome.shelf):
            shelf.append(_msecs(outcome.start + timedelta(days=day)), float(stock))
            top = max(top, stock)
        series_list.append(shelf)
        first = outcome.start
        last = outcome.start + timedelta(days=len(outcome.shelf) - 1)
    now, new = runs[0][1], runs[1][1]
    orders = _scatter("Order (new)", ORDER_COLOUR, QScatterSeries.MarkerShape.MarkerShapeStar, 12)
    for placed, _units, _due in new.orders:
        orders.append(_msecs(placed), float(top) * 1.08)
    series_list.append(orders)
    outs = _scatter(
        "Stockout (now)", STOCKOUT_COLOUR, QScatterSeries.MarkerShape.MarkerShapeCircle, 7
    )
    assert now.start is not None
    for day, stock in enumerate(now.shelf):
        if day and stock == 0:
            outs.append(_msecs(now.start + timedelta(days=day)), 0.0)
    series_list.append(outs)
    if setting.storage_capacity is not None:
        capacity = _line("Capacity", QColor("#7f7f7f"), 1.0, Qt.PenStyle.DashLine)
        assert first is not None and last is not None
        capacity.append(_msecs(first), float(setting.storage_capacity))
        capacity.append(_msecs(last), float(setting.storage_capacity))
        top = max(top, setting.storage_capacity)
        series_list.append(capacity)
    for s in series_list:
        chart.addSeries(s)
    assert first is not None and last is not None
    x_axis = month_axis(first, last, compact=True)
    x_axis.setTitleText("")
    y_axis = QValueAxis()
    y_axis.setTitleText(f"{setting.unit} on the shelf")
    y_axis.setLabelFormat("%.0f")
    y_axis.setRange(0, float(top) * 1.18)
    y_axis.applyNiceNumbers()
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    for s in series_list:
        s.attachAxis(x_axis)
        s.attachAxis(y_axis)
    return chart


def empty_chart(text: str) -> QChart:
    """A chart with only a title, before a line is chosen."""
    chart = QChart()
    _style(chart, text)
    chart.legend().setVisible(False)
    return chart
