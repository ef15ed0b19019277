"""``rai-graph timeline``: for each system, the obligations that start to bind on each future date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rai_graph.analysis.timeline import timeline as build_timeline
from rai_graph.commands import emit, output_options, repository_options, run_options, select_systems
from rai_graph.pipeline import run
from rai_graph.progress import progress_for
from rai_graph.render.timeline import timeline_json, timeline_markdown, timeline_text


@click.command()
@repository_options
@run_options
@click.option("--system", "system_ids", multiple=True,
              help="Only this system (folder name, local name or IRI); repeatable.")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="Output format.")
@output_options
def timeline(repo: Path, as_of: dt.date | None, quiet: bool, no_cache: bool, system_ids: tuple[str, ...],
             output_format: str, output: Path | None, force: bool) -> None:
    """What binds when: the obligations that start to bind each system on each future date
    (dates by route as amended by Regulation (EU) 2026/1744, Art. 111(2) transition), and how many
    of them are already covered by met or waived controls."""
    result = run(repo, as_of, cache=not no_cache, progress=progress_for(quiet))
    milestones = build_timeline(select_systems(result, system_ids))
    render = {"text": timeline_text, "markdown": timeline_markdown, "json": timeline_json}[output_format]
    emit(render(result.assessment.as_of, milestones), output, force=force)
