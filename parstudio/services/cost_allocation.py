"""Cost allocation of a period: usage value and spend by department, cost centre and location."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from parstudio.domain.cost_allocation import CostAllocation, allocate
from parstudio.domain.report_period import ReportPeriod, last_complete_quarter
from parstudio.models import Location
from parstudio.reports.cost_allocation_write import write_cost_allocation
from parstudio.services._report_usage import usage_for_period
from parstudio.services.database import Database
from parstudio.services.period_usage import SettingFilter


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


def scope_text(wanted: SettingFilter) -> str:
    """A filter in words, for a report's heading."""
    parts = []
    if wanted.department is not None:
        parts.append(f"Department {wanted.department}")
    if wanted.cost_centre is not None:
        parts.append(f"cost centre {wanted.cost_centre}")
    if wanted.location_codes:
        parts.append(f"location{'s' if len(wanted.location_codes) > 1 else ''} "
                     + ", ".join(wanted.location_codes))  # fmt: skip
    if not parts:
        return "All departments"
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


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
    usages = usage_for_period(db, period=period, wanted=wanted or SettingFilter(), today=today)
    return allocate(usages, period, scope=scope_text(wanted))


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
