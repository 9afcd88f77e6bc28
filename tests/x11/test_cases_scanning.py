"""The case screen on a real X server, typed into by xdotool as a keyboard-wedge scanner types.

A case label, a GS1 label with a lot (Ctrl+] for the group separator), a HIBC implant label with
its serial (Shift for "+", "$" and "/"), an unknown barcode and a quantity typed by hand before
a scan: the database must hold exactly the lines a clerk meant, each once.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parstudio.domain.hibc import hibc_check_character
from parstudio.services.catalog import items, locations
from parstudio.services.core.database import open_database, sqlite_url
from tests.support.x11 import XServer
from tests.x11.test_scanning_station import keys_for

pytestmark = pytest.mark.x11

CONTRAST_GTIN = "00614141999996"
STENT = "+A123BJC5D6E71"
KEY_DELAY_MS = "4"

SHOW_SCREEN = """
import sys
from PySide6.QtWidgets import QApplication
from parstudio.services.core.database import open_database, sqlite_url
from parstudio.ui.cases.screen import CaseScreen

app = QApplication(sys.argv)
db = open_database(sqlite_url(sys.argv[1]), user_name="clerk")
screen = CaseScreen(db, int(sys.argv[2]), "IR suite (IR1)")
screen.setWindowTitle("Cases — IR1")
screen.resize(1280, 760)
screen.show()
app.exec()
"""


def stent(serial: str) -> str:
    data = f"{STENT}/$$+3281231{serial}"
    return data + hibc_check_character(data)


def build(path: Path) -> int:
    db = open_database(sqlite_url(path), user_name="manager")
    try:
        room = locations.create_location(db, fields={"code": "IR1", "name": "IR suite"})
        items.create_item(
            db,
            fields={
                "code": "CONTRAST-100",
                "description": "Iodixanol 100 mL",
                "barcodes": CONTRAST_GTIN,
                "billable": True,
                "charge_code": "Q9967",
            },
        )
        items.create_item(
            db,
            fields={
                "code": "STENT-3x18",
                "description": "Stent 3.0 x 18 mm",
                "barcodes": "A123BJC5D6E71",
                "serial_tracked": True,
            },
        )
        items.create_item(db, fields={"code": "GAUZE-44", "description": "Gauze 4x4"})
        return room.id
    finally:
        db.close()


def lines(path: Path) -> list[tuple[str, str, str | None, str | None, int]]:
    with sqlite3.connect(path, timeout=30) as db:
        return db.execute(
            "SELECT c.identifier, i.code, u.lot, u.serial, CAST(u.quantity AS INTEGER) "
            "FROM use_line u JOIN patient_case c ON c.id = u.case_id "
            "JOIN item i ON i.id = u.item_id WHERE NOT u.voided ORDER BY u.id"
        ).fetchall()


def wait_for(path: Path, count: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while len(lines(path)) < count and time.monotonic() < deadline:
        time.sleep(0.2)


def test_a_clerk_scans_a_case_and_its_items_on_a_real_x_server(
    x_server: XServer, tmp_path: Path
) -> None:
    database = tmp_path / "cases.db"
    room = build(database)
    log = tmp_path / "screen.log"
    process = subprocess.Popen(
        [sys.executable, "-c", SHOW_SCREEN, str(database), str(room)],
        env={**x_server.env, "XDG_CONFIG_HOME": str(tmp_path / "config")},
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )
    try:
        window = x_server.wait_for_window("Cases — IR1")
        time.sleep(0.5)
        x_server.focus(window)
        scans = ["V0012345", f"01{CONTRAST_GTIN}10LOT7X\x1d17281231", stent("SN9001"), "NOPE-1"]
        x_server.xdotool(
            "key", "--delay", KEY_DELAY_MS, *[k for scan in scans for k in keys_for(scan)]
        )
        wait_for(database, 2)
        # A quantity typed by hand (slowly), then the gauze's own label scanned.
        x_server.xdotool("key", "--delay", "150", "3")
        time.sleep(0.5)
        x_server.xdotool("key", "--delay", KEY_DELAY_MS, *keys_for("GAUZE-44"))
        wait_for(database, 3)
        time.sleep(0.5)  # anything more (a doubled or split scan) would land meanwhile
        subprocess.run(
            ["import", "-display", x_server.display, "-window", "root", str(tmp_path / "end.png")],
            check=False,
        )
        assert lines(database) == [
            ("V0012345", "CONTRAST-100", "LOT7X", None, 1),
            ("V0012345", "STENT-3x18", None, "SN9001", 1),
            ("V0012345", "GAUZE-44", None, None, 3),
        ], f"see {tmp_path}"
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT identifier FROM patient_case").fetchall() == [("V0012345",)]
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
