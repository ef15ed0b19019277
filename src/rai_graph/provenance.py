"""Provenance stage: which commit added each file and which last changed it.

One ``git log`` over the history gives, for every path of the repository, the commit that added
it and the last commit that changed it (sha, author, e-mail, date). Renderers show it next to
evidence; the status engine uses it for the optional commit-date freshness fallback and for strict
approvals (the approval record must be committed by the approver, optionally signed).

Outside a git repository, or for files not committed yet, there is simply no provenance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

_RECORD = "\x1e"
_FIELD = "\x1f"


@dataclass(frozen=True, slots=True)
class CommitInfo:
    sha: str
    author: str
    email: str
    date: dt.datetime


@dataclass(frozen=True, slots=True)
class FileProvenance:
    added: CommitInfo
    last_changed: CommitInfo


@dataclass(slots=True)
class Provenance:
    """Provenance of every committed file, by repository-relative path."""

    files: dict[str, FileProvenance] = field(default_factory=dict)
    location: Path | None = None
    _signatures: dict[str, bool] = field(default_factory=dict)

    def of(self, path: str) -> FileProvenance | None:
        return self.files.get(path)

    @property
    def consulted_signatures(self) -> bool:
        """Whether any commit's signature was verified (the answer depends on keyrings outside
        the repository, so such a run is never replayed: :mod:`rai_graph.replay`)."""
        return bool(self._signatures)

    def signature_verifies(self, sha: str) -> bool:
        """Whether ``git verify-commit`` accepts the commit's signature (cached)."""
        if sha not in self._signatures:
            self._signatures[sha] = _verify_commit(self.location, sha)
        return self._signatures[sha]


def read_provenance(location: Path, revision: str = "HEAD") -> Provenance:
    """Provenance of the files of the repository at ``location`` as of ``revision``."""
    import git

    try:
        repository = git.Repo(location, search_parent_directories=True)
        if not _has_commits(repository):
            return Provenance(location=location)
        top = Path(repository.working_tree_dir or location).resolve()
        prefix = location.resolve().relative_to(top).as_posix()
        arguments = [revision, "--no-renames", "--name-status", "--reverse",
                     f"--format={_RECORD}%H{_FIELD}%an{_FIELD}%ae{_FIELD}%aI"]
        if prefix != ".":
            arguments += [f"--relative={prefix}", "--", prefix]
        output = repository.git.log(*arguments)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError, ValueError):
        return Provenance(location=location)
    return Provenance(files=_parse_log(output), location=location)


def _has_commits(repository: object) -> bool:
    try:
        repository.head.commit  # type: ignore[attr-defined]  # noqa: B018 - raises when unborn
    except ValueError:
        return False
    return True


def _parse_log(output: str) -> dict[str, FileProvenance]:
    files: dict[str, FileProvenance] = {}
    for chunk in output.split(_RECORD):
        if not chunk.strip():
            continue
        header, *paths = chunk.split("\n")
        sha, author, email, date = header.split(_FIELD)
        commit = CommitInfo(sha, author, email, dt.datetime.fromisoformat(date))
        for line in paths:
            status, _, path = line.partition("\t")
            if not path:
                continue
            if status.startswith("D"):
                files.pop(path, None)
                continue
            previous = files.get(path)
            files[path] = FileProvenance(previous.added if previous else commit, commit)
    return files


def _verify_commit(location: Path | None, sha: str) -> bool:
    import git

    if location is None:
        return False
    try:
        git.Repo(location, search_parent_directories=True).git.verify_commit(sha)
    except git.GitCommandError:
        return False
    return True
