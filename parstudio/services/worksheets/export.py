"""Exporting worksheets: the PAR worksheet, the order proposal, the orders and the catalogue.

Each export reads its rows with one query (plus one for barcodes) as plain tuples, never ORM
objects row by row, and streams them to openpyxl's write-only writer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from parstudio.domain.errors import NotFoundError
from parstudio.domain.orders import OrderStatus, ProposalLine
from parstudio.domain.progress import Progress
from parstudio.domain.worksheet import PROPOSAL_COLUMNS, WORKSHEET_COLUMNS, Column
from parstudio.domain.worksheet_columns import CATALOGUE_COLUMNS, ORDER_COLUMNS
from parstudio.models import (
    Barcode,
    Bin,
    CountLine,
    Item,
    Location,
    Order,
    OrderLine,
    ParSetting,
    Supplier,
)
from parstudio.reports.worksheet_write import write_sheet
from parstudio.services.core.database import Database
from parstudio.services.counting.latest import latest_count_line_id
from parstudio.services.ordering.proposals import propose_orders

_BATCH = 900

# The PAR-setting columns of the worksheet, in the order the query reads them.
_SETTING_VALUES = (
    "method",
    "count_type",
    "par_level",
    "min_level",
    "max_level",
    "moq",
    "lot_multiple",
    "rounding",
    "storage_capacity",
    "weekly_usage",
    "open_supply",
    "open_demand",
)


def location_ids(session: Session, codes: Sequence[str] | None) -> list[int] | None:
    """The ids of locations named by code (any case); None for all; unknown codes refused."""
    if codes is None:
        return None
    found: dict[str, int] = {
        code: location_id
        for code, location_id in session.execute(
            select(func.lower(Location.code), Location.id).where(
                func.lower(Location.code).in_([c.lower() for c in codes])
            )
        )
    }
    for code in codes:
        if code.lower() not in found:
            raise NotFoundError(f"There is no location “{code}”.")
    return [found[c.lower()] for c in codes]


def _barcodes(session: Session, item_ids: Sequence[int] | None) -> dict[int, str]:
    """Each item's barcodes, comma-separated, in the order they were added."""
    found: dict[int, list[str]] = defaultdict(list)
    query = select(Barcode.item_id, Barcode.code).order_by(Barcode.item_id, Barcode.id)
    if item_ids is None:
        batches: list[Any] = [query]
    else:
        ids = sorted(set(item_ids))
        batches = [
            query.where(Barcode.item_id.in_(ids[start : start + _BATCH]))
            for start in range(0, len(ids), _BATCH)
        ]
    for batch in batches:
        for item_id, code in session.execute(batch):
            found[item_id].append(code)
    return {item_id: ", ".join(codes) for item_id, codes in found.items()}


def _setting_rows(
    session: Session, ids: list[int] | None, *, include_counts: bool
) -> tuple[Sequence[Any], dict[int, str]]:
    columns: list[Any] = [
        ParSetting.id,
        Location.code,
        Item.id,
        Item.code,
        Item.description,
        Item.unit,
        Item.pack_size,
        Supplier.code,
        Item.supplier_item_no,
        Item.pack_price,
        Bin.code,
        Item.shelf_life_days,
        *(getattr(ParSetting, name) for name in _SETTING_VALUES),
    ]
    if include_counts:
        columns.append(latest_count_line_id())
    query = (
        select(*columns)
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .outerjoin(Bin, Bin.id == ParSetting.bin_id)
        .outerjoin(Supplier, Supplier.id == Item.supplier_id)
        .where(ParSetting.active.is_(True), Location.active.is_(True), Item.active.is_(True))
        .order_by(Location.code, Bin.sort_order.is_(None), Bin.sort_order, Bin.code, Item.code)
    )
    if ids is not None:
        query = query.where(ParSetting.location_id.in_(ids))
    rows: Sequence[Any] = session.execute(query).all()
    if include_counts:
        counted = _count_lines(session, [row[24] for row in rows if row[24] is not None])
        rows = [(*row[:24], *counted.get(row[24], (None, None))) for row in rows]
    item_ids = None if ids is None else [row[2] for row in rows]
    return rows, _barcodes(session, item_ids)


