"""Undoing a scan: a clerk takes back their own latest scan or typed quantity."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.barcodes import GS
from parstudio.domain.counting import ScanKind, ScanOutcome
from parstudio.domain.fields import tidy
from parstudio.models import Count, ParSetting, Scan
from parstudio.services.core.database import Database
from parstudio.services.core.store import writing
from parstudio.services.counting.sheet import (
    lock_for_writing,
    locked_line,
    one_line,
    open_count_row,
)

__all__ = ["undo_last_scan"]


def undo_last_scan(db: Database, *, count_id: int) -> ScanOutcome:
    """Take back your own latest scan or typed quantity in the count.

    Only scans recorded under this database user are undone, so a clerk never takes back
    another scanner's scan. The line goes back by what the scan changed: exactly to what it
    was, unless another scanner changed it since, whose change is then kept.
    """
    with writing(db) as session:
        lock_for_writing(session)
        count = open_count_row(session, count_id)
        scan = session.scalar(
            select(Scan)
            .where(
                Scan.count_id == count.id,
                Scan.undone.is_(False),
                Scan.recorded_by == db.user_name,
            )
            .order_by(Scan.id.desc())
            .limit(1)
            .with_for_update()
        )
        if scan is None:
            return ScanOutcome(ScanKind.UNKNOWN, "Nothing to undo.")
        scan.undone = True
        setting_id: int | None = None
        changed = scan.item_id is not None and scan.quantity_after != scan.quantity_before
        if scan.item_id is not None:
            setting_id = session.scalar(
                select(ParSetting.id).where(
                    ParSetting.location_id == count.location_id,
                    ParSetting.item_id == scan.item_id,
                )
            )
        back: Decimal | None = scan.quantity_before
        if changed and scan.item_id is not None:
            back = _take_back(session, count, scan)
        session.flush()
        what = _short(scan.raw)
        if changed:
            shown = "not counted" if back is None else tidy(back)
            message = f"Undone: {what}. The line is back to {shown}."
        else:
            message = f"Undone: {what} (it had changed no quantity)."
        return ScanOutcome(
            ScanKind(scan.kind),
            message,
            line=one_line(session, count.location_id, setting_id, count.id),
            scan_id=scan.id,
            changed=changed,
        )


def _take_back(session: Session, count: Count, scan: Scan) -> Decimal | None:
    """Reverse what one scan did to its line; returns the line's quantity afterwards."""
    assert scan.item_id is not None
    line = locked_line(session, count, scan.item_id)
    if line is None:
        return None
    delta = (scan.quantity_after or Decimal(0)) - (scan.quantity_before or Decimal(0))
    if scan.quantity_before is None and line.quantity == scan.quantity_after:
        session.delete(line)  # the scan made the line and nobody changed it since
        return None
    line.quantity = max(line.quantity - delta, Decimal(0))
    previous = session.execute(
        select(Scan.lot, Scan.expiry)
        .where(
            Scan.count_id == count.id,
            Scan.item_id == scan.item_id,
            Scan.undone.is_(False),
            Scan.quantity_after.is_not(None),
            Scan.id != scan.id,
            (Scan.lot.is_not(None) | Scan.expiry.is_not(None)),
        )
        .order_by(Scan.id.desc())
        .limit(1)
    ).first()
    line.lot, line.expiry = (previous[0], previous[1]) if previous else (None, None)
    return tidy(line.quantity)


def _short(raw: str) -> str:
    text = raw.strip(" \t\r\n").replace(GS, "<GS>")
    return text if len(text) <= 40 else text[:39] + "…"
