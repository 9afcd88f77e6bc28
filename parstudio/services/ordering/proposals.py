"""Order proposals: the latest counts of many PAR settings through the order engine, in batches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from parstudio.domain.enums import weekday_code
from parstudio.domain.orders import OrderKind, Proposal, ProposalLine
from parstudio.domain.progress import Progress, no_progress
from parstudio.domain.rebalance import SurplusOffer, surplus_offers
from parstudio.domain.replenishment import LineStatus
from parstudio.models import (
    Bin,
    Count,
    CountLine,
    Item,
    Location,
    ParSetting,
    Supplier,
)
from parstudio.services.core.bulk import collector_paused, read_rows
from parstudio.services.core.database import Database
from parstudio.services.core.settings import offers_surplus
from parstudio.services.counting.latest import latest_count_line_id
from parstudio.services.ordering.across import read_places
from parstudio.services.ordering.proposal_lines import ProposalContext, build_line
from parstudio.services.ordering.stock_moves import (
    moved_since_count,
    open_supply,
    ordered_counts,
)
from parstudio.services.review.seasons import seasons_of

_store = aliased(Location)
_store_setting = aliased(ParSetting)
_item_supplier = aliased(Supplier)

# The proposal query's columns, in the order proposal_lines.build_line unpacks them.
PROPOSAL_COLUMNS = (
    "setting_id",
    "location_id",
    "item_id",
    "method",
    "setting_count_type",
    "par_level",
    "min_level",
    "max_level",
    "moq",
    "lot_multiple",
    "rounding",
    "storage_capacity",
    "weekly",
    "open_demand",
    "setting_supply",
    "location_code",
    "default_type",
    "item_code",
    "description",
    "unit",
    "pack_size",
    "pack_price",
    "shelf_life_days",
    "bin_code",
    "count_line_id",
    "quantity",
    "counted_at",
    "counted_by",
    "store_code",
    "issue_pack",
    "supplier_code",
    "received_since",
    "ordered_since",
    "transferred_since",
)


def locations_due(db: Database, *, on: date) -> list[int]:
    """PAR locations whose delivery schedule includes this day (no schedule: every day)."""
    code = weekday_code(on)
    query = select(Location.id, Location.delivery_weekdays).where(
        Location.active.is_(True), Location.kind != "STOREROOM"
    )
    with db.reading() as session:
        return [
            location_id
            for location_id, days in session.execute(query)
            if not days or code in days.split(",")
        ]


def _labelled(columns: Sequence[Any]) -> list[Any]:
    return [column.label(name) for column, name in zip(columns, PROPOSAL_COLUMNS, strict=True)]


def proposal_query(location_ids: Sequence[int] | None) -> Any:
    """The one query that reads every row a proposal needs."""
    latest = aliased(CountLine, name="latest")
    columns = (
        ParSetting.id,
        ParSetting.location_id,
        ParSetting.item_id,
        ParSetting.method,
        ParSetting.count_type,
        ParSetting.par_level,
        ParSetting.min_level,
        ParSetting.max_level,
        ParSetting.moq,
        ParSetting.lot_multiple,
        ParSetting.rounding,
        ParSetting.storage_capacity,
        ParSetting.weekly_usage,
        ParSetting.open_demand,
        ParSetting.open_supply,
        Location.code,
        Location.default_count_type,
        Item.code,
        Item.description,
        Item.unit,
        Item.pack_size,
        Item.pack_price,
        Item.shelf_life_days,
        Bin.code,
        latest.id,
        latest.quantity,
        latest.recorded_at,
        func.coalesce(latest.recorded_by, Count.counted_by),
        _store.code,
        _store_setting.issue_pack,
        func.coalesce(Supplier.code, _item_supplier.code),
        *moved_since_count(latest),
    )
    query: Any = (
        # Plain columns, not ParSetting objects: building 100,000 ORM objects took longer
        # than the query itself. Labelled by PROPOSAL_COLUMNS, the order build_line unpacks.
        select(*_labelled(columns))
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .outerjoin(Bin, Bin.id == ParSetting.bin_id)
        .outerjoin(latest, latest.id == latest_count_line_id())
        .outerjoin(Count, Count.id == latest.count_id)
        .outerjoin(_store, _store.id == ParSetting.source_location_id)
        .outerjoin(
            _store_setting,
            (_store_setting.location_id == ParSetting.source_location_id)
            & (_store_setting.item_id == ParSetting.item_id),
        )
        .outerjoin(Supplier, Supplier.id == ParSetting.source_supplier_id)
        .outerjoin(_item_supplier, _item_supplier.id == Item.supplier_id)
        .where(ParSetting.active.is_(True), Location.active.is_(True), Item.active.is_(True))
        .order_by(Location.code, Bin.sort_order.is_(None), Bin.sort_order, Bin.code, Item.code)
    )
    if location_ids is not None:
        query = query.where(ParSetting.location_id.in_(list(location_ids)))
    return query


def propose_orders(
    db: Database,
    *,
    location_ids: Sequence[int] | None = None,
    on: date | None = None,
    progress: Progress | None = None,
    explain: bool = False,
) -> Proposal:
    """Compute the order proposal from the latest counts of the chosen (or all) locations.

    The levels are those in force on ``on`` (default today): a setting's season from the flex
    PAR calendar replaces or scales its own levels on the days it covers. A line whose count
    the stock has moved past (a receipt, order or transfer since) orders nothing and asks for
    a new count. ``progress`` hears (lines done, lines in all) and may cancel. A line's
    explanation is worked out when first read, unless ``explain`` (for a caller that reads every
    line's: the engine then runs once a line, not twice).
    """
    day = on or date.today()
    report = progress or no_progress
    offering = offers_surplus(db)
    # Tens of thousands of rows and lines are made: the cycle collector would walk them all
    # again and again (a sixth of the time); they hold no cycles to collect.
    with collector_paused():
        with db.reading() as session:
            # Core, the driver's rows, each column's distinct values converted once.
            rows = read_rows(session.connection(), proposal_query(location_ids))
            report(0, len(rows))
            context = ProposalContext(
                day=day,
                open_supply=open_supply(session),
                ordered=ordered_counts(session),
                # One query for every season; a department has few, so no filter by setting.
                seasons=seasons_of(session, None),
                explain=explain,
            )
            codes = sorted({row[_LOCATION_CODE] for row in rows})
            held = [place.holding for place in read_places(session, today=day)] if offering else []
            offers = surplus_offers(held)
            # A storeroom restocks from its suppliers: stock is not sent back to it from a room.
            storerooms = {holding.location_id for holding in held if holding.storeroom}
        lines = []
        for done, row in enumerate(rows, start=1):
            lines.append(build_line(row, context))
            if done % _REPORT_EVERY == 0:
                report(done, len(rows))
    report(len(rows), len(rows))
    if offers:
        _offer_surplus([line for line in lines if line.location_id not in storerooms], offers)
    return Proposal(lines=tuple(lines), location_codes=tuple(codes))


def _offer_surplus(lines: Sequence[ProposalLine], offers: dict[int, list[SurplusOffer]]) -> None:
    """Name the surplus elsewhere on each line bought from a supplier: a note, never a change
    (the person chooses to take it instead)."""
    for line in lines:
        if line.status is not LineStatus.ORDER or line.source_kind is not OrderKind.PURCHASE:
            continue
        found = tuple(
            o for o in offers.get(line.item_id, ()) if o.source_location_id != line.location_id
        )
        if not found:
            continue
        line.offers = found
        notes = tuple(offer.note(line.unit) for offer in found)
        line.warnings = (*line.warnings, *notes)
        line.explanation = f"{line.explanation} · {notes[0]}"


_REPORT_EVERY = 5000
_LOCATION_CODE = PROPOSAL_COLUMNS.index("location_code")
