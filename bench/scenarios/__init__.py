"""Benchmark scenarios: each module has ``scenarios(ctx) -> list[Scenario]``.

A module is listed here once; ``python -m bench --only NAME`` runs the scenarios whose name
contains NAME.
"""

MODULES: tuple[str, ...] = (
    # one line per module; keep them in this order when merging
    "startup",
    "proposal",
    "printing",
    "worksheets",
    "workstations",
    "counting",
    "scan_stream",
    "review",
    "expiry",
    "whatif",
    "postgres",
)
