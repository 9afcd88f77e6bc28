"""The cost of what was used on cases in a period, by procedure and by physician."""

from __future__ import annotations

from sqlalchemy import select

from parstudio.domain.case_costs import CaseCosts, CaseUse, allocate_to_cases
from parstudio.domain.charges import DayRange
from parstudio.domain.report_period import ReportPeriod
from parstudio.models import Location, PatientCase, UseLine
from parstudio.services.core.database import Database
from parstudio.services.review.period_usage import SettingFilter


def case_costs(db: Database, *, period: ReportPeriod, wanted: SettingFilter) -> CaseCosts:
    """Use lines (voided left out) at the filter's locations in the period's local days,
    costed at the unit cost they were recorded with."""
    since, until = DayRange(period.first, period.end).bounds()
    query = (
        select(
            UseLine.case_id,
            PatientCase.procedure,
            PatientCase.physician,
            UseLine.quantity,
            UseLine.unit_cost,
        )
        .join(PatientCase, PatientCase.id == UseLine.case_id)
        .join(Location, Location.id == UseLine.location_id)
        .where(UseLine.voided.is_(False), UseLine.used_at >= since, UseLine.used_at < until)
    )
    if wanted.department is not None:
        query = query.where(Location.department == wanted.department)
    if wanted.cost_centre is not None:
        query = query.where(Location.cost_centre == wanted.cost_centre)
    if wanted.location_codes:
        query = query.where(Location.code.in_(wanted.location_codes))
    with db.reading() as session:
        return allocate_to_cases(
            CaseUse(case_id, procedure, physician, quantity, unit_cost)
            for case_id, procedure, physician, quantity, unit_cost in session.execute(query)
        )
