"""The PAR review: usage profiles computed in batches, and the list of settings out of line.

Working out suggestions reads every count and receipt of two years, which for a large
department takes minutes; so it is done as a batch (Recompute, or on a schedule) into
``usage_profile``, one row per setting. The review list then is one query over those rows,
filtered in the database by how far the suggestion is from the level. Accepting or rejecting
a suggestion is in ``decisions.py`` (its verbs are named here too, for callers of
``services.review.suggestions``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, delete, exists, func, insert, or_, select

from parstudio.domain.enums import Method, weekday_numbers
from parstudio.domain.errors import ParStudioError, ValidationError
from parstudio.domain.quantities import fill_level
from parstudio.domain.review import (
    Formula,
    RefreshSummary,
    ReviewLine,
    ReviewList,
)
from parstudio.domain.suggestions import (
    ParReview,
    SuggestionPolicy,
    longest_gap,
    review_suggestion,
)
from parstudio.domain.usage import UsageHistory
from parstudio.domain.usage_exact import UsageFigures
from parstudio.models import (
    Item,
    Location,
    ParReviewDecision,
    ParSetting,
    Supplier,
    UsageProfile,
)
from parstudio.models.base import utcnow
from parstudio.services.core.bulk import collector_paused, read_rows
from parstudio.services.core.database import Database
from parstudio.services.review.decisions import decide, decisions, undo_decisions
from parstudio.services.review.usage import usage_history
from parstudio.services.review.usage_bulk import usage_by_location

__all__ = [
    "decide",
    "decisions",
    "refresh_profiles",
    "review_detail",
    "review_list",
    "review_query",
    "suggest",
    "undo_decisions",
]

DEFAULT_LEAD_DAYS = 2
TRANSFER_LEAD_DAYS = 1
LOCATIONS_PER_BATCH = 8
Progress = Callable[[int, int], bool]
"""Called with (done, total) settings; return False to stop."""


@dataclass(frozen=True, slots=True)
class _Terms:
    """What a setting's suggestion depends on besides its usage."""

    deliveries_per_week: int
    days_between: Decimal | None
    lead_time_days: int
    storage_capacity: Decimal | None
    shelf_life_days: int | None
    unit: str


def _terms_query() -> Any:
    source = Supplier.__table__.alias("source_supplier")
    item_supplier = Supplier.__table__.alias("item_supplier")
    return (
        select(
            ParSetting.id,
            ParSetting.location_id,
            Location.deliveries_per_week,
            Location.delivery_weekdays,
            ParSetting.source_location_id,
            source.c.lead_time_days,
            item_supplier.c.lead_time_days,
            ParSetting.storage_capacity,
            Item.shelf_life_days,
            Item.unit,
        )
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .outerjoin(source, source.c.id == ParSetting.source_supplier_id)
        .outerjoin(item_supplier, item_supplier.c.id == Item.supplier_id)
        .where(ParSetting.active.is_(True))
    )


def _terms(row: Any) -> _Terms:
    _id, _loc, per_week, weekdays, store_id, source_lead, item_lead, capacity, shelf, unit = row
    # Scheduled delivery days say both how many deliveries a week and the longest wait.
    days = weekday_numbers(weekdays)
    if store_id is not None:
        lead = TRANSFER_LEAD_DAYS
    else:
        lead = source_lead if source_lead is not None else item_lead
    return _Terms(
        deliveries_per_week=len(days) if days else max(int(per_week or 1), 1),
        days_between=Decimal(longest_gap(days)) if days else None,
        lead_time_days=DEFAULT_LEAD_DAYS if lead is None else int(lead),
        storage_capacity=capacity,
        shelf_life_days=shelf,
        unit=unit,
    )


def suggest(
    history: UsageHistory | UsageFigures, terms: _Terms, policy: SuggestionPolicy
) -> ParReview:
    """The review suggestion of one setting from its history."""
    return review_suggestion(
        history.complete_weeks(),
        deliveries_per_week=terms.deliveries_per_week,
        lead_time_days=terms.lead_time_days,
        days_between_deliveries=terms.days_between,
        policy=policy,
        storage_capacity=terms.storage_capacity,
        shelf_life_days=terms.shelf_life_days,
        unit=terms.unit,
    )


