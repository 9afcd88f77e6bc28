"""Tables of counting: a count at a location, its lines, every scan, recalled lots, waste."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from parstudio.domain.enums import CountType
from parstudio.models.base import Base, utcnow


class Count(Base):
    """One counting round at one location, open (finished_at NULL) until it is finished."""

    __tablename__ = "count"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    counted_by: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20), default="SCREEN")


class CountLine(Base):
    """A quantity recorded for one item in a count."""

    __tablename__ = "count_line"
    __table_args__ = (
        Index("ix_count_line_item_location_time", "item_id", "location_id", "recorded_at"),
        UniqueConstraint("count_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("count.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    count_type: Mapped[CountType]
    quantity: Mapped[Decimal]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(100))
    lot: Mapped[str | None] = mapped_column(String(60))
    expiry: Mapped[date | None] = mapped_column(Date)


class Scan(Base):
    """One scan (or typed quantity) as received during a count, kept even when unmatched.

    `quantity_before` and `quantity_after` are the line's quantity around this scan (NULL
    before: the line did not exist yet), so undo restores exactly what was there.
    """

    __tablename__ = "scan"
    # The lot scans of one line of a count are read by (count, item): the expiry list asks
    # it of every latest line of every setting.
    __table_args__ = (Index("ix_scan_count_item", "count_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("count.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    raw: Mapped[str] = mapped_column(String(400))
    code: Mapped[str | None] = mapped_column(String(80), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"), index=True)
    lot: Mapped[str | None] = mapped_column(String(60))
    expiry: Mapped[date | None] = mapped_column(Date)
    serial: Mapped[str | None] = mapped_column(String(60))
    quantity_before: Mapped[Decimal | None]
    quantity_after: Mapped[Decimal | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(100))
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    flag: Mapped[str | None] = mapped_column(String(12))
    message: Mapped[str | None] = mapped_column(Text)
    # The id a workstation gave a scan it kept in its local journal while the server was
    # unreachable: unique, so replaying the journal twice records the scan once.
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)


class RecalledLot(Base):
    """A lot of an item on the recall list: scanning it during a count is flagged."""

    __tablename__ = "recalled_lot"
    __table_args__ = (UniqueConstraint("item_id", "lot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    lot: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(100))


class Receipt(Base):
    """Stock received at a location, which counts as received in usage."""

    __tablename__ = "receipt"
    __table_args__ = (
        Index("ix_receipt_item_location_time", "item_id", "location_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    quantity: Mapped[Decimal]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_by: Mapped[str | None] = mapped_column(String(100))
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_line.id"), index=True)
    lot: Mapped[str | None] = mapped_column(String(60))
    expiry: Mapped[date | None] = mapped_column(Date)
    serial: Mapped[str | None] = mapped_column(String(60))


class Waste(Base):
    """Stock taken off the shelf unused: expired, damaged, recalled or otherwise discarded."""

    __tablename__ = "waste"
    __table_args__ = (
        Index("ix_waste_location_time", "location_id", "recorded_at"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    quantity: Mapped[Decimal]
    reason: Mapped[str] = mapped_column(String(12))
    lot: Mapped[str | None] = mapped_column(String(60))
    expiry: Mapped[date | None] = mapped_column(Date)
    # The price of one unit when it was thrown away: the item's price may change later.
    unit_cost: Mapped[Decimal | None]
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(100))
