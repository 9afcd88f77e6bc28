"""Exporting worksheets: the PAR worksheet, the order proposal, the orders and the catalogue.

Each export reads its rows with one query (plus one for barcodes) as plain tuples, never ORM
objects row by row, and streams them to openpyxl's write-only writer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parstudio.domain.errors import NotFoundError
from parstudio.domain.progress import Progress
from parstudio.domain.worksheet import PROPOSAL_COLUMNS, WORKSHEET_COLUMNS, Column
from parstudio.models import (
    Barcode,
    Bin,
    CountLine,
    Item,
    Location,
    ParSetting,
    Supplier,
)
from parstudio.reports.worksheet_write import write_sheet
from parstudio.services.core.database import Database
from parstudio.services.counting.latest import latest_count_line_id
from parstudio.services.worksheets.proposal_groups import ProposalByLocation

_BATCH = 900
_STREAM = 5000  # setting rows read at a time while writing

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


def barcodes_of(session: Session, item_ids: Sequence[int] | None) -> dict[int, str]:
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


def _settings_query(ids: list[int] | None, *, include_counts: bool) -> Any:
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
    return query


def _setting_batches(
    session: Session, ids: list[int] | None, *, include_counts: bool
) -> Iterator[tuple[Sequence[Any], dict[int, str]]]:
    """The settings' rows in batches, each with its items' barcodes: never all rows at once."""
    query = _settings_query(ids, include_counts=include_counts)
    result = session.execute(query.execution_options(yield_per=_STREAM))
    for batch in result.partitions():
        rows: Sequence[Any] = batch
        if include_counts:
            counted = _count_lines(session, [row[24] for row in rows if row[24] is not None])
            rows = [(*row[:24], *counted.get(row[24], (None, None))) for row in rows]
        yield rows, barcodes_of(session, [row[2] for row in rows])


def _count_settings(session: Session, ids: list[int] | None) -> int:
    query = (
        select(func.count(ParSetting.id))
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .where(ParSetting.active.is_(True), Location.active.is_(True), Item.active.is_(True))
    )
    if ids is not None:
        query = query.where(ParSetting.location_id.in_(ids))
    return int(session.scalar(query) or 0)


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
    batches: Iterable[tuple[Sequence[Any], dict[int, str]]],
    columns: Sequence[Column],
    *,
    include_counts: bool,
    lines: ProposalByLocation | None,
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
            "Unit of Issue",
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
    for row, barcodes in ((row, found) for rows, found in batches for row in rows):
        out: list[Any] = [None] * width
        setting_id, item_id = row[0], row[2]
        for target, value in zip(fixed, row[1:2] + row[3:24], strict=True):
            out[target] = value
        out[barcode_slot] = barcodes.get(item_id)
        if include_counts:
            out[last_count], out[last_counted] = row[24], row[25]
        line = lines.get(setting_id, row[1]) if lines is not None else None
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
        total = _count_settings(session, ids)
    lines = ProposalByLocation(db, ids) if include_proposal else None
    columns = PROPOSAL_COLUMNS if proposal else WORKSHEET_COLUMNS
    # The rows are read as they are written, in batches: a big department never sits in memory.
    with db.reading() as session:
        values = _worksheet_rows(
            _setting_batches(session, ids, include_counts=include_counts),
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
            total=total,
            progress=progress,
        )
