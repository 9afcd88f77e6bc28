"""What if: replay a year under other levels, for the largest location and the whole
department, and find the leanest levels of a usual location.

The generated department has no review suggestions worked out (that copy is review.py's, and
takes many minutes to make), so the proposed levels are made up by a fixed rule
(``proposed_levels``: every level of two lines in three raised by a quarter, of the third
lowered by a quarter, at least one unit either way) and given by setting id, as a file of
levels would give them: every line with levels is replayed twice, under different levels (the
replay does a line once only when its proposed levels are its current ones).
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bench.context import TODAY, Context
from bench.harness import Scenario

_STATES: dict[str, dict[str, Any]] = {}
FIRST = TODAY - timedelta(days=365)


def proposed_levels(raw: sqlite3.Connection) -> dict[int, Any]:
    """Levels that differ from the current ones for every line that has levels: each level
    raised by a quarter (lowered, for one setting in three), rounded, at least one unit."""
    from parstudio.domain.simulation import Levels

    def moved(value: object, setting_id: int) -> Decimal | None:
        if value is None:
            return None
        level = Decimal(str(value))
        lower = setting_id % 3 == 0
        new = (level * Decimal("0.75" if lower else "1.25")).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        if new == level:
            new = max(level - 1, Decimal(0)) if lower else level + 1
        return new

    return {
        setting_id: Levels(moved(par, setting_id), moved(low, setting_id), moved(high, setting_id))
        for setting_id, par, low, high in raw.execute(
            "SELECT id, par_level, min_level, max_level FROM par_setting"
        )
    }


def _state(ctx: Context) -> dict[str, Any]:
    key = str(ctx.database_path)
    if key in _STATES:
        return _STATES[key]
    from parstudio.services.core.database import open_database, sqlite_url

    raw = sqlite3.connect(f"file:{ctx.database_path}?mode=ro", uri=True)
    largest = raw.execute(
        "SELECT location_id FROM par_setting GROUP BY location_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    # A usual PAR location: the one whose number of settings is nearest 500.
    usual = raw.execute(
        "SELECT location_id FROM par_setting GROUP BY location_id "
        "ORDER BY abs(count(*) - 500), location_id LIMIT 1"
    ).fetchone()[0]
    _STATES[key] = {
        "db": open_database(sqlite_url(ctx.database_path)),
        "raw": raw,
        "largest": largest,
        "usual": usual,
        # Made before the clock starts, as a file of levels would be written beforehand.
        "proposed": proposed_levels(raw),
    }
    return _STATES[key]


def scenarios(ctx: Context) -> list[Scenario]:
    """The largest location, the whole department, and find-leanest for a usual location."""

    def largest_ours() -> object:
        from parstudio.services.review import simulation

        state = _state(ctx)
        return simulation.simulate_levels(
            state["db"],
            first=FIRST,
            last=TODAY,
            location_ids=[state["largest"]],
            levels=state["proposed"],
        )

    def largest_baseline() -> object:
        # The bare read of the year's counts and receipts of the location.
        state = _state(ctx)
        since = (FIRST - timedelta(days=35)).isoformat()
        return (
            state["raw"]
            .execute(
                "SELECT p.id, c.recorded_at, c.quantity FROM count_line c JOIN par_setting p "
                "ON p.location_id = c.location_id AND p.item_id = c.item_id "
                "WHERE c.location_id = ? AND c.count_type = 'ON HAND' AND c.recorded_at >= ? "
                "UNION ALL SELECT p.id, r.received_at, r.quantity FROM receipt r "
                "JOIN par_setting p ON p.location_id = r.location_id "
                "AND p.item_id = r.item_id WHERE r.location_id = ? AND r.received_at >= ?",
                (state["largest"], since, state["largest"], since),
            )
            .fetchall()
        )

    def department_ours() -> object:
        from parstudio.services.review import simulation

        reports: list[tuple[int, int]] = []
        state = _state(ctx)
        outcome = simulation.simulate_levels(
            state["db"],
            first=FIRST,
            last=TODAY,
            levels=state["proposed"],
            progress=lambda done, total: reports.append((done, total)),
        )
        assert reports and reports[-1][0] == reports[-1][1], "progress reached the end"
        return outcome

    prepared: dict[str, Any] = {}

    def leanest_setup() -> None:
        if "comparison" not in prepared:
            from parstudio.services.review import simulation

            state = _state(ctx)
            prepared["comparison"] = simulation.simulate_levels(
                state["db"],
                first=FIRST,
                last=TODAY,
                location_ids=[state["usual"]],
                levels="current",
            )

    def leanest_ours() -> object:
        from parstudio.domain.simulation_compare import with_leanest

        return with_leanest(prepared["comparison"], service_level=Decimal(98))

    return [
        Scenario(
            name="what-if: a year of the largest location (9,469 settings), current vs proposed",
            ours=largest_ours,
            baseline=largest_baseline,
            target="< 5 s",
            max_value=5.0,
            repeat=2,
        ),
        Scenario(
            name="what-if: replay a year of the whole department (100,000 settings), with progress",
            ours=department_ours,
            baseline=None,
            target="< 60 s",
            max_value=60.0,
            repeat=1,
            # Minutes of work: measured once, without a warm-up run of its own (the row
            # before it has read the department and started the replay's workers already).
            warm_up=False,
            setup=lambda: _state(ctx),
        ),
        Scenario(
            name="what-if: find the leanest levels for 98 % of a usual location (~500 settings)",
            ours=leanest_ours,
            baseline=None,
            target="< 10 s",
            max_value=10.0,
            repeat=3,
            setup=leanest_setup,
        ),
    ]
