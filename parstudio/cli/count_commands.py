"""`parstudio count --location CODE --from-file FILE`: a handheld scanner's batch file."""

from __future__ import annotations

import argparse
from pathlib import Path

from parstudio.cli.options import opened
from parstudio.domain.barcodes import GS
from parstudio.domain.errors import NotFoundError, ValidationError

__all__ = ["cmd_count_file"]


def cmd_count_file(args: argparse.Namespace) -> int:
    """Preview a batch file for a location's open count; with --apply, record it."""
    from parstudio.domain.counting import ScanKind
    from parstudio.domain.scan_batch import read_batch
    from parstudio.services.catalog import locations
    from parstudio.services.counting import scans as counting
    from parstudio.services.counting.batch import load_batch, preview_batch

    path = Path(args.from_file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    separator = args.group_separator or GS
    with opened(args) as db:
        location = locations.find_location(db, code=args.location)
        if location is None:
            raise NotFoundError(
                f"There is no location “{args.location}”. Check the code on the location's label."
            )
        batch = read_batch(data, scope=location.code)
        preview = preview_batch(db, batch=batch, group_separator=separator)
        print(f"{path.name}: {len(batch.lines)} scan(s) for {location.code} {location.name}")
        for line, decode in preview.decoded:
            if decode.error:
                print(f"  line {line.line_no}: {_shown(line.barcode)}: {decode.error}")
        if preview.already:
            print(f"  {len(preview.already)} already recorded by an earlier load: not again")
        if batch.problems:
            for problem in batch.problems:
                print(f"  line {problem.line_no}: {_shown(problem.text)}: {problem.reason}")
            print(
                f"{len(batch.problems)} line(s) cannot be read. Correct or delete them and load "
                "the file again; nothing was recorded."
            )
            return 1
        if not args.apply:
            print(f"{preview.to_record} scan(s) to record. Run again with --apply to record them.")
            return 0
        sheet = counting.open_count(db, location_id=location.id)
        result = load_batch(db, count_id=sheet.count_id, batch=batch, group_separator=separator)
        for line, outcome in result.warnings:
            print(f"  line {line.line_no}: {outcome.message}")
        counted = result.count(ScanKind.ITEM)
        unknown = result.count(ScanKind.UNKNOWN, ScanKind.UNREADABLE)
        print(
            f"Recorded {counted + unknown + result.count(ScanKind.BIN, ScanKind.LOCATION)} "
            f"scan(s) in the open count of {location.code}: {counted} of items, {unknown} "
            f"unknown or unreadable (listed under Unmatched scans); {result.already} already "
            "recorded before."
        )
    return 0


def _shown(text: str) -> str:
    return text.replace(GS, "<GS>")
