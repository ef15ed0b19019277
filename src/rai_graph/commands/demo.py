"""``rai-graph demo generate`` (a synthetic repository for tests and benchmarks) and ``demo history``
(the example organisation's records as the git history they describe)."""

from __future__ import annotations

from pathlib import Path

import click

from rai_graph.authoring.generator import generate_repository
from rai_graph.commands import refuse_unsafe_folder


@click.group()
def demo() -> None:
    """Demonstration data."""


@demo.command("generate")
@click.option("--systems", type=click.IntRange(min=0), required=True, help="How many AI systems.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same files).")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Directory to create (must not exist).")
def generate(systems: int, seed: int, output: Path) -> None:
    """Write a spec-conformant repository with SYSTEMS systems and a known share of gaps."""
    refuse_unsafe_folder(output, must_not_exist=True)
    summary = generate_repository(output, systems=systems, seed=seed)
    planned = ", ".join(f"{count} {status}" for status, count in summary.planned.most_common())
    click.echo(f"wrote {output}: {summary.systems} systems, {summary.records} records, "
               f"{summary.files} files; planned pairs: {planned}; "
               f"{summary.broken_records} record(s) with a dangling reference")


@demo.command("history")
@click.option("--repo", type=click.Path(file_okay=False, exists=True, path_type=Path), default=Path("."),
              show_default=True, help="The repository whose records to replay (the example, here).")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Directory to create (must not exist): a new git repository.")
def history(repo: Path, output: Path) -> None:
    """Commit REPO's records into a new git repository as they say they happened: each evidence
    record on the day it was produced by its author, each approval on its day by its approver,
    one commit per person and day, a tag at the end of each quarter."""
    from rai_graph.authoring.history import build_history

    refuse_unsafe_folder(output, must_not_exist=True)
    summary = build_history(repo, output)
    click.echo(f"wrote {output}: {summary.commits} commits by {summary.authors} people from "
               f"{summary.first} to {summary.last}; tags: {', '.join(summary.tags)}")
