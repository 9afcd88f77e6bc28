"""Tests for the shared enumerations and their forgiving parsing."""

from enum import StrEnum

import pytest

from parstudio.domain.enums import CountType, LocationKind, Method, Rounding


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        pytest.param(
            CountType,
            {
                "ON_HAND": "ON HAND",
                "ORDER_PAR": "ORDER PAR",
                "ORDER_QTY": "ORDER QTY",
                "NOT_COUNTED": "NOT COUNTED",
            },
            id="count-type",
        ),
        pytest.param(Method, {"PAR": "PAR", "MIN_MAX": "MIN/MAX"}, id="method"),
        pytest.param(Rounding, {"UP": "UP", "DOWN": "DOWN"}, id="rounding"),
        pytest.param(
            LocationKind, {"STOREROOM": "STOREROOM", "PAR": "PAR LOCATION"}, id="location-kind"
        ),
    ],
)
def test_members_have_the_agreed_names_and_values(
    enum: type[StrEnum], values: dict[str, str]
) -> None:
    assert {member.name: member.value for member in enum} == values
    assert all(member == value for member, value in zip(enum, values.values(), strict=True))


@pytest.mark.parametrize(
    ("enum", "text", "expected"),
    [
        (CountType, "ON HAND", CountType.ON_HAND),
        (CountType, "on hand", CountType.ON_HAND),
        (CountType, "  OnHand ", CountType.ON_HAND),
        (CountType, "on-hand", CountType.ON_HAND),
        (CountType, "ON_HAND", CountType.ON_HAND),
        (CountType, "QOH", CountType.ON_HAND),
        (CountType, "Order PAR", CountType.ORDER_PAR),
        (CountType, "two-bin", CountType.ORDER_PAR),
        (CountType, "2 bin", CountType.ORDER_PAR),
        (CountType, "Kanban", CountType.ORDER_PAR),
        (CountType, "order qty", CountType.ORDER_QTY),
        (CountType, "Order Quantity", CountType.ORDER_QTY),
        (CountType, "requisition", CountType.ORDER_QTY),
        (CountType, "not counted", CountType.NOT_COUNTED),
        (CountType, "Uncounted", CountType.NOT_COUNTED),
        (Method, "par", Method.PAR),
        (Method, "PAR level", Method.PAR),
        (Method, "MIN/MAX", Method.MIN_MAX),
        (Method, "minmax", Method.MIN_MAX),
        (Method, "min-max", Method.MIN_MAX),
        (Method, "Min / Max", Method.MIN_MAX),
        (Method, "min_max", Method.MIN_MAX),
        (Rounding, "up", Rounding.UP),
        (Rounding, "Round Up", Rounding.UP),
        (Rounding, "ceiling", Rounding.UP),
        (Rounding, " Down ", Rounding.DOWN),
        (Rounding, "floor", Rounding.DOWN),
        (LocationKind, "storeroom", LocationKind.STOREROOM),
        (LocationKind, "Store Room", LocationKind.STOREROOM),
        (LocationKind, "stockroom", LocationKind.STOREROOM),
        (LocationKind, "par location", LocationKind.PAR),
        (LocationKind, "PAR", LocationKind.PAR),
        (LocationKind, "par-location", LocationKind.PAR),
        (LocationKind, "supply closet", LocationKind.PAR),
    ],
    ids=lambda value: str(value).strip() if isinstance(value, str) else None,
)
def test_parse_accepts_case_spacing_and_synonyms(
    enum: type[CountType | Method | Rounding | LocationKind], text: str, expected: StrEnum
) -> None:
    assert enum.parse(text) is expected


@pytest.mark.parametrize("member", [*CountType, *Method, *Rounding, *LocationKind], ids=str)
def test_parse_round_trips_every_value(
    member: CountType | Method | Rounding | LocationKind,
) -> None:
    assert type(member).parse(member.value) is member
    assert type(member).parse(member.value.lower()) is member


@pytest.mark.parametrize(
    ("enum", "text", "message"),
    [
        (
            CountType,
            "sometimes",
            "“sometimes” is not a count type PAR Studio knows; "
            "use one of: ON HAND, ORDER PAR, ORDER QTY, NOT COUNTED.",
        ),
        (
            Method,
            "average",
            "“average” is not a method PAR Studio knows; use one of: PAR, MIN/MAX.",
        ),
        (
            Rounding,
            "sideways",
            "“sideways” is not a rounding PAR Studio knows; use one of: UP, DOWN.",
        ),
        (
            LocationKind,
            "office",
            "“office” is not a location kind PAR Studio knows; "
            "use one of: STOREROOM, PAR LOCATION.",
        ),
        (Method, "   ", "The method is blank; use one of: PAR, MIN/MAX."),
        (Method, "/", "The method is blank; use one of: PAR, MIN/MAX."),
    ],
)
def test_parse_rejects_unknown_text_listing_the_allowed_values(
    enum: type[CountType | Method | Rounding | LocationKind], text: str, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        enum.parse(text)
    assert str(raised.value) == message


def test_synonyms_do_not_leak_across_enums() -> None:
    with pytest.raises(ValueError, match="not a method"):
        Method.parse("two-bin")
    with pytest.raises(ValueError, match="not a count type"):
        CountType.parse("min/max")
