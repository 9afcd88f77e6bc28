"""The columns of the sheets exported for reading and sharing: the orders and the catalogue."""

from __future__ import annotations

from parstudio.domain.fields import FieldSpec, Kind
from parstudio.domain.worksheet_columns import Column


def _listing(name: str, width: int, help_text: str, *, numeric: bool = False) -> Column:
    """A column of an export-only sheet (orders, catalogue)."""
    spec = FieldSpec(name.lower(), name, Kind.DECIMAL) if numeric else None
    return Column(name, "export", spec, width=width, help=help_text)


ORDER_COLUMNS: tuple[Column, ...] = (
    _listing("Order No", 16, "The order's number."),
    _listing("Kind", 10, "PURCHASE (from a supplier) or TRANSFER (from a storeroom)."),
    _listing("Status", 10, "DRAFT, SENT, PARTIAL, RECEIVED or CANCELLED."),
    _listing("Order Date", 11, "The day the order was made."),
    _listing("Expected", 11, "The day delivery is expected."),
    _listing("Source", 14, "The supplier's code, or the storeroom's for a transfer."),
    _listing("Source Name", 24, "The supplier's or storeroom's name."),
    _listing("Location", 12, "Where the line is delivered."),
    _listing("Item Code", 16, "The item ordered."),
    _listing("Description", 40, "The item's description."),
    _listing("Unit", 8, "Unit of issue."),
    _listing("Pack Size", 10, "Units per pack on the order.", numeric=True),
    _listing("Packs", 8, "Packs ordered.", numeric=True),
    _listing("Units", 9, "Units ordered (packs × pack size).", numeric=True),
    _listing("Pack Price", 10, "Price per pack on the order.", numeric=True),
    _listing("Line Total", 11, "Packs × pack price.", numeric=True),
    _listing("Received Units", 10, "Units received so far.", numeric=True),
    _listing("Approved By", 14, "Who approved the order."),
    _listing("Explanation", 60, "How the ordered quantity was worked out."),
)
"""The columns of the orders export: one row per order line."""

CATALOGUE_COLUMNS: tuple[Column, ...] = (
    _listing("Item Code", 16, "The item's code."),
    _listing("Description", 40, "What the item is."),
    _listing("Unit", 8, "Unit of issue (EA, BX, PR…)."),
    _listing("Pack Size", 10, "Units of issue per order pack.", numeric=True),
    _listing("Supplier", 14, "The supplier's code."),
    _listing("Supplier Item No", 16, "The supplier's catalogue number."),
    _listing("Pack Price", 10, "Price per order pack.", numeric=True),
    _listing("Category", 16, "The item's category."),
    _listing("Barcodes", 24, "The item's barcodes, separated by commas."),
    _listing("Expensed", 9, "yes: expensed when issued; no: inventoried."),
    _listing("Consignment", 11, "yes when the supplier owns the stock until it is used."),
    _listing("Shelf Life Days", 10, "Whole days.", numeric=True),
    _listing("Billable", 8, "yes when its use on a case is charged to the patient."),
    _listing("Charge Code", 12, "The billing office's code for the item."),
    _listing("Charge Price", 10, "Charged to the patient per unit of issue.", numeric=True),
    _listing("Serial Tracked", 9, "yes when each unit's serial is recorded (implants)."),
    _listing("PAR Locations", 10, "How many locations stock the item.", numeric=True),
    _listing("Active", 7, "no for an item that is no longer stocked."),
)
"""The columns of the item catalogue export: one row per item."""
