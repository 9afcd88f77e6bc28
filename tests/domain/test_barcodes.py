"""Decoding of scanner input: GS1, HIBC, EAN/UPC and internal codes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parstudio.domain.barcodes import (
    BarcodeKind,
    ScanDecode,
    days_to_expiry,
    decode_scan,
    gtin_variants,
    hibc_check_character,
    is_expired,
)

TODAY = date(2025, 6, 1)
GS = "\x1d"


def decode(text: str, **kwargs: str) -> ScanDecode:
    """Decode with a fixed today so two-digit years are deterministic."""
    return decode_scan(text, today=TODAY, **kwargs)


def hibc(data: str) -> str:
    """`data` with its correct HIBC check character appended."""
    return data + hibc_check_character(data)


# --- GS1 -------------------------------------------------------------------------------------

GS1_GTIN = "09501101530003"  # GS1 General Specifications' example GTIN


def test_gs1_128_general_specifications_example() -> None:
    result = decode(f"]C101{GS1_GTIN}1714070410AB-123")

    assert result.kind is BarcodeKind.GS1
    assert result.gtin == GS1_GTIN
    assert result.lot == "AB-123"
    assert result.expiry == date(2014, 7, 4)
    assert result.error is None
    assert result.lookup_codes == ("09501101530003", "9501101530003")


def test_gs1_element_string_without_symbology_identifier() -> None:
    result = decode(f"01{GS1_GTIN}1714070410AB-123")

    assert (result.kind, result.gtin, result.lot) == (BarcodeKind.GS1, GS1_GTIN, "AB-123")


def test_fixed_length_fields_need_no_separator_and_lot_ends_at_group_separator() -> None:
    result = decode(f"01{GS1_GTIN}10AB-123{GS}17201231")

    assert result.lot == "AB-123"
    assert result.expiry == date(2020, 12, 31)


UDI_GTIN = "00884838003521"  # GUDID-style device identifier with a valid check digit


@pytest.mark.parametrize(
    "text",
    [
        f"]d201{UDI_GTIN}1725013110LOT123{GS}21SN45",
        f"]d2{GS}01{UDI_GTIN}1725013110LOT123{GS}21SN45{GS}",
        f"01{UDI_GTIN}1725013110LOT123{GS}21SN45",
        f"(01){UDI_GTIN}(17)250131(10)LOT123(21)SN45",
        f"]Q301{UDI_GTIN}1725013110LOT123{GS}21SN45\r\n",
    ],
    ids=["datamatrix", "leading-and-trailing-gs", "no-identifier", "hri", "qr-with-crlf"],
)
def test_udi_datamatrix_in_every_transmission_form(text: str) -> None:
    result = decode(text)

    assert result.kind is BarcodeKind.GS1
    assert result.error is None
    assert result.gtin == UDI_GTIN
    assert result.lookup_codes == ("00884838003521", "0884838003521", "884838003521")
    assert (result.lot, result.serial, result.expiry) == ("LOT123", "SN45", date(2025, 1, 31))
    assert result.raw == text


@pytest.mark.parametrize("substitute", ["~", "|", "<GS>"])
def test_scanner_substitute_for_the_group_separator(substitute: str) -> None:
    text = f"]d201{UDI_GTIN}10LOT123{substitute}21SN45{substitute}17250131"

    result = decode(text, group_separator=substitute)

    assert (result.lot, result.serial, result.expiry) == ("LOT123", "SN45", date(2025, 1, 31))


def test_unknown_substitute_points_the_user_at_the_separator_setting() -> None:
    # "~" is not allowed in a GS1 lot number, so the lot ends there and "~21..." is unreadable.
    result = decode(f"]d201{UDI_GTIN}10LOT123~21SN45")

    assert result.error is not None
    assert "~21SN45" in result.error
    assert "group separator setting" in result.error


def test_ascii_29_is_accepted_even_when_a_substitute_is_set() -> None:
    result = decode(f"01{UDI_GTIN}10LOT123{GS}21SN45", group_separator="~")

    assert (result.lot, result.serial) == ("LOT123", "SN45")


def test_expiry_day_00_is_the_last_day_of_the_month() -> None:
    assert decode(f"01{GS1_GTIN}17280200").expiry == date(2028, 2, 29)
    assert decode(f"01{GS1_GTIN}17270200").expiry == date(2027, 2, 28)
    assert decode(f"(01){GS1_GTIN}(17)251100").expiry == date(2025, 11, 30)


def test_two_digit_year_follows_the_gs1_sliding_century() -> None:
    # From 2025, 75 is 50 years ahead (2075) and 76 is 49 years back (1976).
    assert decode(f"01{GS1_GTIN}17751231").expiry == date(2075, 12, 31)
    assert decode(f"01{GS1_GTIN}17761231").expiry == date(1976, 12, 31)


def test_quantity_from_ai_30_and_37() -> None:
    assert decode(f"01{GS1_GTIN}3025{GS}10A1").quantity == 25
    assert decode(f"]C10219501101530000376{GS}10A1").quantity == 6


def test_case_gtin_keeps_its_indicator_digit() -> None:
    result = decode("]C10119501101530000")

    assert result.gtin == "19501101530000"
    assert result.lookup_codes == ("19501101530000",)


def test_lot_and_expiry_only_barcode_has_no_lookup_codes() -> None:
    result = decode("]C11725123110AB12")

    assert result.error is None
    assert result.lookup_codes == ()
    assert (result.lot, result.expiry) == ("AB12", date(2025, 12, 31))


def test_gs1_digital_link() -> None:
    result = decode(f"https://id.gs1.org/01/{GS1_GTIN}/10/AB12?17=261231")

    assert (result.kind, result.gtin) == (BarcodeKind.GS1, GS1_GTIN)
    assert (result.lot, result.expiry) == ("AB12", date(2026, 12, 31))


def test_other_web_address_is_an_internal_code() -> None:
    result = decode("https://intranet.example/item/77")

    assert result.kind is BarcodeKind.PLAIN
    assert result.lookup_codes == ("https://intranet.example/item/77",)


# --- malformed GS1 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "]d20100884838003526172501311010LOT123",  # the last GTIN digit is wrong
        "(01)00884838003526(17)250131(10)LOT123(21)SN45",
        "0109501101530004",
    ],
)
def test_bad_gtin_check_digit_is_an_error(text: str) -> None:
    result = decode(text)

    assert result.kind is BarcodeKind.GS1
    assert result.error is not None
    assert "check digit" in result.error
    assert result.lookup_codes == ()
    assert result.gtin is None


def test_unknown_ai_points_at_the_separator_setting() -> None:
    result = decode(f"]C101{GS1_GTIN}2312345")

    assert result.error is not None
    assert "does not recognise" in result.error
    assert "group separator" in result.error


def test_unknown_ai_in_brackets() -> None:
    result = decode(f"(01){GS1_GTIN}(28)X")

    assert result.error is not None
    assert "(28)" in result.error


@pytest.mark.parametrize("expiry", ["261301", "260230", "2612"])
def test_impossible_expiry_date_is_an_error(expiry: str) -> None:
    result = decode(f"(01){GS1_GTIN}(17){expiry}")

    assert result.error is not None
    assert "expiry date" in result.error
    assert result.expiry is None


def test_gs1_identifier_with_no_data_is_an_error() -> None:
    result = decode(f"]d2{GS}{GS}")

    assert (result.kind, result.lookup_codes) == (BarcodeKind.GS1, ())
    assert result.error is not None


def test_error_message_shows_the_group_separator_visibly() -> None:
    result = decode(f"]C101{GS1_GTIN}17ABCDEF{GS}10X")

    assert result.error is not None
    assert GS not in result.error


# --- EAN / UPC -------------------------------------------------------------------------------


def test_ean_13() -> None:
    result = decode("4006381333931")

    assert result.kind is BarcodeKind.EAN_UPC
    assert result.gtin == "04006381333931"
    assert result.lookup_codes == ("4006381333931", "04006381333931")


def test_upc_a() -> None:
    result = decode("036000291452")

    assert result.kind is BarcodeKind.EAN_UPC
    assert result.gtin == "00036000291452"
    assert result.lookup_codes[:2] == ("036000291452", "00036000291452")
    assert "0036000291452" in result.lookup_codes


def test_upc_a_sent_as_ean_13_with_symbology_identifier() -> None:
    result = decode("]E00036000291452")

    assert result.gtin == "00036000291452"
    assert "036000291452" in result.lookup_codes


def test_ean_8() -> None:
    result = decode("]E496385074")

    assert result.kind is BarcodeKind.EAN_UPC
    assert result.gtin == "00000096385074"
    assert result.lookup_codes[0] == "96385074"


def test_upc_e_is_also_looked_up_by_its_upc_a_expansion() -> None:
    result = decode("04252614")

    assert "042100005264" in result.lookup_codes


def test_gtin_14_digits() -> None:
    result = decode("10012345000017")

    assert (result.kind, result.gtin) == (BarcodeKind.EAN_UPC, "10012345000017")


def test_bad_check_digit_from_an_ean_symbol_is_an_error() -> None:
    result = decode("]E04006381333932")

    assert result.kind is BarcodeKind.EAN_UPC
    assert result.error is not None
    assert "check digit" in result.error


def test_digits_with_a_bad_check_digit_are_an_internal_code() -> None:
    # No EAN symbol decodes with a wrong check digit, so these digits came from a Code 128
    # shelf label or the keyboard.
    result = decode("4006381333932")

    assert result.kind is BarcodeKind.PLAIN
    assert result.lookup_codes == ("4006381333932",)
    assert result.error is None


# --- HIBC ------------------------------------------------------------------------------------


def test_published_hibc_check_character_example() -> None:
    # The worked example of the HIBC mod-43 check in scanner manuals: sum 145, remainder 16.
    assert hibc_check_character("+A123BJC5D6E71") == "G"


def test_hibc_check_character_rejects_foreign_characters() -> None:
    with pytest.raises(ValueError, match="HIBC character set"):
        hibc_check_character("+a123")


def test_hibc_whose_check_character_is_a_space_is_read_with_the_space_the_scanner_sent() -> None:
    data = "+O2200021531"
    assert hibc_check_character(data) == " "
    for sent in (data + " ", data + " \r", data + " \r\n", " " + data + " \n"):
        result = decode(sent)
        assert result.error is None, sent
        assert result.kind is BarcodeKind.HIBC
        assert "O2200021531" in result.lookup_codes
        assert "+O2200021531 " in result.lookup_codes  # as a catalogue may hold it
    # Without the space, or with another character, the check still fails: nothing is guessed.
    for sent in (data, data + "\r", data + "X ", data + "  "):
        assert decode(sent).error is not None, sent


def test_hibc_primary() -> None:
    result = decode("+A123BJC5D6E71G")

    assert result.kind is BarcodeKind.HIBC
    assert result.error is None
    assert result.lookup_codes == ("A123BJC5D6E71", "A123BJC5D6E7")
    assert result.gtin is None


def test_hibc_combined_with_julian_date_and_supplementary_fields() -> None:
    # Published example: $$5 means YYJJJ, then /16D production date and /S serial number.
    result = decode("+A99912345/$$52001510X3/16D20111212/S77DE1G45-")

    # The primary as printed on its own label comes last: a catalogue may hold that form.
    assert result.lookup_codes == ("A99912345", "A9991234", "+A999123457")
    assert result.expiry == date(2020, 1, 15)
    assert (result.lot, result.serial) == ("10X3", "77DE1G45")


@pytest.mark.parametrize(
    ("secondary", "expiry", "lot"),
    [
        ("$$0926BC34567", date(2026, 9, 30), "BC34567"),  # MMYY: end of the month
        ("$$2093026BC34567", date(2026, 9, 30), "BC34567"),  # MMDDYY
        ("$$3261231BC34567", date(2026, 12, 31), "BC34567"),  # YYMMDD
        ("$$426123114BC34567", date(2026, 12, 31), "BC34567"),  # YYMMDDHH
        ("$$526060BC34567", date(2026, 3, 1), "BC34567"),  # YYJJJ
        ("$$62606023BC34567", date(2026, 3, 1), "BC34567"),  # YYJJJHH
        ("$$7BC34567", None, "BC34567"),  # no date
        ("$BC34567", None, "BC34567"),  # lot only
        ("26060BC34567", date(2026, 3, 1), "BC34567"),  # old form: YYJJJ then lot
    ],
)
def test_hibc_secondary_date_formats(secondary: str, expiry: date | None, lot: str) -> None:
    result = decode(hibc(f"+A123BJC5D6E71/{secondary}"))

    assert result.error is None
    assert (result.expiry, result.lot) == (expiry, lot)
    assert result.lookup_codes[0] == "A123BJC5D6E71"


def test_hibc_quantity_and_serial_forms() -> None:
    with_quantity = decode(hibc("+A123BJC5D6E71/$$8243261231LOT9"))
    five_digit = decode(hibc("+A123BJC5D6E71/$$9001007LOT9"))
    serial = decode(hibc("+A123BJC5D6E71/$$+3261231SER1"))
    serial_only = decode(hibc("+A123BJC5D6E71/$+SER1"))

    assert (with_quantity.quantity, with_quantity.expiry) == (24, date(2026, 12, 31))
    assert (five_digit.quantity, five_digit.lot) == (100, "LOT9")
    assert (serial.serial, serial.lot, serial.expiry) == ("SER1", None, date(2026, 12, 31))
    assert serial_only.serial == "SER1"


def test_hibc_supplementary_expiry_14d() -> None:
    result = decode(hibc("+A123BJC5D6E71/$LOT1/14D20270315"))

    assert (result.lot, result.expiry) == ("LOT1", date(2027, 3, 15))


def test_hibc_standalone_secondary_has_no_lookup_codes() -> None:
    # Secondary barcode of a two-barcode label: data, link character "G", check character.
    result = decode(hibc("+$$3261231BC34567G"))

    assert result.kind is BarcodeKind.HIBC
    assert result.lookup_codes == ()
    assert (result.lot, result.expiry) == ("BC34567", date(2026, 12, 31))


def test_hibc_link_character_may_be_a_slash() -> None:
    result = decode(hibc("+$LOT7/"))

    assert result.lot == "LOT7"


def test_hibc_read_in_lower_case_by_a_caps_lock_scanner() -> None:
    result = decode("+a123bjc5d6e71g")

    assert result.lookup_codes == ("A123BJC5D6E71", "A123BJC5D6E7")


@pytest.mark.parametrize(
    "text",
    [
        "+A123BJC5D6E71H",  # wrong check character
        "+A123BJC5D6E71/$$3231231BC34567D",  # wrong check character on a combined code
    ],
)
def test_hibc_wrong_check_character(text: str) -> None:
    result = decode(text)

    assert result.kind is BarcodeKind.HIBC
    assert result.error is not None
    assert "check character" in result.error
    assert result.lookup_codes == ()


@pytest.mark.parametrize(
    "data",
    [
        "+1123BJC5D6E71",  # labeler code must start with a letter
        "+A12",  # too short for labeler, product and unit of measure
        "+A123BJC5D6E71/$$3261331LOT",  # month 13
        "+A123BJC5D6E71/$$5263670LOT",  # day 367 of the year
        "+A123BJC5D6E71/$$X",  # unknown date flag
        "+A123BJC5D6E71/$$812",  # quantity cut short
    ],
)
def test_hibc_malformed_content(data: str) -> None:
    result = decode(hibc(data))

    assert result.kind is BarcodeKind.HIBC
    assert result.error is not None


# --- plain codes -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["IMG-00123", "  IMG-00123\r", "10-4455", "A|B", "1234"])
def test_internal_codes_are_plain(text: str) -> None:
    result = decode(text, group_separator="|")

    assert result.kind is BarcodeKind.PLAIN
    assert result.lookup_codes == (text.strip(),)
    assert result.error is None


def test_empty_scan() -> None:
    result = decode(" \r\n")

    assert result.error == "Nothing was scanned."
    assert result.lookup_codes == ()


@given(st.text())
def test_decode_never_raises(text: str) -> None:
    result = decode_scan(text, today=TODAY)

    assert result.raw == text
    assert (result.error is None) or result.lookup_codes == ()


@given(st.text(alphabet="0123456789+$/()]dCEQ~\x1dABLOT", max_size=40))
def test_decode_never_raises_on_barcode_like_text(text: str) -> None:
    result = decode_scan(text, group_separator="~", today=TODAY)

    assert isinstance(result.kind, BarcodeKind)
    if result.gtin is not None:
        assert len(result.gtin) == 14
        assert result.gtin in result.lookup_codes


# --- gtin_variants and expiry helpers --------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "variants"),
    [
        ("09501101530003", ("09501101530003", "9501101530003")),
        ("9501101530003", ("09501101530003", "9501101530003")),
        ("036000291452", ("00036000291452", "0036000291452", "036000291452")),
        ("96385074", ("00000096385074", "0000096385074", "000096385074", "96385074")),
        ("19501101530000", ("19501101530000",)),
        ("09501101530004", ()),
        ("IMG-00123", ()),
        ("123", ()),
    ],
)
def test_gtin_variants(code: str, variants: tuple[str, ...]) -> None:
    assert gtin_variants(code) == variants


@given(st.integers(min_value=0, max_value=10**13 - 1))
def test_every_gtin_variant_maps_back_to_the_same_gtin_14(payload: int) -> None:
    body = f"{payload:013d}"
    check = (10 - sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(body)) % 10) % 10
    code = f"{body}{check}"

    variants = gtin_variants(code)

    assert variants[0] == code
    assert all(gtin_variants(v)[0] == code for v in variants)


def test_expiry_helpers() -> None:
    result = decode(f"01{GS1_GTIN}17250610")

    assert days_to_expiry(result, TODAY) == 9
    assert not is_expired(result, TODAY)
    assert not is_expired(result, date(2025, 6, 10))
    assert is_expired(result, date(2025, 6, 11))
    assert days_to_expiry(result, date(2025, 6, 12)) == -2


def test_expiry_helpers_without_expiry() -> None:
    result = decode("IMG-00123")

    assert days_to_expiry(result, TODAY) is None
    assert not is_expired(result, TODAY)


def test_hibc_combined_label_names_the_item_stored_as_its_printed_primary() -> None:
    primary = "+M4150000481"
    printed = primary + hibc_check_character(primary)  # as the demo catalogue stores it
    combined = f"{primary}/$$3301231LOTAB"
    combined += hibc_check_character(combined)

    result = decode_scan(combined, today=date(2026, 12, 7))

    assert printed in result.lookup_codes
    assert (result.lot, result.expiry) == ("LOTAB", date(2030, 12, 31))


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        (f"02{'09501101530003'}3712", 12),
        ("(02)09501101530003(37)12", 12),
        ("0109501101530003\x1d3024", 24),
    ],
)
def test_gs1_quantity_of_a_case_label(text: str, quantity: int) -> None:
    result = decode_scan(text)

    assert result.quantity == quantity
    assert result.gtin == "09501101530003"
