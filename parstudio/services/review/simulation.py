"""What-if replay: read a period's recorded usage and the lines' terms, replay them under
current and proposed levels (domain/simulation*.py), and accept the leanest levels found.

The usage is the review's own (services/review/usage.py, domain/usage.py); the proposed levels
are the review's suggestions, the current levels, or those of a PAR worksheet file (read with
the worksheet import's own reader). Accepting goes through the review's accept path, so it is
checked, audited and undoable like accepting a suggestion.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from parstudio.domain.enums import CountType, Method, Rounding
from parstudio.domain.errors import ValidationError, WorksheetError
from parstudio.domain.leanest import Leanest
from parstudio.domain.progress import Progress
from parstudio.domain.review import Formula, ReviewDecision, ReviewLine
from parstudio.domain.simulation import Levels, SimSetting
from parstudio.domain.simulation_compare import Comparison, SimulationInput, compare
from parstudio.domain.simulation_series import DailySeries, daily_series, delivery_weekdays
from parstudio.domain.suggestions import scaled_min
from parstudio.domain.worksheet import map_headers, parse_rows
from parstudio.models import Item, Location, ParSetting, Supplier, UsageProfile
from parstudio.reports.worksheet_read import read_first_sheet
from parstudio.services.core.database import Database
from parstudio.services.review.seasons import seasons_of
from parstudio.services.review.suggestions import DEFAULT_LEAD_DAYS, TRANSFER_LEAD_DAYS, decide
from parstudio.services.review.usage import stock_events

LOOKBACK_DAYS = 35
"""How far before the period a count is looked for, to start the replay from."""
LOCATIONS_PER_BATCH = 8
CURRENT, SUGGESTED = "current", "suggested"

_store = aliased(Location)
_source = aliased(Supplier)
_item_supplier = aliased(Supplier)


def _settings_query() -> Any:
    return (
        select(
            ParSetting.id,
            ParSetting.version,
            ParSetting.location_id,
            Location.code,
            Location.delivery_weekdays,
            Location.deliveries_per_week,
            Location.default_count_type,
            Item.code,
            Item.description,
            Item.unit,
            Item.pack_size,
            Item.pack_price,
            Item.shelf_life_days,
            ParSetting.method,
            ParSetting.count_type,
            ParSetting.par_level,
            ParSetting.min_level,
            ParSetting.max_level,
            ParSetting.moq,
            ParSetting.lot_multiple,
            ParSetting.rounding,
            ParSetting.storage_capacity,
            ParSetting.weekly_usage,
            _store.code,
            func.coalesce(_source.code, _item_supplier.code),
            func.coalesce(_source.lead_time_days, _item_supplier.lead_time_days),
            UsageProfile.by_coverage,
            UsageProfile.by_deliveries,
        )
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .outerjoin(_store, _store.id == ParSetting.source_location_id)
        .outerjoin(_source, _source.id == ParSetting.source_supplier_id)
        .outerjoin(_item_supplier, _item_supplier.id == Item.supplier_id)
        .outerjoin(UsageProfile, UsageProfile.par_setting_id == ParSetting.id)
        .where(ParSetting.active.is_(True), Location.active.is_(True), Item.active.is_(True))
        .order_by(Location.code, Item.code)
    )


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
    levels: str | Path = SUGGESTED,
    formula: Formula = Formula.COVERAGE,
    scope: str = "",
    progress: Progress | None = None,
) -> SimulationInput:
    """Read what a comparison replays: the lines' terms, their daily usage from ``first`` to
    ``last``, their current levels and the proposed ones (``levels``: "current", "suggested"
    or a PAR worksheet .xlsx file)."""
    if last < first:
        raise ValidationError("The period ends before it starts.", field="period")
    if last > date.today():
        last = date.today()
    from_file = levels not in (CURRENT, SUGGESTED)
    file_levels = _file_levels(Path(levels)) if from_file else {}
    query = _settings_query()
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
        setting = _setting(row, tuple(seasons.get(row[0], ())))
        settings.append(setting)
        versions[setting.setting_id] = row[1]
        current[setting.setting_id] = Levels(row[15], row[16], row[17])
        by_formula = row[27] if formula is Formula.DELIVERIES else row[26]
        if by_formula is not None:
            suggested[setting.setting_id] = by_formula
        key = (setting.location_code.upper(), setting.item_code)
        if from_file:
            if key in file_levels:
                matched.add(key)
                given = file_levels[key]
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
    series = _series(db, settings, first, last, progress)
    notes = []
    if from_file:
        unmatched = len(file_levels) - len(matched)
        notes.append(
            f"Proposed levels from {Path(levels).name}: {len(matched)} of its rows matched a line"
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
    name = Path(levels).name if from_file else str(levels)
    return SimulationInput(
        first=first,
        last=last,
        scope=scope,
        settings=tuple(settings),
        series=series,
        current=current,
        proposed=proposed,
        proposed_name=name,
        suggested=suggested,
        versions=versions,
        notes=tuple(notes),
    )


def simulate_levels(
    db: Database,
    *,
    first: date,
    last: date,
    setting_ids: Sequence[int] | None = None,
    location_ids: Sequence[int] | None = None,
    levels: str | Path = SUGGESTED,
    formula: Formula = Formula.COVERAGE,
    scope: str = "",
    progress: Progress | None = None,
) -> Comparison:
    """Read and replay: the comparison of current and proposed levels over the period."""
    reading = _half(progress, 0) if progress is not None else None
    data = load_simulation(
        db,
        first=first,
        last=last,
        setting_ids=setting_ids,
        location_ids=location_ids,
        levels=levels,
        formula=formula,
        scope=scope,
        progress=reading,
    )
    running = _half(progress, 1) if progress is not None else None
    return compare(data, progress=running)


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
        old = current.max_level if line.setting.method is Method.MIN_MAX else current.par_level
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
    old = current.max_level if setting.method is Method.MIN_MAX else current.par_level
    return ReviewLine(
        setting_id=setting.setting_id,
        version=data.versions[setting.setting_id],
        location_code=setting.location_code,
        item_code=setting.item_code,
        description=setting.description,
        unit=setting.unit,
        method=setting.method.value,
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


_COUNT_TYPES = {kind.value: kind for kind in CountType}


def _setting(row: Any, seasons: tuple[Any, ...]) -> SimSetting:
    (
        setting_id,
        _version,
        _location_id,
        location_code,
        weekdays,
        per_week,
        default_type,
        item_code,
        description,
        unit,
        pack_size,
        pack_price,
        shelf_life,
        method,
        count_type,
        *_levels,
    ) = row[:18]
    moq, multiple, rounding, capacity, weekly, store, supplier, lead = row[18:26]
    if store is not None:
        source, lead_days = store, TRANSFER_LEAD_DAYS
    else:
        source, lead_days = supplier or "", DEFAULT_LEAD_DAYS if lead is None else int(lead)
    return SimSetting(
        setting_id=setting_id,
        location_code=location_code,
        item_code=item_code,
        description=description or "",
        unit=unit,
        method=Method(method),
        count_type=_COUNT_TYPES[count_type or default_type],
        pack_size=pack_size,
        pack_price=pack_price,
        moq=moq,
        lot_multiple=multiple,
        rounding=Rounding(rounding),
        storage_capacity=capacity,
        shelf_life_days=shelf_life,
        weekly_usage=weekly,
        source=f"{location_code}←{source}",
        lead_time_days=lead_days,
        delivery_weekdays=delivery_weekdays(weekdays, per_week),
        seasons=seasons,
    )


def _series(
    db: Database,
    settings: Sequence[SimSetting],
    first: date,
    last: date,
    progress: Progress | None,
) -> dict[int, DailySeries | None]:
    """Every line's daily usage, read a few locations at a time."""
    by_location: dict[str, list[int]] = {}
    for setting in settings:
        by_location.setdefault(setting.location_code, []).append(setting.setting_id)
    groups = list(by_location.values())
    series: dict[int, DailySeries | None] = {}
    done = 0
    for start in range(0, len(groups), LOCATIONS_PER_BATCH):
        ids = [i for group in groups[start : start + LOCATIONS_PER_BATCH] for i in group]
        events, issues, _wanted = stock_events(
            db, first=first - timedelta(days=LOOKBACK_DAYS), through=last, setting_ids=ids
        )
        for setting_id in ids:
            series[setting_id] = daily_series(
                events.get(setting_id, ()),
                first=first,
                last=last,
                issues=[e for e in issues.get(setting_id, ()) if e.at.date() >= first],
            )
        done += len(ids)
        if progress is not None:
            progress(done, len(settings))
    return series


def _file_levels(path: Path) -> dict[tuple[str, str], dict[str, Decimal | None]]:
    """The levels a PAR worksheet file gives, by (location, item code): only the level
    columns it has (a blank cell is "no level"); a file with problems is refused."""
    sheet = read_first_sheet(path)
    header = map_headers(sheet.header, sheet=sheet.name)
    if header.errors:
        raise WorksheetError(f"{path.name}: {header.errors[0]}", sheet=sheet.name)
    rows, errors = parse_rows(sheet.rows, header, sheet=sheet.name)
    if errors:
        shown = "; ".join(str(e) for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise WorksheetError(f"{path.name} has problems: {shown}{more}", sheet=sheet.name)
    names = ("par_level", "min_level", "max_level")
    levels = {
        row.key: {name: row.setting[name] for name in names if name in row.setting} for row in rows
    }
    if not any(levels.values()):
        raise WorksheetError(
            f"{path.name} has no PAR Level, Min or Max column with rows below it.", sheet=sheet.name
        )
    return levels


def _half(progress: Progress, part: int) -> Progress:
    """Reading is told as the first half of the progress, replaying as the second."""

    def told(done: int, total: int) -> None:
        progress(part * total + done, 2 * total)

    return told
