"""``parstudio simulate``: replay a period's recorded usage under current and proposed levels."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from parstudio.cli.options import opened
from parstudio.domain.errors import ParStudioError

DEFAULT_DAYS = 365


def add_simulate_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``simulate`` command's options."""
    simulate = commands.add_parser(
        "simulate",
        help="what if: replay a period's recorded usage under current and proposed levels",
    )
    simulate.add_argument(
        "--location",
        action="append",
        metavar="CODE",
        help="only this location (repeatable; default: every location)",
    )
    simulate.add_argument("--department", metavar="NAME", help="only this department's locations")
    simulate.add_argument(
        "--from", dest="first", metavar="DATE", help="first day, YYYY-MM-DD (default: a year ago)"
    )
    simulate.add_argument("--to", dest="last", metavar="DATE", help="last day (default: today)")
    simulate.add_argument(
        "--levels",
        default="suggested",
        metavar="current|suggested|FILE.xlsx",
        help="the proposed levels: the review's suggestions (default), the current ones, or "
        "those of a PAR worksheet",
    )
    simulate.add_argument(
        "--formula",
        choices=("coverage", "deliveries"),
        default="coverage",
        help="which review suggestion --levels suggested takes (default: coverage)",
    )
    simulate.add_argument(
        "--leanest",
        metavar="PERCENT",
        help="also find each line's leanest level meeting this service level (e.g. 98)",
    )
    simulate.add_argument(
        "--out", metavar="FILE", help="write the comparison to FILE.xlsx or FILE.pdf"
    )
    simulate.set_defaults(handler=cmd_simulate)


def _day(text: str | None, what: str, default: date) -> date:
    if text is None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ParStudioError(f"{what} “{text}” is not a date; write it as YYYY-MM-DD.") from None


def cmd_simulate(args: argparse.Namespace) -> int:
    from parstudio.domain.review import Formula
    from parstudio.domain.simulation_compare import with_leanest
    from parstudio.reports.simulation import (
        notes_of,
        simulation_pdf,
        summary_rows,
        title_of,
        write_simulation_xlsx,
    )
    from parstudio.services.review import simulation

    today = date.today()
    last = _day(args.last, "--to", today)
    first = _day(args.first, "--from", last - timedelta(days=DEFAULT_DAYS))
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in (".xlsx", ".pdf"):
        raise ParStudioError(f"--out {out.name}: give a file ending in .xlsx or .pdf.")
    levels: str | Path = args.levels
    if args.levels not in (simulation.CURRENT, simulation.SUGGESTED):
        levels = Path(args.levels)
        if not levels.is_file():
            raise ParStudioError(
                f"--levels {args.levels}: no such file (give current, suggested or an .xlsx)."
            )
    service_level = _percent(args.leanest) if args.leanest else None
    with opened(args) as db:
        ids = None
        if args.location or args.department:
            ids = simulation.location_ids_for(
                db, codes=args.location or (), department=args.department
            )
        scope = ", ".join(args.location or ()) or (
            f"department {args.department}" if args.department else "every location"
        )
        comparison = simulation.simulate_levels(
            db,
            first=first,
            last=last,
            location_ids=ids,
            levels=levels,
            formula=Formula(args.formula),
            scope=scope,
        )
    if service_level is not None:
        comparison = with_leanest(comparison, service_level=service_level)
    print(title_of(comparison))
    names = ["Current", comparison.input.proposed_name.capitalize()]
    if comparison.leanest is not None:
        names.append("Leanest")
    print(" " * 36 + "  ".join(f"{name[:12]:>12}" for name in [*names, "Change"]))
    for row in summary_rows(comparison):
        label, *values = row
        shown = "  ".join(f"{'' if v is None else v!s:>12}" for v in values)
        print(f"  {label:<34}{shown}")
    for note in notes_of(comparison)[: len(comparison.input.notes)]:
        print(note)
    if comparison.too_little_history:
        print(f"{len(comparison.too_little_history)} lines had too little history to replay.")
    if out is not None:
        if out.suffix.lower() == ".pdf":
            try:
                out.write_bytes(simulation_pdf(comparison))
            except OSError as exc:
                raise ParStudioError(f"Cannot write {out}: {exc.strerror}.") from exc
        else:
            write_simulation_xlsx(out, comparison)
        print(f"Wrote {out}.")
    return 0


def _percent(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().rstrip("%"))
    except InvalidOperation:
        raise ParStudioError(f"--leanest {text}: give a percentage, e.g. 98.") from None
    if not 0 < value <= 100:
        raise ParStudioError(f"--leanest {text}: give a percentage above 0 and up to 100.")
    return value
