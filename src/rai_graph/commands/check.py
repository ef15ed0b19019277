"""``rai-graph check`` and ``rai-graph status``: validate, judge and report (contract: ``cli.md``)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from rai_graph._version import __version__
from rai_graph.commands import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    emit,
    output_options,
    repository_options,
    run_options,
    select_systems,
)
from rai_graph.pipeline import run
from rai_graph.precommit import restrict_to_paths
from rai_graph.progress import progress_for
from rai_graph.render import ci
from rai_graph.render.human import check_text, status_markdown, status_text
from rai_graph.render.machine import check_data, status_data, to_json


@click.command()
@repository_options
@run_options
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format",
              type=click.Choice(["text", "json", "sarif", "junit", "github"]), default="text",
              show_default=True,
              help="Output format; github prints workflow commands (annotations).")
@output_options
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also append a Markdown summary to FILE (e.g. $GITHUB_STEP_SUMMARY).")
@click.option("--system", "system_ids", multiple=True,
              help="Only this system (folder name, local name or IRI); repeatable.")
@click.option("--fail-on", type=click.Choice(["gaps", "errors", "none"]), default="gaps",
              show_default=True,
              help="gaps: exit 1 on any finding; errors: only on input errors; none: never.")
def check(repo: Path, as_of: dt.date | None, quiet: bool, no_cache: bool, paths: tuple[Path, ...],
          output_format: str, output: Path | None, force: bool, summary: Path | None,
          system_ids: tuple[str, ...], fail_on: str) -> None:
    """Validate the repository and report every gap and input error.

    With PATHS (as a pre-commit hook passes them), only input errors in those files are
    reported, and only the systems whose evidence folders they touch (all, if a path lies
    outside evidence/).
    """
    result = run(repo, as_of, cache=not no_cache, progress=progress_for(quiet))
    systems = select_systems(result, system_ids)
    errors = result.validation.errors
    if paths:
        errors, systems = restrict_to_paths(result, errors, systems, paths, repo)
    inputs = (result.assessment, errors, systems, result.model)
    if output_format == "json":
        text = to_json(check_data(result.assessment, errors, systems))
    elif output_format == "sarif":
        text = ci.sarif(*inputs, tool_version=__version__, sources=ci.Sources.of(result))
    elif output_format == "junit":
        files = [f.path for f in result.repository.files.values() if f.role != "ontology"]
        text = ci.junit(*inputs, files=files)
    elif output_format == "github":
        text = ci.github_commands(*inputs)
    else:
        text = check_text(*inputs)
    emit(text, output, force=force)
    if summary is not None:
        with summary.open("a", encoding="utf-8") as stream:
            stream.write(ci.step_summary_markdown(*inputs, blob_url=ci.github_blob_url(os.environ)))
    gaps = any(p.is_gap for s in systems for p in s.pairs) or (
        not paths and any(p.is_gap for p in result.assessment.organisation))
    if fail_on == "none":
        sys.exit(EXIT_CLEAN)
    failed = bool(errors) or (fail_on == "gaps" and gaps)
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


@click.command()
@repository_options
@run_options
@click.option("--format", "output_format", type=click.Choice(["json", "text", "markdown"]),
              default="text", show_default=True, help="Output format.")
@output_options
@click.option("--system", "system_ids", multiple=True,
              help="Only this system (folder name, local name or IRI); repeatable.")
def status(repo: Path, as_of: dt.date | None, quiet: bool, no_cache: bool, output_format: str,
           output: Path | None, force: bool, system_ids: tuple[str, ...]) -> None:
    """Show the status of every control of every system, and requirement coverage."""
    result = run(repo, as_of, cache=not no_cache, progress=progress_for(quiet))
    systems = select_systems(result, system_ids)
    errors = result.validation.errors
    if output_format == "json":
        text = to_json(status_data(result.assessment, errors, systems))
    elif output_format == "markdown":
        text = status_markdown(result.assessment, errors, systems, result.model)
    else:
        text = status_text(result.assessment, errors, systems, result.model)
    emit(text, output, force=force)
