"""Reading handheld batch exports: the usual layouts, bad lines, stable ids."""

from __future__ import annotations

from datetime import datetime

import pytest

from parstudio.domain.scan_batch import read_batch


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"GLV-M\r\n0109501101530003\r\n", [("GLV-M", None), ("0109501101530003", None)]),
        (b"GLV-M,3\nSYR-10,1\n", [("GLV-M", 3), ("SYR-10", 1)]),
        (b"GLV-M;3\n", [("GLV-M", 3)]),
        (b"GLV-M\t3\n", [("GLV-M", 3)]),
        (b"\xef\xbb\xbfbarcode,qty\nGLV-M,2\n", [("GLV-M", 2)]),  # BOM and a header
        (b"\n  \nGLV-M,\n", [("GLV-M", None)]),  # blank lines, empty quantity
        (b'"+M41500004810",4\n', [("+M41500004810", 4)]),  # quoted
        (b"(01)09501101530003(10)AB1;2\n", [("(01)09501101530003(10)AB1", 2)]),
        (
            b"0109501101530003\x1d17300131,2\rGLV-M",
            [("0109501101530003\x1d17300131", 2), ("GLV-M", None)],
        ),
        # An HIBC check character that is a space stays with its label.
        (b"+O2200021531 \n+O2200021531 ,2\n", [("+O2200021531 ", None), ("+O2200021531 ", 2)]),
    ],
    ids=[
        "plain",
        "comma",
        "semicolon",
        "tab",
        "header",
        "blank",
        "quoted",
        "brackets",
        "gs",
        "hibc-space-check",
    ],
)
def test_layouts(data: bytes, expected: list[tuple[str, int | None]]) -> None:
    batch = read_batch(data)

    assert [(line.barcode, line.quantity) for line in batch.lines] == expected
    assert batch.problems == ()


def test_times_in_one_field_or_a_date_and_a_time() -> None:
    batch = read_batch(b"GLV-M,1,2026-12-07 14:30:05\nSYR-10,2,07.12.2026,14:31:00\n")

    when = [line.scanned_at for line in batch.lines]
    assert when == [
        datetime(2026, 12, 7, 14, 30, 5).astimezone(),
        datetime(2026, 12, 7, 14, 31, 0).astimezone(),
    ]


def test_bad_lines_are_problems_with_their_line_number_and_the_rest_is_read() -> None:
    batch = read_batch(b"GLV-M,two\nSYR-10,0\n,3\nTAPE,1,yesterday\nGAUZE\n")

    assert [line.barcode for line in batch.lines] == ["GAUZE"]
    assert [(p.line_no, p.reason) for p in batch.problems] == [
        (1, "The quantity “two” is not a whole number."),
        (2, "The quantity 0 is not between 1 and 100,000."),
        (3, "The line has no barcode."),
        (
            4,
            "The time “yesterday” is not a date and time PAR Studio reads (e.g. 2026-12-07 "
            "14:30:05).",
        ),
    ]


def test_ids_are_stable_for_the_same_file_and_scope_and_differ_otherwise() -> None:
    data = b"GLV-M\nGLV-M\n"
    first, again = read_batch(data, scope="CT1"), read_batch(data, scope="CT1")
    other_place, other_file = (
        read_batch(data, scope="CT2"),
        read_batch(data + b"SYR\n", scope="CT1"),
    )

    ids = [line.client_id for line in first.lines]
    assert ids == [line.client_id for line in again.lines]
    assert len(set(ids)) == 2  # the same barcode twice is two scans
    assert all(len(client_id) <= 36 for client_id in ids)
    assert not set(ids) & {line.client_id for line in other_place.lines}
    assert not set(ids) & {line.client_id for line in other_file.lines}


def test_latin1_file_is_read() -> None:
    batch = read_batch("Gaze-ü,1\n".encode("latin-1"))

    assert batch.lines[0].barcode == "Gaze-ü"
