"""Use on a case: opening cases by label, recording scanned items, every refusal writing nothing.

On SQLite and PostgreSQL (the `db` fixture); each refusal is checked in the database, not only
in its message.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from parstudio.domain.barcodes import hibc_check_character
from parstudio.domain.cases import DEFAULT_CASE_PATTERN, CaseScan, UseRefusal, UseRefused
from parstudio.domain.errors import ConflictError, NotFoundError, ValidationError
from parstudio.models import PatientCase, UseLine
from parstudio.services import cases
from parstudio.services.billing.serials import add_recalled_serial
from parstudio.services.catalog import items, locations
from parstudio.services.core.database import Database
from parstudio.services.counting.links import add_recall

TODAY = date(2026, 12, 7)
CONTRAST_GTIN = "00614141999996"
STENT_HIBC_DATA = "+A123BJC5D6E71"


def gs1(gtin: str, *, lot: str | None = None, serial: str | None = None) -> str:
    """A GS1 element string as a scanner sends it (ASCII 29 after a variable-length field)."""
    text = f"01{gtin}17281231"
    if lot:
        text += f"10{lot}"
    if serial:
        text += ("\x1d" if lot else "") + f"21{serial}"
    return text


def hibc(data: str) -> str:
    return data + hibc_check_character(data)


def stent(serial: str) -> str:
    """The stent's HIBC label with its serial (and expiry)."""
    return hibc(f"{STENT_HIBC_DATA}/$$+3281231{serial}")


@pytest.fixture
def lab(db: Database) -> dict[str, int]:
    """A cath lab, contrast (billable, GS1), a stent (serial-tracked, HIBC) and gauze."""
    room = locations.create_location(db, fields={"code": "CATH1", "name": "Cath lab 1"})
    other = locations.create_location(db, fields={"code": "CATH2", "name": "Cath lab 2"})
    contrast = items.create_item(
        db,
        fields={
            "code": "CONTRAST-100",
            "description": "Iodinated contrast 100 mL",
            "barcodes": CONTRAST_GTIN,
            "pack_size": "10",
            "pack_price": "125.50",
            "billable": True,
            "charge_code": "Q9967",
            "charge_price": "45",
        },
    )
    implant = items.create_item(
        db,
        fields={
            "code": "STENT-3x18",
            "description": "Coronary stent 3.0 x 18 mm",
            "barcodes": "A123BJC5D6E71",
            "pack_price": "980",
            "billable": True,
            "charge_code": "C1874",
            "charge_price": "1450",
            "serial_tracked": True,
        },
    )
    gauze = items.create_item(
        db, fields={"code": "GAUZE", "description": "Gauze 4x4", "barcodes": "GZ-44"}
    )
    return {
        "room": room.id,
        "other": other.id,
        "contrast": contrast.id,
        "stent": implant.id,
        "gauze": gauze.id,
    }


def line_count(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count(UseLine.id))) or 0)


def case_count(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count(PatientCase.id))) or 0)


def scan(db: Database, lab: dict[str, int], case_id: int | None, text: str, **kw: object) -> object:
    return cases.scan_on_case(
        db, location_id=lab["room"], case_id=case_id, text=text, today=TODAY, **kw
    )


def test_a_case_label_opens_a_case_and_the_same_label_reopens_it(
    db: Database, lab: dict[str, int]
) -> None:
    opened = cases.scan_on_case(db, location_id=lab["room"], case_id=None, text="V0012345\r\n")
    assert opened.opened and opened.created and opened.line is None
    assert opened.case.identifier == "V0012345" and opened.case.location_code == "CATH1"
    assert opened.case.opened_by == "tester" and "New case V0012345" in opened.message
    again = cases.open_case(db, identifier=" V0012345 ", location_id=lab["other"])
    assert again.id == opened.case.id and again.location_code == "CATH1"
    reopened = cases.scan_on_case(db, location_id=lab["other"], case_id=None, text="V0012345")
    assert reopened.opened and not reopened.created and "re-opened" in reopened.message
    assert case_count(db) == 1


