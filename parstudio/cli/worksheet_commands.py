"""The worksheet commands: import-worksheet, export-worksheet, -orders, -catalogue, propose."""

from __future__ import annotations

import argparse
import sys

from parstudio.cli.options import header_overrides, opened
from parstudio.domain.errors import ConflictError, WorksheetError
from parstudio.domain.orders import OrderStatus


def cmd_import_worksheet(args: argparse.Namespace) -> int:
    from parstudio.services import worksheets

    overrides = header_overrides(args.map)
    with opened(args) as db:
        action = worksheets.apply_import if args.apply else worksheets.preview_import
        try:
            preview = action(db, path=args.file, header_overrides=overrides)
        except WorksheetError as exc:
            print(f"parstudio: {exc} Nothing was imported.", file=sys.stderr)
            return 1
        except ConflictError as exc:  # a line changed by someone else while importing
            print(f"parstudio: {exc}", file=sys.stderr)
            return 1
        print(preview.summary_text(), file=sys.stdout if preview.is_valid else sys.stderr)
        return 0 if preview.is_valid else 1


def cmd_export_worksheet(args: argparse.Namespace) -> int:
    from parstudio.services import worksheets

    with opened(args) as db:
        rows = worksheets.export_worksheet(
            db,
            path=args.file,
            location_codes=args.location,
            include_counts=not args.no_counts,
            include_proposal=not (args.no_counts or args.no_proposal),
        )
        print(f"Wrote {rows} PAR settings to {args.file}.")
        return 0


def cmd_export_orders(args: argparse.Namespace) -> int:
    from parstudio.services import worksheets

    statuses = [OrderStatus(s) for s in args.status] if args.status else None
    with opened(args) as db:
        rows = worksheets.export_orders(db, path=args.file, statuses=statuses)
        print(f"Wrote {rows} order lines to {args.file}.")
        return 0


def cmd_export_catalogue(args: argparse.Namespace) -> int:
    from parstudio.services import worksheets

    with opened(args) as db:
        rows = worksheets.export_catalogue(
            db, path=args.file, include_inactive=args.include_inactive
        )
        print(f"Wrote {rows} items to {args.file}.")
        return 0


def cmd_propose(args: argparse.Namespace) -> int:
    from parstudio.services import worksheets

    with opened(args) as db:
        rows = worksheets.export_proposal(db, path=args.file, location_codes=args.location)
        print(f"Wrote the proposal ({rows} lines) to {args.file}.")
        return 0
