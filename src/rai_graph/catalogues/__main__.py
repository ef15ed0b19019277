"""Command line: ``python -m rai_graph.catalogues build|check [--sources DIR] [--out DIR]``.

``--only MODULE`` (repeatable) limits a run to some catalogue modules.

Exit codes: 0 done (``check``: every catalogue is current), 1 ``check`` found files that are
missing or differ from a fresh build, 2 a source or catalogue module is unusable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from rai_graph.catalogues import MODULES, Plan, plan_catalogues, stale_outputs, write_catalogues
from rai_graph.errors import RaiGraphError

_Command = TypeVar("_Command", bound=Callable[..., object])


class _Unusable(click.ClickException):
    """A source or module problem: reported in one line, exit code 2."""

    exit_code = 2


def _shared_options(command: _Command) -> _Command:
    """``--sources``, ``--out`` and ``--only``, shared by both commands."""
    command = click.option(
        "--only",
        "only",
        multiple=True,
        type=click.Choice(MODULES),
        help="Build or check only this catalogue module (repeatable); default: all.",
    )(command)
    command = click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("frameworks"),
        show_default=True,
        help="Folder the catalogues are written to (or compared with).",
    )(command)
    return click.option(
        "--sources",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("frameworks/sources"),
        show_default=True,
        help="Folder of the vendored source files.",
    )(command)


def _plan(only: tuple[str, ...]) -> Plan:
    """The catalogues to build; tells which listed modules are skipped."""
    try:
        plan = plan_catalogues(only or MODULES)
    except RaiGraphError as error:
        raise _Unusable(str(error)) from error
    for name in plan.skipped:
        click.echo(f"skipped {name}: module rai_graph.catalogues.{name} does not exist yet")
    return plan


@click.group()
def main() -> None:
    """Build or check the framework catalogues (frameworks/*.ttl) from their vendored sources."""


@main.command()
@_shared_options
def build(sources: Path, out: Path, only: tuple[str, ...]) -> None:
    """Write every catalogue from the vendored sources."""
    plan = _plan(only)
    try:
        written = write_catalogues(plan, sources, out)
    except RaiGraphError as error:
        raise _Unusable(str(error)) from error
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@_shared_options
def check(sources: Path, out: Path, only: tuple[str, ...]) -> None:
    """Rebuild in memory; exit 1 naming each catalogue file that is missing or out of date."""
    plan = _plan(only)
    try:
        stale = stale_outputs(plan, sources, out)
    except RaiGraphError as error:
        raise _Unusable(str(error)) from error
    for path in stale:
        click.echo(f"out of date: {path} (run: python -m rai_graph.catalogues build)", err=True)
    if stale:
        raise SystemExit(1)
    click.echo(f"{len(plan.catalogues)} catalogue file(s) are current.")


if __name__ == "__main__":
    main()
