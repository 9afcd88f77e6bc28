"""Data for the charts: one setting's usage with its levels, and a department's spend by month."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from parstudio.domain.charts import SettingChart, SpendChart
from parstudio.domain.enums import Method
from parstudio.domain.flexpar import levels_in_force
from parstudio.domain.usage import month_starts
from parstudio.models import Item, Location, Order, OrderLine, ParSetting, Receipt
from parstudio.services.core.database import Database
from parstudio.services.core.store import get_or_raise
from parstudio.services.review.seasons import seasons_of
from parstudio.services.review.usage import MAX_MONTHS, history_start, usage_history

NO_DEPARTMENT = "(no department)"


def setting_chart(
    db: Database, *, setting_id: int, through: date | None = None, months: int = MAX_MONTHS
) -> SettingChart:
    """A setting's weekly usage, its levels in force each week, stockouts, deliveries, orders."""
    through = through or date.today()
    history = usage_history(db, setting_id=setting_id, through=through, months=months)
    since = history_start(through, months)
    with db.reading() as session:
        setting = get_or_raise(session, ParSetting, setting_id, "PAR setting")
        item = session.get(Item, setting.item_id)
        location = session.get(Location, setting.location_id)
        assert item is not None and location is not None
        own = seasons_of(session, [setting_id]).get(setting_id, [])
        orders = session.execute(
            select(Order.order_date, OrderLine.packs * OrderLine.pack_size)
            .join(Order, Order.id == OrderLine.order_id)
            .where(
                OrderLine.location_id == setting.location_id,
                OrderLine.item_id == setting.item_id,
                Order.status != "CANCELLED",
                Order.order_date >= since,
                Order.order_date <= through,
            )
            .order_by(Order.order_date)
        ).all()
        method, levels = setting.method, (setting.par_level, setting.min_level, setting.max_level)
        title = f"{item.code} {item.description} at {location.code}"
        unit = item.unit
    weeks = tuple((w.start, w.usage) for w in history.weeks if w.complete)
    # One level per week of the history, so a season shows as a step in the line.
    par_line: list[tuple[date, Decimal]] = []
    min_line: list[tuple[date, Decimal]] = []
    max_line: list[tuple[date, Decimal]] = []
    for week in history.weeks:
        if week.start < since:
            continue
        force = levels_in_force(
            par_level=levels[0],
            min_level=levels[1],
            max_level=levels[2],
            seasons=own,
            day=week.start + timedelta(days=3),
        )
        for line, value in (
            (par_line, force.par_level if method == Method.PAR else None),
            (min_line, force.min_level if method == Method.MIN_MAX else None),
            (max_line, force.max_level if method == Method.MIN_MAX else None),
        ):
            if value is not None:
                line.append((week.start, value))
    return SettingChart(
        setting_id=setting_id,
        title=title,
        unit=unit,
        method=method,
        source=history.source,
        weeks=weeks,
        par_line=tuple(par_line),
        min_line=tuple(min_line),
        max_line=tuple(max_line),
        stockouts=history.stockouts,
        deliveries=history.deliveries,
        orders=tuple((d, Decimal(u)) for d, u in orders),
    )


def departments(db: Database) -> list[str]:
    """The departments locations belong to, by name."""
    with db.reading() as session:
        names = session.scalars(
            select(Location.department).where(Location.department.is_not(None)).distinct()
        )
        return sorted(n for n in names if n)


def spend_by_month(
    db: Database,
    *,
    department: str | None = None,
    through: date | None = None,
    months: int = 12,
) -> SpendChart:
    """Value received per month (units × pack price ÷ pack size), per department."""
    through = through or date.today()
    first = history_start(through, min(max(months, 1), MAX_MONTHS))
    starts = month_starts(first, through)
    since = datetime.combine(first, time(0), tzinfo=UTC)
    until = datetime.combine(through + timedelta(days=1), time(0), tzinfo=UTC)
    with db.reading() as session:
        month = _month_of(session.get_bind().dialect.name, Receipt.received_at)
        value = func.sum(Receipt.quantity * Item.pack_price / Item.pack_size)
        query = (
            select(Location.department, month, value)
            .join(Location, Location.id == Receipt.location_id)
            .join(Item, Item.id == Receipt.item_id)
            .where(
                Receipt.received_at >= since,
                Receipt.received_at < until,
                Item.pack_price.is_not(None),
            )
            .group_by(Location.department, month)
        )
        if department is not None:
            query = query.where(Location.department == department)
        rows = session.execute(query).all()
    index = {start.strftime("%Y-%m"): k for k, start in enumerate(starts)}
    spend: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(starts))
    for name, key, amount in rows:
        k = index.get(str(key)[:7])
        if k is not None and amount is not None:
            spend[name or NO_DEPARTMENT][k] += Decimal(str(amount)).quantize(Decimal("0.01"))
    names = tuple(sorted(spend, key=lambda n: -sum(spend[n])))
    return SpendChart(
        months=tuple(starts),
        departments=names,
        spend={n: tuple(spend[n]) for n in names},
    )


def _month_of(dialect: str, column: Any) -> Any:
    """The "YYYY-MM" of a timestamp, in the database's own words."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)
