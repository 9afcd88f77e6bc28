"""The exported proposal, made a group of locations at a time, is the proposal made at once."""

from __future__ import annotations

import pytest
from python_calamine import CalamineWorkbook

from parstudio.demo.department import build_demo
from parstudio.services import worksheets
from parstudio.services.core.database import Database
from parstudio.services.ordering.proposals import propose_orders
from parstudio.services.worksheets import proposal_groups


def test_the_export_in_small_groups_carries_the_whole_proposal(
    sqlite_db: Database, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_demo(sqlite_db)
    # Groups of about 40 settings: every demo location is a group (or more) of its own.
    monkeypatch.setattr(proposal_groups, "GROUP_SETTINGS", 40)
    groups = proposal_groups.ProposalByLocation(sqlite_db, None)._groups
    assert len(groups) > 3
    path = tmp_path / "proposal.xlsx"  # type: ignore[operator]
    worksheets.export_proposal(sqlite_db, path=path)

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header = rows[0]
    code, item, packs, explanation = (
        header.index(name) for name in ("Location", "Item Code", "Order Packs", "Explanation")
    )
    exported = {(r[code], r[item]): (r[packs], r[explanation]) for r in rows[1:]}
    whole = propose_orders(sqlite_db).lines
    assert whole and len(exported) >= len(whole)
    for line in whole:
        got_packs, got_explanation = exported[(line.location_code, line.item_code)]
        assert (got_packs or 0) == line.packs, line.item_code
        assert (got_explanation or None) == (line.explanation or None), line.item_code
