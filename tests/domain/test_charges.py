"""The charge file's rules: what keeps a line from billing, masking, periods, serial checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parstudio.domain.case_costs import CaseUse, allocate_to_cases
from parstudio.domain.charges import DayRange, charge_problem, parse_day
from parstudio.domain.errors import ValidationError
from parstudio.domain.serials import check_serials


@pytest.mark.parametrize(
    ("code", "price", "problem"),
    [
        ("C-1", Decimal("2.50"), ""),
        (None, Decimal("2.50"), "No charge code"),
        ("  ", Decimal("2.50"), "No charge code"),
        ("C-1", None, "No charge price"),
        (None, None, "No charge code and no charge price"),
        ("C-1", Decimal(0), ""),
    ],
)
def test_charge_problem(code: str | None, price: Decimal | None, problem: str) -> None:
    assert charge_problem(code, price) == problem


def test_periods_are_whole_local_days() -> None:
    period = DayRange(date(2026, 11, 1), date(2026, 11, 30))
    start, end = period.bounds()
    assert (end - start).days in (29, 30) and period.days == 30
    assert period.key == "2026-11-01_2026-11-30"
    with pytest.raises(ValidationError, match="at most 366 days"):
        DayRange(date(2025, 1, 1), date(2026, 6, 1))
    assert parse_day(" 2026-11-30 ") == date(2026, 11, 30)
    with pytest.raises(ValidationError, match="“30/11/2026” is not a date"):
        parse_day("30/11/2026", what="date")


def test_serials_of_a_receipt() -> None:
    def check(units: str, given: list[str], already: tuple[str, ...] = ()) -> list[str]:
        return check_serials(item_code="STEM", units=Decimal(units), serials=given, already=already)

    assert check("2", [" A1", "A2 "]) == ["A1", "A2"]
    # A scanned GS1 label gives its serial (AI 21).
    assert check("1", ["]d20109501101530003172912311012\x1d21SN77"]) == ["SN77"]
    for units, given, already, message in (
        ("2", ["A1"], (), "one serial per unit"),
        ("1.5", ["A1"], (), "one serial per unit"),
        ("2", ["A1", "A1"], (), "A1 is given twice"),
        ("2", ["A1", ""], (), "blank"),
        ("2", ["A1", "A2"], ("A2", "A1"), "serials A1, A2 were already received"),
    ):
        with pytest.raises(ValidationError, match=message):
            check(units, given, already)


def test_case_costs_put_missing_names_under_none_last() -> None:
    found = allocate_to_cases(
        [
            CaseUse(1, "Hip", "Dr Lee", Decimal(2), Decimal("10.005")),
            CaseUse(2, None, " ", Decimal(1), Decimal(500)),
            CaseUse(3, "Knee", "Dr Lee", Decimal(1), None),
        ]
    )
    assert [(r.name, r.cost) for r in found.by_procedure] == [
        ("Hip", Decimal("20.01")),
        ("Knee", Decimal("0.00")),
        ("(none)", Decimal("500.00")),
    ]
    assert [(r.name, r.cases, r.unpriced_lines) for r in found.by_physician] == [
        ("Dr Lee", 2, 1),
        ("(none)", 1, 0),
    ]
    assert allocate_to_cases([]).note == ""
