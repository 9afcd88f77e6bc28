"""Plain records of proposals and orders, as services hand them to screens, reports and files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from parstudio.domain.enums import CountType, Method
from parstudio.domain.rebalance import SurplusOffer
from parstudio.domain.replenishment import LineStatus


class OrderKind(StrEnum):
    """Where an order goes: a purchase from a supplier or a transfer from a storeroom."""

    PURCHASE = "PURCHASE"
    TRANSFER = "TRANSFER"


class OrderStatus(StrEnum):
    """Where an order is in its life."""

    DRAFT = "DRAFT"
    SENT = "SENT"
    PARTIAL = "PARTIAL"
    RECEIVED = "RECEIVED"
    CANCELLED = "CANCELLED"


OPEN_STATUSES = (OrderStatus.DRAFT, OrderStatus.SENT, OrderStatus.PARTIAL)


# Not frozen, for the same reason as the engine's records (replenishment.py).
@dataclass(slots=True)
class ProposalLine:
    """One PAR setting's proposed order, with the numbers and the words that explain them."""

    setting_id: int
    location_id: int
    location_code: str
    item_id: int
    item_code: str
    description: str
    unit: str
    pack_size: Decimal
    pack_price: Decimal | None
    bin: str | None
    method: Method
    count_type: CountType
    status: LineStatus
    on_hand: Decimal | None
    counted_at: datetime | None
    count_line_id: int | None
    need: Decimal
    packs: int
    units: Decimal
    explained: str | Callable[[], str] = field(repr=False, compare=False)
    """The explanation, or what words it when first read (see ``explanation``)."""
    warnings: tuple[str, ...] = ()
    reason: str | None = None
    source_kind: OrderKind | None = None
    source_code: str | None = None
    already_ordered: str | None = None
    counted_by: str | None = None
    offers: tuple[SurplusOffer, ...] = ()
    """Surplus above PAR at other PAR locations (when the proposal setting offers it)."""

    @property
    def cost(self) -> Decimal | None:
        """Packs × pack price, when the price is known."""
        return None if self.pack_price is None else (self.pack_price * self.packs)

    @property
    def explanation(self) -> str:
        """How the quantity was worked out, in the office's words.

        A proposal of 100,000 lines is read a screenful at a time: the words are worked out
        when a line's explanation is first read (shown, exported, printed, approved) and kept.
        """
        explained = self.explained
        if not isinstance(explained, str):
            explained = self.explained = explained()
        return explained

    @explanation.setter
    def explanation(self, text: str) -> None:
        self.explained = text


@dataclass(frozen=True, slots=True)
class Proposal:
    """What the engine proposes for the chosen locations, sorted into what needs attention."""

    lines: tuple[ProposalLine, ...]
    location_codes: tuple[str, ...] = ()

    @property
    def to_order(self) -> tuple[ProposalLine, ...]:
        """Lines with something to order."""
        return tuple(line for line in self.lines if line.status is LineStatus.ORDER)

    @property
    def missing_count(self) -> tuple[ProposalLine, ...]:
        """Lines that cannot be proposed because they have no count at all (or are not counted)."""
        return tuple(line for line in self.lines if line.status is LineStatus.MISSING_COUNT)

    @property
    def stale_count(self) -> tuple[ProposalLine, ...]:
        """Lines whose latest count is older than their latest receipt, order or transfer."""
        return tuple(line for line in self.lines if line.status is LineStatus.STALE_COUNT)

    @property
    def already_ordered(self) -> tuple[ProposalLine, ...]:
        """Lines whose latest count was already ordered from: for information only."""
        return tuple(line for line in self.lines if line.status is LineStatus.ALREADY_ORDERED)

    @property
    def needs_attention(self) -> tuple[ProposalLine, ...]:
        """Lines a person must act on: stale or missing counts, settings that cannot compute."""
        return tuple(line for line in self.lines if line.status.needs_a_person)

    @property
    def invalid(self) -> tuple[ProposalLine, ...]:
        """Settings that cannot be computed, with their reason."""
        return tuple(line for line in self.lines if line.status is LineStatus.INVALID)

    @property
    def total_cost(self) -> Decimal:
        """What the lines to order cost, where prices are known."""
        return sum((line.cost or Decimal(0) for line in self.to_order), Decimal(0))

    def as_proposed(self) -> list[ApprovedLine]:
        """The lines to order approved as proposed (no one changed a quantity)."""
        return [
            ApprovedLine(
                setting_id=line.setting_id,
                packs=line.packs,
                proposed_packs=line.packs,
                count_line_id=line.count_line_id,
                explanation=line.explanation,
            )
            for line in self.to_order
        ]


@dataclass(frozen=True, slots=True)
class ApprovedLine:
    """A proposal line as a person approved it (packs possibly changed)."""

    setting_id: int
    packs: int
    proposed_packs: int
    count_line_id: int | None = None
    explanation: str = ""
    from_location_id: int | None = None
    """Taken from another PAR location's surplus instead (a transfer from there, in units)."""

    @property
    def overridden(self) -> bool:
        """Whether the person changed the proposed quantity."""
        return self.packs != self.proposed_packs


@dataclass(frozen=True, slots=True)
class OrderLineRecord:
    """One line of an order."""

    id: int
    location_code: str
    item_id: int
    item_code: str
    description: str
    unit: str
    supplier_item_no: str | None
    bin: str | None
    packs: int
    proposed_packs: int
    pack_size: Decimal
    pack_price: Decimal | None
    received_units: Decimal
    explanation: str | None
    overridden_by: str | None
    serial_tracked: bool = False
    """Received one serial per unit (implants, equipment)."""
    lot: str | None = None
    """The lot to pick, when the line moves one lot (a rebalance)."""
    expiry: date | None = None

    @property
    def units(self) -> Decimal:
        """Units ordered."""
        return self.pack_size * self.packs

    @property
    def total(self) -> Decimal | None:
        """Packs × pack price."""
        return None if self.pack_price is None else self.pack_price * self.packs

    @property
    def outstanding_units(self) -> Decimal:
        """Units not yet received."""
        return max(self.units - self.received_units, Decimal(0))


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """An order with its header and (when loaded) its lines."""

    id: int
    number: str
    kind: OrderKind
    status: OrderStatus
    order_date: date
    expected_date: date | None
    source_code: str
    source_name: str
    approved_by: str | None
    line_count: int
    total: Decimal
    version: int
    lines: tuple[OrderLineRecord, ...] = field(default=())
    supplier_account: str | None = None
    notes: str | None = None
    rush: bool = False
    """Placed outside the delivery schedule, as marked when approved or later."""
