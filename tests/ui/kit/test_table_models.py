"""Table models over plain records: Qt's model checks, display, sorting and batch loading."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database
from parstudio.ui.catalog.models import ItemTableModel, LocationTableModel, SupplierTableModel
from parstudio.ui.catalog.par_grid import ParSettingsModel
from parstudio.ui.kit.table_models import (
    Column,
    ColumnTableModel,
    ColumnTreeModel,
    RecordFilterProxy,
    RecordRole,
    SortRole,
)


def stock(db: Database) -> None:
    suppliers.create_supplier(db, fields={"code": "MEDLINE", "name": "Medline"})
    suppliers.create_supplier(
        db, fields={"code": "OM", "name": "Owens & Minor", "delivery_weekdays": "fri, mon"}
    )
    items.create_item(
        db,
        fields={
            "code": "SYR-10",
            "description": "Syringe 10 mL",
            "pack_size": "100",
            "pack_price": "18.5",
            "supplier_code": "MEDLINE",
            "barcodes": "00884838003526",
        },
    )
    items.create_item(
        db, fields={"code": "SYR-3", "description": "Syringe 3 mL", "pack_price": "9.75"}
    )
    locations.create_location(db, fields={"code": "STORE", "name": "Store", "kind": "storeroom"})
    locations.create_location(db, fields={"code": "CT1", "name": "CT 1", "parent_code": "STORE"})


def test_supplier_model_passes_qt_checks(qtmodeltester: Any, sqlite_db: Database) -> None:
    stock(sqlite_db)
    model = SupplierTableModel()
    model.load(sqlite_db, include_inactive=False)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    row = [model.record(r).code for r in range(2)].index("OM")
    days = model.index(row, SupplierTableModel.COL_DELIVERY_DAYS)
    assert days.data() == "Mon, Fri"
    assert model.headerData(SupplierTableModel.COL_LEAD_TIME, Qt.Orientation.Horizontal) == (
        "Lead time (days)"
    )
    assert model.index(row, 0).data(RecordRole).code == "OM"


def test_location_model_passes_qt_checks(qtmodeltester: Any, sqlite_db: Database) -> None:
    stock(sqlite_db)
    model = LocationTableModel()
    model.load(sqlite_db, include_inactive=False)
    qtmodeltester.check(model)
    codes = [model.index(r, LocationTableModel.COL_CODE).data() for r in range(model.rowCount())]
    assert codes == ["CT1", "STORE"]
    assert model.index(0, LocationTableModel.COL_PARENT).data() == "STORE"
    assert model.headerData(LocationTableModel.COL_PARENT, Qt.Orientation.Horizontal) == "Part of"


def test_item_model_shows_tidy_numbers_money_and_numeric_sort(
    qtmodeltester: Any, sqlite_db: Database
) -> None:
    stock(sqlite_db)
    model = ItemTableModel()
    model.load(sqlite_db, include_inactive=False)
    qtmodeltester.check(model)
    assert model.index(0, ItemTableModel.COL_PACK_SIZE).data() == "100"
    assert model.index(0, ItemTableModel.COL_PACK_PRICE).data() == "18.50"
    alignment = model.index(0, ItemTableModel.COL_PACK_PRICE).data(
        Qt.ItemDataRole.TextAlignmentRole
    )
    assert alignment & Qt.AlignmentFlag.AlignRight
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.sort(ItemTableModel.COL_PACK_PRICE, Qt.SortOrder.AscendingOrder)
    # As text "18.50" < "9.75"; sorted as numbers 9.75 comes first.
    assert proxy.index(0, ItemTableModel.COL_CODE).data() == "SYR-3"
    assert model.index(0, ItemTableModel.COL_PACK_PRICE).data(SortRole) == 18.5


def test_inactive_rows_are_greyed(sqlite_db: Database) -> None:
    stock(sqlite_db)
    om = suppliers.list_suppliers(sqlite_db, search="OM")[0]
    suppliers.set_supplier_active(sqlite_db, supplier_id=om.id, active=False)
    model = SupplierTableModel()
    model.load(sqlite_db, include_inactive=False)
    assert [r.code for r in model.records()] == ["MEDLINE"]
    model.load(sqlite_db, include_inactive=True)
    row = model.row_of(om.id)
    assert row is not None
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(1 - row, 0).data(Qt.ItemDataRole.ForegroundRole) is None


def test_items_are_read_in_batches(qtmodeltester: Any, sqlite_db: Database) -> None:
    for n in range(1_200):
        items.create_item(sqlite_db, fields={"code": f"IT-{n:05d}", "description": f"Item {n}"})
    model = ItemTableModel()
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.load(sqlite_db, include_inactive=False)
    assert model.total == 1_200
    assert model.rowCount() == 500
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 1_000
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 1_200
    assert not model.canFetchMore(QModelIndex())
    assert inserted == [(500, 999), (1000, 1199)]
    assert model.record(1_199).code == "IT-01199"
    qtmodeltester.check(model)
    model.load(sqlite_db, include_inactive=False, search="IT-0119")
    assert model.total == 10
    assert model.rowCount() == 10


def test_par_settings_model_passes_qt_checks(qtmodeltester: Any, sqlite_db: Database) -> None:
    stock(sqlite_db)
    ct = locations.find_location(sqlite_db, code="CT1")
    assert ct is not None
    for record in items.list_items(sqlite_db):
        par_settings.create_par_setting(
            sqlite_db, location_id=ct.id, item_id=record.id, fields={"par_level": "10.0"}
        )
    model = ParSettingsModel(sqlite_db)
    model.load(ct.id)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(0, ParSettingsModel.COL_PAR).data() == "10"
    count_type = model.index(0, ParSettingsModel.COL_COUNT_TYPE)
    assert count_type.data() == "(ON HAND)"
    assert count_type.data(Qt.ItemDataRole.EditRole) == ""
    assert count_type.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert not model.flags(model.index(0, ParSettingsModel.COL_ITEM_CODE)) & (
        Qt.ItemFlag.ItemIsEditable
    )
    assert model.flags(model.index(0, ParSettingsModel.COL_MIN)) & Qt.ItemFlag.ItemIsEditable


def test_a_proxy_sorted_by_the_source_order_shows_rows_as_they_come(sqlite_db: Database) -> None:
    for code in ("C-3", "A-1", "B-2"):
        items.create_item(sqlite_db, fields={"code": code, "description": f"Item {code}"})
    model = ItemTableModel()
    proxy = RecordFilterProxy()
    proxy.source_order_column = ItemTableModel.COL_CODE
    proxy.setSourceModel(model)
    model.load(sqlite_db, include_inactive=False)

    def codes() -> list[str]:
        return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]

    proxy.sort(ItemTableModel.COL_CODE, Qt.SortOrder.AscendingOrder)
    assert proxy.sortColumn() == -1  # the rows' own order: nothing compared
    assert codes() == ["A-1", "B-2", "C-3"]
    proxy.sort(ItemTableModel.COL_CODE, Qt.SortOrder.DescendingOrder)
    assert codes() == ["C-3", "B-2", "A-1"]
    proxy.sort(ItemTableModel.COL_DESCRIPTION, Qt.SortOrder.AscendingOrder)
    assert proxy.sortColumn() == ItemTableModel.COL_DESCRIPTION
    proxy.sort(ItemTableModel.COL_CODE, Qt.SortOrder.AscendingOrder)
    assert codes() == ["A-1", "B-2", "C-3"]


class _Plain(ColumnTableModel):
    """Rows of (name, number); the number is edited in place, odd numbers refused."""

    HEADER_ALIGNED = True
    columns = (
        Column("Name", lambda r: r[0], lambda r: r[0]),
        Column("Number", lambda r: str(r[1]), lambda r: r[1], numeric=True),
    )

    def editable(self, row: Any, column: int) -> bool:
        return column == 1

    def set_cell(self, row: int, column: int, value: Any) -> bool:
        number = int(value)
        if number % 2:
            return False
        self.replace_row(row, (self._rows[row][0], number))
        return True


def test_the_base_edits_cells_through_its_hooks(qtmodeltester: Any) -> None:
    model = _Plain()
    model.set_rows([("a", 2), ("b", 4)])
    qtmodeltester.check(model)
    changed: list[int] = []
    model.dataChanged.connect(lambda first, _last: changed.append(first.row()))
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, 0), "z")  # not editable
    assert not model.setData(model.index(1, 1), "7")  # refused: kept
    assert model.index(1, 1).data() == "4"
    assert model.setData(model.index(1, 1), "8")
    assert model.index(1, 1).data() == "8" and changed == [1]
    alignment = model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight


@dataclass(eq=False)
class _Node:
    name: str
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)

    def add(self, name: str) -> _Node:
        child = _Node(name, self)
        self.children.append(child)
        return child


class _Tree(ColumnTreeModel):
    columns = (
        Column("Name", lambda n: n.name, lambda n: n.name),
        Column("Children", lambda n: str(len(n.children)), lambda n: len(n.children), True),
    )


def test_the_tree_base_passes_qt_checks(qtmodeltester: Any) -> None:
    root = _Node("")
    fruit = root.add("fruit")
    fruit.add("apple")
    fruit.add("pear").add("conference")
    root.add("bread")
    model = _Tree(_Node(""))
    assert model.rowCount() == 0
    model.set_root(root)
    qtmodeltester.check(model)
    top = model.index(0, 0)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["fruit", "bread"]
    assert model.index(0, 1).data() == "2"
    pear = model.index(1, 0, top)
    assert pear.data() == "pear" and pear.parent() == top
    assert model.index(0, 0, pear).parent() == pear
    assert model.index(0, 0, pear).data(RecordRole).name == "conference"
