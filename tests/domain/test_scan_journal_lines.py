"""The scan journal's lines: written and read back exactly, torn or repeated lines handled."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from parstudio.domain.scan_journal import JournalEntry, new_client_id, parse_journal, read_journal


def entry(text: str = "]d20109501101530003\x1d21S1", adds_one: bool | None = None) -> JournalEntry:
    return JournalEntry(
        client_id=new_client_id(),
        count_id=7,
        location_id=3,
        text=text,
        user_name="pat",
        scanned_at=datetime(2026, 11, 23, 20, 1, 2, 345678, tzinfo=UTC),
        group_separator="\x1d",
        scan_adds_one=adds_one,
    )


def test_an_entry_is_one_line_and_reads_back_the_same() -> None:
    for adds_one in (None, True, False):
        kept = entry("line one\nline\ttwo\x1d\u00e9", adds_one)
        line = kept.to_line()
        assert "\n" not in line and line.isascii()
        assert JournalEntry.from_line(line) == kept


def test_a_torn_line_is_skipped_and_a_repeated_one_kept_once() -> None:
    first, second = entry(), entry("GLV-M")
    text = "\n".join([first.to_line(), first.to_line(), "", second.to_line(), '{"client_id": "x'])
    entries, unreadable = parse_journal(text)
    assert entries == [first, second] and unreadable == 1
    assert first.client_id != second.client_id and len(first.client_id) == 36


def test_a_time_without_a_zone_is_refused() -> None:
    line = json.dumps(entry().to_dict()).replace("+00:00", "")
    with pytest.raises(ValueError, match="time zone"):
        JournalEntry.from_line(line)


def test_a_line_is_checksummed_and_a_changed_or_cut_line_is_refused() -> None:
    line = entry("GLV-M").to_line()
    body, checksum = line.split("\t")
    assert len(checksum) == 8 and int(checksum, 16) >= 0
    with pytest.raises(ValueError, match="checksum"):
        JournalEntry.from_line(line.replace("GLV-M", "GLV-L"))
    for cut in (len(body) - 1, len(body) + 1, len(line) - 3):
        with pytest.raises(ValueError):
            JournalEntry.from_line(line[:cut])


def test_every_cut_of_a_line_is_reported_torn_and_the_next_entry_read_intact() -> None:
    first, second = entry(), entry("GLV-M")
    whole = first.to_line()
    body = whole.split("\t")[0]
    # Cut just before its checksum the line is still the whole entry (as an older PAR Studio
    # wrote it), and reading it loses and invents nothing; every other cut is torn.
    assert read_journal(body + "\n" + second.to_line()).entries == [first, second]
    for cut in (cut for cut in range(1, len(whole)) if cut != len(body)):
        read = read_journal(whole[:cut] + "\n" + second.to_line() + "\n")
        assert read.entries == [second], cut
        assert read.torn == [whole[:cut]]


def test_a_line_written_before_checksums_is_still_read() -> None:
    kept = entry("GLV-M")
    assert JournalEntry.from_line(json.dumps(kept.to_dict())) == kept
