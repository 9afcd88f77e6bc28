"""Tables of the catalogue: suppliers, items and their barcodes, locations, bins, PAR settings."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from parstudio.domain.enums import CountType, Method, Rounding
from parstudio.models.base import Audited, Base


class Supplier(Audited, Base):
    """A vendor that receives purchase orders."""

    __tablename__ = "supplier"
    __mapper_args__ = {"version_id_col": Audited.version}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str]
    account_number: Mapped[str | None] = mapped_column(String(60))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(200))
    lead_time_days: Mapped[int] = mapped_column(Integer, default=2)
    delivery_weekdays: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Item(Audited, Base):
    """A stocked product."""

    __tablename__ = "item"
    __mapper_args__ = {"version_id_col": Audited.version}  # noqa: RUF012
    __table_args__ = (CheckConstraint("pack_size > 0", name="pack_size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    description: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(12), default="EA")
    pack_size: Mapped[Decimal] = mapped_column(default=Decimal(1))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"), index=True)
    supplier_item_no: Mapped[str | None] = mapped_column(String(60))
    pack_price: Mapped[Decimal | None]
    category: Mapped[str | None] = mapped_column(String(80))
    expensed: Mapped[bool] = mapped_column(Boolean, default=True)
    consignment: Mapped[bool] = mapped_column(Boolean, default=False)
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Charged to the patient: used on a case, it goes on the charge file with its code and price.
    billable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    charge_code: Mapped[str | None] = mapped_column(String(40))
    charge_price: Mapped[Decimal | None]
    """The price of one unit of issue charged to the patient."""
    # Implants and equipment: each unit has a serial, followed from receipt to the case.
    serial_tracked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    supplier: Mapped[Supplier | None] = relationship(lazy="raise")
    barcodes: Mapped[list[Barcode]] = relationship(
        back_populates="item", cascade="all, delete-orphan", lazy="raise", order_by="Barcode.id"
    )


class Barcode(Base):
    """One of an item's barcodes: GTIN, UPC, HIBC or an internal code."""

    __tablename__ = "barcode"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="OTHER")

    item: Mapped[Item] = relationship(back_populates="barcodes", lazy="raise")


class Location(Audited, Base):
    """A storeroom or a PAR location (closet, cart, room shelf)."""

    __tablename__ = "location"
    __mapper_args__ = {"version_id_col": Audited.version}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str]
    kind: Mapped[str] = mapped_column(String(20), default="PAR LOCATION")
    department: Mapped[str | None] = mapped_column(String(120))
    cost_centre: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    default_count_type: Mapped[CountType] = mapped_column(default=CountType.ON_HAND)
    deliveries_per_week: Mapped[int] = mapped_column(Integer, default=1)
    delivery_weekdays: Mapped[str] = mapped_column(String(40), default="")
    blind_count: Mapped[bool] = mapped_column(Boolean, default=False)
    scan_adds_one: Mapped[bool] = mapped_column(Boolean, default=True)
    delivery_address: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Bin(Base):
    """A shelf or bin position inside a location; pick lists walk bins in sort order."""

    __tablename__ = "bin"
    __table_args__ = (UniqueConstraint("location_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(String(200))


class ParSetting(Audited, Base):
    """One item at one location: method, levels, count type, order modifiers and caps."""

    __tablename__ = "par_setting"
    __mapper_args__ = {"version_id_col": Audited.version}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint("location_id", "item_id"),
        CheckConstraint("moq IS NULL OR moq >= 1", name="moq_positive"),
        CheckConstraint("lot_multiple IS NULL OR lot_multiple >= 1", name="lot_multiple_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    bin_id: Mapped[int | None] = mapped_column(ForeignKey("bin.id"))
    method: Mapped[Method] = mapped_column(default=Method.PAR)
    count_type: Mapped[CountType | None]
    par_level: Mapped[Decimal | None]
    min_level: Mapped[Decimal | None]
    max_level: Mapped[Decimal | None]
    moq: Mapped[int | None] = mapped_column(Integer)
    lot_multiple: Mapped[int | None] = mapped_column(Integer)
    rounding: Mapped[Rounding] = mapped_column(default=Rounding.UP)
    storage_capacity: Mapped[Decimal | None]
    weekly_usage: Mapped[Decimal | None]
    open_demand: Mapped[Decimal | None]
    open_supply: Mapped[Decimal | None]
    source_supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"))
    source_location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    issue_pack: Mapped[Decimal | None]
    """On a storeroom's setting: the quantity transfers are picked in (units; blank = 1)."""
