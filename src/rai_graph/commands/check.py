"""``rai-graph check`` and ``rai-graph status``: validate, judge and report (contract: ``cli.md``)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rai_graph.commands import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    emit,
    output_options,
    repository_options,
    run_options,
    select_systems,
)
from rai_graph.replay import Output, Replay
from rai_graph.splice import eligible, get_ready, remember, spliced_check

if TYPE_CHECKING:
    from rai_graph.pipeline import PipelineResult

# The pipeline and the renderers are imported only when a run cannot be replayed: a replayed
# `check` never loads rdflib (see rai_graph.replay).
_SUMMARY_ENVIRONMENT = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")


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
    options = {"format": output_format, "summary": summary is not None, "systems": system_ids,
               "fail_on": fail_on, "scoped": bool(paths)}
    replay = Replay.of("check", repo, options, as_of, enabled=not no_cache,
                       environment=_SUMMARY_ENVIRONMENT if summary is not None else (),
                       per_run={"paths": [str(p) for p in paths], "cwd": os.getcwd() if paths else ""})
    splits = eligible(output_format, paths, system_ids, summary is not None)
    if replay.looking:
        get_ready_for_a_run()
        if splits:
            get_ready(replay)
    judged = (replay.hit or (spliced_check(replay, as_of, quiet, fail_on) if splits else None)
              or _check(replay, repo, as_of, quiet, no_cache, paths, output_format, summary is not None,
                        system_ids, fail_on))
    for note in () if quiet else judged.notes:
        click.echo(note, err=True)
    emit(judged.text, output, force=force)
    if summary is not None and judged.summary is not None:
        with summary.open("a", encoding="utf-8") as stream:
            stream.write(judged.summary)
    sys.exit(judged.exit_code)


def get_ready_for_a_run() -> None:
    """Import what a run needs (rdflib and the pipeline, ~0.1 s) while a second process finds
    what changed: a run after a one-file edit then starts at once, and a replayed command that
    needs none of it loses nothing, the walk taking longer than the imports."""
    import rai_graph.pipeline
    import rai_graph.render.machine  # noqa: F401


def _check(replay: Replay, repo: Path, as_of: dt.date | None, quiet: bool, no_cache: bool,
           paths: tuple[Path, ...], output_format: str, summarise: bool,
           system_ids: tuple[str, ...], fail_on: str) -> Output:
    from rai_graph._version import __version__
    from rai_graph.pipeline import give_back_freed_memory, run
    from rai_graph.precommit import restrict_to_paths
    from rai_graph.progress import progress_for
    from rai_graph.render import ci
    from rai_graph.render.human import check_text
    from rai_graph.render.machine import check_data, to_json

    result = run(replay.tree or repo, as_of, cache=not no_cache, progress=progress_for(quiet))
    systems = select_systems(result, system_ids)
    errors = result.validation.errors
    if paths:
        errors, systems = restrict_to_paths(result, errors, systems, paths, repo)
    inputs = (result.assessment, errors, systems, result.model)
    if output_format == "json":
        data = check_data(result.assessment, errors, systems)
        text = to_json(data)
        if eligible(output_format, paths, system_ids, summarise):
            remember(replay, result, data, replayable=not result.provenance.consulted_signatures)
        del data  # before the replay pack is written: the peak at scale
        give_back_freed_memory()
    elif output_format == "sarif":
        text = ci.sarif(*inputs, tool_version=__version__, sources=ci.Sources.of(result))
    elif output_format == "junit":
        files = [f.path for f in result.repository.files.values() if f.role != "ontology"]
        text = ci.junit(*inputs, files=files)
    elif output_format == "github":
        text = ci.github_commands(*inputs)
    else:
        text = check_text(*inputs)
    summary = (ci.step_summary_markdown(*inputs, blob_url=ci.github_blob_url(os.environ))
               if summarise else None)
    gaps = any(p.is_gap for s in systems for p in s.pairs) or (
        not paths and any(p.is_gap for p in result.assessment.organisation))
    failed = fail_on != "none" and (bool(errors) or (fail_on == "gaps" and gaps))
    # Machine formats stay exactly their format, on both streams (tools merge them).
    notes = _notes(result) if output_format == "text" else ()
    output = Output(text, EXIT_FINDINGS if failed else EXIT_CLEAN, summary, notes)
    replay.store(output, replayable=not result.provenance.consulted_signatures)
    return output


def _notes(result: PipelineResult) -> tuple[str, ...]:
    """Advice for standard error: a repository whose approvals anyone could have committed."""
    if result.repository.settings.approval_strictness != "off" or not result.model.approvals:
        return ()
    return ("note: approvals are not bound to their authors (approval_strictness is \"off\", the default): "
            "an approval counts whoever committed it. Set approval_strictness = \"author\" in rai-graph.toml so "
            "that only the approver's own commits count (rai-graph init does).",)


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
    replay = Replay.of("status", repo, {"format": output_format, "systems": system_ids}, as_of,
                       enabled=not no_cache)
    if replay.looking:
        get_ready_for_a_run()
    judged = replay.hit or _status(replay, repo, as_of, quiet, no_cache, output_format, system_ids)
    emit(judged.text, output, force=force)


def _status(replay: Replay, repo: Path, as_of: dt.date | None, quiet: bool, no_cache: bool,
            output_format: str, system_ids: tuple[str, ...]) -> Output:
    from rai_graph.pipeline import run
    from rai_graph.progress import progress_for
    from rai_graph.render.human import status_markdown, status_text
    from rai_graph.render.machine import status_data, to_json

    result = run(replay.tree or repo, as_of, cache=not no_cache, progress=progress_for(quiet))
    systems = select_systems(result, system_ids)
    errors = result.validation.errors
    if output_format == "json":
        text = to_json(status_data(result.assessment, errors, systems))
    elif output_format == "markdown":
        text = status_markdown(result.assessment, errors, systems, result.model)
    else:
        text = status_text(result.assessment, errors, systems, result.model)
    judged = Output(text, EXIT_CLEAN)
    replay.store(judged, replayable=not result.provenance.consulted_signatures)
    return judged
