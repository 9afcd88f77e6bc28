"""The case label pattern: which scans open a case, a setting of the whole database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.cases import DEFAULT_CASE_PATTERN, check_case_pattern
from parstudio.models import DatabaseSetting
from parstudio.services.core.database import Database
from parstudio.services.core.store import writing

CASE_PATTERN = "cases.label_pattern"


def case_pattern_of(session: Session) -> str:
    """The pattern a case label must match (the default until a manager sets one)."""
    value = session.scalar(select(DatabaseSetting.value).where(DatabaseSetting.key == CASE_PATTERN))
    return value or DEFAULT_CASE_PATTERN


def get_case_pattern(db: Database) -> str:
    """The case label pattern, a regular expression the whole label must match."""
    with db.reading() as session:
        return case_pattern_of(session)


def set_case_pattern(db: Database, *, pattern: str) -> str:
    """Set the case label pattern (a manager's change); an invalid expression is refused."""
    text = check_case_pattern(pattern).pattern
    with writing(db) as session:
        row = session.scalar(select(DatabaseSetting).where(DatabaseSetting.key == CASE_PATTERN))
        if row is None:
            session.add(DatabaseSetting(key=CASE_PATTERN, value=text))
        else:
            row.value = text
    return text
