"""Models of the cost allocation tree and the consignment usage table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from parstudio.domain.consignment import ConsignmentLine, ConsignmentUsage
from parstudio.domain.cost_allocation import AllocationLine, CostAllocation, Totals
from parstudio.domain.replenishment import format_quantity as fq
from parstudio.ui.expiry.models import RowsModel
from parstudio.ui.kit.formatting import money
from parstudio.ui.kit.table_models import Column, ColumnTreeModel

AnyIndex = QModelIndex | QPersistentModelIndex
MUTED = QColor(120, 120, 120)
TOTAL_BACKGROUND = QColor(235, 238, 244)


@dataclass(eq=False)
class Node:
    """A row of the tree: a department, cost centre, location, item, or the overall total."""

    label: str
    kind: str
    """``department``, ``centre``, ``location``, ``line`` or ``total``."""
    totals: Totals | None = None
    line: AllocationLine | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    def add(self, child: Node) -> Node:
        """Hang a child under this node."""
        child.parent = self
        self.children.append(child)
        return child


COLUMNS = (
    ("Department ▸ cost centre ▸ location", ""),
    ("Usage value", "Units used × unit cost (pack price ÷ pack size)"),
    ("Spend", "Units received × unit cost; consignment items: their usage value"),
    ("Of which consignment", "Usage value of consignment items, billed on use"),
    ("Settings", "PAR settings counted in the row"),
    ("No price", "Items without a price, left out of the values"),
)
COL_NAME, COL_USAGE, COL_SPEND, COL_CONSIGNMENT, COL_SETTINGS, COL_UNPRICED = range(6)


def build_tree(report: CostAllocation) -> Node:
    """The report as a tree, with the overall total as the last top-level row."""
    root = Node("", "root")
    for department in report.departments:
        d = root.add(Node(department.name, "department", department.totals))
        for centre in department.cost_centres:
            c = d.add(Node(f"Cost centre {centre.name}", "centre", centre.totals))
            if centre.name.startswith("("):
                c.label = centre.name
            for place in centre.locations:
                p = c.add(Node(f"{place.code} — {place.name}", "location", place.totals))
                for line in place.lines:
                    label = f"{line.facts.item_code}  {line.facts.description}"
                    p.add(Node(label, "line", line=line))
    if report.departments:
        root.add(Node("Total, all departments", "total", report.totals))
    return root


def node_text(node: Node, column: int) -> str:
    """What a cell of the tree shows."""
    if column == COL_NAME:
        return node.label
    if node.line is not None:
        line = node.line
        if column == COL_USAGE:
            return money(line.usage_value) if line.usage_value is not None else "no price"
        if column == COL_SPEND:
            return money(line.spend)
        if column == COL_CONSIGNMENT:
            return money(line.consignment_value) if line.facts.consignment else ""
        return ""
    totals = node.totals
    if totals is None:
        return ""
    if column == COL_USAGE:
        return money(totals.usage_value)
    if column == COL_SPEND:
        return money(totals.spend)
    if column == COL_CONSIGNMENT:
        return money(totals.consignment) if totals.consignment else "–"
    if column == COL_SETTINGS:
        return str(totals.settings)
    return str(totals.unpriced_items) if totals.unpriced_items else ""


def _text_at(column: int) -> Callable[[Node], str]:
    return lambda node: node_text(node, column)


class CostAllocationModel(ColumnTreeModel):
    """Department ▸ cost centre ▸ location ▸ item, with money at every level."""

    HEADER_ALIGNED = True
    columns = tuple(
        Column(
            label,
            _text_at(at),
            _text_at(at),
            numeric=at != COL_NAME,
            tip=tip,
        )
        for at, (label, tip) in enumerate(COLUMNS)
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(Node("", "root"), parent)
        self.report: CostAllocation | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_report(self, report: CostAllocation | None) -> None:
        """Show a report (or nothing)."""
        self.report = report
        self.set_root(build_tree(report) if report is not None else Node("", "root"))

    def node(self, index: AnyIndex) -> Node:
        """The node of an index (the root for an invalid one)."""
        found = super().node(index)
        assert isinstance(found, Node)
        return found

    def record_of(self, row: Node) -> Any:
        return row.line or row.totals

    def extra_data(self, row: Node, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and row.kind in ("department", "total"):
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and row.kind == "line":
            line = row.line
            if line is not None and line.facts.unit_cost is None:
                return QBrush(MUTED)
        if role == Qt.ItemDataRole.BackgroundRole and row.kind == "total":
            return QBrush(TOTAL_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole and row.kind == "line":
            return self._line_tip(row)
        return None

    @staticmethod
    def _line_tip(node: Node) -> str:
        line = node.line
        assert line is not None
        facts = line.facts
        unit = facts.unit
        price = f"{facts.unit_cost:,.4f}".rstrip("0").rstrip(".") if facts.unit_cost else "none"
        tip = f"{fq(line.used)} {unit} used, {fq(line.received)} {unit} received; unit cost {price}"
        if facts.consignment:
            tip += "\nConsignment: billed on use, so its spend is its usage value."
        if not line.known:
            tip += "\nNot counted across the whole period: usage covers the counted days only."
        return tip


class ConsignmentModel(RowsModel[tuple[str, ConsignmentLine]]):
    """The consignment lines used in the period, one row per item and location, by vendor."""

    COLUMNS = (
        ("Vendor", "", lambda r: r[0], False),
        ("Location", "", lambda r: r[1].location_code, False),
        ("Item", "", lambda r: r[1].item_code, False),
        ("Vendor no.", "The vendor's item number", lambda r: r[1].vendor_item_no, False),
        ("Description", "", lambda r: r[1].description, False),
        ("Unit", "", lambda r: r[1].unit, False),
        ("Used", "Units used in the period, whole units", lambda r: r[1].used, True),
        ("Unit price", "Pack price ÷ pack size", lambda r: r[1].unit_price, True),
        ("Value", "Units used × unit price", lambda r: r[1].value, True),
    )
    MONEY_COLUMNS = frozenset({7, 8})
    HEADER_ALIGNED = True

    def set_report(self, report: ConsignmentUsage) -> None:
        """Show a report's lines."""
        self.set_rows([(vendor.vendor, line) for vendor in report.vendors for line in vendor.lines])

    def display(self, row: tuple[str, ConsignmentLine], column: int, value: Any) -> str:
        if column in self.MONEY_COLUMNS:
            return money(value) if value is not None else "no price"
        return super().display(row, column, value)
