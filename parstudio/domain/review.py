"""Records of the PAR review: lines whose suggestion is out of line, and decisions taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from parstudio.domain.enums import Method
from parstudio.domain.suggestions import percent_change


class Formula(StrEnum):
    """Which of the two suggestion formulas the review compares with."""

    DELIVERIES = "deliveries"
    COVERAGE = "coverage"
    LEANEST = "leanest"
    """Not a formula of the review list: the leanest level of a what-if replay, recorded as
    the source of an accepted decision."""


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """One PAR setting whose suggestion differs from its level, with the evidence."""

    setting_id: int
    version: int
    location_code: str
    item_code: str
    description: str
    unit: str
    method: Method
    level: str
    """"PAR" or "Max": the level the suggestion is for."""
    current: Decimal | None
    suggested: Decimal
    other: Decimal
    """The other formula's figure."""
    weeks_used: int
    average: Decimal
    peak: Decimal
    sd: Decimal
    adjusted_average: Decimal
    season: str
    stockouts: int

    @property
    def change_pct(self) -> Decimal | None:
        """Suggested against current, in % of current (worked out when shown: lists are long)."""
        return percent_change(self.current, self.suggested)


@dataclass(frozen=True, slots=True)
class ReviewList:
    """The lines to review and how fresh the suggestions are."""

    lines: tuple[ReviewLine, ...]
    profiles: int
    """Settings with computed suggestions."""
    settings: int
    """Active settings in the chosen scope."""
    computed_at: datetime | None
    history_through: date | None


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """A suggestion accepted or rejected: who, when, old → new."""

    id: int
    setting_id: int
    decision: str
    decided_at: datetime
    decided_by: str | None
    level: str
    old_value: Decimal | None
    new_value: Decimal
    old_min: Decimal | None
    new_min: Decimal | None
    formula: str
    evidence: str | None
    version: int | None = None
    """The setting's version just after the decision, what undoing it checks against (None
    when read back from the history)."""


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """What a recomputation of suggestions did."""

    settings: int
    with_history: int
    seasonal: int
    through: date
    skipped: int = 0
    """Settings whose figures could not be worked out (left without a suggestion)."""
    total: int = 0
    """Settings there were to work out; more than ``settings`` when stopped early."""
    stopped: bool = False
    """Stopped before the end: the settings not reached keep their earlier suggestions."""
