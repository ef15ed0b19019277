"""Progress bars for long work (loading, validation, site build), on a terminal only.

Bars go to standard error and only when it is a terminal, so piped output, JSON and files are
never touched. They stay off in CI (``CI`` set, as every CI service does), with ``--quiet``, or
with ``RAI_GRAPH_QUIET=1``. Work that finishes in a blink shows nothing: a bar appears only after
:data:`DELAY_SECONDS`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

QUIET_VARIABLE = "RAI_GRAPH_QUIET"
DELAY_SECONDS = 0.5


class Task(Protocol):
    def advance(self, amount: int = 1) -> None: ...


class Progress(Protocol):
    """What the pipeline reports to: named tasks with a known or unknown total."""

    def task(self, description: str, total: int | None = None) -> Any:
        """A context manager giving a :class:`Task`."""
        ...


class _SilentTask:
    def advance(self, amount: int = 1) -> None:
        return None


class SilentProgress:
    """Reports nothing."""

    @contextmanager
    def task(self, description: str, total: int | None = None) -> Iterator[Task]:
        yield _SilentTask()


class _RichTask:
    def __init__(self, progress: Any, task_id: Any, started: float) -> None:
        self._progress = progress
        self._id = task_id
        self._started = started
        self._shown = False

    def advance(self, amount: int = 1) -> None:
        self._progress.advance(self._id, amount)
        if not self._shown and time.monotonic() - self._started > DELAY_SECONDS:
            self._progress.update(self._id, visible=True)
            self._shown = True


class RichProgress:
    """Bars drawn by rich on standard error; one line per task, removed when it finishes."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as Bars

        self._bars = Bars(
            TextColumn("[progress.description]{task.description}"), BarColumn(),
            MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=True,
        )

    @contextmanager
    def task(self, description: str, total: int | None = None) -> Iterator[Task]:
        with self._bars:
            task_id = self._bars.add_task(description, total=total, visible=False)
            try:
                yield _RichTask(self._bars, task_id, time.monotonic())
            finally:
                self._bars.remove_task(task_id)


def wants_progress(quiet: bool = False) -> bool:
    """Bars only for a person at a terminal: not quiet, not CI, standard error a TTY."""
    if quiet or os.environ.get(QUIET_VARIABLE, "").strip().lower() not in ("", "0", "false", "no"):
        return False
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false"):
        return False
    return sys.stderr.isatty()


def progress_for(quiet: bool = False) -> Progress:
    """Rich bars where :func:`wants_progress`, otherwise silence (also when rich is missing)."""
    if wants_progress(quiet):
        try:
            return RichProgress()
        except ImportError:
            pass
    return SilentProgress()
