"""Telling scanner bursts from typing by keystroke timing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parstudio.domain.scanner_input import BrokenScan, Passthrough, ScanBuffer, ScanEvent

GS = "\x1d"


def feed_all(
    buffer: ScanBuffer, text: str, *, start_ms: float = 0.0, gap_ms: float
) -> list[ScanEvent | BrokenScan | Passthrough]:
    """Feed `text` one key every `gap_ms` and collect what comes back."""
    results = []
    for index, char in enumerate(text):
        result = buffer.feed(char, start_ms + index * gap_ms)
        if result is not None:
            results.append(result)
    return results


def test_scanner_burst_with_group_separators_is_one_scan() -> None:
    data = f"]d20109501101530003172612311010AB{GS}21SN45"

    results = feed_all(ScanBuffer(), data + "\r", start_ms=1000.0, gap_ms=3.0)

    assert results == [ScanEvent(data, 1000.0, 1000.0 + 3.0 * len(data))]


def test_human_typing_is_passed_through_key_by_key() -> None:
    buffer = ScanBuffer()

    results = feed_all(buffer, "123\r", gap_ms=150.0)

    # A first key may be a scan that stalled: it is released once the next slow key shows
    # it was typed; Enter goes along.
    assert results == [Passthrough("12"), Passthrough("3\r")]
    assert buffer.flush(10_000.0) is None


def test_lone_enter_goes_straight_to_the_widget() -> None:
    assert ScanBuffer().feed("\r", 0.0) == Passthrough("\r")


def test_typing_then_a_scan() -> None:
    buffer = ScanBuffer()
    typed = feed_all(buffer, "5", gap_ms=150.0)
    scanned = feed_all(buffer, "IMG-00123\r", start_ms=400.0, gap_ms=4.0)

    assert typed == []
    assert scanned == [Passthrough("5"), ScanEvent("IMG-00123", 400.0, 436.0)]


def test_scan_then_typing() -> None:
    buffer = ScanBuffer()
    scanned = feed_all(buffer, "IMG-00123\r", gap_ms=4.0)
    typed = feed_all(buffer, "3\r", start_ms=500.0, gap_ms=120.0)

    assert scanned == [ScanEvent("IMG-00123", 0.0, 36.0)]
    assert typed == [Passthrough("3\r")]


def test_burst_shorter_than_min_length_is_typing() -> None:
    # Fast key rollover by a person: "12" and Enter within a few milliseconds.
    results = feed_all(ScanBuffer(min_length=4), "12\r", gap_ms=10.0)

    assert results == [Passthrough("12\r")]


def test_burst_of_exactly_min_length_is_a_scan() -> None:
    results = feed_all(ScanBuffer(min_length=4), "1234\r", gap_ms=10.0)

    assert results == [ScanEvent("1234", 0.0, 40.0)]


def test_a_burst_that_stalls_once_is_still_one_whole_scan() -> None:
    # A wireless scanner (or a busy computer) held the keys back 188 ms part-way: they arrive
    # in order, so once Enter has come the barcode is whole.
    buffer = ScanBuffer()
    first = feed_all(buffer, "ABC", gap_ms=3.0)
    rest = feed_all(buffer, "DEFG\r", start_ms=200.0, gap_ms=3.0)

    assert first == []
    assert rest == [ScanEvent("ABCDEFG", 0.0, 212.0)]


def test_a_burst_that_keeps_stalling_is_a_broken_scan() -> None:
    buffer = ScanBuffer()
    results = []
    for index, piece in enumerate(["ABCDEFG", "H", "I", "J\r"]):
        results += feed_all(buffer, piece, start_ms=index * 100.0, gap_ms=3.0)

    assert results == [BrokenScan(("ABCDEFG", "H", "I", "J\r"))]
    assert results[0].describe() == "“ABCDEFG” … “H” … “I” … “J”"


def test_two_key_rollovers_by_a_person_are_typing() -> None:
    buffer = ScanBuffer()
    results = feed_all(buffer, "12", gap_ms=8.0)
    results += feed_all(buffer, "34", start_ms=200.0, gap_ms=8.0)
    results += feed_all(buffer, "\r", start_ms=400.0, gap_ms=1.0)

    assert results == [Passthrough("1234\r")]


def test_a_stall_right_after_the_first_key_still_gives_one_scan() -> None:
    buffer = ScanBuffer()
    assert buffer.feed("+", 0.0) is None
    rest = feed_all(buffer, "M41500004810\r", start_ms=90.0, gap_ms=4.0)

    assert rest == [ScanEvent("+M41500004810", 0.0, 90.0 + 4.0 * 12)]


def test_a_long_pause_after_a_short_fast_run_releases_it_as_typing() -> None:
    buffer = ScanBuffer()
    first = feed_all(buffer, "12", gap_ms=10.0)
    rest = feed_all(buffer, "DEFG\r", start_ms=900.0, gap_ms=3.0)

    assert first == []
    assert rest == [Passthrough("12"), ScanEvent("DEFG", 900.0, 912.0)]


def test_enter_that_comes_late_after_a_whole_burst_still_ends_the_scan() -> None:
    # Every key before Enter has arrived, so the barcode is whole even when Enter is late.
    buffer = ScanBuffer()
    feed_all(buffer, "ABCDEF", gap_ms=3.0)

    assert buffer.feed("\r", 120.0) == ScanEvent("ABCDEF", 0.0, 120.0)


def test_enter_long_after_a_burst_is_a_broken_scan() -> None:
    buffer = ScanBuffer()
    feed_all(buffer, "ABCDEF", gap_ms=3.0)

    assert buffer.feed("\r", 300.0) == BrokenScan(("ABCDEF\r",))


def test_slow_enter_after_slow_typing_is_typing() -> None:
    buffer = ScanBuffer()
    typed = feed_all(buffer, "12\r", gap_ms=120.0)

    assert typed == [Passthrough("12\r")]


def test_a_person_typing_after_a_key_rollover_is_still_typing() -> None:
    buffer = ScanBuffer()
    results = feed_all(buffer, "12", gap_ms=8.0)
    results += feed_all(buffer, "3", start_ms=160.0, gap_ms=1.0)
    results += feed_all(buffer, "\r", start_ms=320.0, gap_ms=1.0)

    assert results == [Passthrough("123\r")]


def test_gap_equal_to_the_threshold_still_counts_as_scanner() -> None:
    results = feed_all(ScanBuffer(max_interval_ms=30.0), "ABCD\r", gap_ms=30.0)

    assert results == [ScanEvent("ABCD", 0.0, 120.0)]


def test_a_burst_without_enter_is_reported_broken_once_the_wait_is_over() -> None:
    buffer = ScanBuffer()
    feed_all(buffer, "0109501101530003", gap_ms=3.0)

    assert buffer.deadline_ms() == 1000.0
    assert buffer.flush(50.0) is None  # the burst may still be going on
    assert buffer.flush(400.0) is None  # or it stalled: wait for the rest
    assert buffer.flush(1100.0) == BrokenScan(("0109501101530003",))
    assert buffer.flush(2000.0) is None
    assert not buffer.holding


def test_first_key_is_held_until_flush() -> None:
    buffer = ScanBuffer()

    assert buffer.feed("7", 0.0) is None
    assert buffer.flush(31.0) is None  # a scanner may have stalled after its first key
    assert buffer.flush(251.0) == Passthrough("7")


def test_custom_terminator() -> None:
    results = feed_all(ScanBuffer(terminator="\t"), "ABCD\t", gap_ms=2.0)

    assert results == [ScanEvent("ABCD", 0.0, 8.0)]


@pytest.mark.parametrize(
    "kwargs",
    [{"max_interval_ms": 0.0}, {"min_length": 0}, {"terminator": ""}, {"terminator": "\r\n"}],
)
def test_rejects_settings_that_cannot_work(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ScanBuffer(**kwargs)


def test_feed_takes_one_character() -> None:
    with pytest.raises(ValueError):
        ScanBuffer().feed("AB", 0.0)


@given(
    st.lists(
        st.tuples(st.sampled_from("AB1\r\x1d"), st.floats(min_value=0.0, max_value=200.0)),
        max_size=60,
    )
)
def test_no_keystroke_is_lost_or_duplicated(keys: list[tuple[str, float]]) -> None:
    buffer = ScanBuffer()
    now = 0.0
    out = []
    for char, gap in keys:
        now += gap
        result = buffer.feed(char, now)
        if isinstance(result, ScanEvent):
            out.append(result.text + "\r")
        elif isinstance(result, BrokenScan | Passthrough):
            out.append(result.text)
    final = buffer.flush(now + 10_000.0)
    if final is not None:
        out.append(final.text)

    assert "".join(out) == "".join(char for char, _ in keys)
