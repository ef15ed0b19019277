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
    for name, command in sorted(group.commands.items()):
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
    """``rai_graph.__all__`` lists exactly the public names the package exports."""
    public = {name for name in vars(rai_graph) if not name.startswith("_")} - {
        "errors", "pipeline", "load", "model", "trace", "validate", "provenance", "settings",
        "vocab", "audience", "commands", "render", "cli", "annotations",
    }
    public = {name for name in public if not isinstance(getattr(rai_graph, name), type(rai_graph))}
    assert public | {"__version__"} == set(rai_graph.__all__)
