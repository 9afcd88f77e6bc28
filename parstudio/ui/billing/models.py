"""Table models of the Charges page: charge lines, reconciliation lines, serials and events."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from parstudio.domain.charges import ChargeLine
from parstudio.domain.reconciliation import GapStatus, ReconciliationLine
from parstudio.domain.serials import SerialEvent, SerialStatus
from parstudio.ui.expiry.models import RowsModel
from parstudio.ui.kit.formatting import local_time, money, quantity

PROBLEM_COLOUR = QColor("#b00020")
UNBILLED_COLOUR = QColor("#b00020")
OVER_COLOUR = QColor("#a35a00")
QUIET_COLOUR = QColor("#777777")


def _when(value: datetime | None) -> str:
    return local_time(value) if value is not None else ""


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class ChargeModel(RowsModel[ChargeLine]):
    """The lines of the charge file, oldest use first."""

    COLUMNS = (
        ("Case", "The case, visit or encounter number", lambda c: c.case_identifier, False),
        ("Used", "When it was used (local time)", lambda c: c.used_at, False),
        ("Location", "", lambda c: c.location_code, False),
        ("Procedure", "", lambda c: c.procedure, False),
        ("Physician", "", lambda c: c.physician, False),
        ("Item", "", lambda c: c.item_code, False),
        ("Description", "", lambda c: c.description, False),
        ("Charge code", "", lambda c: c.charge_code, False),
        ("Qty", "Quantity, in units of issue", lambda c: c.quantity, True),
        ("Price", "Charge price of one unit", lambda c: c.unit_price, True),
        ("Charge", "Quantity × price", lambda c: c.extended_price, True),
        ("Lot / serial", "", lambda c: " / ".join(p for p in (c.lot, c.serial) if p), False),
        ("Problem", "What keeps the line from being billed", lambda c: c.problem, False),
    )
    MONEY = (9, 10)
    PROBLEM = 12

    def display(self, row: ChargeLine, column: int, value: Any) -> str:
        if isinstance(value, datetime):
            return _when(value)
        if column in self.MONEY:
            return money(value) if value is not None else "—"
        if isinstance(value, Decimal):
            return quantity(value)
        return "" if value is None else str(value)

    def decorate(self, row: ChargeLine, column: int, role: int) -> Any:
        if row.problem and role == Qt.ItemDataRole.ForegroundRole and column == self.PROBLEM:
            return QBrush(PROBLEM_COLOUR)
        return None


class ReconciliationModel(RowsModel[ReconciliationLine]):
    """Reconciliation lines, largest unbilled value first; the gap coloured by what it says."""

    COLUMNS = (
        ("Location", "", lambda r: r.location_code, False),
        ("Item", "", lambda r: r.item_code, False),
        ("Description", "", lambda r: r.description, False),
        ("Charge code", "", lambda r: r.charge_code, False),
        ("Between counts", "Seen and recorded are compared between these two counts",
         lambda r: r.compared_from, False),
        ("Seen", "Usage by counts and receipts: previous + received − thrown away − this",
         lambda r: r.usage, True),
        ("Recorded", "Recorded to cases (voided lines left out)", lambda r: r.recorded, True),
        ("Gap", "Seen − recorded: positive is used and not recorded to a case",
         lambda r: r.gap, True),
        ("Gap value", "The gap at the charge price", lambda r: r.gap_value, True),
        ("Status", "", lambda r: r.status.value, False),
        ("Note", "", lambda r: r.note, False),
    )  # fmt: skip
    BETWEEN = 4
    GAP = (7, 8)
    STATUS = 9
    NOTE = 10

    def display(self, row: ReconciliationLine, column: int, value: Any) -> str:
        if column == self.BETWEEN:
            return _between(row)
        if column == 5 and value is None:
            return "not counted"
        if column == 8:
            return money(value) if value is not None else "—"
        if isinstance(value, Decimal):
            return quantity(value)
        return "" if value is None else str(value)

    def decorate(self, row: ReconciliationLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NOTE:
            return row.note or None
        if role == Qt.ItemDataRole.ToolTipRole and column == self.BETWEEN:
            if row.compared_from is None or row.compared_to is None:
                return None
            return (
                f"Counted {local_time(row.compared_from)} and {local_time(row.compared_to)}: "
                "the usage between them against what was recorded to cases between them"
            )
        if column not in (*self.GAP, self.STATUS):
            if row.status is GapStatus.NOT_COUNTED and role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QUIET_COLOUR)
            return None
        colour = {
            GapStatus.UNBILLED: UNBILLED_COLOUR,
            GapStatus.OVER_RECORDED: OVER_COLOUR,
            GapStatus.NOT_COUNTED: QUIET_COLOUR,
        }.get(row.status)
        if role == Qt.ItemDataRole.ForegroundRole and colour is not None:
            return QBrush(colour)
        if role == Qt.ItemDataRole.FontRole and row.status is GapStatus.UNBILLED:
            return _bold()
        return None


class SerialStatusModel(RowsModel[SerialStatus]):
    """An item's serials: where each is by its history."""

    COLUMNS = (
        ("Serial", "", lambda s: s.serial, False),
        ("Where", "Where the unit is by the latest evidence", lambda s: s.where, False),
        ("Received", "", lambda s: s.received_at, False),
        ("At", "Where it was received", lambda s: s.received_location, False),
        ("Order", "", lambda s: s.order_number, False),
        ("Last seen", "The latest count that scanned it", lambda s: s.last_seen_at, False),
        ("Case", "The case it was used on", lambda s: s.case, False),
        ("Recalled", "", lambda s: "RECALLED" if s.recalled else "", False),
    )
    RECALLED = 7

    def display(self, row: SerialStatus, column: int, value: Any) -> str:
        if isinstance(value, datetime):
            return _when(value)
        return "" if value is None else str(value)

    def decorate(self, row: SerialStatus, column: int, role: int) -> Any:
        if row.recalled and role == Qt.ItemDataRole.ForegroundRole and column in (0, 7):
            return QBrush(PROBLEM_COLOUR)
        if row.recalled and role == Qt.ItemDataRole.FontRole and column in (0, 7):
            return _bold()
        return None


class SerialEventModel(RowsModel[SerialEvent]):
    """One serial's events, oldest first."""

    COLUMNS = (
        ("When", "", lambda e: e.at, False),
        ("What", "", lambda e: e.kind.value, False),
        ("Where", "", lambda e: e.location_code, False),
        ("Detail", "The order, the count's flag, the case, or the recall's reason",
         lambda e: e.detail, False),
        ("By", "", lambda e: e.by, False),
    )  # fmt: skip

    def display(self, row: SerialEvent, column: int, value: Any) -> str:
        if isinstance(value, datetime):
            return _when(value)
        return "" if value is None else str(value)


def _between(row: ReconciliationLine) -> str:
    """The two counts compared between, as days ("31 Oct → 30 Nov")."""
    if row.compared_from is None or row.compared_to is None:
        return ""
    start, end = row.compared_from.astimezone(), row.compared_to.astimezone()
    return f"{start:%d %b} → {end:%d %b}"
