"""An import racing a screen save: the import never writes over a change it did not preview.

Run on SQLite and on the real PostgreSQL server (the ``db`` fixture). The database is checked
afterwards: the screen's value stays, the audit trail names who made it, and the refused
import wrote nothing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from parstudio.domain.errors import ConflictError
from parstudio.services import worksheets
from parstudio.services.catalog import par_settings
from parstudio.services.core.database import Database, open_database
from tests.services.worksheets.test_worksheets import HEADER, ROWS, row_counts, write_book


def _setting(db: Database, location: str, item: str) -> par_settings.ParSettingRecord:
    return next(
        s
        for s in par_settings.list_par_settings(db)
        if s.location_code == location and s.item_code == item
    )


def _with_par(tmp_path: Path, par: int) -> Path:
    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("PAR Level")] = par
    for row in rows:
        row[HEADER.index("Count")] = None
    return write_book(tmp_path / f"par{par}.xlsx", HEADER, rows)


@pytest.fixture
def alice(db: Database) -> Iterator[Database]:
    """A second workstation on the same database, signed in as alice."""
    url = db.engine.url.render_as_string(hide_password=False)
    other = open_database(url, user_name="alice")
    yield other
    other.close()


def test_a_screen_save_after_the_preview_is_a_conflict_naming_who(
    db: Database, alice: Database, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=write_book(tmp_path / "ward.xlsx", HEADER, ROWS))
    path = _with_par(tmp_path, 55)
    preview = worksheets.preview_import(db, path=path)
    assert [str(f) for c in preview.changed_settings for f in c.changes] == ["PAR Level: 24 → 55"]
    line = _setting(alice, "CT1", "SYR-10")
    par_settings.update_par_setting(
        alice, setting_id=line.id, changes={"par_level": 77}, expected_version=line.version
    )
    before = row_counts(db)

    with pytest.raises(ConflictError) as raised:
        worksheets.apply_import(db, path=path, expected=preview)
    message = str(raised.value)
    assert "Nothing was imported: 1 line(s) changed since the preview" in message
    assert "the PAR setting CT1 / SYR-10 (changed by alice" in message
    assert "24 → 77" in message
    assert _setting(db, "CT1", "SYR-10").par_level == Decimal(77)
    assert row_counts(db) == before

    # Previewed again, the import shows the screen's value and may then overwrite it knowingly.
    again = worksheets.preview_import(db, path=path)
    assert [str(f) for c in again.changed_settings for f in c.changes] == ["PAR Level: 77 → 55"]
    worksheets.apply_import(db, path=path, expected=again)
    assert _setting(db, "CT1", "SYR-10").par_level == Decimal(55)


POSTGRES_ONLY = pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
"""On SQLite the import holds the database's write lock from its first read: no such window."""


@POSTGRES_ONLY
def test_a_screen_save_while_the_import_plans_is_a_conflict(
    db: Database, alice: Database, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=write_book(tmp_path / "ward.xlsx", HEADER, ROWS))
    path = _with_par(tmp_path, 55)
    line = _setting(alice, "CT1", "SYR-10")
    saved = threading.Event()

    def save_meanwhile(done: int, total: int) -> None:
        # Half way through planning: the import has read the rows it will change (and, on
        # PostgreSQL, locked nothing yet).
        if not saved.is_set() and total * 5 // 8 <= done < total * 3 // 4:
            saved.set()
            worker = threading.Thread(
                target=par_settings.update_par_setting,
                args=(alice,),
                kwargs={
                    "setting_id": line.id,
                    "changes": {"par_level": 77},
                    "expected_version": line.version,
                },
            )
            worker.start()
            worker.join(timeout=20)
            assert not worker.is_alive()

    with pytest.raises(ConflictError, match="CT1 / SYR-10 \\(changed by alice"):
        worksheets.apply_import(db, path=path, progress=save_meanwhile)
    assert saved.is_set()
    assert _setting(db, "CT1", "SYR-10").par_level == Decimal(77)


@POSTGRES_ONLY
def test_a_screen_save_during_the_write_waits_for_the_import_and_then_sees_it(
    db: Database, alice: Database, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=write_book(tmp_path / "ward.xlsx", HEADER, ROWS))
    path = _with_par(tmp_path, 55)
    line = _setting(alice, "CT1", "SYR-10")
    outcome: list[object] = []
    worker: list[threading.Thread] = []

    def save(done: int, total: int) -> None:
        if worker or done < total * 3 // 4:
            return  # wait for the write phase: the rows are locked by then

        def run() -> None:
            try:
                par_settings.update_par_setting(
                    alice,
                    setting_id=line.id,
                    changes={"par_level": 77},
                    expected_version=line.version,
                )
                outcome.append("saved")
            except ConflictError as exc:
                outcome.append(exc)

        worker.append(threading.Thread(target=run))
        worker[0].start()
        worker[0].join(timeout=1.5)
        assert worker[0].is_alive(), "the screen's save waits for the import's row lock"

    worksheets.apply_import(db, path=path, progress=save)
    worker[0].join(timeout=20)
    # The screen's save, made over the version it had read, is refused once the import is in.
    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError)
    assert _setting(db, "CT1", "SYR-10").par_level == Decimal(55)


def test_a_stale_worksheet_says_which_newer_screen_edits_it_reverts(
    db: Database, alice: Database, tmp_path: Path
) -> None:
    worksheets.apply_import(db, path=write_book(tmp_path / "ward.xlsx", HEADER, ROWS))
    path = _with_par(tmp_path, 55)
    os.utime(path, (time.time() - 3600, time.time() - 3600))  # saved an hour ago
    line = _setting(alice, "CT1", "SYR-10")
    par_settings.update_par_setting(
        alice, setting_id=line.id, changes={"par_level": 77}, expected_version=line.version
    )
    preview = worksheets.preview_import(db, path=path)
    assert preview.warnings[0].startswith(
        "1 PAR setting(s) were changed in PAR Studio after this file was saved; the import sets "
        "them back to the file's values: CT1 / SYR-10 (alice)."
    )
    assert "Warning: 1 PAR setting(s) were changed" in preview.summary_text()
    assert _setting(db, "CT1", "SYR-10").par_level == Decimal(77)