def test_a_label_not_matching_the_pattern_is_refused_with_the_pattern(
    db: Database, lab: dict[str, int]
) -> None:
    with pytest.raises(UseRefused, match="must match the pattern") as refused:
        cases.open_case(db, identifier="hello world", location_id=lab["room"])
    assert refused.value.reason is UseRefusal.NOT_A_LABEL
    assert DEFAULT_CASE_PATTERN in refused.value.message
    with pytest.raises(UseRefused) as unknown:
        scan(db, lab, None, "NOT A LABEL")
    assert unknown.value.reason is UseRefusal.NO_CASE and "scan the case label first" in str(
        unknown.value
    )
    assert DEFAULT_CASE_PATTERN in str(unknown.value)
    assert case_count(db) == 0


def test_procedure_and_physician_set_later_with_versions(db: Database, lab: dict[str, int]) -> None:
    case = cases.open_case(db, identifier="ENC-2026001", location_id=lab["room"], procedure="PCI")
    assert (case.procedure, case.physician, case.version) == ("PCI", None, 1)
    changed = cases.update_case(
        db, case_id=case.id, changes={"physician": "Dr Okafor"}, expected_version=1
    )
    assert (changed.procedure, changed.physician, changed.version) == ("PCI", "Dr Okafor", 2)
    with pytest.raises(ConflictError, match="changed since you opened it"):
        cases.update_case(db, case_id=case.id, changes={"procedure": "X"}, expected_version=1)
    with pytest.raises(ValidationError, match="Physician is too long"):
        cases.update_case(db, case_id=case.id, changes={"physician": "D" * 121})
    assert cases.get_case(db, case_id=case.id).procedure == "PCI"
    # The same label again keeps what the case holds: another procedure is not taken over.
    again = cases.open_case(db, identifier="ENC-2026001", location_id=lab["room"], procedure="Y")
    assert again.procedure == "PCI" and again.version == 2


def test_an_item_scan_records_lot_expiry_and_the_unit_cost_of_the_day(
    db: Database, lab: dict[str, int]
) -> None:
    case = cases.open_case(db, identifier="V0012345", location_id=lab["room"])
    used = scan(db, lab, case.id, gs1(CONTRAST_GTIN, lot="C77"), client_id="c-1")
    assert used.line is not None and not used.opened
    line = used.line
    assert (line.item_code, line.quantity, line.lot, line.expiry) == (
        "CONTRAST-100",
        1,
        "C77",
        date(2028, 12, 31),
    )
    assert line.unit_cost == Decimal("12.55")  # 125.50 a pack of 10
    assert line.billable and line.charge_code == "Q9967" and line.charge_price == 45
    assert line.used_by == "tester" and line.location_id == lab["room"]
    assert used.case.lines == 1 and "Used: 1 EA CONTRAST-100" in used.message
    items.update_item(db, item_id=lab["contrast"], changes={"pack_price": "200"})
    later = scan(db, lab, case.id, gs1(CONTRAST_GTIN, lot="C77"))
    assert later.line is not None and later.line.unit_cost == Decimal(20)
    kept = cases.list_use_lines(db, case_id=case.id)
    assert [entry.unit_cost for entry in kept] == [Decimal("12.55"), Decimal(20)]


def test_a_retried_scan_with_the_same_client_id_records_once(
    db: Database, lab: dict[str, int]
) -> None:
    case = cases.open_case(db, identifier="V0012345", location_id=lab["room"])
    first = scan(db, lab, case.id, "GZ-44", client_id="retry-1")
    second = scan(db, lab, case.id, "GZ-44", client_id="retry-1")
    assert second.already_recorded and second.line is not None and first.line is not None
    assert second.line.id == first.line.id
    assert line_count(db) == 1


def test_quantity_more_than_one_only_when_typed(db: Database, lab: dict[str, int]) -> None:
    case = cases.open_case(db, identifier="V0012345", location_id=lab["room"])
    typed = scan(db, lab, case.id, "GZ-44", quantity="4")
    assert typed.line is not None and typed.line.quantity == 4
    for bad, said in (("0", "more than 0"), ("-2", "more than 0"), ("two", "must be a number")):
        with pytest.raises(ValidationError, match=said):
            scan(db, lab, case.id, "GZ-44", quantity=bad)
    assert [line.quantity for line in cases.list_use_lines(db, case_id=case.id)] == [4]


