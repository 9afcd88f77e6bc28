"""Monthly usage of PAR settings with their department, cost centre, item and price."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.domain.period_usage import MonthlyUsage, SettingFacts
from parstudio.domain.quarterly_review import ALL_DEPARTMENTS
from parstudio.domain.usage import month_start, month_starts, next_month
from parstudio.models import Item, Location, ParSetting, Supplier
from parstudio.services.core.database import Database
from parstudio.services.review.usage import MAX_MONTHS
from parstudio.services.review.usage_bulk import usage_by_location


@dataclass(frozen=True, slots=True)
class SettingFilter:
    """Which PAR settings a report covers: by department, cost centre and location codes."""

    department: str | None = None
    cost_centre: str | None = None
    location_codes: tuple[str, ...] = ()

    def describe(self) -> str:
        """The filter in words, for a report's heading: "Department Imaging, cost centre 4100"."""
        parts = []
        if self.department is not None:
            parts.append(f"Department {self.department}")
        if self.cost_centre is not None:
            parts.append(f"cost centre {self.cost_centre}")
        if self.location_codes:
            plural = "s" if len(self.location_codes) > 1 else ""
            parts.append(f"location{plural} " + ", ".join(self.location_codes))
        if not parts:
            return ALL_DEPARTMENTS
        text = ", ".join(parts)
        return text[0].upper() + text[1:]


STOREROOM = "STOREROOM"


def _facts_query(wanted: SettingFilter) -> Any:
    supplier_id = func.coalesce(ParSetting.source_supplier_id, Item.supplier_id)
    query = (
        select(
            ParSetting.id,
            Location.id,
            Location.code,
            Location.name,
            Location.department,
            Location.cost_centre,
            Item.id,
            Item.code,
            Item.description,
            Item.unit,
            Item.category,
            Supplier.id,
            Supplier.name,
            Item.consignment,
            Item.pack_price,
            Item.pack_size,
            Location.kind,
        )
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .outerjoin(Supplier, Supplier.id == supplier_id)
        .where(ParSetting.active.is_(True))
        .order_by(Location.code, Item.code)
    )
    if wanted.department is not None:
        query = query.where(Location.department == wanted.department)
    if wanted.cost_centre is not None:
        query = query.where(Location.cost_centre == wanted.cost_centre)
    if wanted.location_codes:
        query = query.where(Location.code.in_(wanted.location_codes))
    return query


def setting_facts(session: Session, wanted: SettingFilter) -> list[SettingFacts]:
    """The active PAR settings a filter picks, with what reports group them by."""
    if wanted.location_codes:
        known = set(
            session.scalars(select(Location.code).where(Location.code.in_(wanted.location_codes)))
        )
        missing = [code for code in wanted.location_codes if code not in known]
        if missing:
            raise NotFoundError(f"There is no location {', '.join(missing)}.")
    # A name typed on the command line that no location carries is a typing error, not an
    # empty department.
    for column, name, what in (
        (Location.department, wanted.department, "department"),
        (Location.cost_centre, wanted.cost_centre, "cost centre"),
    ):
        if (
            name is not None
            and session.scalar(select(column).where(column == name).limit(1)) is None
        ):
            raise NotFoundError(f"No location belongs to the {what} “{name}”.")
    facts = []
    for row in session.execute(_facts_query(wanted)):
        (setting_id, location_id, location_code, location_name, department, cost_centre,
         item_id, item_code, description, unit, category, supplier_id, supplier_name,
         consignment, pack_price, pack_size, kind) = row  # fmt: skip
        facts.append(
            SettingFacts(
                setting_id=setting_id,
                location_id=location_id,
                location_code=location_code,
                location_name=location_name,
                department=department,
                cost_centre=cost_centre,
                item_id=item_id,
                item_code=item_code,
                description=description,
                unit=unit,
                category=category,
                supplier_id=supplier_id,
                supplier_name=supplier_name,
                consignment=bool(consignment),
                unit_cost=None if pack_price is None else Decimal(pack_price) / Decimal(pack_size),
                storeroom=kind == STOREROOM,
            )
        )
    return facts


def monthly_usage(
    db: Database,
    *,
    first_month: date,
    last_month: date,
    wanted: SettingFilter | None = None,
    today: date | None = None,
) -> list[MonthlyUsage]:
    """Each chosen setting's usage and receipts for every month from first to last month.

    Months still going (after ``today``) count what is known so far and are not complete.
    """
    first, last = month_start(first_month), month_start(last_month)
    if last < first:
        raise ValidationError("The last month of a report comes after its first month.")
    today = today or date.today()
    through = min(next_month(last) - timedelta(days=1), today)
    if through < first:
        raise ValidationError("A report cannot start after today.")
    months = month_starts(first, through)
    if len(months) > MAX_MONTHS:
        raise ValidationError(f"A report covers at most {MAX_MONTHS} months of history.")
    # Usage between two counts is known only once both are read: a month more on either side
    # (where history allows) brings in the counts just before the first and after the last
    # month, so the first and the last month are whole when counts are at least monthly.
    read_to = min(next_month(next_month(last)) - timedelta(days=1), today)
    if len(month_starts(first, read_to)) > MAX_MONTHS:
        read_to = through
    read_months = min(len(month_starts(first, read_to)) + 1, MAX_MONTHS)
    wanted = wanted or SettingFilter()
    with db.reading() as session:
        facts = setting_facts(session, wanted)
    if not facts:
        return []
    location_ids = sorted({f.location_id for f in facts})
    # Reports add up months: the weeks, half of the work, are not worked out. Read per
    # location and worked out in whole numbers (the figures usage_histories gives).
    histories = usage_by_location(
        db, location_ids=location_ids, through=read_to, months=read_months, with_weeks=False
    )
    found = []
    zero = Decimal(0)
    # Every setting has the same months (the reader's one tuple, unless a setting was worked
    # out apart): where each report month is among them is found once.
    same_months: tuple[date, ...] = ()
    picked: list[int | None] = []
    month_of = {
        first + timedelta(days=k): month_start(first + timedelta(days=k))
        for k in range((read_to - first).days + 1)
    }
    for fact in facts:
        history = histories.get(fact.setting_id)
        if history is None:
            continue
        read = history.months
        if read.starts is not same_months:
            same_months = read.starts
            by_month = {start: k for k, start in enumerate(same_months) if start <= through}
            picked = [by_month.get(m) for m in months]
        received: dict[date, Decimal] = dict.fromkeys(months, zero)
        for day, quantity in history.deliveries:
            start = month_of.get(day) or month_start(day)
            if start in received:
                received[start] += quantity
        found.append(
            MonthlyUsage(
                facts=fact,
                months=months,
                used=tuple(zero if k is None else read.usage[k] for k in picked),
                complete=tuple(k is not None and read.complete[k] for k in picked),
                received=tuple(received[m] for m in months),
            )
        )
    return found


def report_scopes(db: Database) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """What a report can be narrowed to: departments, cost centres, and (code, name) of
    active locations, each sorted."""
    with db.reading() as session:
        rows = session.execute(
            select(Location.code, Location.name, Location.department, Location.cost_centre)
            .where(Location.active.is_(True))
            .order_by(Location.code)
        ).all()
    departments = sorted({r.department for r in rows if r.department})
    centres = sorted({r.cost_centre for r in rows if r.cost_centre})
    return departments, centres, [(r.code, r.name) for r in rows]
