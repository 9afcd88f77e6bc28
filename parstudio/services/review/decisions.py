"""Accepting or rejecting the PAR review's suggestions, and taking those decisions back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.enums import Method
from parstudio.domain.errors import ConflictError, ValidationError
from parstudio.domain.quantities import fill_level
from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.review import (
    Formula,
    ReviewDecision,
    ReviewLine,
)
from parstudio.domain.suggestions import (
    scaled_min,
)
from parstudio.models import (
    Item,
    Location,
    ParReviewDecision,
    ParSetting,
)
from parstudio.models.base import utcnow
from parstudio.services.catalog.par_settings import change_par_setting_in
from parstudio.services.core.database import Database
from parstudio.services.core.store import check_version, writing


def decide(
    db: Database,
    *,
    lines: Sequence[ReviewLine],
    accept: bool,
    formula: Formula = Formula.COVERAGE,
) -> list[ReviewDecision]:
    """Accept (apply) or reject the suggestions of these lines, all in one transaction.

    Accepting changes the level through the PAR settings service's own checks, with the
    version each line was read at: a setting changed meanwhile refuses the whole batch.
    """
    if not lines:
        raise ValidationError("Select the lines to accept or reject first.")
    made: list[ReviewDecision] = []
    with writing(db) as session:
        for line in lines:
            made.append(_decide_one(session, db.user_name, line, accept, formula))
    return made


@contextmanager
def _naming(what: str) -> Iterator[None]:
    """Say which line a refusal is about: a bulk decision names the one that stopped it."""
    try:
        yield
    except ConflictError as exc:
        raise ConflictError(f"{what}: {exc.message}", other_changes=exc.other_changes) from exc
    except ValidationError as exc:
        raise ValidationError(f"{what}: {exc.message}", field=exc.field) from exc


def _decide_one(
    session: Session, user: str, line: ReviewLine, accept: bool, formula: Formula
) -> ReviewDecision:
    what = f"{line.item_code} at {line.location_code}"
    setting = session.get(ParSetting, line.setting_id)
    if setting is None:
        raise ConflictError(f"{what} no longer exists; recompute the review.")
    with _naming(what):
        check_version(setting, line.version, "PAR setting")
    min_max = setting.method == Method.MIN_MAX
    old = fill_level(setting.method, setting.par_level, setting.max_level)
    old_min = setting.min_level if min_max else None
    new_min = scaled_min(setting.min_level, setting.max_level, line.suggested) if min_max else None
    if accept:
        changes: dict[str, Any] = (
            {"max_level": str(line.suggested), "min_level": str(new_min)}
            if min_max
            else {"par_level": str(line.suggested)}
        )
        with _naming(what):
            change_par_setting_in(session, setting, changes, user, line.version)
    evidence = (
        f"{line.weeks_used} weeks, average {fq(line.average)}, peak {fq(line.peak)} "
        f"{line.unit}/week; {formula.value} {fq(line.suggested)}, other {fq(line.other)}"
        + (f"; {line.season}" if line.season else "")
    )
    row = ParReviewDecision(
        par_setting_id=setting.id,
        decision="ACCEPTED" if accept else "REJECTED",
        decided_at=utcnow(),
        decided_by=user,
        level="MAX" if min_max else "PAR",
        old_value=old,
        new_value=line.suggested,
        old_min=old_min,
        new_min=new_min,
        formula=formula.value,
        evidence=evidence[:1000],
    )
    session.add(row)
    session.flush()
    return _decision(row, setting.version)


def undo_decisions(db: Database, *, made: Sequence[ReviewDecision]) -> dict[int, int]:
    """Take back review decisions, all in one transaction; each setting's version after.

    An accepted suggestion's setting gets its levels from before the decision back, through
    the PAR settings service's checks and with the version the decision left it at: if
    someone changed it since, nothing is undone. The decision itself is deleted, so the line
    is listed again; the audit log keeps the decision, its removal and both level changes.
    """
    if not made:
        raise ValidationError("There is no review decision to undo.")
    versions: dict[int, int] = {}
    with writing(db) as session:
        for decision in made:
            versions[decision.setting_id] = _undo_one(session, db.user_name, decision)
    return versions


def _undo_one(session: Session, user: str, decision: ReviewDecision) -> int:
    setting = session.get(ParSetting, decision.setting_id)
    row = session.get(ParReviewDecision, decision.id)
    if setting is None:
        raise ConflictError("That PAR setting no longer exists; nothing was undone.")
    item, location = session.get(Item, setting.item_id), session.get(Location, setting.location_id)
    what = f"{item.code if item else '?'} at {location.code if location else '?'}"
    if row is None:
        raise ConflictError(
            f"{what}: this review decision was already undone elsewhere; nothing was undone."
        )
    if row.decision == "ACCEPTED":
        if decision.version is None:
            raise ValidationError(f"{what}: only a decision just made can be undone.")
        changes: dict[str, Any] = (
            {"max_level": row.old_value, "min_level": row.old_min}
            if row.level == "MAX"
            else {"par_level": row.old_value}
        )
        with _naming(what):
            change_par_setting_in(session, setting, changes, user, decision.version)
    session.delete(row)
    session.flush()
    return setting.version


def _decision(row: ParReviewDecision, version: int | None = None) -> ReviewDecision:
    return ReviewDecision(
        id=row.id,
        setting_id=row.par_setting_id,
        version=version,
        decision=row.decision,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        level=row.level,
        old_value=row.old_value,
        new_value=row.new_value,
        old_min=row.old_min,
        new_min=row.new_min,
        formula=row.formula,
        evidence=row.evidence,
    )


def decisions(db: Database, *, setting_id: int | None = None) -> list[ReviewDecision]:
    """Review decisions, newest first (of one setting, or all)."""
    query = select(ParReviewDecision).order_by(
        ParReviewDecision.decided_at.desc(), ParReviewDecision.id.desc()
    )
    if setting_id is not None:
        query = query.where(ParReviewDecision.par_setting_id == setting_id)
    with db.reading() as session:
        return [_decision(row) for row in session.scalars(query)]
