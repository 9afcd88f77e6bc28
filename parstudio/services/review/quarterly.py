"""The quarterly review report: read every part of it for one quarter and one scope."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from parstudio.domain.errors import ValidationError
from parstudio.domain.orders import OrderKind, OrderStatus
from parstudio.domain.period_usage import SettingFacts
from parstudio.domain.quarterly_review import (
    OnHandLine,
    Quarter,
    QuarterlyReport,
    RushOrder,
    StockoutLine,
    compare_usage,
    most_out_of_line,
    rush_reason,
    stock_values,
    summarise_waste,
    top_movers,
)
from parstudio.models import (
    Count,
    CountLine,
    Item,
    Location,
    Order,
    OrderLine,
    ParSetting,
    Supplier,
)
from parstudio.services.core.database import Database
from parstudio.services.counting.latest import latest_count_line_id
from parstudio.services.expiry.waste import list_waste
from parstudio.services.review.period_usage import SettingFilter, monthly_usage
from parstudio.services.review.suggestions import review_list
from parstudio.services.review.usage import on_hand_counted, setting_of

TOP = 10


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def quarterly_review(
    db: Database,
    *,
    quarter: Quarter,
    wanted: SettingFilter | None = None,
    today: date | None = None,
    top: int = TOP,
) -> QuarterlyReport:
    """Every part of the quarterly review report for a quarter, by department, cost centre or
    locations."""
    today = today or date.today()
    if quarter.start > today:
        raise ValidationError(f"{quarter.label} has not started yet.", field="quarter")
    wanted = wanted or SettingFilter()
    usages = monthly_usage(
        db,
        first_month=quarter.year_before.start,
        last_month=quarter.end,
        wanted=wanted,
        today=today,
    )
    facts = {u.facts.setting_id: u.facts for u in usages}
    location_ids = sorted({f.location_id for f in facts.values()})
    since, until = _moment(quarter.start), _moment(quarter.end + timedelta(days=1))
    with db.reading() as session:
        stockouts = _stockouts(session, location_ids, since, until) if facts else []
        rush = _rush_orders(session, location_ids, quarter) if facts else []
        on_hand = _on_hand(session, facts, location_ids, until) if facts else []
    waste = list_waste(db, since=since, until=until, location_ids=location_ids) if facts else []
    review = review_list(db, location_ids=location_ids) if facts else None
    return QuarterlyReport(
        quarter=quarter,
        scope=wanted.describe(),
        made_on=today,
        settings=len(facts),
        usage=compare_usage(usages, quarter),
        unpriced_settings=sum(1 for f in facts.values() if f.unit_cost is None),
        stockouts=tuple(stockouts),
        waste=tuple(waste),
        waste_by_reason=summarise_waste(waste),
        rush_orders=tuple(rush),
        stock_value=stock_values(on_hand),
        movers=top_movers(usages, quarter, top),
        out_of_line=most_out_of_line(review.lines, top) if review else (),
        suggestions_through=review.history_through if review else None,
    )


def _stockouts(
    session: Session, location_ids: Sequence[int], since: datetime, until: datetime
) -> list[StockoutLine]:
    empty = case((CountLine.quantity == 0, 1), else_=0)
    query = (
        select(
            Location.code,
            Item.code,
            Item.description,
            func.sum(empty),
            func.count(CountLine.id),
            func.max(case((CountLine.quantity == 0, CountLine.recorded_at))),
        )
        .join(Count, Count.id == CountLine.count_id)
        .join(ParSetting, setting_of(CountLine))
        .join(Location, Location.id == CountLine.location_id)
        .join(Item, Item.id == CountLine.item_id)
        .where(
            *on_hand_counted(since, until),
            CountLine.location_id.in_(list(location_ids)),
            ParSetting.active.is_(True),
        )
        .group_by(Location.code, Item.code, Item.description)
        .having(func.sum(empty) > 0)
    )
    lines = [
        StockoutLine(location, item, description, int(out), int(counts), _day(last))
        for location, item, description, out, counts, last in session.execute(query)
    ]
    lines.sort(key=lambda s: (-s.stockouts, s.location_code, s.item_code))
    return lines


def _day(moment: Any) -> date:
    # SQLite gives the MAX of a timestamp back as text, not through the column's type.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.date() if isinstance(moment, datetime) else moment


def _rush_orders(
    session: Session, location_ids: Sequence[int], quarter: Quarter
) -> list[RushOrder]:
    lines = (
        select(
            Order.id,
            Order.number,
            Order.kind,
            Order.order_date,
            Order.expected_date,
            Order.rush,
            func.coalesce(Supplier.name, Location.name),
            Supplier.delivery_weekdays,
            OrderLine.location_id,
            OrderLine.packs * func.coalesce(OrderLine.pack_price, 0),
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .outerjoin(Supplier, Supplier.id == Order.supplier_id)
        .outerjoin(Location, Location.id == Order.source_location_id)
        .where(
            Order.status != OrderStatus.CANCELLED.value,
            Order.order_date >= quarter.start,
            Order.order_date <= quarter.end,
            OrderLine.location_id.in_(list(location_ids)),
        )
        .order_by(Order.order_date, Order.number)
    )
    orders: dict[int, dict[str, Any]] = {}
    for (
        order_id,
        number,
        kind,
        ordered,
        expected,
        rush,
        source,
        weekdays,
        dest,
        amount,
    ) in session.execute(lines):
        order = orders.setdefault(
            order_id,
            {
                "number": number,
                "kind": kind,
                "ordered": ordered,
                "expected": expected,
                "rush": bool(rush),
                "source": source or "",
                "weekdays": weekdays,
                "destinations": set(),
                "value": Decimal(0),
            },
        )
        order["destinations"].add(dest)
        order["value"] += Decimal(str(amount or 0))
    codes, schedules = _destinations(
        session, {d for o in orders.values() for d in o["destinations"]}
    )
    found = []
    for order in orders.values():
        if order["kind"] == OrderKind.TRANSFER.value:
            # A transfer is on schedule when it comes on a delivery day of a place it goes to.
            days = {d for dest in order["destinations"] for d in schedules[dest].split(",") if d}
            weekdays = ",".join(sorted(days))
        else:
            weekdays = order["weekdays"]
        why = rush_reason(order["rush"], order["expected"], weekdays)
        if why is None:
            continue
        found.append(
            RushOrder(
                number=order["number"],
                kind=order["kind"].title(),
                order_date=order["ordered"],
                expected_date=order["expected"],
                source=order["source"],
                destinations=", ".join(sorted(codes[d] for d in order["destinations"])),
                value=order["value"].quantize(Decimal("0.01")),
                why=why,
            )
        )
    return found


def _destinations(
    session: Session, location_ids: set[int]
) -> tuple[dict[int, str], dict[int, str]]:
    rows = session.execute(
        select(Location.id, Location.code, Location.delivery_weekdays).where(
            Location.id.in_(list(location_ids))
        )
    )
    codes, schedules = {}, {}
    for location_id, code, weekdays in rows:
        codes[location_id], schedules[location_id] = code, weekdays or ""
    return codes, schedules


def _on_hand(
    session: Session, facts: dict[int, SettingFacts], location_ids: Sequence[int], until: datetime
) -> list[OnHandLine]:
    # The latest finished on-hand line of each setting before the quarter ended, found through
    # the (item, location, time) index as the proposal does.
    newest = latest_count_line_id(on_hand_only=True, before=until)
    query = (
        select(ParSetting.id, CountLine.quantity)
        .select_from(ParSetting)
        .join(CountLine, CountLine.id == newest)
        .where(ParSetting.location_id.in_(list(location_ids)))
    )
    lines = []
    for setting_id, quantity in session.execute(query):
        fact = facts.get(setting_id)
        if fact is None:
            continue
        lines.append(
            OnHandLine(
                fact.location_code,
                fact.location_name,
                quantity,
                fact.unit_cost,
                fact.consignment,
            )
        )
    return lines
