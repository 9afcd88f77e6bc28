"""Table models of the proposal and order screens, over plain records."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from parstudio.domain.orders import OrderLineRecord, OrderRecord, ProposalLine
from parstudio.domain.rebalance import SurplusOffer
from parstudio.ui.kit.formatting import money, quantity
from parstudio.ui.kit.table_models import AnyIndex, Column, ColumnTableModel, SortRole

WARNING_BACKGROUND = QColor("#fff4d6")
OVERRIDE_COLOUR = QColor("#1f5fbf")


def _num(value: Decimal | int | None) -> float:
    return float(value) if value is not None else -1.0


class ProposalTableModel(ColumnTableModel):
    """Proposal lines to order; the Packs column is editable and shows overrides."""

    COL_PACKS = 7
    COL_COST = 9
    COL_FROM = 10
    columns = (
        Column("Location", lambda r: r.location_code, lambda r: r.location_code, width=100),
        Column("Bin", lambda r: r.bin or "", lambda r: r.bin or "", width=70),
        Column("Item code", lambda r: r.item_code, lambda r: r.item_code, width=120),
        Column("Description", lambda r: r.description, lambda r: r.description.lower(), width=260),
        Column("Count type", lambda r: r.count_type, lambda r: r.count_type, width=100),
        Column("On hand", lambda r: quantity(r.on_hand), lambda r: _num(r.on_hand), True, 70),
        Column("Need", lambda r: quantity(r.need), lambda r: _num(r.need), True, 60),
        Column("Packs", lambda r: str(r.packs), lambda r: r.packs, True, 60),
        Column(
            "Pack", lambda r: f"{quantity(r.pack_size)} {r.unit}", lambda r: r.pack_size, True, 70
        ),
        Column("Cost", lambda r: money(r.cost), lambda r: _num(r.cost), True, 80),
        Column("From", lambda r: r.source_code or "—", lambda r: r.source_code or "", width=80),
        Column("Explanation", lambda r: r.explanation, lambda r: r.explanation, width=420),
    )

    edit_refused = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.overrides: dict[int, int] = {}
        self.switches: dict[int, tuple[SurplusOffer, Decimal]] = {}
        self.last_error = ""

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.overrides = {}
        self.switches = {}
        super().set_rows(rows)

    def switch(self, line: ProposalLine, offer: SurplusOffer | None) -> None:
        """Take what the line needs (up to the offer) from another location's surplus and buy
        only the rest; None buys it all from the supplier again."""
        self.switches.pop(line.setting_id, None)
        self.overrides.pop(line.setting_id, None)
        if offer is not None:
            taken = min(offer.units, line.need.to_integral_value(rounding=ROUND_FLOOR))
            self.switches[line.setting_id] = (offer, taken)
            rest = max(line.need - taken, Decimal(0))
            packs = int((rest / line.pack_size).to_integral_value(rounding=ROUND_CEILING))
            if packs != line.packs:
                self.overrides[line.setting_id] = packs
        row = self._rows.index(line)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def cell_text(self, row: Any, column: int) -> str:
        switched = self.switches.get(row.setting_id) if column == self.COL_FROM else None
        if switched is not None:
            return f"{switched[0].source_code} + {row.source_code or '—'}"
        return super().cell_text(row, column)

    def packs_of(self, line: ProposalLine) -> int:
        """The packs to order: the person's figure if they changed it."""
        return self.overrides.get(line.setting_id, line.packs)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            index.isValid()
            and index.column() == self.COL_PACKS
            and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole)
            and 0 <= index.row() < len(self._rows)
        ):
            return str(self.packs_of(self._rows[index.row()]))
        if (
            index.isValid()
            and index.column() == self.COL_COST
            and role in (Qt.ItemDataRole.DisplayRole, SortRole)
            and 0 <= index.row() < len(self._rows)
        ):
            cost = self.cost_of(self._rows[index.row()])
            return money(cost) if role == Qt.ItemDataRole.DisplayRole else _num(cost)
        return super().data(index, role)

    def cost_of(self, line: ProposalLine) -> Decimal | None:
        """What the line costs at the packs to order (the person's figure if changed)."""
        return None if line.pack_price is None else line.pack_price * self.packs_of(line)

    def extra_data(self, row: ProposalLine, column: int, role: int) -> Any:
        overridden = row.setting_id in self.overrides
        if role == Qt.ItemDataRole.BackgroundRole and row.warnings:
            return QBrush(WARNING_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_PACKS and overridden:
            return QBrush(OVERRIDE_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [row.explanation, *row.warnings]
            if overridden:
                lines.append(f"Changed from the proposed {row.packs} packs.")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.FontRole and column == self.COL_PACKS and overridden:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def editable(self, row: Any, column: int) -> bool:
        """Only the packs are typed over."""
        return column == self.COL_PACKS

    def set_cell(self, row_number: int, column: int, value: Any) -> bool:
        """Accept a whole, non-negative number of packs; anything else is refused where typed."""
        text = str(value).strip()
        row = self._rows[row_number]
        if not text.isdigit():
            self.last_error = (
                f"{row.item_code}: “{text}” is not a number of packs: type a whole number, 0 or"
                " more. The proposed figure is kept."
            )
            self.edit_refused.emit(self.last_error)
            return False
        packs = int(text)
        if packs == row.packs:
            self.overrides.pop(row.setting_id, None)
        else:
            self.overrides[row.setting_id] = packs
        self.last_error = ""
        self.dataChanged.emit(
            self.index(row_number, 0), self.index(row_number, len(self.columns) - 1)
        )
        return True


def _reason(line: ProposalLine) -> str:
    """Why a line is not ordered, without repeating the Problem column."""
    text = line.reason or line.explanation
    problem = f"{line.status.value.capitalize()}: "
    if text.lower().startswith(problem.lower()):
        text = text[len(problem) :]
        return text[:1].upper() + text[1:]
    return text


class AttentionTableModel(ColumnTableModel):
    """Lines that need a person (a new or missing count, a setting that cannot be computed),
    or, in a second table, lines already ordered since their count (for information)."""

    columns = (
        Column("Location", lambda r: r.location_code, lambda r: r.location_code, width=95),
        Column("Bin", lambda r: r.bin or "", lambda r: r.bin or "", width=60),
        Column("Item code", lambda r: r.item_code, lambda r: r.item_code, width=90),
        Column(
            "Problem", lambda r: r.status.value.capitalize(), lambda r: r.status.value, width=135
        ),
        # The reason before the description: it is what the person acts on.
        Column("Reason", lambda r: _reason(r), lambda r: _reason(r), width=360),
        Column("Description", lambda r: r.description, lambda r: r.description.lower(), width=260),
    )


class OrderTableModel(ColumnTableModel):
    """Orders, newest first."""

    columns = (
        Column("Number", lambda r: r.number, lambda r: r.number, width=120),
        Column("Kind", lambda r: r.kind.value.title(), lambda r: r.kind.value, width=90),
        Column(
            "To / from",
            lambda r: f"{r.source_code} — {r.source_name}",
            lambda r: r.source_code,
            width=240,
        ),
        Column("Status", lambda r: r.status.value.title(), lambda r: r.status.value, width=90),
        Column("Rush", lambda r: "Rush" if r.rush else "", lambda r: int(r.rush), width=55),
        Column(
            "Ordered",
            lambda r: r.order_date.isoformat(),
            lambda r: r.order_date.isoformat(),
            width=95,
        ),
        Column(
            "Expected",
            lambda r: r.expected_date.isoformat() if r.expected_date else "",
            lambda r: r.expected_date.isoformat() if r.expected_date else "",
            width=95,
        ),
        Column("Lines", lambda r: str(r.line_count), lambda r: r.line_count, True, 55),
        Column("Total", lambda r: money(r.total), lambda r: float(r.total), True, 90),
        Column(
            "Approved by", lambda r: r.approved_by or "", lambda r: r.approved_by or "", width=110
        ),
    )

    def extra_data(self, row: OrderRecord, column: int, role: int) -> Any:
        return None


class OrderLineTableModel(ColumnTableModel):
    """The lines of one order."""

    columns = (
        Column("Location", lambda r: r.location_code, lambda r: r.location_code, width=100),
        Column("Bin", lambda r: r.bin or "", lambda r: r.bin or "", width=70),
        Column("Item code", lambda r: r.item_code, lambda r: r.item_code, width=120),
        Column(
            "Supplier item",
            lambda r: r.supplier_item_no or "",
            lambda r: r.supplier_item_no or "",
            width=110,
        ),
        Column("Description", lambda r: r.description, lambda r: r.description.lower(), width=260),
        Column("Packs", lambda r: str(r.packs), lambda r: r.packs, True, 60),
        Column(
            "Units", lambda r: f"{quantity(r.units)} {r.unit}", lambda r: float(r.units), True, 80
        ),
        Column(
            "Received",
            lambda r: quantity(r.received_units),
            lambda r: float(r.received_units),
            True,
            75,
        ),
        Column("Pack price", lambda r: money(r.pack_price), lambda r: _num(r.pack_price), True, 80),
        Column("Total", lambda r: money(r.total), lambda r: _num(r.total), True, 80),
    )

    def extra_data(self, row: OrderLineRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            note = (
                f"\nChanged by {row.overridden_by} from {row.proposed_packs} packs."
                if (row.overridden_by)
                else ""
            )
            lot = f"\nPick lot {row.lot}" if row.lot else ""
            return (row.explanation or "") + note + lot
        return None
