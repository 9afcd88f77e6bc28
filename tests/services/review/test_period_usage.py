"""Monthly usage with each setting's department, cost centre and price, for reports."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database
from parstudio.services.review.period_usage import SettingFilter, monthly_usage, report_scopes
from tests.services.review.test_usage_history import record

FIRST = date(2026, 1, 1)


@pytest.fixture
def department(db: Database) -> dict[str, int]:
    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline"})
    ct = locations.create_location(
        db,
        fields={"code": "CT1", "name": "CT 1", "department": "Imaging", "cost_centre": "4100"},
    )
    ward = locations.create_location(
        db, fields={"code": "W3", "name": "Ward 3", "department": "Medicine"}
    )
    gloves = items.create_item(
        db,
        fields={
            "code": "GLV",
            "description": "Gloves",
            "pack_size": "10",
            "pack_price": "5.00",
            "supplier_code": "MED",
        },
    )
    stent = items.create_item(
        db, fields={"code": "STENT", "description": "Stent", "consignment": True}
    )
    a = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=gloves.id, fields={"par_level": "100"}
    )
    b = par_settings.create_par_setting(
        db, location_id=ward.id, item_id=stent.id, fields={"par_level": "4"}
    )
    # Gloves at CT: 100 on 1 January, then 10 a day used and 100 put back each 10 days.
    days = [FIRST + timedelta(days=10 * k) for k in range(10)]
    record(db, ct.id, gloves.id, [(d, 100) for d in days], [(d, 100) for d in days[1:]])
    return {"gloves": a.id, "stent": b.id, "ct": ct.id, "ward": ward.id}


def test_monthly_usage_spreads_counts_over_months_and_prices_them(
    db: Database, department: dict[str, int]
) -> None:
    found = monthly_usage(
        db, first_month=date(2026, 1, 1), last_month=date(2026, 3, 1), today=date(2026, 6, 1)
    )
    by_setting = {u.facts.setting_id: u for u in found}
    gloves = by_setting[department["gloves"]]
    assert gloves.months == (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))
    # 10 a day from 2 January (the day after the first count). The count of 1 April, in the
    # month after those asked for, is read too, so March is known to its last day.
    assert gloves.used[0] == Decimal(300)
    assert gloves.used[1] == Decimal(280)
    assert gloves.used[2] == Decimal(310)
    assert gloves.complete == (False, True, True)
    assert (
        gloves.used_between(date(2026, 2, 1), date(2026, 3, 31)) == gloves.used[1] + gloves.used[2]
    )
    assert gloves.received_between(date(2026, 1, 1), date(2026, 1, 31)) == Decimal(300)
    assert gloves.facts.unit_cost == Decimal("0.5")
    assert gloves.facts.department == "Imaging"
    assert gloves.facts.cost_centre == "4100"
    assert gloves.facts.supplier_name == "Medline"
    assert not gloves.facts.consignment
    stent = by_setting[department["stent"]]
    assert stent.facts.consignment
    assert stent.facts.unit_cost is None
    assert stent.used == (Decimal(0),) * 3
    assert not stent.known_between(date(2026, 1, 1), date(2026, 3, 1))


def test_filters_pick_department_cost_centre_and_locations(
    db: Database, department: dict[str, int]
) -> None:
    def settings(wanted: SettingFilter) -> set[int]:
        found = monthly_usage(
            db, first_month=FIRST, last_month=FIRST, wanted=wanted, today=date(2026, 6, 1)
        )
        return {u.facts.setting_id for u in found}

    assert settings(SettingFilter(department="Medicine")) == {department["stent"]}
    assert settings(SettingFilter(cost_centre="4100")) == {department["gloves"]}
    assert settings(SettingFilter(location_codes=("W3",))) == {department["stent"]}
    with pytest.raises(NotFoundError, match="department “Pharmacy”"):
        settings(SettingFilter(department="Pharmacy"))
    with pytest.raises(NotFoundError, match="cost centre “9999”"):
        settings(SettingFilter(cost_centre="9999"))
    with pytest.raises(NotFoundError, match="no location NOPE"):
        settings(SettingFilter(location_codes=("NOPE",)))


def test_a_month_still_going_is_not_complete_and_bad_ranges_are_refused(
    db: Database, department: dict[str, int]
) -> None:
    found = monthly_usage(
        db, first_month=FIRST, last_month=date(2026, 3, 1), today=date(2026, 3, 15)
    )
    gloves = next(u for u in found if u.facts.setting_id == department["gloves"])
    assert gloves.complete[-1] is False
    with pytest.raises(ValidationError, match="after its first"):
        monthly_usage(db, first_month=date(2026, 3, 1), last_month=FIRST)
    with pytest.raises(ValidationError, match="at most 24 months"):
        monthly_usage(db, first_month=date(2023, 1, 1), last_month=FIRST, today=date(2026, 6, 1))


def test_report_scopes_list_departments_cost_centres_and_locations(
    db: Database, department: dict[str, int]
) -> None:
    departments, centres, places = report_scopes(db)
    assert departments == ["Imaging", "Medicine"]
    assert centres == ["4100"]
    assert places == [("CT1", "CT 1"), ("W3", "Ward 3")]
