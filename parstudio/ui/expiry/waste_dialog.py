"""Record waste: the dialog, and the undoable commands that record a throw-away or remove one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any
from weakref import WeakValueDictionary

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.catalog import ItemRecord, LocationRecord
from parstudio.domain.errors import ParStudioError, ValidationError
from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.roles import Action, refusal
from parstudio.domain.waste import WasteReason, WasteRecord, default_reason, waste_cost
from parstudio.services.catalog import items, locations
from parstudio.services.core.database import Database
from parstudio.services.expiry import waste
from parstudio.ui.kit.dialogs import error_label, to_date, to_qdate
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.formatting import money
from parstudio.ui.kit.page import PageHost
from parstudio.ui.kit.undo import Done, Report, ServiceCommand

HINT_STYLE = "color: #555;"
WARNING_STYLE = "color: #a35a00; font-weight: bold;"
FIELDS = ("quantity", "reason", "lot", "expiry", "note")


@dataclass(frozen=True, slots=True)
class WasteDraft:
    """What the dialog starts with: the place and item, and what is known of the lot."""

    location_id: int
    item_id: int
    quantity: Decimal | None = None
    lot: str | None = None
    expiry: date | None = None
    on_hand: str | None = None
    """A hint shown by the quantity, e.g. "12 on hand by the count of 21 Nov 2026"."""


def unit_cost(item: ItemRecord) -> Decimal | None:
    """The price of one unit of the item (its pack price over the pack size), if known."""
    if item.pack_price is None or not item.pack_size:
        return None
    return item.pack_price / item.pack_size


def unit_price(value: Decimal) -> str:
    """A unit price with two decimals, or up to four when a cent is too coarse (17.205)."""
    fine = value.quantize(Decimal("0.0001")).normalize()
    exponent = fine.as_tuple().exponent
    return money(fine) if isinstance(exponent, int) and -exponent <= 2 else f"{fine:,f}"


class WasteDialog(QDialog):
    """One throw-away: quantity, reason, lot, expiry and a note; OK records it or says why not."""

    def __init__(
        self,
        parent: QWidget | None,
        db: Database,
        *,
        location: LocationRecord,
        item: ItemRecord,
        draft: WasteDraft,
        today: date,
    ) -> None:
        super().__init__(parent)
        self.db, self.location, self.item, self.draft = db, location, item, draft
        self.recorded: WasteRecord | None = None
        self.price = unit_cost(item)
        self.setWindowTitle(f"Record waste — {item.code} at {location.code}")
        self.setMinimumWidth(520)

        self.general_error = error_label(self, "general_error")
        place = QLabel(f"<b>{escape(location.code)}</b> — {escape(location.name)}", self)
        place.setObjectName("waste_location")
        thing = QLabel(f"<b>{escape(item.code)}</b> — {escape(item.description)}", self)
        thing.setObjectName("waste_item")

        self.quantity = QLineEdit(self)
        self.quantity.setObjectName("field_quantity")
        self.quantity.setMaximumWidth(110)
        if draft.quantity is not None:
            self.quantity.setText(fq(draft.quantity))
        unit = QLabel(item.unit, self)
        self.on_hand = QLabel(draft.on_hand or "", self)
        self.on_hand.setObjectName("waste_on_hand")
        self.on_hand.setStyleSheet(HINT_STYLE)
        quantity_row = QHBoxLayout()
        quantity_row.addWidget(self.quantity)
        quantity_row.addWidget(unit)
        quantity_row.addSpacing(12)
        quantity_row.addWidget(self.on_hand, 1)

        self.reason = QComboBox(self)
        self.reason.setObjectName("field_reason")
        for reason in WasteReason:
            self.reason.addItem(reason.label, reason)
        self.reason.setCurrentIndex(self.reason.findData(default_reason(draft.expiry, today)))

        self.lot = QLineEdit(draft.lot or "", self)
        self.lot.setObjectName("field_lot")
        self.lot.setPlaceholderText("As printed on the pack, if known")
        self.lot.setMaxLength(60)

        self.expiry = QDateEdit(self)
        self.expiry.setObjectName("field_expiry")
        self.expiry.setCalendarPopup(True)
        self.expiry.setDisplayFormat("dd MMM yyyy")
        self.expiry.setDate(to_qdate(draft.expiry or today))
        self.no_expiry = QCheckBox("No expiry date", self)
        self.no_expiry.setObjectName("no_expiry")
        self.no_expiry.toggled.connect(lambda on: self.expiry.setEnabled(not on))
        self.no_expiry.setChecked(draft.expiry is None)
        self.expiry.setEnabled(draft.expiry is not None)
        expiry_row = QHBoxLayout()
        expiry_row.addWidget(self.expiry)
        expiry_row.addSpacing(12)
        expiry_row.addWidget(self.no_expiry)
        expiry_row.addStretch(1)

        self.note = QLineEdit(self)
        self.note.setObjectName("field_note")
        self.note.setPlaceholderText("e.g. found behind the drapes; packs opened")

        self.cost = QLabel(self)
        self.cost.setObjectName("waste_cost")
        self.cost.setTextFormat(Qt.TextFormat.RichText)

        self.errors = {name: error_label(self, f"error_{name}") for name in FIELDS}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("Location:", place)
        form.addRow("Item:", thing)
        form.addRow("&Quantity:", self._cell(quantity_row, "quantity"))
        form.addRow("&Reason:", self._cell(self.reason, "reason"))
        form.addRow("&Lot:", self._cell(self.lot, "lot"))
        form.addRow("&Expiry:", self._cell(expiry_row, "expiry"))
        form.addRow("&Note:", self._cell(self.note, "note"))
        form.addRow("Cost:", self.cost)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record waste")
        self.buttons.accepted.connect(self.try_record)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.quantity.textChanged.connect(self._show_cost)
        self._show_cost()
        refused = refusal(db.role, "waste", Action.INSERT)
        if refused:
            self._show_general(refused)
            self.ok_button.setEnabled(False)
        self.quantity.setFocus()
        self.quantity.selectAll()

    def _cell(self, content: QWidget | QHBoxLayout, name: str) -> QWidget:
        """A field with its error message under it."""
        cell = QWidget(self)
        layout = QVBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if isinstance(content, QWidget):
            layout.addWidget(content)
        else:
            layout.addLayout(content)
        layout.addWidget(self.errors[name])
        return cell

    def _show_general(self, message: str) -> None:
        self.general_error.setText(message)
        self.general_error.setVisible(True)

    def _warn_if_more_than_on_hand(self, quantity: Decimal) -> None:
        held = self.draft.quantity
        more = held is not None and bool(self.draft.on_hand) and quantity > held
        self.on_hand.setStyleSheet(WARNING_STYLE if more else HINT_STYLE)
        self.on_hand.setToolTip(
            "More than the count says is there: check the quantity, or count again" if more else ""
        )

    def _show_cost(self, *_args: Any) -> None:
        try:
            quantity = Decimal(self.quantity.text().replace(",", "").strip())
        except InvalidOperation:
            quantity = Decimal(0)
        self._warn_if_more_than_on_hand(quantity)
        if self.price is None:
            self.cost.setText(
                f"{escape(self.item.code)} has no price: the waste is recorded without a cost"
            )
            self.cost.setStyleSheet(HINT_STYLE)
            return
        each = f"{unit_price(self.price)} each"
        cost = waste_cost(quantity, self.price) if quantity > 0 else None
        if cost is None:
            self.cost.setText(f"— ({each})")
        else:
            self.cost.setText(
                f"<b>{money(cost)}</b> ({fq(quantity)} {escape(self.item.unit)} × {each})"
            )

    def expiry_date(self) -> date | None:
        """The expiry date given, or None."""
        return None if self.no_expiry.isChecked() else to_date(self.expiry.date())

    def error_text(self, name: str) -> str:
        """The error shown under a field, or in general ('' if none)."""
        label = self.general_error if name == "general" else self.errors[name]
        return label.text() if label.isVisibleTo(self) else ""

    def try_record(self) -> None:
        """Record through the service; on a refusal show why next to the field and stay open."""
        for label in (self.general_error, *self.errors.values()):
            label.setVisible(False)
        try:
            self.recorded = waste.record_waste(
                self.db,
                location_id=self.location.id,
                item_id=self.item.id,
                quantity=self.quantity.text().replace(",", ""),
                reason=self.reason.currentData(),
                lot=self.lot.text(),
                expiry=self.expiry_date(),
                note=self.note.text(),
            )
        except ValidationError as exc:
            beside = self.errors.get(exc.field or "")
            if beside is None:
                self._show_general(exc.message)
            else:
                beside.setText(exc.message)
                beside.setVisible(True)
                if exc.field == "quantity":
                    self.quantity.setFocus()
                    self.quantity.selectAll()
            return
        except ParStudioError as exc:
            self._show_general(exc.message)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()


class _Tracked:
    """One waste record across undo and redo: it gets a new id each time it is put back."""

    __slots__ = ("__weakref__", "record")

    def __init__(self, record: WasteRecord) -> None:
        self.record = record


# Commands that recorded a throw-away and a later Remove of it share one _Tracked, so undoing
# both takes out the record as it is now, whatever id putting it back gave it.
_TRACKED: WeakValueDictionary[tuple[str, int], _Tracked] = WeakValueDictionary()


def _tracked(db: Database, record: WasteRecord) -> _Tracked:
    found = _TRACKED.get((db.url, record.id))
    if found is None:
        found = _Tracked(record)
        _TRACKED[(db.url, record.id)] = found
    return found


def describe(record: WasteRecord) -> str:
    """ "12 GLV at CT1", for undo texts and messages."""
    return f"{fq(record.quantity)} {record.item_code} at {record.location_code}"


class WasteCommand(ServiceCommand):
    """Waste recorded (or, with ``removed``, taken back); undo does the other."""

    def __init__(
        self,
        db: Database,
        record: WasteRecord,
        *,
        removed: bool = False,
        done: Done,
        report: Report,
    ) -> None:
        self.db = db
        self.tracked = _tracked(db, record)
        super().__init__(
            f"{'Remove' if removed else 'Record'} waste of {describe(record)}",
            redo=self.take_out if removed else self.put_back,
            undo=self.put_back if removed else self.take_out,
            done=done,
            report=report,
        )

    def put_back(self) -> WasteRecord:
        """Record the waste again as it was."""
        tracked, url = self.tracked, self.db.url
        tracked.record = waste.restore_waste(self.db, record=tracked.record)
        _TRACKED[(url, tracked.record.id)] = tracked
        return tracked.record

    def take_out(self) -> WasteRecord:
        """Remove the record as it is now."""
        record = self.tracked.record
        waste.remove_waste(self.db, waste_id=record.id)
        _TRACKED.pop((self.db.url, record.id), None)
        return record


def waste_changed(host: PageHost) -> None:
    """Waste was recorded or removed: the Expiry page reads its lists again."""
    mark_stale = getattr(host, "mark_stale", None)  # the main window; not every host has pages
    if mark_stale is not None:
        mark_stale("Expiry")


def remove_waste(host: PageHost, record: WasteRecord) -> bool:
    """Take a waste record back, undoably; a refusal is reported."""
    command = WasteCommand(
        host.db, record, removed=True, done=lambda _r: waste_changed(host), report=host.report_error
    )
    try:
        command.take_out()
    except ParStudioError as exc:
        host.report_error(exc)
        return False
    host.undo_stack.push(command)
    waste_changed(host)
    host.show_status(f"Removed the waste of {describe(record)}; Edit ▸ Undo puts it back.")
    return True


def record_waste(
    parent: QWidget, host: PageHost, draft: WasteDraft, *, today: date | None = None
) -> WasteRecord | None:
    """Open the dialog on a place and item; what it records goes on the undo stack."""
    try:
        location = locations.get_location(host.db, location_id=draft.location_id)
        item = items.get_item(host.db, item_id=draft.item_id)
    except ParStudioError as exc:
        host.report_error(exc)
        return None
    dialog = WasteDialog(
        parent, host.db, location=location, item=item, draft=draft, today=today or date.today()
    )
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.recorded is None:
        return None
    record = dialog.recorded
    host.undo_stack.push(
        WasteCommand(host.db, record, done=lambda _r: waste_changed(host), report=host.report_error)
    )
    waste_changed(host)
    cost = f" ({money(record.cost)})" if record.cost is not None else ""
    host.show_status(f"Recorded waste of {describe(record)}{cost}.")
    return record
