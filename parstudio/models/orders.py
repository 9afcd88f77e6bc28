"""Tables of ordering: purchase orders to suppliers and transfers from storerooms, with lines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from parstudio.models.base import Audited, Base, utcnow


class Order(Audited, Base):
    """An approved order: a purchase order to a supplier or a transfer from a storeroom."""

    __tablename__ = "purchase_order"
    __mapper_args__ = {"version_id_col": Audited.version}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # PURCHASE or TRANSFER
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"), index=True)
    source_location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    status: Mapped[str] = mapped_column(String(10), default="DRAFT", index=True)
    order_date: Mapped[date] = mapped_column(Date)
    expected_date: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime | None]
    # An order placed outside the delivery schedule (a stat or rush order), as the person who
    # approved it said; the quarterly review counts these with the off-schedule ones.
    rush: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notes: Mapped[str | None] = mapped_column(Text)


class OrderLine(Base):
    """One item for one destination location on an order."""

    __tablename__ = "order_line"
    __table_args__ = (Index("ix_order_line_setting", "par_setting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_order.id", ondelete="CASCADE"), index=True
    )
    par_setting_id: Mapped[int | None] = mapped_column(ForeignKey("par_setting.id"))
    count_line_id: Mapped[int | None] = mapped_column(ForeignKey("count_line.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    packs: Mapped[int] = mapped_column(Integer)
    proposed_packs: Mapped[int] = mapped_column(Integer)
    pack_size: Mapped[Decimal]
    pack_price: Mapped[Decimal | None]
    received_units: Mapped[Decimal] = mapped_column(default=Decimal(0))
    explanation: Mapped[str | None] = mapped_column(Text)
    # The lot to pick, when the line moves one lot (a rebalance of stock about to expire).
    lot: Mapped[str | None] = mapped_column(String(60))
    expiry: Mapped[date | None] = mapped_column(Date)
    overridden_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
