"""Who may do what with cases, the audit of every change, and identifiers hidden from viewers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select

from parstudio.domain.cases import MASK, UseRefusal, UseRefused, masked
from parstudio.domain.errors import PermissionDenied
from parstudio.domain.roles import Role
from parstudio.models import PatientCase, UseLine
from parstudio.services import cases
from parstudio.services.admin import users
from parstudio.services.catalog import items, locations
from parstudio.services.core import audit
from parstudio.services.core.database import Database, open_database

PASSWORD = "correct horse"
SignIn = Callable[[str], Database]
IMPLANT = "00614141999996"


@pytest.fixture
def ward(db: Database) -> dict[str, int]:
    """A manager, a clerk and a viewer; a room; a serial-tracked implant."""
    users.create_user(db, login="anna", display_name="Anna", role=Role.MANAGER, password=PASSWORD)
    users.create_user(db, login="carl", display_name="Carl", role=Role.CLERK, password=PASSWORD)
    users.create_user(db, login="vera", display_name="Vera", role=Role.VIEWER, password=PASSWORD)
    room = locations.create_location(db, fields={"code": "OR3", "name": "Theatre 3"})
    implant = items.create_item(
        db,
        fields={
            "code": "HIP-STEM-12",
            "description": "Hip stem size 12",
            "barcodes": IMPLANT,
            "serial_tracked": True,
            "billable": True,
            "charge_code": "C1776",
        },
    )
    return {"room": room.id, "implant": implant.id}


@pytest.fixture
def as_user(db_url: str) -> Iterator[SignIn]:
    opened: list[Database] = []

    def sign_in(login: str) -> Database:
        other = open_database(db_url, authenticate=users.authenticate)
        opened.append(other)
        other.sign_in(login, PASSWORD)
        return other

    yield sign_in
    for other in opened:
        other.close()


def implant(serial: str) -> str:
    return f"01{IMPLANT}21{serial}"


def rows(db: Database) -> tuple[int, int]:
    with db.reading() as session:
        return (
            int(session.scalar(select(func.count(PatientCase.id))) or 0),
            int(session.scalar(select(func.count(UseLine.id))) or 0),
        )


def test_a_clerk_records_use_and_every_change_is_audited(
    ward: dict[str, int], as_user: SignIn
) -> None:
    carl = as_user("carl")
    opened = cases.scan_on_case(carl, location_id=ward["room"], case_id=None, text="MRN4455667")
    case_id = opened.case.id
    used = cases.scan_on_case(
        carl, location_id=ward["room"], case_id=case_id, text=implant("S-1"), client_id="x-1"
    )
    assert used.line is not None and used.line.used_by == "carl"
    cases.update_case(carl, case_id=case_id, changes={"procedure": "Total hip"})
    cases.void_use(carl, line_id=used.line.id)
    history = audit.record_history(carl, table="patient_case", record_id=case_id)
    assert [entry.action for entry in history] == ["update", "insert"]
    assert history[1].record_name == "MRN4455667"
    assert any(c.field == "identifier" and c.new == "MRN4455667" for c in history[1].changes)
    line_history = audit.record_history(carl, table="use_line", record_id=used.line.id)
    assert [entry.action for entry in line_history] == ["update", "insert"]
    assert line_history[0].record_name == "HIP-STEM-12 on case MRN4455667"
    assert {c.field for c in line_history[0].changes} >= {"voided", "voided_by"}
    with pytest.raises(PermissionDenied, match="Only a manager"):
        cases.set_case_pattern(carl, pattern=r"MRN\d+")
    anna = as_user("anna")
    assert cases.set_case_pattern(anna, pattern=r"MRN\d+") == r"MRN\d+"


def test_a_viewer_sees_no_identifier_anywhere_and_changes_nothing(
    ward: dict[str, int], as_user: SignIn
) -> None:
    carl = as_user("carl")
    first = cases.open_case(carl, identifier="MRN4455667", location_id=ward["room"])
    other = cases.open_case(carl, identifier="MRN7777777", location_id=ward["room"])
    used = cases.record_use(carl, case_id=first.id, text=implant("S-1"))
    assert used.line is not None
    vera = as_user("vera")
    shown = cases.list_cases(vera)
    assert [c.identifier for c in shown] == [masked(other.id), masked(first.id)]
    assert all(c.identifier_hidden and MASK in c.identifier for c in shown)
    assert cases.get_case(vera, case_id=first.id).identifier == masked(first.id)
    assert cases.find_case(vera, identifier="MRN4455667") is None
    assert cases.list_use_lines(vera, case_id=first.id)[0].serial == "S-1"

    log = audit.search_audit(vera, where=audit.AuditFilter(table="patient_case"))
    assert len(log) == 2
    for entry in log:
        assert entry.record_name is not None and "MRN" not in entry.record_name
        assert all("MRN" not in str(c.old) + str(c.new) for c in entry.changes)
        assert "MRN" not in entry.summary()
    line_log = audit.search_audit(vera, where=audit.AuditFilter(table="use_line"))
    assert line_log[0].record_name == f"HIP-STEM-12 on case {masked(first.id)}"
    # Searching the log for an identifier finds nothing for a viewer (it would tell it exists).
    assert audit.count_audit(vera, where=audit.AuditFilter(text="4455667")) == 0
    assert audit.count_audit(carl, where=audit.AuditFilter(text="4455667")) >= 2
    history = audit.record_history(vera, table="patient_case", record_id=first.id)
    assert history[0].record_name == masked(first.id)

    before = rows(carl)
    with pytest.raises(PermissionDenied, match="viewer"):
        cases.open_case(vera, identifier="MRN1231231", location_id=ward["room"])
    # Re-opening writes nothing, but would tell a viewer the identifier exists: refused too.
    for reopen in (
        lambda: cases.open_case(vera, identifier="MRN4455667", location_id=ward["room"]),
        lambda: cases.scan_on_case(vera, location_id=ward["room"], case_id=None, text="MRN4455667"),
    ):
        with pytest.raises(PermissionDenied, match="viewer"):
            reopen()
    with pytest.raises(PermissionDenied, match="viewer"):
        cases.record_use(vera, case_id=first.id, text=implant("S-2"))
    with pytest.raises(PermissionDenied, match="viewer"):
        cases.void_use(vera, line_id=used.line.id)
    assert rows(carl) == before


def test_the_serial_conflict_names_the_other_case_to_a_clerk_and_a_viewer_records_nothing(
    ward: dict[str, int], as_user: SignIn
) -> None:
    carl = as_user("carl")
    first = cases.open_case(carl, identifier="MRN4455667", location_id=ward["room"])
    second = cases.open_case(carl, identifier="MRN7777777", location_id=ward["room"])
    cases.record_use(carl, case_id=first.id, text=implant("S-9"))
    with pytest.raises(UseRefused, match="already used on case MRN4455667") as flagged:
        cases.record_use(carl, case_id=second.id, text=implant("S-9"))
    assert flagged.value.reason is UseRefusal.SERIAL_ELSEWHERE
    # A viewer never gets as far as the serial (which would name the other case): refused.
    vera = as_user("vera")
    with pytest.raises(PermissionDenied, match="viewer") as refused:
        cases.record_use(vera, case_id=second.id, text=implant("S-9"))
    assert "MRN" not in str(refused.value)
    assert rows(carl) == (2, 1)
