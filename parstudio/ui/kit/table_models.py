"""The one table-model base (rows and Columns), and the catalogue's models over it: suppliers,
locations and (fetched in batches) items."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from parstudio.domain.fields import (
    ITEM_FIELDS,
    LOCATION_FIELDS,
    SUPPLIER_FIELDS,
    FieldSpec,
    spec_by_name,
)
from parstudio.ui.kit.formatting import display_text, is_numeric, sort_key

if TYPE_CHECKING:
    from parstudio.services.core.database import Database

# The services (and with them SQLAlchemy) are imported when a model first reads: the main
# window is built and shown before the database is open.

RecordRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

INACTIVE_COLOUR = QColor(140, 140, 140)
AnyIndex = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    """One column: header, how to show a row's value, how it sorts, whether it is a number."""

    label: str
    text: Callable[[Any], str]
    key: Callable[[Any], Any]
    numeric: bool = False
    width: int = 100
    tip: str = ""


class ColumnTableModel(QAbstractTableModel):
    """The one table-model base: plain rows (records), one ``Column`` per column.

    The row object is under ``RecordRole``, its sort key under ``SortRole``; subclasses add
    colours, fonts and tooltips in ``extra_data`` and may compute a cell's text or key in
    ``cell_text``/``cell_key`` when a column alone cannot say.
    """

    columns: Sequence[Column] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].label
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].tip or None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if self.columns[column].numeric else LEFT
        if role == RecordRole:
            return row
        if role == SortRole:
            return self.cell_key(row, column)
        return self.extra_data(row, column, role)

    def cell_text(self, row: Any, column: int) -> str:
        """The text of a cell."""
        return self.columns[column].text(row)

    def cell_key(self, row: Any, column: int) -> Any:
        """What a cell sorts by."""
        return self.columns[column].key(row)

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        """Colours, fonts and tooltips of subclasses; none here."""
        return None

    def column_width(self, column: int) -> int:
        """A sensible starting width in pixels."""
        return self.columns[column].width

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show these rows instead."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        """The rows shown (loaded so far)."""
        return list(self._rows)

    def record(self, row: int) -> Any:
        """The row object at a row number."""
        return self._rows[row]

    def row_of(self, record_id: int) -> int | None:
        """The row showing the record with this id, if loaded."""
        for row, record in enumerate(self._rows):
            if record.id == record_id:
                return row
        return None

    def replace_record(self, record: Any) -> bool:
        """Show a changed record in place; False if it is not loaded."""
        row = self.row_of(record.id)
        if row is None:
            return False
        self._rows[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return True


def _spec_column(name: str, spec: FieldSpec | None, label: str, width: int) -> Column:
    return Column(
        label=spec.label if spec else label,
        text=lambda record: display_text(spec, getattr(record, name, None)),
        key=lambda record: sort_key(getattr(record, name, None)),
        numeric=is_numeric(spec) or name == "setting_count",
        width=width,
        tip=spec.help if spec else "",
    )


class RecordTableModel(ColumnTableModel):
    """Records edited through field specs: one column per field named in ``COLUMNS``, shown as
    the forms show them; inactive records greyed."""

    SPECS: ClassVar[tuple[FieldSpec, ...]] = ()
    COLUMNS: ClassVar[tuple[str, ...]] = ()
    EXTRA_LABELS: ClassVar[dict[str, str]] = {}
    WIDTHS: ClassVar[dict[str, int]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        by_name = spec_by_name(cls.SPECS)
        cls.columns = tuple(
            _spec_column(
                name, by_name.get(name), cls.EXTRA_LABELS.get(name, name), cls.WIDTHS.get(name, 110)
            )
            for name in cls.COLUMNS
        )

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not getattr(row, "active", True):
            return QBrush(INACTIVE_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and not getattr(row, "active", True):
            return "Inactive"
        return None

    def column_label(self, column: int) -> str:
        """The header of a column, from its field spec."""
        return self.columns[column].label

    def set_records(self, records: Sequence[Any]) -> None:
        """Show these records instead."""
        self.set_rows(records)

    def records(self) -> list[Any]:
        """The records shown (loaded so far)."""
        return self.rows()


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
    ) = range(9)
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
    }
    BATCH = 500

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._total = 0
        self._fetching = False
        self._query: Callable[[int, int], list[Any]] | None = None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Consignment is the exception, so only consignment items are marked.
        if (
            role == Qt.ItemDataRole.DisplayRole
            and index.isValid()
            and index.column() == self.COL_CONSIGNMENT
            and 0 <= index.row() < len(self._rows)
        ):
            return "Consignment" if self._rows[index.row()].consignment else ""
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


class RecordFilterProxy(QSortFilterProxyModel):
    """Sorts by the sort role and filters on every column's text, ignoring case."""

    source_order_column: int | None = None
    """A column the source model's rows already come sorted by (ascending): sorting by it
    shows them as they come, without comparing rows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # A lazily read list sorted by its own order: comparing every loaded row would cost the
        # first paint a good part of its time, and gives the order the rows came in.
        ascending = order == Qt.SortOrder.AscendingOrder
        if ascending and column >= 0 and column == self.source_order_column:
            column = -1
        super().sort(column, order)
