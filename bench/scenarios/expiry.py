"""Lots and expiry: the expiring-soon list over every location, and one recall search.

The generated department records no lots, so a private copy gets them: every third line of
each location's latest count is given a lot and an expiry 1–120 days after the day it was
generated for, and every lot line also gets two lot scans (a FEFO pair).
"""

from __future__ import annotations

import sqlite3
from functools import cache
from typing import Any

from bench.context import TODAY, Context
from bench.harness import Scenario

HORIZON = 90

LATEST_LINES = f"""
SELECT cl.location_id, cl.item_id, cl.lot, cl.expiry, cl.quantity
FROM par_setting ps
JOIN count_line cl ON cl.id = (
    SELECT l.id FROM count_line l JOIN count c ON c.id = l.count_id
    WHERE l.item_id = ps.item_id AND l.location_id = ps.location_id
      AND c.finished_at IS NOT NULL
    ORDER BY l.recorded_at DESC, l.id DESC LIMIT 1)
WHERE cl.quantity > 0 AND cl.count_type = 'ON HAND' AND cl.expiry <= date(?, '+{HORIZON} days')
"""


def scenarios(ctx: Context) -> list[Scenario]:
    """Expiring within 90 days at all locations; where one lot of an item is."""

    @cache
    def path() -> str:
        target = ctx.scratch_copy("expiry.sqlite")
        with sqlite3.connect(target) as raw:
            raw.execute(
                """UPDATE count_line SET lot = 'L' || (id % 9973),
                       expiry = date(?, '+' || (1 + id % 120) || ' days')
                   WHERE id % 3 = 0 AND count_type = 'ON HAND'
                     AND count_id IN (SELECT max(id) FROM count GROUP BY location_id)""",
                (TODAY.isoformat(),),
            )
            raw.execute(
                """INSERT INTO scan (count_id, kind, raw, item_id, lot, expiry, quantity_before,
                       quantity_after, recorded_at, undone)
                   SELECT count_id, 'ITEM', 'bench', item_id, lot || s.k, date(expiry, s.d),
                          CASE s.k WHEN 'A' THEN NULL ELSE 1 END,
                          CASE s.k WHEN 'A' THEN 1 ELSE quantity END, recorded_at, 0
                   FROM count_line, (SELECT 'A' AS k, '+0 days' AS d
                                     UNION ALL SELECT 'B', '+200 days') s
                   WHERE lot IS NOT NULL"""
            )
        return str(target)

    @cache
    def database() -> Any:
        from parstudio.services.core.database import open_database, sqlite_url

        return open_database(sqlite_url(path()), user_name="bench")

    @cache
    def a_lot() -> tuple[str, str]:
        with sqlite3.connect(path()) as raw:
            code, lot = raw.execute(
                "SELECT item.code, count_line.lot || 'A' FROM count_line JOIN item "
                "ON item.id = count_line.item_id WHERE lot IS NOT NULL AND quantity > 1 LIMIT 1"
            ).fetchone()
        return code, lot

    def ours() -> None:
        from parstudio.services.expiry import lots as expiry

        rows = expiry.expiring_soon(database(), days=HORIZON, today=TODAY)
        assert rows

    def baseline() -> None:
        with sqlite3.connect(path()) as raw:
            assert raw.execute(LATEST_LINES, (TODAY.isoformat(),)).fetchall()

    def recall() -> None:
        from parstudio.services.expiry import lots as expiry

        code, lot = a_lot()
        assert expiry.recall_search(database(), item_code=code, lot=lot, today=TODAY).holdings

    def setup() -> None:
        database()
        a_lot()

    return [
        Scenario(
            name=f"expiry: lots expiring within {HORIZON} days, all locations",
            ours=ours,
            baseline=baseline,
            target="< 1 s (and ≤ 8× one bare SQL query of the dated latest lines)",
            max_ratio=8.0,
            max_value=1.0,
            repeat=3,
            setup=setup,
            note="ours also splits lines by their lot scans and works out the FEFO hints",
        ),
        Scenario(
            name="expiry: recall search for one lot of one item",
            ours=recall,
            baseline=None,
            target="< 0.5 s",
            max_value=0.5,
            repeat=3,
            setup=setup,
        ),
    ]
