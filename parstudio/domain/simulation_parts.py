"""A what-if comparison replayed in parts: a chunk of lines replayed under the current and the
proposed levels, and the parts put back together into the figures of one pass. The parts are
pure and independent, so they can be replayed side by side (in worker processes); the result
is the same, figure for figure, in whatever order the parts finish."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import add

from parstudio.domain.progress import Progress
from parstudio.domain.simulation import CENT, Levels, LineOutcome, SimSetting, replay_tally
from parstudio.domain.simulation_engine import Answers
from parstudio.domain.simulation_lean import Tally, outcome_of
from parstudio.domain.simulation_series import MIN_DAYS, DailySeries

PROGRESS_EVERY = 250
_VALUE_SCALE = 1000
"""Prices are summed per day in thousandths, on stock in hundredths of a unit."""


@dataclass(slots=True)
class DayValues:
    """The value on the shelves per day over many lines (whole numbers: thousandths of a
    price times hundredths of a unit), from day ordinal ``first_day`` on."""

    first_day: int | None = None
    values: list[int] = field(default_factory=list)

    def add_line(self, setting: SimSetting, series: DailySeries, stocks: Sequence[int]) -> None:
        """Add one line's end-of-day stock (days 1… of its replay) at its unit price."""
        price = setting.unit_price()
        if price is None or not stocks:
            return
        scaled = int((price * _VALUE_SCALE).to_integral_value())
        self._add(series.start.toordinal() + 1, list(map(scaled.__mul__, stocks)))

    def merge(self, other: DayValues) -> None:
        """Add another part's values."""
        if other.first_day is not None:
            self._add(other.first_day, other.values)

    def peak(self) -> Decimal:
        """The highest value of any one day, in money."""
        return (Decimal(max(self.values, default=0)) / (100 * _VALUE_SCALE)).quantize(CENT)

    def _add(self, offset: int, values: Sequence[int]) -> None:
        if self.first_day is None:
            self.first_day = offset
        if offset < self.first_day:
            self.values[0:0] = [0] * (self.first_day - offset)
            self.first_day = offset
        at = offset - self.first_day
        end = at + len(values)
        if len(self.values) < end:
            self.values.extend([0] * (end - len(self.values)))
        self.values[at:end] = map(add, self.values[at:end], values)


@dataclass(slots=True)
class Pass:
    """One set of levels replayed over some lines: each line's tally (its outcome as whole
    numbers, quick to send between processes), their deliveries as (source, day ordinal), and
    the value on the shelves per day."""

    tallies: list[tuple[int, Tally]] = field(default_factory=list)
    arrivals: set[tuple[str, int]] = field(default_factory=set)
    values: DayValues = field(default_factory=DayValues)

    def replay(
        self,
        setting: SimSetting,
        levels: Levels,
        series: DailySeries,
        answers: Answers | None = None,
    ) -> Replay:
        """Replay one line and add it; returns the line's replay (to add it elsewhere too)."""
        arrivals: set[tuple[str, int]] = set()
        stocks: list[int] = []
        tally = replay_tally(
            setting, levels, series, arrivals_out=arrivals, daily_stock=stocks, answers=answers
        )
        line = Replay(tally, arrivals, stocks)
        self.add(setting, series, line)
        return line

    def add(self, setting: SimSetting, series: DailySeries, line: Replay) -> None:
        """Add a line's replay."""
        self.tallies.append((setting.setting_id, line.tally))
        self.arrivals |= line.arrivals
        self.values.add_line(setting, series, line.stocks)

    def merge(self, other: Pass) -> None:
        """Add another part's pass (its lines after this one's)."""
        self.tallies.extend(other.tallies)
        self.arrivals |= other.arrivals
        self.values.merge(other.values)

    def outcomes(
        self,
        settings: Mapping[int, SimSetting],
        levels: Mapping[int, Levels],
        series: Mapping[int, DailySeries | None],
    ) -> list[LineOutcome]:
        """The lines' outcome records, made from their tallies with the levels replayed."""
        found = []
        for setting_id, tally in self.tallies:
            line_series = series[setting_id]
            assert line_series is not None
            found.append(outcome_of(settings[setting_id], levels[setting_id], line_series, tally))
        return found


@dataclass(frozen=True, slots=True)
class Replay:
    """One line's replay: its tally, deliveries and end-of-day stock."""

    tally: Tally
    arrivals: set[tuple[str, int]]
    stocks: list[int]


@dataclass(slots=True)
class Part:
    """A chunk of lines replayed under the current and the proposed levels."""

    current: Pass = field(default_factory=Pass)
    proposed: Pass = field(default_factory=Pass)
    too_little_history: list[int] = field(default_factory=list)
    lines: int = 0
    """Lines of the chunk (replayed or not): for progress."""


def enough_history(series: DailySeries | None, min_days: int = MIN_DAYS) -> bool:
    """Whether a line's recorded usage is long enough to replay."""
    return series is not None and series.days >= min_days


def same_levels(one: Levels | None, other: Levels | None) -> bool:
    """Whether two sets of levels are the same to the last written digit (then a line's
    replay under one is its replay under the other: the replay is pure)."""
    return one is other or (one == other and repr(one) == repr(other))


def replay_part(
    settings: Sequence[SimSetting],
    current: Mapping[int, Levels],
    proposed: Mapping[int, Levels],
    series: Mapping[int, DailySeries | None],
    *,
    min_days: int = MIN_DAYS,
    progress: Progress | None = None,
    answers: Answers | None = None,
) -> Part:
    """Replay a chunk of lines under the current and the proposed levels. A line whose
    proposed levels are its current ones is replayed once (the outcome is the same).
    ``answers``: the engine's answers, shared with the other chunks of the same replay."""
    part = Part(lines=len(settings))
    total = len(settings)
    if answers is None:
        answers = {}
    for done, setting in enumerate(settings, start=1):
        setting_id = setting.setting_id
        line_series = series.get(setting_id)
        if line_series is None or not enough_history(line_series, min_days):
            part.too_little_history.append(setting_id)
        else:
            now, new = current.get(setting_id), proposed.get(setting_id)
            line = (
                part.current.replay(setting, now, line_series, answers) if now is not None else None
            )
            if new is not None:
                if line is not None and same_levels(now, new):
                    part.proposed.add(setting, line_series, line)
                else:
                    part.proposed.replay(setting, new, line_series, answers)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return part


def merged(parts: Iterable[Part], settings: Sequence[SimSetting]) -> Part:
    """The parts as one: lines replayed and left out in the order of ``settings`` (the parts
    may come in any order)."""
    whole = Part()
    for part in parts:
        whole.current.merge(part.current)
        whole.proposed.merge(part.proposed)
        whole.too_little_history.extend(part.too_little_history)
        whole.lines += part.lines
    position = {setting.setting_id: index for index, setting in enumerate(settings)}
    whole.current.tallies.sort(key=lambda line: position[line[0]])
    whole.proposed.tallies.sort(key=lambda line: position[line[0]])
    whole.too_little_history.sort(key=position.__getitem__)
    return whole


def warm_up() -> None:
    """Nothing: a worker process that runs it has imported the replay (started early, so
    starting the worker overlaps the reading)."""
