"""The ordering commands: approve (the scheduled weekly run) and the database's currency."""

from __future__ import annotations

import argparse
from decimal import Decimal

from parstudio.cli.options import opened


def cmd_approve(args: argparse.Namespace) -> int:
    from parstudio.services.core.settings import get_currency
    from parstudio.services.ordering.approval import approve_proposal

    with opened(args) as db:
        run = approve_proposal(db, location_codes=args.location, dry_run=args.dry_run)
        money = get_currency(db).amount
    proposal = run.proposal
    to_order = proposal.to_order
    if not to_order:
        print("Nothing to approve: no line of the proposal orders anything.")
    elif run.dry_run:
        groups: dict[tuple[str, str], list[Decimal]] = {}
        for line in to_order:
            kind = line.source_kind.value.lower() if line.source_kind else "no source"
            groups.setdefault((kind, line.source_code or "—"), []).append(line.cost or Decimal(0))
        print(f"Dry run: would approve {len(to_order)} lines into {len(groups)} orders:")
        for (kind, source), costs in sorted(groups.items()):
            total = money(sum(costs, Decimal(0)))
            print(f"  {kind:<9} {source:<14} {len(costs):>4} lines  {total:>14}")
        print("Nothing was saved.")
    else:
        print(f"Approved {len(to_order)} lines into {len(run.orders)} draft orders:")
        for order in run.orders:
            print(
                f"  {order.number:<15} {order.kind.value.lower():<9} {order.source_code:<14}"
                f" {order.line_count:>4} lines  {money(order.total):>14}"
                f"  deliver by {order.expected_date or '—'}"
            )
    attention = [
        (len(proposal.stale_count), "need a new count"),
        (len(proposal.missing_count), "missing a count"),
        (len(proposal.invalid), "cannot be computed"),
    ]
    waiting = [f"{n} {words}" for n, words in attention if n]
    if waiting:
        print(f"Needs attention (not ordered): {', '.join(waiting)}.")
    if proposal.already_ordered:
        print(f"Already ordered since their count: {len(proposal.already_ordered)} lines.")
    return 0


def cmd_currency(args: argparse.Namespace) -> int:
    from parstudio.services.core.settings import get_currency, set_currency

    with opened(args) as db:
        if args.code:
            currency = set_currency(db, code=args.code, symbol=args.symbol)
            print(f"Prices are now shown in {currency.code} ({currency.symbol}).")
        else:
            currency = get_currency(db)
            print(f"{currency.code} {currency.symbol}")
    return 0


def cmd_rebalance(args: argparse.Namespace) -> int:
    from parstudio.domain.quantities import format_quantity
    from parstudio.reports.rebalance_write import write_rebalance
    from parstudio.services.ordering.rebalance import (
        accept_moves,
        rebalance_suggestions,
        refuse_unless_manager,
    )

    with opened(args) as db:
        if args.accept:
            refuse_unless_manager(db)
        result = rebalance_suggestions(db, location_codes=args.location)
        if args.out:
            write_rebalance(args.out, result)
        made = []
        if args.accept and result.suggestions:
            made = accept_moves(db, accepted=[(move, move.quantity) for move in result.suggestions])
    if not result.suggestions:
        print("No move is suggested: every location holds what it will use before it expires.")
    for number, move in enumerate(result.suggestions, start=1):
        lot = f" lot {move.lot}" if move.lot else ""
        print(
            f"{number:>3}. {move.item_code} {format_quantity(move.quantity)} {move.unit}{lot}: "
            f"{move.source_code} → {move.destination_code}"
        )
        print(f"     {move.explanation}")
    for note in result.notes:
        print(f"Note: {note}")
    if args.out:
        print(f"Wrote {len(result.suggestions)} suggestions to {args.out}.")
    if made:
        print(f"Accepted: {len(made)} draft transfers, approved; print their pick lists with")
        print("  parstudio print pick-lists --out DIR")
        for order in made:
            print(f"  {order.number:<15} from {order.source_code:<10} {order.line_count:>3} lines")
    elif result.suggestions and not args.accept:
        print("Nothing was saved (add --accept to make these transfers; a manager only).")
    return 0
