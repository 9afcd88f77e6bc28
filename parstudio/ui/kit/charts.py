"""Charts drawn with QtCharts: a setting's usage over time, and spend by month per department."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCharts import (
    QAbstractSeries,
    QAreaSeries,
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.charts import SettingChart, SpendChart
from parstudio.domain.errors import ParStudioError
from parstudio.domain.usage import month_starts, week_start
from parstudio.services.core.database import Database
from parstudio.services.review import charts
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.geometry import fit_and_remember

USAGE_COLOUR = QColor("#1f77b4")
PAR_COLOUR = QColor("#2a9d55")
MIN_COLOUR = QColor("#e08a00")
MAX_COLOUR = QColor("#2a9d55")
STOCKOUT_COLOUR = QColor("#d62728")
DELIVERY_COLOUR = QColor("#9a9a9a")
ORDER_COLOUR = QColor("#9467bd")
DEPARTMENT_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
MONTH_LABEL = "%b %Y"


_EPOCH = date(1970, 1, 1).toordinal()
_DAY_MS = 86_400_000


def _msecs(day: date) -> float:
    """Noon of a day as milliseconds, the x of every point.

    Plain arithmetic on purpose: building a QDateTime from a Python datetime loses a
    reference to None each time in PySide6 6.12, which crashes the interpreter at exit after
    a few thousand points.
    """
    return float((day.toordinal() - _EPOCH) * _DAY_MS + _DAY_MS // 2)


def _line(name: str, colour: QColor, width: float, style: Qt.PenStyle) -> QLineSeries:
    series = QLineSeries()
    series.setName(name)
    pen = QPen(colour, width)
    pen.setStyle(style)
    series.setPen(pen)
    return series


def _steps(series: QLineSeries, points: tuple[tuple[date, Decimal], ...], end: date) -> None:
    """Draw a level as steps: flat through each week, changing at the week's start."""
    for k, (start, value) in enumerate(points):
        stop = points[k + 1][0] if k + 1 < len(points) else end
        series.append(_msecs(start), float(value))
        series.append(_msecs(stop), float(value))


def _scatter(
    name: str, colour: QColor, shape: QScatterSeries.MarkerShape, size: float
) -> QScatterSeries:
    series = QScatterSeries()
    series.setName(name)
    series.setColor(colour)
    series.setBorderColor(colour.darker(130))
    series.setMarkerShape(shape)
    series.setMarkerSize(size)
    return series


def _style(chart: QChart, title: str) -> None:
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(8, 8, 8, 8))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)


def month_axis(first: date, end: date, *, compact: bool = False) -> QCategoryAxis:
    """A time axis with a label and grid line at the start of each month (every other one
    when the range is long or the chart small), which a plain date axis cannot line up."""
    axis = QCategoryAxis()
    axis.setTitleText("Week starting")
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    starts = month_starts(first, end)
    limit = 7 if compact else 14
    step = 1 if len(starts) <= limit else 2 if len(starts) <= 2 * limit else 3
    shown = 0
    for k, start in enumerate(starts):
        # A label right at the left edge would be cut in half.
        if (start - first).days >= 10 and k % step == 0:
            with_year = start.month == 1 or shown == 0
            axis.append(start.strftime("%b ’%y" if with_year else "%b"), _msecs(start))
            shown += 1
    axis.setRange(_msecs(first) - 86_400_000, _msecs(end) + 86_400_000)
    return axis


