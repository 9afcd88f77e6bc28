"""Calendar quarters, as the quarterly review and its command line name them (2026-Q3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from parstudio.domain.errors import ValidationError
from parstudio.domain.seasonality import MONTHS

_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*Q([1-4])\s*$", re.I)


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    """A calendar quarter: Q1 is January to March."""

    year: int
    number: int

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The quarter a day falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_complete(cls, today: date) -> Quarter:
        """The latest quarter that has ended by ``today``."""
        return cls.containing(today).previous

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """A quarter written as 2026-Q3 (or 2026Q3, 2026 Q3)."""
        match = _QUARTER.match(text)
        if match is None:
            raise ValidationError(
                f"“{text.strip()}” is not a quarter; write it as 2026-Q3.", field="quarter"
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def start(self) -> date:
        """Its first day."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """Its last day."""
        return self.following.start - timedelta(days=1)

    @property
    def previous(self) -> Quarter:
        """The quarter before."""
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    @property
    def following(self) -> Quarter:
        """The quarter after."""
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    @property
    def year_before(self) -> Quarter:
        """The same quarter a year earlier."""
        return Quarter(self.year - 1, self.number)

    @property
    def code(self) -> str:
        """2026-Q3."""
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        """Q3 2026 (Jul–Sep)."""
        first = MONTHS[3 * self.number - 3]
        last = MONTHS[3 * self.number - 1]
        return f"Q{self.number} {self.year} ({first}–{last})"

    def __str__(self) -> str:
        return self.code
