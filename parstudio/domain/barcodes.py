"""Decoding of what a barcode scanner types: GS1, HIBC, EAN/UPC and internal codes."""

from __future__ import annotations

import calendar
import contextlib
import re
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from biip import ParseConfig, ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString
from biip.gtin import Gtin
from biip.symbology import GS1Symbology
from biip.upc import Upc

from parstudio.domain.barcode_parts import GS, Unreadable, century_year, printable
from parstudio.domain.hibc import HibcDecode, decode_hibc, hibc_check_character

__all__ = [
    "GS",
    "BarcodeKind",
    "ScanDecode",
    "days_to_expiry",
    "decode_scan",
    "gtin_variants",
    "hibc_check_character",
    "is_expired",
]

_GTIN_LENGTHS = (8, 12, 13, 14)
_AI_LABELS = {
    "00": "shipping container code (SSCC)",
    "01": "item number (GTIN)",
    "02": "item number of the contents (GTIN)",
    "10": "lot number",
    "11": "production date",
    "17": "expiry date",
    "21": "serial number",
    "30": "quantity",
    "37": "quantity",
}
_HRI_ELEMENT = re.compile(r"\((\d{2,4})\)([^(]*)")
_HRI_START = re.compile(r"\(\d{2,4}\)")
# Without a symbology identifier, only these openings are taken as GS1 element strings: an
# internal code such as "10-4455" must not be read as lot "-4455".
_GS1_OPENING = re.compile(r"(?:0[12]\d{14}|00\d{18})")


class BarcodeKind(StrEnum):
    """Which family of barcode a scan came from."""

    GS1 = "gs1"
    HIBC = "hibc"
    EAN_UPC = "ean_upc"
    PLAIN = "plain"


@dataclass(frozen=True)
class ScanDecode:
    """What one scan says: the codes to look the item up by, and lot, expiry and serial."""

    raw: str
    kind: BarcodeKind
    lookup_codes: tuple[str, ...] = ()
    gtin: str | None = None
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    quantity: int | None = None
    error: str | None = None


def _decode_hibc_of_scan(text: str, body: str, today: date) -> HibcDecode:
    """HIBC data of a scan whose check character may be the space the blanks were cut from."""
    try:
        return decode_hibc(body, today)
    except Unreadable:
        # One label in 43 has the check character of value 38, a space: the scanner sends it
        # before the Enter, and cutting trailing blanks took it off. Put back exactly one.
        if text.rstrip("\r\n").endswith(body + " "):
            read = decode_hibc(body + " ", today)
            # A catalogue may hold the label as printed, its space included.
            printed = body.upper() + " "
            return replace(read, lookup_codes=(*read.lookup_codes, printed))
        raise


def decode_scan(text: str, *, group_separator: str = GS, today: date | None = None) -> ScanDecode:
    """Decode one scan; never raises, a malformed barcode comes back with `error` set.

    `group_separator` is what the scanner sends for the GS1 group separator when it is set to
    send a substitute (e.g. "~" or "<GS>"); ASCII 29 is always accepted too. `today` decides
    the century of two-digit years (GS1 rule: 49 years back to 50 years ahead).

    When `error` is set, `lookup_codes` is empty and no other field is filled. An empty
    `lookup_codes` without an error means the barcode carries no item number (for instance
    the lot/expiry half of a two-barcode label).
    """
    today = today or date.today()
    # Strip only line-ending and blank characters: str.strip() would also eat ASCII 29.
    body = text.strip(" \t\r\n")
    if not body:
        return ScanDecode(raw=text, kind=BarcodeKind.PLAIN, error="Nothing was scanned.")

    symbology: GS1Symbology | None = None
    has_identifier = False
    if body.startswith("]") and len(body) >= 3:
        has_identifier = True
        try:
            symbology = GS1Symbology(body[1:3])
        except ValueError:
            symbology = None
        body = body[3:]

    try:
        if symbology in GS1Symbology.with_gs1_messages():
            return _decode_gs1(text, body, group_separator, today)
        if symbology in GS1Symbology.with_gtin():
            return _decode_ean_upc(text, body, strict=True)
        if body.startswith("+") and not body.startswith("+/"):
            hibc = _decode_hibc_of_scan(text, body, today)
            return ScanDecode(
                raw=text,
                kind=BarcodeKind.HIBC,
                lookup_codes=hibc.lookup_codes,
                lot=hibc.lot,
                expiry=hibc.expiry,
                serial=hibc.serial,
                quantity=hibc.quantity,
            )
        if _HRI_START.match(body):
            return _decode_gs1_hri(text, body, today)
        if body.startswith(("http://", "https://")):
            return _decode_digital_link(text, body, today)
        normalised = _with_gs(body, group_separator)
        looks_gs1 = (GS in normalised and normalised[:2].isdecimal()) or _GS1_OPENING.match(
            normalised
        )
        if not has_identifier and looks_gs1:
            return _decode_gs1(text, body, group_separator, today)
        if body.isdecimal() and body.isascii() and len(body) in _GTIN_LENGTHS:
            return _decode_ean_upc(text, body, strict=False)
    except Unreadable as exc:
        kind = _kind_for_error(symbology, body)
        return ScanDecode(raw=text, kind=kind, error=str(exc))
    return ScanDecode(raw=text, kind=BarcodeKind.PLAIN, lookup_codes=(body,))


