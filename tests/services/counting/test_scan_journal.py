"""Scans survive a lost server connection: kept in a local journal, replayed once each."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from parstudio.domain.counting import ScanKind, ScanOutcome
from parstudio.domain.errors import ConnectionLostError
from parstudio.domain.scan_journal import JournalEntry, parse_journal
from parstudio.models import CountLine, Scan
from parstudio.services.core.database import Database, open_database
from parstudio.services.counting import journal as scan_journal
from parstudio.services.counting import scans as counting
from parstudio.services.counting.journal import ScanJournal, journal_for
from tests.services.counting import test_counting
from tests.support.postgres import PostgresServer, free_port

TODAY = test_counting.TODAY
ct = test_counting.ct  # the CT room fixture


@contextmanager
def server_unreachable(db: Database) -> Iterator[None]:
    """Point the database's sessions at a closed port (as if the server went away), then back."""
    real = db.session_factory.kw["bind"]
    gone = create_engine(
        f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/gone",
        connect_args={"connect_timeout": 2},
    )
    db.session_factory.configure(bind=gone)
    try:
        yield
    finally:
        db.session_factory.configure(bind=real)
        gone.dispose()


def scan_or_keep(db: Database, journal: ScanJournal, count_id: int, location_id: int, text: str):
    """What the count screen does: record the scan, or keep it when the server is away."""
    try:
        return counting.record_scan(db, count_id=count_id, text=text, today=TODAY)
    except ConnectionLostError:
        return journal.keep(
            db, count_id=count_id, location_id=location_id, text=text, group_separator="\x1d"
        )


def counted(db: Database, count_id: int, item_id: int) -> Any:
    with db.reading() as session:
        return session.scalar(
            select(CountLine.quantity).where(
                CountLine.count_id == count_id, CountLine.item_id == item_id
            )
        )


def scans_recorded(db: Database, count_id: int) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).where(Scan.count_id == count_id)) or 0)


def test_scans_made_while_the_server_is_away_are_kept_and_sent_once(
    db: Database, ct: dict[str, int], tmp_path: Path
) -> None:
    journal = journal_for(db, tmp_path)
    sheet = counting.open_count(db, location_id=ct["ct"])
    for _ in range(2):
        scan_or_keep(db, journal, sheet.count_id, ct["ct"], "GLV-M")  # acknowledged, committed
    with server_unreachable(db):
        for _ in range(3):
            kept = scan_or_keep(db, journal, sheet.count_id, ct["ct"], "GLV-M")
            assert isinstance(kept, JournalEntry)
        scan_or_keep(db, journal, sheet.count_id, ct["ct"], "INT-7788")
        assert len(journal) == 4
        still_away = journal.replay(db)  # the retry timer firing while the server is away
        assert still_away.waiting == 4 and not still_away.sent
    assert counted(db, sheet.count_id, ct["gloves"]) == 2  # the committed scans were safe

    result = journal.replay(db)

    assert result.complete and len(result.sent) == 4 and not result.refused
    assert counted(db, sheet.count_id, ct["gloves"]) == 5
    assert counted(db, sheet.count_id, ct["gauze"]) == 1
    assert len(journal) == 0 and not journal.path.exists()
    with db.reading() as session:
        kept_scans = session.scalars(
            select(Scan).where(Scan.client_id.is_not(None)).order_by(Scan.id)
        ).all()
    assert [s.raw for s in kept_scans] == ["GLV-M"] * 3 + ["INT-7788"]
    assert all(s.recorded_by == "tester" for s in kept_scans)
    assert journal.replay(db).sent == []  # nothing left: nothing sent twice


