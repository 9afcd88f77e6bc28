"""Counting: a scan typed by a keyboard-wedge scanner into the real count screen, Enter → repaint.

The location: the PAR location with the most lines, topped up to 2,000 PAR settings in a scratch
copy of the department (generated PAR locations hold about 500; the storeroom's ~10,000 lines
are MIN/MAX, not PAR). 1,000 scans — GS1 DataMatrix with lot, expiry and serial when the item
has a GTIN, else its other barcode or its code — walk the shelves as a clerk does (bin order, one
to four units a line, a line skipped now and then) and are sent as key events;
each is timed from sending Enter to the table's viewport having repainted the scanned row. The
scan is committed to the database before it is acknowledged, inside that time.

Baseline: the bare work of a scan, one SQLAlchemy Core insert of a scan row and its commit on
the same database.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench.context import Context
from bench.harness import Measured, Scenario

LINES = 2_000
SCANS = 1_000
GS = "\x1d"


def scenarios(ctx: Context) -> list[Scenario]:
    """One scenario: median Enter → repaint over 1,000 scans of a 2,000-line location, also
    beside a CPU-bound process."""
    bench = CountingBench(ctx)
    return [
        Scenario(
            name="counting: scan Enter → repaint (2,000-line location, 1,000 scans)",
            ours=bench.scan_all,
            baseline=bench.bare_inserts,
            setup=bench.fresh_screen,
            target="< 15 ms median",
            max_value=0.015,
            repeat=3,
            under_load=True,
            note="median per scan; baseline: one insert + commit",
        )
    ]


class CountingBench:
    """The scratch database, the count screen, and the scans to send it."""

    def __init__(self, ctx: Context, scratch: str = "counting.sqlite") -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from parstudio.services.core.database import open_database, sqlite_url

        self.app = QApplication.instance() or QApplication(["bench"])
        self.ctx = ctx
        self.db = open_database(sqlite_url(ctx.scratch_copy(scratch)), user_name="bench")
        self.location_id = _top_up_location(self.db, LINES)
        self.screen: Any = None
        self.scans: list[str] = []
        self.latencies: list[float] = []

    # -- setup: a new count on a new screen
    def fresh_screen(self) -> None:
        """Close the previous count and screen; open the location's count screen afresh."""
        from PySide6.QtCore import QSettings

        from parstudio.services.counting import scans as counting
        from parstudio.ui.counting.screen import CountScreen

        if self.screen is not None:
            counting.finish_count(self.db, count_id=self.screen.sheet.count_id, confirm=True)
            self.screen.stop()
            self.screen.close()
            self.screen.deleteLater()
            self.app.processEvents()
        settings = QSettings(str(self.ctx.workdir / "scanner.ini"), QSettings.Format.IniFormat)
        self.screen = CountScreen(self.db, self.location_id, settings=settings)
        self.screen.resize(1366, 800)
        self.screen.show()
        self.app.processEvents()
        if not self.scans:
            self.scans = _scan_texts(self.db, self.screen.model.lines(), SCANS)

    # -- ours: the real screen, driven by key events
    def scan_all(self) -> Measured:
        """Send every scan; return the median Enter → repaint time."""
        from PySide6.QtCore import QEvent, QObject, Qt
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QApplication

        table = self.screen.table
        viewport = table.viewport()

        class PaintCounter(QObject):
            paints = 0

            def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    PaintCounter.paints += 1
                return False

        counter = PaintCounter()
        viewport.installEventFilter(counter)
        press, release = QEvent.Type.KeyPress, QEvent.Type.KeyRelease
        none, ctrl = Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier
        forced = 0
        latencies = []
        try:
            for text in self.scans:
                for char in text:
                    if char == GS:
                        key, modifiers = Qt.Key.Key_BracketRight, ctrl
                    else:
                        key, modifiers = Qt.Key(ord(char.upper())), none
                    QApplication.sendEvent(table, QKeyEvent(press, key, modifiers, char))
                    QApplication.sendEvent(table, QKeyEvent(release, key, modifiers, char))
                painted = PaintCounter.paints
                start = time.perf_counter()
                QApplication.sendEvent(table, QKeyEvent(press, Qt.Key.Key_Return, none, "\r"))
                QApplication.processEvents()
                if PaintCounter.paints == painted:  # never seen so far; keeps the measure honest
                    viewport.repaint()
                    forced += 1
                latencies.append(time.perf_counter() - start)
                QApplication.sendEvent(table, QKeyEvent(release, Qt.Key.Key_Return, none, "\r"))
        finally:
            viewport.removeEventFilter(counter)
        self.latencies = latencies
        self.forced_repaints = forced
        return Measured(statistics.median(latencies))

    # -- baseline: the bare insert + commit of one scan row
    def bare_inserts(self) -> Measured:
        """Median of one Core insert of a scan row and its commit, over 200 of them."""
        from sqlalchemy import insert

        from parstudio.models import Scan

        count_id = self.screen.sheet.count_id
        times = []
        for n in range(200):
            start = time.perf_counter()
            with self.db.engine.begin() as connection:
                connection.execute(
                    insert(Scan).values(
                        count_id=count_id,
                        kind="UNKNOWN",
                        raw=f"baseline {n}",
                        recorded_at=datetime.now(UTC),
                        recorded_by="bench",
                        undone=False,
                    )
                )
            times.append(time.perf_counter() - start)
        return Measured(statistics.median(times))


