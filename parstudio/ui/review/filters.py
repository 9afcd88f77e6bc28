"""The Review page's bar (filters, Recompute, the Reports menu) and the words about the list."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.review import Formula, ReviewList


@dataclass
class ReviewBar:
    """The widgets of the bar above the review list, and the layout holding them."""

    threshold: QSpinBox
    min_units: QSpinBox
    formula: QComboBox
    location: QComboBox
    recompute_button: QPushButton
    reports_button: QPushButton
    quarterly_action: QAction
    costs_action: QAction
    consignment_action: QAction
    spend_action: QAction
    layout: QVBoxLayout


def review_bar(parent: QWidget) -> ReviewBar:
    """Make the filters, the Recompute button and the Reports menu, in two rows."""
    threshold = QSpinBox(parent)
    threshold.setObjectName("threshold")
    threshold.setRange(0, 500)
    threshold.setValue(25)
    threshold.setSuffix(" %")
    threshold.setToolTip("List settings whose suggestion differs by more than this")
    min_units = QSpinBox(parent)
    min_units.setObjectName("min_units")
    min_units.setRange(0, 10_000)
    min_units.setValue(2)
    min_units.setToolTip("…and by at least this many units, so 2 → 1 is not listed")
    formula = QComboBox(parent)
    formula.setObjectName("formula")
    formula.addItem("Coverage (longest wait + lead time, 95 %)", Formula.COVERAGE)
    formula.addItem("Deliveries per week (+25 %)", Formula.DELIVERIES)
    location = QComboBox(parent)
    location.setObjectName("review_location")
    location.setMinimumWidth(220)
    recompute_button = QPushButton("Recompute suggestions…", parent)
    # The reports share one menu: the bar above the list is full at 1280 px already.
    reports_button = QPushButton("Reports", parent)
    reports_button.setObjectName("reports")
    reports = QMenu(reports_button)
    quarterly_action = reports.addAction("Quarterly review report…")
    quarterly_action.setToolTip(
        "Usage against earlier quarters, stockouts, waste, rush orders, stock value"
    )
    costs_action = reports.addAction("Cost allocation…")
    consignment_action = reports.addAction("Consignment usage…")
    spend_action = reports.addAction("Spend per month…")
    reports_button.setMenu(reports)
    # Two rows: on one, the filters and the buttons collide at 1280 px.
    filters = QHBoxLayout()
    filters.addWidget(QLabel("Differs by more than", parent))
    filters.addWidget(threshold)
    filters.addWidget(QLabel("and at least", parent))
    filters.addWidget(min_units)
    filters.addWidget(QLabel("units, by", parent))
    filters.addWidget(formula)
    filters.addStretch(1)
    where = QHBoxLayout()
    where.addWidget(QLabel("Location:", parent))
    where.addWidget(location)
    where.addStretch(1)
    where.addWidget(recompute_button)
    where.addWidget(reports_button)
    top = QVBoxLayout()
    top.addLayout(filters)
    top.addLayout(where)
    return ReviewBar(
        threshold,
        min_units,
        formula,
        location,
        recompute_button,
        reports_button,
        quarterly_action,
        costs_action,
        consignment_action,
        spend_action,
        top,
    )


def freshness_text(found: ReviewList, threshold: int) -> str:
    """How many settings the list shows, and when and from what the suggestions were made."""
    if not found.profiles:
        return (
            "No suggestions yet: click “Recompute suggestions…” to work them out from the "
            "counts and receipts of the last two years."
        )
    when = found.computed_at.astimezone().strftime("%d %b %Y %H:%M") if found.computed_at else ""
    through = found.history_through.strftime("%d %b %Y") if found.history_through else ""
    return (
        f"<b>{len(found.lines)}</b> of {found.settings} settings differ by more than "
        f"{threshold} %. Suggestions computed {when} from history up to "
        f"{through} ({found.profiles} settings)."
    )


def empty_text(found: ReviewList, threshold: int) -> str:
    """What the empty list says instead of rows."""
    if not found.profiles:
        return "No suggestions have been computed yet."
    return (
        f"Every setting here is within {threshold} % of its suggestion.\n"
        "Lower the difference to see more."
    )
