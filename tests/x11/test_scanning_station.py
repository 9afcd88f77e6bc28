"""The scanning station on a real X server, typed into as a keyboard-wedge scanner types.

`parstudio count --location CT1` runs on Xvfb against the demo department. xdotool types a
continuous stream of barcodes of every kind at 4 ms a key, pressing Shift for capitals and
symbols and Ctrl+] for the GS1 group separator, as a scanner does, while a CPU-bound process
runs beside it. Halfway the station is killed with -9 and started again. The database must then
hold every scan typed, each exactly once, whole, in order, with the right quantities.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from parstudio.domain.hibc import hibc_check_character
from tests.support.x11 import XServer

pytestmark = pytest.mark.x11

GS = "\x1d"
LOCATION = "CT1"
SCANS = 200
KEY_DELAY_MS = "4"
# What xdotool presses for each character that is not a digit or a lower-case letter: a
# modifier pressed as a key of its own, as a scanner emulating a US keyboard does.
XDOTOOL_KEYS = {
    "+": "shift+plus",
    "$": "shift+dollar",
    "%": "shift+percent",
    "(": "shift+parenleft",
    ")": "shift+parenright",
    "~": "shift+asciitilde",
    "/": "slash",
    "-": "minus",
    ".": "period",
    " ": "space",
    GS: "ctrl+bracketright",
    "\r": "Return",
}


def keys_for(text: str) -> list[str]:
    """The xdotool key names that type `text` and its Enter."""
    keys = []
    for char in text + "\r":
        if char in XDOTOOL_KEYS:
            keys.append(XDOTOOL_KEYS[char])
        elif char.isupper():
            keys.append(f"shift+{char.lower()}")
        else:
            keys.append(char)
    return keys


@dataclass(frozen=True)
class Planned:
    """One scan to type: its text, the kind it must be recorded as, and what it counts."""

    text: str
    kind: str
    item_id: int | None
    units: int


def build_demo(path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "parstudio.cli", "--database", str(path), "demo"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def plan_scans(path: Path, count: int, seed: int = 15) -> list[Planned]:
    """A stream of scans of every kind, of CT1's ON HAND items and bins in the demo."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            """
            SELECT i.id, i.code, b.code FROM par_setting p
            JOIN location l ON l.id = p.location_id
            JOIN item i ON i.id = p.item_id
            JOIN barcode b ON b.item_id = i.id
            WHERE l.code = ? AND p.active AND coalesce(p.count_type, l.default_count_type)
                = 'ON HAND'
              AND (SELECT count(*) FROM barcode o WHERE o.code = b.code) = 1
            """,
            (LOCATION,),
        ).fetchall()
        bins = [
            code
            for (code,) in db.execute(
                "SELECT b.code FROM bin b JOIN location l ON l.id = b.location_id WHERE l.code = ?",
                (LOCATION,),
            )
        ]
    gtins = [(item, code, barcode) for item, code, barcode in rows if len(barcode) == 14]
    hibcs = [(item, code, barcode) for item, code, barcode in rows if barcode.startswith("+")]
    assert len(gtins) > 20 and len(hibcs) > 3 and bins, "the demo department changed"
    rng = random.Random(seed)

    def hibc_with_lot(barcode: str, n: int) -> str:
        data = f"{barcode[:-1]}/$$3301231LOT{n}X"
        return data + hibc_check_character(data)

    makers = [
        lambda n: (*rng.choice(hibcs)[::2], 1),  # HIBC primary, as printed: +M41500004810
        lambda n: (lambda r: (r[0], hibc_with_lot(r[2], n), 1))(rng.choice(hibcs)),
        lambda n: (lambda r: (r[0], r[2], 1))(rng.choice(gtins)),  # GTIN-14 digits
        lambda n: (lambda r: (r[0], f"01{r[2]}17301231" + f"10AB{n}CD", 1))(rng.choice(gtins)),
        lambda n: (lambda r: (r[0], f"01{r[2]}10L{n}{GS}17301231", 1))(rng.choice(gtins)),
        lambda n: (lambda r: (r[0], f"01{r[2]}10T{n}~17301231", 1))(rng.choice(gtins)),
        lambda n: (lambda r: (r[0], f"(01){r[2]}(10){n}", 1))(rng.choice(gtins)),
        lambda n: (lambda r: (r[0], r[1], 1))(rng.choice(rows)),  # the item's own label
        lambda n: (lambda r: (r[0], f"(02){r[2]}(37){2 + n % 5}", 2 + n % 5))(rng.choice(gtins)),
    ]
    planned = []
    for n in range(count):
        if n % 25 == 24:
            planned.append(Planned(rng.choice(bins), "BIN", None, 0))
            continue
        item_id, text, units = makers[n % len(makers)](n)
        planned.append(Planned(text, "ITEM", item_id, units))
    return planned


class Station:
    """`parstudio count --location CT1` on the X server, as a process of its own."""

    def __init__(self, x: XServer, database: Path, config: Path, log: Path) -> None:
        self.x = x
        env = {**x.env, "XDG_CONFIG_HOME": str(config)}
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "parstudio.cli", "--database", str(database)),
                *("count", "--location", LOCATION),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("ab"),
        )
        self.window = x.wait_for_window(f"Count — {LOCATION}")
        time.sleep(0.5)  # the count screen takes its first keys once its window is shown
        x.focus(self.window)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def cpu_hog() -> Iterator[subprocess.Popen[bytes]]:
    """A CPU-bound process beside the station, for at most 80 s."""
    busy = "import time\nend = time.monotonic() + 80\nwhile time.monotonic() < end: pass\n"
    hog = subprocess.Popen([sys.executable, "-c", busy])
    yield hog
    hog.kill()
    hog.wait()


def recorded(path: Path, after_id: int) -> list[tuple[str, str, int | None]]:
    """Scans the station recorded (raw text, kind, item), oldest first."""
    with sqlite3.connect(path, timeout=30) as db:
        return db.execute(
            "SELECT raw, kind, item_id FROM scan WHERE id > ? ORDER BY id", (after_id,)
        ).fetchall()


def wait_for(
    path: Path, after_id: int, total: int, timeout: float
) -> list[tuple[str, str, int | None]]:
    deadline = time.monotonic() + timeout
    rows = recorded(path, after_id)
    while len(rows) < total and time.monotonic() < deadline:
        time.sleep(0.2)
        rows = recorded(path, after_id)
    return rows


def test_every_kind_of_barcode_under_load_killed_halfway_each_scan_once(
    x_server: XServer, tmp_path: Path, cpu_hog: subprocess.Popen[bytes]
) -> None:
    database = tmp_path / "demo.db"
    build_demo(database)
    config = tmp_path / "config"
    (config / "PARStudio").mkdir(parents=True)
    (config / "PARStudio" / "PAR Studio.conf").write_text(
        "[scanner]\ngroup_separator=~\n", encoding="utf-8"
    )
    planned = plan_scans(database, SCANS)
    with sqlite3.connect(database) as db:
        before_id = db.execute("SELECT coalesce(max(id), 0) FROM scan").fetchone()[0]
    log = tmp_path / "station.log"

    # The first part, killed with -9 while the scanner is still typing.
    station = Station(x_server, database, config, log)
    first = planned[: SCANS * 3 // 5]
    typing = x_server.xdotool_async(
        ["key", "--delay", KEY_DELAY_MS, *[key for scan in first for key in keys_for(scan.text)]]
    )
    wait_for(database, before_id, SCANS // 2, timeout=60)  # then killed mid-stream
    station.kill()
    # The scanner types on into nowhere (killing xdotool part-way would leave a key held down
    # on the server, repeating).
    typing.wait(timeout=60)
    kept = recorded(database, before_id)
    assert SCANS // 3 < len(kept) < len(first), "the kill did not land halfway"
    print(f"killed with -9 after {len(kept)} of {len(first)} scans typed so far")
    assert [raw for raw, _, _ in kept] == [scan.text for scan in planned[: len(kept)]]

    # Started again, it resumes the count; the scanner goes on from the first scan not kept.
    station = Station(x_server, database, config, log)
    rest = planned[len(kept) :]
    x_server.xdotool(
        "key",
        "--delay",
        KEY_DELAY_MS,
        *[key for scan in rest for key in keys_for(scan.text)],
        timeout=120,
    )
    rows = wait_for(database, before_id, SCANS, timeout=30)
    try:
        got = [raw for raw, _, _ in rows]
        lost = [scan.text for scan in planned if scan.text not in got]
        split_or_odd = [raw for raw in got if raw not in {scan.text for scan in planned}]
        doubled = sorted(Counter(got) - Counter(scan.text for scan in planned))
        subprocess.run(
            ["import", "-display", x_server.display, "-window", "root", str(tmp_path / "end.png")],
            check=False,
        )
        assert (lost, split_or_odd, doubled) == ([], [], []), f"see {tmp_path}"
        assert got == [scan.text for scan in planned]
        assert [(kind, item) for _, kind, item in rows] == [
            (scan.kind, scan.item_id) for scan in planned
        ]
        with sqlite3.connect(database) as db:
            (count_id,) = db.execute(
                "SELECT c.id FROM count c JOIN location l ON l.id = c.location_id "
                "WHERE l.code = ? AND c.finished_at IS NULL",
                (LOCATION,),
            ).fetchone()
            lines = dict(
                db.execute(
                    "SELECT item_id, CAST(quantity AS INTEGER) FROM count_line WHERE count_id = ?",
                    (count_id,),
                ).fetchall()
            )
            unmatched = db.execute(
                "SELECT count(*) FROM scan WHERE count_id = ? AND kind = 'UNKNOWN'", (count_id,)
            ).fetchone()[0]
        expected: Counter[int] = Counter()
        for scan in planned:
            if scan.item_id is not None:
                expected[scan.item_id] += scan.units
        assert lines == dict(expected)
        assert unmatched == 0
    finally:
        station.kill()

    # The same location's handheld batch: every kind again, with keyed quantities, loaded
    # twice through the command line; it counts once.
    batch = [scan for scan in planned[:60] if scan.item_id is not None]
    export = tmp_path / "handheld.csv"
    export.write_text(
        "".join(f"{scan.text},{1 + n % 3}\n" for n, scan in enumerate(batch)), encoding="utf-8"
    )
    command = [sys.executable, "-m", "parstudio.cli", "--database", str(database)]
    command += ["count", "--location", LOCATION, "--from-file", str(export), "--apply"]
    command += ["--group-separator", "~"]
    for _ in range(2):
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    for n, scan in enumerate(batch):
        expected[scan.item_id] += 1 + n % 3  # keyed on the handheld: the label's quantity aside
    with sqlite3.connect(database) as db:
        after = dict(
            db.execute(
                "SELECT item_id, CAST(quantity AS INTEGER) FROM count_line WHERE count_id = ?",
                (count_id,),
            ).fetchall()
        )
    assert after == dict(expected)
    assert len(recorded(database, before_id)) == SCANS + len(batch)
