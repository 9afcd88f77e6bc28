"""The PAR worksheet's columns: header matching, synonyms, overrides, and reading rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from parstudio.domain.worksheet import (
    COLUMNS,
    WORKSHEET_COLUMNS,
    column_letter,
    find_column,
    map_headers,
    parse_rows,
)
from parstudio.domain.worksheet_checks import check_setting

BASIC = ["Location", "Item Code", "Description", "Pack Size", "PAR Level", "MOQ", "Count"]


def _names(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    mapping = map_headers(headers, overrides)
    return {headers[i]: c.name for i, c in mapping.columns.items()}


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Item", "Item Code"),
        ("Item #", "Item Code"),
        ("item number", "Item Code"),
        ("PRODUCT CODE", "Item Code"),
        ("Par", "PAR Level"),
        ("Par Qty", "PAR Level"),
        ("  par   level ", "PAR Level"),
        ("Loc", "Location"),
        ("Dept Location", "Location"),
        ("UOM", "Unit of Issue"),
        ("Qty On Hand", "Count"),
        ("On Hand", "Count"),
        ("Pkg Qty", "Pack Size"),
        ("Case Qty", "Pack Size"),
        ("Vendor", "Supplier"),
        ("Vendor Item", "Supplier Item No"),
        ("Mfr #", "Supplier Item No"),
        ("shelf life", "Shelf Life Days"),
        ("count type", "Count Type"),
    ],
)
def test_synonyms_and_spacing_and_case_find_the_column(header: str, column: str) -> None:
    found = find_column(header)
    assert found is not None and found.name == column


def test_every_canonical_name_matches_itself_and_no_synonym_is_shared() -> None:
    seen: dict[str, str] = {}
    for column in COLUMNS:
        assert find_column(column.name.upper()) is column
        for text in (column.name, *column.synonyms):
            key = "".join(ch for ch in text.lower() if ch.isalnum() or ch == "#")
            assert seen.setdefault(key, column.name) == column.name, text


def test_unknown_headers_are_reported_as_extra_with_their_letter() -> None:
    mapping = map_headers(["Location", "Item Code", "Notes", None, "Colour"])
    assert mapping.extra == (("C", "Notes"), ("E", "Colour"))
    assert mapping.errors == ()


def test_missing_required_columns_are_errors() -> None:
    mapping = map_headers(["Description", "PAR Level"])
    assert mapping.missing == ("Location", "Item Code")
    assert [str(e) for e in mapping.errors] == [
        "Header row (Location): The sheet has no Location column.",
        "Header row (Item Code): The sheet has no Item Code column.",
    ]


def test_overrides_win_over_synonyms_and_can_ignore_a_column() -> None:
    headers = ["Loc", "Item", "Qty", "Par", "Notes"]
    names = _names(headers, {"qty": "PAR Level", "Par": "", "NOTES": "Description"})
    assert names == {
        "Loc": "Location",
        "Item": "Item Code",
        "Qty": "PAR Level",
        "Notes": "Description",
    }
    assert ("D", "Par") in map_headers(headers, {"qty": "PAR Level", "Par": ""}).extra


def test_override_to_an_unknown_column_or_of_an_absent_header_is_an_error() -> None:
    mapping = map_headers(["Location", "Item Code", "Qty"], {"Qty": "Quantity-ish", "Nope": "MOQ"})
    messages = " ".join(e.message for e in mapping.errors)
    assert "“Quantity-ish” is not a PAR Studio column" in messages
    assert "“Nope” the sheet does not have" in messages


def test_two_headers_meaning_the_same_column_are_an_error() -> None:
    mapping = map_headers(["Location", "Item Code", "PAR Level", "Par Qty"])
    assert len(mapping.errors) == 1
    assert "Columns C (“PAR Level”) and D (“Par Qty”) both mean PAR Level" in str(mapping.errors[0])


def _parse(rows: list[list[object]], headers: list[str] = BASIC) -> tuple[list, list[str]]:
    parsed, errors = parse_rows(rows, map_headers(headers))
    return parsed, [str(e) for e in errors]


def test_a_good_row_parses_to_decimals_and_whole_numbers() -> None:
    rows, errors = _parse([["CT1", 1234.0, "Gauze", 10.0, 2.5, 3.0, 8.0]])
    assert errors == []
    row = rows[0]
    assert (row.row, row.location, row.item_code) == (2, "CT1", "1234")
    assert row.item["pack_size"] == Decimal(10)
    assert row.setting == {"par_level": Decimal("2.5"), "moq": 3}
    assert row.count == Decimal(8)


def test_blank_optional_cells_stay_none_never_zero() -> None:
    rows, errors = _parse([["CT1", "SYR", None, None, "", None, "  "]])
    assert errors == []
    assert rows[0].item == {"description": None, "pack_size": None}
    assert rows[0].setting == {"par_level": None, "moq": None}
    assert rows[0].count is None


def test_pack_size_zero_is_refused_naming_row_column_and_value() -> None:
    good = [["CT1", f"I{n}", "x", 1, 1, 1, 1] for n in range(5)]
    _rows, errors = _parse([*good, ["CT1", "GZ", "x", 0, 1, 1, 1]])
    assert errors == ["Row 7, column D (Pack Size): Pack size must be more than 0, not “0”."]


def test_text_in_a_number_column_names_the_cell() -> None:
    _rows, errors = _parse([["CT1", "SYR", "x", 1, "ten", None, None]])
    assert errors == ["Row 2, column E (PAR Level): PAR level must be a number, not “ten”."]


def test_fractions_are_refused_where_packs_or_days_must_be_whole() -> None:
    headers = ["Location", "Item Code", "MOQ", "Lot Multiple", "Shelf Life Days"]
    _rows, errors = _parse([["CT1", "SYR", 1.5, 2.25, 30.5]], headers)
    assert errors == [
        "Row 2, column C (MOQ): MOQ (packs) must be a whole number, not “1.5”.",
        "Row 2, column D (Lot Multiple): Lot multiple (packs) must be a whole number, not “2.25”.",
        "Row 2, column E (Shelf Life Days): Shelf life (days) must be a whole number, not “30.5”.",
    ]


def test_negative_count_is_refused() -> None:
    _rows, errors = _parse([["CT1", "SYR", "x", 1, 1, 1, -2.0]])
    assert errors == ["Row 2, column G (Count): Count must be at least 0, not “-2”."]


def test_a_date_in_a_number_column_is_refused_but_export_only_dates_are_ignored() -> None:
    headers = ["Location", "Item Code", "PAR Level", "Last Counted", "Last Count"]
    _rows, errors = _parse(
        [["CT1", "A", 5, datetime(2024, 3, 1, 9, 30), "yesterday"], ["CT1", "B", date(2024, 1, 2)]],
        headers,
    )
    assert errors == [
        "Row 3, column C (PAR Level): PAR level must be a number, not “2024-01-02”.",
    ]


def test_a_cached_excel_error_is_named() -> None:
    _rows, errors = _parse([["CT1", "SYR", "x", 1, "#DIV/0!", None, None]])
    assert errors == [
        "Row 2, column E (PAR Level): the cell holds the error #DIV/0! (fix the formula)."
    ]


def test_missing_key_cells_are_required() -> None:
    _rows, errors = _parse([[None, "SYR", "x", 1, 1, 1, 1], ["CT1", " ", "x", 1, 1, 1, 1]])
    assert errors == [
        "Row 2, column A (Location): Location is required.",
        "Row 3, column B (Item Code): Item code is required.",
    ]


def test_duplicate_location_and_item_names_both_rows() -> None:
    rows = [["CT1", "SYR", "x", 1, 1, 1, None], [None] * 7, ["ct1", "SYR", "x", 1, 2, 1, None]]
    _rows, errors = _parse(rows)
    assert errors == [
        "Row 4, column B (Item Code): Item SYR at ct1 is on rows 2 and 4; keep one of them."
    ]


def test_an_item_described_two_ways_is_an_error_but_blanks_do_not_count() -> None:
    rows = [
        ["CT1", "SYR", "Syringe", 10, 1, None, None],
        ["ER", "SYR", None, None, 1, None, None],
        ["OR", "SYR", "Syringe", 12, 1, None, None],
    ]
    _rows, errors = _parse(rows)
    assert errors == [
        "Row 4, column D (Pack Size): Item SYR has Pack Size “10” on row 2 but “12” here; "
        "an item has one Pack Size."
    ]


def test_choices_are_forgiving_and_errors_list_the_allowed_values() -> None:
    headers = ["Location", "Item Code", "Method", "Count Type", "Rounding"]
    rows, errors = _parse(
        [["CT1", "A", "min / max", "order qty", "down"], ["CT1", "B", "kanban", None, None]],
        headers,
    )
    assert rows[0].setting == {"method": "MIN/MAX", "count_type": "ORDER QTY", "rounding": "DOWN"}
    assert errors == ["Row 3, column C (Method): Method must be one of PAR, MIN/MAX, not “kanban”."]


def test_check_setting_needs_the_levels_its_method_and_count_type_use() -> None:
    assert check_setting({"method": "PAR"}, default_count_type="ON HAND") is not None
    assert (
        check_setting({"method": "PAR", "count_type": "ORDER QTY"}, default_count_type="ON HAND")
        is None
    )
    assert check_setting({"method": "PAR"}, default_count_type="ORDER QTY") is None
    field, message = check_setting(
        {"method": "MIN/MAX", "min_level": Decimal(5)}, default_count_type="ON HAND"
    ) or ("", "")
    assert field == "max_level" and "needs both Min and Max" in message
    field, message = check_setting(
        {"method": "MIN/MAX", "min_level": Decimal(9), "max_level": Decimal(5)},
        default_count_type="ON HAND",
    ) or ("", "")
    assert field == "min_level" and message == "Min (9) must not be more than Max (5)."


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_the_worksheet_columns_follow_the_contract() -> None:
    assert [c.name for c in WORKSHEET_COLUMNS] == [
        "Location", "Item Code", "Description", "Unit of Issue", "Barcodes", "Pack Size",
        "Supplier", "Supplier Item No", "Pack Price", "Bin", "Method", "Count Type", "PAR Level",
        "Min", "Max", "MOQ", "Lot Multiple", "Rounding", "Storage Capacity", "Shelf Life Days",
        "Weekly Usage", "Count", "Counted On", "Last Count", "Last Counted", "Open Supply",
        "Open Demand", "Order Packs", "Order Units", "Explanation",
    ]  # fmt: skip
    assert [c.name for c in WORKSHEET_COLUMNS if c.required] == ["Location", "Item Code"]
    assert {c.name for c in WORKSHEET_COLUMNS if c.export_only} == {
        "Last Count", "Last Counted", "Order Packs", "Order Units", "Explanation"
    }  # fmt: skip


def test_the_docs_column_table_is_the_code_synonym_table() -> None:
    """docs/worksheets.md lists exactly the names and synonyms the code matches."""
    from pathlib import Path

    from parstudio.domain.worksheet_headers import NEVER_MATCHED

    docs = (Path(__file__).resolve().parents[2] / "docs" / "worksheets.md").read_text()
    table = docs.split("| column | required | meaning | also accepted as |")[1].split("\n\n")[0]
    documented = {}
    for line in table.strip().splitlines()[1:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        documented[cells[0]] = tuple(s.strip() for s in cells[3].split(", ") if s.strip())
    assert documented == {column.name: column.synonyms for column in COLUMNS}
    for text in NEVER_MATCHED:
        assert find_column(text) is None, text
        assert f"`{text}`" in docs, f"the docs say {text} is never matched"


@pytest.mark.parametrize("text", ["Unit", "units", "UNIT", "Part #", "part no"])
def test_ambiguous_headers_are_never_matched_but_may_be_mapped(text: str) -> None:
    assert find_column(text) is None
    mapped = map_headers(["Loc", "Item", text], {text: "Unit"})
    assert [c.name for c in mapped.columns.values()] == ["Location", "Item Code", "Unit of Issue"]
