"""Artefact checks: does the file a record names exist inside the repository, with that hash?

Hashes are streamed in 1 MiB blocks so a huge artefact costs time, not memory. Paths are resolved
with symlinks followed and refused when they leave the repository, whether the repository is read
from disk or from a git revision.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from enum import Enum

from rai_graph.load.trees import Kind, RepositoryTree

_BLOCK = 1 << 20


class ArtifactState(Enum):
    OK = "ok"
    MISSING = "missing"
    OUTSIDE = "outside the repository"
    NOT_A_FILE = "not a file"
    HASH_MISMATCH = "hash mismatch"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class ArtifactCheck:
    state: ArtifactState
    path: str
    """The artefact path relative to the repository (as resolved), or as written when outside."""
    detail: str
    actual_sha256: str | None = None

    @property
    def ok(self) -> bool:
        return self.state is ArtifactState.OK


def check_artifact(
    tree: RepositoryTree, record_folder: str, artifact: str, expected: str | None
) -> ArtifactCheck:
    """Check the artefact ``artifact`` named by a record in ``record_folder`` (repo-relative)."""
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
    try:
        actual = sha256_of(tree, resolved.path)
    except OSError as exc:
        return ArtifactCheck(ArtifactState.UNREADABLE, joined, f"artefact {joined}: {exc.strerror}")
    if expected is None or actual != expected.strip().lower():
        return ArtifactCheck(
            ArtifactState.HASH_MISMATCH, joined,
            f"artefact {joined} has SHA-256 {actual}, but the record says {expected or 'nothing'}",
            actual,
        )
    return ArtifactCheck(ArtifactState.OK, joined, "", actual)


def sha256_of(tree: RepositoryTree, relative: str) -> str:
    digest = hashlib.sha256()
    with tree.open(relative) as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()
