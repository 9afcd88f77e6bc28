"""Checks across a worksheet's rows: an item described two ways, against the plain rule."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from parstudio.domain.worksheet import map_headers
from parstudio.domain.worksheet_checks import find_item_conflicts
from parstudio.domain.worksheet_rows import WorksheetRow

HEADER = map_headers(["Location", "Item Code", "Description", "Pack Size", "Barcodes"])

_items = st.fixed_dictionaries(
    {
        "description": st.sampled_from([None, "Gauze", "Gauze 4x4"]),
        "pack_size": st.sampled_from([None, 10, 12]),
        "barcodes": st.sampled_from([(), ("111",), ("222",)]),
    }
)


def _plain_rule(rows: list[WorksheetRow]) -> list[tuple[int, str]]:
    """Each field's first non-blank value per item; a later different one is a conflict."""
    first: dict[tuple[str, str], Any] = {}
    found = []
    for row in rows:
        for name, value in row.item.items():
            if value is None or value == ():
                continue
            key = (row.item_code, name)
            if key not in first:
                first[key] = value
            elif first[key] != value:
                found.append((row.row, name))
    return found


@given(st.lists(st.tuples(st.sampled_from("ABC"), _items), max_size=12), st.booleans())
def test_conflicts_are_those_of_the_plain_rule(described: list[Any], share: bool) -> None:
    # The parse shares one dict between rows describing an item alike: both ways are checked.
    shared: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}
    rows = []
    for number, (code, item) in enumerate(described, start=2):
        if share:
            item = shared.setdefault((code, tuple(item.items())), item)
        rows.append(WorksheetRow(number, "CT1", code, item))
    columns = {"description": "Description", "pack_size": "Pack Size", "barcodes": "Barcodes"}
    errors = find_item_conflicts(rows, HEADER)
    assert [(e.row, e.column_name) for e in errors] == [
        (row, columns[name]) for row, name in _plain_rule(rows)
    ]
    assert all("an item has one" in e.message for e in errors)
