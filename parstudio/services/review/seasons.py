"""The flex PAR calendar: seasonal levels of PAR settings, added, changed and removed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.errors import ValidationError
from parstudio.domain.flexpar import SeasonalLevel, check_season, overlap
from parstudio.domain.seasonality import MONTH_LAST_DAY, MONTHS, Season
from parstudio.models import ParSeason, ParSetting
from parstudio.services.core.database import Database
from parstudio.services.core.store import check_version, get_or_raise, writing

_FIELDS = (
    "name",
    "start_month",
    "start_day",
    "end_month",
    "end_day",
    "factor",
    "par_level",
    "min_level",
    "max_level",
)
_LABELS = {
    "start_month": "Start month",
    "start_day": "Start day",
    "end_month": "End month",
    "end_day": "End day",
    "factor": "Factor",
    "par_level": "PAR level",
    "min_level": "Min",
    "max_level": "Max",
}


def record(row: ParSeason) -> SeasonalLevel:
    """A season row as a plain record (one not yet written: without id, version 1)."""
    return SeasonalLevel(
        id=row.id,
        setting_id=row.par_setting_id,
        name=row.name or "",
        start_month=row.start_month,
        start_day=row.start_day,
        end_month=row.end_month,
        end_day=row.end_day,
        factor=row.factor,
        par_level=row.par_level,
        min_level=row.min_level,
        max_level=row.max_level,
        version=row.version or 1,
    )


def seasons_of(
    session: Session, setting_ids: Iterable[int] | None
) -> dict[int, list[SeasonalLevel]]:
    """The seasons of the given settings (all when None), by setting, in date order."""
    query = select(ParSeason).order_by(
        ParSeason.par_setting_id, ParSeason.start_month, ParSeason.start_day
    )
    if setting_ids is not None:
        query = query.where(ParSeason.par_setting_id.in_(list(setting_ids)))
    found: dict[int, list[SeasonalLevel]] = defaultdict(list)
    for row in session.scalars(query):
        found[row.par_setting_id].append(record(row))
    return found


def list_seasons(db: Database, *, setting_id: int) -> list[SeasonalLevel]:
    """The seasons of one PAR setting, in date order."""
    with db.reading() as session:
        get_or_raise(session, ParSetting, setting_id, "PAR setting")
        return seasons_of(session, [setting_id]).get(setting_id, [])


def add_season(db: Database, *, setting_id: int, fields: Mapping[str, Any]) -> SeasonalLevel:
    """Give a PAR setting a seasonal level; overlapping dates are refused."""
    values = _parse(fields)
    with writing(db) as session:
        setting = get_or_raise(session, ParSetting, setting_id, "PAR setting")
        row = ParSeason(par_setting_id=setting_id, **values)
        _check(session, setting, row)
        row.updated_by = db.user_name
        session.add(row)
        session.flush()
        return record(row)


def add_found_seasons(
    db: Database, *, setting_id: int, found: Sequence[Season]
) -> list[SeasonalLevel]:
    """Put seasons found in the history into the setting's calendar as factors, all or none.

    Each runs from the 1st of its first month to the last day of its last month.
    """
    added: list[SeasonalLevel] = []
    with writing(db) as session:
        setting = get_or_raise(session, ParSetting, setting_id, "PAR setting")
        for season in found:
            row = ParSeason(
                par_setting_id=setting_id,
                name=season.name,
                start_month=season.first_month,
                start_day=1,
                end_month=season.last_month,
                end_day=MONTH_LAST_DAY[season.last_month - 1],
                factor=season.factor,
            )
            _check(session, setting, row)
            row.updated_by = db.user_name
            session.add(row)
            session.flush()
            added.append(record(row))
    return added


def update_season(
    db: Database,
    *,
    season_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> SeasonalLevel:
    """Change a season's dates or levels."""
    values = _parse(changes, partial=True)
    with writing(db) as session:
        row = get_or_raise(session, ParSeason, season_id, "season")
        check_version(row, expected_version, "season")
        for name, value in values.items():
            setattr(row, name, value)
        # A factor and fixed levels exclude each other: setting one clears the other.
        if values.get("factor") is not None:
            row.par_level = row.min_level = row.max_level = None
        elif any(values.get(n) is not None for n in ("par_level", "min_level", "max_level")):
            row.factor = None
        setting = get_or_raise(session, ParSetting, row.par_setting_id, "PAR setting")
        _check(session, setting, row)
        row.updated_by = db.user_name
        session.flush()
        return record(row)


def delete_season(db: Database, *, season_id: int) -> None:
    """Remove a season: the setting's own levels apply all year again on those dates."""
    with writing(db) as session:
        row = get_or_raise(session, ParSeason, season_id, "season")
        session.delete(row)


def _check(session: Session, setting: ParSetting, row: ParSeason) -> None:
    season = record(row)
    problems = check_season(season, setting.method)
    if problems:
        field, message = problems[0]
        raise ValidationError(message, field=field)
    others = seasons_of(session, [setting.id]).get(setting.id, [])
    clash = overlap(season, others)
    if clash is not None:
        raise ValidationError(
            f"{season.range_label} overlaps the season “{clash.name}” ({clash.range_label}); "
            "a day can be in one season only. Change the dates or remove that season first.",
            field="start",
        )


def _parse(fields: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Turn typed-in values into a season's columns, refusing what is not a number or month."""
    unknown = set(fields) - set(_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown season field(s): {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    for name in _FIELDS:
        if name not in fields:
            if not partial and name in ("name", "start_month", "start_day", "end_month", "end_day"):
                raise ValidationError(f"{_LABELS.get(name, 'Name')} is missing.", field=name)
            continue
        raw = fields[name]
        text = "" if raw is None else str(raw).strip()
        if name == "name":
            if not text:
                raise ValidationError("Give the season a name, e.g. “winter”.", field="name")
            values[name] = text[:60]
        elif name.endswith("_month"):
            values[name] = _month(text, _LABELS[name], name)
        elif name.endswith("_day"):
            values[name] = _whole(text, _LABELS[name], name)
        elif text == "":
            values[name] = None
        else:
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise ValidationError(
                    f"{_LABELS[name]} “{text}” is not a number.", field=name
                ) from None
            if not number.is_finite():
                raise ValidationError(f"{_LABELS[name]} must be a number.", field=name)
            values[name] = number
    return values


def _month(text: str, label: str, field: str) -> int:
    for number, name in enumerate(MONTHS, start=1):
        if text.lower()[:3] == name.lower():
            return number
    value = _whole(text, label, field)
    if not 1 <= value <= 12:
        raise ValidationError(f"{label} must be 1 to 12 (or Jan…Dec), not {value}.", field=field)
    return value


def _whole(text: str, label: str, field: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValidationError(f"{label} “{text}” is not a whole number.", field=field) from None
