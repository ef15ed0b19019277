"""Artefact checks: does the file a record names exist inside the repository, with that hash?

Hashes are streamed in 1 MiB blocks so a huge artefact costs time, not memory. Paths are resolved
with symlinks followed and refused when they leave the repository.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath

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

    @property
    def ok(self) -> bool:
        return self.state is ArtifactState.OK


def check_artifact(root: Path, record_folder: str, artifact: str, expected: str | None) -> ArtifactCheck:
    """Check the artefact ``artifact`` named by a record in ``record_folder`` (repo-relative)."""
    written = PurePosixPath(artifact)
    if written.is_absolute() or artifact.startswith("\\") or (len(artifact) > 1 and artifact[1] == ":"):
        return ArtifactCheck(
            ArtifactState.OUTSIDE, artifact,
            f"artefact path {artifact!r} is absolute; it must be relative to the record's folder",
        )
    candidate = root / record_folder / artifact
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError) as exc:  # symlink loops, permission problems
        return ArtifactCheck(ArtifactState.UNREADABLE, artifact, f"artefact {artifact!r}: {exc}")
    if not resolved.is_relative_to(root):
        return ArtifactCheck(
            ArtifactState.OUTSIDE, artifact,
            f"artefact path {artifact!r} leaves the repository",
        )
    relative = resolved.relative_to(root).as_posix()
    if not resolved.exists():
        return ArtifactCheck(ArtifactState.MISSING, relative, f"artefact {relative} does not exist")
    if not resolved.is_file():
        return ArtifactCheck(
            ArtifactState.NOT_A_FILE, relative, f"artefact {relative} is not a regular file"
        )
    try:
        actual = sha256_of(resolved)
    except OSError as exc:
        return ArtifactCheck(ArtifactState.UNREADABLE, relative, f"artefact {relative}: {exc}")
    if expected is None or actual != expected.strip().lower():
        return ArtifactCheck(
            ArtifactState.HASH_MISMATCH, relative,
            f"artefact {relative} has SHA-256 {actual}, but the record says {expected or 'nothing'}",
        )
    return ArtifactCheck(ArtifactState.OK, relative, "")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()
