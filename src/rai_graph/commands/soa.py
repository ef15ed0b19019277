"""``rai-graph soa``: the Statement of Applicability of a framework for a system."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rai_graph.audience import AudienceView
from rai_graph.commands import (
    audience_option,
    emit,
    output_options,
    repository_options,
    run_options,
    select_systems,
    write_output,
)
from rai_graph.errors import UnknownFramework
from rai_graph.model import Framework
from rai_graph.pipeline import run
from rai_graph.progress import progress_for
from rai_graph.render.soa import soa_json, soa_markdown, soa_xlsx, statement_of_applicability


@click.command()
@repository_options
@run_options
@click.option("--framework", "framework_ids", multiple=True, required=True,
              help="The framework (eu-ai-act, nist-ai-rmf, iso-42001, ...); repeatable.")
@click.option("--system", "system_ids", multiple=True,
              help="Only this system (folder name, local name or IRI); repeatable; default: all judged.")
@audience_option
@click.option("--format", "output_format", type=click.Choice(["markdown", "json", "xlsx"]), default="markdown",
              show_default=True, help="Output format (xlsx needs -o).")
@output_options
def soa(repo: Path, as_of: dt.date | None, quiet: bool, no_cache: bool, framework_ids: tuple[str, ...],
        system_ids: tuple[str, ...], audience: str, output_format: str, output: Path | None, force: bool) -> None:
    """Statement of Applicability: every clause of the framework for each system, applicable,
    deferred or not applicable, with the reason (tier, role, condition, date, transition), and the
    controls and evidence answering it."""
    result = run(repo, as_of, cache=not no_cache, progress=progress_for(quiet))
    frameworks: list[Framework] = []
    for framework_id in framework_ids:
        named = result.model.frameworks_named([framework_id]) or set()
        if not named:
            known = ", ".join(sorted(f.notation for f in result.model.frameworks.values())) or "none"
            raise UnknownFramework(f"no framework {framework_id!r} in the repository (known: {known})")
        frameworks.extend(result.model.frameworks[iri] for iri in sorted(named, key=str))
    view = AudienceView(audience, result.model, result.validation.artifacts)  # type: ignore[arg-type]
    statements = [statement_of_applicability(result.model, result.assessment, system, framework, view)
                  for system in select_systems(result, system_ids) if system.judged
                  for framework in frameworks]
    if output_format == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx needs -o/--output FILE")
        write_output(output, soa_xlsx(statements), force=force)
        return
    emit(soa_json(statements) if output_format == "json" else soa_markdown(statements), output, force=force)
