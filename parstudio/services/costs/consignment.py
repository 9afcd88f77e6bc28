"""The replenish-on-use lists of consignment items: what each vendor's stock was used for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from parstudio.domain.consignment import ConsignmentUsage, consignment_usage
from parstudio.domain.report_period import ReportPeriod, last_complete_month
from parstudio.models import Item, Supplier
from parstudio.reports.consignment_usage_write import write_consignment_usage
from parstudio.services.core.database import Database
from parstudio.services.review.period_usage import SettingFilter, monthly_usage


def consignment_vendors(db: Database) -> list[str]:
    """The suppliers of active consignment items, by name."""
    with db.reading() as session:
        names = session.scalars(
            select(Supplier.name)
            .join(Item, Item.supplier_id == Supplier.id)
            .where(Item.consignment.is_(True), Item.active.is_(True))
            .distinct()
        )
        return sorted(names, key=str.lower)


def write_consignment_usage_file(*, path: Path | str, report: ConsignmentUsage) -> None:
    """Write consignment usage already worked out (as on screen) to a workbook."""
    write_consignment_usage(path, report)


def consignment_usage_report(
    db: Database,
    *,
    period: ReportPeriod | None = None,
    vendor: str | None = None,
    wanted: SettingFilter | None = None,
    today: date | None = None,
) -> ConsignmentUsage:
    """Each vendor's consignment items used at each location in a period (default: last month)."""
    today = today or date.today()
    period = period or last_complete_month(today)
    usages = monthly_usage(
        db,
        first_month=period.first,
        last_month=period.last,
        wanted=wanted or SettingFilter(),
        today=today,
    )
    item_ids = sorted({u.facts.item_id for u in usages if u.facts.consignment})
    with db.reading() as session:
        numbers: dict[int, str | None] = {}
        for start in range(0, len(item_ids), 900):
            batch = item_ids[start : start + 900]
            query = select(Item.id, Item.supplier_item_no).where(Item.id.in_(batch))
            numbers.update({item_id: number for item_id, number in session.execute(query)})
        codes = {sid: code for sid, code in session.execute(select(Supplier.id, Supplier.code))}
    found = consignment_usage(
        usages, period, made_on=today, vendor_item_numbers=numbers, vendor_codes=codes
    )
    return found if vendor is None else found.of_vendor(vendor)
