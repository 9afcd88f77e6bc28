"""List pages for items, suppliers and locations: search, add, edit, deactivate, all undoable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QLabel, QLineEdit

from parstudio.domain.catalog import billing_warning
from parstudio.domain.fields import ITEM_FIELDS, LOCATION_FIELDS, SUPPLIER_FIELDS
from parstudio.ui.catalog.list_page import CatalogPage
from parstudio.ui.catalog.models import (
    ItemBatch,
    ItemTableModel,
    LocationTableModel,
    SupplierTableModel,
)
from parstudio.ui.kit.dialogs import RecordDialog
from parstudio.ui.kit.page import PageHost, WaitingText

if TYPE_CHECKING:
    from parstudio.domain.paper import PrintOptions
    from parstudio.services.core.database import Database

WARNING_STYLE = "color: #8a5300;"

# The services (SQLAlchemy) are imported when a page first reads or writes: the window shows
# before the database is open. Printing (reportlab, pdfium) when something is printed.


class SuppliersPage(CatalogPage):
    """Suppliers."""

    NOUN, PLURAL = "supplier", "suppliers"
    TABLE = "supplier"
    SPECS = SUPPLIER_FIELDS
    PLACEHOLDER = "Search code, name, contact…"
    DEFAULTS: ClassVar[dict[str, Any]] = {"lead_time_days": 2}

    def __init__(self, host: PageHost) -> None:
        super().__init__(host, SupplierTableModel())

    def load(self, db: Database) -> None:
        assert isinstance(self.model, SupplierTableModel)
        self.model.load(db, include_inactive=self.show_inactive.isChecked())

    def create_record(self, fields: dict[str, Any]) -> Any:
        from parstudio.services.catalog import suppliers

        return suppliers.create_supplier(self.host.db, fields=fields)

    def update_record(self, record_id: int, changes: dict[str, Any], version: int | None) -> Any:
        from parstudio.services.catalog import suppliers

        return suppliers.update_supplier(
            self.host.db, supplier_id=record_id, changes=changes, expected_version=version
        )

    def fetch_record(self, record_id: int) -> Any:
        from parstudio.services.catalog import suppliers

        return suppliers.get_supplier(self.host.db, supplier_id=record_id)

    def set_active(self, record_id: int, active: bool) -> Any:
        from parstudio.services.catalog import suppliers

        return suppliers.set_supplier_active(self.host.db, supplier_id=record_id, active=active)

    def delete_if_unused(self, record_id: int) -> bool:
        from parstudio.services.catalog import suppliers

        return suppliers.delete_supplier_if_unused(self.host.db, supplier_id=record_id)


class LocationsPage(CatalogPage):
    """Storerooms and PAR locations."""

    NOUN, PLURAL = "location", "locations"
    TABLE = "location"
    SPECS = LOCATION_FIELDS
    PLACEHOLDER = "Search code, name, department…"
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "kind": "PAR LOCATION",
        "default_count_type": "ON HAND",
        "deliveries_per_week": 1,
        "scan_adds_one": True,
    }

    def __init__(self, host: PageHost) -> None:
        super().__init__(host, LocationTableModel())
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.count_sheet_action = QAction("Count sheet…", self)
        self.labels_action = QAction("Location labels…", self)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.count_sheet_action)
        self.toolbar.addAction(self.labels_action)
        self.count_sheet_action.triggered.connect(self.print_count_sheet)
        self.labels_action.triggered.connect(self.print_labels)
        self._update_actions()

    def _update_actions(self, *_args: Any) -> None:
        super()._update_actions()
        if hasattr(self, "labels_action"):
            chosen = self.selected_record() is not None
            self.count_sheet_action.setEnabled(chosen)
            self.labels_action.setEnabled(chosen)

    def print_count_sheet(self) -> None:
        """Preview the count sheet of the selected location."""
        record = self.selected_record()
        if record is None:
            self.host.show_status("Pick a location to print its count sheet.")
            return

        from parstudio.services.ordering import printing
        from parstudio.ui.kit.print_preview import preview

        def make(options: PrintOptions) -> Any:
            return printing.count_sheet_for(self.host.db, location_id=record.id, options=options)

        preview(self, make, title=f"Count sheet {record.code}")

    def print_labels(self) -> None:
        """Preview the labels of the selected locations and their bins."""
        codes = [record.code for record in self.selected_records()]
        if not codes:
            self.host.show_status("Pick the locations to print labels for.")
            return

        from parstudio.services.ordering import printing
        from parstudio.ui.kit.print_preview import preview

        def make(options: PrintOptions) -> Any:
            return printing.location_labels_for(self.host.db, location_codes=codes, options=options)

        preview(self, make, labels=True, title="Location and bin labels")

    def load(self, db: Database) -> None:
        assert isinstance(self.model, LocationTableModel)
        self.model.load(db, include_inactive=self.show_inactive.isChecked())

    def dialog_choices(self) -> dict[str, Sequence[str]]:
        from parstudio.services.catalog import locations

        codes = [loc.code for loc in locations.list_locations(self.host.db)]
        return {"parent_code": ["", *codes]}

    def create_record(self, fields: dict[str, Any]) -> Any:
        from parstudio.services.catalog import locations

        return locations.create_location(self.host.db, fields=fields)

    def update_record(self, record_id: int, changes: dict[str, Any], version: int | None) -> Any:
        from parstudio.services.catalog import locations

        return locations.update_location(
            self.host.db, location_id=record_id, changes=changes, expected_version=version
        )

    def fetch_record(self, record_id: int) -> Any:
        from parstudio.services.catalog import locations

        return locations.get_location(self.host.db, location_id=record_id)

    def set_active(self, record_id: int, active: bool) -> Any:
        from parstudio.services.catalog import locations

        return locations.set_location_active(self.host.db, location_id=record_id, active=active)

    def delete_if_unused(self, record_id: int) -> bool:
        from parstudio.services.catalog import locations

        return locations.delete_location_if_unused(self.host.db, location_id=record_id)


class ItemsPage(CatalogPage):
    """The item catalogue, searched in the database and read in batches."""

    NOUN, PLURAL = "item", "items"
    TABLE = "item"
    SPECS = ITEM_FIELDS
    PLACEHOLDER = "Search code, description, barcode…"
    DEFAULTS: ClassVar[dict[str, Any]] = {"unit": "EA", "pack_size": 1, "expensed": True}
    # The database reads items by code, batch after batch: the list is in code order already.
    SOURCE_ORDER_COLUMN = ItemTableModel.COL_CODE

    def __init__(self, host: PageHost) -> None:
        self.item_model = ItemTableModel()
        self.is_waiting = False
        super().__init__(host, self.item_model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.labels_action = QAction("Labels…", self)
        self.across_action = QAction("Stock across locations…", self)
        self.across_action.setToolTip(
            "The selected item at every location carrying it: on hand, PAR, surplus, shortage"
        )
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.labels_action)
        self.toolbar.addAction(self.across_action)
        self.labels_action.triggered.connect(self.print_labels)
        self.across_action.triggered.connect(self.show_stock_across)
        self.view.addAction(self.across_action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.waiting = WaitingText(self.view)
        self._update_actions()

    def _update_actions(self, *_args: Any) -> None:
        super()._update_actions()
        if hasattr(self, "labels_action"):
            self.labels_action.setEnabled(self.selected_record() is not None)
        if hasattr(self, "across_action"):
            self.across_action.setEnabled(self.selected_record() is not None)

    def show_waiting(self, text: str) -> None:
        """An empty table saying why (the database is opening, or did not open); no searching."""
        self.is_waiting = True
        self.item_model.show_batch(ItemBatch(0, [], lambda _offset, _limit: []))
        self.waiting.setText(text)
        self.waiting.show()
        self.count_label.clear()
        self.body.setCurrentWidget(self.view)
        for widget in (self.search, self.show_inactive):
            widget.setEnabled(False)

    def show_batch(self, batch: ItemBatch) -> None:
        """Show the first items, read off the UI thread while the database opened."""
        self._stop_waiting()
        self.item_model.show_batch(batch)
        self._update_state()

    def refresh(self) -> None:
        """Read everything again from the database."""
        if self.host.db is not None:
            self._stop_waiting()
        super().refresh()

    def _stop_waiting(self) -> None:
        self.is_waiting = False
        self.waiting.hide()
        for widget in (self.search, self.show_inactive):
            widget.setEnabled(True)
        self._update_actions()  # who may change items is known now

    def _update_state(self, *_args: Any) -> None:
        if self.is_waiting or self.host.db is None:
            return  # the waiting text says it all
        super()._update_state()

    def print_labels(self) -> None:
        """Preview labels of the selected items."""
        ids = [record.id for record in self.selected_records()]
        if not ids:
            self.host.show_status("Pick the items to print labels for.")
            return

        from parstudio.services.ordering import printing
        from parstudio.ui.kit.print_preview import preview

        def make(options: PrintOptions) -> Any:
            return printing.item_labels_for(self.host.db, item_ids=ids, options=options)

        preview(self, make, labels=True, title=f"Labels for {len(ids)} item(s)")

    def show_stock_across(self) -> None:
        """The selected item at every location that carries it."""
        record = self.selected_record()
        if record is None:
            self.host.show_status("Pick an item to see its stock across locations.")
            return
        from parstudio.ui.ordering.stock_across import show_stock_across

        show_stock_across(self, self.host, record.id)

    def load(self, db: Database) -> None:
        self.item_model.load(
            db, include_inactive=self.show_inactive.isChecked(), search=self.search.text()
        )

    def apply_search(self) -> None:
        """Ask the database for the matching items (the proxy only sorts)."""
        self._search_timer.stop()
        self.refresh()

    def _total(self) -> int:
        return self.item_model.total

    def make_dialog(self, record: Any = None) -> RecordDialog:
        """The item form, warning (not refusing) a billable item without a charge code."""
        dialog = super().make_dialog(record)
        billable = dialog.editors["billable"].widget
        code = dialog.editors["charge_code"].widget
        assert isinstance(billable, QCheckBox) and isinstance(code, QLineEdit)
        warning = QLabel(dialog)
        warning.setObjectName("warning_charge_code")
        warning.setStyleSheet(WARNING_STYLE)
        warning.setWordWrap(True)
        cell = code.parentWidget()
        layout = cell.layout() if cell is not None else None
        if layout is not None:
            layout.addWidget(warning)

        def check() -> None:
            text = billing_warning(billable.isChecked(), code.text())
            warning.setText(text or "")
            warning.setVisible(text is not None)

        billable.toggled.connect(check)
        code.textChanged.connect(check)
        check()
        return dialog

    def dialog_choices(self) -> dict[str, Sequence[str]]:
        from parstudio.services.catalog import suppliers

        codes = [s.code for s in suppliers.list_suppliers(self.host.db)]
        return {"supplier_code": ["", *codes]}

    def create_record(self, fields: dict[str, Any]) -> Any:
        from parstudio.services.catalog import items

        return items.create_item(self.host.db, fields=fields)

    def update_record(self, record_id: int, changes: dict[str, Any], version: int | None) -> Any:
        from parstudio.services.catalog import items

        return items.update_item(
            self.host.db, item_id=record_id, changes=changes, expected_version=version
        )

    def fetch_record(self, record_id: int) -> Any:
        from parstudio.services.catalog import items

        return items.get_item(self.host.db, item_id=record_id)

    def set_active(self, record_id: int, active: bool) -> Any:
        from parstudio.services.catalog import items

        return items.set_item_active(self.host.db, item_id=record_id, active=active)

    def delete_if_unused(self, record_id: int) -> bool:
        from parstudio.services.catalog import items

        return items.delete_item_if_unused(self.host.db, item_id=record_id)
