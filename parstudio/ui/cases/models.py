"""The Cases page's tables: the cases at a location, and the lines used on one case."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from parstudio.domain.cases import CaseRecord, UseLineRecord
from parstudio.ui.kit.formatting import money, quantity
from parstudio.ui.kit.table_models import INACTIVE_COLOUR, Column, ColumnTableModel

__all__ = ["CaseListModel", "UseLinesModel"]


def _when(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment.astimezone():%d %b %H:%M}"


def _stamp(moment: datetime | None) -> float:
    return 0.0 if moment is None else moment.timestamp()


# Column widths here are in tenths of a digit's width (the screen's font decides the pixels).


class CaseListModel(ColumnTableModel):
    """Cases opened at the location, newest first."""

    columns = (
        Column("Case", lambda c: c.identifier, lambda c: c.identifier.lower(), width=90),
        Column("Opened", lambda c: _when(c.opened_at), lambda c: _stamp(c.opened_at), width=100),
        Column("Procedure", lambda c: c.procedure or "", lambda c: (c.procedure or "").lower()),
    )

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        """The tooltip says the rest: the physician and how many lines."""
        if role == Qt.ItemDataRole.ToolTipRole:
            case: CaseRecord = row
            return f"{case.physician or 'No physician'} · {case.lines} line(s)"
        return None

    def row_of(self, case_id: int) -> int | None:
        """The row showing this case, if listed."""
        for row, case in enumerate(self._rows):
            if case.id == case_id:
                return row
        return None

    def put(self, case: CaseRecord) -> int:
        """Show a case opened or changed: in place if listed, else on top."""
        row = self.row_of(case.id)
        if row is None:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._rows.insert(0, case)
            self.endInsertRows()
            return 0
        self._rows[row] = case
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return row


class UseLinesModel(ColumnTableModel):
    """The items used on one case, in the order they were scanned; voided lines greyed."""

    columns = (
        Column("Item", lambda u: u.item_code, lambda u: u.item_code.lower(), width=100),
        Column("Description", lambda u: u.description, lambda u: u.description.lower(), width=200),
        Column("Lot", lambda u: u.lot or "", lambda u: u.lot or "", width=70),
        Column("Serial", lambda u: u.serial or "", lambda u: u.serial or "", width=105),
        Column(
            "Expiry",
            lambda u: "" if u.expiry is None else f"{u.expiry:%d %b %Y}",
            lambda u: u.expiry.isoformat() if u.expiry else "",
            width=100,
        ),
        Column(
            "Qty",
            lambda u: quantity(u.quantity),
            lambda u: float(u.quantity),
            numeric=True,
            width=30,
        ),
        Column("Billable", lambda u: "Yes" if u.billable else "", lambda u: u.billable, width=50),
        Column(
            "Charge",
            lambda u: u.charge_code or "",
            lambda u: u.charge_code or "",
            width=60,
            tip="The billing office's code; the charge price is in the tooltip",
        ),
        Column("By", lambda u: u.used_by or "", lambda u: (u.used_by or "").lower(), width=60),
        Column(
            "When",
            lambda u: f"{u.used_at.astimezone():%H:%M}",
            lambda u: _stamp(u.used_at),
            width=55,
            tip="The time it was recorded; the day is in the tooltip",
        ),
    )
    COL_DESCRIPTION = 1
    COL_WHEN = 9

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        """Voided lines are grey and struck through, and say who voided them."""
        line: UseLineRecord = row
        if line.voided:
            if role == Qt.ItemDataRole.ForegroundRole:
                return INACTIVE_COLOUR
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setStrikeOut(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Voided by {line.voided_by or 'someone'} {_when(line.voided_at)}"
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_WHEN:
            return f"Recorded {line.used_at.astimezone():%d %b %Y %H:%M} by {line.used_by or '?'}"
        if role == Qt.ItemDataRole.ToolTipRole and line.billable:
            price = money(line.charge_price) if line.charge_price is not None else "no price"
            return f"Charge {line.charge_code or '(no code)'}: {price} per {line.unit}"
        return None

    def line_at(self, row: int) -> UseLineRecord | None:
        """The line shown in a row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def replace(self, line: UseLineRecord) -> int | None:
        """Show a changed line (voided) in place."""
        for row, shown in enumerate(self._rows):
            if shown.id == line.id:
                self._rows[row] = line
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
                return row
        return None

    def append(self, line: UseLineRecord) -> int:
        """Show a new line at the bottom."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(line)
        self.endInsertRows()
        return row
