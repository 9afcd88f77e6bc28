"""Tables of counting: a count at a location and its lines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from parstudio.models.base import Base, utcnow


class Count(Base):
    """One counting round at one location, open until it is finished."""

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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("count.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    count_type: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[Decimal]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(100))
    lot: Mapped[str | None] = mapped_column(String(60))
    expiry: Mapped[date | None] = mapped_column(Date)


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
