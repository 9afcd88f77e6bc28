"""Table models of Rebalance and of Stock across locations, over plain records."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from parstudio.domain.errors import ValidationError
from parstudio.domain.rebalance import Suggestion, day_text, parse_quantity
from parstudio.domain.stock_across import LocationStock
from parstudio.ui.kit.formatting import local_time, quantity
from parstudio.ui.kit.table_models import AnyIndex, Column, ColumnTableModel, SortRole

CHANGED_COLOUR = QColor("#1f5fbf")
SHORT_COLOUR = QColor("#a01818")
SURPLUS_COLOUR = QColor("#1d6b2f")
MUTED_COLOUR = QColor("#777777")


def _num(value: Decimal | None) -> float:
    return float(value) if value is not None else -1.0


class RebalanceModel(ColumnTableModel):
    """Suggested moves: a tick to take each, and its quantity (editable down, never up)."""

    COL_TAKE = 0
    COL_QUANTITY = 9
    columns = (
        Column("Move", lambda _r: "", lambda _r: 0, width=52, tip="Tick the moves to make"),
        Column("Reason", lambda r: r.kind.label, lambda r: r.kind.value, width=125),
        Column("Item code", lambda r: r.item_code, lambda r: r.item_code, width=100),
        Column("Description", lambda r: r.description, lambda r: r.description.lower(), width=190),
        Column("From", lambda r: r.source_code, lambda r: r.source_code, width=85),
        Column("To", lambda r: r.destination_code, lambda r: r.destination_code, width=85),
        Column("Lot", lambda r: r.lot or "", lambda r: r.lot or "", width=80),
        Column(
            "Expires",
            lambda r: day_text(r.expiry) if r.expiry else "",
            lambda r: r.expiry.isoformat() if r.expiry else "",
            width=95,
        ),
        Column(
            "Suggested",
            lambda r: f"{quantity(r.quantity)} {r.unit}",
            lambda r: float(r.quantity),
            True,
            80,
        ),
        Column(
            "Quantity",
            lambda r: quantity(r.quantity),
            lambda r: float(r.quantity),
            True,
            70,
            tip="Units to move: type less to move less; never more than suggested",
        ),
        Column("Why", lambda r: r.explanation, lambda r: r.explanation, width=400),
    )

    edit_refused = Signal(str)
    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.untaken: set[int] = set()
        self.quantities: dict[int, Decimal] = {}
        self.last_error = ""

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.untaken = set()
        self.quantities = {}
        self.last_error = ""
        super().set_rows(rows)

    def quantity_of(self, row: int) -> Decimal:
        """The units to move on a row: the person's figure if they changed it."""
        suggestion: Suggestion = self._rows[row]
        return self.quantities.get(row, suggestion.quantity)

    def accepted(self) -> list[tuple[Suggestion, Decimal]]:
        """The ticked moves with their quantities (0 left out)."""
        return [
            (suggestion, self.quantity_of(row))
            for row, suggestion in enumerate(self._rows)
            if row not in self.untaken and self.quantity_of(row) > 0
        ]

    def set_all(self, taken: bool) -> None:
        """Tick (or untick) every move."""
        self.untaken = set() if taken else set(range(len(self._rows)))
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))
        self.changed.emit()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = index.row(), index.column()
        if column == self.COL_TAKE and role == Qt.ItemDataRole.CheckStateRole:
            taken = row not in self.untaken
            return Qt.CheckState.Checked if taken else Qt.CheckState.Unchecked
        if column == self.COL_QUANTITY and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
        ):
            return quantity(self.quantity_of(row))
        if column == self.COL_QUANTITY and role == SortRole:
            return float(self.quantity_of(row))
        look = self._look(row, column, role)
        return look if look is not None else super().data(index, role)

    def extra_data(self, row: Suggestion, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.explanation
        return None

    def _look(self, row: int, column: int, role: int) -> Any:
        """How a row the person unticked or changed looks (None: as any other)."""
        changed = column == self.COL_QUANTITY and row in self.quantities
        if role == Qt.ItemDataRole.ForegroundRole and row in self.untaken:
            return QBrush(MUTED_COLOUR)
        if role == Qt.ItemDataRole.ForegroundRole and changed:
            return QBrush(CHANGED_COLOUR)
        if role == Qt.ItemDataRole.FontRole and changed:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.COL_TAKE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if index.isValid() and index.column() == self.COL_QUANTITY:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A tick, or a quantity: at most the suggested one, never negative, in whole packs;
        anything else is refused where typed and the figure before it kept."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        row = index.row()
        if index.column() == self.COL_TAKE and role == Qt.ItemDataRole.CheckStateRole:
            if Qt.CheckState(value) == Qt.CheckState.Checked:
                self.untaken.discard(row)
            else:
                self.untaken.add(row)
        elif index.column() == self.COL_QUANTITY and role == Qt.ItemDataRole.EditRole:
            suggestion: Suggestion = self._rows[row]
            try:
                typed = parse_quantity(str(value), suggestion)
            except ValidationError as exc:
                self.last_error = f"{exc} The figure before is kept."
                self.edit_refused.emit(self.last_error)
                return False
            if typed == suggestion.quantity:
                self.quantities.pop(row, None)
            else:
                self.quantities[row] = typed
            self.last_error = ""
        else:
            return False
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        self.changed.emit()
        return True


def _lots(row: LocationStock) -> str:
    return ", ".join(
        f"{lot.lot or 'no lot'} × {quantity(lot.quantity)} ({day_text(lot.expiry)})"
        for lot in row.expiring
    )


class StockAcrossModel(ColumnTableModel):
    """One item at every location: the latest count beside PAR, surplus and shortage."""

    COL_SURPLUS = 5
    COL_SHORTAGE = 6
    columns = (
        Column("Location", lambda r: r.location_code, lambda r: r.location_code, width=95),
        Column("Name", lambda r: r.location_name, lambda r: r.location_name.lower(), width=140),
        Column(
            "On hand",
            lambda r: quantity(r.on_hand) if r.on_hand is not None else "—",
            lambda r: _num(r.on_hand),
            True,
            70,
        ),
        Column(
            "Counted",
            lambda r: local_time(r.counted_at) if r.counted_at else "never",
            lambda r: r.counted_at.isoformat() if r.counted_at else "",
            width=120,
        ),
        Column(
            "PAR / Max",
            lambda r: quantity(r.level),
            lambda r: _num(r.level),
            True,
            75,
            tip="The PAR level, or the Max of a MIN/MAX line",
        ),
        Column("Surplus", lambda r: quantity(r.surplus), lambda r: _num(r.surplus), True, 65),
        Column("Shortage", lambda r: quantity(r.shortage), lambda r: _num(r.shortage), True, 70),
        Column(
            "On order",
            lambda r: quantity(r.open_supply) if r.open_supply else "",
            lambda r: float(r.open_supply),
            True,
            70,
            tip="Units on open orders and transfers not yet received",
        ),
        Column("Expiring lots", _lots, _lots, width=220, tip="Lots expiring within 90 days"),
        Column("Note", lambda r: r.status, lambda r: r.status, width=200),
    )

    def extra_data(self, row: LocationStock, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.COL_SURPLUS and row.surplus:
                return QBrush(SURPLUS_COLOUR)
            if column == self.COL_SHORTAGE and row.shortage:
                return QBrush(SHORT_COLOUR)
            if row.on_hand is None:
                return QBrush(MUTED_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and row.status:
            return row.status
        return None
