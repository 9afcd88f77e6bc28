"""What-if replay: read a period's recorded usage and the lines' terms, replay them under
current and proposed levels (domain/simulation*.py), and accept the leanest levels found.

The usage is the review's own (services/review/usage.py, domain/usage.py); the proposed levels
are the review's suggestions, the current levels, or those of a PAR worksheet file (read with
the worksheet import's own reader). Accepting goes through the review's accept path, so it is
checked, audited and undoable like accepting a suggestion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from parstudio.domain.enums import Method
from parstudio.domain.errors import ValidationError
from parstudio.domain.leanest import Leanest
from parstudio.domain.progress import Progress
from parstudio.domain.quantities import fill_level
from parstudio.domain.review import Formula, ReviewDecision, ReviewLine
from parstudio.domain.simulation import Levels, SimSetting
from parstudio.domain.simulation_compare import Comparison, SimulationInput, comparison_of
from parstudio.domain.simulation_series import DailySeries
from parstudio.domain.suggestions import scaled_min
from parstudio.models import Location, ParSetting
from parstudio.services.core.database import Database
from parstudio.services.review.seasons import seasons_of
from parstudio.services.review.simulation_pool import ReplayPool
from parstudio.services.review.simulation_terms import file_levels, settings_query, sim_setting
from parstudio.services.review.simulation_usage import read_series
from parstudio.services.review.suggestions import decide

LOCATIONS_PER_BATCH = 8
SETTINGS_PER_READ = 1000
CURRENT, SUGGESTED = "current", "suggested"
Proposed = str | Path | Mapping[int, Levels]
"""The proposed levels: "current", "suggested", a PAR worksheet file, or levels by setting id
(lines not in it keep their current levels)."""


def location_ids_for(
    db: Database, *, codes: Sequence[str] = (), department: str | None = None
) -> list[int]:
    """The locations named by code (any case) or in a department; a code not known is refused."""
    with db.reading() as session:
        found = {
            code.upper(): location_id
            for location_id, code in session.execute(select(Location.id, Location.code))
        }
        ids = []
        for code in codes:
            if code.upper() not in found:
                raise ValidationError(f"There is no location {code}.", field="location")
            ids.append(found[code.upper()])
        if department is not None:
            in_department = list(
                session.scalars(select(Location.id).where(Location.department == department))
            )
            if not in_department:
                raise ValidationError(f"No location is in department {department}.")
            ids.extend(in_department)
    return ids


def load_simulation(
    db: Database,
    *,
    first: date,
    last: date,
    setting_ids: Sequence[int] | None = None,
    location_ids: Sequence[int] | None = None,
    levels: Proposed = SUGGESTED,
    formula: Formula = Formula.COVERAGE,
    scope: str = "",
    progress: Progress | None = None,
) -> SimulationInput:
    """Read what a comparison replays: the lines' terms, their daily usage from ``first`` to
    ``last``, their current levels and the proposed ones (``levels``: "current", "suggested",
    a PAR worksheet .xlsx file, or levels by setting id)."""
    data, places = _terms(
        db,
        first=first,
        last=last,
        setting_ids=setting_ids,
        location_ids=location_ids,
        levels=levels,
        formula=formula,
        scope=scope,
    )
    series = _series(
        db, data.settings, places, data.first, data.last, progress, whole=setting_ids is None
    )
    return replace(data, series=series)


def _terms(
    db: Database,
    *,
    first: date,
    last: date,
    setting_ids: Sequence[int] | None,
    location_ids: Sequence[int] | None,
    levels: Proposed,
    formula: Formula,
    scope: str,
) -> tuple[SimulationInput, dict[int, int]]:
    """What ``load_simulation`` reads besides usage (the series are left empty), and each
    line's location."""
    if last < first:
        raise ValidationError("The period ends before it starts.", field="period")
    if last > date.today():
        last = date.today()
    by_id = levels if isinstance(levels, Mapping) else None
    from_file = by_id is None and levels not in (CURRENT, SUGGESTED)
    in_file = file_levels(Path(str(levels))) if from_file else {}
    query = settings_query()
    if setting_ids is not None:
        query = query.where(ParSetting.id.in_(list(setting_ids)))
    if location_ids is not None:
        query = query.where(ParSetting.location_id.in_(list(location_ids)))
    with db.reading() as session:
        rows = session.execute(query).all()
        seasons = seasons_of(session, None)
    settings, current, proposed, suggested, versions = [], {}, {}, {}, {}
    matched: set[tuple[str, str]] = set()
    for row in rows:
        setting = sim_setting(row, tuple(seasons.get(row[0], ())))
        settings.append(setting)
        versions[setting.setting_id] = row[1]
        current[setting.setting_id] = Levels(row[15], row[16], row[17])
        by_formula = row[27] if formula is Formula.DELIVERIES else row[26]
        if by_formula is not None:
            suggested[setting.setting_id] = by_formula
        key = (setting.location_code.upper(), setting.item_code)
        if by_id is not None:
            proposed[setting.setting_id] = by_id.get(
                setting.setting_id, current[setting.setting_id]
            )
        elif from_file:
            if key in in_file:
                matched.add(key)
                given = in_file[key]
                own = current[setting.setting_id]
                proposed[setting.setting_id] = Levels(
                    given.get("par_level", own.par_level),
                    given.get("min_level", own.min_level),
                    given.get("max_level", own.max_level),
                )
            else:
                proposed[setting.setting_id] = current[setting.setting_id]
        elif levels == SUGGESTED and by_formula is not None:
            proposed[setting.setting_id] = _suggested_levels(
                setting, current[setting.setting_id], by_formula
            )
        else:
            proposed[setting.setting_id] = current[setting.setting_id]
    places = {row[0]: row[2] for row in rows}
    notes = []
    if by_id is not None:
        changed = sum(1 for s in settings if s.setting_id in by_id)
        notes.append(
            f"Proposed levels given for {changed} of the {len(settings)} lines; the others "
            "keep their current levels."
        )
    elif from_file:
        unmatched = len(in_file) - len(matched)
        notes.append(
            f"Proposed levels from {Path(str(levels)).name}: {len(matched)} of its rows "
            "matched a line"
            + (f"; {unmatched} matched no line chosen and were left out" if unmatched else "")
            + "; lines not in the file keep their current levels."
        )
    elif levels == SUGGESTED:
        without = len(settings) - len(suggested)
        notes.append(
            f"Proposed levels: the review's suggestions ({formula.value} formula)"
            + (
                f"; {without} lines without a suggestion keep their current levels"
                if without
                else ""
            )
            + "."
        )
    name = "proposed" if by_id is not None else Path(str(levels)).name if from_file else str(levels)
    data = SimulationInput(
        first=first,
        last=last,
        scope=scope,
        settings=tuple(settings),
        series={},
        current=current,
        proposed=proposed,
        proposed_name=name,
        suggested=suggested,
        versions=versions,
        notes=tuple(notes),
    )
    return data, places