def _count_lines(session: Session, ids: Sequence[int]) -> dict[int, tuple[Any, Any]]:
    """Quantity and time of count lines by id."""
    found: dict[int, tuple[Any, Any]] = {}
    for start in range(0, len(ids), _BATCH):
        query = select(CountLine.id, CountLine.quantity, CountLine.recorded_at).where(
            CountLine.id.in_(ids[start : start + _BATCH])
        )
        found.update({line_id: (qty, at) for line_id, qty, at in session.execute(query)})
    return found


def _worksheet_rows(
    rows: Sequence[Any],
    barcodes: dict[int, str],
    columns: Sequence[Column],
    *,
    include_counts: bool,
    lines: dict[int, ProposalLine] | None,
    proposal: bool,
) -> Iterator[list[Any]]:
    """Rows in the order of ``columns``; counts and proposal fields only where asked for."""
    names = [column.name for column in columns]
    slot = {name: index for index, name in enumerate(names)}
    width = len(names)
    fixed = [
        slot[name]
        for name in (
            "Location",
            "Item Code",
            "Description",
            "Unit",
            "Pack Size",
            "Supplier",
            "Supplier Item No",
            "Pack Price",
            "Bin",
            "Shelf Life Days",
            "Method",
            "Count Type",
            "PAR Level",
            "Min",
            "Max",
            "MOQ",
            "Lot Multiple",
            "Rounding",
            "Storage Capacity",
            "Weekly Usage",
            "Open Supply",
            "Open Demand",
        )
    ]
    barcode_slot = slot["Barcodes"]
    last_count, last_counted = slot["Last Count"], slot["Last Counted"]
    packs, units, explanation = slot["Order Packs"], slot["Order Units"], slot["Explanation"]
    status, reason = slot.get("Status"), slot.get("Reason / Warnings")
    for row in rows:
        out: list[Any] = [None] * width
        setting_id, item_id = row[0], row[2]
        for target, value in zip(fixed, row[1:2] + row[3:24], strict=True):
            out[target] = value
        out[barcode_slot] = barcodes.get(item_id)
        if include_counts:
            out[last_count], out[last_counted] = row[24], row[25]
        line = lines.get(setting_id) if lines is not None else None
        if line is not None:
            out[last_count], out[last_counted] = line.on_hand, line.counted_at
            out[packs], out[units], out[explanation] = line.packs, line.units, line.explanation
            if proposal and status is not None and reason is not None:
                out[status] = line.status.value
                notes = [line.reason] if line.reason and line.reason != line.explanation else []
                out[reason] = "; ".join([*notes, *line.warnings]) or None
        yield out


def export_worksheet(
    db: Database,
    *,
    path: Path | str,
    location_codes: Sequence[str] | None = None,
    include_counts: bool = True,
    include_proposal: bool = True,
    progress: Progress | None = None,
) -> int:
    """Write the PAR worksheet of the chosen (or all) locations; returns the rows written.

    ``include_counts`` fills Last Count and Last Counted; ``include_proposal`` fills the order
    the proposal would make now (Order Packs, Order Units, Explanation) and the counts too.
    """
    return _export_settings(
        db,
        path=path,
        location_codes=location_codes,
        include_counts=include_counts and not include_proposal,
        include_proposal=include_proposal,
        proposal=False,
        progress=progress,
    )


