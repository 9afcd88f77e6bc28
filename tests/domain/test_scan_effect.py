"""What a scan does to a line: the table in docs/counting.md, row by row."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from parstudio.domain.scan_effect import ScanEffect, adds_one_here, scan_effect

NAME = "SYR-10 Syringe"
D = Decimal

# Each row: the docs row it checks, then the count type, "a scan adds one", a flagged lot,
# the label's quantity and a keyed quantity, then what the line holds before and after ("" is
# nothing counted yet), and whether the scan asks for a typed quantity.
ADDS = '`ON HAND`, "a scan adds one" on (the default)'
CASE = '`ON HAND`, "a scan adds one" on, a case label with a quantity (GS1 AI 30 or 37)'
ASKS = '`ON HAND`, "a scan adds one" off'
TWO_BIN = "`ORDER PAR` (two-bin)"
FLAGGED = "an expired or recalled lot on an `ON HAND` line that adds one"
FLAGGED_PAR = "an expired or recalled lot on an `ORDER PAR` line"
KEYED = "a handheld batch line `barcode,quantity` on an `ON HAND` line (either setting)"
KEYED_QTY = "a handheld batch line `barcode,quantity` on an `ORDER QTY` line"
TABLE = [
    (ADDS, "ON HAND", True, False, None, None, ("", "1"), False),
    (ADDS, "ON HAND", True, False, None, None, ("4", "5"), False),
    (CASE, "ON HAND", True, False, 12, None, ("4", "16"), False),
    (ASKS, "ON HAND", False, False, None, None, ("4", "4"), True),
    (TWO_BIN, "ORDER PAR", True, False, None, None, ("", "1"), False),
    (TWO_BIN, "ORDER PAR", True, False, None, None, ("1", "1"), False),
    ("`ORDER QTY` (requisition)", "ORDER QTY", True, False, None, None, ("3", "3"), True),
    ("`NOT COUNTED`", "NOT COUNTED", True, False, None, None, ("", ""), False),
    (FLAGGED, "ON HAND", True, True, None, None, ("4", "4"), False),
    (FLAGGED_PAR, "ORDER PAR", True, True, None, None, ("", "1"), False),
    (KEYED, "ON HAND", False, False, None, 5, ("4", "9"), False),
    (KEYED, "ON HAND", True, False, None, 5, ("", "5"), False),
    (KEYED_QTY, "ORDER QTY", True, False, None, 8, ("3", "8"), False),
]


def _quantity(text: str) -> Decimal | None:
    return D(text) if text else None


@pytest.mark.parametrize(
    ("row", "count_type", "adds_one", "flagged", "units", "keyed", "change", "asks"), TABLE
)
def test_what_a_scan_does_to_a_line(
    row: str,
    count_type: str,
    adds_one: bool,
    flagged: bool,
    units: int | None,
    keyed: int | None,
    change: tuple[str, str],
    asks: bool,
) -> None:
    effect = scan_effect(
        count_type, adds_one=adds_one, flagged=flagged, units=units, keyed=keyed, name=NAME
    )

    before, after = change
    assert effect.apply(_quantity(before)) == _quantity(after)
    assert effect.needs_quantity is asks


def test_every_row_of_the_table_is_in_the_user_docs() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "counting.md").read_text(encoding="utf-8")
    for row, *_ in TABLE:
        assert f"| {row} |" in docs


def test_messages_say_what_happened() -> None:
    def message(count_type: str, **kw: object) -> str | None:
        options: dict[str, object] = {"adds_one": True, "flagged": False, "name": NAME} | kw
        return scan_effect(count_type, **options).message  # type: ignore[arg-type]

    assert message("ON HAND") is None  # the new quantity is the message
    assert scan_effect("ON HAND", adds_one=True, flagged=False, units=12, name=NAME).note == (
        "(+12: the label's quantity)"
    )
    assert message("ORDER PAR") == f"{NAME}: empty bin recorded."
    assert message("ORDER QTY") == f"{NAME}: type the quantity to order, then press Enter."
    assert message("ON HAND", adds_one=False) == (
        f"{NAME}: type the quantity on the shelf, then press Enter."
    )
    assert message("ON HAND", flagged=True) == f"{NAME}: not counted."
    assert "not counted at this location" in str(message("NOT COUNTED"))


def test_a_workstation_choice_wins_over_the_location() -> None:
    assert adds_one_here(True, None) is True
    assert adds_one_here(False, None) is False
    assert adds_one_here(True, False) is False
    assert adds_one_here(False, True) is True


def test_an_effect_that_changes_nothing_keeps_an_empty_line_empty() -> None:
    assert ScanEffect().apply(None) is None
