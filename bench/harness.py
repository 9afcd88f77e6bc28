"""Timing scenarios against their baselines, in the same run, and reporting ratios."""

from __future__ import annotations

import gc
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Scenario:
    """One measured job: PAR Studio's way and the bare library's way of doing the same work."""

    name: str
    ours: Callable[[], object]
    baseline: Callable[[], object] | None
    target: str
    max_ratio: float | None = None
    max_value: float | None = None
    """The most the median may be, in the scenario's unit."""
    repeat: int = 5
    note: str = ""
    setup: Callable[[], object] | None = None
    unit: str = "s"
    under_load: bool = False
    """Also run ours beside a CPU-bound process; its target must hold there too."""
    warm_up: bool = True
    """Run each side once, untimed, first (off for a long job that warms itself up)."""


class NotRun(Exception):
    """A scenario could not run here (e.g. no PostgreSQL server): reported, counted as missed."""


@dataclass
class Result:
    """The medians of one scenario and whether it met its target."""

    scenario: Scenario
    ours: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    loaded: list[float] = field(default_factory=list)
    """Ours again, each run beside a CPU-bound process (scenarios with ``under_load``)."""
    not_run: str | None = None
    """Why the scenario did not run (then it is missed)."""
    problems: list[str] = field(default_factory=list)
    """What a self-measuring job found wrong besides its figure (then it is missed)."""
    details: str = ""
    """More figures a self-measuring job gives, shown with the verdict."""

    @property
    def ours_median(self) -> float:
        return statistics.median(self.ours)

    @property
    def loaded_median(self) -> float | None:
        return statistics.median(self.loaded) if self.loaded else None

    @property
    def baseline_median(self) -> float | None:
        return statistics.median(self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        base = self.baseline_median
        return None if not base else self.ours_median / base

    @property
    def passed(self) -> bool:
        if self.not_run is not None or self.problems:
            return False
        ok = True
        if self.scenario.max_ratio is not None and self.ratio is not None:
            ok = ok and self.ratio <= self.scenario.max_ratio
        if self.scenario.max_value is not None:
            ok = ok and self.ours_median <= self.scenario.max_value
            loaded = self.loaded_median
            ok = ok and (loaded is None or loaded <= self.scenario.max_value)
        if self.scenario.under_load and not self.loaded:
            ok = False  # asked to be measured under load and was not: never a silent pass
        return ok


@dataclass(frozen=True)
class Measured:
    """Returned by a job that measures itself (per-scan latency, peak memory)."""

    value: float
    problems: tuple[str, ...] = ()
    """Checks the job made that failed (scans lost, errors): the scenario is then missed."""
    details: str = ""
    """Other figures worth showing beside the median (p95, counts)."""


def _time(
    job: Callable[[], object], setup: Callable[[], object] | None, result: Result | None = None
) -> float:
    if setup:
        setup()
    gc.collect()
    start = time.perf_counter()
    outcome = job()
    elapsed = time.perf_counter() - start
    if not isinstance(outcome, Measured):
        return elapsed
    if result is not None:
        result.problems += outcome.problems
        result.details = outcome.details or result.details
    return outcome.value


BUSY_LOOP = "import time\nend = time.monotonic() + 900\nwhile time.monotonic() < end: pass"


@contextmanager
def cpu_hog() -> Iterator[subprocess.Popen[bytes]]:
    """A second process burning one CPU for as long as the block runs (a busy workstation)."""
    hog = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
    try:
        time.sleep(0.2)  # running flat out before the first measurement
        yield hog
    finally:
        hog.kill()
        hog.wait()


def run(scenario: Scenario, log: Callable[[str], None] = print) -> Result:
    """Run ours and the baseline alternately (so drift hits both), after one warm-up each;
    then, for a scenario measured under load, ours again beside a CPU-bound process."""
    result = Result(scenario)
    try:
        if scenario.warm_up:
            _time(scenario.ours, scenario.setup)
            if scenario.baseline:
                _time(scenario.baseline, scenario.setup)
        for _ in range(scenario.repeat):
            if scenario.baseline:
                result.baseline.append(_time(scenario.baseline, scenario.setup))
            result.ours.append(_time(scenario.ours, scenario.setup, result))
        if scenario.under_load:
            with cpu_hog():
                for _ in range(scenario.repeat):
                    result.loaded.append(_time(scenario.ours, scenario.setup, result))
    except NotRun as exc:
        result.not_run = str(exc) or "not available here"
    log(format_row(result))
    return result


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit != "s":
        return f"{value:.0f} {unit}"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def format_row(result: Result) -> str:
    """One Markdown table row."""
    unit = result.scenario.unit
    if result.not_run is not None or not result.ours:
        why = result.not_run or "no measurement"
        return (
            f"| {result.scenario.name} | not run | — | — | — | {result.scenario.target} | "
            f"**missed** (not run: {why}) |"
        )
    ratio = "—" if result.ratio is None else f"{result.ratio:.2f}×"
    verdict = "met" if result.passed else "**missed**"
    notes = [result.details] if result.details else []
    notes += result.problems
    if notes:
        verdict += f" ({'; '.join(notes)})"
    return (
        f"| {result.scenario.name} | {_amount(result.ours_median, unit)} | "
        f"{_amount(result.loaded_median, unit)} | "
        f"{_amount(result.baseline_median, unit)} | {ratio} | {result.scenario.target} | "
        f"{verdict} |"
    )


TABLE_HEADER = (
    "| scenario | PAR Studio (median) | under load (median) | baseline (median) | ratio "
    "| target | result |\n"
    "|---|---|---|---|---|---|---|"
)


def machine() -> str:
    """A line describing the machine the benchmarks ran on."""
    import os

    return (
        f"{platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
