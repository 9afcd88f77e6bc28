"""What the Review page shows of one line: the evidence in words, and the chart's stand-in."""

from __future__ import annotations

from html import escape
from typing import Any

from parstudio.domain.replenishment import format_quantity as fq
from parstudio.domain.review import (
    ReviewLine,
)
from parstudio.domain.suggestions import ParReview


def usage_chart_placeholder() -> Any:
    """An empty chart with a hint, shown before a line is chosen."""
    from PySide6.QtCharts import QChart

    chart = QChart()
    chart.setTitle("Select a line to see its usage chart")
    chart.legend().setVisible(False)
    return chart


def evidence_html(line: ReviewLine, detail: ParReview) -> str:
    """The evidence of a line for people: weeks, average, peak, seasons and both workings."""
    e = detail.evidence
    unit = escape(line.unit)
    parts = [
        f"<h3 style='margin:0'>{escape(line.item_code)} {escape(line.description)} at "
        f"{escape(line.location_code)}</h3>",
        f"<p><b>{line.level} {fq(line.current) if line.current is not None else '—'} → "
        f"{fq(line.suggested)}</b> suggested. Last <b>{e.weeks_used}</b> complete weeks: "
        f"average <b>{fq(e.average)}</b> {unit}/week, peak <b>{fq(e.peak)}</b>, "
        f"σ {fq(e.sd)}.</p>",
        f"<p><b>Season:</b> {escape(detail.seasons.summary)}"
        + (
            f"; seasonally adjusted average {fq(e.adjusted_average)} {unit}/week"
            if detail.seasons.seasons
            else ""
        )
        + "</p>",
    ]
    for title, suggestion in (
        ("By deliveries per week", detail.by_deliveries),
        ("By coverage", detail.by_coverage),
    ):
        steps = "".join(f"<li>{escape(step)}</li>" for step in suggestion.working)
        warn = "".join(f"<li style='color:#8a5a00'>{escape(w)}</li>" for w in suggestion.warnings)
        parts.append(
            f"<p style='margin-bottom:0'><b>{title}: {fq(suggestion.value)}</b></p>"
            f"<ul style='margin-top:2px'>{steps}{warn}</ul>"
        )
    if detail.seasonal:
        seasonal = ", ".join(
            f"{escape(s.season.name)} {escape(s.season.months_label)} ×{fq(s.season.factor)} "
            f"→ PAR {fq(s.suggestion.value)}"
            for s in detail.seasonal
        )
        parts.append(
            f"<p><b>Seasonal levels:</b> {seasonal}. Put them in the setting's flex PAR "
            "calendar with the button below (or Seasons… on the PAR Settings page).</p>"
        )
    return "".join(parts)
