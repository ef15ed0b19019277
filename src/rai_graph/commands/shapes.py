"""``rai-graph shapes export``: the per-tier completeness rules as SHACL."""

from __future__ import annotations

from pathlib import Path

import click

from rai_graph.commands import (
    emit,
    output_options_for,
    repo_option,
)


@click.group()
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
