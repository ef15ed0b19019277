"""The governance KPIs in words: one table of labels and formatted values for every output.

The report (Markdown, HTML, PDF), the site dashboard and ``rai-graph kpis --format text`` all show
:func:`kpi_rows`, so a figure reads the same everywhere: a rate as '61% (62/102)', nothing to
count as 'n/a', counts of pairs whose status lapses as 'within 30 / 60 / 90 days: 1 / 3 / 7'
(cumulative).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from rai_graph.analysis.history import Point
from rai_graph.analysis.kpis import Kpis, Rate
from rai_graph.render.words import percent

NOT_AVAILABLE = "n/a"


def rate_text(rate: Rate) -> str:
    if rate.rate is None:
        return NOT_AVAILABLE
    return f"{round(rate.rate * 100)}% ({rate.numerator}/{rate.denominator})"


def kpi_rows(figures: Kpis) -> list[tuple[str, str]]:
    """(label, value) pairs, in the order every output shows them."""
    findings = figures.findings
    approval = figures.approval_time
    withheld = f"; {findings.withheld} above this audience's level" if findings.withheld else ""
    rows = [(f"Evidence completeness, {tier}", rate_text(rate)) for tier, rate in figures.completeness_by_tier.items()]
    rows += [
        ("High-risk compliance (controls met or waived)", rate_text(figures.high_risk_compliance)),
        ("High-risk systems fully compliant", rate_text(figures.high_risk_systems_fully_compliant)),
        ("Exception (waiver) rate", rate_text(figures.exception_rate)),
        ("Open findings (overdue)", f"{findings.open} ({findings.overdue}){withheld}"),
        ("Open findings by age (days)",
         ", ".join(f"{k}: {v}" for k, v in findings.open_by_age_days.items()) or "none"),
        ("Mean days from finding to resolution",
         NOT_AVAILABLE if findings.mean_days_to_resolution is None else f"{findings.mean_days_to_resolution:g}"),
        ("Controls lapsing within 30 / 60 / 90 days (cumulative)",
         " / ".join(str(v) for v in figures.expiring.values())),
        ("Approval time, evidence commit → approval commit (median days)",
         NOT_AVAILABLE if approval.median_days is None
         else f"{approval.median_days:g} over {approval.approvals_measured} approvals"),
        ("Monitoring coverage (systems with a current monitoring plan)", rate_text(figures.monitoring_coverage)),
    ]
    return rows


def kpi_scope(figures: Kpis) -> str:
    """What the figures are about: 'the whole organisation' or 'credit-scoring'."""
    return "the whole organisation" if figures.scope == "organisation" else ", ".join(figures.systems)


def history_text(points: Sequence[Point], systems: Sequence[str] = ()) -> str:
    """Readiness per system at each point of the history, one row per point."""
    names = sorted({name for point in points for name in point.readiness}
                   if not systems else set(systems))
    header = ["point", "date", *names, "gaps", "input errors"]
    rows = [[point.label, point.day.isoformat(),
             *(percent(point.readiness[name]) if name in point.readiness else "—" for name in names),
             str(sum(point.gaps.values())), str(point.errors)] for point in points]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["Posture over time (each point judged as of its commit's date)", ""]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
              for row in [header, *rows]]
    return "\n".join(lines) + "\n"


def history_json(points: Sequence[Point]) -> str:
    return json.dumps({"points": [
        {"label": p.label, "commit": p.sha, "date": p.day.isoformat(), "readiness": p.readiness,
         "gaps": p.gaps, "input_errors": p.errors} for p in points]}, indent=2, sort_keys=True) + "\n"
