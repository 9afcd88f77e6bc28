"""A run of whole months that a report covers: parsed from YYYY-MM, or the last complete quarter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from parstudio.domain.errors import ValidationError
from parstudio.domain.quarterly_review import Quarter
from parstudio.domain.usage import month_start, next_month

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """From the first day of ``first`` to the last day of ``last`` (both first days of months)."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.first != month_start(self.first) or self.last != month_start(self.last):
            raise ValueError("A report period runs from the first day of a month.")
        if self.last < self.first:
            raise ValidationError("The last month of a report comes after its first month.")

    @property
    def end(self) -> date:
        """The last day of the period."""
        return next_month(self.last) - timedelta(days=1)

    @property
    def months(self) -> int:
        """How many months the period covers."""
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    @property
    def label(self) -> str:
        """The period in words: "Jul–Sep 2026", "Nov 2026", "Nov 2025–Jan 2026"."""
        if self.first == self.last:
            return f"{self.first:%b %Y}"
        if self.first.year == self.last.year:
            return f"{self.first:%b}–{self.last:%b %Y}"
        return f"{self.first:%b %Y}–{self.last:%b %Y}"

    @property
    def key(self) -> str:
        """The period for a file name: "2026-07_2026-09", or "2026-11" for one month."""
        if self.first == self.last:
            return f"{self.first:%Y-%m}"
        return f"{self.first:%Y-%m}_{self.last:%Y-%m}"


def parse_month(text: str, *, what: str = "month") -> date:
    """The first day of a month written YYYY-MM (2026-07)."""
    found = _MONTH.match(text)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise ValidationError(
            f"The {what} “{text}” is not a month: write it as YYYY-MM, e.g. 2026-07."
        )
    return date(int(found.group(1)), int(found.group(2)), 1)


def last_complete_month(today: date) -> ReportPeriod:
    """The month before today's."""
    last = month_start(month_start(today) - timedelta(days=1))
    return ReportPeriod(last, last)


def last_complete_quarter(today: date) -> ReportPeriod:
    """The calendar quarter (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec) before today's."""
    quarter = Quarter.last_complete(today)
    return ReportPeriod(quarter.start, month_start(quarter.end))


def period_between(
    first: date | None, last: date | None, *, today: date, default: ReportPeriod
) -> ReportPeriod:
    """The months from ``first`` to ``last``; a missing end is taken from the default period.

    Only ``first`` given: from that month through the last complete month (or that month alone
    when it is the current one). Only ``last`` given: as many months as the default, ending then.
    """
    if first is None and last is None:
        return default
    if first is None:
        assert last is not None
        end = month_start(last)
        back = end.year * 12 + end.month - 1 - (default.months - 1)
        return ReportPeriod(date(back // 12, back % 12 + 1, 1), end)
    if last is None:
        through = last_complete_month(today).last
        return ReportPeriod(month_start(first), max(month_start(first), through))
    return ReportPeriod(month_start(first), month_start(last))
