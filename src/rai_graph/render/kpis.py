"""The governance KPIs in words: one table of labels and formatted values for every output.

The report (Markdown, HTML, PDF), the site dashboard and ``rai-graph kpis --format text`` all show
:func:`kpi_rows`, so a figure reads the same everywhere: a rate as '61% (62/102)', nothing to
count as 'n/a', counts of pairs whose status lapses as 'within 30 / 60 / 90 days: 1 / 3 / 7'
(cumulative).
"""

from __future__ import annotations

from rai_graph.analysis.kpis import Kpis, Rate

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
