"""Catching a keyboard-wedge scanner's bursts among the keys pressed in one part of a window.

An application event filter takes every key pressed in the owner widget (or its children, in the
same window); a fast burst ending with Enter is a scan, anything else is handed back to the
widget it was typed into as typing (see `ScanBuffer`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from parstudio.domain.barcodes import GS
from parstudio.domain.scanner_input import Passthrough, ScanBuffer, ScanEvent

__all__ = ["ScanCatcher", "char_of"]


class ScanCatcher(QObject):
    """Watches the keys of one widget and emits `scanned` with each scanner burst."""

    scanned = Signal(object)
    """A `ScanEvent`: the scan's text (without Enter) and when its keys came."""
    undo_requested = Signal()
    """Ctrl+Z pressed in the owner: wins over any window-wide Undo shortcut."""

    def __init__(
        self,
        owner: QWidget,
        *,
        max_interval_ms: float,
        clock: Callable[[], float] | None = None,
        fallback: QWidget | None = None,
        catch_undo: bool = False,
    ) -> None:
        super().__init__(owner)
        self._owner = owner
        self._clock = clock or (lambda: time.monotonic() * 1000.0)
        self._fallback = fallback
        self._catch_undo = catch_undo
        self._replaying = False
        self._installed = False
        self._key_target: QWidget | None = None
        self._last_key_ms = 0.0
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self._flush_held)
        self.set_max_interval(max_interval_ms)

    @property
    def max_interval_ms(self) -> float:
        """The largest gap between two keys of one scan."""
        return self._buffer.max_interval_ms

    def set_max_interval(self, max_interval_ms: float) -> None:
        """Change the speed threshold from the next key on."""
        # Only the threshold changes: this is called while typed keys are being replayed (the
        # settings dialog's own spin box), so the buffer must not be replaced or flushed here.
        if getattr(self, "_buffer", None) is None:
            self._buffer = ScanBuffer(max_interval_ms=max_interval_ms)
        elif max_interval_ms <= 0:
            raise ValueError("max_interval_ms must be positive")
        self._buffer.max_interval_ms = max_interval_ms
        self._flush_timer.setInterval(int(max_interval_ms) + 20)

    def start(self) -> None:
        """Begin watching keys."""
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def stop(self) -> None:
        """Stop watching keys."""
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
        self._installed = False
        self._flush_timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Feed keys pressed in the owner to the scan buffer."""
        kind = event.type()
        if (
            self._replaying
            or kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            or not isinstance(event, QKeyEvent)
            or not isinstance(watched, QWidget)
            or not self.owns(watched)
        ):
            return False
        if self._catch_undo and event.matches(QKeySequence.StandardKey.Undo):
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # the key comes to us as a key press, not to a window shortcut
                return True
            self.release_held()
            self.undo_requested.emit()
            return True
        if kind == QEvent.Type.ShortcutOverride:
            return False
        char = char_of(event)
        if char is None:
            # Navigation and shortcuts pass; keys held so far were typing and go first.
            self.release_held()
            return False
        now = self._clock()
        self._last_key_ms = now
        previous, self._key_target = self._key_target, watched
        result = self._buffer.feed(char, now)
        if isinstance(result, ScanEvent):
            self._flush_timer.stop()
            self.scanned.emit(result)
            return True
        if isinstance(result, Passthrough):
            # Released by a slow gap, the held keys belong where they were typed, which is not
            # necessarily where this key was pressed; with Enter they end here.
            ends_here = char == self._buffer.terminator
            self._replay(result.text, watched if ends_here else previous)
        self._flush_timer.start()
        return True

    def owns(self, widget: QWidget) -> bool:
        """Whether keys pressed in `widget` are ours: the owner's own widgets, not a dialog's."""
        owner = self._owner
        return (widget is owner or owner.isAncestorOf(widget)) and widget.window() is owner.window()

    def release_held(self) -> None:
        """Hand keys held so far to their widget as typing, now."""
        released = self._buffer.flush(float("inf"))
        self._flush_timer.stop()
        if released is not None:
            self._replay(released.text, self._key_target)

    def _flush_held(self) -> None:
        # The timer only fires after a real pause, so it is at least the interval since the
        # last key even when an injected clock has not moved.
        now = max(self._clock(), self._last_key_ms + self._buffer.max_interval_ms + 1)
        released = self._buffer.flush(now)
        if released is not None:
            self._replay(released.text, self._key_target)

    def _replay(self, text: str, target: QWidget | None) -> None:
        """Deliver typed keys to the widget they were typed into, unseen by the filter."""
        if target is None or not self.owns(target):
            target = self._fallback or self._owner
        self._replaying = True
        try:
            for char in text:
                # Qt's key codes of printable ASCII are the upper-case character codes.
                key = (
                    Qt.Key.Key_Return
                    if char == "\r"
                    else Qt.Key(ord(char.upper()))
                    if char.isascii() and char.isprintable()
                    else Qt.Key.Key_unknown
                )
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
                    QApplication.sendEvent(target, event)
        finally:
            self._replaying = False


def char_of(event: QKeyEvent) -> str | None:
    """The character a key press types, as the scan buffer takes it, or None for other keys."""
    modifiers = event.modifiers()
    command = modifiers & (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.MetaModifier
    )
    text = event.text()
    if text == GS:  # scanners type the GS1 group separator as Ctrl+]
        return GS
    if command:
        return None
    if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return "\r"
    if len(text) == 1 and text.isprintable():
        return text
    return None