def usage_chart(data: SettingChart, title: str | None = None, *, compact: bool = False) -> QChart:
    """Weekly usage with the levels in force, stockouts, deliveries and orders."""
    chart = QChart()
    _style(chart, title or f"{data.title} — usage per week")
    # A storeroom line's usage is what it issued; its deliveries are what suppliers brought.
    # Compact (a side pane): short names, so the legend is not cut to "Stoc…" at 1280 px.
    used = "Issued per week" if data.source == "issues" else "Used per week"
    if compact:
        used = used.split()[0]
    usage = _line(used, USAGE_COLOUR, 2.0, Qt.PenStyle.SolidLine)
    floor = QLineSeries()
    for monday, value in data.weeks:
        usage.append(_msecs(monday), float(value))
        floor.append(_msecs(monday), 0.0)
    area = QAreaSeries(usage, floor)
    # The area series does not own its boundary lines; parenting them keeps them alive.
    usage.setParent(area)
    floor.setParent(area)
    area.setName(used)
    fill = QColor(USAGE_COLOUR)
    fill.setAlpha(60)
    area.setBrush(fill)
    area.setPen(QPen(USAGE_COLOUR, 2.0))
    series: list[QAbstractSeries] = [area]
    ends = [d for d, _ in data.weeks] + [d for d, _ in data.deliveries]
    end = max(ends) if ends else date.today()
    for name, points, colour, style in (
        ("PAR level", data.par_line, PAR_COLOUR, Qt.PenStyle.DashLine),
        ("Min", data.min_line, MIN_COLOUR, Qt.PenStyle.DashLine),
        ("Max", data.max_line, MAX_COLOUR, Qt.PenStyle.DashLine),
    ):
        if points:
            level = _line(name, colour, 2.0, style)
            _steps(level, points, end)
            series.append(level)
    stockouts = _scatter(
        "Stockout" if compact else "Stockout (counted 0)",
        STOCKOUT_COLOUR,
        QScatterSeries.MarkerShape.MarkerShapeCircle,
        11,
    )
    for day in data.stockouts:
        stockouts.append(_msecs(day), 0.0)
    if data.stockouts or not compact:
        series.append(stockouts)
    # Deliveries can come daily, so they are drawn as what was received each week. A thin
    # solid line: a dotted one with a hundred bends takes Qt ~200 ms to antialias.
    received = _line(
        "Received" if compact else "Received per week", DELIVERY_COLOUR, 1.2, Qt.PenStyle.SolidLine
    )
    weekly: dict[date, float] = {}
    for day, quantity in data.deliveries:
        monday = week_start(day)
        weekly[monday] = weekly.get(monday, 0.0) + float(quantity)
    for monday, _usage in data.weeks:
        received.append(_msecs(monday), weekly.get(monday, 0.0))
    top = max(
        [float(v) for _, v in data.weeks]
        + [float(v) for points in (data.par_line, data.max_line) for _, v in points]
        + [weekly.get(m, 0.0) for m, _ in data.weeks]
        + [1.0]
    )
    if data.weeks:
        series.append(received)
    # Orders are events, not amounts: they sit on a strip along the top.
    orders = _scatter(
        "Ordered" if compact else "Order placed",
        ORDER_COLOUR,
        QScatterSeries.MarkerShape.MarkerShapeStar,
        14,
    )
    for day, _quantity in data.orders:
        orders.append(_msecs(day), top * 1.1)
    if data.orders:
        series.append(orders)
    for s in series:
        chart.addSeries(s)

    first = min([d for d, _ in data.weeks] + [d for d in data.stockouts] + [end])
    x_axis = month_axis(first, end, compact=compact)
    y_axis = QValueAxis()
    y_axis.setTitleText(f"{data.unit} per week")
    y_axis.setLabelFormat("%.0f")
    y_axis.setRange(0, top * 1.22)
    y_axis.applyNiceNumbers()
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    for s in series:
        s.attachAxis(x_axis)
        s.attachAxis(y_axis)
    return chart


def spend_chart(data: SpendChart, currency: str = "") -> QChart:
    """Spend per month, one stacked bar per month, a colour per department."""
    chart = QChart()
    _style(chart, "Spend per month (value received)")
    totals = [
        sum(float(data.spend[n][k]) for n in data.departments) for k in range(len(data.months))
    ]
    # Large sums read better in thousands than as seven-digit axis labels.
    scale, suffix = (1000.0, " thousands") if max([*totals, 0.0]) >= 10_000 else (1.0, "")
    bars = QStackedBarSeries()
    for k, name in enumerate(data.departments):
        bar_set = QBarSet(name)
        bar_set.setColor(QColor(DEPARTMENT_COLOURS[k % len(DEPARTMENT_COLOURS)]))
        for value in data.spend[name]:
            bar_set.append(float(value) / scale)
        bars.append(bar_set)
    chart.addSeries(bars)
    x_axis = QBarCategoryAxis()
    x_axis.append([m.strftime(MONTH_LABEL) for m in data.months])
    x_axis.setTitleText("Month")
    y_axis = QValueAxis()
    unit = f"{currency}{suffix}".strip()
    y_axis.setTitleText(f"Spend per month{f' ({unit})' if unit else ''}")
    y_axis.setLabelFormat("%.0f")
    y_axis.setRange(0, max([*totals, 1.0]) / scale * 1.1)
    y_axis.applyNiceNumbers()
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(x_axis)
    bars.attachAxis(y_axis)
    chart.legend().setVisible(len(data.departments) > 0)
    return chart


