"""Errors of rai-graph.

Two kinds of trouble are kept apart:

* :class:`InputError` is *data*: a problem found in the governance repository (bad Turtle, a record
  of the wrong shape, a dangling IRI, an artefact that is missing or was changed). Every stage
  collects them, all of them in one run, and the renderers show them as ``file:line: message``.
* Exceptions derive from :class:`RaiGraphError` and stop a command: the environment is unusable
  (not a governance repository, an unknown ``--system``). The CLI maps them to exit code 2.

Hierarchy::

    RaiGraphError
    ├── NotAGovernanceRepository
    ├── UnknownSystem
    └── UnknownFramework
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ErrorKind = Literal["parse", "shape", "artifact", "reference"]


@dataclass(frozen=True, slots=True, order=True)
class InputError:
    """A problem in a repository file, pointing at the file and (when known) the line."""

    file: str
    line: int | None
    message: str
    kind: ErrorKind
    about: str | None = field(default=None, compare=False)
    """The IRI a reference error points at (to tell which errors an unparsable file causes)."""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line or 0, self.kind, self.message)


class RaiGraphError(Exception):
    """Base class of every error rai-graph raises on purpose."""


class NotAGovernanceRepository(RaiGraphError):
    """The directory holds none of ``frameworks/``, ``controls/`` or ``evidence/``."""


class UnknownSystem(RaiGraphError):
    """A ``--system`` id names no system of the repository."""


class UnknownFramework(RaiGraphError):
    """A ``--framework`` id names no framework of the repository."""
