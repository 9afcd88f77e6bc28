"""Plain records of the catalogue, as services hand them to the screens and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from parstudio.domain.enums import CountType, Method, Rounding


@dataclass(frozen=True, slots=True)
class SupplierRecord:
    """A supplier as shown and edited."""

    id: int
    code: str
    name: str
    account_number: str | None = None
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    lead_time_days: int = 2
    delivery_weekdays: tuple[str, ...] = ()
    notes: str | None = None
    active: bool = True
    version: int = 1


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """An item as shown and edited, with its barcodes and supplier code."""

    id: int
    code: str
    description: str
    unit: str = "EA"
    pack_size: Decimal = Decimal(1)
    supplier_code: str | None = None
    supplier_item_no: str | None = None
    pack_price: Decimal | None = None
    category: str | None = None
    barcodes: tuple[str, ...] = ()
    expensed: bool = True
    consignment: bool = False
    shelf_life_days: int | None = None
    active: bool = True
    version: int = 1
    supplier_id: int | None = None
    billable: bool = False
    charge_code: str | None = None
    charge_price: Decimal | None = None
    """Charged to the patient for one unit of issue."""
    serial_tracked: bool = False

    @property
    def billing_warning(self) -> str | None:
        """What the billing office will miss on this item, or None."""
        return billing_warning(self.billable, self.charge_code)


def billing_warning(billable: bool, charge_code: str | None) -> str | None:
    """A billable item without a charge code is allowed (the code may come later), but warned."""
    if billable and not (charge_code or "").strip():
        return "Billable but no charge code yet: its uses go on the charge file without a code."
    return None


@dataclass(frozen=True, slots=True)
class LocationRecord:
    """A storeroom or PAR location as shown and edited."""

    id: int
    code: str
    name: str
    kind: str = "PAR LOCATION"
    department: str | None = None
    cost_centre: str | None = None
    parent_code: str | None = None
    default_count_type: CountType = CountType.ON_HAND
    deliveries_per_week: int = 1
    delivery_weekdays: tuple[str, ...] = ()
    blind_count: bool = False
    scan_adds_one: bool = True
    delivery_address: str | None = None
    active: bool = True
    version: int = 1
    setting_count: int = 0
    bins: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ParSettingRecord:
    """One item at one location, with what the grid shows of the item."""

    id: int
    location_id: int
    location_code: str
    item_id: int
    item_code: str
    description: str
    unit: str
    pack_size: Decimal
    bin: str | None = None
    method: Method = Method.PAR
    count_type: CountType | None = None
    par_level: Decimal | None = None
    min_level: Decimal | None = None
    max_level: Decimal | None = None
    moq: int | None = None
    lot_multiple: int | None = None
    rounding: Rounding = Rounding.UP
    storage_capacity: Decimal | None = None
    weekly_usage: Decimal | None = None
    open_demand: Decimal | None = None
    open_supply: Decimal | None = None
    issue_pack: Decimal | None = None
    """On a storeroom's setting: the units a transfer of the item is picked in (blank: 1)."""
    source: str | None = None
    active: bool = True
    version: int = 1
    effective_count_type: CountType = CountType.ON_HAND