def make_view(chart: QChart, parent: QWidget | None = None) -> QChartView:
    """A chart view with smooth lines."""
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(560, 360)
    return view


def save_png(view: QChartView, path: str | Path) -> bool:
    """Save what the view shows as a PNG file."""
    return view.grab().save(str(path), "PNG")


class ChartDialog(QDialog):
    """A chart with a caption, Save as PNG… and Close."""

    def __init__(self, parent: QWidget | None, title: str, default_name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.default_name = default_name
        fit_and_remember(self, "chart", QSize(1280, 760))
        self.view = make_view(QChart(), self)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.tools = QHBoxLayout()
        save = QPushButton("Save as PNG…", self)
        save.clicked.connect(self.save_as)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(save)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(self.tools)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.caption)
        layout.addLayout(bottom)

    def show_chart(self, chart: QChart) -> None:
        """Replace the chart shown (the view releases the old one; Python frees it)."""
        self.view.setChart(chart)
        self.chart = chart

    def save_as(self) -> None:
        """Ask where, then save the chart as PNG."""
        path, _ = QFileDialog.getSaveFileName(self, "Save chart", self.default_name, "PNG (*.png)")
        if path:
            if not path.lower().endswith(".png"):
                path += ".png"
            if not save_png(self.view, path):
                show_error(self, ParStudioError(f"Could not write {path}."))


class UsageChartDialog(ChartDialog):
    """One PAR setting's usage chart."""

    def __init__(self, parent: QWidget | None, data: SettingChart) -> None:
        super().__init__(parent, f"Usage of {data.title}", f"usage-{data.setting_id}.png")
        self.data = data
        self.show_chart(usage_chart(data))
        source = {
            "counts": "from counts and receipts",
            "issues": "from what the storeroom issued (transfers sent to PAR locations)",
        }.get(data.source, "from receipts (this line is not counted on hand)")
        self.caption.setText(
            f"{len(data.weeks)} complete weeks, usage {source}. "
            f"{len(data.stockouts)} stockouts (counts of 0, red), {len(data.deliveries)} "
            f"deliveries (thin grey line: received per week)"
            f"{f', {len(data.orders)} orders placed (purple stars)' if data.orders else ''}. "
            "Dashed lines: the levels in force each week, seasons included."
        )


class SpendChartDialog(ChartDialog):
    """Spend per month by department, for one department or all."""

    def __init__(self, parent: QWidget | None, db: Database) -> None:
        super().__init__(parent, "Spend per month", "spend-per-month.png")
        self.db = db
        self.department = QComboBox(self)
        self.department.setObjectName("department")
        self.department.addItem("All departments", None)
        for name in charts.departments(db):
            self.department.addItem(name, name)
        self.months = QComboBox(self)
        for months in (12, 24):
            self.months.addItem(f"Last {months} months", months)
        self.tools.addWidget(QLabel("Department:", self))
        self.tools.addWidget(self.department)
        self.tools.addWidget(self.months)
        self.tools.addStretch(1)
        self.department.currentIndexChanged.connect(lambda _i: self.reload())
        self.months.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    def reload(self) -> None:
        """Read the spend again for the chosen department and period."""
        data = charts.spend_by_month(
            self.db, department=self.department.currentData(), months=self.months.currentData()
        )
        self.data = data
        self.show_chart(spend_chart(data))
        self.caption.setText(
            f"Value received (units × pack price ÷ pack size), {data.total:,.2f} in all over "
            f"{len(data.months)} months."
        )


def open_usage_chart(parent: QWidget | None, db: Database, setting_id: int) -> None:
    """Read a setting's chart data and show it."""
    try:
        data = charts.setting_chart(db, setting_id=setting_id)
    except Exception as exc:
        show_error(parent, exc)
        return
    UsageChartDialog(parent, data).exec()
