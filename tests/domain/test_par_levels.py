"""Tests for the PAR level suggestion formulas and usage from counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parstudio.domain.enums import CountType, Method
from parstudio.domain.par_levels import (
    SafetyDays,
    SafetyPercent,
    SafetyServiceLevel,
    par_from_coverage,
    par_from_deliveries,
    usage_between,
    z_for_service_level,
)
from parstudio.domain.replenishment import OrderInput, compute_order

D = Decimal

# --- deliveries-per-week formula ----------------------------------------------------------


def test_domain_example_20_bags_a_week() -> None:
    suggestion = par_from_deliveries(D(20), 1, D(20), unit="BG")

    assert suggestion.value == D(24)
    assert suggestion.working == (
        "Safety stock = 20 % × 20 BG a week = 4 BG",
        "PAR = (20 + 4) ÷ 1 delivery a week = 24 BG",
    )
    assert dict(suggestion.inputs) == {
        "weekly usage": D(20),
        "deliveries per week": D(1),
        "safety %": D(20),
    }
    assert suggestion.warnings == ()
    assert not suggestion.capped


def test_domain_example_then_orders_16_with_8_on_hand() -> None:
    level = par_from_deliveries(D(20), 1, D(20)).value
    line = OrderInput(
        method=Method.PAR,
        count_type=CountType.ON_HAND,
        counted=True,
        on_hand=D(8),
        par_level=level,
    )

    assert compute_order(line).packs == 16


def test_default_safety_is_25_percent() -> None:
    suggestion = par_from_deliveries(D(20), 1)

    assert suggestion.value == D(25)
    assert suggestion.working[0] == "Safety stock = 25 % × 20 EA a week = 5 EA"


def test_several_deliveries_round_up_to_whole_units() -> None:
    suggestion = par_from_deliveries(D(20), 2)

    assert suggestion.exact == D("12.5")
    assert suggestion.value == D(13)
    assert suggestion.working == (
        "Safety stock = 25 % × 20 EA a week = 5 EA",
        "PAR = (20 + 5) ÷ 2 deliveries a week = 12.5 EA",
        "Rounded up to whole units: 13 EA",
    )


def test_repeating_fraction_is_shown_approximately() -> None:
    suggestion = par_from_deliveries(D(10), 3, D(0))

    assert suggestion.value == D(4)
    assert suggestion.working[1] == "PAR = (10 + 0) ÷ 3 deliveries a week ≈ 3.33 EA"


def test_no_usage_suggests_zero() -> None:
    suggestion = par_from_deliveries(D(0), 5)

    assert suggestion.value == D(0)
    assert suggestion.working[-1] == "PAR = (0 + 0) ÷ 5 deliveries a week = 0 EA"


def test_storage_capacity_caps_the_suggestion_and_warns() -> None:
    suggestion = par_from_deliveries(D(20), 1, D(20), storage_capacity=D("20.5"))

    assert suggestion.value == D(20)
    assert suggestion.capped
    assert suggestion.warnings == ("Cut from 24 to 20 EA: only 20.5 EA fit at the location",)
    assert suggestion.working[-1] == "Storage capacity 20.5 EA: PAR cut to 20 EA"


def test_shelf_life_caps_the_suggestion_to_what_a_week_of_days_uses() -> None:
    suggestion = par_from_deliveries(D(70), 1, shelf_life_days=6)

    assert suggestion.value == D(60)
    assert suggestion.capped
    assert suggestion.working[-1] == (
        "Shelf life: 10 EA a day × 6 days = 60 EA used before expiry: PAR cut to 60 EA"
    )
    assert suggestion.warnings == (
        "Cut from 88 to 60 EA: no more than that is used within the 6-day shelf life",
    )


def test_caps_that_do_not_cut_are_silent() -> None:
    suggestion = par_from_deliveries(D(20), 1, D(20), storage_capacity=D(24), shelf_life_days=60)

    assert suggestion.value == D(24)
    assert not suggestion.capped
    assert suggestion.warnings == ()
    assert len(suggestion.working) == 2


@pytest.mark.parametrize(
    ("weekly", "deliveries", "safety", "message"),
    [
        (D(20), 0, D(25), "Deliveries per week must be more than 0"),
        (D(20), -1, D(25), "Deliveries per week must be more than 0"),
        (D(-1), 1, D(25), "Weekly usage must not be negative"),
        (D(20), 1, D(-5), "Safety stock percent must not be negative"),
        (D("NaN"), 1, D(25), "Weekly usage must be a number"),
    ],
)
def test_deliveries_formula_rejects_impossible_inputs(
    weekly: Decimal, deliveries: int, safety: Decimal, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        par_from_deliveries(weekly, deliveries, safety)
    assert str(raised.value) == message


def test_inputs_cannot_be_changed_afterwards() -> None:
    suggestion = par_from_deliveries(D(20), 1)

    with pytest.raises(TypeError):
        suggestion.inputs["weekly usage"] = D(0)  # type: ignore[index]


# --- coverage formula ---------------------------------------------------------------------


def test_coverage_with_percent_safety() -> None:
    suggestion = par_from_coverage(D(3), 7, 2, SafetyPercent(D(20)))

    assert suggestion.value == D(33)
    assert suggestion.working == (
        "Cover = 3 EA a day × (7 days between deliveries + 2 days lead time) = 27 EA",
        "Safety stock = 20 % × 27 EA = 5.4 EA",
        "PAR = 27 + 5.4 = 32.4 EA",
        "Rounded up to whole units: 33 EA",
    )
    assert suggestion.inputs["safety %"] == D(20)


def test_coverage_with_days_of_safety() -> None:
    suggestion = par_from_coverage(D(3), 7, 2, SafetyDays(D(2)))

    assert suggestion.value == D(33)
    assert suggestion.working == (
        "Cover = 3 EA a day × (7 days between deliveries + 2 days lead time) = 27 EA",
        "Safety stock = 2 days × 3 EA a day = 6 EA",
        "PAR = 27 + 6 = 33 EA",
    )


def test_coverage_with_statistical_safety() -> None:
    suggestion = par_from_coverage(D(3), 7, 2, SafetyServiceLevel(D(95), D(2)))

    # z(95 %) = 1.645; 1.645 × 2 × √9 = 9.87; 27 + 9.87 = 36.87, rounded up to 37.
    assert suggestion.value == D(37)
    assert suggestion.exact == D("36.87")
    assert suggestion.working == (
        "Cover = 3 EA a day × (7 days between deliveries + 2 days lead time) = 27 EA",
        "√(2 + 7 days) = 3",
        "Safety stock = z 1.645 (for 95 % service level) × σ 2 EA a day × 3 = 9.87 EA",
        "PAR = 27 + 9.87 = 36.87 EA",
        "Rounded up to whole units: 37 EA",
    )
    assert suggestion.inputs["service level %"] == D(95)
    assert suggestion.inputs["daily usage deviation"] == D(2)


def test_statistical_safety_shows_an_inexact_root_approximately() -> None:
    suggestion = par_from_coverage(D(3), 7, 3, SafetyServiceLevel(D(95), D(2)))

    assert suggestion.value == D(41)
    assert suggestion.working[1] == "√(3 + 7 days) ≈ 3.16"
    assert suggestion.working[2].endswith("× 3.16 ≈ 10.4 EA")


def test_coverage_without_lead_time_or_safety() -> None:
    suggestion = par_from_coverage(D("1.5"), 5, 0, SafetyPercent(D(0)))

    assert suggestion.value == D(8)
    assert suggestion.exact == D("7.5")


def test_coverage_shelf_life_cap_uses_daily_usage() -> None:
    suggestion = par_from_coverage(D(3), 7, 3, SafetyDays(D(5)), shelf_life_days=10)

    assert suggestion.exact == D(45)
    assert suggestion.value == D(30)
    assert suggestion.warnings == (
        "Cut from 45 to 30 EA: no more than that is used within the 10-day shelf life",
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days_between_deliveries": 0}, "Days between deliveries must be more than 0"),
        ({"lead_time_days": -1}, "Lead time must not be negative"),
        ({"daily_usage": D(-3)}, "Daily usage must not be negative"),
        ({"safety": SafetyDays(D(-1))}, "Safety stock days must not be negative"),
        ({"safety": SafetyPercent(D(-1))}, "Safety stock percent must not be negative"),
        (
            {"safety": SafetyServiceLevel(D(95), D(-1))},
            "Daily usage deviation must not be negative",
        ),
        (
            {"safety": SafetyServiceLevel(D(100), D(1))},
            "Service level must be at least 50 % and less than 100 %",
        ),
        ({"storage_capacity": D(0)}, "Storage capacity must be more than 0"),
        ({"shelf_life_days": 0}, "Shelf life must be at least 1 day"),
    ],
)
def test_coverage_formula_rejects_impossible_inputs(
    kwargs: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {
        "daily_usage": D(3),
        "days_between_deliveries": 7,
        "lead_time_days": 2,
        "safety": SafetyPercent(D(20)),
    } | kwargs
    with pytest.raises(ValueError) as raised:
        par_from_coverage(**arguments)  # type: ignore[arg-type]
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("level", "z"),
    [
        (D(50), D("0.000")),
        (D(90), D("1.282")),
        (D(95), D("1.645")),
        (D("97.5"), D("1.960")),
        (D(99), D("2.326")),
        (D("99.9"), D("3.090")),
    ],
)
def test_z_for_service_level_matches_the_printed_table(level: Decimal, z: Decimal) -> None:
    assert z_for_service_level(level) == z


@pytest.mark.parametrize("level", [D(49), D(100), D(120), D("NaN")])
def test_z_for_service_level_rejects_levels_outside_50_to_100(level: Decimal) -> None:
    with pytest.raises(ValueError, match="at least 50 % and less than 100 %"):
        z_for_service_level(level)


# --- usage from counts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "received", "this", "usage"),
    [
        pytest.param(D(30), D(20), D(25), D(25), id="normal"),
        pytest.param(D(30), D(0), D(30), D(0), id="nothing-used"),
        pytest.param(D("10.5"), D(2), D("0.5"), D(12), id="decimals"),
        pytest.param(D(10), D(0), D(14), D(0), id="unrecorded-receipt-gives-zero"),
    ],
)
def test_usage_between(previous: Decimal, received: Decimal, this: Decimal, usage: Decimal) -> None:
    assert usage_between(previous, received, this) == usage


def test_usage_between_rejects_negative_counts() -> None:
    with pytest.raises(ValueError, match="This count must not be negative"):
        usage_between(D(10), D(0), D(-1))


# --- properties ---------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10_000, places=2)


@given(amounts, st.integers(min_value=1, max_value=7), st.decimals(0, 200, places=1))
def test_deliveries_suggestion_is_the_exact_level_rounded_up(
    weekly: Decimal, deliveries: int, safety: Decimal
) -> None:
    suggestion = par_from_deliveries(weekly, deliveries, safety)

    assert suggestion.value == suggestion.value.to_integral_value()
    assert suggestion.exact <= suggestion.value < suggestion.exact + 1


@given(amounts, st.integers(min_value=1, max_value=7), st.decimals(0, 100, places=1))
def test_more_safety_never_lowers_the_suggestion(
    weekly: Decimal, deliveries: int, safety: Decimal
) -> None:
    lower = par_from_deliveries(weekly, deliveries, safety)
    higher = par_from_deliveries(weekly, deliveries, safety + 10)

    assert higher.value >= lower.value


@given(amounts, amounts, amounts)
def test_usage_is_never_negative(previous: Decimal, received: Decimal, this: Decimal) -> None:
    usage = usage_between(previous, received, this)

    assert usage >= 0
    assert usage == max(previous + received - this, D(0))
