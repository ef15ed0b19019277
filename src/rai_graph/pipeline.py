"""The stages wired together: load → provenance → model → validate → trace.

Commands call :func:`run`; each stage stays usable on its own (tests, later commands such as
``diff`` that load two revisions).
"""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass
from pathlib import Path

from rai_graph.errors import InputError
from rai_graph.load.cache import Cache
from rai_graph.load.repository import LoadedRepository, load_repository
from rai_graph.load.trees import RepositoryTree
from rai_graph.model import RepositoryModel, build_model
from rai_graph.progress import Progress, SilentProgress
from rai_graph.provenance import Provenance, read_provenance
from rai_graph.replay import collector_paused
from rai_graph.trace import Assessment, assess
from rai_graph.validate.records import ValidationOutcome, check_records, validate_repository

SHARED_PARSE_PACK = "parse-shared"
"""The parse outcomes of the files a partial run loads (:mod:`rai_graph.splice` writes it): a
fraction of the whole pack, so much quicker to read."""


@dataclass(slots=True)
class PipelineResult:
    repository: LoadedRepository
    provenance: Provenance
    model: RepositoryModel
    validation: ValidationOutcome
    assessment: Assessment


def run(
    root: Path | RepositoryTree, as_of: dt.date | None = None, *, cache: bool = True,
    progress: Progress | None = None,
) -> PipelineResult:
    """Load, validate and judge the repository at ``root`` (a directory or a git tree) as of ``as_of``.

    Without ``as_of``, the repository's ``as_of`` setting is used, else today. With ``cache`` (the
    default; ``RAI_GRAPH_NO_CACHE=1`` overrides it), unchanged files are neither parsed nor
    validated again: their results come from ``.rai-graph-cache/`` and are identical to a fresh
    run's. ``progress`` receives the long steps (see :mod:`rai_graph.progress`).
    """
    progress = progress or SilentProgress()
    location = root if isinstance(root, Path) else root.location
    store = Cache.for_repository(location) if cache and location.is_dir() else None
    # A tree hiding evidence folders (rai_graph.splice) sees part of the repository: it reads the
    # caches but never writes them, and skips the model's, which is keyed by every file.
    partial = bool(getattr(root, "hidden", None))
    if partial and store is not None:
        store = store.read_only()
    with collector_paused():
        repository = load_repository(root, cache=store, progress=progress,
                                     pack=SHARED_PARSE_PACK if partial else "parse")
        working_tree = repository.tree.label == "worktree"
        provenance = read_provenance(repository.tree.location, "HEAD" if working_tree else repository.tree.label,
                                     working_tree=working_tree)
        model, record_errors = _model_of(repository, None if partial else store)
        validation = validate_repository(repository, model, cache=store, progress=progress,
                                         record_errors=record_errors)
        repository.release_triples()
        date = as_of or repository.settings.as_of or dt.date.today()
        assessment = assess(model, validation.artifacts, date, provenance, repository.settings)
    return PipelineResult(repository, provenance, model, validation, assessment)


def _model_of(
    repository: LoadedRepository, store: Cache | None,
) -> tuple[RepositoryModel, list[InputError]]:
    """The model and the record checks, from the cache when no data file changed.

    They depend on the data files only (the key hashes every one, in order, and rai-graph's code),
    so an unchanged repository skips building them, and never needs its triples at all.
    """
    key = repository.data_key()
    if store is not None:
        blob = store.read("model").get(key)
        if isinstance(blob, bytes):
            try:
                # Safe: the pack's signature proves this process's user wrote these bytes.
                model, record_errors = pickle.loads(blob)
            except Exception:  # a pickle from an incompatible build: rebuild
                pass
            else:
                if isinstance(model, RepositoryModel) and isinstance(record_errors, list):
                    return model, record_errors
    model = build_model(repository)
    record_errors = check_records(repository, model)
    if store is not None:
        store.write("model", {key: pickle.dumps((model, record_errors), pickle.HIGHEST_PROTOCOL)})
    return model, record_errors
