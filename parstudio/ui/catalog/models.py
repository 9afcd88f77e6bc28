"""The catalogue's table models: suppliers, locations and (fetched in batches) items."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QModelIndex,
    Qt,
)

from parstudio.domain.fields import (
    ITEM_FIELDS,
    LOCATION_FIELDS,
    SUPPLIER_FIELDS,
)
from parstudio.ui.kit.table_models import AnyIndex, RecordTableModel

if TYPE_CHECKING:
    from parstudio.services.core.database import Database

# The services (and with them SQLAlchemy) are imported when a model first reads: the main
# window is built and shown before the database is open.


class SupplierTableModel(RecordTableModel):
    """Suppliers."""

    SPECS = SUPPLIER_FIELDS
    COLUMNS = (
        "code",
        "name",
        "account_number",
        "contact_name",
        "phone",
        "lead_time_days",
        "delivery_weekdays",
    )
    (
        COL_CODE,
        COL_NAME,
        COL_ACCOUNT,
        COL_CONTACT,
        COL_PHONE,
        COL_LEAD_TIME,
        COL_DELIVERY_DAYS,
    ) = range(7)
    WIDTHS: ClassVar[dict[str, int]] = {
        "code": 110,
        "name": 240,
        "account_number": 130,
        "contact_name": 160,
        "phone": 130,
        "lead_time_days": 120,
        "delivery_weekdays": 160,
    }

    def load(self, db: Database, *, include_inactive: bool) -> None:
        """Read the suppliers from the database."""
        from parstudio.services.catalog import suppliers

        self.set_records(suppliers.list_suppliers(db, include_inactive=include_inactive))


class LocationTableModel(RecordTableModel):
    """Storerooms and PAR locations."""

    SPECS = LOCATION_FIELDS
    COLUMNS = (
        "code",
        "name",
        "kind",
        "department",
        "parent_code",
        "default_count_type",
        "delivery_weekdays",
        "setting_count",
    )
    (
        COL_CODE,
        COL_NAME,
        COL_KIND,
        COL_DEPARTMENT,
        COL_PARENT,
        COL_COUNT_TYPE,
        COL_DELIVERY_DAYS,
        COL_SETTINGS,
    ) = range(8)
    EXTRA_LABELS: ClassVar[dict[str, str]] = {"setting_count": "Items"}
    WIDTHS: ClassVar[dict[str, int]] = {
        "code": 100,
        "name": 220,
        "kind": 120,
        "department": 130,
        "parent_code": 90,
        "default_count_type": 140,
        "delivery_weekdays": 150,
        "setting_count": 60,
    }

    def load(self, db: Database, *, include_inactive: bool) -> None:
        """Read the locations from the database."""
        from parstudio.services.catalog import locations

        self.set_records(locations.list_locations(db, include_inactive=include_inactive))


@dataclass(frozen=True)
class ItemBatch:
    """The first batch of the items matching a search, and how to read the next ones."""

    total: int
    records: Sequence[Any]
    query: Callable[[int, int], list[Any]]


def read_items(db: Database, *, include_inactive: bool, search: str = "") -> ItemBatch:
    """Count the matching items and read the first batch (safe to call off the UI thread)."""
    from parstudio.services.catalog import items

    text = search.strip() or None

    def page(offset: int, limit: int) -> list[Any]:
        return items.list_items(
            db, search=text, include_inactive=include_inactive, offset=offset, limit=limit
        )

    total = items.count_items(db, search=text, include_inactive=include_inactive)
    return ItemBatch(total, page(0, ItemTableModel.BATCH) if total else [], page)


class ItemTableModel(RecordTableModel):
    """Items, read a batch at a time as the view scrolls (the catalogue may hold 20,000+)."""

    SPECS = ITEM_FIELDS
    COLUMNS = (
        "code",
        "description",
        "unit",
        "pack_size",
        "supplier_code",
        "pack_price",
        "category",
        "barcodes",
        "consignment",
        "billable",
        "charge_code",
        "charge_price",
        "serial_tracked",
    )
    (
        COL_CODE,
        COL_DESCRIPTION,
        COL_UNIT,
        COL_PACK_SIZE,
        COL_SUPPLIER,
        COL_PACK_PRICE,
        COL_CATEGORY,
        COL_BARCODES,
        COL_CONSIGNMENT,
        COL_BILLABLE,
        COL_CHARGE_CODE,
        COL_CHARGE_PRICE,
        COL_SERIAL,
    ) = range(13)
    WIDTHS: ClassVar[dict[str, int]] = {
        "code": 120,
        "description": 340,
        "unit": 90,
        "pack_size": 80,
        "supplier_code": 100,
        "pack_price": 90,
        "category": 130,
        "barcodes": 200,
        "consignment": 100,
        "billable": 70,
        "charge_code": 100,
        "charge_price": 90,
        "serial_tracked": 100,
    }
    # Flags that are the exception: only the items that have them are marked.
    MARKS: ClassVar[dict[int, tuple[str, str]]] = {
        COL_CONSIGNMENT: ("consignment", "Consignment"),
        COL_BILLABLE: ("billable", "Billable"),
        COL_SERIAL: ("serial_tracked", "Serials"),
    }
    BATCH = 500

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._total = 0
        self._fetching = False
        self._query: Callable[[int, int], list[Any]] | None = None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        mark = self.MARKS.get(index.column()) if index.isValid() else None
        if (
            mark is not None
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= index.row() < len(self._rows)
        ):
            return mark[1] if getattr(self._rows[index.row()], mark[0]) else ""
        return super().data(index, role)

    def load(self, db: Database, *, include_inactive: bool, search: str = "") -> None:
        """Count the matching items and read the first batch."""
        self.show_batch(read_items(db, include_inactive=include_inactive, search=search))

    def show_batch(self, batch: ItemBatch) -> None:
        """Show a first batch read elsewhere (off the UI thread at start-up); more as it scrolls."""
        self.beginResetModel()
        self._query = batch.query
        self._total = batch.total
        self._rows = list(batch.records)
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many items match, loaded or not."""
        return self._total

    def canFetchMore(self, parent: AnyIndex) -> bool:
        if parent.isValid() or self._query is None:
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex) -> None:
        if parent.isValid() or self._query is None or self._fetching:
            return
        self._fetching = True
        try:
            start = len(self._rows)
            batch = self._query(start, self.BATCH)
            if not batch:
                self._total = start
                return
            self.beginInsertRows(QModelIndex(), start, start + len(batch) - 1)
            self._rows.extend(batch)
            self.endInsertRows()
        finally:
            self._fetching = False
