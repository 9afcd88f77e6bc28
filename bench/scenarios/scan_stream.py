"""Counting: a continuous stream of 500 scans at 4 ms a key under a CPU-bound process: 0 split.

A feeder thread plays a keyboard-wedge scanner: it posts every key of 500 scans to the count
screen (Shift pressed and released around capitals and symbols, Ctrl+] for the GS1 group
separator, then Return), 4 ms apart, each key event stamped with the time it was sent, as an X
server stamps a key when it comes in. A second process burns a CPU meanwhile, and the count
screen records (and commits) every scan on the same thread that takes the keys, so keys queue
up behind each commit. The number measured is how many of the 500 did not arrive as exactly
the scan that was typed (split, merged, broken or lost), checked in the database; target 0.

The same screen and scans as the Enter → repaint scenario (counting.py). No baseline.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from bench.context import Context
from bench.harness import Measured, Scenario, cpu_hog
from bench.scenarios.counting import GS, CountingBench

SCANS = 500
KEY_GAP_S = 0.004


def scenarios(ctx: Context) -> list[Scenario]:
    """One scenario: split scans in a 500-scan stream under load."""
    bench = StreamBench(ctx)
    return [
        Scenario(
            name="counting: 500 scans streamed at 4 ms a key beside a CPU-bound process",
            ours=bench.stream,
            baseline=None,
            setup=bench.fresh_screen,
            target="0 split, merged or lost",
            max_value=0,
            repeat=1,
            unit="split",
            note="scans not recorded exactly as typed, checked in the database",
        )
    ]


class StreamBench:
    """The counting bench's screen, fed by a scanner thread."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._counting: CountingBench | None = None

    @property
    def counting(self) -> CountingBench:
        """Made when the scenario first runs (not when another one is chosen with --only)."""
        if self._counting is None:
            self._counting = CountingBench(self.ctx, scratch="scan_stream.sqlite")
        return self._counting

    def fresh_screen(self) -> None:
        self.counting.fresh_screen()

    def stream(self) -> Measured:
        """Stream the scans; return how many were not recorded exactly as typed."""
        from PySide6.QtWidgets import QApplication

        screen = self.counting.screen
        texts = self.counting.scans[:SCANS]
        app = QApplication.instance()
        assert app is not None
        broken: list[Any] = []
        screen.catcher.broken.connect(broken.append)
        feeder = threading.Thread(target=_type_all, args=(screen.table, texts), daemon=True)
        try:
            with cpu_hog():
                feeder.start()
                while feeder.is_alive():
                    app.processEvents()
                    time.sleep(0.001)
                deadline = time.monotonic() + 30
                while len(_recorded(screen)) < len(texts) and time.monotonic() < deadline:
                    app.processEvents()
                    time.sleep(0.01)
                app.processEvents()
        finally:
            screen.catcher.broken.disconnect(broken.append)
        recorded = _recorded(screen)
        wrong = sum(1 for typed, got in zip(texts, recorded, strict=False) if typed != got)
        return Measured(float(wrong + abs(len(texts) - len(recorded))))


def _recorded(screen: Any) -> list[str]:
    """The raw text of every scan of the screen's count, oldest first."""
    from sqlalchemy import select

    from parstudio.models import Scan

    with screen._db.reading() as session:
        return list(
            session.scalars(
                select(Scan.raw).where(Scan.count_id == screen.sheet.count_id).order_by(Scan.id)
            )
        )


def _type_all(widget: Any, texts: list[str]) -> None:
    """Post every key of every scan to `widget`, KEY_GAP_S apart, stamped with the send time."""
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    none = Qt.KeyboardModifier.NoModifier
    shift, ctrl = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier

    def post(kind: QEvent.Type, key: Qt.Key, modifiers: Qt.KeyboardModifier, text: str) -> None:
        event = QKeyEvent(kind, key, modifiers, text)
        event.setTimestamp(int(time.monotonic() * 1000))
        QCoreApplication.postEvent(widget, event)

    press, release = QEvent.Type.KeyPress, QEvent.Type.KeyRelease
    for text in texts:
        for char in text + "\r":
            if char == "\r":
                keys = [(Qt.Key.Key_Return, none, "\r")]
            elif char == GS:
                post(press, Qt.Key.Key_Control, ctrl, "")
                keys = [(Qt.Key.Key_BracketRight, ctrl, "")]
            elif char.isupper() or char in "+$%()~":
                post(press, Qt.Key.Key_Shift, shift, "")
                keys = [(Qt.Key(ord(char.upper())), shift, char)]
            else:
                keys = [(Qt.Key(ord(char.upper())), none, char)]
            for key, modifiers, typed in keys:
                post(press, key, modifiers, typed)
                post(release, key, modifiers, typed)
            if char == GS:
                post(release, Qt.Key.Key_Control, none, "")
            elif modifiers == shift:
                post(release, Qt.Key.Key_Shift, none, "")
            time.sleep(KEY_GAP_S)
