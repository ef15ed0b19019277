"""Where repository files come from: the working tree on disk, or a git revision's objects.

Both give the same view — relative POSIX paths, symlinks resolved and refused when they leave the
repository — so the loader and the artefact checks never care which one they read. Reading a
revision goes straight to git objects (gitpython): no checkout, no temporary clone.

A git submodule (or any nested git repository) is foreign content: its files are reviewed, if at
all, in another repository, and a revision holds only a pointer to them. Both trees therefore
treat it alike: never listed, never walked, and a path into it resolves to ``Kind.SUBMODULE``.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

_MAX_SYMLINK_HOPS = 40


class Kind(Enum):
    FILE = "file"
    DIRECTORY = "directory"
    MISSING = "missing"
    OUTSIDE = "outside"
    SUBMODULE = "submodule"
    """Inside (or at) a git submodule or nested git repository: not this repository's content."""


_GITLINK = 0o160000
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_UNDECODABLE = re.compile(r"[\udc80-\udcff]")  # the bytes os.fsdecode could not decode


def printable(text: str) -> str:
    """``text`` safe for any line-oriented output: control characters, line and paragraph
    separators and undecodable bytes (a non-UTF-8 file name) shown as escapes (``\\n``,
    ``\\xe9``), so a name can never start a new line of a log or a workflow command."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if "\udc80" <= character <= "\udcff":  # a byte os.fsdecode could not decode
        return f"\\x{ord(character) - 0xDC00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(character, f"\\u{ord(character):04x}")


def name_problem(relative: str) -> str | None:
    """Why a repository path cannot be a record's name (shown with :func:`printable`), or None."""
    # One regex search: the surrogate range is part of _UNPRINTABLE (a loop over the characters
    # cost 0.1 s over the 34,000 paths of 1,000 systems).
    if not _UNPRINTABLE.search(relative):
        return None
    if _UNDECODABLE.search(relative):
        return "has a name that is not valid UTF-8; rename it"
    return "has a name with a line break or another control character; rename it"


@dataclass(frozen=True, slots=True)
class Resolved:
    kind: Kind
    path: str
    """Repository-relative path after following symlinks (as written when outside)."""


class BinaryStream(Protocol):
    """What reading an artefact needs: block reads and a context manager."""

    def read(self, size: int = -1, /) -> bytes: ...

    def __enter__(self) -> BinaryStream: ...

    def __exit__(self, *exc_info: Any) -> Any: ...


class RepositoryTree(Protocol):
    """Read-only access to one version of a governance repository."""

    @property
    def label(self) -> str:
        """``worktree`` or the commit's sha."""
        ...

    @property
    def location(self) -> Path:
        """The repository's directory on disk (for messages and git access)."""
        ...

    def resolve(self, relative: str) -> Resolved: ...

    def open(self, relative: str) -> BinaryStream:
        """Open a path that :meth:`resolve` called a file."""
        ...

    def files_under(self, folder: str) -> Iterator[str]:
        """Every entry below ``folder`` that is not a directory (symlinks included), sorted."""
        ...

    def directories_under(self, folder: str) -> Iterator[str]: ...


def read_bytes(tree: RepositoryTree, relative: str) -> bytes:
    if isinstance(tree, WorkTree):
        return tree.read(relative)
    with tree.open(relative) as stream:
        return stream.read()


