"""What the barcode decoders share: the group separator, the error they raise, two-digit years."""

from __future__ import annotations

from datetime import date

__all__ = ["GS", "Unreadable", "century_year", "printable"]

GS = "\x1d"
"""ASCII 29, the group separator scanners send for the GS1 FNC1 separator."""


class Unreadable(Exception):
    """A barcode of a known family whose content is malformed; the message is for the user."""


def printable(text: str) -> str:
    """`text` with the invisible group separator shown as <GS>."""
    return text.replace(GS, "<GS>")


def century_year(two_digit_year: int, today: date) -> int:
    """The full year for a two-digit year, from 49 years back to 50 years ahead of `today`."""
    century = today.year - today.year % 100
    difference = two_digit_year - today.year % 100
    if difference >= 51:
        return century - 100 + two_digit_year
    if difference <= -50:
        return century + 100 + two_digit_year
    return century + two_digit_year
