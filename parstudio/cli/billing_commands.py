"""`parstudio charges`: the charge file of a period, or with --reconcile the reconciliation."""

from __future__ import annotations

import argparse

from parstudio.cli.options import add_location_option, opened


def add_charges_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    charges = commands.add_parser(
        "charges",
        help="write the charge file of a period (.xlsx or .csv): billable items used on cases",
        description="Write the charge file for the billing office: the billable items used on "
        "cases from --from to --to (local days, both included), voided lines left out; lines "
        "without a charge code or price are flagged in the Problem column. With --reconcile, "
        "write the reconciliation instead: usage seen in counts and receipts against what was "
        "recorded to cases, per location and billable item. The file's extension (.xlsx or "
        ".csv) chooses the format.",
    )
    charges.add_argument("--from", dest="from_day", metavar="YYYY-MM-DD", required=True)
    charges.add_argument("--to", dest="to_day", metavar="YYYY-MM-DD", required=True)
    add_location_option(charges)
    charges.add_argument("--department", metavar="NAME", help="only this department")
    charges.add_argument(
        "--out", metavar="FILE", required=True, help="the .xlsx or .csv file to write"
    )
    charges.add_argument(
        "--reconcile",
        action="store_true",
        help="write the reconciliation (usage against cases) instead of the charge file",
    )
    charges.set_defaults(handler=cmd_charges)


def cmd_charges(args: argparse.Namespace) -> int:
    from parstudio.domain.charges import DayRange, parse_day
    from parstudio.reports.charges_write import check_file_name
    from parstudio.services.billing.charges import export_charges
    from parstudio.services.billing.reconciliation import export_reconciliation

    period = DayRange(
        parse_day(args.from_day, what="--from date"), parse_day(args.to_day, what="--to date")
    )
    check_file_name(args.out)
    codes = tuple(args.location or ())
    with opened(args) as db:
        if args.reconcile:
            report = export_reconciliation(
                db, path=args.out, period=period, location_codes=codes, department=args.department
            )
            print(
                f"Wrote the reconciliation {period.label} ({report.scope}) to {args.out}: "
                f"{report.summary}."
            )
            return 0
        capture = export_charges(
            db, path=args.out, period=period, location_codes=codes, department=args.department
        )
    print(
        f"Wrote the charge file {period.label} ({capture.scope}) to {args.out}: {capture.summary}."
    )
    if capture.problems:
        print(
            "Lines without a charge code or price are marked in the Problem column: set them "
            "on the items and export again."
        )
    return 0
