"""The PAR review: the review list, one setting's chart, recomputing a location, its quarterly
report.

The list reads the usage profiles that "Recompute suggestions" writes; they are worked out
once for the generated department (a few minutes for the large one) into a copy cached next to
it, ``department-SIZE-vN-review-vM.sqlite``, so the timed jobs read a department whose review
has been computed, as a user's would.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.context import GENERATOR_VERSION, TODAY, Context, data_dir
from bench.harness import Scenario

# Bump when usage profiles are computed differently, so a stale cached copy is not measured.
PROFILE_VERSION = 2
THRESHOLD = Decimal(25)


def profiled_path(ctx: Context) -> Path:
    """The generated department with its review computed (made once, then cached)."""
    from parstudio.services.core.database import open_database, sqlite_url
    from parstudio.services.core.schema import head_revision
    from parstudio.services.review import suggestions as review

    name = f"department-{ctx.size}-v{GENERATOR_VERSION}-review-v{PROFILE_VERSION}.sqlite"
    path = data_dir() / name
    if path.exists():
        # A copy made before the migrations were renumbered would be refused as "too new".
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as raw:
            (revision,) = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision == head_revision():
            return path
        path.unlink()

    partial = path.with_suffix(".partial")
    shutil.copyfile(ctx.database_path, partial)
    db = open_database(sqlite_url(partial))
    started = time.perf_counter()

    def progress(done: int, total: int) -> bool:
        if done == total or done % 10_000 < 600:
            print(f"Review profiles: {done:,} of {total:,} ({time.perf_counter() - started:.0f} s)")
        return True

    try:
        review.refresh_profiles(db, through=TODAY, progress=progress)
    finally:
        db.close()
    partial.rename(path)
    return path


# Bump when the demo department is built differently, so a stale cached copy is not measured.
DEMO_VERSION = 1


def demo_path() -> Path:
    """The demo department (what ``make run`` opens) as of the bench's day, with its
    suggestions worked out, built once into a cached file."""
    from parstudio.demo.department import build_demo
    from parstudio.services.core.database import open_database, sqlite_url
    from parstudio.services.core.schema import head_revision
    from parstudio.services.review import suggestions as review

    path = data_dir() / f"demo-v{DEMO_VERSION}.sqlite"
    if path.exists():
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as raw:
            (revision,) = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision == head_revision():
            return path
        path.unlink()
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = open_database(sqlite_url(partial))
    try:
        # The builder `parstudio --demo` uses, then its suggestions (demo_suggestions), on
        # the bench's fixed day so the report is the same every run.
        build_demo(db, today=TODAY)
        review.refresh_profiles(db, through=TODAY)
    finally:
        db.close()
    partial.rename(path)
    return path


_STATES: dict[Path, dict[str, Any]] = {}


def _state(ctx: Context) -> dict[str, Any]:
    """The opened profiled department, a setting to chart and a location (once per run)."""
    if ctx.database_path in _STATES:
        return _STATES[ctx.database_path]
    from parstudio.services.core.database import open_database, sqlite_url

    path = profiled_path(ctx)
    db = open_database(sqlite_url(path))
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    # A busy line counted on hand: the chart with the most points to draw.
    setting_id, location_id, item_id = raw.execute(
        "SELECT p.id, p.location_id, p.item_id FROM par_setting p "
        "JOIN count_line c ON c.location_id = p.location_id AND c.item_id = p.item_id "
        "WHERE c.count_type = 'ON HAND' GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1"
        if ctx.size == "tiny"
        else "SELECT id, location_id, item_id FROM par_setting "
        "WHERE active AND (count_type IS NULL OR count_type = 'ON HAND') "
        "ORDER BY id LIMIT 1 OFFSET 4321"
    ).fetchone()
    location = raw.execute(
        "SELECT location_id FROM par_setting GROUP BY location_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    _STATES[ctx.database_path] = {
        "db": db,
        "raw": raw,
        "path": path,
        "setting_id": setting_id,
        "location_id": location,
        "pair": (location_id, item_id),
    }
    return _STATES[ctx.database_path]


def _read_events(raw: sqlite3.Connection, location_id: int | None) -> list[Any]:
    """Bare sqlite3 reading the counts and receipts of a location's settings (all: None)."""
    where = "" if location_id is None else " AND c.location_id = :place"
    receipts_where = "" if location_id is None else " WHERE r.location_id = :place"
    return raw.execute(
        "SELECT p.id, c.recorded_at, c.quantity FROM count_line c JOIN par_setting p "
        "ON p.location_id = c.location_id AND p.item_id = c.item_id "
        f"WHERE c.count_type = 'ON HAND'{where} "
        "UNION ALL SELECT p.id, r.received_at, r.quantity FROM receipt r "
        "JOIN par_setting p ON p.location_id = r.location_id "
        f"AND p.item_id = r.item_id{receipts_where}",
        {"place": location_id},
    ).fetchall()


