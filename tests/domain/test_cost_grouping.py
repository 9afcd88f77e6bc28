"""Cost allocation on constructed usage: grouping, totals, items without a price, consignment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parstudio.domain.consignment import consignment_usage
from parstudio.domain.cost_allocation import NO_COST_CENTRE, NO_DEPARTMENT, allocate
from parstudio.domain.errors import ValidationError
from parstudio.domain.period_usage import MonthlyUsage, SettingFacts
from parstudio.domain.report_period import (
    ReportPeriod,
    last_complete_month,
    last_complete_quarter,
    parse_month,
    period_between,
)

MONTHS = (date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1))
QUARTER = ReportPeriod(date(2026, 7, 1), date(2026, 9, 1))
_ids = iter(range(1, 1000))
_known: dict[str, int] = {}


def known_id(name: str) -> int:
    """The same small id for the same name, different ones for different names."""
    return _known.setdefault(name, len(_known) + 100)


def usage(
    location: str,
    item: str,
    *,
    used: tuple[int, ...],
    received: tuple[int, ...],
    unit_cost: str | None = "2.00",
    department: str | None = "Imaging",
    cost_centre: str | None = "4100",
    consignment: bool = False,
    supplier: str | None = "Medline",
    complete: bool = True,
    item_id: int | None = None,
) -> MonthlyUsage:
    """A setting's four months (June–September)."""
    facts = SettingFacts(
        setting_id=next(_ids),
        location_id=known_id(location),
        location_code=location,
        location_name=f"Room {location}",
        department=department,
        cost_centre=cost_centre,
        item_id=item_id if item_id is not None else known_id(item),
        item_code=item,
        description=f"Item {item}",
        unit="EA",
        category=None,
        supplier_id=None if supplier is None else known_id(supplier),
        supplier_name=supplier,
        consignment=consignment,
        unit_cost=None if unit_cost is None else Decimal(unit_cost),
    )
    return MonthlyUsage(
        facts=facts,
        months=MONTHS,
        used=tuple(Decimal(u) for u in used),
        complete=(True, True, True, complete),
        received=tuple(Decimal(r) for r in received),
    )


def test_usage_value_and_spend_add_up_by_location_cost_centre_and_department() -> None:
    report = allocate(
        [
            # June is outside the quarter: 100 used and received there count for nothing.
            usage("CT1", "GLV", used=(100, 10, 20, 30), received=(100, 0, 50, 0)),
            usage("CT1", "SYR", used=(0, 5, 5, 5), received=(0, 20, 0, 0), unit_cost="0.25"),
            usage("CT2", "GLV", used=(0, 1, 1, 1), received=(0, 3, 0, 0)),
            usage("MRI1", "GLV", used=(0, 4, 4, 4), received=(0, 0, 0, 12), cost_centre="4200"),
            usage("W3", "GLV", used=(0, 7, 0, 0), received=(0, 7, 0, 0), department="Medicine"),
        ],
        QUARTER,
    )
    assert [d.name for d in report.departments] == ["Imaging", "Medicine"]
    imaging = report.departments[0]
    assert [c.name for c in imaging.cost_centres] == ["4100", "4200"]
    ct = imaging.cost_centres[0].locations[0]
    assert (ct.code, [line.facts.item_code for line in ct.lines]) == ("CT1", ["GLV", "SYR"])
    # Gloves 60 used × 2.00 = 120.00, syringes 15 × 0.25 = 3.75.
    assert ct.totals.usage_value == Decimal("123.75")
    # Gloves 50 received × 2.00 = 100.00, syringes 20 × 0.25 = 5.00.
    assert ct.totals.spend == Decimal("105.00")
    centre = imaging.cost_centres[0]
    assert centre.totals.usage_value == Decimal("129.75")  # + CT2 3 × 2.00
    assert centre.totals.spend == Decimal("111.00")
    assert imaging.totals.usage_value == Decimal("153.75")  # + MRI1 12 × 2.00
    assert imaging.totals.spend == Decimal("135.00")
    assert report.totals.usage_value == Decimal("167.75")  # + W3 7 × 2.00
    assert report.totals.spend == Decimal("149.00")
    assert report.totals.settings == 5
    assert report.totals.consignment == 0
    assert report.note == ""
    assert len(report.lines) == 5


