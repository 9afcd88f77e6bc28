"""What-if replay over the demo department: simulate, find the leanest levels, accept them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from parstudio.domain.enums import Method
from parstudio.domain.errors import ValidationError, WorksheetError
from parstudio.domain.simulation_compare import with_leanest
from parstudio.domain.simulation_measures import level_of
from parstudio.models import Item, Location, ParReviewDecision, ParSetting
from parstudio.services.core.database import Database
from parstudio.services.review import simulation
from parstudio.services.review import suggestions as review
from tests.support.demo import DEMO_DAY

TODAY = date(2026, 11, 25)
YEAR_AGO = TODAY - timedelta(days=365)


@pytest.fixture
def demo(reviewed_demo_db: Database) -> Database:
    """The demo department of TODAY with its usage learned (built once a run, then copied)."""
    assert TODAY == DEMO_DAY
    return reviewed_demo_db


def _levels(db: Database, setting_ids: list[int]) -> dict[int, tuple[object, ...]]:
    with db.reading() as session:
        rows = session.execute(
            select(
                ParSetting.id, ParSetting.par_level, ParSetting.min_level, ParSetting.max_level
            ).where(ParSetting.id.in_(setting_ids))
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def test_ct1_under_suggested_levels_then_leanest_for_98_accepted(demo: Database) -> None:
    ct1 = simulation.location_ids_for(demo, codes=["ct1"])
    comparison = simulation.simulate_levels(
        demo, first=YEAR_AGO, last=TODAY, location_ids=ct1, levels="suggested", scope="CT1"
    )
    assert len(comparison.lines) > 40
    assert all(line.setting.location_code == "CT1" for line in comparison.lines)
    assert comparison.current.line_days > 300 * len(comparison.lines)
    # The review's suggestions change the picture: fewer stockouts or less stock (or both).
    assert (
        comparison.proposed.stockout_days < comparison.current.stockout_days
        or comparison.proposed.average_value < comparison.current.average_value
    )
    changed = [line for line in comparison.lines if line.proposed.levels != line.current.levels]
    assert changed, "the suggestions differ from the current levels on some lines"

    lean = with_leanest(comparison, service_level=Decimal(98))
    assert lean.leanest is not None and lean.service_level == Decimal(98)
    met = [line for line in lean.lines if line.leanest is not None and line.leanest.met]
    assert len(met) > len(lean.lines) // 2
    for line in met:
        assert line.leanest is not None
        assert line.leanest.outcome.service_level >= 98
        capacity = line.setting.storage_capacity
        assert capacity is None or (line.leanest.level or 0) <= capacity

    to_accept = [
        line
        for line in met
        if line.leanest is not None
        and line.leanest.level != level_of(line.setting, line.current.levels)
    ]
    before = _levels(demo, [line.setting.setting_id for line in to_accept])
    made = simulation.accept_leanest(demo, comparison=lean)
    assert {d.setting_id for d in made} == {line.setting.setting_id for line in to_accept}
    after = _levels(demo, list(before))
    for line in to_accept:
        assert line.leanest is not None
        par, low, high = after[line.setting.setting_id]
        if line.setting.method is Method.MIN_MAX:
            assert high == line.leanest.levels.max_level
            assert low == line.leanest.levels.min_level
        else:
            assert par == line.leanest.level
    with demo.reading() as session:
        recorded = session.scalars(
            select(ParReviewDecision).where(ParReviewDecision.formula == "leanest")
        ).all()
    assert len(recorded) == len(made)
    assert all("service" not in r.evidence or "replay" in r.evidence for r in recorded)

    # Undo through the review's own undo: every level back, the decisions gone.
    review.undo_decisions(demo, made=made)
    assert _levels(demo, list(before)) == before
    with demo.reading() as session:
        assert not session.scalars(
            select(ParReviewDecision.id).where(ParReviewDecision.formula == "leanest")
        ).all()


def test_levels_from_a_worksheet_file(demo: Database, tmp_path: Path) -> None:
    with demo.reading() as session:
        code, par = session.execute(
            select(Item.code, ParSetting.par_level)
            .join(ParSetting, ParSetting.item_id == Item.id)
            .join(Location, Location.id == ParSetting.location_id)
            .where(Location.code == "CT1", ParSetting.method == "PAR", ParSetting.par_level > 2)
            .order_by(Item.code)
        ).first()
    path = tmp_path / "levels.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["Location", "Item Code", "PAR Level", "Notes"])
    sheet.append(["ct1", code, int(par) * 3, "three times"])
    sheet.append(["CT1", "NO-SUCH-ITEM", 5, ""])
    book.save(path)
    comparison = simulation.simulate_levels(
        demo,
        first=YEAR_AGO,
        last=TODAY,
        location_ids=simulation.location_ids_for(demo, codes=["CT1"]),
        levels=path,
    )
    assert comparison.input.proposed_name == "levels.xlsx"
    by_code = {line.setting.item_code: line for line in comparison.lines}
    assert by_code[code].proposed.levels.par_level == par * 3
    others = [line for c, line in by_code.items() if c != code]
    assert all(line.proposed.levels == line.current.levels for line in others)
    assert "1 of its rows matched" in comparison.input.notes[0]
    assert "1 matched no line" in comparison.input.notes[0]


def test_a_bad_worksheet_is_refused_with_where(demo: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["Location", "Item Code", "PAR Level"])
    sheet.append(["CT1", "X", "lots"])
    book.save(path)
    with pytest.raises(WorksheetError, match=r"bad\.xlsx has problems: .*Row 2, column C"):
        simulation.simulate_levels(demo, first=YEAR_AGO, last=TODAY, levels=path)


def test_too_little_history_is_said_not_guessed(demo: Database) -> None:
    # A week: no line has four weeks of recorded usage in it.
    comparison = simulation.simulate_levels(
        demo,
        first=TODAY - timedelta(days=7),
        last=TODAY,
        location_ids=simulation.location_ids_for(demo, codes=["CT1"]),
    )
    assert comparison.lines == ()
    assert len(comparison.too_little_history) > 40


def test_unknown_location_and_backwards_period_are_refused(demo: Database) -> None:
    with pytest.raises(ValidationError, match="no location XX9"):
        simulation.location_ids_for(demo, codes=["XX9"])
    with pytest.raises(ValidationError, match="ends before it starts"):
        simulation.simulate_levels(demo, first=TODAY, last=YEAR_AGO)


def test_accepting_with_nothing_found_is_refused(demo: Database) -> None:
    comparison = simulation.simulate_levels(
        demo,
        first=YEAR_AGO,
        last=TODAY,
        location_ids=simulation.location_ids_for(demo, codes=["CT1"]),
    )
    with pytest.raises(ValidationError, match="nothing to accept"):
        simulation.accept_leanest(demo, comparison=comparison)
