"""PAR worksheets: importing 50,000 rows (preview + apply) and exporting 50,000 rows.

Import: the PAR worksheet of the generated department's first locations, cut to 50,000 rows
(all rows on a smaller department), with the PAR level changed on every tenth row; imported
into a fresh scratch copy of the database each time. Baseline: python-calamine reading the same
file plus one SQLAlchemy Core bulk upsert of the same rows' PAR settings (codes looked up once).

Export: the PAR worksheet of the same locations (no counts or proposal). Baseline: a bare
openpyxl write-only workbook holding the same cells.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import python_calamine
from openpyxl import Workbook
from sqlalchemy import create_engine, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bench.context import Context
from bench.harness import Measured, Scenario
from bench.worksheet_memory import ROWS as MEMORY_ROWS
from parstudio.domain.worksheet import WORKSHEET_COLUMNS
from parstudio.models import Item, Location, ParSetting
from parstudio.services.core.database import open_database, sqlite_url

ROWS = 50_000
CHANGE_EVERY = 10


def _locations_for(db: Any, rows: int) -> list[str]:
    """The first locations (by code) that together hold at least ``rows`` active settings."""
    from sqlalchemy import func

    with db.reading() as session:
        counts = session.execute(
            select(Location.code, func.count(ParSetting.id))
            .join(ParSetting, ParSetting.location_id == Location.id)
            .where(ParSetting.active.is_(True), Location.active.is_(True))
            .group_by(Location.code)
            .order_by(Location.code)
        ).all()
    chosen, total = [], 0
    for code, count in counts:
        chosen.append(code)
        total += count
        if total >= rows:
            break
    return chosen


def _read(path: Path) -> list[list[Any]]:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return [list(row) for row in workbook.get_sheet_by_index(0).iter_rows()]
    finally:
        workbook.close()


def _write_plain(path: Path, rows: list[list[Any]]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("PAR worksheet")
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    book.save(str(path))


def scenarios(ctx: Context) -> list[Scenario]:
    """The import and export scenarios on a scratch copy of the generated department.

    The files are made on first use (in an untimed setup), so that running other scenarios
    with ``--only`` does not pay for them.
    """
    from parstudio.services import worksheets

    files: dict[str, Any] = {}
    working = ctx.workdir / "worksheets.sqlite"

    def prepare() -> dict[str, Any]:
        if files:
            return files
        master = ctx.scratch_copy("worksheets-master.sqlite")
        source = open_database(sqlite_url(master))
        codes = _locations_for(source, ROWS)
        exported = ctx.workdir / "exported.xlsx"
        worksheets.export_worksheet(
            source,
            path=exported,
            location_codes=codes,
            include_counts=False,
            include_proposal=False,
        )
        # The import file: the export cut to ROWS rows, every tenth PAR level raised by one.
        cells = _read(exported)
        header, body = cells[0], cells[1 : ROWS + 1]
        par = header.index("PAR Level")
        for index in range(0, len(body), CHANGE_EVERY):
            level = body[index][par]
            body[index][par] = (level if isinstance(level, float) else 0.0) + 1.0
        to_import = ctx.workdir / "import.xlsx"
        _write_plain(to_import, [header, *body])
        files.update(
            master=master,
            source=source,
            codes=codes,
            to_import=to_import,
            rows=len(body),
            export_cells=cells,
        )
        return files

    state: dict[str, Any] = {}

    def fresh_copy() -> None:
        # Each run imports into an untouched copy, opened (untimed) for both ways alike.
        master = prepare()["master"]
        for old in state.values():
            old.dispose() if hasattr(old, "dispose") else old.close()
        shutil.copyfile(master, working)
        for suffix in ("-wal", "-shm"):
            Path(f"{working}{suffix}").unlink(missing_ok=True)
        state["db"] = open_database(sqlite_url(working))
        state["engine"] = create_engine(sqlite_url(working))

    def ours_import() -> None:
        db, to_import, rows = state["db"], files["to_import"], files["rows"]
        sheet = worksheets.read_worksheet(to_import)
        parsed = worksheets.parse_worksheet(sheet, path=to_import)
        preview = worksheets.preview_import(db, worksheet=parsed)
        assert preview.is_valid and len(preview.changed_settings) >= rows // CHANGE_EVERY - 5
        done = worksheets.apply_import(db, worksheet=parsed, expected=preview)
        assert done.applied

    setting_names = {c.name: c.field for c in WORKSHEET_COLUMNS if c.target == "setting"}
    setting_names.pop("Bin")
    table = ParSetting.__table__
    whole = {f for f in setting_names.values() if table.c[f].type.python_type is int}

    def baseline_import() -> None:
        found = _read(files["to_import"])
        head = found[0]
        where = {name: head.index(name) for name in setting_names if name in head}
        location_at, item_at = head.index("Location"), head.index("Item Code")
        with state["engine"].begin() as connection:
            location_ids = dict(connection.execute(select(Location.code, Location.id)).all())
            item_ids = dict(connection.execute(select(Item.code, Item.id)).all())
            values = []
            for row in found[1:]:
                record: dict[str, Any] = {
                    "location_id": location_ids[row[location_at]],
                    "item_id": item_ids[row[item_at]],
                }
                for name, index in where.items():
                    cell = row[index]
                    field = setting_names[name]
                    if cell == "":
                        record[field] = None
                    elif isinstance(cell, float):
                        record[field] = int(cell) if field in whole else Decimal(repr(cell))
                    else:
                        record[field] = cell
                values.append(record)
            statement = sqlite_insert(ParSetting.__table__)
            statement = statement.on_conflict_do_update(
                index_elements=["location_id", "item_id"],
                set_={name: statement.excluded[name] for name in values[0] if "_id" not in name},
            )
            connection.execute(statement, values)

    def ours_export() -> None:
        worksheets.export_worksheet(
            files["source"],
            path=ctx.workdir / "ours.xlsx",
            location_codes=files["codes"],
            include_counts=False,
            include_proposal=False,
        )

    def baseline_export() -> None:
        _write_plain(ctx.workdir / "bare.xlsx", files["export_cells"])

    memory_files = ctx.workdir / "worksheet-memory"

    def memory_files_made() -> None:
        if not (memory_files / "full.sqlite").exists():
            _memory("make", memory_files)

    def peak(job: str) -> Callable[[], Measured]:
        return lambda: Measured(_memory(job, memory_files))

    memory = [
        Scenario(
            name=f"worksheets: peak memory, {job} of {MEMORY_ROWS:,} rows",
            ours=peak(job),
            baseline=peak("bare"),
            target="≤ 400 MB (baseline: the worksheet services imported)",
            max_value=400,
            repeat=1,
            setup=memory_files_made,
            unit="MB",
            note=note,
        )
        for job, note in (
            ("preview", "a tenth of the PAR levels changed, every row counted"),
            ("apply", "into an empty database: every row new, with its count"),
            ("export", "with the last counts and the proposal"),
        )
    ]
    # Names from the department's size, so that listing the scenarios prepares nothing.
    rows = min(ROWS, int(ctx.sizes["settings"]))
    whole_locations = "+" if ctx.sizes["settings"] > ROWS else ""
    return [
        Scenario(
            name=f"worksheets: import {rows:,} rows (preview + apply)",
            ours=ours_import,
            baseline=baseline_import,
            target="≤ 1.5× calamine read + Core bulk upsert",
            max_ratio=1.5,
            repeat=5,  # the median of five: this row is near its target
            setup=fresh_copy,
            note=f"{rows // CHANGE_EVERY:,} PAR levels changed",
        ),
        Scenario(
            name=f"worksheets: export {rows:,}{whole_locations} rows (whole locations)",
            ours=ours_export,
            baseline=baseline_export,
            target="≤ 1.5× bare openpyxl write-only",
            max_ratio=1.5,
            repeat=3,
            setup=prepare,
        ),
        *memory,
    ]


def _memory(job: str, folder: Path) -> float:
    """Run a job of bench.worksheet_memory in a fresh interpreter: its peak memory in MB."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.worksheet_memory", job, str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1]) if job != "make" else 0.0