def test_consignment_is_billed_on_use_and_shown_on_its_own() -> None:
    report = allocate(
        [
            usage("IR1", "GLV", used=(0, 10, 0, 0), received=(0, 10, 0, 0)),
            # The vendor's stock: 40 received this quarter, 6 used at 50.00 each.
            usage(
                "IR1",
                "COIL",
                used=(0, 2, 2, 2),
                received=(0, 40, 0, 0),
                unit_cost="50.00",
                consignment=True,
            ),
        ],
        QUARTER,
    )
    coil = next(line for line in report.lines if line.facts.item_code == "COIL")
    assert coil.usage_value == Decimal("300.00")
    assert coil.spend == Decimal("300.00")  # what was used, not the 2,000.00 received
    assert coil.consignment_value == Decimal("300.00")
    assert report.totals.usage_value == Decimal("320.00")
    assert report.totals.spend == Decimal("320.00")
    assert report.totals.consignment == Decimal("300.00")


def test_items_without_a_price_are_left_out_and_counted_once() -> None:
    report = allocate(
        [
            usage("CT1", "GLV", used=(0, 1, 1, 1), received=(0, 3, 0, 0)),
            usage(
                "CT1", "GAUZE", used=(0, 9, 9, 9), received=(0, 9, 9, 9), unit_cost=None, item_id=7
            ),
            usage(
                "CT2", "GAUZE", used=(0, 9, 9, 9), received=(0, 9, 9, 9), unit_cost=None, item_id=7
            ),
            usage("CT2", "GLV", used=(0, 1, 0, 0), received=(0, 0, 0, 0), complete=False),
        ],
        QUARTER,
    )
    gauze = [line for line in report.lines if line.facts.item_code == "GAUZE"]
    assert all(line.usage_value is None and line.spend is None for line in gauze)
    assert gauze[0].used == Decimal(27)
    assert report.totals.usage_value == Decimal("8.00")
    assert report.totals.spend == Decimal("6.00")
    assert report.totals.unpriced_items == 1  # one item, at two locations
    assert report.departments[0].cost_centres[0].locations[1].totals.unpriced_items == 1
    assert report.totals.incomplete == 1
    assert report.note == (
        "1 item without a price is left out of the values; 1 setting not counted across the "
        "whole period (usage covers only the counted days)."
    )


def test_settings_without_department_or_cost_centre_come_last_under_their_own_heading() -> None:
    report = allocate(
        [
            usage(
                "X1",
                "GLV",
                used=(0, 1, 1, 1),
                received=(0, 0, 0, 0),
                department=None,
                cost_centre=None,
            ),
            usage("A1", "GLV", used=(0, 1, 1, 1), received=(0, 0, 0, 0), cost_centre=None),
            usage("B1", "GLV", used=(0, 1, 1, 1), received=(0, 0, 0, 0), cost_centre="1000"),
        ],
        QUARTER,
    )
    assert [d.name for d in report.departments] == ["Imaging", NO_DEPARTMENT]
    assert [c.name for c in report.departments[0].cost_centres] == ["1000", NO_COST_CENTRE]
    assert report.departments[1].cost_centres[0].name == NO_COST_CENTRE


def test_an_empty_report_has_zero_totals() -> None:
    report = allocate([], QUARTER)
    assert report.departments == ()
    assert report.totals.usage_value == 0 and report.totals.settings == 0


