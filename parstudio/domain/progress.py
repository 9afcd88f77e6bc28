"""Progress of long work: a callback told (done, total), which may stop the work by raising."""

from __future__ import annotations

import threading
from collections.abc import Callable

from parstudio.domain.errors import CancelledError

Progress = Callable[[int, int], None]
"""Called with (done, total) as long work advances; raising CancelledError in it stops the work."""


def no_progress(_done: int, _total: int) -> None:
    """A progress callback that does nothing."""


class CancelFlag:
    """A flag another thread sets to cancel work; the work checks it when it reports progress."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel() was called."""
        return self._event.is_set()

    def check(self) -> None:
        """Raise CancelledError if cancel() was called."""
        if self._event.is_set():
            raise CancelledError()

    def reporting(self, progress: Progress | None = None) -> Progress:
        """A progress callback that passes reports on and stops the work once cancelled."""

        def report(done: int, total: int) -> None:
            self.check()
            if progress is not None:
                progress(done, total)

        return report
