"""Loading a handheld scanner's batch file into an open count, scan by scan.

Every line goes through `record_scan`, as a live scan does (decoding, expired and recalled
flags, unknown barcodes kept for linking, undo), and is committed on its own. Each carries the
id `read_batch` made from the file's bytes and its line number: a line already recorded (the
same file loaded again, or a load that stopped part-way and is started again) is not recorded
twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from parstudio.domain.barcodes import GS, ScanDecode, decode_scan
from parstudio.domain.counting import ScanKind, ScanOutcome
from parstudio.domain.scan_batch import BatchLine, ScanBatch
from parstudio.models import Scan
from parstudio.services.core.database import Database
from parstudio.services.counting.scans import record_scan

__all__ = ["BatchPreview", "BatchResult", "load_batch", "preview_batch"]


@dataclass(frozen=True, slots=True)
class BatchPreview:
    """What loading a batch would do, before anything is recorded."""

    batch: ScanBatch
    decoded: tuple[tuple[BatchLine, ScanDecode], ...]
    already: frozenset[str]  # client ids of lines recorded by an earlier load

    @property
    def to_record(self) -> int:
        return sum(1 for line in self.batch.lines if line.client_id not in self.already)

    @property
    def unreadable(self) -> int:
        return sum(1 for _, decode in self.decoded if decode.error)


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a load did, line by line."""

    outcomes: tuple[tuple[BatchLine, ScanOutcome], ...]

    def count(self, *kinds: ScanKind) -> int:
        """Lines newly recorded as one of `kinds`."""
        return sum(
            1
            for _, outcome in self.outcomes
            if outcome.kind in kinds and not outcome.already_recorded
        )

    @property
    def already(self) -> int:
        return sum(1 for _, outcome in self.outcomes if outcome.already_recorded)

    @property
    def warnings(self) -> tuple[tuple[BatchLine, ScanOutcome], ...]:
        return tuple(
            (line, outcome)
            for line, outcome in self.outcomes
            if (outcome.warning or outcome.needs_quantity) and not outcome.already_recorded
        )


def preview_batch(
    db: Database, *, batch: ScanBatch, group_separator: str = GS, today: date | None = None
) -> BatchPreview:
    """Decode every line and find those an earlier load already recorded."""
    decoded = tuple(
        (line, decode_scan(line.barcode, group_separator=group_separator, today=today))
        for line in batch.lines
    )
    ids = [line.client_id for line in batch.lines]
    already: set[str] = set()
    with db.reading() as session:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found = session.scalars(select(Scan.client_id).where(Scan.client_id.in_(chunk)))
            already.update(str(client_id) for client_id in found)
    return BatchPreview(batch, decoded, frozenset(already))


def load_batch(
    db: Database,
    *,
    count_id: int,
    batch: ScanBatch,
    group_separator: str = GS,
    scan_adds_one: bool | None = None,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Record every line of the batch in the count, each committed before the next."""
    outcomes: list[tuple[BatchLine, ScanOutcome]] = []
    total = len(batch.lines)
    for done, line in enumerate(batch.lines, start=1):
        outcome = record_scan(
            db,
            count_id=count_id,
            text=line.barcode,
            group_separator=group_separator,
            today=today,
            scan_adds_one=scan_adds_one,
            quantity=line.quantity,
            client_id=line.client_id,
            scanned_at=line.scanned_at,
        )
        outcomes.append((line, outcome))
        if progress is not None:
            progress(done, total)
    return BatchResult(tuple(outcomes))
