"""Loading a handheld batch file: the same path as live scans, each line once."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from parstudio.domain.counting import ScanKind
from parstudio.domain.scan_batch import read_batch
from parstudio.models import CountLine, Scan
from parstudio.services.core.database import Database
from parstudio.services.counting import scans as counting
from parstudio.services.counting.batch import load_batch, preview_batch
from tests.services.counting.test_counting import SYRINGE_GTIN, ct  # noqa: F401 - fixture

TODAY = date(2026, 12, 7)
FILE = (
    "barcode,qty,time\n"
    f"{SYRINGE_GTIN[1:]},,2026-12-07 09:00:00\n"  # one unit
    f"01{SYRINGE_GTIN}10B7~17300131,4,2026-12-07 09:00:05\n"  # GS substitute, 4 keyed
    "GLV-M\n"
    "GLV-M,2\n"
    "UNKNOWN-77\n"
    "CONTRAST,6\n"  # ORDER QTY: 6 to order
    f"01{SYRINGE_GTIN}10RC1{chr(29)}17300131\n"  # a recalled lot
    "TAPE,x\n"  # bad quantity: a problem, nothing recorded
).encode()


def quantities(db: Database, count_id: int) -> dict[int, Decimal]:
    with db.reading() as session:
        return dict(
            session.execute(
                select(CountLine.item_id, CountLine.quantity).where(CountLine.count_id == count_id)
            ).all()
        )


def scan_rows(db: Database, count_id: int) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).where(Scan.count_id == count_id)) or 0


def test_a_batch_file_counts_like_live_scans_and_loading_it_again_changes_nothing(
    db: Database,
    ct: dict[str, int],  # noqa: F811
) -> None:
    counting.add_recall(db, item_id=ct["syringe"], lot="RC1", reason="sterility")
    sheet = counting.open_count(db, location_id=ct["ct"])
    batch = read_batch(FILE, scope="CT1")
    assert [(p.line_no, p.text) for p in batch.problems] == [(9, "TAPE,x")]

    preview = preview_batch(db, batch=batch, group_separator="~", today=TODAY)
    assert (preview.to_record, preview.unreadable, len(preview.already)) == (7, 0, 0)
    assert scan_rows(db, sheet.count_id) == 0  # a preview records nothing

    result = load_batch(db, count_id=sheet.count_id, batch=batch, group_separator="~", today=TODAY)

    assert result.count(ScanKind.ITEM) == 6 and result.count(ScanKind.UNKNOWN) == 1
    assert quantities(db, sheet.count_id) == {
        ct["syringe"]: Decimal(5),
        ct["gloves"]: Decimal(3),
        ct["contrast"]: Decimal(6),
    }
    assert [o.message.split(" — ")[0] for _, o in result.warnings] == [
        "Unknown barcode UNKNOWN-77: no item has it. Kept under Unmatched scans for a manager "
        "to link it to an item.",
        "RECALLED lot RC1 (sterility)",
    ]
    unmatched = counting.list_unmatched_scans(db, count_id=sheet.count_id)
    assert [scan.code for scan in unmatched] == ["UNKNOWN-77"]
    with db.reading() as session:
        first = session.scalar(
            select(Scan).where(Scan.count_id == sheet.count_id).order_by(Scan.id)
        )
        assert first is not None
        assert first.recorded_at.astimezone() == datetime(2026, 12, 7, 9, 0).astimezone()

    # Loaded again (or a load cut short and started again): nothing recorded twice.
    again = preview_batch(db, batch=read_batch(FILE, scope="CT1"), group_separator="~")
    assert again.to_record == 0
    reloaded = load_batch(
        db, count_id=sheet.count_id, batch=read_batch(FILE, scope="CT1"), group_separator="~"
    )
    assert reloaded.already == 7
    assert scan_rows(db, sheet.count_id) == 7
    assert quantities(db, sheet.count_id)[ct["syringe"]] == Decimal(5)

    # Undo takes back the batch's scans, latest first, as it does live ones.
    undone = counting.undo_last_scan(db, count_id=sheet.count_id)  # the recalled lot
    assert undone.line is not None and undone.line.item_code == "SYR-10"
    undone = counting.undo_last_scan(db, count_id=sheet.count_id)  # CONTRAST,6
    assert undone.line is not None and undone.line.counted is None
