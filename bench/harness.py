"""Timing scenarios against their baselines, in the same run, and reporting ratios."""

from __future__ import annotations

import gc
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Scenario:
    """One measured job: PAR Studio's way and the bare library's way of doing the same work."""

    name: str
    ours: Callable[[], object]
    baseline: Callable[[], object] | None
    target: str
    max_ratio: float | None = None
    max_seconds: float | None = None
    repeat: int = 5
    note: str = ""


@dataclass
class Result:
    """The medians of one scenario and whether it met its target."""

    scenario: Scenario
    ours: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)

    @property
    def ours_median(self) -> float:
        return statistics.median(self.ours)

    @property
    def baseline_median(self) -> float | None:
        return statistics.median(self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        base = self.baseline_median
        return None if not base else self.ours_median / base

    @property
    def passed(self) -> bool:
        ok = True
        if self.scenario.max_ratio is not None and self.ratio is not None:
            ok = ok and self.ratio <= self.scenario.max_ratio
        if self.scenario.max_seconds is not None:
            ok = ok and self.ours_median <= self.scenario.max_seconds
        return ok


def _time(job: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def run(scenario: Scenario, log: Callable[[str], None] = print) -> Result:
    """Run ours and the baseline alternately (so drift hits both), after one warm-up each."""
    result = Result(scenario)
    scenario.ours()
    if scenario.baseline:
        scenario.baseline()
    for _ in range(scenario.repeat):
        if scenario.baseline:
            result.baseline.append(_time(scenario.baseline))
        result.ours.append(_time(scenario.ours))
    log(format_row(result))
    return result


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def format_row(result: Result) -> str:
    """One Markdown table row."""
    ratio = "—" if result.ratio is None else f"{result.ratio:.2f}×"
    verdict = "met" if result.passed else "**missed**"
    return (
        f"| {result.scenario.name} | {_seconds(result.ours_median)} | "
        f"{_seconds(result.baseline_median)} | {ratio} | {result.scenario.target} | {verdict} |"
    )


TABLE_HEADER = (
    "| scenario | PAR Studio (median) | baseline (median) | ratio | target | result |\n"
    "|---|---|---|---|---|---|"
)


def machine() -> str:
    """A line describing the machine the benchmarks ran on."""
    import os

    return (
        f"{platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
