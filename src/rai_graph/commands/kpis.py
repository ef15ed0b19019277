"""``rai-graph kpis``: governance KPIs as JSON or text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rai_graph.analysis.kpis import Kpis, compute_kpis
from rai_graph.commands import emit, output_options, repository_options, select_systems
from rai_graph.pipeline import run
from rai_graph.render.kpis import kpi_rows, kpi_scope


@click.command()
@repository_options
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="json",
              show_default=True, help="Output format.")
@click.option("--system", "system_ids", multiple=True,
              help="Only this system (folder name, local name or IRI); repeatable; default: the organisation.")
@click.option("--history", is_flag=True,
              help="Readiness and gaps per system at each tag (or each month's last commit), each "
                   "judged as of its commit's date, from git objects.")
@output_options
def kpis(repo: Path, as_of: dt.date | None, output_format: str, system_ids: tuple[str, ...],
         history: bool, output: Path | None, force: bool) -> None:
    """Governance KPIs: completeness, compliance, exceptions, findings, controls lapsing,
    approval time; of the whole organisation, or of the systems named."""
    if history:
        from rai_graph.analysis.history import posture_history
        from rai_graph.render.kpis import history_json, history_text

        points = posture_history(repo)
        emit(history_json(points) if output_format == "json" else history_text(points, system_ids),
             output, force=force)
        return
    result = run(repo, as_of)
    figures = compute_kpis(result, select_systems(result, system_ids) if system_ids else None)
    emit(figures.model_dump_json(indent=2) + "\n" if output_format == "json" else kpis_text(figures),
         output, force=force)


def kpis_text(figures: Kpis) -> str:
    lines = [f"Governance KPIs as of {figures.as_of} ({kpi_scope(figures)})", ""]
    width = max(len(label) for label, _ in kpi_rows(figures))
    lines += [f"  {label:<{width}}  {value}" for label, value in kpi_rows(figures)]
    return "\n".join(lines) + "\n"
