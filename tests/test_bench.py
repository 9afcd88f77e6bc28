"""The benchmark scenarios stay importable and each names its target (they run in `make bench`)."""

from __future__ import annotations

import importlib
import inspect

from bench.harness import Measured, Result, Scenario, format_row
from bench.scenarios import MODULES


def test_every_scenario_module_has_a_scenarios_function() -> None:
    for name in MODULES:
        module = importlib.import_module(f"bench.scenarios.{name}")
        assert list(inspect.signature(module.scenarios).parameters) == ["ctx"], name


def test_a_result_row_reports_ratio_and_verdict() -> None:
    scenario = Scenario("x", ours=lambda: Measured(2.0), baseline=None, target="t", max_ratio=2)
    result = Result(scenario, ours=[0.3, 0.2, 0.25], baseline=[0.1, 0.1, 0.2])
    assert result.ratio == 2.5 and not result.passed
    assert format_row(result) == "| x | 250.0 ms | 100.0 ms | 2.50× | t | **missed** |"
    memory = Scenario("m", ours=lambda: None, baseline=None, target="t", max_value=300, unit="MB")
    assert Result(memory, ours=[120.0]).passed
