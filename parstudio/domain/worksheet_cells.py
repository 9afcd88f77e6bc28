"""Cells as spreadsheets really hold them: error cells, numbers typed as text, codes typed as
numbers, count dates, and the rows that are not data (totals, repeated headers).

Pure: the readers hand over str, float, int, bool, date, datetime, None or an ErrorCell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from parstudio.domain.errors import ValidationError

FORMULA_WITHOUT_VALUE = ""
"""The ErrorCell.error of a formula saved without its value (by a program that does not
calculate)."""


@dataclass(frozen=True, slots=True)
class ErrorCell:
    """A cell that holds no usable value: an error (#DIV/0!, #N/A…) or an unsaved formula."""

    error: str
    """The error's name as the spreadsheet shows it, or FORMULA_WITHOUT_VALUE."""

    def message(self) -> str:
        """Why the cell is refused and what to do, worded for the user."""
        if self.error == FORMULA_WITHOUT_VALUE:
            return (
                "the cell holds a formula saved without its value (the program that saved the "
                "file does not calculate); open and save it in Excel or LibreOffice, or paste "
                "the column as values."
            )
        return f"the cell holds the error {self.error}; fix the formula or type the value."


def check_cell(raw: Any) -> None:
    """Refuse an error cell, in any column."""
    if isinstance(raw, ErrorCell):
        raise ValidationError(raw.message())


def code_text(raw: Any) -> Any:
    """A code typed as a number, as its digits: 10884838001241.0 → "10884838001241"."""
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    return raw


# The decimal separator of numbers typed as text. "." unless the whole file is consistently
# comma-decimal; a number that could be read two ways is refused, a comma is never dropped.
DOT, COMMA = ".", ","
_PLAIN = re.compile(r"[+-]?\d+")
_ONE_DOT = re.compile(r"[+-]?\d*\.(\d+)")
_ONE_COMMA = re.compile(r"[+-]?\d*,(\d+)")


def decimal_style(texts: Iterable[str]) -> str:
    """COMMA when some number text is clearly comma-decimal ("2,5") and none dot-decimal."""
    comma = dot = False
    for text in texts:
        value = text.strip()
        if (found := _ONE_COMMA.fullmatch(value)) and len(found.group(1)) != 3:
            comma = True
        elif (found := _ONE_DOT.fullmatch(value)) and len(found.group(1)) != 3:
            dot = True
        if comma and dot:
            return DOT
    return COMMA if comma else DOT


def number_text(text: str, style: str) -> str:
    """A number typed as text, in Python's notation; refused when it is not one clear number."""
    value = text.strip()
    if "," not in value and (style == DOT or "." not in value):
        return value
    if _PLAIN.fullmatch(value.replace(style, "", 1)) and value.count(style) == 1:
        return value.replace(",", ".")
    digits = value.replace(",", "").replace(".", "")
    if not _PLAIN.fullmatch(digits):
        return value  # not a number at all: the field's own message says so
    if style == DOT:
        raise ValidationError(
            f"“{value}” can be read two ways; write numbers with a point for decimals and no "
            "thousands separator (1200, or 1.2)."
        )
    raise ValidationError(
        f"“{value}” can be read two ways; this file writes decimals with a comma, so write it "
        "without a thousands separator (1200, or 1,2)."
    )


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def count_date(raw: Any) -> datetime | None:
    """A Counted On cell: a date or date-time cell, or ISO text (naive, local time)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        return raw.replace(tzinfo=None) if raw.tzinfo else raw
    if isinstance(raw, date):
        return datetime.combine(raw, time())
    if isinstance(raw, str) and (found := _ISO.fullmatch(raw.strip())):
        year, month, day, hour, minute, second = (int(part or 0) for part in found.groups())
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            pass
    shown = raw if isinstance(raw, str) else repr(raw)
    raise ValidationError(
        f"Counted On must be a date, not “{str(shown).strip()}”; type it as a date, or as "
        "text like 2026-03-31."
    )


_TOTAL = re.compile(r"(grand\s*|sub\s*)?totals?\b|sum\b", re.IGNORECASE)


def is_totals_row(cells: Sequence[Any], item_code_at: int) -> bool:
    """A row that totals the rows above: no item code (or "Total…"), and a cell saying total."""
    code = cells[item_code_at] if item_code_at < len(cells) else None
    if code is not None and not (
        isinstance(code, str) and (not code.strip() or _TOTAL.match(code.strip()))
    ):
        return False
    return any(isinstance(c, str) and _TOTAL.match(c.strip()) for c in cells)


def is_repeated_header(cells: Sequence[Any], header_texts: dict[int, str]) -> bool:
    """A row that repeats the header (as printed sheets do on every page)."""
    same = sum(
        1
        for index, text in header_texts.items()
        if index < len(cells) and isinstance(cells[index], str) and cells[index].strip() == text
    )
    return same >= max(2, (len(header_texts) + 1) // 2)


def near_duplicate_key(code: str) -> str:
    """A code without case and punctuation: gls-001, GLS 001 and GLS001 are the same key."""
    return "".join(ch for ch in code.lower() if ch.isalnum())