def test_a_replay_cut_off_halfway_counts_every_scan_once(
    db: Database, ct: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = journal_for(db, tmp_path)
    sheet = counting.open_count(db, location_id=ct["ct"])
    with server_unreachable(db):
        for _ in range(6):
            scan_or_keep(db, journal, sheet.count_id, ct["ct"], "GLV-M")

    # The connection drops again after the third scan has been sent.
    real_record: Callable[..., Any] = counting.record_scan
    calls: list[int] = []

    def flaky(database: Database, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) > 3:
            raise ConnectionLostError("gone again")
        return real_record(database, **kwargs)

    monkeypatch.setattr(scan_journal, "record_scan", flaky)
    first = journal.replay(db)
    assert len(first.sent) == 3 and first.waiting == 3
    assert counted(db, sheet.count_id, ct["gloves"]) == 3

    # And this time the computer stops before the journal is rewritten: the file still lists
    # the three scans already on the server.
    before = journal.path.read_text()
    monkeypatch.setattr(scan_journal, "record_scan", real_record)
    calls.clear()
    original_rewrite = ScanJournal._rewrite
    monkeypatch.setattr(ScanJournal, "_rewrite", lambda self, done: len(done))
    journal.replay(db)
    assert journal.path.read_text() == before
    assert counted(db, sheet.count_id, ct["gloves"]) == 6
    # Also an older copy of the journal with all six comes back (restored from a backup, say).
    monkeypatch.setattr(ScanJournal, "_rewrite", original_rewrite)
    last = journal.replay(db)
    assert last.already == 3 and last.sent == [] and last.complete

    assert counted(db, sheet.count_id, ct["gloves"]) == 6
    assert scans_recorded(db, sheet.count_id) == 6


def test_a_scan_whose_count_was_finished_meanwhile_is_refused_not_lost(
    db: Database, ct: dict[str, int], tmp_path: Path
) -> None:
    journal = journal_for(db, tmp_path)
    sheet = counting.open_count(db, location_id=ct["ct"])
    with server_unreachable(db):
        scan_or_keep(db, journal, sheet.count_id, ct["ct"], "GLV-M")
    counting.finish_count(db, count_id=sheet.count_id, confirm=True)  # at another workstation

    result = journal.replay(db)

    assert result.complete and not result.sent
    assert "already finished" in result.refused[0][1]
    assert (
        "GLV-M" in journal.refused_path.read_text()
        and "refused" in journal.refused_path.read_text()
    )


def test_a_journal_torn_mid_line_by_a_power_cut_loses_no_acknowledged_scan(
    db: Database, ct: dict[str, int], tmp_path: Path
) -> None:
    journal = journal_for(db, tmp_path)
    sheet = counting.open_count(db, location_id=ct["ct"])
    with server_unreachable(db):
        for _ in range(3):
            scan_or_keep(db, journal, sheet.count_id, ct["ct"], "GLV-M")
        # The power goes while the fourth is written: its tail never reaches the disk.
        whole = journal.path.read_bytes()
        last = whole.rstrip(b"\n").rsplit(b"\n", 1)[1]
        journal.path.write_bytes(whole[: len(whole) - len(last) // 2 - 1])
        # After the restart the station keeps more scans (each one acknowledged).
        after = [scan_or_keep(db, journal, sheet.count_id, ct["ct"], "GAUZE") for _ in range(2)]
        assert all(isinstance(kept, JournalEntry) for kept in after)
        read = journal.read()
        assert [e.text for e in read.entries] == ["GLV-M", "GLV-M", "GAUZE", "GAUZE"]
        assert len(read.torn) == 1

    result = journal.replay(db)

    assert result.complete and len(result.sent) == 4 and result.torn == 1
    assert counted(db, sheet.count_id, ct["gloves"]) == 2  # the torn one was never acknowledged
    assert counted(db, sheet.count_id, ct["gauze"]) == 2  # both kept after the cut
    assert scans_recorded(db, sheet.count_id) == 4
    # The torn line is kept aside for a person to read, not thrown away.
    assert journal.torn_path.read_text().count("\n") == 1
    assert "client_id" in journal.torn_path.read_text()
    assert not journal.path.exists()


def test_each_database_has_its_own_journal(sqlite_db: Database, tmp_path: Path) -> None:
    journal = journal_for(sqlite_db, tmp_path)
    entry = journal.keep(
        sqlite_db, count_id=1, location_id=2, text="A\x1dB", group_separator="\x1d"
    )
    entries, unreadable = parse_journal(journal.path.read_text())
    assert entries == [entry] and unreadable == 0 and entries[0].text == "A\x1dB"
    other = open_database(str(tmp_path / "other.sqlite"), user_name="tester")
    try:
        assert journal_for(other, tmp_path).path != journal.path
    finally:
        other.close()


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_server_stopped_and_started_mid_count_loses_and_doubles_nothing(
    db: Database, ct: dict[str, int], pg_server: PostgresServer, tmp_path: Path
) -> None:
    journal = journal_for(db, tmp_path)
    sheet = counting.open_count(db, location_id=ct["ct"])
    scan_or_keep(db, journal, sheet.count_id, ct["ct"], "GLV-M")
    pg_server.pause()  # the real server stops mid-count
    try:
        for _ in range(3):
            kept = scan_or_keep(db, journal, sheet.count_id, ct["ct"], "GLV-M")
            assert isinstance(kept, JournalEntry)
        assert journal.replay(db).waiting == 3
    finally:
        pg_server.resume()
    result = journal.replay(db)
    assert result.complete and len(result.sent) == 3
    assert counted(db, sheet.count_id, ct["gloves"]) == 4
    assert journal.replay(db).sent == []
    assert scans_recorded(db, sheet.count_id) == 4


def test_a_scan_kept_by_another_window_during_a_replay_stays_in_the_journal(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = journal_for(sqlite_db, tmp_path)
    other_window = journal_for(sqlite_db, tmp_path)
    journal.keep(sqlite_db, count_id=1, location_id=1, text="GLV-M", group_separator="\x1d")
    late: list[JournalEntry] = []

    def record_while_the_other_window_keeps_one(database: Database, **kwargs: Any) -> Any:
        late.append(
            other_window.keep(
                database, count_id=1, location_id=1, text="GAUZE", group_separator="\x1d"
            )
        )
        return ScanOutcome(ScanKind.ITEM, "counted")

    monkeypatch.setattr(scan_journal, "record_scan", record_while_the_other_window_keeps_one)
    result = journal.replay(sqlite_db)

    assert len(result.sent) == 1 and result.waiting == 1
    assert journal.entries() == late


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_kept_scans_are_found_however_the_database_address_is_spelt(
    db: Database, ct: dict[str, int], tmp_path: Path
) -> None:
    sheet = counting.open_count(db, location_id=ct["ct"])
    journal = journal_for(db, tmp_path)
    with server_unreachable(db):
        scan_or_keep(db, journal, sheet.count_id, ct["ct"], "GLV-M")
    port_and_name = db.url.split("@127.0.0.1", 1)[1]
    for spelt in (
        f"postgresql://parstudio@localhost{port_and_name}",
        f"postgresql+psycopg://parstudio:whatever@127.0.0.1{port_and_name}",
    ):
        reopened = open_database(spelt, user_name="tester")
        try:
            assert journal_for(reopened, tmp_path).path == journal.path
            assert len(journal_for(reopened, tmp_path)) == 1
        finally:
            reopened.close()
    assert journal.replay(db).complete
    assert counted(db, sheet.count_id, ct["gloves"]) == 1


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_journal_named_after_the_typed_address_is_taken_over(
    db: Database, tmp_path: Path
) -> None:
    older = ScanJournal(tmp_path / "scan-journal-older.jsonl")
    kept = older.keep(db, count_id=1, location_id=1, text="GLV-M", group_separator="\x1d")
    typed = make_url(db.url).render_as_string(hide_password=True)
    digest = hashlib.sha256(typed.encode("utf-8")).hexdigest()[:12]
    older.path.rename(tmp_path / f"scan-journal-{digest}.jsonl")
    journal = journal_for(db, tmp_path)
    assert journal.entries() == [kept]
    assert not (tmp_path / f"scan-journal-{digest}.jsonl").exists()
