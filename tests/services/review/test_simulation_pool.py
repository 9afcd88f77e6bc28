"""What-if replays in worker processes: the same comparison as in this process, progress to
the end, a cancel that stops the workers, and a worker's failure raised as itself."""

from __future__ import annotations

import multiprocessing
from datetime import date, timedelta
from decimal import Decimal

import pytest

from parstudio.domain.errors import CancelledError
from parstudio.domain.simulation import Levels, SimSetting
from parstudio.domain.simulation_compare import SimulationInput, compare, comparison_of
from parstudio.domain.simulation_series import DailySeries
from parstudio.services.core.database import Database
from parstudio.services.review import simulation, simulation_pool
from tests.support.demo import DEMO_DAY

TODAY = date(2026, 11, 25)
YEAR_AGO = TODAY - timedelta(days=365)


@pytest.fixture
def demo(reviewed_demo_db: Database) -> Database:
    """The demo department of TODAY with its usage learned (built once a run, then copied)."""
    assert TODAY == DEMO_DAY
    return reviewed_demo_db


@pytest.fixture
def in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every replay, however small, in two worker processes (as a large one on two cores)."""
    monkeypatch.setattr(simulation_pool, "PARALLEL_FROM", 1)
    monkeypatch.setattr(simulation_pool.os, "cpu_count", lambda: 2)


@pytest.mark.usefixtures("in_workers")
def test_replayed_in_workers_is_the_comparison_replayed_here(demo: Database) -> None:
    reports: list[tuple[int, int]] = []
    ours = simulation.simulate_levels(
        demo,
        first=YEAR_AGO,
        last=TODAY,
        levels="suggested",
        progress=lambda done, total: reports.append((done, total)),
    )
    here = compare(simulation.load_simulation(demo, first=YEAR_AGO, last=TODAY, levels="suggested"))
    assert len(ours.lines) > 100
    assert ours.lines == here.lines
    assert (ours.current, ours.proposed) == (here.current, here.proposed)
    assert ours.too_little_history == here.too_little_history
    assert ours.input.series == here.input.series
    # Lines read + lines replayed, out of twice the lines: never back, and to the end.
    total = 2 * len(ours.input.settings)
    assert {t for _done, t in reports} == {total}
    assert [done for done, _t in reports] == sorted(done for done, _t in reports)
    assert reports[-1] == (total, total)
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("in_workers")
def test_stop_while_replaying_in_workers_stops_them(demo: Database) -> None:
    lines = len(simulation.load_simulation(demo, first=YEAR_AGO, last=TODAY).settings)

    def stop_once_replaying(done: int, total: int) -> None:
        if done > lines:  # everything read, some replayed
            raise CancelledError()

    with pytest.raises(CancelledError):
        simulation.simulate_levels(
            demo, first=YEAR_AGO, last=TODAY, levels="current", progress=stop_once_replaying
        )
    assert multiprocessing.active_children() == []


def test_levels_given_by_setting_are_proposed_the_others_kept(demo: Database) -> None:
    data = simulation.load_simulation(demo, first=YEAR_AGO, last=TODAY, levels="current")
    par_line = next(s for s in data.settings if data.current[s.setting_id].par_level)
    given = {par_line.setting_id: Levels(par_level=Decimal(1))}
    comparison = simulation.simulate_levels(demo, first=YEAR_AGO, last=TODAY, levels=given)
    assert comparison.input.proposed[par_line.setting_id] == Levels(par_level=Decimal(1))
    others = [s.setting_id for s in data.settings if s.setting_id != par_line.setting_id]
    assert all(comparison.input.proposed[i] == data.current[i] for i in others)
    assert comparison.input.proposed_name == "proposed"
    assert f"given for 1 of the {len(data.settings)} lines" in comparison.input.notes[0]


def test_a_failure_in_a_worker_is_raised_here_as_itself() -> None:
    setting = SimSetting(setting_id=1, location_code="CT1", item_code="GAUZE")
    broken = DailySeries(date(2026, 1, 5), Decimal(5), (100, "ten", 100) * 20, "counts")  # type: ignore[arg-type]
    data = SimulationInput(
        first=date(2026, 1, 5),
        last=date(2026, 3, 5),
        scope="test",
        settings=(setting,),
        series={},
        current={1: Levels(par_level=Decimal(10))},
        proposed={1: Levels(par_level=Decimal(12))},
        proposed_name="test",
    )
    with pytest.raises(TypeError), simulation_pool.ReplayPool(data, None, workers=2) as pool:
        pool.submit({1: broken})
        pool.parts()
    assert multiprocessing.active_children() == []


def test_the_workers_can_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARSTUDIO_REPLAY_WORKERS", "3")
    assert simulation_pool.workers_for(10) == 3
    monkeypatch.setenv("PARSTUDIO_REPLAY_WORKERS", "0")
    assert simulation_pool.workers_for(100_000) == 0
    monkeypatch.setenv("PARSTUDIO_REPLAY_WORKERS", "many")  # not a number: as if not set
    assert simulation_pool.workers_for(10) == 0


def test_a_few_hundred_lines_are_replayed_in_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PARSTUDIO_REPLAY_WORKERS", raising=False)
    assert simulation_pool.workers_for(500) == 0
    assert simulation_pool.workers_for(100_000) == (
        0 if (simulation_pool.os.cpu_count() or 1) < 2 else simulation_pool.os.cpu_count()
    )


def test_chunks_no_worker_started_are_replayed_here_to_the_same_comparison() -> None:
    # One worker, many chunks: once everything is read, this process takes back the chunks
    # the worker has not started and replays them itself; the comparison is the one-process
    # one, in whatever order the chunks finished.
    settings = tuple(
        SimSetting(
            setting_id=number,
            location_code="CT1",
            item_code=f"I{number}",
            pack_price=Decimal(3),
            delivery_weekdays=frozenset({0, 3}),
            source="MED",
        )
        for number in range(1, 61)
    )
    series = {
        s.setting_id: DailySeries(
            date(2026, 1, 5),
            Decimal(s.setting_id % 7),
            tuple((s.setting_id * day) % 900 for day in range(200)),
            "counts",
        )
        for s in settings
    }
    data = SimulationInput(
        first=date(2026, 1, 5),
        last=date(2026, 7, 24),
        scope="test",
        settings=settings,
        series=series,
        current={s.setting_id: Levels(par_level=Decimal(10 + s.setting_id % 9)) for s in settings},
        proposed={s.setting_id: Levels(par_level=Decimal(14 + s.setting_id % 5)) for s in settings},
        proposed_name="test",
    )
    with simulation_pool.ReplayPool(data, None, workers=1) as pool:
        for start in range(0, len(settings), 3):
            pool.submit({s.setting_id: series[s.setting_id] for s in settings[start : start + 3]})
        parts = pool.parts()
        taken_back = bool(pool._answers)  # filled only by chunks replayed in this process
    assert len(parts) == 20
    assert taken_back
    ours, here = comparison_of(data, parts), compare(data)
    assert ours.lines == here.lines
    assert (ours.current, ours.proposed) == (here.current, here.proposed)
    assert multiprocessing.active_children() == []