def item_codes(decode: ScanDecode, body: str) -> tuple[str, ...]:
    """The codes to look a scanned item up by, the label as printed last."""
    # A barcode stored exactly as scanned (an HIBC code with its "+" and check character, say)
    # names its item too.
    codes = decode.lookup_codes
    if codes and body and body not in codes:
        codes = (*codes, body)
    return codes


def is_expired(decode: ScanDecode, today: date) -> bool:
    """Whether the scanned item's expiry date has passed (an item is usable on its expiry day)."""
    return decode.expiry is not None and decode.expiry < today


def days_to_expiry(decode: ScanDecode, today: date) -> int | None:
    """Days from `today` until the expiry date (negative once expired), or None without one."""
    if decode.expiry is None:
        return None
    return (decode.expiry - today).days


def gtin_variants(code: str) -> tuple[str, ...]:
    """The forms a GTIN may be stored under: GTIN-14 first, then its 13/12/8-digit forms.

    Only leading zeros are dropped, so a case-level GTIN-14 (indicator digit 1-9) has just its
    14-digit form. Returns () when `code` is not a GTIN with a valid check digit.
    """
    code = code.strip()
    if not (code.isdecimal() and code.isascii() and len(code) in _GTIN_LENGTHS):
        return ()
    try:
        Gtin.parse(code)
    except ParseError:
        return ()
    gtin14 = code.zfill(14)
    significant = len(gtin14.lstrip("0"))
    return tuple(gtin14[-n:] for n in (14, 13, 12, 8) if n >= significant)


def _kind_for_error(symbology: GS1Symbology | None, body: str) -> BarcodeKind:
    """Which family a malformed barcode was taken for."""
    if symbology in GS1Symbology.with_gtin():
        return BarcodeKind.EAN_UPC
    if body.startswith("+"):
        return BarcodeKind.HIBC
    return BarcodeKind.GS1


def _with_gs(body: str, group_separator: str) -> str:
    """`body` with the scanner's substitute for the group separator turned into ASCII 29."""
    if group_separator and group_separator != GS:
        return body.replace(group_separator, GS)
    return body


# --- GS1 -------------------------------------------------------------------------------------


def _decode_gs1(raw: str, body: str, group_separator: str, today: date) -> ScanDecode:
    """Decode GS1 element strings as GS1-128 and GS1 DataMatrix transmit them."""
    # Some scanners transmit the leading FNC1 as a group separator too.
    rest = _with_gs(body, group_separator).lstrip(GS)
    config = ParseConfig(separator_chars=(GS,))
    elements: list[GS1ElementString] = []
    while rest:
        ai = _application_identifier(rest)
        try:
            element = GS1ElementString.extract(rest, config=config)
        except ParseError:
            raise Unreadable(_invalid_value_message(ai, rest)) from None
        elements.append(element)
        rest = rest[len(element) :].lstrip(GS)
    if not elements:
        raise Unreadable("The barcode holds only separators and no data.")
    return _from_elements(raw, elements, today)


def _decode_gs1_hri(raw: str, body: str, today: date) -> ScanDecode:
    """Decode the human-readable form with the AIs in parentheses, as typed from a label."""
    config = ParseConfig()
    matches = _HRI_ELEMENT.findall(body)
    if "".join(f"({ai}){value}" for ai, value in matches) != body:
        raise Unreadable(
            "This looks like a GS1 code in brackets, but it is not written as (AI)value(AI)value."
        )
    elements: list[GS1ElementString] = []
    for ai_digits, spaced_value in matches:
        value = spaced_value.strip()
        try:
            ai = GS1ApplicationIdentifier.extract(ai_digits + value)
        except ParseError:
            ai = None
        if ai is None or ai.ai != ai_digits:
            raise Unreadable(
                f"This barcode has a field PAR Studio does not recognise: ({ai_digits})."
            )
        try:
            elements.append(GS1ElementString.parse(ai_digits + value, config=config))
        except ParseError:
            raise Unreadable(_invalid_value_message(ai, ai_digits + value)) from None
    return _from_elements(raw, elements, today)


