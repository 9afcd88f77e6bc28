"""What the PAR calculator needs for one setting: usage from its counts, and delivery rhythm."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, true

from parstudio.domain.count_usage import (
    CalculatorBasis,
    CountPoint,
    ReceiptPoint,
    summarise_usage,
)
from parstudio.domain.enums import CountType
from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.models import (
    Count,
    CountLine,
    Item,
    Location,
    ParSetting,
    Receipt,
    Supplier,
    Waste,
)
from parstudio.services.core.database import Database
from parstudio.services.review.usage import moved_out

# A transfer from the storeroom arrives the day after it is picked (as orders.py plans it).
TRANSFER_LEAD_DAYS = 1
MAX_WEEKS = 104


def calculator_basis(
    db: Database, *, setting_id: int, weeks: int = 12, now: datetime | None = None
) -> CalculatorBasis:
    """Usage over the last ``weeks`` weeks of counts, and the location's delivery rhythm."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError(f"Weeks of history must be from 1 to {MAX_WEEKS}.", field="weeks")
    since = (now or datetime.now(UTC)) - timedelta(weeks=weeks)
    with db.reading() as session:
        setting = session.get(ParSetting, setting_id)
        if setting is None:
            raise NotFoundError("That PAR setting no longer exists.")
        item = session.get(Item, setting.item_id)
        location = session.get(Location, setting.location_id)
        assert item is not None and location is not None
        on_hand = (setting.count_type or location.default_count_type) == CountType.ON_HAND
        counts = [
            CountPoint(at, quantity)
            for at, quantity in session.execute(
                select(CountLine.recorded_at, CountLine.quantity)
                .join(Count, Count.id == CountLine.count_id)
                .where(
                    CountLine.location_id == setting.location_id,
                    CountLine.item_id == setting.item_id,
                    CountLine.count_type == CountType.ON_HAND if on_hand else true(),
                    Count.finished_at.is_not(None),
                    CountLine.recorded_at >= since,
                )
            )
        ]
        receipts = [
            ReceiptPoint(at, quantity)
            for at, quantity in session.execute(
                select(Receipt.received_at, Receipt.quantity).where(
                    Receipt.location_id == setting.location_id,
                    Receipt.item_id == setting.item_id,
                    Receipt.received_at >= since,
                )
            )
        ]
        # Stock thrown away left the shelf unused: it counts as a negative receipt, so it is
        # not taken for usage (as the review's usage history does).
        receipts += [
            ReceiptPoint(at, -quantity)
            for at, quantity in session.execute(
                select(Waste.recorded_at, Waste.quantity).where(
                    Waste.location_id == setting.location_id,
                    Waste.item_id == setting.item_id,
                    Waste.recorded_at >= since,
                )
            )
        ]
        # Stock sent to another PAR location (a rebalance) was not used here either.
        receipts += [
            ReceiptPoint(event.at, event.quantity)
            for event in moved_out(session, setting_id=setting.id, since=since)
        ]
        if setting.source_location_id is not None:
            lead = TRANSFER_LEAD_DAYS
        else:
            supplier = session.get(Supplier, setting.source_supplier_id or item.supplier_id or 0)
            lead = supplier.lead_time_days if supplier is not None else 0
        days = [d for d in (location.delivery_weekdays or "").split(",") if d]
        return CalculatorBasis(
            weeks=weeks,
            usage=summarise_usage(counts, receipts, unit=item.unit, on_hand=on_hand),
            # No schedule means a delivery every day (as the proposal's "due today" treats it).
            deliveries_per_week=len(days) or 7,
            lead_time_days=lead,
            shelf_life_days=item.shelf_life_days,
            storage_capacity=setting.storage_capacity,
            unit=item.unit,
            current_par=setting.par_level,
            typed_weekly_usage=setting.weekly_usage,
        )
