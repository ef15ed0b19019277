"""Where repository files come from: the working tree on disk, or a git revision's objects.

Both give the same view — relative POSIX paths, symlinks resolved and refused when they leave the
repository — so the loader and the artefact checks never care which one they read. Reading a
revision goes straight to git objects (gitpython): no checkout, no temporary clone.
"""

from __future__ import annotations

import os
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

    def _resolve_slowly(self, relative: str) -> Resolved:
        candidate = self._root / relative
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):  # symlink loops
            return Resolved(Kind.MISSING, relative)
        if not resolved.is_relative_to(self._root):
            return Resolved(Kind.OUTSIDE, relative)
        path = resolved.relative_to(self._root).as_posix()
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
        found: list[str] = []
        for directory, subdirs, names in os.walk(os.path.join(self._top, folder), followlinks=False):
            prefix = directory[len(self._top) + 1:] + "/"
            for name in subdirs:
                if os.path.islink(os.path.join(directory, name)):
                    names.append(name)  # a symlink to a directory is an entry, not a folder to walk
            found.extend(prefix + name for name in names)
        return iter(sorted(found))

    def directories_under(self, folder: str) -> Iterator[str]:
        found: list[str] = []
        for directory, subdirs, _names in os.walk(os.path.join(self._top, folder), followlinks=False):
            prefix = directory[len(self._top) + 1:] + "/"
            found.extend(prefix + name for name in subdirs
                         if not os.path.islink(os.path.join(directory, name)))
        return iter(sorted(found))


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
        return Resolved(Kind.DIRECTORY if stat.S_ISDIR(mode) else Kind.FILE, path)

    def open(self, relative: str) -> BinaryStream:
        _mode, item = self._entries[relative]
        return _BlobReader(item)

    def files_under(self, folder: str) -> Iterator[str]:
        prefix = folder.rstrip("/") + "/"
        return iter(sorted(p for p, (mode, _) in self._entries.items()
                           if p.startswith(prefix) and not stat.S_ISDIR(mode)))

    def directories_under(self, folder: str) -> Iterator[str]:
        prefix = folder.rstrip("/") + "/"
        return iter(sorted(p for p, (mode, _) in self._entries.items()
                           if p.startswith(prefix) and stat.S_ISDIR(mode)))


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
