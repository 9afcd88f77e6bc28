"""Monthly usage for a report's period, read with a month of history either side."""

from __future__ import annotations

from datetime import date, timedelta

from parstudio.domain.period_usage import MonthlyUsage
from parstudio.domain.report_period import ReportPeriod
from parstudio.domain.usage import month_start, next_month
from parstudio.services.database import Database
from parstudio.services.period_usage import SettingFilter, monthly_usage
from parstudio.services.usage import MAX_MONTHS


def usage_for_period(
    db: Database, *, period: ReportPeriod, wanted: SettingFilter, today: date
) -> list[MonthlyUsage]:
    """Each chosen setting's months, so that the period's own months are counted in full.

    Usage between two counts is spread over the days between them; the counts just before the
    period and just after it are needed for its first and last days, so a month is read on
    each side when the 24 months of history allow (and the later one when it has begun).
    """
    first, last = period.first, period.last
    if period.months < MAX_MONTHS:
        first = month_start(first - timedelta(days=1))
    if period.months + (first < period.first) < MAX_MONTHS and next_month(last) <= today:
        last = next_month(last)
    return monthly_usage(db, first_month=first, last_month=last, wanted=wanted, today=today)
