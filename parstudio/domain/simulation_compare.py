"""A what-if comparison: the same recorded usage replayed under current and proposed levels,
and (on request) under the leanest levels that meet a service level."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from parstudio.domain.leanest import Leanest, leanest_levels
from parstudio.domain.progress import Progress
from parstudio.domain.simulation import Levels, LineOutcome, SimSetting
from parstudio.domain.simulation_parts import Part, merged, replay_part
from parstudio.domain.simulation_run import Replayed, Totals, replayed_of, simulate
from parstudio.domain.simulation_series import MIN_DAYS, DailySeries

ASSUMPTIONS = (
    "Usage is replayed as recorded: between two counts it is previous count + received − this "
    "count (waste taken off), spread evenly over the days; lines not counted on hand use what "
    "they received, a storeroom's lines what they issued. What was not recorded (stock "
    "borrowed from another room, a count that was never taken) is not seen.",
    "The replay starts from the first recorded on-hand (a line never counted on hand starts "
    "full, at its level). Usage that could not be met is lost, not carried over.",
    "Each delivery day of the location is a count day; the order is worked out by the order "
    "engine itself (packs, MOQ, lot multiple, caps, count type) from the simulated shelf at "
    "the end of that day, and arrives after the source's lead time on the next delivery day.",
    "Two-bin (ORDER PAR) lines signal when the shelf is down to one bin (the level); "
    "requisitions (ORDER QTY) ask for what brings the shelf back to the level; NOT COUNTED "
    "lines never order.",
    "Stock past its shelf life is thrown away first in, first out, counted from its delivery.",
    f"Lines with fewer than {MIN_DAYS} days of recorded usage are not replayed: too little "
    "history to say.",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulationInput:
    """Everything a comparison replays, read once from the database."""

    first: date
    last: date
    scope: str
    """What was chosen, in words ("CT1", "3 selected lines", "department Imaging")."""
    settings: tuple[SimSetting, ...]
    series: Mapping[int, DailySeries | None]
    current: Mapping[int, Levels]
    proposed: Mapping[int, Levels]
    proposed_name: str
    """Where the proposed levels come from: "suggested", "current" or a file's name."""
    suggested: Mapping[int, Decimal] = field(default_factory=dict)
    """The review's own suggestion (PAR, or Max) of each line, where it has one."""
    versions: Mapping[int, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ComparedLine:
    """One line under current and proposed levels (and the leanest, once found)."""

    setting: SimSetting
    current: LineOutcome
    proposed: LineOutcome
    leanest: Leanest | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """A comparison's lines, totals and what it could not replay."""

    input: SimulationInput
    lines: tuple[ComparedLine, ...]
    current: Totals
    proposed: Totals
    too_little_history: tuple[SimSetting, ...]
    leanest: Totals | None = None
    service_level: Decimal | None = None
    """The service level the leanest levels were found for."""


def compare(data: SimulationInput, *, progress: Progress | None = None) -> Comparison:
    """Replay the recorded usage under the current and the proposed levels (in this process:
    services/review/simulation_pool.py replays the same parts side by side)."""
    part = replay_part(data.settings, data.current, data.proposed, data.series, progress=progress)
    return comparison_of(data, [part])


def comparison_of(data: SimulationInput, parts: Iterable[Part]) -> Comparison:
    """The comparison from its replayed parts (in any order)."""
    whole = merged(parts, data.settings)
    return _comparison(
        data,
        replayed_of(
            whole.current, data.settings, whole.too_little_history, data.current, data.series
        ),
        replayed_of(
            whole.proposed, data.settings, whole.too_little_history, data.proposed, data.series
        ),
    )


def with_leanest(
    comparison: Comparison, *, service_level: Decimal, progress: Progress | None = None
) -> Comparison:
    """The comparison with each line's leanest levels for ``service_level`` % of days."""
    data = comparison.input
    settings = tuple(line.setting for line in comparison.lines)
    found = leanest_levels(
        settings,
        data.series,
        data.current,
        service_level=service_level,
        progress=_part(progress, 0, 2 * len(settings) or 1),
    )
    levels = {setting_id: lean.levels for setting_id, lean in found.items()}
    replayed = simulate(
        settings,
        levels,
        data.series,
        progress=_part(progress, len(settings), 2 * len(settings) or 1),
    )
    lines = tuple(
        replace(line, leanest=found.get(line.setting.setting_id)) for line in comparison.lines
    )
    return replace(comparison, lines=lines, leanest=replayed.totals, service_level=service_level)


def _comparison(data: SimulationInput, current: Replayed, proposed: Replayed) -> Comparison:
    settings = {s.setting_id: s for s in data.settings}
    under_proposed = proposed.by_setting()
    lines = tuple(
        ComparedLine(
            setting=settings[outcome.setting_id],
            current=outcome,
            proposed=under_proposed[outcome.setting_id],
        )
        for outcome in current.outcomes
        if outcome.setting_id in under_proposed
    )
    return Comparison(
        input=data,
        lines=lines,
        current=current.totals,
        proposed=proposed.totals,
        too_little_history=tuple(settings[i] for i in current.too_little_history),
    )


def _part(progress: Progress | None, offset: int, total: int) -> Progress | None:
    """Progress of one pass of several, told as progress of the whole."""
    if progress is None:
        return None
    report = progress

    def told(done: int, _total: int) -> None:
        report(offset + done, total)

    return told
