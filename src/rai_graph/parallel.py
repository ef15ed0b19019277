"""Long, pure work shared with a forked second process when the machine has a core to spare.

Parsing tens of thousands of Turtle files, and validating them with SHACL, is CPU-bound work
that threads cannot share. On Linux with two or more usable cores:

* :func:`map_in_two` forks once to parse: the child does the tail of the list and sends its
  results back through a pipe with :mod:`marshal` (plain data only), while this process does the
  head (a cold load at 1,000 systems: 2.5 s → 1.7 s);
* :class:`InBackground` runs one job in a child while this process does something else (SHACL
  while the model is built: validation 1.4 s → 0.4 s on the critical path).

The answer never depends on the second process: if it cannot be forked, fails, is killed, or
sends back anything but a well-formed result, this process does the work itself. ``taskset -c 0``
(one usable core) or a small input keeps everything in one process. A child shares its parent's
memory copy-on-write; its own peak is reported as a process of its own.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")

CHILD_SHARE = 0.5
"""The child's share of the weight. It also pays for copying pages on write and for marshalling
its results, and this process for reading them back; measured at 1,000 systems, 0.5 beat 0.4,
0.45 and 0.55 (1.66 s against 1.96, 1.80 and 1.76 s for the whole load)."""


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, so ``taskset`` and cgroups are honoured)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return 1


def map_in_two(
    work: Callable[[Sequence[Item], Callable[[int], None] | None], list[Any]],
    items: Sequence[Item],
    weights: Sequence[int],
    minimum_weight: int,
    advance: Callable[[int], None] | None = None,
) -> list[Any]:
    """``work(items, advance)``, its results in order, the tail done by a forked child when the
    total weight is at least ``minimum_weight`` and a second core is usable.

    ``work`` must be a pure function of its items whose results marshal can carry; it reports
    each item done to ``advance`` (the child's items are reported when its results arrive).
    """
    total = sum(weights)
    if total < minimum_weight or len(items) < 2 or not _can_fork():
        return work(items, advance)
    split, reached = len(items), 0
    for number, weight in enumerate(weights):
        if reached >= total * (1 - CHILD_SHARE):
            split = number
            break
        reached += weight
    if split >= len(items):
        return work(items, advance)
    head, tail = items[:split], items[split:]
    child = _Child.start(lambda: work(tail, None))
    if child is None:
        return work(items, advance)
    try:
        done = work(head, advance)
        sent = child.results()
    finally:
        child.stop()
    if not isinstance(sent, list) or len(sent) != len(tail):
        return done + work(tail, advance)
    if advance is not None:
        advance(len(tail))
    return done + sent


def _can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork") and usable_cores() >= 2


class InBackground:
    """``job()`` begun in a forked child (when a second core is usable), its result taken later.

    :meth:`result` is the child's result, or ``job()`` run here when there is no child or it
    failed: the caller gets the same answer either way. ``job``'s result must be plain data.
    """

    def __init__(self, job: Callable[[], Any], *, fork: bool = True) -> None:
        self._job = job
        self._child = _Child.start(job) if fork and _can_fork() else None

    @property
    def forked(self) -> bool:
        return self._child is not None

    def result(self) -> Any:
        child, self._child = self._child, None
        if child is not None:
            try:
                sent = child.results()
            finally:
                child.stop()
            if sent is not None:
                return sent
        return self._job()

    def cancel(self) -> None:
        """Stop the child, if any (an error in this process left its result unwanted)."""
        child, self._child = self._child, None
        if child is not None:
            child.stop()


class _Child:
    """A forked process running ``job`` and writing its marshalled result to a pipe."""

    def __init__(self, pid: int, pipe: Any) -> None:
        self.pid = pid
        self.pipe = pipe
        self.reaped = False

    @classmethod
    def start(cls, job: Callable[[], Any]) -> _Child | None:
        read_end, write_end = os.pipe()
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns that forking a multi-threaded process (a progress bar's
                # refresh thread) may deadlock the child. This child takes no lock another thread
                # can hold: it runs pure parsing code, writes to its own pipe and leaves with
                # os._exit (no atexit handlers, no flushing of inherited streams).
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the child
            code = 1
            try:
                os.close(read_end)
                data = marshal.dumps(job())
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        return cls(pid, os.fdopen(read_end, "rb"))

    def results(self) -> object:
        """What the child sent, or None if it failed or sent something marshal cannot read."""
        data = self.pipe.read()
        _pid, status = os.waitpid(self.pid, 0)
        self.reaped = True
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None

    def stop(self) -> None:
        """Close the pipe; a child not yet reaped (this process was interrupted) is killed and reaped."""
        self.pipe.close()
        if not self.reaped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.reaped = True
