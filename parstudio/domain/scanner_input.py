"""Telling a keyboard-wedge barcode scanner apart from a person typing, by keystroke timing."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Passthrough", "ScanBuffer", "ScanEvent"]


@dataclass(frozen=True)
class ScanEvent:
    """A complete scan: the characters before the terminator, and when they arrived."""

    text: str
    started_ms: float
    ended_ms: float


@dataclass(frozen=True)
class Passthrough:
    """Keystrokes a person typed, to be handed on to the focused widget in this order."""

    text: str


class ScanBuffer:
    """Holds keystrokes until their timing shows whether a scanner or a person sent them.

    Feed every character with its timestamp. `feed` and `flush` return:

    - `ScanEvent` when the terminator ends a burst of at least `min_length` characters whose
      gaps (terminator included) were all at most `max_interval_ms`;
    - `Passthrough` with keystrokes that turned out to be typing (a slow gap, a short burst,
      a lone terminator): the caller replays them into the focused widget;
    - None while the buffered keystrokes cannot be classified yet.

    A held keystroke is only released by the next one or by `flush`, so the caller should call
    `flush(now_ms)` from a timer a little over `max_interval_ms` after the last key. Scanners
    that send no terminator therefore reach the widget as typing.
    """

    def __init__(
        self, *, max_interval_ms: float = 30.0, min_length: int = 4, terminator: str = "\r"
    ) -> None:
        """Set the largest gap a scanner leaves, the shortest scan, and the suffix key."""
        if max_interval_ms <= 0:
            raise ValueError("max_interval_ms must be positive")
        if min_length < 1:
            raise ValueError("min_length must be at least 1")
        if len(terminator) != 1:
            raise ValueError("terminator must be one character")
        self.max_interval_ms = max_interval_ms
        self.min_length = min_length
        self.terminator = terminator
        self._chars: list[str] = []
        self._started_ms = 0.0
        self._last_ms = 0.0

    def feed(self, char: str, t_ms: float) -> ScanEvent | Passthrough | None:
        """Take one keystroke at time `t_ms`; see the class docstring for what comes back."""
        if len(char) != 1:
            raise ValueError("feed takes one character at a time")
        if not self._chars:
            if char == self.terminator:
                return Passthrough(char)
            self._start(char, t_ms)
            return None

        fast = t_ms - self._last_ms <= self.max_interval_ms
        if char == self.terminator:
            held = "".join(self._chars)
            started_ms = self._started_ms
            self._chars = []
            if fast and len(held) >= self.min_length:
                return ScanEvent(held, started_ms, t_ms)
            return Passthrough(held + char)
        if fast:
            self._chars.append(char)
            self._last_ms = t_ms
            return None
        # A slow gap: what was held was typing; the new key may be the start of a scan.
        held = "".join(self._chars)
        self._start(char, t_ms)
        return Passthrough(held)

    def flush(self, now_ms: float) -> Passthrough | None:
        """Release held keystrokes as typing once no key has come for over `max_interval_ms`."""
        if not self._chars or now_ms - self._last_ms <= self.max_interval_ms:
            return None
        held = "".join(self._chars)
        self._chars = []
        return Passthrough(held)

    def _start(self, char: str, t_ms: float) -> None:
        """Begin holding a new run of keystrokes with `char`."""
        self._chars = [char]
        self._started_ms = t_ms
        self._last_ms = t_ms