def test_consignment_usage_groups_used_items_by_vendor_in_whole_units() -> None:
    usages = [
        usage(
            "IR1",
            "COIL",
            used=(5, 2, 1, Decimal("0.4")),
            received=(0, 0, 0, 0),
            unit_cost="50.00",
            consignment=True,
            supplier="Owens",
            item_id=1,
        ),
        usage(
            "CT1",
            "COIL",
            used=(0, Decimal("1.5"), 0, 0),
            received=(0, 0, 0, 0),
            unit_cost="50.00",
            consignment=True,
            supplier="Owens",
            item_id=1,
        ),
        usage(
            "CT1",
            "STENT",
            used=(0, 1, 0, 0),
            received=(0, 0, 0, 0),
            unit_cost=None,
            consignment=True,
            supplier="Bracco",
            item_id=2,
        ),
        usage(
            "CT1",
            "UNUSED",
            used=(0, 0, 0, Decimal("0.3")),
            received=(0, 0, 0, 0),
            consignment=True,
            supplier="Bracco",
            item_id=3,
        ),
        usage("CT1", "GLV", used=(0, 9, 9, 9), received=(0, 0, 0, 0)),  # not consignment
    ]
    owens_id = known_id("Owens")
    report = consignment_usage(
        usages,
        QUARTER,
        made_on=date(2026, 10, 2),
        vendor_item_numbers={1: "OM-77", 2: None},
        vendor_codes={owens_id: "OWENS"},
    )
    assert [v.vendor for v in report.vendors] == ["Bracco", "Owens"]
    bracco, owens = report.vendors
    assert [line.item_code for line in bracco.lines] == ["STENT"]  # 0.3 used rounds to nothing
    assert bracco.total == 0 and bracco.unpriced == 1
    assert owens.vendor_code == "OWENS"
    assert [(line.location_code, line.used, line.value) for line in owens.lines] == [
        ("CT1", Decimal(2), Decimal("100.00")),  # 1.5 rounds half up
        ("IR1", Decimal(3), Decimal("150.00")),  # 2 + 1 + 0.4; June is outside the quarter
    ]
    assert owens.lines[0].vendor_item_no == "OM-77"
    assert owens.locations == 2
    assert report.total == Decimal("250.00")
    assert [v.vendor for v in report.of_vendor("Owens").vendors] == ["Owens"]


@pytest.mark.parametrize(
    ("today", "quarter", "month"),
    [
        (date(2026, 11, 25), ("2026-07", "2026-09"), "2026-10"),
        (date(2026, 1, 1), ("2025-10", "2025-12"), "2025-12"),
        (date(2026, 4, 1), ("2026-01", "2026-03"), "2026-03"),
        (date(2026, 3, 31), ("2025-10", "2025-12"), "2026-02"),
    ],
)
def test_default_periods(today: date, quarter: tuple[str, str], month: str) -> None:
    found = last_complete_quarter(today)
    assert (f"{found.first:%Y-%m}", f"{found.last:%Y-%m}") == quarter
    assert found.months == 3
    assert f"{last_complete_month(today).first:%Y-%m}" == month


def test_periods_from_months_and_their_words() -> None:
    today = date(2026, 11, 25)
    quarter = last_complete_quarter(today)
    assert parse_month("2026-07") == date(2026, 7, 1)
    with pytest.raises(ValidationError, match="YYYY-MM"):
        parse_month("July")
    with pytest.raises(ValidationError, match="YYYY-MM"):
        parse_month("2026-13")
    assert period_between(None, None, today=today, default=quarter) == quarter
    only_from = period_between(date(2026, 5, 1), None, today=today, default=quarter)
    assert (only_from.first, only_from.last) == (date(2026, 5, 1), date(2026, 10, 1))
    only_to = period_between(None, date(2026, 2, 1), today=today, default=quarter)
    assert (only_to.first, only_to.last) == (date(2025, 12, 1), date(2026, 2, 1))
    with pytest.raises(ValidationError, match="after its first"):
        period_between(date(2026, 5, 1), date(2026, 4, 1), today=today, default=quarter)
    assert quarter.label == "Jul–Sep 2026"
    assert ReportPeriod(date(2025, 11, 1), date(2026, 1, 1)).label == "Nov 2025–Jan 2026"
    assert ReportPeriod(date(2026, 11, 1), date(2026, 11, 1)).label == "Nov 2026"
    assert quarter.key == "2026-07_2026-09"
    assert quarter.end == date(2026, 9, 30)
