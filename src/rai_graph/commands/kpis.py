"""``rai-graph kpis``: governance KPIs as JSON or text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rai_graph.analysis.kpis import Kpis, compute_kpis
from rai_graph.commands import emit, reports_errors, repository_options
from rai_graph.pipeline import run
from rai_graph.render.kpis import kpi_rows, kpi_scope


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
    lines = [f"Governance KPIs as of {figures.as_of} ({kpi_scope(figures)})", ""]
    width = max(len(label) for label, _ in kpi_rows(figures))
    lines += [f"  {label:<{width}}  {value}" for label, value in kpi_rows(figures)]
    return "\n".join(lines) + "\n"
