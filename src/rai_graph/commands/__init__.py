"""Command-line plumbing shared by every command module.

A command parses its flags, calls one library function and renders: nothing more. Errors are
mapped once, at the boundary: :class:`RaiGraphGroup` (the ``rai-graph`` group and its
sub-groups) turns any :class:`~rai_graph.errors.RaiGraphError` into a one-line message and exit
code 2. One option vocabulary: ``--repo``/``--as-of`` (:func:`repository_options`), ``-o/--output``
with ``--force`` wherever a file is written (:func:`output_options`; an existing file is never
replaced without ``--force``, a device or FIFO is written into, a symbolic link is refused),
``--format`` values spelled out (``markdown``, never ``md``).

An output target is never replaced by something else: a symbolic link (dangling or not) is refused
rather than followed or replaced, so ``-o`` never writes outside the path given; a device
(``/dev/null``, ``/dev/stdout``, a terminal) or a FIFO is opened without following links and
written into, never unlinked; a folder named where a file belongs is refused. A command that fills
a folder (:func:`refuse_unsafe_folder`) refuses a symbolic link or a non-folder the same way.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from rai_graph.errors import RaiGraphError, UnknownSystem

if TYPE_CHECKING:  # imported lazily: `rai-graph --help` must not load rdflib
    from rai_graph.pipeline import PipelineResult
    from rai_graph.trace import SystemAssessment

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class EnvironmentFailure(click.ClickException):
    """An unusable environment (not a repository, unknown system): exit code 2."""

    exit_code = EXIT_USAGE


class RaiGraphGroup(click.Group):
    """A command group whose commands' project errors become exit code 2 with their message.

    Only :class:`RaiGraphError` is caught: anything else is a bug and shows its traceback. Set on
    the ``rai-graph`` group, it covers every sub-group's commands too (they run inside its invoke).
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RaiGraphError as exc:
            raise EnvironmentFailure(str(exc)) from exc


class DateType(click.ParamType):  # type: ignore[type-arg]
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from rai_graph.dates import DATE_RANGE

        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)
        if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
            # Adding an evidence age or a look-ahead to a date at the calendar's end overflows.
            self.fail(f"{value!r} lies outside the dates rai-graph judges ({DATE_RANGE[0]} to {DATE_RANGE[1]})",
                      param, ctx)
        return day


def repository_options(command: F) -> F:
    """``--repo`` and ``--as-of``, shared by every command that judges a repository."""
    command = click.option(
        "--as-of", "as_of", type=DateType(), default=None,
        help="Judge as of this date (default: the repository setting, else today).",
    )(command)
    return repo_option(command)


def repo_option(command: F) -> F:
    """``--repo`` alone, for commands that read a repository but judge nothing as of a date."""
    return click.option(
        "--repo", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
        show_default=True, help="The governance repository.",
    )(command)


def output_options(command: F) -> F:
    """``-o/--output FILE`` (default: standard output) and ``--force``: the one overwrite rule."""
    return output_options_for()(command)


def output_options_for(*, required: bool = False, what: str = "the output") -> Callable[[F], F]:
    """``-o/--output FILE`` and ``--force``, worded for what the command writes."""
    def decorate(command: F) -> F:
        command = click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")(command)
        return click.option(
            "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, required=required,
            help=f"Write {what} to FILE" + ("." if required else " instead of standard output."),
        )(command)
    return decorate


def run_options(command: F) -> F:
    """``--quiet`` (no progress bars) and ``--no-cache`` (parse and validate everything afresh)."""
    command = click.option("--no-cache", is_flag=True,
                           help="Ignore .rai-graph-cache/: parse and validate every file afresh.")(command)
    return click.option("--quiet", "-q", is_flag=True,
                        help="No progress bars (they only show on a terminal anyway).")(command)


def audience_option(command: F) -> F:
    """``--audience``: nothing above the audience's level appears in the output."""
    from rai_graph.audience import AUDIENCES

    return click.option(
        "--audience", type=click.Choice(AUDIENCES), default="internal", show_default=True,
        help="Who will read the output: public, customer, auditor or internal.",
    )(command)


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


def emit(text: str, output: Path | None, *, force: bool = False) -> None:
    """Print ``text``, or write it to ``output`` by the one overwrite rule (:func:`write_output`)."""
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text, force=force)


def refuse_existing(path: Path | None, force: bool) -> None:
    """Fail early, before slow work, when ``path`` is a regular file ``write_output`` would refuse."""
    if path is not None and not force and path.is_file() and not path.is_symlink():
        raise EnvironmentFailure(f"{path} exists; use --force to overwrite it")


def write_output(path: Path, data: str | bytes, *, force: bool, shown: str | None = None) -> None:
    """Write a command's output file atomically; refuse to replace one unless ``force``.

    Failures are the user's to fix (the file exists, the disk is full, the folder is read-only):
    they become a one-line message and exit code 2, never a traceback.
    """
    name = shown or str(path)
    try:
        kind = os.lstat(path).st_mode
    except FileNotFoundError:
        kind = None
    except OSError as exc:
        raise EnvironmentFailure(f"cannot write {name}: {exc.strerror or exc}") from exc
    try:
        if kind is not None and stat.S_ISLNK(kind):
            raise EnvironmentFailure(f"{name} is a symbolic link; write to the file it points to instead")
        if kind is not None and (stat.S_ISCHR(kind) or stat.S_ISFIFO(kind) or stat.S_ISSOCK(kind)):
            _write_into_special(path, name, data.encode("utf-8") if isinstance(data, str) else data)
            return
        if kind is not None and stat.S_ISDIR(kind):
            raise EnvironmentFailure(f"{name} is a directory")
        write_atomically(path, data, overwrite=force)
    except FileExistsError as exc:
        raise EnvironmentFailure(f"{name} exists; use --force to overwrite it") from exc
    except OSError as exc:
        raise EnvironmentFailure(f"cannot write {name}: {exc.strerror or exc}") from exc


def _write_into_special(path: Path, name: str, data: bytes) -> None:
    """Write into a device (/dev/null, /dev/stdout, a terminal) or a pipe, never replacing it.

    No O_CREAT: if the name was swapped for something else since it was looked at, nothing is
    created; O_NOFOLLOW refuses a link swapped in; O_NOCTTY keeps a terminal from becoming ours.
    """
    try:
        handle = os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise EnvironmentFailure(f"cannot write {name}: it vanished while being opened") from exc
    with os.fdopen(handle, "wb") as stream:
        if stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise EnvironmentFailure(f"cannot write {name}: it was replaced by a file while being opened")
        stream.write(data)


def refuse_unsafe_folder(path: Path, *, must_not_exist: bool = False) -> None:
    """Refuse a folder output that is a symbolic link or not a folder (or, with ``must_not_exist``,
    anything at all): a command filling it would write, or delete, outside the path given."""
    try:
        kind = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise EnvironmentFailure(f"cannot use {path}: {exc.strerror or exc}") from exc
    if stat.S_ISLNK(kind):
        raise EnvironmentFailure(f"{path} is a symbolic link; give the folder it points to instead")
    if must_not_exist:
        raise EnvironmentFailure(f"{path} already exists; choose a new directory")
    if not stat.S_ISDIR(kind):
        raise EnvironmentFailure(f"{path} exists and is not a folder")


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