def test_an_item_with_no_case_open_is_refused_and_nothing_written(
    db: Database, lab: dict[str, int]
) -> None:
    with pytest.raises(UseRefused, match="scan the case label first") as refused:
        scan(db, lab, None, gs1(CONTRAST_GTIN, lot="C77"))
    assert refused.value.reason is UseRefusal.NO_CASE
    assert "CONTRAST-100" in str(refused.value)
    with pytest.raises(UseRefused, match="scan the case label first"):
        cases.record_use(db, case_id=None, text="GZ-44")
    assert (line_count(db), case_count(db)) == (0, 0)


def test_an_unknown_or_unreadable_barcode_is_refused_with_its_code(
    db: Database, lab: dict[str, int]
) -> None:
    case = cases.open_case(db, identifier="V0012345", location_id=lab["room"])
    with pytest.raises(UseRefused, match="Unknown barcode 00012345678905") as unknown:
        scan(db, lab, case.id, gs1("00012345678905", lot="L1"))
    assert unknown.value.reason is UseRefusal.UNKNOWN
    with pytest.raises(UseRefused, match="Unknown barcode XYZ-1"):
        scan(db, lab, case.id, "XYZ-1")
    with pytest.raises(UseRefused) as unreadable:
        scan(db, lab, case.id, STENT_HIBC_DATA + "Q")  # a wrong check character
    assert unreadable.value.reason is UseRefusal.UNREADABLE
    with pytest.raises(UseRefused) as lot_only:
        scan(db, lab, case.id, "10LOT5\x1d17281231")
    assert lot_only.value.reason in (UseRefusal.NO_ITEM_NUMBER, UseRefusal.UNKNOWN)
    assert line_count(db) == 0


def test_a_serial_tracked_item_needs_its_serial_and_one_unit(
    db: Database, lab: dict[str, int]
) -> None:
    case = cases.open_case(db, identifier="V0012345", location_id=lab["room"])
    with pytest.raises(UseRefused, match="serial-tracked: scan the label") as refused:
        scan(db, lab, case.id, hibc(STENT_HIBC_DATA))
    assert refused.value.reason is UseRefusal.NEEDS_SERIAL
    with pytest.raises(UseRefused, match="one serial is one unit") as two:
        scan(db, lab, case.id, stent("SN1001"), quantity="2")
    assert two.value.reason is UseRefusal.ONE_PER_SERIAL
    assert line_count(db) == 0
    used = scan(db, lab, case.id, stent("SN1001"))
    assert used.line is not None and used.line.serial == "SN1001"
    assert used.line.unit_cost == 980 and line_count(db) == 1


def test_a_serial_used_on_another_case_is_flagged_not_recorded(
    db: Database, lab: dict[str, int]
) -> None:
    first = cases.open_case(db, identifier="V0012345", location_id=lab["room"])
    second = cases.open_case(db, identifier="V0099999", location_id=lab["room"])
    scan(db, lab, first.id, stent("SN1001"))
    with pytest.raises(UseRefused, match="already used on case V0012345") as flagged:
        scan(db, lab, second.id, stent("SN1001"))
    assert flagged.value.reason is UseRefusal.SERIAL_ELSEWHERE
    assert "NOT recorded" in str(flagged.value) and "tester" in str(flagged.value)
    with pytest.raises(UseRefused, match="already recorded on this case") as again:
        scan(db, lab, first.id, stent("SN1001"))
    assert again.value.reason is UseRefusal.SERIAL_AGAIN
    assert cases.list_use_lines(db, case_id=second.id) == []
    assert line_count(db) == 1
    # Another serial of the same item, and the same serial text of another item, are fine.
    assert scan(db, lab, second.id, stent("SN1002")).line is not None
    # Once the first line is voided (a wrong scan), the serial may be used on the right case.
    (wrong,) = cases.list_use_lines(db, case_id=first.id)
    cases.void_use(db, line_id=wrong.id)
    moved = scan(db, lab, second.id, stent("SN1001"))
    assert moved.line is not None and moved.line.case_id == second.id


