"""Plain records of the printed paper: order sheets, pick lists, count sheets and labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from parstudio.domain.enums import CountType
from parstudio.domain.errors import ValidationError
from parstudio.domain.money import Currency


class PaperSize(StrEnum):
    """The sheet every document but the single-label printer is laid out on."""

    A4 = "a4"
    LETTER = "letter"

    @classmethod
    def parse(cls, text: str) -> PaperSize:
        """A paper size from its name (a4, letter), case-insensitively."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValidationError(
                f"Unknown paper size “{text}”: use a4 or letter.", field="paper"
            ) from None


class BarcodeSymbology(StrEnum):
    """How a label's or count sheet's code is printed."""

    CODE128 = "code128"
    QR = "qr"

    @classmethod
    def parse(cls, text: str) -> BarcodeSymbology:
        """A symbology from its name (code128, qr), case-insensitively."""
        try:
            return cls(text.strip().lower().replace(" ", ""))
        except ValueError:
            raise ValidationError(
                f"Unknown barcode “{text}”: use code128 or qr.", field="barcode"
            ) from None


class LabelStock(StrEnum):
    """The label stock: a sheet of labels on the office printer, or one label at a time."""

    SHEET_3X10 = "3x10"
    SINGLE_2X1 = "2x1in"

    @classmethod
    def parse(cls, text: str) -> LabelStock:
        """A label stock from its name (3x10, 2x1in), case-insensitively."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValidationError(
                f"Unknown label stock “{text}”: use 3x10 or 2x1in.", field="labels"
            ) from None

    @property
    def display_name(self) -> str:
        """How the stock is named to users."""
        return "3 × 10 labels per sheet" if self is LabelStock.SHEET_3X10 else "Single 2 × 1 in"


@dataclass(frozen=True, slots=True)
class PartyAddress:
    """Who a document is from or for: a name and the lines of an address."""

    name: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OrderSheetLine:
    """One line of an order sheet."""

    item_code: str
    supplier_item_no: str
    description: str
    unit: str
    pack_size: Decimal
    packs: int
    pack_price: Decimal | None
    location_code: str = ""

    @property
    def total(self) -> Decimal | None:
        """Packs × pack price, when the price is known."""
        return None if self.pack_price is None else self.pack_price * self.packs


@dataclass(frozen=True, slots=True)
class OrderSheet:
    """A purchase order as it is printed for the supplier."""

    number: str
    order_date: date
    expected_date: date | None
    department: PartyAddress
    supplier: PartyAddress
    supplier_code: str
    supplier_account: str | None
    lines: tuple[OrderSheetLine, ...]
    approved_by: str | None = None
    """The name of the person who approved the order (their login if the account is gone)."""
    status: str = "DRAFT"
    notes: str | None = None
    currency: Currency = field(default_factory=Currency)

    @property
    def total(self) -> Decimal:
        """The order total, over the lines with a price."""
        return sum((line.total or Decimal(0) for line in self.lines), Decimal(0))

    @property
    def unpriced_lines(self) -> int:
        """Lines without a pack price (left out of the totals)."""
        return sum(1 for line in self.lines if line.pack_price is None)


@dataclass(frozen=True, slots=True)
class PickLine:
    """One item to take from a storeroom bin for one destination."""

    bin: str
    item_code: str
    description: str
    unit: str
    pack_size: Decimal
    packs: int
    lot: str | None = None
    """The lot to pick, when the line moves one lot (a rebalance of expiring stock)."""
    expiry: date | None = None

    @property
    def lot_text(self) -> str:
        """The lot to pick in words ("" when any lot will do)."""
        if self.lot is None and self.expiry is None:
            return ""
        text = f"lot {self.lot}" if self.lot else "the lot"
        return text + (f", exp {self.expiry.isoformat()}" if self.expiry else "")

    @property
    def units(self) -> Decimal:
        """Units to pick."""
        return self.pack_size * self.packs


@dataclass(frozen=True, slots=True)
class PickGroup:
    """The lines going to one destination PAR location, in the storeroom's bin order."""

    location_code: str
    location_name: str
    lines: tuple[PickLine, ...]


@dataclass(frozen=True, slots=True)
class PickList:
    """A storeroom run: what to pick, by destination, in the order the bins are walked."""

    number: str
    storeroom_code: str
    storeroom_name: str
    department: str
    order_date: date
    expected_date: date | None
    groups: tuple[PickGroup, ...]
    notes: str | None = None

    @property
    def line_count(self) -> int:
        """Lines on the list."""
        return sum(len(group.lines) for group in self.groups)


@dataclass(frozen=True, slots=True)
class CountSheetLine:
    """One item to count at a location; expected is None when the count is blind."""

    bin: str
    item_code: str
    description: str
    unit: str
    count_type: CountType
    expected: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CountSheet:
    """A paper count of one location, in bin order."""

    location_code: str
    location_name: str
    department: str
    blind: bool
    lines: tuple[CountSheetLine, ...]


@dataclass(frozen=True, slots=True)
class Label:
    """One label: a big code, a description, small facts, and the value its barcode carries."""

    code: str
    description: str
    facts: tuple[str, ...] = ()
    barcode_value: str = ""


class PrintKind(StrEnum):
    """What `parstudio print` makes."""

    ORDER_SHEETS = "order-sheets"
    PICK_LISTS = "pick-lists"
    COUNT_SHEETS = "count-sheets"
    LABELS = "labels"
    CONSIGNMENT_USAGE = "consignment-usage"
    QUARTERLY_REVIEW = "quarterly-review"


@dataclass(frozen=True, slots=True)
class PrintOptions:
    """The user's printing choices: paper, label stock and barcode."""

    paper: PaperSize = PaperSize.A4
    stock: LabelStock = LabelStock.SHEET_3X10
    symbology: BarcodeSymbology = BarcodeSymbology.CODE128


@dataclass(frozen=True, slots=True)
class PrintedDocument:
    """A finished PDF: its bytes, a title for the preview and a file name to save it under."""

    title: str
    filename: str
    pdf: bytes
    pages: int = 0
