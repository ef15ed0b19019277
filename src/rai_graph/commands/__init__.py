"""Command-line plumbing shared by every command module.

A command parses its flags, calls one library function, renders, and maps errors: nothing more.
Modules under ``rai_graph.commands`` define click commands with these helpers; ``rai_graph.cli``
registers them on the ``rai-graph`` group.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from rai_graph.audience import AUDIENCES
from rai_graph.errors import RaiGraphError, UnknownSystem
from rai_graph.pipeline import PipelineResult
from rai_graph.trace import SystemAssessment

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class EnvironmentFailure(click.ClickException):
    """An unusable environment (not a repository, unknown system): exit code 2."""

    exit_code = EXIT_USAGE


class DateType(click.ParamType):  # type: ignore[type-arg]
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)


def repository_options(command: F) -> F:
    """``--repo`` and ``--as-of``, shared by every command that reads a repository."""
    command = click.option(
        "--as-of", "as_of", type=DateType(), default=None,
        help="Judge as of this date (default: the repository setting, else today).",
    )(command)
    command = click.option(
        "--repo", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
        show_default=True, help="The governance repository.",
    )(command)
    return command


def run_options(command: F) -> F:
    """``--quiet`` (no progress bars) and ``--no-cache`` (parse and validate everything afresh)."""
    command = click.option("--no-cache", is_flag=True,
                           help="Ignore .rai-graph-cache/: parse and validate every file afresh.")(command)
    return click.option("--quiet", "-q", is_flag=True,
                        help="No progress bars (they only show on a terminal anyway).")(command)


def audience_option(command: F) -> F:
    """``--audience``: nothing above the audience's level appears in the output."""
    return click.option(
        "--audience", type=click.Choice(AUDIENCES), default="internal", show_default=True,
        help="Who will read the output: public, customer, auditor or internal.",
    )(command)


def reports_errors(command: F) -> F:
    """Turn the project's own errors into a one-line message and exit code 2."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RaiGraphError as exc:
            raise EnvironmentFailure(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def select_systems(result: PipelineResult, ids: Sequence[str]) -> list[SystemAssessment]:
    """The assessed systems named by ``ids`` (folder name, local name or IRI); all when empty."""
    systems = result.assessment.systems
    if not ids:
        return systems
    chosen: list[SystemAssessment] = []
    for wanted in ids:
        match = [s for s in systems if wanted in (s.system.name, str(s.system.iri),
                                                 _local_name(str(s.system.iri)))]
        if not match:
            known = ", ".join(s.system.name for s in systems) or "none"
            raise UnknownSystem(f"no system {wanted!r} in the repository (known: {known})")
        chosen.extend(m for m in match if m not in chosen)
    return chosen


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def emit(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomically(output, text)


def write_output(path: Path, data: str | bytes, *, force: bool, shown: str | None = None) -> None:
    """Write a command's output file atomically; refuse to replace one unless ``force``.

    Failures are the user's to fix (the file exists, the disk is full, the folder is read-only):
    they become a one-line message and exit code 2, never a traceback.
    """
    name = shown or str(path)
    try:
        write_atomically(path, data, overwrite=force)
    except FileExistsError as exc:
        raise EnvironmentFailure(f"{name} exists; use --force to overwrite it") from exc
    except OSError as exc:
        raise EnvironmentFailure(f"cannot write {name}: {exc.strerror or exc}") from exc


def write_atomically(path: Path, data: str | bytes, *, overwrite: bool = True) -> None:
    """Write via a temporary file and a rename: never a half-written file.

    With ``overwrite=False`` an existing file is refused (:class:`FileExistsError`), and the
    check and the rename cannot race: the final step is a hard link, which fails if the name exists.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file owner-only; give it the permissions a normal write would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
