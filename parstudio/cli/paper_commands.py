"""The commands that write paperwork: print, recall and cost-allocation."""

from __future__ import annotations

import argparse
from pathlib import Path

from parstudio.cli.options import chosen_period, opened
from parstudio.domain.errors import ParStudioError


def cmd_print(args: argparse.Namespace) -> int:
    from parstudio.domain.paper import (
        BarcodeSymbology,
        LabelStock,
        PaperSize,
        PrintKind,
        PrintOptions,
    )
    from parstudio.domain.quarterly_review import Quarter
    from parstudio.services.ordering import printing

    options = PrintOptions(
        paper=PaperSize.parse(args.paper),
        stock=LabelStock.parse(args.labels),
        symbology=BarcodeSymbology.parse(args.barcode),
    )
    quarter = Quarter.parse(args.quarter) if args.quarter else None
    with opened(args) as db:
        made = printing.documents(
            db,
            kind=PrintKind(args.kind),
            options=options,
            location_codes=args.location,
            order_numbers=args.order,
            period=chosen_period(args, quarter=False),
            quarter=quarter,
            department=args.department,
            cost_centre=args.cost_centre,
        )
    if not made and args.kind == PrintKind.CONSIGNMENT_USAGE:
        print("Nothing to print: no consignment item was used in the period.")
        return 0
    if not made:
        print(f"Nothing to print: no {args.kind.replace('-', ' ')} match.")
        return 0
    for path, document in zip(printing.write_documents(made, args.out), made, strict=True):
        print(f"{path} ({document.pages} page{'s' if document.pages != 1 else ''})")
    return 0


def cmd_recall(args: argparse.Namespace) -> int:
    from parstudio.domain.paper import PaperSize, PrintOptions
    from parstudio.services.expiry import lots as expiry
    from parstudio.services.ordering import printing

    paper = {"a4": PaperSize.A4, "letter": PaperSize.LETTER}.get(args.paper.lower())
    if paper is None:
        raise ParStudioError(f"--paper {args.paper} is not known: give a4 or letter.")
    with opened(args) as db:
        found = expiry.recall_search(db, item_code=args.item, lot=args.lot)
    status = "on the recall list" if found.on_recall_list else "not on the recall list"
    print(f"{found.item_code} {found.description}, lot {found.lot} ({status})")
    for holding in found.holdings:
        source = "latest count" if holding.source == "count" else "receipt since count"
        print(
            f"  {holding.location_code:<12} {holding.location_name:<30} "
            f"{holding.quantity.normalize():>8f}  {holding.seen_on.isoformat()}  {source}"
        )
    if not found.holdings:
        print("  No location holds this lot by the latest counts and receipts.")
    else:
        print(f"  {found.summary}")
    if args.pdf:
        document = printing.recall_list_document(found, PrintOptions(paper=paper))
        Path(args.pdf).write_bytes(document.pdf)
        print(f"Wrote {args.pdf}.")
    return 0


def cmd_cost_allocation(args: argparse.Namespace) -> int:
    from parstudio.services.costs.allocation import export_cost_allocation
    from parstudio.services.review.period_usage import SettingFilter

    period = chosen_period(args, quarter=True)
    wanted = SettingFilter(
        department=args.department,
        cost_centre=args.cost_centre,
        location_codes=tuple(args.location or ()),
    )
    with opened(args) as db:
        found = export_cost_allocation(db, path=args.file, period=period, wanted=wanted)
    totals = found.totals
    print(
        f"Wrote the cost allocation {found.period.label} ({found.scope}) to {args.file}: "
        f"usage value {totals.usage_value:,.2f}, spend {totals.spend:,.2f} "
        f"(of which consignment {totals.consignment:,.2f}), {totals.settings} PAR settings."
    )
    if found.note:
        print(found.note[0].upper() + found.note[1:])
    by_case = found.by_case
    if by_case.lines:
        print(
            f"Used on cases: {by_case.cost:,.2f} on {by_case.cases} case(s), "
            f"{by_case.lines} use line(s) (sheet “By Procedure and Physician”)."
        )
        for heading, rows in (
            ("By procedure", by_case.by_procedure),
            ("By physician", by_case.by_physician),
        ):
            print(f"  {heading}:")
            for row in rows:
                print(f"    {row.name:<30} {row.cost:>14,.2f}  {row.cases} case(s)")
        if by_case.note:
            print(by_case.note)
    return 0
