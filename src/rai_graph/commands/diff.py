"""``rai-graph diff BASE [HEAD]``: the compliance change between two git revisions."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from rai_graph.analysis.delta import compare
from rai_graph.commands import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    emit,
    output_options,
    repository_options,
)
from rai_graph.load.trees import GitTree
from rai_graph.pipeline import run
from rai_graph.render.diff import diff_json, diff_markdown, diff_text


@click.command()
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