def refresh_profiles(
    db: Database,
    *,
    through: date | None = None,
    location_ids: Sequence[int] | None = None,
    policy: SuggestionPolicy | None = None,
    progress: Progress | None = None,
) -> RefreshSummary:
    """Recompute the usage profile and suggestions of every active setting (or some locations).

    Locations are read a few at a time, each batch with one query for all its settings'
    counts and receipts, and written in one transaction per batch. ``progress`` is told
    (0, total) before the first batch and (done, total) after each batch is saved; when it
    returns False the work stops there: the batches saved so far keep their new figures, the
    others their earlier ones, and no batch is ever saved in part.
    """
    through = through or date.today()
    policy = policy or SuggestionPolicy()
    with db.reading() as session:
        query = _terms_query().order_by(ParSetting.location_id, ParSetting.id)
        if location_ids is not None:
            query = query.where(ParSetting.location_id.in_(list(location_ids)))
        rows = session.execute(query).all()
    by_location: dict[int, list[Any]] = {}
    for row in rows:
        by_location.setdefault(row[1], []).append(row)
    locations = list(by_location)
    done = with_history = seasonal = skipped = 0
    stopped = progress is not None and progress(0, len(rows)) is False
    for start in range(0, 0 if stopped else len(locations), LOCATIONS_PER_BATCH):
        batch = locations[start : start + LOCATIONS_PER_BATCH]
        settings = [row for location in batch for row in by_location[location]]
        # Per location, in whole numbers: usage_histories' figures for a fraction of the work.
        histories = usage_by_location(
            db, location_ids=batch, through=through, with_months=False, with_deliveries=False
        )
        now = utcnow()
        values = []
        for row in settings:
            history = histories.get(row[0])
            if history is None:
                continue
            try:
                review = suggest(history, _terms(row), policy)
            except (ValueError, ArithmeticError):
                # One setting with impossible figures (a storage capacity of 0…) must not stop
                # the department's review; it is counted and left without a suggestion.
                skipped += 1
                continue
            with_history += review.evidence.weeks_used > 0
            seasonal += bool(review.seasons.seasons)
            values.append(_profile_row(row[0], now, through, history, review))
        with db.transaction() as session:
            session.execute(
                delete(UsageProfile).where(
                    UsageProfile.par_setting_id.in_([row[0] for row in settings])
                )
            )
            if values:
                session.execute(insert(UsageProfile), values)
        done += len(settings)
        if progress is not None and progress(done, len(rows)) is False:
            stopped = done < len(rows)
            break
    return RefreshSummary(
        settings=done,
        total=len(rows),
        stopped=stopped,
        with_history=with_history,
        seasonal=seasonal,
        through=through,
        skipped=skipped,
    )


def _profile_row(
    setting_id: int,
    now: datetime,
    through: date,
    history: UsageFigures,
    review: ParReview,
) -> dict[str, Any]:
    found = review.evidence
    return {
        "par_setting_id": setting_id,
        "computed_at": now,
        "history_through": through,
        "history_weeks": history.weeks.complete.count(True),
        "weeks_used": found.weeks_used,
        "average": found.average,
        "peak": found.peak,
        "sd": found.sd,
        "adjusted_average": found.adjusted_average,
        "by_deliveries": review.by_deliveries.value,
        "by_coverage": review.by_coverage.value,
        "seasons": ";".join(
            f"{s.first_month}-{s.last_month}:{s.factor}" for s in review.seasons.seasons
        ),
        "season_summary": review.seasons.summary[:200],
        "p_value": review.seasons.p_value if review.seasons.enough_history else None,
        "stockouts": len(history.stockouts),
    }


def fill_level_column() -> Any:
    """The level each PAR setting fills to, in SQL: the domain rule ``quantities.fill_level``
    (Max for MIN/MAX, else PAR), so the database filters the review list by the same level.

    Built from the rule itself: each method is put through ``fill_level`` with a PAR and a Max
    told apart, and the SQL takes the column the rule took.
    """
    par, max_ = Decimal(1), Decimal(2)
    picked = {method: fill_level(method, par, max_) for method in Method}
    assert set(picked.values()) <= {par, max_}, "fill_level picks a level SQL does not know"
    to_max = [method for method, level in picked.items() if level == max_]
    return case((ParSetting.method.in_(to_max), ParSetting.max_level), else_=ParSetting.par_level)


