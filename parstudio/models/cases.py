"""Tables of where stock goes: cases, what was used on them, and recalled serials."""

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
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from parstudio.models.base import Audited, Base, utcnow


class PatientCase(Audited, Base):
    """A visit, encounter or procedure case supplies are used on.

    Only the identifier from the case label is kept: no name, no birth date, nothing else of
    the patient. Procedure and physician are optional, for cost allocation.
    """

    __tablename__ = "patient_case"
    __mapper_args__ = {"version_id_col": Audited.version}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(60), unique=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    procedure: Mapped[str | None] = mapped_column(String(120))
    physician: Mapped[str | None] = mapped_column(String(120))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None]
    notes: Mapped[str | None] = mapped_column(Text)


class UseLine(Base):
    """Items used on a case: what, which lot or serial, how many, where, when and by whom.

    A line taken back is kept, marked void, so the charge file and the audit trail agree.
    """

    __tablename__ = "use_line"
    __table_args__ = (
        Index("ix_use_line_location_time", "location_id", "used_at"),
        Index("ix_use_line_item_serial", "item_id", "serial"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("patient_case.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    quantity: Mapped[Decimal]
    lot: Mapped[str | None] = mapped_column(String(60))
    serial: Mapped[str | None] = mapped_column(String(60))
    expiry: Mapped[date | None] = mapped_column(Date)
    # The price of one unit when it was used, for cost allocation: the item's price may change.
    unit_cost: Mapped[Decimal | None]
    raw: Mapped[str | None] = mapped_column(String(400))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_by: Mapped[str | None] = mapped_column(String(100))
    # The id the workstation gave the scan when it was made: a retried write records it once.
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    voided: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    voided_at: Mapped[datetime | None]
    voided_by: Mapped[str | None] = mapped_column(String(100))


class RecalledSerial(Base):
    """One serial of an item on the recall list (implants, equipment), as lots are recalled."""

    __tablename__ = "recalled_serial"
    __table_args__ = (UniqueConstraint("item_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    serial: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(100))
