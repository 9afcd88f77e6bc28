"""Cells as spreadsheets hold them: the decimal rule, codes typed as numbers, totals rows."""

from __future__ import annotations

from datetime import datetime

import pytest

from parstudio.domain.errors import ValidationError
from parstudio.domain.worksheet import map_headers, parse_rows
from parstudio.domain.worksheet_cells import (
    COMMA,
    DOT,
    ErrorCell,
    code_text,
    count_date,
    decimal_style,
    near_duplicate_key,
    number_text,
)
from parstudio.domain.worksheet_preview import grouped_errors


@pytest.mark.parametrize(
    ("texts", "style"),
    [
        (["24", "2.5"], DOT),
        (["24", "2,5"], COMMA),
        (["1,200"], DOT),  # exactly three digits after the comma: no evidence either way
        (["2,5", "2.5"], DOT),  # mixed: not consistently comma-decimal
        (["12,75", "1.200"], COMMA),
        ([], DOT),
    ],
)
def test_the_decimal_style_of_a_file(texts: list[str], style: str) -> None:
    assert decimal_style(texts) == style


@pytest.mark.parametrize(
    ("text", "style", "read"),
    [
        ("2.5", DOT, "2.5"),
        ("1.200", DOT, "1.200"),
        ("2,5", COMMA, "2.5"),
        ("1,200", COMMA, "1.200"),
        ("-0,75", COMMA, "-0.75"),
        ("twelve", DOT, "twelve"),  # not a number: the field's own message says so
    ],
)
def test_numbers_typed_as_text_by_one_rule(text: str, style: str, read: str) -> None:
    assert number_text(text, style) == read


@pytest.mark.parametrize(
    ("text", "style"),
    [("2,5", DOT), ("1,200", DOT), ("1,2,3", DOT), ("1,234.50", DOT), ("1.200", COMMA),
     ("1.234,5", COMMA), ("1,2,3", COMMA)],
)  # fmt: skip
def test_a_number_read_two_ways_is_refused_never_stripped(text: str, style: str) -> None:
    with pytest.raises(ValidationError, match="can be read two ways"):
        number_text(text, style)


def test_codes_typed_as_numbers_are_their_digits() -> None:
    assert code_text(10884838001241.0) == "10884838001241"
    assert code_text(4711) == "4711" and code_text(1.5) == "1.5" and code_text("A1") == "A1"


def test_error_cells_and_unsaved_formulas_are_refused_in_every_column() -> None:
    header = map_headers(["Location", "Item Code", "Description", "PAR Level", "Count"])
    rows, errors = parse_rows(
        [
            ["CT1", "A", ErrorCell("#N/A"), 5, None],
            ["CT1", ErrorCell("#REF!"), "b", ErrorCell(""), ErrorCell("#DIV/0!")],
        ],
        header,
        sheet="PAR",
    )
    assert rows == []
    assert [(e.row, e.column) for e in errors] == [(2, "C"), (3, "B"), (3, "D"), (3, "E")]
    assert "the cell holds the error #N/A" in errors[0].message
    assert "formula saved without its value" in errors[2].message


def test_totals_rows_and_repeated_headers_are_skipped_and_listed() -> None:
    header = map_headers(["Item #", "Description", "Par"])
    skipped: list[tuple[int, str]] = []
    rows, errors = parse_rows(
        [
            ["A", "Gauze", 5],
            ["Item #", "Description", "Par"],
            ["B", "Tape", 2],
            [None, "Total", 7],
            ["Grand total", None, 7],
        ],
        header,
        first_row=4,
        location="CT1",
        skipped=skipped,
    )
    assert errors == []
    assert [(r.location, r.item_code) for r in rows] == [
        ("CT1", "A"),
        ("CT1", "B"),
    ]
    assert skipped == [(5, "the header row repeated"), (7, "a totals row"), (8, "a totals row")]


def test_counted_on_takes_dates_and_iso_text_only() -> None:
    assert count_date(datetime(2026, 3, 2, 14, 30)) == datetime(2026, 3, 2, 14, 30)
    assert count_date("2026-03-02") == datetime(2026, 3, 2)
    assert count_date(None) is None
    with pytest.raises(ValidationError, match="Counted On must be a date"):
        count_date("03/02/2026")


def test_near_duplicate_codes_share_a_key() -> None:
    assert near_duplicate_key("gls-001") == near_duplicate_key("GLS 001") == "gls001"
    assert near_duplicate_key("CT-1") == near_duplicate_key("CT1")


def test_two_hundred_thousand_errors_of_one_kind_are_one_line() -> None:
    from parstudio.domain.worksheet_headers import CellError

    errors = [
        CellError(row, "D", "PAR Level", f"PAR level must be a number, not “x{row}”.", "PAR")
        for row in range(2, 200_002)
    ]
    errors.append(CellError(9, "A", "Location", "Location is required.", "PAR"))
    lines = grouped_errors(errors)
    assert lines == [
        "Sheet “PAR”, 200,000 rows (2, 3, 4, 5, 6, …), column D (PAR Level): PAR level must be "
        "a number, not “x2”. (that is row 2; the others alike)",
        "Sheet “PAR”, Row 9, column A (Location): Location is required.",
    ]
