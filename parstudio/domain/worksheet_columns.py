"""The columns of the PAR worksheet and of the other exported sheets (orders, catalogue)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from parstudio.domain.enums import CountType, Method
from parstudio.domain.fields import (
    ITEM_FIELDS,
    LOCATION_FIELDS,
    PAR_FIELDS,
    ZERO,
    FieldSpec,
    Kind,
    spec_by_name,
)

_ITEM = spec_by_name(ITEM_FIELDS)
_PAR = spec_by_name(PAR_FIELDS)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the PAR worksheet."""

    name: str
    """The canonical header, as PAR Studio writes it."""
    target: str
    """What the column fills: ``key``, ``item``, ``setting``, ``count`` or ``export`` (ignored)."""
    spec: FieldSpec | None = None
    required: bool = False
    synonyms: tuple[str, ...] = ()
    width: int = 12
    help: str = ""
    choices: tuple[str, ...] = ()

    @property
    def field(self) -> str:
        """The field the column fills (the spec's name), or '' for an export-only column."""
        return self.spec.name if self.spec else ""

    @property
    def export_only(self) -> bool:
        """Whether import ignores this column."""
        return self.target == "export"

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers."""
        return self.spec is not None and self.spec.kind in (Kind.INT, Kind.DECIMAL)


def _optional(spec: FieldSpec) -> FieldSpec:
    return dataclasses.replace(spec, required=False)


COUNT_SPEC = FieldSpec("count", "Count", Kind.DECIMAL, minimum=ZERO)
COUNTED_ON_SPEC = FieldSpec("counted_on", "Counted On", Kind.TEXT)
"""Read by ``worksheet_cells.count_date``: a date, a date and time, or ISO text."""

COLUMNS: tuple[Column, ...] = (
    Column(
        "Location",
        "key",
        dataclasses.replace(
            spec_by_name(LOCATION_FIELDS)["code"], name="location", label="Location"
        ),
        required=True,
        synonyms=(
            "Loc",
            "Location Code",
            "Dept Location",
            "Department Location",
            "PAR Location",
            "PAR Area",
            "Area",
            "Storage Location",
        ),
        width=12,
        help="Location code. A code PAR Studio does not know yet becomes a new PAR location.",
    ),
    Column(
        "Item Code",
        "key",
        _ITEM["code"],
        required=True,
        synonyms=(
            "Item",
            "Item #",
            "Item Number",
            "Item No",
            "Item ID",
            "Product Code",
            "Product",
            "Product #",
            "SKU",
            "Material",
            "Material Number",
        ),
        width=16,
        help="Item code. A code PAR Studio does not know yet becomes a new item.",
    ),
    Column(
        "Description",
        "item",
        _optional(_ITEM["description"]),
        synonyms=("Desc", "Item Description", "Product Description", "Item Name", "Name"),
        width=40,
        help="Needed for a new item; left blank, an existing item keeps its description.",
    ),
    Column(
        "Unit of Issue",
        "item",
        _ITEM["unit"],
        synonyms=("UOM", "UOI", "Unit of Measure", "Issue Unit", "Issue UOM"),
        width=8,
        help="Unit of issue (EA, BX, PR…); EA for a new item when blank. A column headed "
        "just Unit is not read (it may be the nursing unit): map it.",
    ),
    Column(
        "Barcodes",
        "item",
        _ITEM["barcodes"],
        synonyms=("Barcode", "GTIN", "GTINs", "UPC", "UPCs", "EAN"),
        width=24,
        help="The item's barcodes, separated by commas. Replaces the item's list; blank keeps it.",
    ),
    Column(
        "Pack Size",
        "item",
        _ITEM["pack_size"],
        synonyms=(
            "Pkg Qty",
            "Case Qty",
            "Pack Qty",
            "Pack Quantity",
            "Units per Pack",
            "Qty per Pack",
            "Package Quantity",
            "Conversion",
            "Pack",
        ),
        width=10,
        help="Units of issue per order pack; 1 for a new item when blank.",
    ),
    Column(
        "Supplier",
        "item",
        _ITEM["supplier_code"],
        synonyms=(
            "Vendor",
            "Vendor Name",
            "Vendor Code",
            "Supplier Name",
            "Supplier Code",
            "Distributor",
        ),
        width=14,
        help="Supplier code or name. A supplier PAR Studio does not know yet is created, "
        "with its name as its code.",
    ),
    Column(
        "Supplier Item No",
        "item",
        _ITEM["supplier_item_no"],
        synonyms=(
            "Supplier Item",
            "Supplier Item #",
            "Supplier Item Number",
            "Vendor Item",
            "Vendor Item #",
            "Vendor Item No",
            "Vendor Item Number",
            "Mfr #",
            "Mfr No",
            "Manufacturer Number",
            "Catalog #",
            "Catalog Number",
            "Cat #",
        ),
        width=16,
        help="The supplier's catalogue number.",
    ),
    Column(
        "Pack Price",
        "item",
        _ITEM["pack_price"],
        synonyms=("Price", "Pkg Price", "Case Price", "Pack Cost", "Cost"),
        width=10,
        help="Price per order pack.",
    ),
    Column(
        "Bin",
        "setting",
        _PAR["bin"],
        synonyms=("Bin Location", "Bin #", "Shelf", "Position"),
        width=10,
        help="Shelf or bin position inside the location (e.g. A-03-2).",
    ),
    Column(
        "Method",
        "setting",
        _PAR["method"],
        synonyms=("PAR Method", "Replenishment Method"),
        width=10,
        help="PAR, or MIN/MAX. PAR for a new line when blank.",
        choices=tuple(m.value for m in Method),
    ),
    Column(
        "Count Type",
        "setting",
        _PAR["count_type"],
        synonyms=("Count Method", "Counting Type"),
        width=13,
        help="ON HAND, ORDER PAR, ORDER QTY or NOT COUNTED; blank = the location's default.",
        choices=tuple(c.value for c in CountType),
    ),
    Column(
        "PAR Level",
        "setting",
        _PAR["par_level"],
        synonyms=("PAR", "PAR Qty", "PAR Quantity", "PAR Lvl", "PAR Value"),
        width=10,
        help="Units to refill to (method PAR).",
    ),
    Column(
        "Min",
        "setting",
        _PAR["min_level"],
        synonyms=("Minimum", "Min Qty", "Min Level", "Reorder Point", "ROP"),
        width=8,
        help="Order when the effective stock is below this (method MIN/MAX).",
    ),
    Column(
        "Max",
        "setting",
        _PAR["max_level"],
        synonyms=("Maximum", "Max Qty", "Max Level"),
        width=8,
        help="Refill to this (method MIN/MAX).",
    ),
    Column(
        "MOQ",
        "setting",
        _PAR["moq"],
        synonyms=("Minimum Order Quantity", "Min Order Qty", "Min Order", "Minimum Order"),
        width=8,
        help="Minimum order quantity, in whole packs.",
    ),
    Column(
        "Lot Multiple",
        "setting",
        _PAR["lot_multiple"],
        synonyms=("Order Multiple", "Multiple", "Lot Size"),
        width=10,
        help="Order in multiples of this many packs.",
    ),
    Column(
        "Rounding",
        "setting",
        _PAR["rounding"],
        synonyms=("Round", "Rounding Direction"),
        width=9,
        help="UP (default) or DOWN, to the lot multiple.",
        choices=("UP", "DOWN"),
    ),
    Column(
        "Storage Capacity",
        "setting",
        _PAR["storage_capacity"],
        synonyms=("Capacity", "Max Capacity", "Storage"),
        width=10,
        help="Units that fit at the location; an order never overfills it.",
    ),
    Column(
        "Shelf Life Days",
        "item",
        _ITEM["shelf_life_days"],
        synonyms=("Shelf Life", "Shelf Life (Days)", "Expiry Days"),
        width=10,
        help="Whole days; an order is never more than is used before it expires.",
    ),
    Column(
        "Weekly Usage",
        "setting",
        _PAR["weekly_usage"],
        synonyms=(
            "Usage per Week",
            "Avg Weekly Usage",
            "Average Weekly Usage",
            "Weekly Use",
            "Usage",
        ),
        width=10,
        help="Units used per week, when the history is not in the database.",
    ),
    Column(
        "Count",
        "count",
        COUNT_SPEC,
        synonyms=(
            "Qty On Hand",
            "On Hand",
            "Quantity On Hand",
            "QOH",
            "Counted",
            "Count Qty",
            "Counted Qty",
        ),
        width=8,
        help="On import, a count: the quantity on hand (ON HAND) or requested (ORDER QTY); "
        "any value records the empty bin of an ORDER PAR line. Left blank on export.",
    ),
    Column(
        "Counted On",
        "count",
        COUNTED_ON_SPEC,
        synonyms=("Count Date", "Date Counted", "Counted At", "Count Time"),
        width=12,
        help="On import, when the count in Count was taken (a date, or date and time); blank "
        "= the time of the import. Left blank on export.",
    ),
    Column("Last Count", "export", width=10, help="Export only: the latest recorded count."),
    Column("Last Counted", "export", width=17, help="Export only: when it was recorded."),
    Column(
        "Open Supply",
        "setting",
        _PAR["open_supply"],
        synonyms=("On Order",),
        width=10,
        help="Units already on order from outside PAR Studio (MIN/MAX).",
    ),
    Column(
        "Open Demand",
        "setting",
        _PAR["open_demand"],
        synonyms=("Allocated", "Reserved"),
        width=10,
        help="Units already promised to others (MIN/MAX).",
    ),
    Column("Order Packs", "export", width=9, help="Export only: packs the proposal orders."),
    Column("Order Units", "export", width=9, help="Export only: the same in units."),
    Column("Explanation", "export", width=60, help="Export only: how the order was worked out."),
    Column("Status", "export", width=14, help="Proposal only: ORDER, NOTHING, MISSING COUNT…"),
    Column(
        "Reason / Warnings",
        "export",
        synonyms=("Reason", "Warnings"),
        width=50,
        help="Proposal only: why a line was not computed, or what cut it.",
    ),
)

WORKSHEET_COLUMNS = tuple(c for c in COLUMNS if c.name not in ("Status", "Reason / Warnings"))
"""The columns of the exported PAR worksheet, in order."""

PROPOSAL_COLUMNS = COLUMNS
"""The columns of the exported proposal: the worksheet's and Status, Reason / Warnings."""

COLUMN_BY_NAME = {c.name: c for c in COLUMNS}
