"""Case labels: the pattern, what matches it, the mask viewers see, the unit cost of the day."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parstudio.domain.cases import (
    DEFAULT_CASE_PATTERN,
    MASK,
    check_case_pattern,
    is_case_label,
    masked,
    sees_identifiers,
    unit_cost,
)
from parstudio.domain.errors import ValidationError
from parstudio.domain.roles import Role


@pytest.mark.parametrize(
    ("label", "is_label"),
    [
        ("V0012345", True),
        ("ENC-2026001234", True),
        ("88001234", True),
        ("enc2026001", True),
        (" V0012345\r\n", True),  # as a scanner ends it
        ("1234", False),  # too short to be a visit number
        ("ABCDE12345", False),  # five letters
        ("V 0012345", False),
        ("V0012345X", False),  # the whole label must match
        ("", False),
        ("1" * 61, False),  # longer than the database keeps
    ],
)
def test_the_default_pattern_takes_visit_and_encounter_numbers(label: str, is_label: bool) -> None:
    assert is_case_label(DEFAULT_CASE_PATTERN, label) is is_label


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ACC(\\d{6}", "not a valid regular expression"),
        ("[", "not a valid regular expression"),
        ("\\d*", "matches an empty scan"),
    ],
)
def test_a_pattern_that_cannot_be_used_is_refused_with_why(pattern: str, said: str) -> None:
    with pytest.raises(ValidationError, match=said) as refused:
        check_case_pattern(pattern)
    assert refused.value.field == "pattern"


def test_a_broken_pattern_matches_nothing_rather_than_failing() -> None:
    assert is_case_label("[", "V0012345") is False
    assert check_case_pattern(" ACC\\d{6} ").pattern == "ACC\\d{6}"


def test_viewers_see_a_mask_that_says_nothing_of_the_label() -> None:
    assert masked(17) == f"{MASK} #17"
    assert sees_identifiers(Role.MANAGER) and sees_identifiers(Role.CLERK)
    assert not sees_identifiers(Role.VIEWER) and not sees_identifiers(None)


@pytest.mark.parametrize(
    ("pack_price", "pack_size", "cost"),
    [
        (Decimal("125.50"), Decimal(10), Decimal("12.55")),
        (Decimal(100), Decimal(3), Decimal("33.3333")),
        (None, Decimal(10), None),
        (Decimal(5), Decimal(0), None),
    ],
)
def test_the_unit_cost_of_the_day(
    pack_price: Decimal | None, pack_size: Decimal, cost: Decimal | None
) -> None:
    assert unit_cost(pack_price, pack_size) == cost
