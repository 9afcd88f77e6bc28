"""Approving the current proposal as it stands: the scheduled weekly run, without a window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from parstudio.domain.errors import PermissionDenied
from parstudio.domain.orders import OrderRecord, Proposal
from parstudio.domain.roles import Action, refusal
from parstudio.services.core.database import Database
from parstudio.services.ordering.orders import approve_lines
from parstudio.services.ordering.proposals import propose_orders
from parstudio.services.ordering.shelf_paper import location_ids_by_code


@dataclass(frozen=True, slots=True)
class ApprovalRun:
    """What approving the proposal made (or, in a dry run, would make)."""

    proposal: Proposal
    orders: tuple[OrderRecord, ...] = ()
    dry_run: bool = False


def approve_proposal(
    db: Database,
    *,
    location_codes: Sequence[str] | None = None,
    dry_run: bool = False,
    order_date: date | None = None,
) -> ApprovalRun:
    """Turn every line the proposal orders into draft orders, as the Approve button does.

    Lines are approved as proposed (no one changed a quantity). A second run finds each count
    already ordered and creates nothing; nothing to order is not an error.
    """
    if not dry_run:
        reason = refusal(db.role, "purchase_order", Action.INSERT)
        if reason is not None:
            raise PermissionDenied(reason)
    ids = None
    if location_codes:
        with db.reading() as session:
            ids = location_ids_by_code(session, location_codes)
    proposal = propose_orders(db, location_ids=ids, on=order_date)
    lines = proposal.as_proposed()
    if dry_run or not lines:
        return ApprovalRun(proposal=proposal, dry_run=dry_run)
    created = approve_lines(db, lines=lines, order_date=order_date)
    return ApprovalRun(proposal=proposal, orders=tuple(created))
