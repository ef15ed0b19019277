"""``rai-graph report``: the audit-readiness report for one framework, as of a date or a revision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from rai_graph.audience import Audience
from rai_graph.commands import (
    audience_option,
    emit,
    output_options_for,
    refuse_existing,
    repository_options,
    select_systems,
    write_output,
)
from rai_graph.load.repository import CONTENT_FOLDERS
from rai_graph.load.trees import GitTree
from rai_graph.pipeline import PipelineResult, run
from rai_graph.render.report import (
    SourceInfo,
    build_report,
    render_html,
    render_json,
    render_markdown,
    render_pdf,
    resolve_framework,
)
from rai_graph.settings import SETTINGS_FILE

FORMATS = ("markdown", "html", "pdf", "json")


def revision_option(command: Any) -> Any:
    """``--rev``: read the repository as recorded in a git revision, not the working tree."""
    return click.option(
        "--rev", default=None, metavar="GIT-REV",
        help="Read the repository at this git revision (from git objects, no checkout), "
             "e.g. a release tag, to reproduce a past posture.",
    )(command)


def load(repo: Path, rev: str | None, as_of: dt.date | None) -> PipelineResult:
    """The pipeline over the working tree, or over revision ``rev`` read from git objects."""
    return run(GitTree(repo, rev) if rev else repo, as_of)


def source_info(result: PipelineResult) -> SourceInfo:
    """Which commit the report comes from, and whether the working tree differs from it."""
    tree = result.repository.tree
    if tree.label != "worktree":
        return SourceInfo(revision=tree.label, commit=tree.label, uncommitted_changes=False)
    import git

    # Only what the pipeline reads counts: a cache folder or build output beside it does not.
    watched = [tree.location / name for name in (*CONTENT_FOLDERS, SETTINGS_FILE)]
    try:
        repository = git.Repo(tree.location, search_parent_directories=True)
        commit = repository.head.commit.hexsha
        dirty = any(repository.is_dirty(untracked_files=True, path=str(path))
                    for path in watched if path.exists())
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError, ValueError):
        return SourceInfo(revision="worktree", commit=None, uncommitted_changes=None)
    return SourceInfo(revision="worktree", commit=commit, uncommitted_changes=dirty)


@click.command()
@repository_options
@revision_option
@click.option("--framework", "framework_id", required=True, metavar="ID",
              help="The framework: eu-ai-act, nist-ai-rmf, nist-ai-600-1, iso-42001, or an "
                   "organisation's own by notation.")
@click.option("--system", "system_ids", multiple=True,
              help="Only this system (folder name, local name or IRI); repeatable. Default: all.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="markdown",
              show_default=True, help="pdf needs WeasyPrint; html is one self-contained file.")
@output_options_for(what="the report (required for pdf; otherwise standard output)")
@audience_option
def report(repo: Path, as_of: dt.date | None, rev: str | None, framework_id: str,
           system_ids: tuple[str, ...], output_format: str, output: Path | None, force: bool,
           audience: Audience) -> None:
    """Audit-readiness report: as of a date, for one framework, which obligations each system
    meets, with what evidence (date, commit, hash), approved by whom; gaps with owners, evidence
    expiring within 90 days, waivers, obligations not yet in force and unmapped requirements.

    Items above the --audience's level are left out entirely.
    """
    if output_format == "pdf" and output is None:
        raise click.UsageError("--format pdf writes a file: give -o FILE")
    refuse_existing(output, force)
    result = load(repo, rev, as_of)
    framework = resolve_framework(result, framework_id)
    systems = select_systems(result, system_ids)
    document = build_report(result, framework, systems, audience=audience, source=source_info(result))
    data: str | bytes
    if output_format == "json":
        data = render_json(document)
    elif output_format == "html":
        data = render_html(document)
    elif output_format == "pdf":
        data = render_pdf(document)
    else:
        data = render_markdown(document)
    if output is None:
        assert isinstance(data, str)
        emit(data, None)
        return
    write_output(output, data, force=force)
    click.echo(f"Wrote {output} ({len(data.encode('utf-8') if isinstance(data, str) else data):,} bytes): "
               f"{framework.title}, {len(systems)} system(s), as of {document.as_of}, "
               f"audience {audience}.")
