"""Helpers for UI tests that type like a keyboard-wedge scanner or like a person."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.counting.wedge import GS, SHIFTED


class Clock:
    """A monotonic millisecond clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def press(widget: QWidget, char: str) -> None:
    """One key as a keyboard-wedge scanner sends it: capitals and symbols with Shift pressed and
    released around them, GS as a Ctrl press, Ctrl+] and a Ctrl release, Enter as Return."""
    if char == "\r":
        QTest.keyClick(widget, Qt.Key.Key_Return)
    elif char == GS:
        control = Qt.KeyboardModifier.ControlModifier
        QTest.keyPress(widget, Qt.Key.Key_Control, control)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_BracketRight, control, GS)
            QApplication.sendEvent(widget, event)
        QTest.keyRelease(widget, Qt.Key.Key_Control)
    elif char in SHIFTED:
        shift = Qt.KeyboardModifier.ShiftModifier
        QTest.keyPress(widget, Qt.Key.Key_Shift, shift)
        QTest.keyClick(widget, char, shift)
        QTest.keyRelease(widget, Qt.Key.Key_Shift)
    else:
        QTest.keyClick(widget, char)


def type_keys(widget: QWidget, clock: Clock, text: str, *, gap_ms: float) -> None:
    """Send the text key by key, `gap_ms` apart on the clock."""
    for char in text:
        clock.now += gap_ms
        press(widget, char)


def scan(widget: QWidget, clock: Clock, text: str) -> None:
    """A scan at scanner speed (4 ms a key), ending with Enter."""
    type_keys(widget, clock, text + "\r", gap_ms=4)
