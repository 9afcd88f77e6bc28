"""What a scan of an item does to its line on the count sheet: one rule, one table.

The table in docs/counting.md ("What a scan does") is this function; tests/domain/
test_scan_effect.py checks it row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from parstudio.domain.enums import CountType

__all__ = ["ScanEffect", "adds_one_here", "scan_effect"]

_ONE = Decimal(1)


def adds_one_here(location_adds_one: bool, workstation: bool | None) -> bool:
    """Whether a scan of an ON HAND item adds to its line: this computer's choice (scanner
    settings), when it made one, over the location's."""
    return location_adds_one if workstation is None else workstation


@dataclass(frozen=True)
class ScanEffect:
    """How a scan changes a line, and what the count screen says about it.

    `add` is added to what the line holds; `set_to` replaces it; neither leaves it as it is.
    `message` is None when the message is the line's new quantity (e.g. "SYR-10 …: 5 EA").
    """

    add: Decimal | None = None
    set_to: Decimal | None = None
    needs_quantity: bool = False
    message: str | None = None
    note: str = ""
    """Said after the new quantity, e.g. "(+12: the label's quantity)"."""

    def apply(self, before: Decimal | None) -> Decimal | None:
        """The line's quantity after the scan, from what it held before (None: nothing yet)."""
        if self.set_to is not None:
            return self.set_to
        if self.add is not None:
            return (before or Decimal(0)) + self.add
        return before


def scan_effect(
    count_type: str,
    *,
    adds_one: bool,
    flagged: bool,
    units: int | None = None,
    keyed: int | None = None,
    name: str,
) -> ScanEffect:
    """What a scan of the item `name` does to its line.

    `count_type` is the line's count type, `adds_one` the location's "a scan adds one" after
    any workstation override (`adds_one_here`), `flagged` whether the scanned lot is expired
    or recalled, `units` the quantity the label itself carries (GS1 AI 30 or 37, HIBC), if any,
    and `keyed` a quantity keyed in on a handheld scanner with the scan (a batch file's
    `barcode,quantity`): it is how many are on the shelf, or how many to order.
    """
    if count_type == CountType.NOT_COUNTED:
        return ScanEffect(
            message=f"{name} is not counted at this location (count type NOT COUNTED)."
        )
    if count_type == CountType.ORDER_PAR:
        # The empty bin, however often scanned (a flagged unit is still an empty bin).
        return ScanEffect(set_to=_ONE, message=f"{name}: empty bin recorded.")
    if count_type == CountType.ORDER_QTY and keyed is not None:
        return ScanEffect(set_to=Decimal(keyed), note="(to order, keyed on the handheld)")
    if count_type == CountType.ORDER_QTY:
        return ScanEffect(
            needs_quantity=True, message=f"{name}: type the quantity to order, then press Enter."
        )
    if flagged and keyed is not None:
        return ScanEffect(message=f"{name}: not counted.")
    if keyed is not None:
        return ScanEffect(add=Decimal(keyed), note=f"(+{keyed} keyed on the handheld)")
    if not adds_one:
        return ScanEffect(
            needs_quantity=True,
            message=f"{name}: type the quantity on the shelf, then press Enter.",
        )
    if flagged:
        return ScanEffect(message=f"{name}: not counted.")
    if units is not None and units > 1:
        return ScanEffect(add=Decimal(units), note=f"(+{units}: the label's quantity)")
    return ScanEffect(add=_ONE)
