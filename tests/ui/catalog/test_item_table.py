"""The Items table shows the billing fields: marks for billable and serial-tracked, money."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from parstudio.domain.catalog import ItemRecord
from parstudio.ui.catalog.models import ItemTableModel


def test_billable_and_serial_tracked_items_are_marked_and_the_price_is_money() -> None:
    model = ItemTableModel()
    model.set_records(
        [
            ItemRecord(
                id=1,
                code="IMP-001",
                description="Biliary stent",
                billable=True,
                charge_code="C1874",
                charge_price=Decimal("4440"),
                serial_tracked=True,
            ),
            ItemRecord(id=2, code="GAUZE", description="Gauze"),
        ]
    )

    def cell(row: int, column: int) -> object:
        return model.index(row, column).data()

    horizontal = Qt.Orientation.Horizontal
    headers = [model.headerData(c, horizontal) for c in range(model.columnCount())]
    assert headers[ItemTableModel.COL_BILLABLE :] == [
        "Billable",
        "Charge code",
        "Charge price",
        "Serial-tracked",
    ]
    assert cell(0, ItemTableModel.COL_BILLABLE) == "Billable"
    assert cell(0, ItemTableModel.COL_CHARGE_CODE) == "C1874"
    assert cell(0, ItemTableModel.COL_CHARGE_PRICE) == "4,440.00"
    assert cell(0, ItemTableModel.COL_SERIAL) == "Serials"
    assert [cell(1, c) for c in range(ItemTableModel.COL_BILLABLE, 13)] == ["", "", "", ""]
