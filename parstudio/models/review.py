"""Tables of the quarterly review: seasonal PAR levels, usage profiles and review decisions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from parstudio.models.base import Audited, Base, utcnow


class ParSeason(Audited, Base):
    """A seasonal level of a PAR setting, recurring every year between two month/days."""

    __tablename__ = "par_season"
    __mapper_args__ = {"version_id_col": Audited.version}  # noqa: RUF012
    __table_args__ = (
        CheckConstraint("start_month BETWEEN 1 AND 12", name="start_month_valid"),
        CheckConstraint("end_month BETWEEN 1 AND 12", name="end_month_valid"),
        CheckConstraint("factor IS NULL OR factor > 0", name="factor_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    par_setting_id: Mapped[int] = mapped_column(
        ForeignKey("par_setting.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    start_month: Mapped[int] = mapped_column(Integer)
    start_day: Mapped[int] = mapped_column(Integer)
    end_month: Mapped[int] = mapped_column(Integer)
    end_day: Mapped[int] = mapped_column(Integer)
    factor: Mapped[Decimal | None]
    par_level: Mapped[Decimal | None]
    min_level: Mapped[Decimal | None]
    max_level: Mapped[Decimal | None]


class UsageProfile(Base):
    """A setting's usage statistics and suggestions, as last computed for the review screen."""

    __tablename__ = "usage_profile"

    par_setting_id: Mapped[int] = mapped_column(
        ForeignKey("par_setting.id", ondelete="CASCADE"), primary_key=True
    )
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    history_through: Mapped[date] = mapped_column(Date)
    history_weeks: Mapped[int] = mapped_column(Integer)
    weeks_used: Mapped[int] = mapped_column(Integer)
    average: Mapped[Decimal]
    peak: Mapped[Decimal]
    sd: Mapped[Decimal]
    adjusted_average: Mapped[Decimal]
    by_deliveries: Mapped[Decimal]
    by_coverage: Mapped[Decimal]
    seasons: Mapped[str] = mapped_column(String(200), default="")
    """Seasons found, as "12-2:1.3;6-8:0.85" (first month-last month:factor)."""
    season_summary: Mapped[str] = mapped_column(String(200), default="")
    p_value: Mapped[float | None] = mapped_column(Float)
    stockouts: Mapped[int] = mapped_column(Integer, default=0)


class ParReviewDecision(Base):
    """A suggestion accepted or rejected in the review: who, when, and old → new."""

    __tablename__ = "par_review_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    par_setting_id: Mapped[int] = mapped_column(
        ForeignKey("par_setting.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(String(10))  # ACCEPTED or REJECTED
    decided_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))  # PAR or MAX: the level the suggestion is for
    old_value: Mapped[Decimal | None]
    new_value: Mapped[Decimal]
    old_min: Mapped[Decimal | None]
    new_min: Mapped[Decimal | None]
    formula: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str | None] = mapped_column(Text)
