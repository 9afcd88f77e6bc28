"""Rebalancing stock between locations: expiring lots to where they are used in time, and
surplus above PAR to a shortage elsewhere; never taking a location below its own PAR."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from parstudio.domain.errors import ValidationError
from parstudio.domain.quantities import format_quantity

ZERO = Decimal(0)
ONE = Decimal(1)
DAYS_PER_WEEK = Decimal(7)


class MoveKind(StrEnum):
    """Why a move is suggested."""

    EXPIRING = "EXPIRING"
    SURPLUS = "SURPLUS"

    @property
    def label(self) -> str:
        """The reason as shown on screen."""
        return "Expiring lot" if self is MoveKind.EXPIRING else "Surplus to shortage"


@dataclass(frozen=True, slots=True)
class HeldLot:
    """A dated lot on hand at a location (from its latest count)."""

    lot: str | None
    expiry: date
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class Holding:
    """One item at one location, as the rebalance rule sees it.

    ``on_hand`` is None when the latest finished count is not an ON HAND count (or there is
    none): nothing is known of the shelf, so it is neither a source nor a destination.
    ``level`` is the PAR level (the Max of a MIN/MAX line). ``pack`` is what the location
    issues in when it is the source (a storeroom's issue pack; 1 unit otherwise).
    """

    setting_id: int
    location_id: int
    location_code: str
    item_id: int
    item_code: str
    description: str
    unit: str
    on_hand: Decimal | None
    level: Decimal | None
    weekly_usage: Decimal | None
    storeroom: bool = False
    pack: Decimal = ONE
    open_supply: Decimal = ZERO
    lots: tuple[HeldLot, ...] = ()
    counting: bool = False
    """A count is open at the location: its shelf is being counted, so it is left alone."""
    stale: bool = False
    """Stock moved (a receipt, order or transfer) since the latest count."""
    took: bool = False
    """It receives stock in this rebalance: it does not send any away."""
    gave: bool = False
    """It sends stock away in this rebalance: it does not receive any."""

    @property
    def daily_usage(self) -> Decimal:
        """Units used a day (0 when no weekly usage is known)."""
        return (self.weekly_usage or ZERO) / DAYS_PER_WEEK

    @property
    def usable(self) -> bool:
        """Whether its shelf is known well enough to move stock from or to it."""
        return self.on_hand is not None and not self.counting and not self.stale

    @property
    def room_above_par(self) -> Decimal:
        """What can leave without taking the location below its own PAR (0 without a PAR)."""
        if self.on_hand is None or self.level is None:
            return ZERO
        return max(self.on_hand - self.level, ZERO)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested move of an item from one location to another, with its reasons."""

    kind: MoveKind
    item_id: int
    item_code: str
    description: str
    unit: str
    source_setting_id: int
    source_location_id: int
    source_code: str
    destination_setting_id: int
    destination_location_id: int
    destination_code: str
    quantity: Decimal
    """Units to move: a whole number of ``pack``."""
    pack: Decimal
    explanation: str
    lot: str | None = None
    expiry: date | None = None

    @property
    def packs(self) -> int:
        """Packs to pick."""
        return int(self.quantity / self.pack)


@dataclass(frozen=True, slots=True)
class SurplusOffer:
    """Stock above PAR at another location that could fill a line instead of a supplier."""

    source_setting_id: int
    source_location_id: int
    source_code: str
    units: Decimal
    """Whole units above the source's PAR (what can go without taking it below PAR)."""

    def note(self, unit: str) -> str:
        """The attention note on the proposal line."""
        return (
            f"{self.source_code} has {_q(self.units)} {unit} above PAR: "
            "Rebalance can move them (or take them instead on this line)"
        )


def surplus_offers(holdings: Iterable[Holding]) -> dict[int, list[SurplusOffer]]:
    """Per item, the PAR locations holding whole units above their PAR, the most first.

    Storerooms are left out (they already supply by transfer), and so is any location whose
    shelf is not known well enough to move stock from (being counted, stale, not on hand).
    """
    offers: dict[int, list[SurplusOffer]] = defaultdict(list)
    for held in holdings:
        units = _whole(held.room_above_par, ONE)
        if held.usable and not held.storeroom and units > 0:
            offers[held.item_id].append(
                SurplusOffer(held.setting_id, held.location_id, held.location_code, units)
            )
    for found in offers.values():
        found.sort(key=lambda offer: (-offer.units, offer.source_code))
    return dict(offers)


@dataclass(frozen=True, slots=True)
class Rebalance:
    """The suggestions, and notes on what was left out and why."""

    suggestions: tuple[Suggestion, ...]
    notes: tuple[str, ...] = field(default=())


def day_text(day: date) -> str:
    """A date as the explanations write it: 20 Dec 2026."""
    return f"{day.day} {day:%b %Y}"


def _q(value: Decimal) -> str:
    return format_quantity(value.quantize(Decimal("0.1")) if value % 1 else value)


def _whole(quantity: Decimal, pack: Decimal) -> Decimal:
    """The most whole packs within ``quantity``, in units (whole units for a pack of 1)."""
    if quantity <= 0 or pack <= 0:
        return ZERO
    return (quantity // pack) * pack


def suggest_moves(holdings: Iterable[Holding], *, today: date) -> Rebalance:
    """Moves for every item: expiring lots first, then surplus to shortage."""
    by_item: dict[int, list[Holding]] = defaultdict(list)
    for holding in holdings:
        by_item[holding.item_id].append(holding)
    suggestions: list[Suggestion] = []
    notes: list[str] = []
    counting = sorted({h.location_code for hs in by_item.values() for h in hs if h.counting})
    for code in counting:
        notes.append(
            f"{code} is being counted (a count is open there): it is neither a source nor a "
            "destination until the count is finished."
        )
    for item_id in sorted(by_item, key=lambda i: by_item[i][0].item_code):
        places = {h.setting_id: h for h in by_item[item_id]}
        moves, item_notes = _expiring_moves(places, today)
        suggestions += moves
        notes += item_notes
        suggestions += _surplus_moves(places)
    return Rebalance(tuple(suggestions), tuple(notes))


def _expiring_moves(places: dict[int, Holding], today: date) -> tuple[list[Suggestion], list[str]]:
    """Lots a location will not use before they expire, to locations that will."""
    moves: list[Suggestion] = []
    notes: list[str] = []
    sources = sorted(
        (h for h in places.values() if h.usable and h.lots),
        key=lambda h: (min(lot.expiry for lot in h.lots), h.location_code),
    )
    for first in sources:
        source = places[first.setting_id]
        if source.took:
            continue
        used_before = ZERO  # sooner lots are used first (first expiry, first out)
        for lot in sorted(source.lots, key=lambda lot: (lot.expiry, lot.lot or "")):
            days = (lot.expiry - today).days
            if days <= 0:
                continue  # expired (or expiring today): there is no time to move it
            uses = source.daily_usage * days
            own_use = min(lot.quantity, max(uses - used_before, ZERO))
            used_before += lot.quantity
            wasted = lot.quantity - own_use
            movable = min(_whole(wasted, source.pack), _whole(source.room_above_par, source.pack))
            if movable <= 0:
                continue
            lead = (
                f"{source.location_code} has {_q(lot.quantity)} of lot {lot.lot or '(no lot)'} "
                f"expiring {day_text(lot.expiry)}; it uses {_q(source.daily_usage)} a day, so "
                f"{_q(wasted)} would expire"
            )
            if movable < _whole(wasted, source.pack):
                lead += (
                    f" (only {_q(movable)} can go without taking it below its PAR of "
                    f"{_q(source.level or ZERO)})"
                )
            left = movable
            for dest in _takers(places, source, days):
                room = _whole(dest.daily_usage * days - (dest.on_hand or ZERO), source.pack)
                quantity = min(left, room)
                if quantity <= 0:
                    continue
                used_by = today.toordinal() + int(
                    ((dest.on_hand or ZERO) + quantity) / dest.daily_usage
                )
                words = (
                    f"{lead}; {dest.location_code} uses {_q(dest.daily_usage)} a day and has "
                    f"{_q(dest.on_hand or ZERO)} on hand, so it uses {_q(quantity)} more by "
                    f"{day_text(date.fromordinal(min(used_by, lot.expiry.toordinal())))}: "
                    f"move {_q(quantity)} {source.unit}."
                )
                moves.append(_suggestion(MoveKind.EXPIRING, source, dest, quantity, words, lot))
                places[source.setting_id] = source = _moved(source, -quantity)
                places[dest.setting_id] = _moved(dest, quantity)
                left -= quantity
                if left <= 0:
                    break
            if left > 0:
                notes.append(
                    f"{lead}; no other location uses {_q(left)} {source.unit} of "
                    f"{source.item_code} before {day_text(lot.expiry)}."
                )
    return moves, notes


def _takers(places: dict[int, Holding], source: Holding, days: int) -> list[Holding]:
    """Locations that will use stock before it expires, the one that starts using it first
    (the fewest days of its own stock ahead of it) first."""
    takers = [
        h
        for h in places.values()
        if h.setting_id != source.setting_id
        and h.location_id != source.location_id
        and h.usable
        and not h.storeroom
        and not h.gave
        and h.daily_usage > 0
        and h.daily_usage * days > (h.on_hand or ZERO)
    ]
    return sorted(takers, key=lambda h: ((h.on_hand or ZERO) / h.daily_usage, h.location_code))


def _surplus_moves(places: dict[int, Holding]) -> list[Suggestion]:
    """Surplus above PAR at one location to a shortage below PAR at another."""
    moves: list[Suggestion] = []
    sources = sorted(
        (h for h in places.values() if h.usable and not h.took and h.room_above_par > 0),
        key=lambda h: (-h.room_above_par, h.location_code),
    )
    for first in sources:
        for dest in sorted(
            (h for h in places.values() if _short(h) > 0 and h.location_id != first.location_id),
            key=lambda h: (-_short(h), h.location_code),
        ):
            source = places[first.setting_id]
            dest = places[dest.setting_id]
            quantity = _whole(min(source.room_above_par, _short(dest)), source.pack)
            if quantity <= 0:
                continue
            on_order = f", {_q(dest.open_supply)} on order" if dest.open_supply else ""
            after = " after the moves above" if source.gave or dest.took else ""
            packs = f" in packs of {_q(source.pack)}" if source.pack != ONE else ""
            words = (
                f"{source.location_code} has {_q(source.on_hand or ZERO)} on hand{after}, "
                f"{_q(source.room_above_par)} above its PAR of {_q(source.level or ZERO)}; "
                f"{dest.location_code} has {_q(dest.on_hand or ZERO)}{on_order}, "
                f"{_q(_short(dest))} below its PAR of {_q(dest.level or ZERO)}: "
                f"move {_q(quantity)} {source.unit}{packs}."
            )
            moves.append(_suggestion(MoveKind.SURPLUS, source, dest, quantity, words, None))
            places[source.setting_id] = _moved(source, -quantity)
            places[dest.setting_id] = _moved(dest, quantity)
    return moves


def _short(holding: Holding) -> Decimal:
    """Units a PAR location is below its PAR, counting what is on order (0 if not short)."""
    if not holding.usable or holding.storeroom or holding.gave or holding.level is None:
        return ZERO
    return max(holding.level - (holding.on_hand or ZERO) - holding.open_supply, ZERO)


def _moved(holding: Holding, quantity: Decimal) -> Holding:
    return replace(
        holding,
        on_hand=(holding.on_hand or ZERO) + quantity,
        took=holding.took or quantity > 0,
        gave=holding.gave or quantity < 0,
    )


def _suggestion(
    kind: MoveKind,
    source: Holding,
    dest: Holding,
    quantity: Decimal,
    words: str,
    lot: HeldLot | None,
) -> Suggestion:
    return Suggestion(
        kind=kind,
        item_id=source.item_id,
        item_code=source.item_code,
        description=source.description,
        unit=source.unit,
        source_setting_id=source.setting_id,
        source_location_id=source.location_id,
        source_code=source.location_code,
        destination_setting_id=dest.setting_id,
        destination_location_id=dest.location_id,
        destination_code=dest.location_code,
        quantity=quantity,
        pack=source.pack,
        explanation=words,
        lot=lot.lot if lot else None,
        expiry=lot.expiry if lot else None,
    )


def check_accepted(suggestion: Suggestion, quantity: Decimal) -> str | None:
    """Why a quantity typed for a suggestion is refused (None if it is fine)."""
    if quantity < 0:
        return "A quantity to move cannot be negative."
    if quantity > suggestion.quantity:
        return (
            f"{suggestion.item_code} to {suggestion.destination_code}: at most "
            f"{_q(suggestion.quantity)} {suggestion.unit} can move (more would take "
            f"{suggestion.source_code} below its PAR or past what is needed)."
        )
    if quantity % suggestion.pack:
        return (
            f"{suggestion.item_code} moves from {suggestion.source_code} in whole packs of "
            f"{_q(suggestion.pack)} {suggestion.unit}."
        )
    return None


def group_by_pair(
    accepted: Sequence[tuple[Suggestion, Decimal]],
) -> dict[tuple[int, int], list[tuple[Suggestion, Decimal]]]:
    """Accepted moves (with their quantities) per source → destination pair, zeros left out."""
    pairs: dict[tuple[int, int], list[tuple[Suggestion, Decimal]]] = defaultdict(list)
    for suggestion, quantity in accepted:
        if quantity > 0:
            pairs[(suggestion.source_location_id, suggestion.destination_location_id)].append(
                (suggestion, quantity)
            )
    return dict(pairs)


def parse_quantity(text: str, suggestion: Suggestion) -> Decimal:
    """A quantity typed for a suggestion, refused with a reason when it cannot be kept."""
    try:
        value = Decimal(text.strip() or "0")
    except ArithmeticError:
        raise ValidationError(f"“{text}” is not a quantity.", field="quantity") from None
    if not value.is_finite():
        raise ValidationError(f"“{text}” is not a quantity.", field="quantity")
    problem = check_accepted(suggestion, value)
    if problem is not None:
        raise ValidationError(problem, field="quantity")
    return value