def simulate_levels(
    db: Database,
    *,
    first: date,
    last: date,
    setting_ids: Sequence[int] | None = None,
    location_ids: Sequence[int] | None = None,
    levels: Proposed = SUGGESTED,
    formula: Formula = Formula.COVERAGE,
    scope: str = "",
    progress: Progress | None = None,
) -> Comparison:
    """Read and replay: the comparison of current and proposed levels over the period. Lines
    are replayed as their usage is read, in worker processes (one per core) when there are
    many (see simulation_pool); progress counts lines read and lines replayed."""
    data, places = _terms(
        db,
        first=first,
        last=last,
        setting_ids=setting_ids,
        location_ids=location_ids,
        levels=levels,
        formula=formula,
        scope=scope,
    )
    with ReplayPool(data, progress) as pool:
        series = _series(
            db,
            data.settings,
            places,
            data.first,
            data.last,
            pool.reading,
            whole=setting_ids is None,
            ready=pool.submit,
        )
        parts = pool.parts()
    return comparison_of(replace(data, series=series), parts)


def leanest_lines(
    comparison: Comparison, *, setting_ids: Sequence[int] | None = None
) -> list[ReviewLine]:
    """The leanest levels found (of every line, or the ones named) as review lines to accept:
    only those that met the service level and differ from the current level."""
    chosen = set(setting_ids) if setting_ids is not None else None
    lines = []
    for line in comparison.lines:
        lean = line.leanest
        if lean is None or not lean.met or lean.level is None:
            continue
        if chosen is not None and line.setting.setting_id not in chosen:
            continue
        current = comparison.input.current[line.setting.setting_id]
        old = fill_level(line.setting.method, current.par_level, current.max_level)
        if old == lean.level:
            continue
        lines.append(_review_line(comparison, line.setting, lean))
    if not lines:
        raise ValidationError("No leanest level differs from the current one: nothing to accept.")
    return lines


