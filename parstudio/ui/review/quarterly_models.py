"""Table models of the quarterly review report's sections, over its plain records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from parstudio.domain.quarterly_review import ALL_LOCATIONS, UsageComparison
from parstudio.ui.kit.formatting import money, quantity
from parstudio.ui.kit.table_models import Column, ColumnTableModel


def percent(value: Decimal | None) -> str:
    """A change in %, signed: "+12.5 %", "−3.0 %", or "—" when it cannot be said."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{abs(value):.1f} %"


def _num(value: Decimal | int | None) -> float:
    return float("-inf") if value is None else float(value)


def _day(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def _last_if_total(name: str) -> str:
    # The total row sorts after every location, whichever way the column is sorted first.
    return "\uffff" if name == ALL_LOCATIONS else name.lower()


class UsageModel(ColumnTableModel):
    """Usage value per location this quarter, the last, and a year before; the total in bold."""

    columns = (
        Column("Location", lambda r: r.name, lambda r: _last_if_total(r.name), width=260),
        Column(
            "This quarter",
            lambda r: money(r.this_quarter),
            lambda r: _num(r.this_quarter),
            True,
            110,
        ),
        Column(
            "Last quarter",
            lambda r: money(r.last_quarter) if r.last_quarter_known else "no history",
            lambda r: _num(r.last_quarter),
            True,
            110,
        ),
        Column(
            "Change",
            lambda r: percent(r.change_vs_last),
            lambda r: _num(r.change_vs_last),
            True,
            80,
        ),
        Column(
            "Year before",
            lambda r: money(r.year_before) if r.year_before_known else "no history",
            lambda r: _num(r.year_before),
            True,
            110,
        ),
        Column(
            "Change",
            lambda r: percent(r.change_vs_year),
            lambda r: _num(r.change_vs_year),
            True,
            80,
        ),
        Column(
            "Known",
            lambda r: "Whole" if r.complete else "Partly",
            lambda r: int(r.complete),
            width=70,
        ),
    )

    def extra_data(self, row: UsageComparison, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and row.name == ALL_LOCATIONS:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and not row.complete:
            return (
                "Some months of this or the last quarter lack a count on either side, so part "
                "of their usage is not known."
            )
        return None


class StockoutModel(ColumnTableModel):
    """Items that stocked out, most often first."""

    columns = (
        Column("Location", lambda r: r.location_code, lambda r: r.location_code, width=90),
        Column("Item", lambda r: r.item_code, lambda r: r.item_code, width=110),
        Column("Description", lambda r: r.description, lambda r: r.description.lower(), width=260),
        Column("Times out", lambda r: str(r.stockouts), lambda r: r.stockouts, True, 80),
        Column("Counts", lambda r: str(r.counts), lambda r: r.counts, True, 70),
        Column("Last out", lambda r: _day(r.last_on), lambda r: _day(r.last_on), width=95),
    )


class QuarterWasteModel(ColumnTableModel):
    """Waste recorded in the quarter, newest first."""

    columns = (
        Column("Date", lambda r: _day(r.recorded_at.date()), lambda r: r.recorded_at, width=95),
        Column("Location", lambda r: r.location_code, lambda r: r.location_code, width=90),
        Column("Item", lambda r: r.item_code, lambda r: r.item_code, width=110),
        Column("Description", lambda r: r.description, lambda r: r.description.lower(), width=220),
        Column("Lot", lambda r: r.lot or "", lambda r: r.lot or "", width=90),
        Column(
            "Quantity",
            lambda r: f"{quantity(r.quantity)} {r.unit}",
            lambda r: _num(r.quantity),
            True,
            90,
        ),
        Column("Reason", lambda r: r.reason.label, lambda r: r.reason.value, width=130),
        Column("Cost", lambda r: money(r.cost), lambda r: _num(r.cost), True, 90),
        Column("By", lambda r: r.recorded_by or "", lambda r: r.recorded_by or "", width=100),
    )


class RushModel(ColumnTableModel):
    """Orders placed outside the delivery schedule."""

    columns = (
        Column("Order", lambda r: r.number, lambda r: r.number, width=110),
        Column("Ordered", lambda r: _day(r.order_date), lambda r: _day(r.order_date), width=95),
        Column(
            "Expected", lambda r: _day(r.expected_date), lambda r: _day(r.expected_date), width=95
        ),
        Column("Kind", lambda r: r.kind, lambda r: r.kind, width=80),
        Column("From", lambda r: r.source, lambda r: r.source, width=150),
        Column("To", lambda r: r.destinations, lambda r: r.destinations, width=110),
        Column("Value", lambda r: money(r.value), lambda r: _num(r.value), True, 90),
        Column("Why", lambda r: r.why, lambda r: r.why, width=300),
    )


class StockValueModel(ColumnTableModel):
    """Stock value on hand per location at the end of the quarter."""

    columns = (
        Column(
            "Location",
            lambda r: f"{r.location_code} — {r.location_name}",
            lambda r: r.location_code,
            width=260,
        ),
        Column("Stock value", lambda r: money(r.value), lambda r: _num(r.value), True, 110),
        Column(
            "Consignment",
            lambda r: money(r.consignment_value),
            lambda r: _num(r.consignment_value),
            True,
            110,
        ),
        Column("Lines without a price", lambda r: str(r.unpriced), lambda r: r.unpriced, True, 150),
    )


class MoverModel(ColumnTableModel):
    """The settings that used the most this quarter, by value."""

    columns = (
        Column("Location", lambda r: r.location_code, lambda r: r.location_code, width=90),
        Column("Item", lambda r: r.item_code, lambda r: r.item_code, width=110),
        Column("Description", lambda r: r.description, lambda r: r.description.lower(), width=240),
        Column(
            "Used", lambda r: f"{quantity(r.units)} {r.unit}", lambda r: _num(r.units), True, 90
        ),
        Column(
            "Value", lambda r: money(r.value) if r.value else "", lambda r: _num(r.value), True, 90
        ),
        Column(
            "Last quarter",
            lambda r: quantity(r.last_quarter_units),
            lambda r: _num(r.last_quarter_units),
            True,
            100,
        ),
        Column(
            "Change",
            lambda r: percent(r.change_vs_last),
            lambda r: _num(r.change_vs_last),
            True,
            80,
        ),
    )


class OutOfLineModel(ColumnTableModel):
    """The settings furthest from their suggested level."""

    columns = (
        Column("Location", lambda r: r.location_code, lambda r: r.location_code, width=90),
        Column("Item", lambda r: r.item_code, lambda r: r.item_code, width=110),
        Column("Description", lambda r: r.description, lambda r: r.description.lower(), width=220),
        Column("Level", lambda r: r.level, lambda r: r.level, width=55),
        Column("Current", lambda r: quantity(r.current), lambda r: _num(r.current), True, 70),
        Column("Suggested", lambda r: quantity(r.suggested), lambda r: _num(r.suggested), True, 80),
        Column("Change", lambda r: percent(r.change_pct), lambda r: _num(r.change_pct), True, 80),
        Column("Weeks", lambda r: str(r.weeks_used), lambda r: r.weeks_used, True, 60),
        Column("Average week", lambda r: quantity(r.average), lambda r: _num(r.average), True, 100),
        Column("Season", lambda r: r.season or "", lambda r: r.season or "", width=140),
    )
