"""Cost allocation of a period: usage value and spend by department, cost centre and location."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import select

from parstudio.domain.cost_allocation import CostAllocation, allocate
from parstudio.domain.report_period import ReportPeriod, last_complete_quarter
from parstudio.models import Location
from parstudio.reports.cost_allocation_write import write_cost_allocation
from parstudio.services.core.database import Database
from parstudio.services.costs.case_costs import case_costs
from parstudio.services.review.period_usage import SettingFilter, monthly_usage


def cost_centres(db: Database, *, department: str | None = None) -> list[str]:
    """The cost centres locations belong to (of one department, or all), by name."""
    query = select(Location.cost_centre).where(Location.cost_centre.is_not(None)).distinct()
    if department is not None:
        query = query.where(Location.department == department)
    with db.reading() as session:
        return sorted((name for name in session.scalars(query) if name), key=str.lower)


def write_cost_allocation_file(*, path: Path | str, report: CostAllocation) -> None:
    """Write an allocation already worked out (as on screen) to a workbook."""
    write_cost_allocation(path, report)


def cost_allocation(
    db: Database,
    *,
    period: ReportPeriod | None = None,
    wanted: SettingFilter | None = None,
    today: date | None = None,
) -> CostAllocation:
    """Usage value and spend of the chosen settings (default: all) over a period.

    The period defaults to the last complete quarter. Spend is what was received at the
    settings' locations (units × pack price ÷ pack size), and for consignment items what was used.
    """
    today = today or date.today()
    period = period or last_complete_quarter(today)
    wanted = wanted or SettingFilter()
    usages = monthly_usage(
        db,
        first_month=period.first,
        last_month=period.last,
        wanted=wanted or SettingFilter(),
        today=today,
    )
    found = allocate(usages, period, scope=wanted.describe())
    return replace(found, by_case=case_costs(db, period=period, wanted=wanted))


def export_cost_allocation(
    db: Database,
    *,
    path: Path | str,
    period: ReportPeriod | None = None,
    wanted: SettingFilter | None = None,
    today: date | None = None,
) -> CostAllocation:
    """Write the cost allocation workbook (summary and detail sheets); returns what it wrote."""
    found = cost_allocation(db, period=period, wanted=wanted, today=today)
    write_cost_allocation(path, found)
    return found
