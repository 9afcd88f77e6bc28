"""Stock across locations: each PAR setting's latest count beside its level, its open supply,
its dated lots and whether it is being counted; read once for the view and for Rebalance."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from parstudio.domain.enums import CountType, Method
from parstudio.domain.errors import ValidationError
from parstudio.domain.expiry import HORIZONS
from parstudio.domain.quantities import fill_level, format_quantity
from parstudio.domain.rebalance import HeldLot, Holding
from parstudio.domain.stock_across import LocationStock, StockAcross, count_note
from parstudio.models import Count, CountLine, Item, Location, ParSetting, UsageProfile
from parstudio.services.core.database import Database
from parstudio.services.core.store import get_or_raise
from parstudio.services.counting.latest import latest_count_line_id
from parstudio.services.expiry.lots import lots_on_hand
from parstudio.services.ordering.stock_moves import moved_since_count, open_supply

STOREROOM = "STOREROOM"


@dataclass(frozen=True, slots=True)
class Place:
    """One active PAR setting as read for the view and the rule."""

    holding: Holding
    location_name: str
    method: Method
    counted_at: datetime | None
    note: str


def read_places(
    session: Session,
    *,
    item_id: int | None = None,
    location_ids: Sequence[int] | None = None,
    today: date,
    lots_until: date | None = None,
) -> list[Place]:
    """Every active setting at an active location (of one item, or all), with its lots that
    expire by ``lots_until`` (default: the longest expiry horizon)."""
    latest = aliased(CountLine, name="latest")
    store_setting = aliased(ParSetting)
    received, _ordered, transferred = moved_since_count(latest)
    query: Any = (
        select(
            ParSetting.id,
            ParSetting.location_id,
            Location.code,
            Location.name,
            Location.kind,
            ParSetting.item_id,
            Item.code,
            Item.description,
            Item.unit,
            ParSetting.method,
            ParSetting.par_level,
            ParSetting.max_level,
            # The review's learned weekly average first, else what the user typed.
            func.coalesce(UsageProfile.average, ParSetting.weekly_usage),
            store_setting.issue_pack,
            latest.count_type,
            latest.quantity,
            latest.recorded_at,
            received,
            transferred,
        )
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .outerjoin(latest, latest.id == latest_count_line_id())
        .outerjoin(UsageProfile, UsageProfile.par_setting_id == ParSetting.id)
        # A storeroom's own issue pack: what it moves in when it is the source.
        .outerjoin(store_setting, store_setting.id == ParSetting.id)
        .where(ParSetting.active.is_(True), Location.active.is_(True), Item.active.is_(True))
        .order_by(Item.code, Location.code)
    )
    if item_id is not None:
        query = query.where(ParSetting.item_id == item_id)
    rows = session.execute(query).all()
    counting = set(session.scalars(select(Count.location_id).where(Count.finished_at.is_(None))))
    supply = open_supply(session)
    lots: dict[tuple[int, int], list[HeldLot]] = defaultdict(list)
    until = lots_until or today + timedelta(days=max(HORIZONS))
    for held in lots_on_hand(session, item_id=item_id, expiring_by=until):
        if held.expiry is not None and held.expiry <= until and held.quantity > 0:
            lots[(held.location_id, held.item_id)].append(
                HeldLot(held.lot, held.expiry, held.quantity)
            )
    places = []
    for row in rows:
        (setting_id, loc_id, code, name, kind, it_id, it_code, desc, unit, method) = row[:10]
        par, top, weekly, issue_pack, count_type, quantity, at, got, sent = row[10:]
        storeroom = kind == STOREROOM
        on_hand = quantity if count_type == CountType.ON_HAND else None
        holding = Holding(
            setting_id=setting_id,
            location_id=loc_id,
            location_code=code,
            item_id=it_id,
            item_code=it_code,
            description=desc,
            unit=unit,
            on_hand=on_hand,
            level=fill_level(method, par, top),
            weekly_usage=weekly,
            storeroom=storeroom,
            pack=issue_pack if storeroom and issue_pack and issue_pack > 0 else Decimal(1),
            open_supply=supply.get((loc_id, it_id), Decimal(0)),
            lots=tuple(sorted(lots.get((loc_id, it_id), ()), key=lambda h: h.expiry)),
            counting=loc_id in counting,
            stale=on_hand is not None and (got is not None or sent is not None),
        )
        places.append(
            Place(holding, name, Method(method), at, count_note(count_type if at else None))
        )
    if location_ids is not None:
        wanted = set(location_ids)
        places = [p for p in places if p.holding.location_id in wanted]
    return places


def stock_across_locations(db: Database, *, item_id: int, today: date | None = None) -> StockAcross:
    """One item at every active location carrying it, from the latest finished counts."""
    day = today or date.today()
    with db.reading() as session:
        item = get_or_raise(session, Item, item_id, "item")
        places = read_places(session, item_id=item_id, today=day)
        return StockAcross(
            item_id=item.id,
            item_code=item.code,
            description=item.description,
            unit=item.unit,
            rows=tuple(_row(place) for place in places),
        )


def _row(place: Place) -> LocationStock:
    held = place.holding
    return LocationStock(
        location_code=held.location_code,
        location_name=place.location_name,
        storeroom=held.storeroom,
        method=place.method,
        level=held.level,
        on_hand=held.on_hand,
        counted_at=place.counted_at,
        note=place.note,
        open_supply=held.open_supply,
        weekly_usage=held.weekly_usage,
        expiring=held.lots,
        counting=held.counting,
        stale=held.stale,
    )


def refuse_below_par(
    session: Session,
    taken: Mapping[tuple[int, int], Decimal],
    *,
    today: date,
    destinations: Collection[tuple[int, int]] = (),
) -> None:
    """Refuse taking units from locations' surplus ((location, item) → units) that would take
    one below its own PAR, or moving stock from or to a shelf not known well enough now (a
    count since, being counted, stock moved)."""
    if not taken:
        return
    held = {
        (p.holding.location_id, p.holding.item_id): p.holding
        for p in read_places(session, today=today)
    }
    for key in [*taken, *destinations]:
        place = held.get(key)
        if place is None or not place.usable:
            code = place.location_code if place else "a location"
            raise ValidationError(
                f"The stock at {code} has changed since the move was suggested (a count, an "
                "order or a transfer): refresh and choose again."
            )
    for key, units in taken.items():
        source = held[key]
        if units > source.room_above_par:
            raise ValidationError(
                f"Taking {format_quantity(units)} {source.unit} of {source.item_code} from "
                f"{source.location_code} would take it below its PAR (it has "
                f"{format_quantity(source.room_above_par)} above). Refresh and choose again."
            )
