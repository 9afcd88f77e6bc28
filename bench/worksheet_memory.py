"""Peak memory of a 200,000-row PAR worksheet: preview, apply and export, each in a fresh process.

``python -m bench.worksheet_memory make DIR`` writes the worksheet and a database that holds
it; ``python -m bench.worksheet_memory JOB DIR`` (JOB: preview, apply, export, bare) runs one job
and prints its peak resident memory in megabytes on the last line. ``bare`` only imports PAR
Studio's worksheet services: the floor every job starts from.
"""

from __future__ import annotations

import resource
import shutil
import sys
from pathlib import Path

ROWS = 200_000
LOCATIONS = 8
CHANGE_EVERY = 10


def make(folder: Path) -> None:
    """The worksheet (with counts), a changed copy, and a database the worksheet was applied to."""
    from openpyxl import Workbook

    from parstudio.services import worksheets
    from parstudio.services.core.database import open_database, sqlite_url

    folder.mkdir(parents=True, exist_ok=True)
    header = ["Location", "Item Code", "Description", "Unit of Issue", "Pack Size", "Supplier",
              "Pack Price", "PAR Level", "MOQ", "Count"]  # fmt: skip
    items = ROWS // LOCATIONS
    for name, bump in (("worksheet.xlsx", 0), ("changed.xlsx", 1)):
        book = Workbook(write_only=True)
        sheet = book.create_sheet("PAR worksheet")
        sheet.append(header)
        for n in range(ROWS):
            item, place = divmod(n, LOCATIONS)
            par = 10 + item % 40 + (bump if n % CHANGE_EVERY == 0 else 0)
            sheet.append([f"LOC-{place:02}", f"IT-{item:06}", f"Item {item} supply", "EA",
                          1 + item % 12, f"SUP-{item % 30}", 1.25 + item % 50, par, 1,
                          item % 9])  # fmt: skip
        book.save(folder / name)
    empty = folder / "empty.sqlite"
    open_database(sqlite_url(empty)).close()
    full = folder / "full.sqlite"
    shutil.copyfile(empty, full)
    db = open_database(sqlite_url(full))
    assert worksheets.apply_import(db, path=folder / "worksheet.xlsx").applied
    db.close()
    assert items


def run(job: str, folder: Path) -> float:
    """Run one job; its peak resident memory in megabytes."""
    from parstudio.services import worksheets
    from parstudio.services.core.database import open_database, sqlite_url

    if job == "apply":
        target = folder / "apply.sqlite"
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(folder / "empty.sqlite", target)
        db = open_database(sqlite_url(target))
        done = worksheets.apply_import(db, path=folder / "worksheet.xlsx")
        assert done.applied and len(done.counts) > 0, done.summary_text()[:2000]
    elif job == "preview":
        db = open_database(sqlite_url(folder / "full.sqlite"))
        preview = worksheets.preview_import(db, path=folder / "changed.xlsx")
        assert preview.is_valid and len(preview.changed_settings) == ROWS // CHANGE_EVERY
    elif job == "export":
        db = open_database(sqlite_url(folder / "full.sqlite"))
        written = worksheets.export_worksheet(db, path=folder / "exported.xlsx")
        assert written == ROWS
    elif job != "bare":
        raise SystemExit(f"unknown job {job}")
    return peak_megabytes()


def peak_megabytes() -> float:
    """This process's peak resident memory, in MB.

    Linux's VmHWM belongs to this program alone; ru_maxrss would also count the parent's
    memory at the fork that started it.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    job, where = sys.argv[1], Path(sys.argv[2])
    if job == "make":
        make(where)
    else:
        print(f"{run(job, where):.0f}")
