"""``rai-graph kpis``: governance KPIs as JSON or text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rai_graph.analysis.kpis import Kpis, compute_kpis
from rai_graph.commands import emit, reports_errors, repository_options
from rai_graph.pipeline import run


@click.command()
@repository_options
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="json",
              show_default=True, help="Output format.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the output to FILE instead of standard output.")
@reports_errors
def kpis(repo: Path, as_of: dt.date | None, output_format: str, output: Path | None) -> None:
    """Governance KPIs: completeness, compliance, exceptions, findings, expiry, approval time."""
    figures = compute_kpis(run(repo, as_of))
    emit(figures.model_dump_json(indent=2) + "\n" if output_format == "json" else kpis_text(figures),
         output)


def kpis_text(figures: Kpis) -> str:
    def pct(rate: float | None) -> str:
        return "n/a" if rate is None else f"{rate:.0%}"

    lines = [f"Governance KPIs as of {figures.as_of}", ""]
    for tier, rate in figures.completeness_by_tier.items():
        lines.append(f"  evidence completeness, {tier}: {pct(rate.rate)} ({rate.numerator}/{rate.denominator})")
    lines += [
        f"  high-risk compliance: {pct(figures.high_risk_compliance.rate)}; fully compliant high-risk systems: "
        f"{figures.high_risk_systems_fully_compliant.numerator}/{figures.high_risk_systems_fully_compliant.denominator}",
        f"  exception (waiver) rate: {pct(figures.exception_rate.rate)}",
        f"  open findings: {figures.findings.open} ({figures.findings.overdue} overdue); by age: "
        + (", ".join(f"{k} days: {v}" for k, v in figures.findings.open_by_age_days.items()) or "none"),
        f"  mean days to resolve a finding: {figures.findings.mean_days_to_resolution or 'n/a'}",
        "  evidence expiring: " + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in figures.expiring.items()),
        f"  approval time (median days): {figures.approval_time.median_days or 'n/a'} "
        f"over {figures.approval_time.approvals_measured} approvals",
        f"  monitoring coverage: {pct(figures.monitoring_coverage.rate)}",
    ]
    return "\n".join(lines) + "\n"
