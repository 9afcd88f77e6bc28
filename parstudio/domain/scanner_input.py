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

    - `ScanEvent` when the terminator ends at least `min_length` characters whose gaps were at
      most `max_interval_ms`, but for a stall or two of up to `break_ms` (keys arrive in order,
      so a stalled burst is still whole once its terminator has come; a wireless scanner, or a
      busy computer, stalls now and then);
    - `BrokenScan` when keys that came at scanner speed (`min_length` or more in all) never got
      their terminator within `break_ms`, or stalled too often to be one scan;
    - `Passthrough` with keystrokes that turned out to be typing (slow keys, a short burst,
      a lone terminator): the caller replays them into the focused widget;
    - None while the buffered keystrokes cannot be classified yet.

    A run of fast keys (or a first key) may be a scan that stalled, so it is held up to
    `break_ms` for the rest: a person's typing may reach the widget that much later. Held
    keys are only released by the next key or by `flush`: the caller calls `flush(now_ms)`
    at `deadline_ms()` (measured from the last key), and again while it returns None with
    keys still held.
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
        self._fast_gaps = 0  # gaps within the burst no longer than max_interval_ms
        self._stalls = 0  # longer gaps, up to break_ms, inside a burst of scanner-speed keys
        self._started_ms = 0.0
        self._last_ms = 0.0

    @property
    def holding(self) -> bool:
        """Whether keys are held, waiting to be classified."""
        return bool(self._chars or self._pieces)

    def deadline_ms(self) -> float:
        """How long after the last key `flush` may release what is held.

        Keys that came at scanner speed are nobody's typing: they are given a second (four
        times `break_ms`) for the rest of the scan to arrive through a busy computer. A first
        key on its own waits `break_ms`; a person's slow keys, `max_interval_ms`.
        """
        if len(self._chars) > 1 or any(len(piece) > 1 for piece in self._pieces):
            return max(self.max_interval_ms, 4 * self.break_ms)
        if self._scanner_like():
            return max(self.max_interval_ms, self.break_ms)
        return self.max_interval_ms

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
        stall = not fast and self._scanner_like() and gap <= self.break_ms
        if char == self.terminator:
            return self._terminated(char, t_ms, fast=fast, stall=stall)
        if fast:
            self._chars.append(char)
            self._last_ms = t_ms
            self._fast_gaps += 1
            return None
        if stall:  # a scan that stalled, perhaps: hold it for the rest
            self._pieces.append("".join(self._chars))
            self._stalls += 1
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
        self, char: str, t_ms: float, *, fast: bool, stall: bool
    ) -> ScanEvent | BrokenScan | Passthrough:
        """The terminator: one scan if the keys came at scanner speed, stalls aside."""
        if fast or stall:
            fast_gaps = self._fast_gaps + (1 if fast else 0)
            stalls = self._stalls + (0 if fast else 1)
            # A scanner that stalls does so once or twice in a burst; a person's keys are
            # mostly slow even when two of them roll over.
            if self._held_length() >= self.min_length and fast_gaps >= 3 * stalls:
                text = "".join(self._pieces) + "".join(self._chars)
                started_ms = self._started_ms
                self._clear()
                return ScanEvent(text, started_ms, t_ms)
        return self._release(ending=char)

    def _release(self, ending: str = "") -> BrokenScan | Passthrough:
        """Everything held, as a broken scan if it came at scanner speed, else as typing."""
        pieces = [*self._pieces, "".join(self._chars)]
        pieces[-1] += ending
        # Scanner speed: most gaps fast, and as many of them as a shortest scan has.
        scanner = self._fast_gaps >= self.min_length - 1 and self._fast_gaps > self._stalls
        self._clear()
        if scanner:
            return BrokenScan(tuple(pieces))
        return Passthrough("".join(pieces))

    def _scanner_like(self) -> bool:
        """Whether what is held may be a scan that stalled, and is worth waiting for.

        A run of fast keys is; so is a first key on its own (a scanner may stall right after
        it). Keys that came one by one, slowly, are a person typing.
        """
        if len(self._chars) > 1 or not self._pieces:
            return True
        return any(len(piece) > 1 for piece in self._pieces)

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
        self._fast_gaps = 0
        self._stalls = 0
