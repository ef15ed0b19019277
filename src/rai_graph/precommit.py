"""``check PATHS`` as a pre-commit hook runs it: judge what the changed files bear on.

A changed file is one of three things:

* a record file (``.ttl``) or another file under ``evidence/<system>/``: its own input errors are
  reported, and the system of that folder is judged;
* an evidence *artefact* (a model card, an evaluation report) named by ``rai:artifact`` in some
  records, wherever it lies: the records that name it are found, their artefact errors (a hash
  that no longer matches after the artefact was edited) are reported *for the artefact's path*,
  where the person who changed it looks, and the systems of those records are judged;
* anything else outside ``evidence/`` (controls, frameworks, settings): every system is judged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from rai_graph.errors import InputError
from rai_graph.model import Evidence
from rai_graph.pipeline import PipelineResult
from rai_graph.trace import SystemAssessment


def repository_paths(paths: Iterable[Path], repo: Path) -> set[str]:
    """The given paths (absolute, or relative to the working directory) as repository paths;
    paths outside the repository are dropped: nothing of ours to report."""
    root = repo.resolve()
    found = set()
    for path in paths:
        absolute = path if path.is_absolute() else Path.cwd() / path
        try:
            found.add(absolute.resolve().relative_to(root).as_posix())
        except ValueError:
            continue
    return found


def records_naming(result: PipelineResult, paths: set[str]) -> dict[str, list[Evidence]]:
    """Artefact path → the evidence records whose ``rai:artifact`` resolves to it, for each of
    ``paths`` that some record names (records in IRI order)."""
    naming: dict[str, list[Evidence]] = defaultdict(list)
    for iri, check in sorted(result.validation.artifacts.items(), key=lambda item: str(item[0])):
        evidence = result.model.evidence.get(iri)
        if evidence is not None and check.path in paths:
            naming[check.path].append(evidence)
    return dict(naming)


def restrict_to_paths(
    result: PipelineResult, errors: Sequence[InputError], systems: Sequence[SystemAssessment],
    paths: Sequence[Path], repo: Path,
) -> tuple[list[InputError], list[SystemAssessment]]:
    """The input errors to report and the systems to judge when only ``paths`` changed."""
    wanted = repository_paths(paths, repo)
    artefacts = records_naming(result, wanted)
    kept = [e for e in errors if not e.file or e.file in wanted]
    kept += _artefact_errors(result, errors, artefacts)
    record_systems = {system for records in artefacts.values() for e in records for system in e.systems}
    others = wanted - set(artefacts)
    if any(not path.startswith("evidence/") for path in others):
        return sorted(set(kept), key=InputError.sort_key), list(systems)
    folders = {_evidence_folder(path) for path in others} - {None}
    chosen = [s for s in systems
              if _evidence_folder(s.system.origin.file) in folders or s.system.iri in record_systems]
    return sorted(set(kept), key=InputError.sort_key), chosen


def _artefact_errors(
    result: PipelineResult, errors: Sequence[InputError], artefacts: dict[str, list[Evidence]],
) -> list[InputError]:
    """Each failed artefact check of a record naming a changed artefact, as an error of the artefact."""
    found = []
    for path, records in artefacts.items():
        for evidence in records:
            check = result.validation.artifacts[evidence.iri]
            if check.ok:
                continue
            for error in errors:
                if (error.kind == "artifact" and error.file == evidence.origin.file
                        and error.line == evidence.origin.line and error.message.endswith(check.detail)):
                    found.append(InputError(path, None, f"{error.message} (recorded at {_where(error)})",
                                            "artifact"))
    return found


def _where(error: InputError) -> str:
    return error.file if error.line is None else f"{error.file}:{error.line}"


def _evidence_folder(path: str) -> str | None:
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "evidence" else None
