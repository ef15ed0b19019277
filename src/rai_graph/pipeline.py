"""The stages wired together: load → provenance → model → validate → trace.

Commands call :func:`run`; each stage stays usable on its own (tests, later commands such as
``diff`` that load two revisions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ._trees import RepositoryTree
from .load import LoadedRepository, load_repository
from .model import RepositoryModel, build_model
from .provenance import Provenance, read_provenance
from .trace import Assessment, assess
from .validate import ValidationOutcome, validate_repository


@dataclass(slots=True)
class PipelineResult:
    repository: LoadedRepository
    provenance: Provenance
    model: RepositoryModel
    validation: ValidationOutcome
    assessment: Assessment


def run(root: Path | RepositoryTree, as_of: dt.date | None = None) -> PipelineResult:
    """Load, validate and judge the repository at ``root`` (a directory or a git tree) as of ``as_of``.

    Without ``as_of``, the repository's ``as_of`` setting is used, else today.
    """
    repository = load_repository(root)
    revision = "HEAD" if repository.tree.label == "worktree" else repository.tree.label
    provenance = read_provenance(repository.tree.location, revision)
    model = build_model(repository)
    validation = validate_repository(repository, model)
    date = as_of or repository.settings.as_of or dt.date.today()
    assessment = assess(model, validation.artifacts, date, provenance, repository.settings)
    return PipelineResult(repository, provenance, model, validation, assessment)
