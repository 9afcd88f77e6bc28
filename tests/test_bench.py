"""The benchmark scenarios stay importable and each names its target (they run in `make bench`)."""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import Measured, Result, Scenario, cpu_hog, format_row, run
from bench.probe import SPAWNED_AT
from bench.scenarios import MODULES
from parstudio.services.catalog import items
from parstudio.services.core.database import open_database, sqlite_url


def test_every_scenario_module_has_a_scenarios_function() -> None:
    for name in MODULES:
        module = importlib.import_module(f"bench.scenarios.{name}")
        assert list(inspect.signature(module.scenarios).parameters) == ["ctx"], name


def test_a_result_row_reports_ratio_and_verdict() -> None:
    scenario = Scenario("x", ours=lambda: Measured(2.0), baseline=None, target="t", max_ratio=2)
    result = Result(scenario, ours=[0.3, 0.2, 0.25], baseline=[0.1, 0.1, 0.2])
    assert result.ratio == 2.5 and not result.passed
    assert format_row(result) == "| x | 250.0 ms | — | 100.0 ms | 2.50× | t | **missed** |"
    memory = Scenario("m", ours=lambda: None, baseline=None, target="t", max_value=300, unit="MB")
    assert Result(memory, ours=[120.0]).passed


def test_a_target_measured_under_load_must_hold_there_too() -> None:
    scenario = Scenario("s", ours=lambda: None, baseline=None, target="t", max_value=0.1)
    scenario.under_load = True
    assert not Result(scenario, ours=[0.05]).passed  # never measured under load: not a pass
    assert Result(scenario, ours=[0.05], loaded=[0.06, 0.09, 0.2]).passed
    slow = Result(scenario, ours=[0.05], loaded=[0.2, 0.09, 0.3])
    assert not slow.passed
    row = "| s | 50.0 ms | 200.0 ms | — | — | t | **missed** |"
    assert format_row(slow) == row


def test_under_load_runs_ours_again_beside_a_process_burning_a_cpu() -> None:
    scenario = Scenario(
        "s", ours=lambda: Measured(0.01), baseline=None, target="t", max_value=0.1, repeat=2
    )
    scenario.under_load = True
    result = run(scenario, log=lambda _row: None)
    assert result.ours == [0.01, 0.01] and result.loaded == [0.01, 0.01] and result.passed
    with cpu_hog() as hog:
        assert hog.poll() is None
        started = os.times()
        time.sleep(0.6)
        assert hog.poll() is None  # still burning
    assert hog.returncode is not None  # gone with the block
    # Its CPU time is counted to this process's children once it has been reaped.
    assert os.times().children_user - started.children_user > 0.3


def test_the_cold_start_probes_report_seconds_from_the_spawn(tmp_path: Path) -> None:
    """The probes measure through the real start-up path and end once the moment is reached."""
    url = sqlite_url(tmp_path / "ward.sqlite")
    db = open_database(url)
    try:
        items.create_item(db, fields={"code": "SYR-10", "description": "Syringe 10 ml"})
    finally:
        db.close()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    seconds = {}
    for kind in ("bare-window", "window", "items"):
        env[SPAWNED_AT] = repr(time.monotonic())
        done = subprocess.run(
            [sys.executable, "-m", "bench.probe", kind, url],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=True,
        )
        seconds[kind] = float(done.stdout.strip().splitlines()[-1])
    assert all(0 < value < 120 for value in seconds.values()), seconds
    assert not (tmp_path / "backups").exists()  # the probes leave the daily backup out
