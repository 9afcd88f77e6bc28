"""The cost allocation's tab of cost by procedure and physician."""

from __future__ import annotations

from datetime import date
from typing import Any

from parstudio.services.core.database import Database
from parstudio.ui.costs.dialogs import CostAllocationDialog
from tests.services.billing.department import fill_department


def test_use_on_cases_by_procedure_and_physician(
    qtbot: Any, qtmodeltester: Any, sqlite_db: Database
) -> None:
    fill_department(sqlite_db)
    dialog = CostAllocationDialog(None, sqlite_db, today=date(2026, 12, 7))
    qtbot.addWidget(dialog)
    dialog.show()
    picker = dialog.period
    picker.first.setCurrentIndex(picker.months.index(date(2026, 11, 1)))
    picker.last.setCurrentIndex(picker.months.index(date(2026, 11, 1)))
    dialog.views.setCurrentWidget(dialog.cases)
    cases = dialog.cases
    qtmodeltester.check(cases.procedures)
    assert [r.name for r in cases.procedures.rows()] == ["Hip", "Knee", "(none)"]
    assert cases.procedures.index(0, 3).data() == "4,664.00"
    assert cases.procedures.index(2, 4).data() == "1"
    assert "Used on cases: <b>10,364.00</b> on 3 cases (9 use lines)" in cases.summary.text()
    assert "1 use line without a unit cost" in cases.summary.text()
    assert [r.name for r in cases.physicians.rows()] == ["Dr Lee", "Dr Shah", "(none)"]
    october = date(2026, 10, 1)
    picker.first.setCurrentIndex(picker.months.index(october))
    picker.last.setCurrentIndex(picker.months.index(october))
    assert cases.procedures.rows() == []
    assert cases.summary.text().startswith("Nothing was recorded to cases in this period.")