class WorkTree:
    """The repository as it is on disk, uncommitted changes included."""

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()
        self._top = str(self._root)
        self._real_directories: dict[str, str] = {}
        self._nested: dict[str, bool] = {}

    @property
    def label(self) -> str:
        return "worktree"

    @property
    def location(self) -> Path:
        return self._root

    def resolve(self, relative: str) -> Resolved:
        # Fast path for the common case (tens of thousands of files per run): a plain path whose
        # last component is not a symlink. Its folder's real path is worked out once per folder.
        parent, _, name = relative.rpartition("/")
        if name and _plain(parent):
            folder = self._real_directory(parent)
            full = f"{folder}/{name}"
            try:
                mode = os.lstat(full).st_mode
            except OSError:
                mode = None
            if mode is not None and not stat.S_ISLNK(mode) and full.startswith(self._top + "/"):
                path = full[len(self._top) + 1:]
                if self._in_nested_repository(folder) or (stat.S_ISDIR(mode) and _is_repository(full)):
                    return Resolved(Kind.SUBMODULE, path)
                if stat.S_ISREG(mode):
                    return Resolved(Kind.FILE, path)
                if stat.S_ISDIR(mode):
                    return Resolved(Kind.DIRECTORY, path)
        return self._resolve_slowly(relative)

    def _real_directory(self, parent: str) -> str:
        found = self._real_directories.get(parent)
        if found is None:
            found = os.path.realpath(os.path.join(self._top, parent) if parent else self._top)
            self._real_directories[parent] = found
        return found

    def _in_nested_repository(self, real_folder: str) -> bool:
        """Whether the real folder ``real_folder`` (absolute, inside the root) lies in a nested git
        repository: it or a folder between it and the root holds a ``.git`` entry."""
        found = self._nested.get(real_folder)
        if found is None:
            if real_folder == self._top or not real_folder.startswith(self._top + "/"):
                found = False
            else:
                found = _is_repository(real_folder) or self._in_nested_repository(os.path.dirname(real_folder))
            self._nested[real_folder] = found
        return found

    def _resolve_slowly(self, relative: str) -> Resolved:
        candidate = self._root / relative
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError, ValueError):  # symlink loops, NUL bytes
            return Resolved(Kind.MISSING, relative)
        if not resolved.is_relative_to(self._root):
            return Resolved(Kind.OUTSIDE, relative)
        path = resolved.relative_to(self._root).as_posix()
        folder = resolved if resolved.is_dir() else resolved.parent
        if resolved != self._root and self._in_nested_repository(str(folder)):
            return Resolved(Kind.SUBMODULE, path)
        if resolved.is_file():
            return Resolved(Kind.FILE, path)
        if resolved.is_dir():
            return Resolved(Kind.DIRECTORY, path)
        return Resolved(Kind.MISSING, path)

    def open(self, relative: str) -> BinaryStream:
        return open(f"{self._top}/{relative}", "rb")

    def read(self, relative: str) -> bytes:
        with open(f"{self._top}/{relative}", "rb") as stream:
            return stream.read()

    def files_under(self, folder: str) -> Iterator[str]:
        return iter(self.listings_under(folder)[0])

    def directories_under(self, folder: str) -> Iterator[str]:
        return iter(self.listings_under(folder)[1])

    def submodules_under(self, folder: str) -> Iterator[str]:
        """The nested git repositories (submodules) below ``folder``, which the walks skip."""
        return iter(self.listings_under(folder)[2])

    def listings_under(self, folder: str) -> tuple[list[str], list[str], list[str]]:
        """What :meth:`files_under`, :meth:`directories_under` and :meth:`submodules_under` list,
        from one walk (sorted): it never enters a nested git repository (listing each as a
        submodule) and never follows a symbolic link (one to a directory is listed as a file).

        One ``scandir`` per folder and no other system call for plain entries: a folder is a
        nested repository when its own listing holds ``.git`` (``os.walk`` with a ``.git`` test
        and a link test per folder took a third of a one-changed-file check's look for changes).
        """
        files: list[str] = []
        directories: list[str] = []
        nested: list[str] = []
        top = os.path.join(self._top, folder)
        if self._in_nested_repository(os.path.realpath(top)):
            return files, directories, [folder.rstrip("/")]
        start = len(self._top) + 1
        pending = [top]
        while pending:
            directory = pending.pop()
            try:
                with os.scandir(directory) as listing:
                    entries = list(listing)
            except OSError:  # unreadable: listed by its parent, its content unknown (as os.walk)
                entries = []
            relative = directory[start:]
            if directory != top:
                if any(entry.name == ".git" for entry in entries):  # what _is_repository asks
                    nested.append(relative)
                    continue
                directories.append(relative)
            prefix = relative + "/"
            for entry in entries:
                try:
                    folder_entry = entry.is_dir(follow_symlinks=False)  # a directory, not a link to one
                except OSError:
                    folder_entry = False
                if folder_entry:
                    pending.append(entry.path)
                else:
                    files.append(prefix + entry.name)
        return sorted(files), sorted(directories), sorted(nested)


def _is_repository(directory: str) -> bool:
    """A folder holding ``.git`` (a directory, or the file a submodule or worktree has)."""
    return os.path.lexists(os.path.join(directory, ".git"))


