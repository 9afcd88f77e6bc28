"""A proposal works out a line's words when the line is read, and they are the engine's words."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from parstudio.demo.department import build_demo
from parstudio.domain.count_evidence import day_text
from parstudio.domain.replenishment import LineStatus
from parstudio.services.core.database import Database
from parstudio.services.counting import counts
from parstudio.services.ordering import proposals
from parstudio.services.ordering.proposal_lines import Explanation

MON = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_words_are_worked_out_when_read_and_kept(db: Database, ward: dict[str, int]) -> None:
    ct = ward["ct"]
    counts.record_count(
        db,
        location_id=ct,
        quantities={ward["syringe"]: Decimal(8), ward["gloves"]: Decimal(50)},
        when=MON,
    )
    lines = {line.item_code: line for line in proposals.propose_orders(db, location_ids=[ct]).lines}
    syringe, gloves, gauze = lines["SYR-10"], lines["GLV-M"], lines["GAUZE"]
    assert (syringe.status, syringe.packs, gloves.packs) == (LineStatus.ORDER, 3, 350)
    assert isinstance(syringe.explained, Explanation)  # not worded yet

    day = day_text(MON.astimezone())
    assert syringe.explanation == (
        f"counted 8 on {day} by tester → PAR 24 − on hand 8 = 16 EA → 2 packs of 10"
        " → MOQ 3 → 3 packs"
    )
    assert syringe.explained == syringe.explanation  # kept once worded
    assert gloves.explanation == (
        f"counted 50 on {day} by tester → on hand 50 < Min 100 → Max 400 − 50 = 350 EA"
        " → 350 packs of 1"
    )
    # A line without a count says why at once; nothing is left to work out.
    assert gauze.status is LineStatus.MISSING_COUNT
    assert gauze.explained == gauze.explanation == gauze.reason

    # A line's explanation can be replaced (a note added), as the surplus offer does.
    syringe.explanation = f"{syringe.explanation} · note"
    assert syringe.explanation.endswith("3 packs · note")


def test_a_proposal_worded_at_once_says_what_the_lazy_one_does(sqlite_db: Database) -> None:
    # The demo department: every kind of line (ordered, nothing to order, stale, missing,
    # transfers, seasons). An export reads every line's words: it asks for them at once.
    build_demo(sqlite_db)
    lazy = proposals.propose_orders(sqlite_db)
    worded = proposals.propose_orders(sqlite_db, explain=True)
    assert all(isinstance(line.explained, str) for line in worded.lines)
    assert any(isinstance(line.explained, Explanation) for line in lazy.lines)
    assert len(worded.lines) == len(lazy.lines) > 100
    for at_once, later in zip(worded.lines, lazy.lines, strict=True):
        assert at_once.explanation == later.explanation
        assert at_once == later  # numbers, status, warnings, reason
