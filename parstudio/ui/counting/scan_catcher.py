"""Catching a keyboard-wedge scanner's bursts among the keys pressed in one part of a window.

An application event filter takes every key pressed in the owner widget (or its children, in the
same window); a fast burst ending with Enter is a scan, anything else is handed back to the
widget it was typed into as typing (see `ScanBuffer`).

A scanner types like a keyboard: it presses Shift for capitals and symbols (HIBC's "+", "$",
"/", "%"; letters in lots) and Ctrl+] for the GS1 group separator. Bare modifier presses are
therefore never keys of their own: they neither end a burst nor release it. Keys are timed by
the key event's own timestamp (when the key was pressed), not by when a busy user-interface
thread got round to it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from parstudio.domain.barcodes import GS
from parstudio.domain.scanner_input import BrokenScan, Passthrough, ScanBuffer, ScanEvent

__all__ = ["MODIFIER_KEYS", "ScanCatcher", "char_of"]

MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
        Qt.Key.Key_Hyper_L,
        Qt.Key.Key_Hyper_R,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
        Qt.Key.Key_ScrollLock,
        Qt.Key.Key_Mode_switch,
    }
)
"""Keys a scanner (or a person) holds or toggles to type another key: never a key of their own."""

# The keys scanners press with Ctrl to send ASCII 29: "]" on US keyboards, "5" where "]" needs
# AltGr (the old terminal convention), and the rare keyboards that have a GS key of their own.
_GS_KEYS = frozenset({Qt.Key.Key_BracketRight, Qt.Key.Key_5})


class ScanCatcher(QObject):
    """Watches the keys of one widget and emits `scanned` with each scanner burst."""

    scanned = Signal(object)
    """A `ScanEvent`: the scan's text (without Enter) and when its keys came."""
    broken = Signal(object)
    """A `BrokenScan`: scanner-speed keys that did not come as one whole scan (not counted)."""
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
        typing_target: Callable[[QWidget], QWidget] | None = None,
    ) -> None:
        """Watch `owner`; `clock` (ms) times keys whose events carry no timestamp of their own
        (synthesised ones); typed keys go back where they were typed, or to
        `typing_target(widget)` (e.g. digits typed on a table to its quantity box)."""
        super().__init__(owner)
        self._owner = owner
        self._clock = clock or (lambda: time.monotonic() * 1000.0)
        self._fallback = fallback
        self._catch_undo = catch_undo
        self._typing_target = typing_target
        self._keys_seen = 0
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
        self._flush_timer.setInterval(int(self._buffer.deadline_ms()) + 20)

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
        if Qt.Key(event.key()) in MODIFIER_KEYS:
            return False  # Shift or Ctrl held for the next key: part of a scan, not its end
        char = char_of(event)
        if kind == QEvent.Type.ShortcutOverride:
            if char == GS:
                event.accept()  # Ctrl+] is the scanner's separator, not a window shortcut
                return True
            return False
        if char is None:
            # Navigation and shortcuts pass; keys held so far were typing and go first.
            self.release_held()
            return False
        if self._buffer.holding and watched is not self._key_target:
            # The focus moved: a scanner types all its keys into one widget, so what is held
            # was typed where it was typed.
            self.release_held()
        stamp = event.timestamp()
        now = float(stamp) if stamp else self._clock()
        self._last_key_ms = now
        self._keys_seen += 1
        previous, self._key_target = self._key_target, watched
        result = self._buffer.feed(char, now)
        if isinstance(result, ScanEvent):
            self._flush_timer.stop()
            self.scanned.emit(result)
            return True
        if isinstance(result, BrokenScan):
            self._flush_timer.stop()
            self.broken.emit(result)
        elif isinstance(result, Passthrough):
            # Released by a slow gap, the held keys belong where they were typed, which is not
            # necessarily where this key was pressed; with Enter they end here.
            ends_here = char == self._buffer.terminator
            self._replay(result.text, watched if ends_here else previous)
        if self._buffer.holding:
            self._flush_timer.start(int(self._buffer.deadline_ms()) + 20)
        return True

    def owns(self, widget: QWidget) -> bool:
        """Whether keys pressed in `widget` are ours: the owner's own widgets, not a dialog's."""
        owner = self._owner
        return (widget is owner or owner.isAncestorOf(widget)) and widget.window() is owner.window()

    def release_held(self) -> None:
        """Hand keys held so far to their widget as typing (or report a broken scan), now."""
        self._flush_timer.stop()
        self._deliver(self._buffer.flush(float("inf")))

    def _flush_held(self) -> None:
        """The pause after the last key is over: release what is held, unless keys wait."""
        # Keys a busy user-interface thread has not handled yet may continue the burst: they
        # go first (their timestamps say when they were really pressed).
        seen = self._keys_seen
        QCoreApplication.processEvents()
        if self._keys_seen != seen or not self._buffer.holding:
            return  # a newer key restarted the wait, or ended the burst
        # The timer only fires after a real pause, so it is past the deadline even when the
        # key timestamps and the clock do not share a zero.
        self._deliver(self._buffer.flush(self._last_key_ms + self._buffer.deadline_ms() + 1))

    def _deliver(self, released: BrokenScan | Passthrough | None) -> None:
        if isinstance(released, BrokenScan):
            self.broken.emit(released)
        elif released is not None:
            self._replay(released.text, self._key_target)

    def _replay(self, text: str, target: QWidget | None) -> None:
        """Deliver typed keys to the widget they were typed into, unseen by the filter."""
        if target is None or not self.owns(target):
            target = self._fallback or self._owner
        if self._typing_target is not None and text.strip("\r"):
            target = self._typing_target(target)
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
    control_only = command == Qt.KeyboardModifier.ControlModifier
    if control_only and Qt.Key(event.key()) in _GS_KEYS:
        return GS  # Ctrl+] or Ctrl+5 where the platform gives no ASCII 29 text
    if command:
        return None
    if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return "\r"
    if len(text) == 1 and text.isprintable():
        return text
    return None
