"""Artefact checks: does the file a record names exist inside the repository, with that hash?

Hashes are streamed in 1 MiB blocks so a huge artefact costs time, not memory. Paths are resolved
with symlinks followed and refused when they leave the repository, whether the repository is read
from disk or from a git revision.

Some files inside the repository are no record's to name (``docs/trust-boundaries.md``): git's own
files (``.git/`` at any depth, or a worktree's ``.git`` file), rai-graph's cache, and another
system's evidence folder — a record in ``evidence/<a>/`` may name files of its own folder tree, of
``evidence/_organisation/`` and of the rest of the repository (``docs/``, say), never of
``evidence/<b>/``, whose records are reviewed and classified by someone else.

:func:`release_artifact` is the one way an output (evidence pack, site) gets an artefact's bytes:
only for a check that passed, a record the audience sees and a file it may see, and only the bytes
hashed while copying, so a file changed after the check is never shipped.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, BinaryIO

from rai_graph.errors import RaiGraphError
from rai_graph.load.cache import CACHE_DIR_VARIABLE, CACHE_FOLDER, cache_directory
from rai_graph.load.trees import Kind, RepositoryTree

if TYPE_CHECKING:
    from rai_graph.audience import AudienceView
    from rai_graph.model import Evidence

_BLOCK = 1 << 20


class ArtifactState(Enum):
    OK = "ok"
    MISSING = "missing"
    OUTSIDE = "outside the repository"
    FORBIDDEN = "not the record's to name"
    NOT_A_FILE = "not a file"
    HASH_MISMATCH = "hash mismatch"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class ArtifactCheck:
    state: ArtifactState
    path: str
    """The artefact path relative to the repository as the record names it (symbolic links not
    followed), or as written when refused."""
    detail: str
    actual_sha256: str | None = None
    source: str | None = None
    """The file actually read (symlinks followed), when one was."""

    @property
    def path_refused(self) -> bool:
        """The path itself was refused (it leaves the repository or is not the record's to name):
        ``path`` is then only what the record wrote."""
        return self.state in (ArtifactState.OUTSIDE, ArtifactState.FORBIDDEN)

    @property
    def ok(self) -> bool:
        return self.state is ArtifactState.OK


class _Unset(Enum):
    ASK = "work it out"


def check_artifact(
    tree: RepositoryTree, record_folder: str, artifact: str, expected: str | None,
    cache: str | _Unset | None = _Unset.ASK,
) -> ArtifactCheck:
    """Check the artefact ``artifact`` named by a record in ``record_folder`` (repo-relative).

    ``cache`` is :func:`cache_inside` of ``tree``, when the caller checking many artefacts has
    worked it out once (two ``realpath`` calls each: 0.15 s over 16,000 artefacts)."""
    if artifact.startswith(("/", "\\")) or (len(artifact) > 1 and artifact[1] == ":"):
        return ArtifactCheck(
            ArtifactState.OUTSIDE, artifact,
            f"artefact path {artifact!r} is absolute; it must be relative to the record's folder",
        )
    joined = posixpath.normpath(posixpath.join(record_folder, artifact))
    if joined == ".." or joined.startswith("../"):
        return ArtifactCheck(
            ArtifactState.OUTSIDE, artifact, f"artefact path {artifact!r} leaves the repository"
        )
    if cache is _Unset.ASK:
        cache = cache_inside(tree)
    if refusal := forbidden_reason(record_folder, joined, cache):
        return ArtifactCheck(ArtifactState.FORBIDDEN, artifact, f"artefact path {artifact!r} {refusal}")
    resolved = tree.resolve(joined)
    if resolved.kind is Kind.OUTSIDE:
        return ArtifactCheck(
            ArtifactState.OUTSIDE, artifact,
            f"artefact path {artifact!r} leads outside the repository (through a symbolic link)",
        )
    if resolved.kind is Kind.SUBMODULE:
        return ArtifactCheck(
            ArtifactState.OUTSIDE, artifact,
            f"artefact path {artifact!r} lies in a git submodule, whose files this repository does not review",
        )
    if resolved.kind is Kind.MISSING:
        return ArtifactCheck(ArtifactState.MISSING, joined, f"artefact {joined} does not exist")
    if resolved.kind is Kind.DIRECTORY:
        return ArtifactCheck(
            ArtifactState.NOT_A_FILE, joined, f"artefact {joined} is a directory, not a file"
        )
    if resolved.path != joined and (refusal := forbidden_reason(record_folder, resolved.path, cache)):
        return ArtifactCheck(
            ArtifactState.FORBIDDEN, artifact,
            f"artefact path {artifact!r} is a symbolic link to {resolved.path}, which {refusal}",
        )
    try:
        actual = sha256_of(tree, resolved.path)
    except OSError as exc:
        return ArtifactCheck(ArtifactState.UNREADABLE, joined, f"artefact {joined}: {exc.strerror}")
    if expected is None or actual != expected.strip().lower():
        return ArtifactCheck(
            ArtifactState.HASH_MISMATCH, joined,
            f"artefact {joined} has SHA-256 {actual}, but the record says {expected or 'nothing'}",
            actual, resolved.path,
        )
    return ArtifactCheck(ArtifactState.OK, joined, "", actual, resolved.path)


_NOT_CONTENT = {".git": "git's own files", ".rai-graph-cache": "rai-graph's cache"}
_ORGANISATION = "_organisation"


def cache_inside(tree: RepositoryTree) -> str | None:
    """The folder ``RAI_GRAPH_CACHE_DIR`` names, relative to the repository, when it lies inside it
    (under another name than ``.rai-graph-cache``): its packs hold every file's parsed triples."""
    configured = cache_directory(tree.location)
    if configured == tree.location / CACHE_FOLDER:
        return None
    try:
        relative = os.path.relpath(os.path.realpath(configured), os.path.realpath(tree.location))
    except ValueError:  # another drive
        return None
    if relative == os.curdir or relative.split(os.sep)[0] == os.pardir:
        return None
    return relative.replace(os.sep, "/")


def forbidden_reason(record_folder: str, path: str, cache: str | None = None) -> str | None:
    """Why the repository file ``path`` is not for a record in ``record_folder`` to name, or None.
    ``cache`` is the configured cache folder when it lies inside the repository.

    Names are compared as Windows and macOS would: ``.GIT\\config`` and ``.git./config`` are
    ``.git/config`` there."""
    if cache is not None and (path == cache or path.startswith(cache + "/")):
        return f"lies in {cache}/ (rai-graph's cache, {CACHE_DIR_VARIABLE}), which is not repository content"
    parts = path.replace("\\", "/").split("/")
    for part in parts:
        if what := _NOT_CONTENT.get(part.casefold().rstrip(". ")):
            return f"lies in {part}/ ({what}), which is not repository content"
    if len(parts) >= 3 and parts[0] == "evidence" and parts[1] != _ORGANISATION:
        own = record_folder.split("/")
        if own[:2] != parts[:2]:
            return (f"lies in another system's evidence folder evidence/{parts[1]}/; a record may name "
                    f"files of its own folder, of evidence/{_ORGANISATION}/ and outside evidence/")
    return None


def sha256_of(tree: RepositoryTree, relative: str) -> str:
    digest = hashlib.sha256()
    with tree.open(relative) as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


class ArtifactChanged(RaiGraphError):
    """An artefact's bytes differed, while an output copied them, from the bytes the check hashed."""


def release_artifact(
    tree: RepositoryTree, view: AudienceView, evidence: Evidence, sink: BinaryIO
) -> ArtifactCheck | None:
    """Copy ``evidence``'s artefact into ``sink`` if ``view`` may see it, and return its check.

    None (nothing written) unless the check passed, the record is visible and the file may be
    shown (:meth:`AudienceView.releases`). The bytes written are the bytes hashed on the way: when
    they no longer match, :class:`ArtifactChanged` names the record; ``sink`` then holds a partial
    copy the caller must throw away.
    """
    check = view.releases(evidence)
    if check is None or check.source is None:
        return None
    digest = hashlib.sha256()
    with tree.open(check.source) as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
            sink.write(block)
    if digest.hexdigest() != check.actual_sha256:
        raise changed_since_check(evidence, check, digest.hexdigest())
    return check


def changed_since_check(evidence: Evidence, check: ArtifactCheck, now: str) -> ArtifactChanged:
    origin = evidence.origin
    where = origin.file if origin.line is None else f"{origin.file}:{origin.line}"
    return ArtifactChanged(
        f"{where}: artefact {check.path} changed after it was checked (SHA-256 now {now}, checked "
        f"{check.actual_sha256}); it was not copied: run again on a repository nobody is writing to"
    )