def test_void_and_undo_keep_the_line_marked(db: Database, lab: dict[str, int]) -> None:
    case = cases.open_case(db, identifier="V0012345", location_id=lab["room"])
    scan(db, lab, case.id, "GZ-44")
    last = scan(db, lab, case.id, gs1(CONTRAST_GTIN, lot="C77"))
    assert last.line is not None
    undone = cases.undo_last_use(db, case_id=case.id)
    assert undone.id == last.line.id and undone.voided and undone.voided_by == "tester"
    assert undone.voided_at is not None
    with pytest.raises(ValidationError, match="already voided"):
        cases.void_use(db, line_id=undone.id)
    undone_too = cases.undo_last_use(db, case_id=case.id)
    assert undone_too.item_code == "GAUZE"
    with pytest.raises(NotFoundError, match="no line of yours"):
        cases.undo_last_use(db, case_id=case.id)
    lines = cases.list_use_lines(db, case_id=case.id)
    assert [(line.item_code, line.voided) for line in lines] == [
        ("GAUZE", True),
        ("CONTRAST-100", True),
    ]
    assert cases.list_use_lines(db, case_id=case.id, include_voided=False) == []
    assert cases.get_case(db, case_id=case.id).lines == 0 and line_count(db) == 2


def test_cases_listed_by_location_and_period(db: Database, lab: dict[str, int]) -> None:
    here = cases.open_case(db, identifier="V0000001", location_id=lab["room"])
    there = cases.open_case(db, identifier="V0000002", location_id=lab["other"])
    assert [c.id for c in cases.list_cases(db)] == [there.id, here.id]
    assert [c.id for c in cases.list_cases(db, location_id=lab["room"])] == [here.id]
    assert cases.list_cases(db, since=there.opened_at, location_id=lab["room"]) == []
    assert cases.find_case(db, identifier="V0000002") == there


def test_the_pattern_is_a_managers_setting_and_an_invalid_one_is_refused(
    db: Database, lab: dict[str, int]
) -> None:
    assert cases.get_case_pattern(db) == DEFAULT_CASE_PATTERN
    for bad, said in (("[A-Z", "not a valid regular expression"), ("", "empty"), (".*", "empty")):
        with pytest.raises(ValidationError, match=said):
            cases.set_case_pattern(db, pattern=bad)
    assert cases.get_case_pattern(db) == DEFAULT_CASE_PATTERN
    assert cases.set_case_pattern(db, pattern=r" ACC\d{6} ") == r"ACC\d{6}"
    assert cases.get_case_pattern(db) == r"ACC\d{6}"
    with pytest.raises(UseRefused, match=r"ACC\\d\{6\}"):
        cases.open_case(db, identifier="V0012345", location_id=lab["room"])
    assert cases.open_case(db, identifier="ACC123456", location_id=lab["room"]).id
    assert cases.set_case_pattern(db, pattern=DEFAULT_CASE_PATTERN) == DEFAULT_CASE_PATTERN


def test_a_recalled_lot_or_serial_used_on_a_case_is_recorded_and_said_loudly(
    db: Database, lab: dict[str, int]
) -> None:
    add_recall(db, item_id=lab["contrast"], lot="BAD7", reason="particles")
    add_recalled_serial(db, item_code="STENT-3x18", serial="SN-R1")
    case = scan(db, lab, None, "V0012345")
    assert isinstance(case, CaseScan)
    used = scan(db, lab, case.case.id, gs1(CONTRAST_GTIN, lot="BAD7"))
    assert isinstance(used, CaseScan) and used.line is not None
    assert used.warning.startswith("RECALLED lot BAD7 (particles): CONTRAST-100 was used")
    assert "tell the manager" in used.message
    implant = scan(db, lab, case.case.id, stent("SN-R1"))
    assert isinstance(implant, CaseScan) and "RECALLED serial SN-R1" in implant.warning
    # Used is used: both lines are on the case (the charge and the trace to the patient).
    lines = cases.list_use_lines(db, case_id=case.case.id)
    assert [(line.lot, line.serial) for line in lines] == [("BAD7", None), (None, "SN-R1")]
    plain = scan(db, lab, case.case.id, gs1(CONTRAST_GTIN, lot="GOOD1"))
    assert isinstance(plain, CaseScan) and plain.warning == "" and line_count(db) == 3