def review_query(
    threshold_pct: Decimal, formula: Formula, min_weeks: int, min_units: Decimal
) -> Any:
    """The one query of the review list: profiles out of line, filtered by the database."""
    chosen = (
        UsageProfile.by_deliveries if formula is Formula.DELIVERIES else UsageProfile.by_coverage
    )
    other = (
        UsageProfile.by_coverage if formula is Formula.DELIVERIES else UsageProfile.by_deliveries
    )
    current = fill_level_column()
    decided = exists().where(
        ParReviewDecision.par_setting_id == ParSetting.id,
        ParReviewDecision.decided_at >= UsageProfile.computed_at,
    )
    # The filter is done by the database: |suggested − current| > current × threshold.
    out_of_line = or_(
        current.is_(None),
        and_(current == 0, chosen >= min_units),
        and_(
            current > 0,
            func.abs(chosen - current) > current * threshold_pct / 100,
            func.abs(chosen - current) >= min_units,
        ),
    )
    query = (
        select(
            ParSetting.id,
            ParSetting.version,
            Location.code,
            Item.code,
            Item.description,
            Item.unit,
            ParSetting.method,
            current,
            chosen,
            other,
            UsageProfile.weeks_used,
            UsageProfile.average,
            UsageProfile.peak,
            UsageProfile.sd,
            UsageProfile.adjusted_average,
            UsageProfile.season_summary,
            UsageProfile.seasons,
            UsageProfile.stockouts,
        )
        .join(UsageProfile, UsageProfile.par_setting_id == ParSetting.id)
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .where(
            ParSetting.active.is_(True),
            UsageProfile.weeks_used >= min_weeks,
            out_of_line,
            ~decided,
        )
        .order_by(Location.code, Item.code)
    )
    return query


def review_list(
    db: Database,
    *,
    threshold_pct: Decimal = Decimal(25),
    formula: Formula = Formula.COVERAGE,
    location_ids: Sequence[int] | None = None,
    min_weeks: int = 4,
    min_units: Decimal = Decimal(2),
) -> ReviewList:
    """Settings whose suggestion differs from their level by more than ``threshold_pct`` %
    and by at least ``min_units`` units (so a PAR of 2 suggested as 1 is not listed).

    Settings decided on since their profile was computed are left out until the next
    recomputation; so are settings with fewer than ``min_weeks`` weeks of usage.
    """
    if threshold_pct < 0:
        raise ValidationError("The difference must be 0 % or more.", field="threshold")
    query = review_query(threshold_pct, formula, min_weeks, min_units)
    scope = select(func.count(ParSetting.id)).where(ParSetting.active.is_(True))
    fresh = select(
        func.count(UsageProfile.par_setting_id),
        func.min(UsageProfile.computed_at),
        func.max(UsageProfile.history_through),
    ).join(ParSetting, ParSetting.id == UsageProfile.par_setting_id)
    if location_ids is not None:
        query = query.where(ParSetting.location_id.in_(list(location_ids)))
        scope = scope.where(ParSetting.location_id.in_(list(location_ids)))
        fresh = fresh.where(ParSetting.location_id.in_(list(location_ids)))
    # Tens of thousands of rows: the driver's rows, each column's figures converted once per
    # distinct value (a list holds few), the lines built with the cycle collector paused.
    with collector_paused():
        with db.reading() as session:
            rows = read_rows(session.connection(), query)
            settings = session.scalar(scope) or 0
            profiles, computed_at, through = session.execute(fresh).one()
        lines = tuple(
            # By position, in ReviewLine's field order: keywords cost a third more per line.
            ReviewLine(
                row[0],  # setting_id
                row[1],  # version
                row[2],  # location_code
                row[3],  # item_code
                row[4],  # description
                row[5],  # unit
                row[6],  # method (the Method, as its column type gives it)
                "Max" if row[6] == Method.MIN_MAX else "PAR",  # level
                row[7],  # current
                row[8],  # suggested
                row[9],  # other
                row[10],  # weeks_used
                row[11],  # average
                row[12],  # peak
                row[13],  # sd
                row[14],  # adjusted_average
                row[15] if row[16] else "",  # season: its summary, when it has seasons
                row[17],  # stockouts
            )
            for row in rows
        )
    return ReviewList(
        lines=lines,
        profiles=profiles or 0,
        settings=settings,
        computed_at=computed_at,
        history_through=through,
    )


def review_detail(
    db: Database,
    *,
    setting_id: int,
    through: date | None = None,
    policy: SuggestionPolicy | None = None,
) -> ParReview:
    """One setting's suggestion worked out afresh, with the full working of both formulas."""
    with db.reading() as session:
        row = session.execute(_terms_query().where(ParSetting.id == setting_id)).first()
    if row is None:
        raise ParStudioError("That PAR setting no longer exists or is inactive.")
    history = usage_history(db, setting_id=setting_id, through=through)
    return suggest(history, _terms(row), policy or SuggestionPolicy())