def accept_leanest(
    db: Database, *, comparison: Comparison, setting_ids: Sequence[int] | None = None
) -> list[ReviewDecision]:
    """Accept the leanest levels found through the review's accept path: one transaction,
    each line at the version it was read at (a line changed since refuses the batch)."""
    lines = leanest_lines(comparison, setting_ids=setting_ids)
    return decide(db, lines=lines, accept=True, formula=Formula.LEANEST)


def _review_line(comparison: Comparison, setting: SimSetting, lean: Leanest) -> ReviewLine:
    data = comparison.input
    series = data.series[setting.setting_id]
    assert series is not None and lean.level is not None
    weekly = series.total() * 7 / series.days if series.days else Decimal(0)
    current = data.current[setting.setting_id]
    old = fill_level(setting.method, current.par_level, current.max_level)
    return ReviewLine(
        setting_id=setting.setting_id,
        version=data.versions[setting.setting_id],
        location_code=setting.location_code,
        item_code=setting.item_code,
        description=setting.description,
        unit=setting.unit,
        method=setting.method,
        level="Max" if setting.method is Method.MIN_MAX else "PAR",
        current=old,
        suggested=lean.level,
        other=data.suggested.get(setting.setting_id, Decimal(0)),
        weeks_used=series.days // 7,
        average=weekly.quantize(Decimal("0.01")),
        peak=weekly.quantize(Decimal("0.01")),
        sd=Decimal(0),
        adjusted_average=weekly.quantize(Decimal("0.01")),
        season=(
            f"replay {data.first:%d %b %Y}–{data.last:%d %b %Y}: "
            f"{lean.outcome.service_level} % of days without a stockout"
        ),
        stockouts=lean.outcome.stockout_events,
    )


def _suggested_levels(setting: SimSetting, current: Levels, level: Decimal) -> Levels:
    if setting.method is Method.MIN_MAX:
        return Levels(
            min_level=scaled_min(current.min_level, current.max_level, level), max_level=level
        )
    return Levels(par_level=level)


def _series(
    db: Database,
    settings: Sequence[SimSetting],
    places: dict[int, int],
    first: date,
    last: date,
    progress: Progress | None,
    *,
    whole: bool,
    ready: Callable[[dict[int, DailySeries | None]], None] | None = None,
) -> dict[int, DailySeries | None]:
    """Every line's daily usage, read a few locations or about a thousand lines at a time;
    ``ready`` is given each chunk of lines as soon as their usage is worked out."""
    series: dict[int, DailySeries | None] = {}
    done = 0
    for location_ids, setting_ids, wanted in _reads(settings, places, whole=whole):
        series.update(
            read_series(
                db,
                first=first,
                last=last,
                setting_ids=setting_ids,
                location_ids=location_ids,
                wanted=wanted,
                ready=ready,
            )
        )
        done += len(wanted)
        if progress is not None:
            progress(done, len(settings))
    return series


def _reads(
    settings: Sequence[SimSetting], places: dict[int, int], *, whole: bool
) -> list[tuple[list[int] | None, list[int] | None, list[int]]]:
    """How the usage is read: (locations, lines, the lines wanted) of each query. Every line
    of a usual location is wanted (``whole``): up to LOCATIONS_PER_BATCH of them are read by
    location. A large location, or chosen lines, are read SETTINGS_PER_READ lines at a time
    (as quick in all, and the first lines can be replayed while the rest are read)."""
    by_location: dict[int, list[int]] = {}
    for setting in settings:
        by_location.setdefault(places[setting.setting_id], []).append(setting.setting_id)
    reads: list[tuple[list[int] | None, list[int] | None, list[int]]] = []
    locations: list[int] = []
    lines: list[int] = []
    for location, ids in by_location.items():
        if whole and len(ids) <= SETTINGS_PER_READ:
            locations.append(location)
            if len(locations) == LOCATIONS_PER_BATCH:
                reads.append(
                    (locations, None, [i for place in locations for i in by_location[place]])
                )
                locations = []
            continue
        lines.extend(ids)
        while len(lines) >= SETTINGS_PER_READ:
            chunk, lines = lines[:SETTINGS_PER_READ], lines[SETTINGS_PER_READ:]
            reads.append((None, chunk, chunk))
    if locations:
        reads.append((locations, None, [i for place in locations for i in by_location[place]]))
    if lines:
        reads.append((None, lines, lines))
    return reads
