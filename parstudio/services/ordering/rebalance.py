"""Rebalance: suggested moves between locations, and accepting them as transfers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from parstudio.domain.errors import PermissionDenied, ValidationError
from parstudio.domain.orders import OrderKind, OrderRecord, OrderStatus
from parstudio.domain.rebalance import (
    Rebalance,
    Suggestion,
    check_accepted,
    group_by_pair,
    suggest_moves,
)
from parstudio.domain.roles import Action, refusal
from parstudio.models import Item, Location, Order, OrderLine, ParSetting
from parstudio.services.core.database import Database
from parstudio.services.core.store import get_or_raise, writing
from parstudio.services.ordering.across import read_places, refuse_below_par
from parstudio.services.ordering.order_records import load_order
from parstudio.services.ordering.orders import expected_delivery, next_number
from parstudio.services.ordering.shelf_paper import location_ids_by_code

REBALANCE_NOTE = "Rebalance: stock moved between PAR locations"
"""The start of a rebalance transfer's notes (how it is told from a storeroom run)."""


def rebalance_suggestions(
    db: Database,
    *,
    location_codes: Sequence[str] | None = None,
    today: date | None = None,
) -> Rebalance:
    """Suggested moves among the chosen (or all) locations, from their latest counts."""
    day = today or date.today()
    with db.reading() as session:
        ids = location_ids_by_code(session, location_codes) if location_codes else None
        places = read_places(session, location_ids=ids, today=day)
    return suggest_moves([place.holding for place in places], today=day)


def accept_moves(
    db: Database,
    *,
    accepted: Sequence[tuple[Suggestion, Decimal]],
    order_date: date | None = None,
) -> list[OrderRecord]:
    """Turn accepted suggestions (each with the quantity kept, at most the suggested one) into
    draft transfers: one per source → destination pair, with the lot to pick on each line.

    Only a manager creates orders, as when approving a proposal. The suggestions are checked
    against the database again: a location counted, or stock moved, since they were made is
    refused with a word to make them again.
    """
    refuse_unless_manager(db)
    for suggestion, quantity in accepted:
        problem = check_accepted(suggestion, quantity)
        if problem is not None:
            raise ValidationError(problem, field="quantity")
    pairs = group_by_pair(accepted)
    if not pairs:
        raise ValidationError("There is nothing to move: every quantity is 0.")
    day = order_date or date.today()
    taken: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for moves in pairs.values():
        for suggestion, quantity in moves:
            taken[(suggestion.source_location_id, suggestion.item_id)] += quantity
    arriving = {(s.destination_location_id, s.item_id) for s, _q in accepted}
    with writing(db) as session:
        refuse_below_par(session, taken, today=day, destinations=arriving)
        created = [
            _transfer(session, db.user_name, source, dest, moves, day)
            for (source, dest), moves in sorted(pairs.items())
        ]
        session.flush()
        return [load_order(session, order.id) for order in created]


def refuse_unless_manager(db: Database) -> None:
    """Refuse someone who may not create orders (a manager's job, as approving a proposal)."""
    reason = refusal(db.role, "purchase_order", Action.INSERT)
    if reason is not None:
        raise PermissionDenied(reason)


def _transfer(
    session: Session,
    user: str,
    source_id: int,
    destination_id: int,
    moves: Sequence[tuple[Suggestion, Decimal]],
    day: date,
) -> Order:
    source = get_or_raise(session, Location, source_id, "location")
    destination = get_or_raise(session, Location, destination_id, "location")
    lots = sorted({s.lot for s, _q in moves if s.lot})
    notes = f"{REBALANCE_NOTE}, from {source.code} to {destination.code}."
    if lots:
        notes += f" Expiring lot{'s' if len(lots) > 1 else ''} {', '.join(lots)}."
    order = Order(
        number=next_number(session, f"TR-{day.year}-"),
        kind=OrderKind.TRANSFER.value,
        supplier_id=None,
        source_location_id=source.id,
        status=OrderStatus.DRAFT.value,
        order_date=day,
        expected_date=expected_delivery(day, 0, destination.delivery_weekdays),
        approved_by=user,
        updated_by=user,
        notes=notes,
    )
    session.add(order)
    session.flush()
    for suggestion, quantity in moves:
        item = get_or_raise(session, Item, suggestion.item_id, "item")
        setting = get_or_raise(session, ParSetting, suggestion.destination_setting_id, "setting")
        packs = int(quantity / suggestion.pack)
        price = None if item.pack_price is None else item.pack_price / item.pack_size
        session.add(
            OrderLine(
                order_id=order.id,
                par_setting_id=setting.id,
                location_id=setting.location_id,
                item_id=item.id,
                packs=packs,
                proposed_packs=suggestion.packs,
                pack_size=suggestion.pack,
                pack_price=None if price is None else price * suggestion.pack,
                explanation=suggestion.explanation,
                lot=suggestion.lot,
                expiry=suggestion.expiry,
                overridden_by=user if packs != suggestion.packs else None,
            )
        )
    return order
