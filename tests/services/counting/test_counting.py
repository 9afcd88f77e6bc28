"""Counting a location scan by scan, on SQLite and PostgreSQL, through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from parstudio.domain.counting import ScanFlag, ScanKind
from parstudio.domain.errors import DuplicateError, ValidationError
from parstudio.domain.replenishment import LineStatus
from parstudio.models import CountLine, Scan
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database, open_database
from parstudio.services.counting import scans as counting
from parstudio.services.ordering import proposals

GS = "\x1d"
TODAY = date(2026, 11, 23)
SYRINGE_GTIN = "09501101530003"


def gs1(gtin: str, *, expiry: str, lot: str, serial: str | None = None) -> str:
    """A GS1 DataMatrix scan as a scanner types it: ]d2, AIs, ASCII 29 after variable fields."""
    text = f"]d201{gtin}17{expiry}10{lot}"
    if serial:
        text += f"{GS}21{serial}"
    return text


@pytest.fixture
def ct(db: Database) -> dict[str, int]:
    """CT room: syringes (GTIN), gloves (internal code), a two-bin item and a requisition."""
    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline"})
    room = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    syringe = items.create_item(
        db,
        fields={
            "code": "SYR-10",
            "description": "Syringe 10 mL",
            "supplier_code": "MED",
            "barcodes": SYRINGE_GTIN[1:],  # stored as the 13-digit form
        },
    )
    gloves = items.create_item(
        db, fields={"code": "GLV-M", "description": "Gloves M", "supplier_code": "MED"}
    )
    gauze = items.create_item(
        db,
        fields={
            "code": "GAUZE",
            "description": "Gauze 4x4",
            "supplier_code": "MED",
            "barcodes": "INT-7788",
        },
    )
    tape = items.create_item(
        db, fields={"code": "TAPE", "description": "Tape 1 in", "supplier_code": "MED"}
    )
    contrast = items.create_item(
        db, fields={"code": "CONTRAST", "description": "Contrast 100 mL", "supplier_code": "MED"}
    )
    ids = {"ct": room.id, "syringe": syringe.id, "gloves": gloves.id, "gauze": gauze.id}
    ids["tape"], ids["contrast"] = tape.id, contrast.id
    for key, bin_code, extra in (
        ("syringe", "A-01", {"par_level": "20"}),
        ("gloves", "A-02", {"method": "MIN/MAX", "min_level": "2", "max_level": "10"}),
        ("gauze", "B-01", {"par_level": "10"}),
        ("tape", "B-02", {"par_level": "6", "count_type": "ORDER PAR"}),
        ("contrast", "C-01", {"par_level": "4", "count_type": "ORDER QTY"}),
    ):
        setting = par_settings.create_par_setting(
            db, location_id=room.id, item_id=ids[key], fields={"bin": bin_code, **extra}
        )
        ids[f"{key}_setting"] = setting.id
    return ids


def line_of(sheet: counting.CountSheet, item_code: str) -> counting.CountSheetLine:
    return next(line for line in sheet.lines if line.item_code == item_code)


def scan(db: Database, count_id: int, text: str) -> counting.ScanOutcome:
    return counting.record_scan(db, count_id=count_id, text=text, today=TODAY)


def test_open_count_lists_lines_in_bin_order_with_expected(
    db: Database, ct: dict[str, int]
) -> None:
    sheet = counting.open_count(db, location_id=ct["ct"])
    assert [line.item_code for line in sheet.lines] == [
        "SYR-10",
        "GLV-M",
        "GAUZE",
        "TAPE",
        "CONTRAST",
    ]
    assert [line.expected for line in sheet.lines] == [20, 10, 10, 6, 4]  # MIN/MAX: Max
    assert [line.count_type for line in sheet.lines][3:] == ["ORDER PAR", "ORDER QTY"]
    assert (sheet.location_code, sheet.blind, sheet.scan_adds_one) == ("CT1", False, True)
    assert (sheet.counted, sheet.to_count, sheet.resumed) == (0, 3, False)
    assert counting.open_count(db, location_id=ct["ct"]).count_id == sheet.count_id


def test_gs1_datamatrix_scan_finds_item_by_gtin_and_keeps_lot_and_expiry(
    db: Database, ct: dict[str, int]
) -> None:
    sheet = counting.open_count(db, location_id=ct["ct"])
    first = scan(db, sheet.count_id, gs1(SYRINGE_GTIN, expiry="271231", lot="L123", serial="S9"))
    second = scan(db, sheet.count_id, gs1(SYRINGE_GTIN, expiry="280131", lot="L124"))
    assert first.kind is ScanKind.ITEM and not first.warning and not first.needs_quantity
    assert first.line is not None and first.line.counted == 1
    assert second.line is not None and second.line.counted == 2
    assert (second.line.lot, second.line.expiry) == ("L124", date(2028, 1, 31))
    with db.reading() as session:
        stored = session.scalars(select(Scan).order_by(Scan.id)).all()
        assert [(s.lot, s.serial, s.expiry) for s in stored] == [
            ("L123", "S9", date(2027, 12, 31)),
            ("L124", None, date(2028, 1, 31)),
        ]
        assert [(s.quantity_before, s.quantity_after) for s in stored] == [(None, 1), (1, 2)]


def test_scan_by_item_code_and_by_linked_barcode_adds_one_each(
    db: Database, ct: dict[str, int]
) -> None:
    count_id = counting.open_count(db, location_id=ct["ct"]).count_id
    for _ in range(3):
        outcome = scan(db, count_id, "GLV-M")
    assert outcome.line is not None and outcome.line.counted == 3
    assert "GLV-M Gloves M: 3 EA" in outcome.message
    linked = scan(db, count_id, "INT-7788")
    assert linked.line is not None and (linked.line.item_code, linked.line.counted) == ("GAUZE", 1)
    with db.reading() as session:
        quantities = dict(
            session.execute(
                select(CountLine.item_id, CountLine.quantity).where(CountLine.count_id == count_id)
            ).all()
        )
    assert quantities == {ct["gloves"]: 3, ct["gauze"]: 1}


def test_order_par_scan_records_the_empty_bin_and_order_qty_asks_for_a_quantity(
    db: Database, ct: dict[str, int]
) -> None:
    count_id = counting.open_count(db, location_id=ct["ct"]).count_id
    empty = scan(db, count_id, "TAPE")
    again = scan(db, count_id, "TAPE")
    assert empty.line is not None and empty.line.counted == 1 and "empty bin" in empty.message
    assert again.line is not None and again.line.counted == 1  # still "bin empty", not 2
    wanted = scan(db, count_id, "CONTRAST")
    assert wanted.needs_quantity and wanted.line is not None and wanted.line.counted is None
    typed = counting.set_quantity(
        db, count_id=count_id, setting_id=ct["contrast_setting"], quantity="3"
    )
    assert typed.kind is ScanKind.TYPED and typed.line is not None and typed.line.counted == 3


def test_location_that_asks_for_quantities_does_not_add_one(
    db: Database, ct: dict[str, int]
) -> None:
    locations.update_location(db, location_id=ct["ct"], changes={"scan_adds_one": "no"})
    sheet = counting.open_count(db, location_id=ct["ct"])
    outcome = scan(db, sheet.count_id, "GLV-M")
    assert outcome.needs_quantity and outcome.line is not None and outcome.line.counted is None
    assert not sheet.scan_adds_one


def test_typed_quantities_refuse_negatives_and_words(db: Database, ct: dict[str, int]) -> None:
    count_id = counting.open_count(db, location_id=ct["ct"]).count_id
    setting = ct["gloves_setting"]
    with pytest.raises(ValidationError, match="at least 0"):
        counting.set_quantity(db, count_id=count_id, setting_id=setting, quantity="-2")
    with pytest.raises(ValidationError, match="must be a number"):
        counting.set_quantity(db, count_id=count_id, setting_id=setting, quantity="ten")
    done = counting.set_quantity(db, count_id=count_id, setting_id=setting, quantity="7.5")
    assert done.line is not None and done.line.counted == Decimal("7.5")


def test_bin_and_location_labels_jump_without_counting(db: Database, ct: dict[str, int]) -> None:
    count_id = counting.open_count(db, location_id=ct["ct"]).count_id
    to_bin = scan(db, count_id, "b-01")
    assert to_bin.kind is ScanKind.BIN and to_bin.line is not None
    assert (to_bin.line.item_code, to_bin.line.counted) == ("GAUZE", None)
    assert scan(db, count_id, "CT1").kind is ScanKind.LOCATION


def test_unknown_barcode_is_kept_then_linked_and_reapplied(
    db: Database, ct: dict[str, int]
) -> None:
    count_id = counting.open_count(db, location_id=ct["ct"]).count_id
    unknown = scan(db, count_id, "]d20104006381333931" + "10LOTX")
    assert unknown.kind is ScanKind.UNKNOWN and unknown.warning and unknown.line is None
    assert "Unknown barcode 04006381333931" in unknown.message
    unmatched = counting.list_unmatched_scans(db, count_id=count_id)
    assert [(u.code, u.location_code, u.scan_id) for u in unmatched] == [
        ("04006381333931", "CT1", unknown.scan_id)
    ]
    with db.reading() as session:
        kept = session.get(Scan, unknown.scan_id)
        assert kept is not None and kept.item_id is None and kept.lot == "LOTX"

    result = counting.link_barcode(db, code="04006381333931", item_id=ct["gauze"])
    assert result.scan_ids == (unknown.scan_id,) and result.item_code == "GAUZE"
    assert counting.list_unmatched_scans(db, count_id=count_id) == []
    again = counting.reapply_scan(db, scan_id=unknown.scan_id, today=TODAY)
    assert again.kind is ScanKind.ITEM and again.line is not None and again.line.counted == 1
    with pytest.raises(DuplicateError, match="already belongs to item GAUZE"):
        counting.link_barcode(db, code="04006381333931", item_id=ct["tape"])


def test_unreadable_barcode_counts_nothing_and_is_not_linkable(
    db: Database, ct: dict[str, int]
) -> None:
    count_id = counting.open_count(db, location_id=ct["ct"]).count_id
    bad = scan(db, count_id, "]d20109501101530004")  # wrong check digit
    assert bad.kind is ScanKind.UNREADABLE and bad.warning and "check digit" in bad.message
    assert counting.list_unmatched_scans(db, count_id=count_id) == []


def test_expired_and_recalled_lots_are_flagged_and_not_counted(
    db: Database, ct: dict[str, int]
) -> None:
    count_id = counting.open_count(db, location_id=ct["ct"]).count_id
    expired = scan(db, count_id, gs1(SYRINGE_GTIN, expiry="260131", lot="OLD1"))
    assert expired.warning and "EXPIRED on 31 Jan 2026" in expired.message
    assert expired.line is not None and expired.line.counted is None
    assert expired.line.flags == (f"{ScanFlag.EXPIRED.value} OLD1",)

    counting.add_recall(db, item_id=ct["syringe"], lot="BAD7", reason="sterility breach")
    recalled = scan(db, count_id, gs1(SYRINGE_GTIN, expiry="281231", lot="BAD7"))
    assert recalled.warning and "RECALLED lot BAD7 (sterility breach)" in recalled.message
    assert recalled.line is not None and recalled.line.flags == ("EXPIRED OLD1", "RECALLED BAD7")
    good = scan(db, count_id, gs1(SYRINGE_GTIN, expiry="281231", lot="GOOD1"))
    assert not good.warning and good.line is not None and good.line.counted == 1
    with pytest.raises(DuplicateError):
        counting.add_recall(db, item_id=ct["syringe"], lot="BAD7", reason="again")


def test_undo_restores_the_exact_previous_quantity(db: Database, ct: dict[str, int]) -> None:
    count_id = counting.open_count(db, location_id=ct["ct"]).count_id
    setting = ct["gloves_setting"]
    counting.set_quantity(db, count_id=count_id, setting_id=setting, quantity="12.25")
    scan(db, count_id, gs1(SYRINGE_GTIN, expiry="271231", lot="A1"))
    scan(db, count_id, gs1(SYRINGE_GTIN, expiry="281231", lot="A2"))
    scan(db, count_id, "GLV-M")

    undone = counting.undo_last_scan(db, count_id=count_id)
    assert undone.changed and undone.line is not None and undone.line.counted == Decimal("12.25")
    syringe = counting.undo_last_scan(db, count_id=count_id)
    assert syringe.line is not None and syringe.line.counted == 1
    assert (syringe.line.lot, syringe.line.expiry) == ("A1", date(2027, 12, 31))
    counting.undo_last_scan(db, count_id=count_id)
    counting.undo_last_scan(db, count_id=count_id)
    sheet = counting.get_count_sheet(db, count_id=count_id)
    assert all(line.counted is None for line in sheet.lines)
    assert counting.undo_last_scan(db, count_id=count_id).message == "Nothing to undo."


def test_reopening_after_a_crash_resumes_every_committed_scan(
    db: Database, db_url: str, ct: dict[str, int]
) -> None:
    first = counting.open_count(db, location_id=ct["ct"])
    scan(db, first.count_id, "GLV-M")
    scan(db, first.count_id, "GLV-M")
    scan(db, first.count_id, "TAPE")
    scan(db, first.count_id, "NO-SUCH-THING")
    # A new Database on the same URL, as the app opens it after being killed.
    restarted = open_database(db_url, user_name="tester")
    try:
        sheet = counting.open_count(restarted, location_id=ct["ct"])
        assert sheet.resumed and sheet.count_id == first.count_id
        assert line_of(sheet, "GLV-M").counted == 2
        assert line_of(sheet, "TAPE").counted == 1
        assert [u.code for u in counting.list_unmatched_scans(restarted)] == ["NO-SUCH-THING"]
        after = scan(restarted, sheet.count_id, "GLV-M")
        assert after.line is not None and after.line.counted == 3
    finally:
        restarted.close()


def test_finish_reviews_then_closes_and_only_finished_counts_reach_the_proposal(
    db: Database, ct: dict[str, int]
) -> None:
    count_id = counting.open_count(db, location_id=ct["ct"]).count_id
    counting.set_quantity(db, count_id=count_id, setting_id=ct["syringe_setting"], quantity="5")
    counting.set_quantity(db, count_id=count_id, setting_id=ct["gloves_setting"], quantity="9")
    scan(db, count_id, "TAPE")

    pending = proposals.propose_orders(db, location_ids=[ct["ct"]])
    assert {line.item_code: line.status for line in pending.lines}["SYR-10"] is (
        LineStatus.MISSING_COUNT
    )

    review = counting.finish_count(db, count_id=count_id, tolerance_pct=Decimal(20))
    assert not review.finished and (review.counted, review.to_count) == (2, 3)
    assert [line.item_code for line in review.uncounted] == ["GAUZE"]
    assert [(v.line.item_code, v.difference, v.percent) for v in review.variances] == [
        ("SYR-10", -15, Decimal("75.0"))
    ]  # gloves 9 vs Max 10 is within 20 %
    assert scan(db, count_id, "GAUZE").line is not None  # still open: scanning goes on

    closed = counting.finish_count(db, count_id=count_id, confirm=True)
    assert closed.finished and closed.uncounted == ()
    with pytest.raises(ValidationError, match="already finished"):
        scan(db, count_id, "GAUZE")
    with pytest.raises(ValidationError, match="already finished"):
        counting.finish_count(db, count_id=count_id, confirm=True)

    proposal = {line.item_code: line for line in proposals.propose_orders(db).lines}
    assert proposal["SYR-10"].on_hand == 5 and proposal["SYR-10"].units == 15
    assert proposal["TAPE"].units == 6  # empty bin: order the PAR level

    # A new count left open does not replace the finished one in the proposal.
    reopened = counting.open_count(db, location_id=ct["ct"])
    assert not reopened.resumed and reopened.count_id != count_id
    counting.set_quantity(
        db, count_id=reopened.count_id, setting_id=ct["syringe_setting"], quantity="19"
    )
    proposal = {line.item_code: line for line in proposals.propose_orders(db).lines}
    assert proposal["SYR-10"].on_hand == 5


def test_a_hibc_label_stored_as_printed_is_found_by_its_scan(db: Database) -> None:
    room = locations.create_location(db, fields={"code": "IR1", "name": "IR suite"})
    item = items.create_item(
        db, fields={"code": "BAR-006", "description": "Guidewire", "barcodes": "+B1040000311J"}
    )
    par_settings.create_par_setting(
        db, location_id=room.id, item_id=item.id, fields={"par_level": "5"}
    )
    count_id = counting.open_count(db, location_id=room.id).count_id
    outcome = counting.record_scan(db, count_id=count_id, text="+B1040000311J", today=TODAY)
    assert outcome.kind is ScanKind.ITEM and outcome.line is not None
    assert outcome.line.counted == 1


def test_a_case_label_with_a_gs1_quantity_counts_that_many_and_says_so(
    db: Database, ct: dict[str, int]
) -> None:
    sheet = counting.open_count(db, location_id=ct["ct"])
    scan(db, sheet.count_id, SYRINGE_GTIN[1:])  # one loose unit

    case = scan(db, sheet.count_id, f"(02){SYRINGE_GTIN}(37)12")
    bracketless = scan(db, sheet.count_id, f"01{SYRINGE_GTIN}\x1d3010")

    assert case.message == "SYR-10 Syringe 10 mL: 13 EA (+12: the label's quantity)"
    assert bracketless.line is not None and bracketless.line.counted == 23
    with db.reading() as session:
        line = session.scalar(select(CountLine).where(CountLine.count_id == sheet.count_id))
        assert line is not None and line.quantity == Decimal(23)
    undone = counting.undo_last_scan(db, count_id=sheet.count_id)
    assert undone.line is not None and undone.line.counted == 13
