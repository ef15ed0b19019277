"""The ``rai-graph`` command line (contract: ``shared/spec/cli.md``).

Each command parses its flags, calls the pipeline, renders, and maps errors to exit codes:
0 clean, 1 findings, 2 usage error or unusable environment. Only :class:`RaiGraphError` is caught
here; anything else is a bug and should show its traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from pathlib import Path

import click

from rai_graph._version import __version__
from rai_graph.analysis.delta import compare
from rai_graph.commands import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    RaiGraphGroup,
    emit,
    output_options,
    output_options_for,
    repo_option,
    repository_options,
    run_options,
    select_systems,
)
from rai_graph.load.trees import GitTree
from rai_graph.pipeline import run
from rai_graph.precommit import restrict_to_paths
from rai_graph.progress import progress_for
from rai_graph.render import ci
from rai_graph.render.diff import diff_json, diff_markdown, diff_text
from rai_graph.render.human import check_text, status_markdown, status_text
from rai_graph.render.machine import check_report, status_report


@click.group(cls=RaiGraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rai-graph")
def main() -> None:
    """rai-graph: evidence-as-code compliance for AI systems.

    Loads a governance repository (frameworks/, controls/, evidence/), validates it and judges,
    per AI system and risk tier, whether the controls its tier demands are in place.
    """
    # rdflib logs a traceback for every ill-typed literal; those are reported as shape errors.
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)


@main.command()
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
        text = check_report(result.assessment, errors, systems).model_dump_json(indent=2) + "\n"
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


@main.command()
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
        text = status_report(result.assessment, errors, systems).model_dump_json(indent=2) + "\n"
    elif output_format == "markdown":
        text = status_markdown(result.assessment, errors, systems, result.model)
    else:
        text = status_text(result.assessment, errors, systems, result.model)
    emit(text, output, force=force)


@main.command()
@click.argument("base")
@click.argument("head", required=False)
@repository_options
@click.option("--format", "output_format", type=click.Choice(["markdown", "json", "text"]),
              default="text", show_default=True, help="Output format (markdown: a PR comment).")
@output_options
@click.option("--link-base", default=None, metavar="URL",
              help="Prefix for file links in Markdown, e.g. https://github.com/o/r/blob/SHA.")
@click.option("--fail-on-regression", is_flag=True,
              help="Exit 1 when a status regresses or an input error is added.")
def diff(base: str, head: str | None, repo: Path, as_of: dt.date | None, output_format: str,
         output: Path | None, force: bool, link_base: str | None, fail_on_regression: bool) -> None:
    """Compliance change between git revisions BASE and HEAD (default: the working tree).

    Both sides are read straight from git objects (no checkout) and judged as of the same date:
    --as-of, else the HEAD side's as_of setting, else today.
    """
    after = run(GitTree(repo, head) if head else repo, as_of)
    date = after.assessment.as_of
    before = run(GitTree(repo, base), date)
    delta = compare(before, after)
    if output_format == "json":
        text = diff_json(delta)
    elif output_format == "markdown":
        text = diff_markdown(delta, link_base)
    else:
        text = diff_text(delta)
    emit(text, output, force=force)
    regressed = bool(delta.of("regression") or delta.errors_added)
    sys.exit(EXIT_FINDINGS if fail_on_regression and regressed else EXIT_CLEAN)


@main.group()
def shapes() -> None:
    """The SHACL shapes rai-graph uses."""


@shapes.command("export")
@repo_option
@output_options_for(what="the shapes (Turtle)")
def shapes_export(repo: Path, output: Path | None, force: bool) -> None:
    """Export the per-tier completeness shapes generated from the controls, as Turtle."""
    from rai_graph.load.repository import load_repository
    from rai_graph.model import build_model
    from rai_graph.validate.completeness import completeness_shapes

    model = build_model(load_repository(repo))
    emit(completeness_shapes(model).serialize(format="turtle"), output, force=force)


def _register_commands() -> None:
    from rai_graph.commands.demo import demo
    from rai_graph.commands.evidence_pack import evidence_pack
    from rai_graph.commands.init import init
    from rai_graph.commands.kpis import kpis
    from rai_graph.commands.new import new
    from rai_graph.commands.publish import publish
    from rai_graph.commands.query import export, query
    from rai_graph.commands.questionnaire import questionnaire
    from rai_graph.commands.report import report
    from rai_graph.commands.site import site
    from rai_graph.commands.soa import soa
    from rai_graph.commands.timeline import timeline

    for command in (demo, evidence_pack, export, init, kpis, new, publish, query, questionnaire, report, site,
                    soa, timeline):
        main.add_command(command)


_register_commands()
