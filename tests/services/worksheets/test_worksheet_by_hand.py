"""Issue 6's "done when": a worksheet made by hand, with its own headers and a few mistakes.

A new user maps its columns once, reads every problem (each names the sheet, row, column and
what is wrong), fixes the file, imports it cleanly; exporting and importing again changes
nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import select

from parstudio.models import ParSetting
from parstudio.services import worksheets
from parstudio.services.core.database import Database
from parstudio.services.ordering import proposals
from tests.services.worksheets.test_worksheets import row_counts

THEIR_HEADERS = [
    "Unit", "Part #", "Desc", "Issue UOM", "Vendor", "Par Qty", "Order Min", "Method", "Shelf",
    "Qty Counted", "Comments",
]  # fmt: skip

WITH_MISTAKES: list[list[Any]] = [
    ["4W", "SYR-10", "Syringe 10 mL", "EA", "Medline", 24, 2, "PAR", "A-01", 8, "ok"],
    ["4W", "GLV-M", "Gloves, nitrile, M", "BX", "Medline", "a dozen", None, "PAR", "A-02", 3, None],
    ["4W", "GAUZE", "Gauze 4x4", "PK", "Owens", 30, 1.5, "PAR", "A-03", -2, None],
    ["4W", "TAPE-1", "Tape 1 in", "RL", "Owens", 10, None, "MINMAX", "A-04", None, None],
    ["4W", "SYR-10", "Syringe 10 mL", "EA", "Medline", 20, None, "PAR", "A-01", None, "again"],
    ["4W", "WIPE", "Wipes", "EA", "Medline", datetime(2026, 3, 4), None, "PAR", "B-01", None, None],
    ["4W", "MASK", None, "EA", "Medline", 50, None, "PAR", "B-02", None, None],
]  # fmt: skip

FIXED: list[list[Any]] = [
    ["4W", "SYR-10", "Syringe 10 mL", "EA", "Medline", 24, 2, "PAR", "A-01", 8, "ok"],
    ["4W", "GLV-M", "Gloves, nitrile, M", "BX", "Medline", 12, None, "PAR", "A-02", 3, None],
    ["4W", "GAUZE", "Gauze 4x4", "PK", "Owens", 30, 2, "PAR", "A-03", 2, None],
    ["4W", "TAPE-1", "Tape 1 in", "RL", "Owens", None, None, "MIN/MAX", "A-04", None, None],
    ["4W", "WIPE", "Wipes", "EA", "Medline", 40, None, "PAR", "B-01", None, None],
    ["4W", "MASK", "Face mask", "EA", "Medline", 50, None, "PAR", "B-02", None, None],
]  # fmt: skip

# Mapped by hand, once: "Unit" here is the ward, not the unit of issue; "Part #" is the item.
MAPPING = {
    "Unit": "Location",
    "Part #": "Item Code",
    "Issue UOM": "Unit",  # the old short name, still accepted as a mapping's target
    "Order Min": "MOQ",
    "Qty Counted": "Count",
}


def hand_made(path: Path, rows: list[list[Any]], header: list[str] = THEIR_HEADERS) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "4 West"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_hand_made_worksheet_is_mapped_explained_fixed_and_imported(
    db: Database, tmp_path: Path
) -> None:
    path = hand_made(tmp_path / "4west.xlsx", WITH_MISTAKES)

    unmapped = worksheets.preview_import(db, path=path)
    assert [str(e) for e in unmapped.errors] == [
        "Sheet “4 West”, Header row (Location): The sheet has no Location column.",
        "Sheet “4 West”, Header row (Item Code): The sheet has no Item Code column.",
    ]

    preview = worksheets.preview_import(db, path=path, header_overrides=MAPPING)
    assert [str(e) for e in preview.errors] == [
        "Sheet “4 West”, Row 3, column F (PAR Level): PAR level must be a number, not “a dozen”.",
        "Sheet “4 West”, Row 4, column G (MOQ): MOQ (packs) must be a whole number, not “1.5”.",
        "Sheet “4 West”, Row 4, column J (Count): Count must be at least 0, not “-2”.",
        "Sheet “4 West”, Row 5, column H (Method): Method must be one of PAR, MIN/MAX, not "
        "“MINMAX”.",
        "Sheet “4 West”, Row 6, column B (Item Code): Item SYR-10 at 4W is on rows 2 and 6; "
        "keep one of them.",
        "Sheet “4 West”, Row 7, column F (PAR Level): PAR level must be a number, not "
        "“2026-03-04”.",
        "Sheet “4 West”, Row 8, column C (Description): Item MASK is new and needs a Description.",
    ]
    assert preview.extra_columns == ("K “Comments”",)
    applied = worksheets.apply_import(db, path=path, header_overrides=MAPPING)
    assert not applied.applied and len(applied.errors) == 7
    assert set(row_counts(db).values()) == {0}, "a worksheet with problems writes nothing"

    # The user fixes the file (TAPE-1 becomes a MIN/MAX line… without its levels, at first).
    hand_made(path, FIXED)
    almost = worksheets.preview_import(db, path=path, header_overrides=MAPPING)
    assert [str(e) for e in almost.errors] == [
        "Sheet “4 West”, Row 5 (Min): A MIN/MAX line needs both Min and Max."
    ]
    header = [*THEIR_HEADERS, "Min", "Max"]
    rows = [[*row, None, None] for row in FIXED]
    rows[3][-2:] = [4, 12]
    hand_made(path, rows, header)
    clean = worksheets.preview_import(db, path=path, header_overrides=MAPPING)
    assert clean.is_valid, clean.summary_text()
    assert clean.new_locations == ("4W",) and clean.new_suppliers == ("Medline", "Owens")
    assert len(clean.new_items) == 6 and len(clean.new_settings) == 6
    assert [(c.item_code, c.quantity) for c in clean.counts] == [
        ("SYR-10", 8),
        ("GLV-M", 3),
        ("GAUZE", 2),
    ]
    done = worksheets.apply_import(db, path=path, header_overrides=MAPPING, expected=clean)
    assert done.applied
    lines = {line.item_code: line for line in proposals.propose_orders(db).lines}
    assert lines["SYR-10"].packs == 16 and lines["GAUZE"].packs == 28  # MOQ 2 ≤ need

    # The export of what was imported reads back as no change at all.
    exported = tmp_path / "export.xlsx"
    assert worksheets.export_worksheet(db, path=exported) == 6
    before = row_counts(db)
    again = worksheets.apply_import(db, path=exported)
    assert again.is_valid and not again.has_changes
    assert "No changes: 0 new, 0 changed, 6 unchanged" in again.summary_text()
    assert row_counts(db) == before
    with db.reading() as session:
        assert set(session.scalars(select(ParSetting.version))) == {1}
