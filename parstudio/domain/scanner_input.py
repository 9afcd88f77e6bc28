"""Telling a keyboard-wedge barcode scanner apart from a person typing, by keystroke timing.

A scanner types a whole barcode in a few milliseconds a key and ends it with Enter; a person
leaves a tenth of a second or more between keys. Keys arrive in order, so a busy computer can
only make a scan's keys look *slower* than they were, never lose or reorder them: timing is
taken from the key events' own timestamps, and a burst that stalls part-way is held a little
longer (`break_ms`) before it is given up on. A burst that still cannot be read whole is
reported as a `BrokenScan`, never handed on as typing and never dropped without a word.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BrokenScan", "Passthrough", "ScanBuffer", "ScanEvent"]


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


@dataclass(frozen=True)
class BrokenScan:
    """Keys that came at scanner speed but not as one whole scan: to be reported, not counted.

    `pieces` are the runs of fast keys as they came (the last one with the terminator, if it
    came); together they are every key the buffer took for this burst.
    """

    pieces: tuple[str, ...]

    @property
    def text(self) -> str:
        """Every key of the burst, in order."""
        return "".join(self.pieces)

    def describe(self, terminator: str = "\r") -> str:
        """The pieces for a message, e.g. “LIN-0” … “09”, with the separator shown as <GS>."""
        shown = [piece.replace(terminator, "").replace("\x1d", "<GS>") for piece in self.pieces]
        return " … ".join(f"“{piece}”" for piece in shown if piece)


class ScanBuffer:
    """Holds keystrokes until their timing shows whether a scanner or a person sent them.

    Feed every character with its timestamp (ms). `feed` and `flush` return:

    - `ScanEvent` when the terminator ends one run of at least `min_length` characters whose
      gaps were all at most `max_interval_ms` (the terminator may come up to `break_ms` late:
      every character before it has arrived, so the scan is whole);
    - `BrokenScan` when keys that came at scanner speed (`min_length` or more in all) were cut
      into pieces by a gap over `max_interval_ms`, or never got their terminator;
    - `Passthrough` with keystrokes that turned out to be typing (slow keys, a short burst,
      a lone terminator): the caller replays them into the focused widget;
    - None while the buffered keystrokes cannot be classified yet.

    A run of two or more fast keys may be a scan that stalled, so it is held up to `break_ms`
    for the rest. Held keys are only released by the next key or by `flush`: the caller calls
    `flush(now_ms)` at `deadline_ms()` (measured from the last key), and again while it
    returns None with keys still held.
    """

    def __init__(
        self,
        *,
        max_interval_ms: float = 30.0,
        min_length: int = 4,
        terminator: str = "\r",
        break_ms: float = 250.0,
    ) -> None:
        """Set the largest gap a scanner leaves, the shortest scan, the suffix key, and how
        long a stalled burst is waited for."""
        if max_interval_ms <= 0:
            raise ValueError("max_interval_ms must be positive")
        if min_length < 1:
            raise ValueError("min_length must be at least 1")
        if len(terminator) != 1:
            raise ValueError("terminator must be one character")
        self.max_interval_ms = max_interval_ms
        self.min_length = min_length
        self.terminator = terminator
        self.break_ms = break_ms
        self._pieces: list[str] = []  # earlier fast runs of the burst, cut off by a stall
        self._chars: list[str] = []  # the current run of fast keys
        self._started_ms = 0.0
        self._last_ms = 0.0

    @property
    def holding(self) -> bool:
        """Whether keys are held, waiting to be classified."""
        return bool(self._chars or self._pieces)

    def deadline_ms(self) -> float:
        """How long after the last key `flush` may release what is held."""
        wait = self.break_ms if self._scanner_like() else 0.0
        return max(self.max_interval_ms, wait)

    def feed(self, char: str, t_ms: float) -> ScanEvent | BrokenScan | Passthrough | None:
        """Take one keystroke at time `t_ms`; see the class docstring for what comes back."""
        if len(char) != 1:
            raise ValueError("feed takes one character at a time")
        if not self.holding:
            if char == self.terminator:
                return Passthrough(char)
            self._start(char, t_ms)
            return None

        gap = t_ms - self._last_ms
        fast = gap <= self.max_interval_ms
        if char == self.terminator:
            return self._terminated(char, t_ms, fast=fast, gap=gap)
        if fast:
            self._chars.append(char)
            self._last_ms = t_ms
            return None
        # A slow gap. A run of fast keys may be a scan that stalled: hold it for the rest.
        if self._scanner_like() and gap <= self.break_ms:
            self._pieces.append("".join(self._chars))
            self._start(char, t_ms)
            return None
        released = self._release()
        self._start(char, t_ms)
        return released

    def flush(self, now_ms: float) -> BrokenScan | Passthrough | None:
        """Release held keystrokes once no key has come for `deadline_ms()`."""
        if not self.holding or now_ms - self._last_ms <= self.deadline_ms():
            return None
        return self._release()

    # --- inside ----------------------------------------------------------------------------

    def _terminated(
        self, char: str, t_ms: float, *, fast: bool, gap: float
    ) -> ScanEvent | BrokenScan | Passthrough:
        run = "".join(self._chars)
        late = len(self._chars) > 1 and gap <= self.break_ms  # the Enter alone came late
        if not self._pieces and len(run) >= self.min_length and (fast or late):
            started_ms = self._started_ms
            self._clear()
            return ScanEvent(run, started_ms, t_ms)
        if fast and self._pieces and self._held_length() >= self.min_length:
            pieces = (*self._pieces, run + char)
            self._clear()
            return BrokenScan(pieces)
        return self._release(ending=char)

    def _release(self, ending: str = "") -> BrokenScan | Passthrough:
        """Everything held, as a broken scan if it came at scanner speed, else as typing."""
        pieces = [*self._pieces, "".join(self._chars)]
        fast_keys = sum(len(piece) for piece in pieces if len(piece) > 1)
        pieces[-1] += ending
        self._clear()
        if fast_keys >= self.min_length:
            return BrokenScan(tuple(pieces))
        return Passthrough("".join(pieces))

    def _scanner_like(self) -> bool:
        """Whether what is held came (at least partly) at scanner speed."""
        return len(self._chars) > 1 or bool(self._pieces)

    def _held_length(self) -> int:
        return sum(len(piece) for piece in self._pieces) + len(self._chars)

    def _start(self, char: str, t_ms: float) -> None:
        """Begin holding a new run of keystrokes with `char`."""
        self._chars = [char]
        if not self._pieces:
            self._started_ms = t_ms
        self._last_ms = t_ms

    def _clear(self) -> None:
        self._pieces = []
        self._chars = []
