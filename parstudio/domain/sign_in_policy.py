"""How sign-in slows, then locks, after wrong passwords in a row."""

from __future__ import annotations

from datetime import timedelta

__all__ = ["LOCKED_FOR", "LOCK_AFTER", "wait_after"]

LOCK_AFTER = 5  # wrong passwords in a row that lock the account
LOCKED_FOR = timedelta(minutes=15)
_WAITS = {3: timedelta(seconds=5), 4: timedelta(seconds=30)}


def wait_after(failures: int) -> timedelta | None:
    """How long sign-in is refused after this many wrong passwords in a row (None: not at all)."""
    if failures >= LOCK_AFTER:
        return LOCKED_FOR
    return _WAITS.get(failures)
