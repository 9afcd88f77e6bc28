"""HIBC LIC barcodes (Health Industry Bar Code): primary, secondary and combined data.

The text starts with "+"; the primary names the labeler, product and unit of measure, the
secondary carries lot or serial, expiry date and quantity; the last character is a modulo-43
check character. The characters are 0-9, A-Z and "- . $ / + %" and space.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from parstudio.domain.barcode_parts import Unreadable, century_year

__all__ = ["HibcDecode", "decode_hibc", "hibc_check_character"]

_HIBC_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"


@dataclass(frozen=True)
class HibcDecode:
    """What an HIBC barcode says."""

    lookup_codes: tuple[str, ...]
    lot: str | None
    expiry: date | None
    serial: str | None
    quantity: int | None


def hibc_check_character(data: str) -> str:
    """The HIBC LIC modulo-43 check character for `data` (which includes the leading '+')."""
    try:
        total = sum(_HIBC_CHARSET.index(char) for char in data)
    except ValueError:
        raise ValueError(f"{data!r} has characters outside the HIBC character set") from None
    return _HIBC_CHARSET[total % 43]


def decode_hibc(body: str, today: date) -> HibcDecode:
    """Decode HIBC LIC primary, secondary or combined (primary/secondary) data."""
    # HIBC uses upper case only; a keyboard-wedge scanner with Caps Lock on sends lower case.
    body = body.upper()
    if any(char not in _HIBC_CHARSET for char in body):
        raise Unreadable("This HIBC barcode holds characters HIBC does not allow.")
    if len(body) < 3:
        raise Unreadable(_HIBC_NOT_READABLE)
    data, check = body[:-1], body[-1]
    expected = hibc_check_character(data)
    if check != expected:
        raise Unreadable(
            "The check character of this HIBC barcode is wrong. The label may be damaged or "
            "misprinted: scan it again or type the item number."
        )
    content = data[1:]
    if content[0].isalpha():
        primary, _, secondary = content.partition("/")
        lookup_codes = _hibc_primary(primary)
        if secondary:
            # The primary as its own label prints it: a catalogue may hold that form.
            printed = f"+{primary}"
            lookup_codes = (*lookup_codes, printed + hibc_check_character(printed))
        fields = _hibc_secondary(secondary, today) if secondary else _HibcFields()
    else:
        # A secondary on its own ends with a link character (the primary's check character),
        # which may itself be "/": cut it off before splitting.
        if len(content) < 2:
            raise Unreadable(_HIBC_NOT_READABLE)
        lookup_codes = ()
        fields = _hibc_secondary(content[:-1], today)
    return HibcDecode(
        lookup_codes=lookup_codes,
        lot=fields.lot,
        expiry=fields.expiry,
        serial=fields.serial,
        quantity=fields.quantity,
    )


@dataclass(frozen=True)
class _HibcFields:
    """What HIBC secondary data carries."""

    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    quantity: int | None = None


_HIBC_PRIMARY = re.compile(r"([A-Z][A-Z0-9]{3})([A-Z0-9]{1,18})([0-9])")
_HIBC_NOT_READABLE = "This HIBC barcode is not laid out as the HIBC standard describes."


def _hibc_primary(primary: str) -> tuple[str, ...]:
    """Lookup codes from primary data: labeler + product + unit of measure, then without it."""
    match = _HIBC_PRIMARY.fullmatch(primary)
    if match is None:
        raise Unreadable(_HIBC_NOT_READABLE)
    labeler, product, unit = match.groups()
    return (labeler + product + unit, labeler + product)


# Date formats after "$$", keyed by the flag digit: (pattern length, reader of the digits).
_HIBC_DATE_LENGTHS = {"2": 6, "3": 6, "4": 8, "5": 5, "6": 7}


def _hibc_secondary(secondary: str, today: date) -> _HibcFields:
    """Read secondary data (without '+', link or check character) and supplementary fields."""
    main, *supplementary = secondary.split("/")
    lot: str | None = None
    serial: str | None = None
    expiry: date | None = None
    quantity: int | None = None
    if main[:1].isdigit():
        # The older form: a five-digit Julian date YYJJJ, then the lot.
        expiry = _hibc_date("5", main[:5], today)
        lot = main[5:]
    elif main.startswith("$$"):
        is_serial = main.startswith("$$+")
        rest = main[3:] if is_serial else main[2:]
        if rest[:1] in ("8", "9"):
            width = 2 if rest[0] == "8" else 5
            digits = rest[1 : 1 + width]
            if len(digits) != width or not digits.isdigit():
                raise Unreadable(_HIBC_NOT_READABLE)
            quantity = int(digits)
            rest = rest[1 + width :]
        flag = rest[:1]
        if flag in ("0", "1"):
            # No flag digit: the date is MMYY and its first digit is the month's.
            expiry = _hibc_date("MMYY", rest[:4], today)
            rest = rest[4:]
        elif flag in _HIBC_DATE_LENGTHS:
            width = _HIBC_DATE_LENGTHS[flag]
            expiry = _hibc_date(flag, rest[1 : 1 + width], today)
            rest = rest[1 + width :]
        elif flag == "7":
            rest = rest[1:]
        else:
            raise Unreadable(_HIBC_NOT_READABLE)
        if is_serial:
            serial = rest
        else:
            lot = rest
    elif main.startswith("$+"):
        serial = main[2:]
    elif main.startswith("$"):
        lot = main[1:]
    elif main:
        raise Unreadable(_HIBC_NOT_READABLE)

    for field in supplementary:
        # Supplementary data uses ASC MH10 data identifiers.
        if field.startswith("14D"):
            expiry = _hibc_date("YYYYMMDD", field[3:], today)
        elif field.startswith("S"):
            serial = field[1:]
    return _HibcFields(lot=lot or None, expiry=expiry, serial=serial or None, quantity=quantity)


def _hibc_date(form: str, digits: str, today: date) -> date:
    """An HIBC expiry date in one of its forms; a month-only date means the month's last day."""
    length = {"MMYY": 4, "YYYYMMDD": 8, **_HIBC_DATE_LENGTHS}[form]
    if len(digits) != length or not digits.isdigit():
        raise Unreadable(_HIBC_NOT_READABLE)
    try:
        match form:
            case "MMYY":
                year, month = century_year(int(digits[2:4]), today), int(digits[0:2])
                return date(year, month, calendar.monthrange(year, month)[1])
            case "2":
                year = century_year(int(digits[4:6]), today)
                return date(year, int(digits[0:2]), int(digits[2:4]))
            case "3" | "4":
                year = century_year(int(digits[0:2]), today)
                return date(year, int(digits[2:4]), int(digits[4:6]))
            case "YYYYMMDD":
                return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
            case _:
                year = century_year(int(digits[0:2]), today)
                day_of_year = int(digits[2:5])
                if not 1 <= day_of_year <= (366 if calendar.isleap(year) else 365):
                    raise ValueError(day_of_year)
                return date(year, 1, 1) + timedelta(days=day_of_year - 1)
    except (ValueError, calendar.IllegalMonthError):
        raise Unreadable(
            f"The expiry date in this HIBC barcode (“{digits}”) is not a real date."
        ) from None