def _decode_digital_link(raw: str, body: str, today: date) -> ScanDecode:
    """Decode a GS1 Digital Link web address; any other web address is an internal code."""
    try:
        link = GS1DigitalLinkURI.parse(body)
    except ParseError:
        return ScanDecode(raw=raw, kind=BarcodeKind.PLAIN, lookup_codes=(body,))
    return _from_elements(raw, list(link.element_strings), today)


def _application_identifier(rest: str) -> GS1ApplicationIdentifier:
    """The AI `rest` starts with; an unknown one is unreadable."""
    try:
        return GS1ApplicationIdentifier.extract(rest)
    except ParseError:
        raise Unreadable(
            "This barcode has a field PAR Studio does not recognise "
            f"(at “{printable(rest[:8])}”). If it happens with every GS1 barcode, "
            "check the scanner's group separator setting."
        ) from None


def _invalid_value_message(ai: GS1ApplicationIdentifier, element: str) -> str:
    """The user's message for an AI whose value does not fit its format."""
    label = _AI_LABELS.get(ai.ai, ai.description.lower())
    value = printable(element[len(ai.ai) :].split(GS, 1)[0][:30])
    return f"The {label} in this barcode is not valid (“{value}”)."


def _from_elements(raw: str, elements: list[GS1ElementString], today: date) -> ScanDecode:
    """Build the decode from parsed GS1 element strings."""
    by_ai: dict[str, GS1ElementString] = {}
    for element in elements:
        # The first occurrence wins: a repeated AI is a labelling fault, not a second item.
        by_ai.setdefault(element.ai.ai, element)

    gtin: str | None = None
    for ai in ("01", "02"):
        if ai in by_ai:
            element = by_ai[ai]
            if element.gtin_error is not None:
                raise Unreadable(
                    f"The item number {element.value} in this barcode has a wrong check digit. "
                    "The label may be damaged or misprinted: scan it again or type the number."
                )
            gtin = element.value
            break

    expiry: date | None = None
    if "17" in by_ai:
        expiry = _gs1_date(by_ai["17"].value, today)
    quantity: int | None = None
    for ai in ("30", "37"):
        if ai in by_ai:
            quantity = int(by_ai[ai].value)
            break
    return ScanDecode(
        raw=raw,
        kind=BarcodeKind.GS1,
        lookup_codes=gtin_variants(gtin) if gtin else (),
        gtin=gtin,
        lot=by_ai["10"].value if "10" in by_ai else None,
        expiry=expiry,
        serial=by_ai["21"].value if "21" in by_ai else None,
        quantity=quantity,
    )


def _gs1_date(value: str, today: date) -> date:
    """A GS1 YYMMDD date; day 00 means the last day of the month."""
    year = century_year(int(value[0:2]), today)
    month = int(value[2:4])
    day = int(value[4:6])
    try:
        if day == 0:
            day = calendar.monthrange(year, month)[1]
        return date(year, month, day)
    except ValueError:
        raise Unreadable(
            f"The expiry date in this barcode (“{value}”) is not a real date."
        ) from None


# --- EAN / UPC -------------------------------------------------------------------------------


def _decode_ean_upc(raw: str, body: str, *, strict: bool) -> ScanDecode:
    """Decode EAN-13, UPC-A, EAN-8, UPC-E or GTIN-14 digits.

    With `strict` (the scanner said it read an EAN/UPC symbol) a bad check digit is an error;
    otherwise the digits are taken as an internal item code, since a real EAN/UPC symbol
    cannot be read with a wrong check digit.
    """
    if not (body.isdecimal() and body.isascii()):
        raise Unreadable(f"An EAN/UPC barcode should hold only digits, not “{printable(body)}”.")
    codes: list[str] = []
    if len(body) in _GTIN_LENGTHS:
        codes.extend(gtin_variants(body))
    if len(body) in (6, 7, 8):
        # A UPC-E symbol arrives as 6-8 digits; look it up by its expanded UPC-A too.
        with contextlib.suppress(ParseError):
            codes.extend(gtin_variants(Upc.parse(body).as_upc_a()))
    if not codes:
        if strict:
            raise Unreadable(
                f"The check digit of {body} is wrong. The label may be damaged or misprinted: "
                "scan it again or type the number."
            )
        return ScanDecode(raw=raw, kind=BarcodeKind.PLAIN, lookup_codes=(body,))
    lookup = tuple(dict.fromkeys([body, *codes]))
    return ScanDecode(raw=raw, kind=BarcodeKind.EAN_UPC, lookup_codes=lookup, gtin=codes[0])
