"""The day the shared demo department of the tests is built for (tests/conftest.py)."""

from __future__ import annotations

from datetime import date

DEMO_DAY = date(2026, 11, 25)
"""``demo_db`` and ``reviewed_demo_db`` are ``build_demo(db, today=DEMO_DAY)``."""