def _top_up_location(db: Any, lines: int) -> int:
    """The PAR location with the most lines, given PAR settings up to `lines` (scratch copy)."""
    from sqlalchemy import func, select

    from parstudio.models import Barcode, Bin, Location, ParSetting

    with db.transaction() as session:
        location_id, have = session.execute(
            select(Location.id, func.count(ParSetting.id))
            .join(ParSetting, ParSetting.location_id == Location.id)
            .where(Location.kind == "PAR LOCATION", Location.active.is_(True))
            .group_by(Location.id)
            .order_by(func.count(ParSetting.id).desc(), Location.id)
            .limit(1)
        ).one()
        if have >= lines:
            return int(location_id)
        bins = list(session.scalars(select(Bin.id).where(Bin.location_id == location_id)))
        stocked = select(ParSetting.item_id).where(ParSetting.location_id == location_id)
        items = session.scalars(
            select(Barcode.item_id)
            .where(Barcode.item_id.not_in(stocked))
            .group_by(Barcode.item_id)
            .order_by(Barcode.item_id)
            .limit(lines - have)
        ).all()
        now = datetime.now(UTC)
        session.execute(
            ParSetting.__table__.insert(),
            [
                {
                    "location_id": location_id,
                    "item_id": item_id,
                    "bin_id": bins[n % len(bins)] if bins else None,
                    "method": "PAR",
                    "count_type": "ON HAND",
                    "par_level": 10 + n % 40,
                    "rounding": "UP",
                    "active": True,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "updated_by": "bench",
                }
                for n, item_id in enumerate(items)
            ],
        )
        return int(location_id)


def _scan_texts(db: Any, lines: list[Any], n: int) -> list[str]:
    """What the scanner types for `n` scans, as a clerk counts: shelf by shelf in bin order,
    one to four units of a line, now and then a line skipped (seeded: every run the same)."""
    from sqlalchemy import select

    from parstudio.models import Barcode

    counted = [line for line in lines if line.to_count]
    with db.reading() as session:
        barcodes: dict[int, list[str]] = {}
        for item_id, code in session.execute(
            select(Barcode.item_id, Barcode.code).where(
                Barcode.item_id.in_([line.item_id for line in counted])
            )
        ):
            barcodes.setdefault(item_id, []).append(code)
    expiry = date.today() + timedelta(days=500)
    rng = random.Random(4)
    texts: list[str] = []
    position = 0
    while len(texts) < n:
        line = counted[position % len(counted)]
        position += 1 + (rng.random() < 0.1)
        codes = barcodes.get(line.item_id, [])
        gtin = next((c for c in codes if len(c) == 14 and c.isdigit()), None)
        for unit in range(rng.randint(1, 4)):
            k = len(texts)
            if gtin and k % 4:
                texts.append(f"]d201{gtin}17{expiry:%y%m%d}10L{k % 97}{GS}21S{k}")
            elif codes:
                texts.append(codes[(k + unit) % len(codes)])
            else:
                texts.append(line.item_code)
    return texts[:n]
