"""The cost allocation's cases tab: what was used on cases, by procedure and by physician."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from parstudio.domain.case_costs import CaseCostRow, CaseCosts
from parstudio.ui.expiry.models import RowsModel
from parstudio.ui.kit.formatting import money
from parstudio.ui.kit.page import TableBody, sorted_table, table_or_empty

WIDTHS = (130, 50, 70, 80)


class CaseCostModel(RowsModel[CaseCostRow]):
    """Procedures (or physicians), most expensive first, "(none)" last."""

    COLUMNS = (
        ("Name", "", lambda r: r.name, False),
        ("Cases", "", lambda r: r.cases, True),
        ("Use lines", "", lambda r: r.lines, True),
        ("Cost", "Quantity × the unit cost recorded when used", lambda r: r.cost, True),
        ("No cost", "Use lines without a unit cost, left out of the cost",
         lambda r: r.unpriced_lines or "", True),
    )  # fmt: skip

    def display(self, row: CaseCostRow, column: int, value: object) -> str:
        if column == 3:
            return money(row.cost)
        return "" if value is None else str(value)


class CaseCostsView(QWidget):
    """Two tables side by side, and what the figures leave out."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.procedures = CaseCostModel(self)
        self.physicians = CaseCostModel(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("case_costs_summary")
        self.summary.setWordWrap(True)
        tables = QHBoxLayout()
        self.bodies: list[TableBody] = []
        for title, model, name in (
            ("By procedure", self.procedures, "procedure_costs"),
            ("By physician", self.physicians, "physician_costs"),
        ):
            box = QGroupBox(title, self)
            view = sorted_table(box, model, WIDTHS)
            view.setObjectName(name)
            body, empty = table_or_empty(box, view)
            empty.setText("No use on cases in this period.")
            self.bodies.append(body)
            inner = QVBoxLayout(box)
            inner.addWidget(body)
            tables.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(tables, 1)

    def set_costs(self, costs: CaseCosts | None) -> None:
        """Show the cost of the use lines (None: nothing to show)."""
        costs = costs or CaseCosts()
        self.procedures.set_rows(list(costs.by_procedure))
        self.physicians.set_rows(list(costs.by_physician))
        for body in self.bodies:
            body.show_rows(bool(costs.lines))
        if not costs.lines:
            self.summary.setText(
                "Nothing was recorded to cases in this period. Items scanned to a case on the "
                "count screen are costed here by the case's procedure and physician."
            )
            return
        text = (
            f"Used on cases: <b>{money(costs.cost)}</b> on {costs.cases} case"
            f"{'s' if costs.cases != 1 else ''} ({costs.lines} use lines), at the unit cost "
            "recorded when each was used. Cases without a procedure or physician are under "
            "(none)."
        )
        if costs.note:
            text += f"<br>{costs.note}"
        self.summary.setText(text)
