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
