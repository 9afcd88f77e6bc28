"""The waste recorded lately, with what it cost; a record made by mistake is removed undoably."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.catalog import LocationRecord
from parstudio.domain.errors import ParStudioError
from parstudio.domain.quarterly_review import summarise_waste
from parstudio.domain.waste import WasteRecord
from parstudio.services.expiry import waste
from parstudio.ui.expiry.models import WasteModel
from parstudio.ui.expiry.waste_dialog import remove_waste
from parstudio.ui.kit.formatting import money
from parstudio.ui.kit.page import (
    PageHost,
    selected_record,
    sorted_table,
    table_or_empty,
)

PERIODS = (30, 90, 365)
WASTE_WIDTHS = (125, 90, 80, 200, 75, 90, 70, 130, 65, 70)


def summary(records: Sequence[WasteRecord], days: int) -> str:
    """ "3 records in the last 30 days, 41.20 in all: Expired 36.00 · Recalled 5.20"."""
    if not records:
        return f"Nothing thrown away in the last {days} days"
    by_reason = summarise_waste(records)
    total = sum((row.cost for row in by_reason), Decimal(0))
    parts = " · ".join(f"{row.reason.label} {money(row.cost)}" for row in by_reason)
    text = (
        f"{len(records)} record{'' if len(records) == 1 else 's'} in the last {days} days, "
        f"{money(total)} in all: {parts}"
    )
    unpriced = sum(row.unpriced for row in by_reason)
    if unpriced:
        text += f" ({unpriced} without a price, not in the total)"
    return text


class WasteList(QWidget):
    """Waste recorded in the last 30, 90 or 365 days at a location (or all), with the cost."""

    def __init__(self, host: PageHost, parent: QWidget, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.today = today
        self.period = QComboBox(self)
        self.period.setObjectName("waste_period")
        for days in PERIODS:
            self.period.addItem(f"{days} days", days)
        self.location = QComboBox(self)
        self.location.setObjectName("waste_location")
        self.location.setMinimumWidth(220)
        self.summary = QLabel(self)
        self.summary.setObjectName("waste_summary")
        self.summary.setWordWrap(True)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip(
            "Take back a record made by mistake (Edit ▸ Undo puts it back)"
        )
        self.remove_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("Waste recorded in the last", self))
        top.addWidget(self.period)
        top.addWidget(QLabel("at", self))
        top.addWidget(self.location)
        top.addStretch(1)
        top.addWidget(self.remove_button)

        self.model = WasteModel(self)
        self.view = sorted_table(self, self.model, WASTE_WIDTHS)
        self.view.setObjectName("waste_table")
        self.remove_action = QAction("Remove", self.view)
        self.remove_action.setToolTip(self.remove_button.toolTip())
        self.view.addAction(self.remove_action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.stack, self.empty = table_or_empty(self, self.view)
        note = QLabel(
            "Stock thrown away unused is not counted as usage, so it does not raise the PAR "
            "suggestions. Its cost is the item's unit cost on the day; the quarterly review "
            "report sums it by reason.",
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        layout.addWidget(note)

        self.period.currentIndexChanged.connect(self.reload)
        self.location.currentIndexChanged.connect(self.reload)
        self.remove_button.clicked.connect(self.remove_current)
        self.remove_action.triggered.connect(self.remove_current)
        self.view.selectionModel().currentChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

    def set_locations(self, records: Sequence[LocationRecord]) -> None:
        """Offer these locations (keeping the one chosen), without reading the list."""
        chosen = self.location.currentData()
        self.location.blockSignals(True)
        self.location.clear()
        self.location.addItem("All locations", None)
        for record in records:
            self.location.addItem(f"{record.code} — {record.name}", record.id)
        self.location.setCurrentIndex(max(self.location.findData(chosen), 0))
        self.location.blockSignals(False)

    def since(self) -> datetime:
        """The start of the chosen period: local midnight that many days ago, in UTC."""
        days = int(self.period.currentData())
        start = (self.today or date.today()) - timedelta(days=days)
        return datetime.combine(start, time()).astimezone().astimezone(UTC)

    def reload(self) -> None:
        """Read the waste of the chosen period and location."""
        chosen = self.location.currentData()
        try:
            records = waste.list_waste(
                self.host.db,
                since=self.since(),
                location_ids=None if chosen is None else [chosen],
            )
        except ParStudioError as exc:
            self.host.report_error(exc)
            return
        days = int(self.period.currentData())
        self.model.set_rows(records)
        self.summary.setText(summary(records, days))
        self.stack.show_rows(
            bool(records),
            f"No waste recorded in the last {days} days.\n"
            "Record it with “Throw away…” on the expiring list or “Record waste…” on the "
            "PAR Settings page.",
        )

    def current_record(self) -> WasteRecord | None:
        """The record of the selected row."""
        return selected_record(self.view, WasteRecord)

    def _update_buttons(self, *_args: object) -> None:
        selected = self.current_record() is not None
        self.remove_button.setEnabled(selected)
        self.remove_action.setEnabled(selected)

    def remove_current(self) -> None:
        """Remove the selected record, undoably."""
        record = self.current_record()
        if record is not None:
            remove_waste(self.host, record)
