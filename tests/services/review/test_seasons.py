"""The flex PAR calendar through the services, and the proposal using the level of the day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from parstudio.domain.errors import ConflictError, ValidationError
from parstudio.services.catalog import items, locations, par_settings
from parstudio.services.core.database import Database
from parstudio.services.ordering import proposals
from parstudio.services.review import seasons
from tests.support.history import add_count


@pytest.fixture
def setting(db: Database) -> int:
    ct = locations.create_location(db, fields={"code": "CT1", "name": "CT room 1"})
    masks = items.create_item(db, fields={"code": "MASK", "description": "Masks"})
    row = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=masks.id, fields={"par_level": "31"}
    )
    with db.transaction() as session:
        moment = datetime(2026, 11, 20, 7, tzinfo=UTC)
        add_count(session, ct.id, masks.id, 8, moment)
    return row.id


def winter(**extra: str) -> dict[str, str]:
    return {
        "name": "winter",
        "start_month": "Dec",
        "start_day": "1",
        "end_month": "2",
        "end_day": "29",
        "factor": "1.3",
        **extra,
    }


def test_the_proposal_uses_the_level_in_force_on_its_day(db: Database, setting: int) -> None:
    seasons.add_season(db, setting_id=setting, fields=winter())
    (line,) = proposals.propose_orders(db, on=date(2027, 1, 5)).lines
    assert line.need == 33
    # After the count it rests on ("counted 8 on … → "), the seasonal level.
    assert line.explanation.split(" → ", 1)[1].startswith("PAR 41 (winter ×1.3 of 31) − on hand 8")
    (line,) = proposals.propose_orders(db, on=date(2027, 3, 5)).lines
    assert line.need == 23 and " → PAR 31 − on hand 8" in line.explanation


def test_add_list_change_and_remove(db: Database, setting: int) -> None:
    added = seasons.add_season(db, setting_id=setting, fields=winter())
    summer = seasons.add_season(
        db,
        setting_id=setting,
        fields={
            "name": "summer",
            "start_month": "6",
            "start_day": "1",
            "end_month": "8",
            "end_day": "31",
            "par_level": "20",
        },
    )
    assert [s.name for s in seasons.list_seasons(db, setting_id=setting)] == ["summer", "winter"]
    changed = seasons.update_season(
        db, season_id=summer.id, changes={"factor": "0.8"}, expected_version=summer.version
    )
    assert (changed.factor, changed.par_level) == (Decimal("0.8"), None)
    with pytest.raises(ConflictError):
        seasons.update_season(
            db, season_id=summer.id, changes={"factor": "0.7"}, expected_version=summer.version
        )
    seasons.delete_season(db, season_id=added.id)
    assert [s.name for s in seasons.list_seasons(db, setting_id=setting)] == ["summer"]


def test_overlapping_ranges_are_refused_and_nothing_is_written(db: Database, setting: int) -> None:
    seasons.add_season(db, setting_id=setting, fields=winter())
    with pytest.raises(
        ValidationError, match="overlaps the season “winter” \\(1 Dec – 29 Feb\\)"
    ) as error:
        seasons.add_season(
            db,
            setting_id=setting,
            fields=winter(name="flu", start_month="Feb", end_month="Mar", end_day="31"),
        )
    assert error.value.field == "start"
    assert len(seasons.list_seasons(db, setting_id=setting)) == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (winter(factor="lots"), "factor", "Factor “lots” is not a number"),
        (winter(start_month="Smarch"), "start_month", "not a whole number"),
        (winter(end_month="14"), "end_month", "1 to 12"),
        (winter(end_day="30"), "end", "Feb has no day 30"),
        (winter(factor="", par_level=""), "par_level", "PAR level for the season"),
        ({"name": "x"}, "start_month", "Start month is missing"),
    ],
)
def test_bad_input_says_what_and_where(
    db: Database, setting: int, fields: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as error:
        seasons.add_season(db, setting_id=setting, fields=fields)
    assert error.value.field == field


def test_seasons_go_with_their_setting(db: Database, setting: int) -> None:
    seasons.add_season(db, setting_id=setting, fields=winter())
    with db.transaction() as session:
        from parstudio.models import ParSeason, ParSetting

        session.delete(session.get(ParSetting, setting))
        session.flush()
        assert session.query(ParSeason).count() == 0


def test_seasons_found_go_into_the_calendar_all_or_none(db: Database, setting: int) -> None:
    from parstudio.domain.seasonality import Season

    found = [Season(12, 2, Decimal("1.3")), Season(6, 8, Decimal("0.85"))]
    added = seasons.add_found_seasons(db, setting_id=setting, found=found)
    assert [(s.name, s.range_label, s.levels_label) for s in added] == [
        ("winter", "1 Dec – 29 Feb", "×1.3"),
        ("summer", "1 Jun – 31 Aug", "×0.85"),
    ]
    with pytest.raises(ValidationError, match="overlaps the season “summer”"):
        seasons.add_found_seasons(
            db,
            setting_id=setting,
            found=[Season(3, 4, Decimal("1.2")), Season(8, 9, Decimal("1.2"))],
        )
    assert len(seasons.list_seasons(db, setting_id=setting)) == 2
