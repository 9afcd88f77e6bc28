"""The reconciliation: billable usage seen in counts and receipts against what was recorded to
cases, per location and billable item, for a run of days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from parstudio.domain.charges import DayRange
from parstudio.domain.reconciliation import (
    LineFacts,
    Reconciliation,
    Use,
    reconcile,
    reconcile_line,
)
from parstudio.domain.usage import StockEvent
from parstudio.models import Item, ParSetting, UseLine
from parstudio.reports.charges_write import write_reconciliation_file
from parstudio.services.billing.scope import chosen_places
from parstudio.services.core.database import Database
from parstudio.services.review.usage import stock_events

READ_AROUND = timedelta(days=120)
"""How far before and after the period counts are read: the counts that bracket its days."""


def reconciliation(
    db: Database,
    *,
    period: DayRange,
    location_codes: Sequence[str] = (),
    department: str | None = None,
) -> Reconciliation:
    """Per billable item at each chosen location (a PAR setting, or use recorded there in the
    period): usage seen between the counts around the period against the quantity recorded to
    cases between the same counts, and the gap."""
    since, until = period.bounds()
    with db.reading() as session:
        places, scope = chosen_places(session, location_codes=location_codes, department=department)
        place_ids = list(places)
        settings = {
            (location_id, item_id): setting_id
            for setting_id, location_id, item_id in session.execute(
                select(ParSetting.id, ParSetting.location_id, ParSetting.item_id)
                .join(Item, Item.id == ParSetting.item_id)
                .where(
                    Item.billable.is_(True),
                    ParSetting.active.is_(True),
                    ParSetting.location_id.in_(place_ids),
                )
            )
        }
        # Uses are compared between the counts around the period, which may lie outside it.
        uses: dict[tuple[int, int], list[Use]] = defaultdict(list)
        in_period: set[tuple[int, int]] = set()
        for location_id, item_id, used_at, quantity in session.execute(
            select(UseLine.location_id, UseLine.item_id, UseLine.used_at, UseLine.quantity)
            .join(Item, Item.id == UseLine.item_id)
            .where(
                Item.billable.is_(True),
                UseLine.voided.is_(False),
                UseLine.used_at >= since - READ_AROUND,
                UseLine.used_at < until + READ_AROUND,
                UseLine.location_id.in_(place_ids),
            )
        ):
            uses[(location_id, item_id)].append((used_at, Decimal(quantity)))
            if since <= used_at < until:
                in_period.add((location_id, item_id))
        keys = set(settings) | in_period
        item_ids = sorted({item_id for _location, item_id in keys})
        items = {
            item.id: item for item in session.scalars(select(Item).where(Item.id.in_(item_ids)))
        }
    events: dict[int, list[StockEvent]] = defaultdict(list)
    if settings:
        found, _issues, _wanted = stock_events(
            db,
            first=period.first - READ_AROUND,
            through=period.last + READ_AROUND,
            setting_ids=sorted(settings.values()),
        )
        # The period is in local days: each count and receipt falls on its local day.
        for setting_id, setting_events in found.items():
            events[setting_id] = [
                StockEvent(e.at.astimezone(), e.quantity, e.is_count) for e in setting_events
            ]
    lines = []
    for location_id, item_id in keys:
        place, item = places[location_id], items[item_id]
        facts = LineFacts(
            location_code=place.code,
            location_name=place.name,
            item_code=item.code,
            description=item.description,
            unit=item.unit,
            charge_code=item.charge_code or None,
            charge_price=item.charge_price,
        )
        setting = settings.get((location_id, item_id))
        lines.append(
            reconcile_line(
                facts,
                events.get(setting, []) if setting is not None else [],
                uses.get((location_id, item_id), []),
                period,
            )
        )
    return reconcile(lines, period=period, scope=scope)


def export_reconciliation(
    db: Database,
    *,
    path: Path | str,
    period: DayRange,
    location_codes: Sequence[str] = (),
    department: str | None = None,
) -> Reconciliation:
    """Write the reconciliation (.xlsx or .csv by the path's extension); returns what it wrote."""
    found = reconciliation(db, period=period, location_codes=location_codes, department=department)
    write_reconciliation_file(path, found)
    return found


def write_reconciliation(*, path: Path | str, report: Reconciliation) -> None:
    """Write a reconciliation already worked out (as on screen)."""
    write_reconciliation_file(path, report)