def _plain(folder: str) -> bool:
    """A relative folder path with no empty, ``.`` or ``..`` component (or the top itself)."""
    return not folder or (not folder.startswith("/") and all(
        part not in ("", ".", "..") for part in folder.split("/")))


class GitTree:
    """The repository as recorded in one commit, read from git objects."""

    def __init__(self, location: Path, revision: str) -> None:
        import git  # imported here: only revisions need gitpython

        from rai_graph.errors import RaiGraphError

        try:
            repository = git.Repo(location, search_parent_directories=True)
            commit = repository.commit(revision)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
            raise RaiGraphError(f"{location} is not inside a git repository") from exc
        except (git.BadName, ValueError, git.GitCommandError) as exc:
            raise RaiGraphError(f"unknown git revision {revision!r}") from exc
        top = Path(repository.working_tree_dir or location).resolve()
        prefix = Path(location).resolve().relative_to(top).as_posix()
        self._location = Path(location).resolve()
        self._sha = commit.hexsha
        self._entries: dict[str, tuple[int, Any]] = {}
        tree = commit.tree if prefix in ("", ".") else commit.tree / prefix
        for item in tree.traverse():
            if isinstance(item, tuple):
                continue
            full = str(item.path)
            path = full[len(prefix) + 1:] if prefix not in ("", ".") else full
            self._entries[path] = (int(item.mode), item)

    def _kind_of(self, mode: int) -> Kind:
        if mode & 0o170000 == _GITLINK:
            return Kind.SUBMODULE
        return Kind.DIRECTORY if stat.S_ISDIR(mode) else Kind.FILE

    @property
    def label(self) -> str:
        return self._sha

    @property
    def location(self) -> Path:
        return self._location

    def resolve(self, relative: str) -> Resolved:
        parts: list[str] = []
        pending = [p for p in relative.split("/") if p not in ("", ".")]
        hops = 0
        while pending:
            part = pending.pop(0)
            if part == "..":
                if not parts:
                    return Resolved(Kind.OUTSIDE, relative)
                parts.pop()
                continue
            parts.append(part)
            entry = self._entries.get("/".join(parts))
            if entry is None:
                return Resolved(Kind.MISSING, "/".join(parts + pending))
            mode, item = entry
            if mode & 0o170000 == _GITLINK:
                return Resolved(Kind.SUBMODULE, "/".join(parts + pending))
            if stat.S_ISLNK(mode):
                hops += 1
                target = item.data_stream.read().decode("utf-8", "replace")
                if hops > _MAX_SYMLINK_HOPS or target.startswith("/"):
                    return Resolved(Kind.OUTSIDE, relative)
                # Continue from the link's folder with the target's components.
                link_folder = parts[:-1]
                target_parts = [p for p in target.split("/") if p not in ("", ".")]
                pending = [*link_folder, *target_parts, *pending]
                parts = []
        path = "/".join(parts)
        if not path:
            return Resolved(Kind.DIRECTORY, path)
        mode, _item = self._entries[path]
        return Resolved(self._kind_of(mode), path)

    def open(self, relative: str) -> BinaryStream:
        _mode, item = self._entries[relative]
        return _BlobReader(item)

    def files_under(self, folder: str) -> Iterator[str]:
        prefix = folder.rstrip("/") + "/"
        return iter(sorted(p for p, (mode, _) in self._entries.items()
                           if p.startswith(prefix) and self._kind_of(mode) is Kind.FILE))

    def directories_under(self, folder: str) -> Iterator[str]:
        prefix = folder.rstrip("/") + "/"
        return iter(sorted(p for p, (mode, _) in self._entries.items()
                           if p.startswith(prefix) and stat.S_ISDIR(mode)))

    def submodules_under(self, folder: str) -> Iterator[str]:
        """The submodules (gitlink entries) below ``folder``."""
        prefix = folder.rstrip("/") + "/"
        return iter(sorted(p for p, (mode, _) in self._entries.items()
                           if p.startswith(prefix) and self._kind_of(mode) is Kind.SUBMODULE))


class _BlobReader:
    """A minimal binary stream over a git blob, readable in blocks."""

    def __init__(self, blob: Any) -> None:
        self._stream = blob.data_stream

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._stream.read() if size is None or size < 0 else self._stream.read(size)
        return data

    def __enter__(self) -> _BlobReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None