def _app() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def scenarios(ctx: Context) -> list[Scenario]:
    """Open the review list, draw a chart, recompute one location and every setting, the
    quarterly report of the largest location and of the demo department."""

    def list_ours() -> object:
        from parstudio.services.review import suggestions as review

        return review.review_list(_state(ctx)["db"], threshold_pct=THRESHOLD)

    def list_baseline() -> object:
        from sqlalchemy.dialects import sqlite

        from parstudio.domain.review import Formula
        from parstudio.services.review.suggestions import review_query

        query = review_query(THRESHOLD, Formula.COVERAGE, 4, Decimal(2))
        sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
        return _state(ctx)["raw"].execute(sql).fetchall()

    def chart_ours() -> object:
        from parstudio.services.review import charts
        from parstudio.ui.kit.charts import make_view, usage_chart

        _app()
        state = _state(ctx)
        data = charts.setting_chart(state["db"], setting_id=state["setting_id"], through=TODAY)
        view = make_view(usage_chart(data))
        view.resize(1280, 720)
        return view.grab()

    def chart_baseline() -> object:
        from PySide6.QtCharts import QChart, QLineSeries, QScatterSeries

        from parstudio.ui.kit.charts import make_view

        _app()
        state = _state(ctx)
        location_id, item_id = state["pair"]
        # The same number of points as ours: weeks, levels, stockouts and received per week.
        rows = (
            state["raw"]
            .execute(
                "SELECT count(*) FROM count_line WHERE location_id = ? AND item_id = ? "
                "AND recorded_at >= ?",
                (location_id, item_id, "2024-12-01"),
            )
            .fetchone()[0]
        )
        weeks = 104
        chart = QChart()
        for points in (weeks, weeks, 2 * weeks, weeks):
            series = QLineSeries()
            for k in range(points):
                series.append(float(k), float(k % 17))
            chart.addSeries(series)
        stockouts = QScatterSeries()
        for k in range(max(rows // 10, 1)):
            stockouts.append(float(k), 0.0)
        chart.addSeries(stockouts)
        chart.createDefaultAxes()
        view = make_view(chart)
        view.resize(1280, 720)
        return view.grab()

    def recompute_ours() -> object:
        from parstudio.services.review import suggestions as review

        state = _state(ctx)
        return review.refresh_profiles(
            state["db"], through=TODAY, location_ids=[state["location_id"]]
        )

    def recompute_baseline() -> object:
        state = _state(ctx)
        return _read_events(state["raw"], state["location_id"])

    def quarterly_ours() -> object:
        from parstudio.domain.quarterly_review import Quarter
        from parstudio.services.review.period_usage import SettingFilter
        from parstudio.services.review.quarterly import quarterly_review

        state = _state(ctx)
        code = (
            state["raw"]
            .execute("SELECT code FROM location WHERE id = ?", (state["location_id"],))
            .fetchone()[0]
        )
        return quarterly_review(
            state["db"],
            quarter=Quarter.last_complete(TODAY),
            wanted=SettingFilter(location_codes=(code,)),
            today=TODAY,
        )

    settings = ctx.sizes["settings"]

    def recompute_all() -> object:
        from parstudio.services.review import suggestions as review

        reports: list[tuple[int, int]] = []

        def progress(done: int, total: int) -> bool:
            reports.append((done, total))
            return True

        summary = review.refresh_profiles(_state(ctx)["db"], through=TODAY, progress=progress)
        assert summary.settings == summary.total and not summary.stopped
        assert len(reports) > 2 and reports[-1][0] == reports[-1][1], "progress to the end"
        return summary

    demo: dict[str, Any] = {}

    def demo_state() -> dict[str, Any]:
        if not demo:
            from parstudio.services.core.database import open_database, sqlite_url

            path = demo_path()
            demo["db"] = open_database(sqlite_url(path))
            demo["raw"] = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        return demo

    def quarterly_demo() -> object:
        from parstudio.domain.quarterly_review import Quarter
        from parstudio.services.review.quarterly import quarterly_review

        return quarterly_review(
            demo_state()["db"], quarter=Quarter.last_complete(TODAY), today=TODAY
        )

    def demo_baseline() -> object:
        return _read_events(demo_state()["raw"], None)

    def prepare() -> object:
        return _state(ctx)

    return [
        Scenario(
            name=f"review: open the list of {settings:,} settings",
            ours=list_ours,
            baseline=list_baseline,
            target="< 1 s",
            max_value=1.0,
            setup=prepare,
            note="baseline: the list's SQL through bare sqlite3",
        ),
        Scenario(
            name="review: one setting's usage chart (2 years)",
            ours=chart_ours,
            baseline=chart_baseline,
            target="< 200 ms",
            max_value=0.2,
            setup=prepare,
            note="baseline: a bare QChart with the same number of points, drawn the same",
        ),
        Scenario(
            name="review: recompute the largest location's suggestions",
            ours=recompute_ours,
            baseline=recompute_baseline,
            target="< 5 s",
            max_value=5.0,
            repeat=3,
            setup=prepare,
            note="baseline: bare sqlite3 reading the same counts and receipts",
        ),
        Scenario(
            name="review: quarterly review report of the largest location",
            ours=quarterly_ours,
            baseline=recompute_baseline,
            target="< 3 s",
            max_value=3.0,
            repeat=3,
            setup=prepare,
            note="baseline: bare sqlite3 reading the location's counts and receipts",
        ),
        Scenario(
            name=f"review: recompute every setting ({settings:,})",
            ours=recompute_all,
            baseline=None,
            target="< 60 s, with progress",
            max_value=60.0,
            repeat=1,
            # A minute of work: measured once, without a warm-up run of its own (the rows
            # before it have read the department already).
            warm_up=False,
            setup=prepare,
            note="writes every profile again, as Recompute does (on the review copy)",
        ),
        Scenario(
            name="review: quarterly review report of the demo department",
            ours=quarterly_demo,
            baseline=demo_baseline,
            target="< 1 s",
            max_value=1.0,
            repeat=3,
            setup=demo_state,
            note="baseline: bare sqlite3 reading the demo's counts and receipts",
        ),
    ]
