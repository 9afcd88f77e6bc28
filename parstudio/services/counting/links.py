"""Scans of unknown barcodes kept for a manager, linking a barcode to an item, recalled lots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from parstudio.domain.counting import ScanKind, UnmatchedScan
from parstudio.domain.errors import DuplicateError, ValidationError
from parstudio.models import Barcode, Count, Item, Location, RecalledLot, Scan
from parstudio.services.catalog.items import barcode_kind
from parstudio.services.core.database import Database
from parstudio.services.core.store import get_or_raise, writing

__all__ = ["LinkResult", "add_recall", "link_barcode", "list_unmatched_scans"]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class LinkResult:
    """A barcode linked to an item, and the unmatched scans it now explains."""

    code: str
    item_id: int
    item_code: str
    scan_ids: tuple[int, ...]


def list_unmatched_scans(db: Database, *, count_id: int | None = None) -> list[UnmatchedScan]:
    """Scans of unknown barcodes not yet linked (of one count, or of every count), oldest first."""
    query = (
        select(Scan, Location.code)
        .join(Count, Count.id == Scan.count_id)
        .join(Location, Location.id == Count.location_id)
        .where(
            Scan.kind == ScanKind.UNKNOWN.value,
            Scan.item_id.is_(None),
            Scan.code.is_not(None),
            Scan.undone.is_(False),
        )
        .order_by(Scan.id)
    )
    if count_id is not None:
        query = query.where(Scan.count_id == count_id)
    with db.reading() as session:
        return [
            UnmatchedScan(
                scan_id=scan.id,
                count_id=scan.count_id,
                location_code=location_code,
                raw=scan.raw,
                code=scan.code or "",
                recorded_at=scan.recorded_at,
                recorded_by=scan.recorded_by,
            )
            for scan, location_code in session.execute(query)
        ]


def link_barcode(db: Database, *, code: str, item_id: int) -> LinkResult:
    """Add a barcode to an item, so scans of it find the item from now on."""
    code = code.strip()
    if not code:
        raise ValidationError("Scan or type the barcode to link.", field="code")
    with writing(db) as session:
        item = get_or_raise(session, Item, item_id, "item")
        owner = session.execute(
            select(Item.id, Item.code)
            .join(Barcode, Barcode.item_id == Item.id)
            .where(Barcode.code == code)
        ).first()
        if owner is not None and owner[0] != item.id:
            raise DuplicateError(f"The barcode {code} already belongs to item {owner[1]}.")
        if owner is None:
            session.add(Barcode(item_id=item.id, code=code, kind=barcode_kind(code)))
        scans = list(
            session.scalars(
                select(Scan).where(
                    Scan.kind == ScanKind.UNKNOWN.value,
                    Scan.item_id.is_(None),
                    Scan.code == code,
                )
            )
        )
        for scan in scans:
            scan.item_id = item.id
        item.updated_at = _now()
        item.updated_by = db.user_name
        return LinkResult(code, item.id, item.code, tuple(scan.id for scan in scans))


def add_recall(db: Database, *, item_id: int, lot: str, reason: str | None = None) -> None:
    """Put a lot of an item on the recall list; scanning it in a count is then flagged."""
    lot = lot.strip()
    if not lot:
        raise ValidationError("Give the lot number that is recalled.", field="lot")
    with writing(db, duplicate=lambda _e: f"Lot {lot} is already on the recall list.") as session:
        get_or_raise(session, Item, item_id, "item")
        session.add(
            RecalledLot(
                item_id=item_id,
                lot=lot,
                reason=(reason or "").strip() or None,
                created_at=_now(),
                created_by=db.user_name,
            )
        )
