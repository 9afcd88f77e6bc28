"""A keyboard-wedge scanner emulated at the key-event level, as a real one types on a US layout.

Every key is a press and a release with the event's own timestamp. Capitals and shifted symbols
are typed with Shift held (a separate Shift press before and release after), the GS1 group
separator as Ctrl+] (a separate Ctrl press; the key event carries no text, as on the offscreen
platform), and the scan ends with Return.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

GS = "\x1d"
SHIFTED = set('~!@#$%^&*()_+{}|:"<>?') | {chr(c) for c in range(ord("A"), ord("Z") + 1)}


class Wedge:
    """Sends keys to a widget with timestamps that move `gap_ms` a key from `start_ms`."""

    def __init__(self, *, start_ms: int = 50_000, gap_ms: int = 4) -> None:
        self.now = start_ms
        self.gap_ms = gap_ms

    def send(
        self, widget: QWidget, kind: QEvent.Type, key: Qt.Key, text: str = "", **kw: object
    ) -> None:
        modifiers = kw.get("modifiers", Qt.KeyboardModifier.NoModifier)
        event = QKeyEvent(kind, key, modifiers, text)  # type: ignore[arg-type]
        event.setTimestamp(self.now)
        QApplication.sendEvent(widget, event)

    def tap(self, widget: QWidget, key: Qt.Key, text: str = "", **kw: object) -> None:
        self.send(widget, QEvent.Type.KeyPress, key, text, **kw)
        self.send(widget, QEvent.Type.KeyRelease, key, text, **kw)

    def modifier(
        self, widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier, down: bool
    ) -> None:
        kind = QEvent.Type.KeyPress if down else QEvent.Type.KeyRelease
        self.send(widget, kind, key, modifiers=modifier if down else Qt.KeyboardModifier.NoModifier)

    def key(self, widget: QWidget, char: str) -> None:
        """One character as the scanner types it, `gap_ms` after the previous one."""
        self.now += self.gap_ms
        if char == "\r":
            self.tap(widget, Qt.Key.Key_Return, "\r")
        elif char == GS:
            control = Qt.KeyboardModifier.ControlModifier
            self.modifier(widget, Qt.Key.Key_Control, control, True)
            self.tap(widget, Qt.Key.Key_BracketRight, "", modifiers=control)
            self.modifier(widget, Qt.Key.Key_Control, control, False)
        elif char in SHIFTED:
            shift = Qt.KeyboardModifier.ShiftModifier
            self.modifier(widget, Qt.Key.Key_Shift, shift, True)
            self.tap(widget, Qt.Key(ord(char.upper())), char, modifiers=shift)
            self.modifier(widget, Qt.Key.Key_Shift, shift, False)
        else:
            self.tap(widget, Qt.Key(ord(char.upper())), char)

    def scan(self, widget: QWidget, text: str) -> None:
        """A whole barcode and its Return."""
        for char in text + "\r":
            self.key(widget, char)

    def pause(self, ms: int) -> None:
        self.now += ms
