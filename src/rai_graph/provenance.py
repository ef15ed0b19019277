"""Provenance stage: which commit added each file and which last changed it.

One ``git log`` over the history gives, for every path of the repository, every commit that
changed it since it was (last) added: sha, author, e-mail, date. Merge commits count where they
change a file beyond what their parents held (an "evil merge", ``--cc``): a change hidden in a
merge is still somebody's change. Renderers show the first and last next to evidence; the status
engine uses them for the optional commit-date freshness fallback and for strict approvals (every
commit that wrote the approval's file must be the approver's, optionally signed with their key,
and the working tree must hold the file as committed).

Outside a git repository, or for files not committed yet, there is simply no provenance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rai_graph.checkout import git_output, place_of
from rai_graph.load.cache import Cache, digest

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
    changes: tuple[CommitInfo, ...]
    """Every commit that wrote the file since it was (last) added, oldest first."""

    @property
    def added(self) -> CommitInfo:
        return self.changes[0]

    @property
    def last_changed(self) -> CommitInfo:
        return self.changes[-1]


@dataclass(frozen=True, slots=True)
class Signature:
    """What git says of a commit's signature: whether it verifies, and the key that made it."""

    verifies: bool
    fingerprints: frozenset[str]
    """The signing key's fingerprint and its primary key's (OpenPGP subkeys), as git prints them."""


@dataclass(slots=True)
class Provenance:
    """Provenance of every committed file, by repository-relative path."""

    history: dict[str, tuple[CommitInfo, ...]] = field(default_factory=dict)
    """Every commit that wrote each file since it was (last) added, oldest first: plain tuples,
    a :class:`FileProvenance` made for the files asked about (making one for each of the 33,000
    files of 1,000 systems took a third of reading git's log)."""
    location: Path | None = None
    working_tree: bool = False
    """Whether the files judged are the working tree's (which may differ from the commit)."""
    _signatures: dict[str, Signature] = field(default_factory=dict)
    _edited: frozenset[str] | None = None

    _made: dict[str, FileProvenance] = field(default_factory=dict)

    def of(self, path: str) -> FileProvenance | None:
        made = self._made.get(path)
        if made is None:
            changes = self.history.get(path)
            if changes is None:
                return None
            made = self._made[path] = FileProvenance(changes)
        return made

    def edited_since_commit(self, path: str) -> bool:
        """Whether the working tree holds ``path`` otherwise than the commit judged (HEAD).

        Asked only under strict approvals; one ``git diff`` answers for every file (through git's
        own filters, so line-ending conversion is not an edit).
        """
        if not self.working_tree or self.location is None:
            return False
        if self._edited is None:
            self._edited = _edited_files(self.location)
        return path in self._edited

    @property
    def consulted_signatures(self) -> bool:
        """Whether any commit's signature was verified (the answer depends on keyrings outside
        the repository, so such a run is never replayed: :mod:`rai_graph.replay`)."""
        return bool(self._signatures)

    def signature(self, sha: str) -> Signature:
        """What git says of the commit's signature (cached): it verifies when ``git`` accepts it
        with the keys this machine trusts (OpenPGP keyring, ``gpg.ssh.allowedSignersFile``)."""
        if sha not in self._signatures:
            self._signatures[sha] = _signature(self.location, sha)
        return self._signatures[sha]


PACK = "provenance"
"""The cache pack of git's history per commit: a run whose commit did not change (a pre-commit
hook, a check after an edit) reads it instead of walking the history again."""
_KEPT_COMMITS = 4
"""Histories kept in the pack: the latest commit's and a few before (branch switches)."""


def read_provenance(
    location: Path, revision: str = "HEAD", *, working_tree: bool = False, cache: Cache | None = None,
) -> Provenance:
    """Provenance of the files of the repository at ``location`` as of ``revision``; with
    ``working_tree``, the files judged are the working tree's, so edits since HEAD are told apart.

    With ``cache``, git's account of the history is kept by the commit's sha (and the folder's
    place in its checkout): a commit's history never changes, so the same commit is never
    walked twice (the replay of :mod:`rai_graph.replay` makes the same assumption).
    """
    found = _checkout(location, revision)
    if found is None:  # no repository, no git, no such commit (or none yet), or outside the checkout
        return Provenance(location=location, working_tree=working_tree)
    top, scope, sha = found
    key = digest("provenance", sha, *scope)
    kept = cache.read(PACK) if cache is not None else {}
    output = kept.get(key)
    if not isinstance(output, str):
        output = git_output(top, "log", sha, "--no-renames", "--name-status", "--reverse", "--cc",
                      f"--format={_RECORD}%H{_FIELD}%an{_FIELD}%ae{_FIELD}%aI", *scope)
        if output is None:
            return Provenance(location=location, working_tree=working_tree)
        if cache is not None:
            entries = {key: output}
            for other, history in kept.items():
                if len(entries) >= _KEPT_COMMITS:
                    break
                entries.setdefault(other, history)
            cache.write(PACK, entries)
    return Provenance(history=_parse_log(output), location=location, working_tree=working_tree)


def _checkout(location: Path, revision: str | None = None) -> tuple[Path, list[str], str] | None:
    """The checkout's top (git commands run there, as the scope's paths are written), the
    arguments limiting a command to ``location`` with paths relative to it, and ``revision``'s
    commit; None outside a checkout or without such a commit (see :func:`~rai_graph.checkout.place_of`)."""
    place = place_of(location, revision)
    if place is None:
        return None
    top, prefix, sha = place
    folder = prefix.rstrip("/")
    return top, [f"--relative={folder}", "--", folder] if folder else [], sha


def _parse_log(output: str) -> dict[str, tuple[CommitInfo, ...]]:
    history: dict[str, tuple[CommitInfo, ...]] = {}
    for chunk in output.split(_RECORD):
        if not chunk.strip():
            continue
        header, *paths = chunk.split("\n")
        sha, author, email, date = header.split(_FIELD)
        commit = CommitInfo(sha, author, email, dt.datetime.fromisoformat(date))
        for line in paths:
            tab = line.find("\t")  # a line is "<status>\t<path>"
            if tab < 0 or tab == len(line) - 1:
                continue
            path = line[tab + 1:]
            if line[0] == "D":
                history.pop(path, None)
                continue
            previous = history.get(path)
            if previous is None:
                history[path] = (commit,)
            elif previous[-1] is not commit:  # a merge lists a path once per parent
                history[path] = (*previous, commit)
    return history


def _edited_files(location: Path) -> frozenset[str]:
    """Paths (relative to ``location``) whose working-tree or staged content differs from HEAD."""
    found = _checkout(location)
    output = git_output(found[0], "diff", "HEAD", "--name-only", "--no-renames", "-z", *found[1]) if found else None
    if output is None:
        return frozenset()
    return frozenset(path for path in output.split("\0") if path)


# %G? is G (good) or U (good, key of unknown trust): either verifies; the key must still be the
# approver's, which the caller checks against the fingerprints listed for them.
_GOOD = ("G", "U")


def _signature(location: Path | None, sha: str) -> Signature:
    shown = git_output(location, "log", "-1", "--no-walk", f"--format=%G?{_FIELD}%GF{_FIELD}%GP", sha) \
        if location is not None else None
    if shown is None:
        return Signature(False, frozenset())
    status, _, rest = shown.strip().partition(_FIELD)
    keys = frozenset(key.upper() if not key.startswith("SHA256:") else key
                     for key in rest.split(_FIELD) if key)
    return Signature(status in _GOOD, keys)