def export_proposal(
    db: Database,
    *,
    path: Path | str,
    location_codes: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the order proposal from the latest counts as a worksheet; returns rows written."""
    return _export_settings(
        db,
        path=path,
        location_codes=location_codes,
        include_counts=False,
        include_proposal=True,
        proposal=True,
        progress=progress,
    )


def _export_settings(
    db: Database,
    *,
    path: Path | str,
    location_codes: Sequence[str] | None,
    include_counts: bool,
    include_proposal: bool,
    proposal: bool,
    progress: Progress | None,
) -> int:
    with db.reading() as session:
        ids = location_ids(session, location_codes)
        rows, barcodes = _setting_rows(session, ids, include_counts=include_counts)
    lines = None
    if include_proposal:
        lines = {line.setting_id: line for line in propose_orders(db, location_ids=ids).lines}
    columns = PROPOSAL_COLUMNS if proposal else WORKSHEET_COLUMNS
    values = _worksheet_rows(
        rows,
        barcodes,
        columns,
        include_counts=include_counts,
        lines=lines,
        proposal=proposal,
    )
    return write_sheet(
        path,
        columns,
        values,
        sheet_name="Proposal" if proposal else "PAR worksheet",
        total=len(rows),
        progress=progress,
    )


def export_orders(
    db: Database,
    *,
    path: Path | str,
    statuses: Sequence[OrderStatus] | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the orders (all, or those of the given statuses), one row per line; returns rows."""
    source = aliased(Location)
    destination = aliased(Location)
    query = (
        select(
            Order.number,
            Order.kind,
            Order.status,
            Order.order_date,
            Order.expected_date,
            func.coalesce(Supplier.code, source.code),
            func.coalesce(Supplier.name, source.name),
            destination.code,
            Item.code,
            Item.description,
            Item.unit,
            OrderLine.pack_size,
            OrderLine.packs,
            OrderLine.packs * OrderLine.pack_size,
            OrderLine.pack_price,
            OrderLine.packs * OrderLine.pack_price,
            OrderLine.received_units,
            Order.approved_by,
            OrderLine.explanation,
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(Item, Item.id == OrderLine.item_id)
        .join(destination, destination.id == OrderLine.location_id)
        .outerjoin(Supplier, Supplier.id == Order.supplier_id)
        .outerjoin(source, source.id == Order.source_location_id)
        .order_by(Order.order_date.desc(), Order.number.desc(), destination.code, Item.code)
    )
    if statuses:
        query = query.where(Order.status.in_([s.value for s in statuses]))
    with db.reading() as session:
        rows = session.execute(query).all()
    return write_sheet(
        path,
        ORDER_COLUMNS,
        (list(row) for row in rows),
        sheet_name="Orders",
        mark_columns=False,
        total=len(rows),
        progress=progress,
    )


def export_catalogue(
    db: Database,
    *,
    path: Path | str,
    include_inactive: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write the item catalogue, one row per item; returns the rows written."""
    stocked = (
        select(ParSetting.item_id, func.count(ParSetting.id).label("places"))
        .where(ParSetting.active.is_(True))
        .group_by(ParSetting.item_id)
        .subquery()
    )
    query = (
        select(
            Item.id,
            Item.code,
            Item.description,
            Item.unit,
            Item.pack_size,
            Supplier.code,
            Item.supplier_item_no,
            Item.pack_price,
            Item.category,
            Item.expensed,
            Item.consignment,
            Item.shelf_life_days,
            func.coalesce(stocked.c.places, 0),
            Item.active,
        )
        .outerjoin(Supplier, Supplier.id == Item.supplier_id)
        .outerjoin(stocked, stocked.c.item_id == Item.id)
        .order_by(Item.code)
    )
    if not include_inactive:
        query = query.where(Item.active.is_(True))
    with db.reading() as session:
        rows = session.execute(query).all()
        barcodes = _barcodes(session, None)

    def values() -> Iterator[list[Any]]:
        for row in rows:
            yield [*row[1:9], barcodes.get(row[0]), *row[9:]]

    return write_sheet(
        path,
        CATALOGUE_COLUMNS,
        values(),
        sheet_name="Catalogue",
        mark_columns=False,
        total=len(rows),
        progress=progress,
    )
