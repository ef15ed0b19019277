"""The documentation keeps up with the code: every command documented, every export declared."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

import rai_graph
from rai_graph.cli import main

PROJECT = Path(__file__).parent.parent


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        names.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            names.extend(_commands(command, f"{prefix}{name} "))
    return names


def test_every_command_has_help_and_is_in_the_readme() -> None:
    """Each command and sub-command prints help, and the README names each top-level command."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    for name in _commands(main):
        result = CliRunner().invoke(main, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.output
        if " " not in name:
            assert f"rai-graph {name}" in readme, f"README does not mention `rai-graph {name}`"


def test_public_api_matches_all() -> None:
    """``rai_graph.__all__`` lists exactly the public names the package exports, each reachable
    (``run`` and ``PipelineResult`` are loaded on first use)."""
    for name in rai_graph.__all__:
        assert getattr(rai_graph, name) is not None, name
    assert set(rai_graph.__all__) == {"InputError", "PipelineResult", "RaiGraphError", "__version__", "run"}
    assert rai_graph.run is rai_graph.pipeline.run
