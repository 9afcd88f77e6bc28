"""The demo's month of cases: billable use, serial-tracked implants, and a gap left unbilled."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from parstudio.demo.cases import CASE_DAYS, IMPLANTS, UNBILLED_KEYS
from parstudio.domain.cases import DEFAULT_CASE_PATTERN, UseRefusal, UseRefused, is_case_label
from parstudio.domain.charges import DayRange
from parstudio.domain.reconciliation import GapStatus
from parstudio.models import Barcode, Item, Location, Receipt, UseLine
from parstudio.services import cases
from parstudio.services.billing.reconciliation import reconciliation
from parstudio.services.core.database import Database
from tests.support.demo import DEMO_DAY

TODAY = date(2026, 11, 25)


@pytest.fixture
def demo(demo_db: Database) -> Database:
    """The demo department of TODAY (built once a run, copied for each test)."""
    assert TODAY == DEMO_DAY
    return demo_db


def test_the_demo_has_a_month_of_cases_in_the_procedure_room(demo: Database) -> None:
    found = cases.list_cases(demo)
    assert 30 <= len(found) <= 60
    assert {case.location_code for case in found} == {"IR1"}
    first = datetime.combine(TODAY - timedelta(days=CASE_DAYS), datetime.min.time(), tzinfo=UTC)
    assert all(first <= case.opened_at < datetime.combine(TODAY, datetime.min.time(), UTC)
               for case in found)  # fmt: skip
    assert all(is_case_label(DEFAULT_CASE_PATTERN, case.identifier) for case in found)
    detailed = [case for case in found if case.procedure and case.physician]
    assert len(detailed) > len(found) * 0.7  # most, not all, carry procedure and physician
    assert any(case.procedure is None for case in found)
    assert sum(case.lines for case in found) > 60


def test_billable_items_have_codes_and_prices_and_their_use_is_on_cases(demo: Database) -> None:
    with demo.reading() as session:
        billable = session.execute(
            select(Item.code, Item.charge_code, Item.charge_price).where(Item.billable.is_(True))
        ).all()
        used = session.execute(
            select(Item.code, Item.billable, UseLine.unit_cost).join(
                Item, Item.id == UseLine.item_id
            )
        ).all()
    assert len(billable) >= 15
    assert all(price is not None and price > 0 for _code, _charge, price in billable)
    uncoded = [code for code, charge, _price in billable if charge is None]
    assert 0 < len(uncoded) <= 2  # one billable item still waits for its charge code
    assert all(is_billable and cost is not None for _code, is_billable, cost in used)
    assert len({code for code, _b, _c in used}) >= 8


def test_serial_tracked_implants_are_received_with_serials_and_used_once(demo: Database) -> None:
    with demo.reading() as session:
        implants = dict(
            session.execute(select(Item.id, Item.code).where(Item.serial_tracked.is_(True))).all()
        )
        received = session.execute(
            select(Receipt.item_id, Receipt.serial, Receipt.received_at).where(
                Receipt.item_id.in_(list(implants))
            )
        ).all()
        uses = session.execute(
            select(UseLine.item_id, UseLine.serial, UseLine.used_at, UseLine.quantity).where(
                UseLine.item_id.in_(list(implants))
            )
        ).all()
    assert set(implants.values()) == {implant.code for implant in IMPLANTS}
    assert all(serial for _item, serial, _at in received)
    arrived = {(item, serial): at for item, serial, at in received}
    assert len(arrived) == len(received)  # every serial once
    assert 5 <= len(uses) < len(received)  # most used, some still on the shelf
    for item, serial, used_at, quantity in uses:
        assert quantity == 1 and (item, serial) in arrived
        assert used_at > arrived[(item, serial)]
    assert len({(item, serial) for item, serial, _at, _q in uses}) == len(uses)


def test_a_used_serial_is_refused_on_another_case(demo: Database) -> None:
    with demo.reading() as session:
        item_id, serial, case_id = session.execute(
            select(UseLine.item_id, UseLine.serial, UseLine.case_id)
            .where(UseLine.serial.is_not(None))
            .limit(1)
        ).one()
        location_id = session.scalar(select(Location.id).where(Location.code == "IR1"))
        gtin = session.scalar(select(Barcode.code).where(Barcode.item_id == item_id))
    assert gtin is not None and location_id is not None
    other = cases.open_case(demo, identifier="V0000000001", location_id=location_id)
    with pytest.raises(UseRefused, match="already used on case V") as refused:
        cases.record_use(demo, case_id=other.id, text=f"01{gtin}21{serial}")
    assert refused.value.reason is UseRefusal.SERIAL_ELSEWHERE
    assert case_id != other.id and cases.list_use_lines(demo, case_id=other.id) == []


def test_the_reconciliation_of_the_month_shows_the_uses_left_off_the_cases(
    demo: Database,
) -> None:
    month = DayRange(TODAY - timedelta(days=CASE_DAYS - 1), TODAY)
    report = reconciliation(demo, period=month, location_codes=["IR1"])
    counted = [line for line in report.lines if line.status is not GapStatus.NOT_COUNTED]
    unbilled = [line for line in counted if line.status is GapStatus.UNBILLED]
    # The few left partly off the cases on purpose, and nothing else: the rest match exactly.
    assert len(unbilled) == UNBILLED_KEYS
    assert all(line.gap is not None and line.gap >= 2 for line in unbilled)
    assert all(line.gap == 0 for line in counted if line not in unbilled)
    assert len(counted) - len(unbilled) >= 3
    assert report.unbilled_value > 0 and report.lines[0] in unbilled
