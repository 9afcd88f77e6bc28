"""The PAR review through the services: recompute, list out of line, accept and reject."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from parstudio.domain.enums import Method
from parstudio.domain.errors import ConflictError, ValidationError
from parstudio.domain.quantities import fill_level
from parstudio.domain.review import Formula
from parstudio.models import ParSetting
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database
from parstudio.services.review import suggestions as review
from tests.support.history import sunday_before, weekly_counts

THROUGH = date(2026, 11, 23)


def weekly_history(
    db: Database, location_id: int, item_id: int, used: int, weeks: int = 30
) -> None:
    """Counted every Sunday, refilled to 100 on Monday: ``used`` a week."""
    weekly_counts(
        db,
        location_id,
        item_id,
        last_sunday=sunday_before(THROUGH),
        weeks=weeks,
        on_hand=lambda k: 100 if k == 0 else 100 - used,
        refill_to=100,
        refill_after=timedelta(hours=22),
    )


@pytest.fixture
def ward(db: Database) -> dict[str, int]:
    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline", "lead_time_days": "3"})
    ct = locations.create_location(
        db, fields={"code": "CT1", "name": "CT room 1", "deliveries_per_week": "1"}
    )
    ids = {"ct": ct.id}
    for code, fields, used in (
        ("GLOVES", {"par_level": "10"}, 20),  # far too low: suggestion 25
        ("GAUZE", {"par_level": "24"}, 19),  # in line: suggestion 24
        ("TAPE", {"method": "MIN/MAX", "min_level": "5", "max_level": "10"}, 16),  # Max → 20
    ):
        item = items.create_item(
            db, fields={"code": code, "description": code.title(), "supplier_code": "MED"}
        )
        ids[code] = par_settings.create_par_setting(
            db, location_id=ct.id, item_id=item.id, fields=fields
        ).id
        weekly_history(db, ct.id, item.id, used)
    summary = review.refresh_profiles(db, through=THROUGH)
    assert (summary.settings, summary.with_history, summary.seasonal) == (3, 3, 0)
    return ids


def test_the_list_holds_settings_out_of_line_with_their_evidence(
    db: Database, ward: dict[str, int]
) -> None:
    found = review.review_list(db, threshold_pct=Decimal(20), formula=Formula.DELIVERIES)
    assert [line.item_code for line in found.lines] == ["GLOVES", "TAPE"]
    gloves, tape = found.lines
    assert (gloves.current, gloves.suggested, gloves.change_pct) == (
        Decimal(10),
        Decimal(25),
        Decimal(150),
    )
    assert (gloves.weeks_used, gloves.average, gloves.peak, gloves.sd) == (
        13,
        Decimal(20),
        Decimal(20),
        Decimal(0),
    )
    # Coverage: 20/7 a day × (7 days + 3 days' lead time) = 28.57 → 29.
    assert gloves.other == 29
    assert (tape.level, tape.current, tape.suggested) == ("Max", Decimal(10), Decimal(20))
    assert (found.profiles, found.settings, found.history_through) == (3, 3, THROUGH)
    assert (
        review.review_list(db, threshold_pct=Decimal(200), formula=Formula.DELIVERIES).lines == ()
    )
    by_coverage = review.review_list(db, threshold_pct=Decimal(10), formula=Formula.COVERAGE)
    assert {line.item_code for line in by_coverage.lines} == {"GLOVES", "GAUZE", "TAPE"}
    assert review.review_list(db, location_ids=[999]).lines == ()


def test_accepting_updates_the_setting_and_records_old_and_new(
    db: Database, ward: dict[str, int]
) -> None:
    lines = review.review_list(db, threshold_pct=Decimal(20), formula=Formula.DELIVERIES).lines
    made = review.decide(db, lines=lines, accept=True, formula=Formula.DELIVERIES)
    assert [(d.decision, d.old_value, d.new_value) for d in made] == [
        ("ACCEPTED", Decimal(10), Decimal(25)),
        ("ACCEPTED", Decimal(10), Decimal(20)),
    ]
    assert made[1].old_min == 5 and made[1].new_min == 10  # Min keeps its half of Max
    gloves = par_settings.get_par_setting(db, setting_id=ward["GLOVES"])
    assert (gloves.par_level, gloves.version) == (Decimal(25), 2)
    tape = par_settings.get_par_setting(db, setting_id=ward["TAPE"])
    assert (tape.min_level, tape.max_level) == (Decimal(10), Decimal(20))
    (history,) = review.decisions(db, setting_id=ward["GLOVES"])
    assert history.decided_by == db.user_name and "13 weeks, average 20" in (history.evidence or "")
    # Decided lines leave the list until the suggestions are recomputed.
    assert review.review_list(db, threshold_pct=Decimal(20), formula=Formula.DELIVERIES).lines == ()


def test_rejecting_changes_nothing_but_is_recorded(db: Database, ward: dict[str, int]) -> None:
    gloves = review.review_list(db, threshold_pct=Decimal(20), formula=Formula.DELIVERIES).lines[0]
    review.decide(db, lines=[gloves], accept=False, formula=Formula.DELIVERIES)
    assert par_settings.get_par_setting(db, setting_id=ward["GLOVES"]).par_level == 10
    assert [d.decision for d in review.decisions(db)] == ["REJECTED"]
    assert [
        line.item_code
        for line in review.review_list(
            db, threshold_pct=Decimal(20), formula=Formula.DELIVERIES
        ).lines
    ] == ["TAPE"]


def test_a_setting_changed_meanwhile_refuses_the_whole_batch(
    db: Database, ward: dict[str, int]
) -> None:
    lines = review.review_list(db, threshold_pct=Decimal(20), formula=Formula.DELIVERIES).lines
    par_settings.update_par_setting(db, setting_id=ward["TAPE"], changes={"moq": "2"})
    with pytest.raises(ConflictError, match="TAPE at CT1: This PAR setting was changed"):
        review.decide(db, lines=lines, accept=True, formula=Formula.DELIVERIES)
    assert par_settings.get_par_setting(db, setting_id=ward["GLOVES"]).par_level == 10
    assert review.decisions(db) == []


def test_nothing_selected_and_bad_threshold_are_refused(db: Database, ward: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="Select the lines"):
        review.decide(db, lines=[], accept=True)
    with pytest.raises(ValidationError, match="0 % or more"):
        review.review_list(db, threshold_pct=Decimal(-1))


def test_detail_has_the_working_of_both_formulas(db: Database, ward: dict[str, int]) -> None:
    detail = review.review_detail(db, setting_id=ward["GLOVES"], through=THROUGH)
    assert detail.by_deliveries.value == 25
    assert detail.by_deliveries.working[-1].startswith("PAR = (20 + 5) ÷ 1 delivery a week = 25")
    assert any("3 days lead time" in line for line in detail.by_coverage.working)


def test_recompute_can_be_stopped_between_batches(
    db: Database, ward: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    er = locations.create_location(db, fields={"code": "ER", "name": "Emergency"})
    gloves = next(s for s in par_settings.list_par_settings(db) if s.item_code == "GLOVES")
    er_gloves = par_settings.create_par_setting(
        db, location_id=er.id, item_id=gloves.item_id, fields={"par_level": "5"}
    )
    weekly_history(db, er.id, gloves.item_id, 30)
    monkeypatch.setattr(review, "LOCATIONS_PER_BATCH", 1)
    seen: list[tuple[int, int]] = []
    # Stop at the first report after a batch: CT1 (3 settings) is saved, ER is not reached.
    summary = review.refresh_profiles(
        db, through=THROUGH, progress=lambda done, total: seen.append((done, total)) or done == 0
    )
    assert seen == [(0, 4), (3, 4)]
    assert (summary.settings, summary.total, summary.stopped) == (3, 4, True)
    listed = review.review_list(db, threshold_pct=Decimal(0), min_units=Decimal(0))
    assert er_gloves.id not in {line.setting_id for line in listed.lines}
    assert listed.profiles == 3
    # Told to stop before anything: nothing is worked out.
    stopped = review.refresh_profiles(db, through=THROUGH, progress=lambda _d, _t: False)
    assert (stopped.settings, stopped.stopped) == (0, True)
    # Run to the end, a False at the last report changes nothing.
    whole = review.refresh_profiles(db, through=THROUGH, progress=lambda done, total: done < total)
    assert (whole.settings, whole.total, whole.stopped) == (4, 4, False)


def test_one_impossible_setting_does_not_stop_the_recompute(
    db: Database, ward: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = review.suggest

    def fussy(history: Any, terms: Any, policy: Any) -> Any:
        if history.setting_id == ward["GAUZE"]:
            raise ValueError("Storage capacity must be more than 0")
        return real(history, terms, policy)

    monkeypatch.setattr(review, "suggest", fussy)
    summary = review.refresh_profiles(db, through=THROUGH)
    assert (summary.settings, summary.skipped, summary.with_history) == (3, 1, 2)
    assert review.review_list(db, threshold_pct=Decimal(0), min_units=Decimal(0)).profiles == 2


def test_undoing_an_accept_puts_the_levels_back_and_lists_the_lines_again(
    db: Database, ward: dict[str, int]
) -> None:
    from parstudio.services.core import audit

    lines = review.review_list(db, threshold_pct=Decimal(20), formula=Formula.DELIVERIES).lines
    made = review.decide(db, lines=lines, accept=True, formula=Formula.DELIVERIES)
    assert [d.version for d in made] == [2, 2]
    versions = review.undo_decisions(db, made=made)
    gloves = par_settings.get_par_setting(db, setting_id=ward["GLOVES"])
    tape = par_settings.get_par_setting(db, setting_id=ward["TAPE"])
    assert (gloves.par_level, tape.min_level, tape.max_level) == (10, 5, 10)
    assert (
        versions
        == {ward["GLOVES"]: 3, ward["TAPE"]: 3}
        == {
            gloves.id: gloves.version,
            tape.id: tape.version,
        }
    )
    # The decisions are gone, so the lines are listed again; the audit log keeps them.
    assert review.decisions(db) == []
    again = review.review_list(db, threshold_pct=Decimal(20), formula=Formula.DELIVERIES).lines
    assert [(line.item_code, line.current, line.version) for line in again] == [
        ("GLOVES", 10, 3),
        ("TAPE", 10, 3),
    ]
    history = audit.record_history(db, table="par_review_decision", record_id=made[0].id)
    assert [entry.action for entry in history] == ["delete", "insert"]
    # Redo is a new decision on the lines as they are now.
    redone = review.decide(db, lines=again, accept=True, formula=Formula.DELIVERIES)
    assert par_settings.get_par_setting(db, setting_id=ward["GLOVES"]).par_level == 25
    assert [d.version for d in redone] == [4, 4]


def test_undo_after_someone_else_changed_the_setting_changes_nothing(
    db: Database, ward: dict[str, int]
) -> None:
    lines = review.review_list(db, threshold_pct=Decimal(20), formula=Formula.DELIVERIES).lines
    made = review.decide(db, lines=lines, accept=True, formula=Formula.DELIVERIES)
    par_settings.update_par_setting(db, setting_id=ward["TAPE"], changes={"moq": "2"})
    with pytest.raises(ConflictError, match="TAPE at CT1: This PAR setting was changed"):
        review.undo_decisions(db, made=made)
    # Not even GLOVES, which nobody touched: the undo is all or nothing.
    assert par_settings.get_par_setting(db, setting_id=ward["GLOVES"]).par_level == 25
    assert par_settings.get_par_setting(db, setting_id=ward["TAPE"]).max_level == 20
    assert len(review.decisions(db)) == 2
    review.undo_decisions(db, made=made[:1])
    assert par_settings.get_par_setting(db, setting_id=ward["GLOVES"]).par_level == 10
    with pytest.raises(ConflictError, match="GLOVES at CT1: this review decision was already"):
        review.undo_decisions(db, made=made[:1])
    with pytest.raises(ValidationError, match="no review decision to undo"):
        review.undo_decisions(db, made=[])


def test_undoing_a_reject_lists_the_line_again(db: Database, ward: dict[str, int]) -> None:
    gloves = review.review_list(db, threshold_pct=Decimal(20), formula=Formula.DELIVERIES).lines[0]
    made = review.decide(db, lines=[gloves], accept=False, formula=Formula.DELIVERIES)
    assert review.undo_decisions(db, made=made) == {gloves.setting_id: gloves.version}
    assert review.decisions(db) == []
    assert par_settings.get_par_setting(db, setting_id=ward["GLOVES"]).par_level == 10
    listed = review.review_list(db, threshold_pct=Decimal(20), formula=Formula.DELIVERIES).lines
    assert [line.item_code for line in listed] == ["GLOVES", "TAPE"]


def test_the_review_sql_fills_to_the_level_the_domain_rule_says(db: Database) -> None:
    """The review list's SQL level (fill_level_column) agrees with quantities.fill_level on
    every method, on this database."""
    place = locations.create_location(db, fields={"code": "W1", "name": "Ward 1"})
    made = {}
    for n, method in enumerate(Method):
        item = items.create_item(db, fields={"code": f"IT{n}", "description": f"Item {n}"})
        made[method] = par_settings.create_par_setting(
            db,
            location_id=place.id,
            item_id=item.id,
            fields={"method": method.value, "par_level": "10", "min_level": "5", "max_level": "20"},
        )
    with db.reading() as session:
        query = select(ParSetting.id, review.fill_level_column())
        found = {setting_id: level for setting_id, level in session.execute(query)}
    for method, setting in made.items():
        want = fill_level(method, setting.par_level, setting.max_level)
        assert want is not None and found[setting.id] == want, method
    assert {found[s.id] for s in made.values()} == {Decimal(10), Decimal(20)}
