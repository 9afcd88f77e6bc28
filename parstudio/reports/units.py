"""reportlab's units and page sizes, typed: reportlab ships no type hints, so what it exports
is ``Any`` to mypy, and so would be every length worked out from them."""

from __future__ import annotations

from reportlab.lib import pagesizes, units

mm: float = units.mm
inch: float = units.inch
A4: tuple[float, float] = pagesizes.A4
LETTER: tuple[float, float] = pagesizes.LETTER
