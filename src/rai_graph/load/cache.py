"""The on-disk cache that lets ``check`` skip work on files that did not change.

Entries are content-addressed: a key is a hash of everything the cached value depends on (the
file's bytes, rai-graph's version, the SHACL shapes, ...), so a stale entry is simply never looked
up again. Entries of one kind are kept together in a *pack* (one file per kind), read and written
whole: a few large reads are much cheaper than tens of thousands of small ones.

Nothing read back is trusted blindly. Every pack is signed with HMAC-SHA256 under a secret kept in
the user's cache directory (``$XDG_CACHE_HOME/rai-graph/secret``), never in the repository, so a
pack that was corrupted, truncated, written by another version, or committed to the repository by
someone else fails the check and is ignored (the work is redone and the pack rewritten). Packs are
written atomically (a temporary file renamed over the old one), so a crash or a concurrent run
never leaves a half-written pack.

Location: ``.rai-graph-cache/`` in the repository (it contains its own ``.gitignore``), or the
directory named by ``RAI_GRAPH_CACHE_DIR``.

The folder cannot be turned into a weapon: it is opened without following a symbolic link and
every pack is read, written and renamed relative to that open folder (``O_NOFOLLOW``, dir fds),
so a link planted as the folder, a pack or its ``.gitignore`` is never followed, and nothing is
written outside the folder. A folder that is a link, not a folder, owned by another user,
writable by everyone, tracked by git (a committed cache), or holding links is ignored with one
warning on standard error per command; so is a signing secret in such a place. The command
then runs without a cache: never a failure. ``RAI_GRAPH_NO_CACHE=1`` turns the cache off. A CI job
that keeps the folder between runs sets ``RAI_GRAPH_CACHE_SECRET`` (from a CI secret) so that its
runners, each with a fresh home directory, accept what the previous run wrote.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import marshal
import os
import re
import secrets
import stat
import subprocess
import sys
import weakref
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from rai_graph._version import __version__

CACHE_FOLDER = ".rai-graph-cache"
NO_CACHE_VARIABLE = "RAI_GRAPH_NO_CACHE"
CACHE_DIR_VARIABLE = "RAI_GRAPH_CACHE_DIR"
SECRET_VARIABLE = "RAI_GRAPH_CACHE_SECRET"

_MAGIC = b"rai-graph cache\n"
_FORMAT = 1

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
# O_NONBLOCK: a FIFO planted under a pack's name must not hang the open.
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC
_KIND = re.compile(r"[A-Za-z0-9_-]+")
_PREFETCHED: dict[tuple[Path, bytes, str], dict[str, Any]] = {}
"""Packs read ahead by :meth:`Cache.prefetch`, by folder, secret and kind, until first read."""
_GITIGNORE = "# Created by rai-graph: a cache, never to be committed.\n*\n"
_CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                 "# This directory is a cache of rai-graph (https://w3id.org/rai-graph).\n")


def source_files() -> list[Path]:
    """Every module of the rai_graph package (this file sits in rai_graph/load/), sorted."""
    package = Path(__file__).resolve().parents[1]
    return [package / relative for relative in _module_paths(str(package))]


def _module_paths(package: str) -> list[str]:
    """The ``.py`` files under ``package``, relative and sorted (one ``scandir`` per folder: a
    ``Path.rglob`` cost 3 ms of every command's start)."""
    found: list[str] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(os.path.join(package, folder)) as entries:
            for entry in entries:
                relative = f"{folder}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(relative + "/")
                elif entry.name.endswith(".py"):
                    found.append(relative)
    return sorted(found)


def _code_fingerprint() -> str:
    """A hash of rai-graph's own source: a development build that changed any module never reads
    entries an older build wrote, even though its version number did not change."""
    hasher = hashlib.sha256()
    package = str(Path(__file__).resolve().parents[1])
    for relative in _module_paths(package):
        hasher.update(relative.encode())
        with open(os.path.join(package, relative), "rb", buffering=0) as stream:
            hasher.update(stream.readall())
    return hasher.hexdigest()[:16]


# What a cached value may depend on beyond its own key: the tool's code, the cache layout and the
# serialisation (marshal's and pickle's formats change between Python versions).
FINGERPRINT = (f"rai-graph {__version__} ({_code_fingerprint()}); cache {_FORMAT}; "
               f"python {sys.version_info[:2]}")


def digest(*parts: str | bytes) -> str:
    """A key: SHA-256 over ``parts`` (each length-prefixed, so no two lists collide)."""
    hasher = hashlib.sha256(FINGERPRINT.encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def cache_disabled_by_environment() -> bool:
    return os.environ.get(NO_CACHE_VARIABLE, "").strip().lower() not in ("", "0", "false", "no")


def cache_directory(location: Path) -> Path:
    """Where the cache of the repository at ``location`` lives: ``RAI_GRAPH_CACHE_DIR`` or the
    repository's ``.rai-graph-cache/``."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    return Path(configured) if configured else location / CACHE_FOLDER


class Cache:
    """Packs of cached entries in one directory; every failure degrades to 'not cached'.

    ``identity`` is the (device, inode) of the folder as it was checked: every operation reopens
    the folder without following links and gives up if it is no longer that folder.
    """

    def __init__(self, directory: Path, secret: bytes, identity: tuple[int, int]) -> None:
        self.directory = directory
        self._secret = secret
        self._identity = identity
        self._writable = True

    def read_only(self) -> Cache:
        """The same packs, never written: for a run that sees part of the repository, whose
        entries would crowd out the whole repository's."""
        view = Cache(self.directory, self._secret, self._identity)
        view._writable = False
        return view

    @classmethod
    def for_repository(cls, location: Path) -> Cache | None:
        """The cache of the repository at ``location``; None when disabled or unusable."""
        if cache_disabled_by_environment():
            return None
        directory = cache_directory(location)
        secret = _secret()
        if secret is None:
            return None
        identity = _claim_folder(directory)
        return cls(directory, secret, identity) if identity is not None else None

    def prefetch(self, *kinds: str) -> None:
        """Read packs ``kinds`` now, for the next :meth:`read` of each (by any cache object of this
        folder and secret): a process waiting for another may read what it will need meanwhile.
        A prefetched pack is given out once, and dropped when written, so no read is stale."""
        for kind in kinds:
            _PREFETCHED[(self.directory, self._secret, kind)] = self._read(kind)

    def read(self, kind: str) -> dict[str, Any]:
        """The entries of pack ``kind``; empty if missing, unreadable, corrupt or foreign."""
        found = _PREFETCHED.pop((self.directory, self._secret, kind), None)
        return found if found is not None else self._read(kind)

    def _read(self, kind: str) -> dict[str, Any]:
        name = _pack_name(kind)
        try:
            with self._folder() as folder:
                blob = _read_regular(folder, name)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                _warn(f"ignoring {self.directory / name}: it is a symbolic link")
            return {}
        if blob is None:
            _warn(f"ignoring {self.directory / name}: it is not a regular file")
            return {}
        header = len(_MAGIC) + 32
        if len(blob) < header or not blob.startswith(_MAGIC):
            return {}
        # A view, not a slice: a pack can be hundreds of MB, and a copy would double the peak.
        signature, payload = blob[len(_MAGIC):header], memoryview(blob)[header:]
        if not hmac.compare_digest(signature, self._sign(kind, payload)):
            _warn(f"ignoring packs in {self.directory}: not signed with this user's cache secret "
                  "(written by someone else, or damaged); they are rebuilt")
            return {}
        try:
            # Only ever reached for bytes this user's rai-graph wrote (the signature matched).
            fingerprint, entries = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return {}
        if fingerprint != FINGERPRINT or not isinstance(entries, dict):
            return {}
        return entries

    def write(self, kind: str, entries: Mapping[str, Any]) -> None:
        """Replace pack ``kind`` atomically; a cache that cannot be written is silently skipped."""
        if not self._writable:
            return
        _PREFETCHED.pop((self.directory, self._secret, kind), None)
        try:
            payload = marshal.dumps((FINGERPRINT, dict(entries)))
        except ValueError:
            return  # a value marshal cannot store: a bug, but never worth failing a check for
        # Written in its parts, never joined: a joined copy would double the peak memory.
        parts = (_MAGIC, self._sign(kind, payload), payload)
        name = _pack_name(kind)
        try:
            with self._folder() as folder:
                _replace_in(folder, name, parts)
        except OSError:
            return

    def prune(self, prefix: str, *, keep: int) -> None:
        """Remove all but the ``keep`` most recently written packs whose kind starts with ``prefix``."""
        if not self._writable:
            return
        try:
            with self._folder() as folder:
                with os.scandir(folder) as entries:
                    packs = sorted(
                        (entry.stat(follow_symlinks=False).st_mtime_ns, entry.name) for entry in entries
                        if entry.name.startswith(prefix) and entry.name.endswith(".pack")
                        and entry.is_file(follow_symlinks=False))
                for _written, stale in packs[:-keep] if keep else packs:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(stale, dir_fd=folder)
        except OSError:
            return

    def _sign(self, kind: str, payload: bytes | memoryview) -> bytes:
        signer = hmac.new(self._secret, kind.encode() + b"\0", hashlib.sha256)
        signer.update(payload)
        return signer.digest()

    @contextlib.contextmanager
    def _folder(self) -> Iterator[int]:
        """The cache folder, opened without following links; OSError if it is not the one checked."""
        folder = os.open(self.directory, _FOLDER_FLAGS)
        try:
            info = os.fstat(folder)
            if (info.st_dev, info.st_ino) != self._identity:
                raise OSError(errno.ESTALE, "the cache folder was replaced")
            yield folder
        finally:
            os.close(folder)


def _pack_name(kind: str) -> str:
    if not _KIND.fullmatch(kind):
        raise ValueError(f"not a pack kind: {kind!r}")  # kinds are ours, never a user's
    return f"{kind}.pack"


def _claim_folder(directory: Path) -> tuple[int, int] | None:
    """Open (or create) the cache folder and check it is safe to use; its identity, or None."""
    created = False
    try:
        folder = os.open(directory, _FOLDER_FLAGS)
    except FileNotFoundError:
        try:
            directory.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(directory, 0o700)
            created = True
        except FileExistsError:
            pass  # another run made it first, or something was planted: checked as it is opened
        except OSError:
            return None
        return _claim_folder_again(directory, created)
    except OSError as exc:
        _warn_unusable(directory, exc)
        return None
    return _checked(directory, folder, created)


def _claim_folder_again(directory: Path, created: bool) -> tuple[int, int] | None:
    try:
        folder = os.open(directory, _FOLDER_FLAGS)
    except OSError as exc:
        _warn_unusable(directory, exc)
        return None
    return _checked(directory, folder, created)


def _warn_unusable(directory: Path, exc: OSError) -> None:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        _warn(f"ignoring the cache {directory}: it is {_not_a_folder(directory)}")
    # anything else (no permission, read-only disk): quietly no cache, as before


def _not_a_folder(path: Path) -> str:
    """Why opening ``path`` as a folder without following links failed (Linux says ENOTDIR for both)."""
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        is_link = False
    return "a symbolic link (never followed)" if is_link else "not a folder"


def _checked(directory: Path, folder: int, created: bool) -> tuple[int, int] | None:
    try:
        info = os.fstat(folder)
        problem = _ownership_problem(info)
        if problem is None:
            problem = _content_problem(folder)
        if problem is None and not created:
            problem = _tracked_problem(directory)
        if problem is not None:
            _warn(f"ignoring the cache {directory}: {problem}")
            return None
        _mark(folder)
        return info.st_dev, info.st_ino
    except OSError:
        return None
    finally:
        os.close(folder)


def _ownership_problem(info: os.stat_result) -> str | None:
    if info.st_uid != os.geteuid():
        return f"it belongs to another user (uid {info.st_uid})"
    if info.st_mode & stat.S_IWOTH and not info.st_mode & stat.S_ISVTX:
        return "anyone may write in it (chmod o-w it to use it)"
    return None


def _content_problem(folder: int) -> str | None:
    """A symbolic link (or a device, a FIFO) anywhere in the folder: planted, never ours."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                return f"it holds a symbolic link ({entry.name})"
            if not entry.is_file(follow_symlinks=False):
                return f"it holds something other than files ({entry.name})"
    return None


def _tracked_problem(directory: Path) -> str | None:
    """A cache committed to git: tracked files under the folder (git absent: nothing to ask)."""
    try:
        done = subprocess.run(["git", "-C", str(directory), "ls-files", "-z", "--", "."],
                              capture_output=True, timeout=30, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode == 0 and done.stdout.strip(b"\0"):
        return ("git tracks files in it: a committed cache is never trusted "
                f"(git rm -r --cached {directory.name} removes it from the index)")
    return None


def _mark(folder: int) -> None:
    """The folder's own .gitignore and CACHEDIR.TAG, created beside the packs, never through a link."""
    for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
        try:
            handle = os.open(name, _CREATE_FLAGS, 0o644, dir_fd=folder)
        except FileExistsError:
            continue
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)


def _read_regular(folder: int, name: str) -> bytes | None:
    """The bytes of regular file ``name`` in ``folder`` (never through a link); None if not regular."""
    handle = os.open(name, _READ_FLAGS, dir_fd=folder)
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            return None
        return stream.read()


def _replace_in(folder: int, name: str, parts: Iterable[bytes]) -> None:
    """Write ``parts`` as ``name`` in ``folder`` atomically: a fresh temporary file renamed over it."""
    temporary = f".{name}.{secrets.token_hex(8)}.tmp"
    handle = os.open(temporary, _CREATE_FLAGS, 0o600, dir_fd=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            for part in parts:
                stream.write(part)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary, dir_fd=folder)


# Once per stream: a command run (its own stderr, even under click's CliRunner) warns once.
_warned: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def _warn(message: str) -> None:
    stream = sys.stderr
    try:
        seen = _warned.setdefault(stream, set())
    except TypeError:  # a stream that cannot be weakly referenced: warn every time
        seen = set()
    if message in seen:
        return
    seen.add(message)
    print(f"rai-graph: warning: {message}", file=stream)


def _secret() -> bytes | None:
    """This user's signing secret, created on first use; None if it cannot be read or made.

    ``RAI_GRAPH_CACHE_SECRET`` gives one instead, for CI runners that restore the cache folder
    between runs (from a secret the pull requests of strangers cannot read). The secret's folder
    and file are opened without following links and must be this user's alone: a secret someone
    else could read or plant would let them forge packs.
    """
    given = os.environ.get(SECRET_VARIABLE)
    if given:
        return hashlib.sha256(given.encode("utf-8", "surrogatepass")).digest()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    place = Path(base) / "rai-graph"
    try:
        Path(base).mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(FileExistsError):
            os.mkdir(place, 0o700)
        folder = os.open(place, _FOLDER_FLAGS)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            _warn(f"not using the cache: {place} is {_not_a_folder(place)}")
        return None
    try:
        info = os.fstat(folder)
        if info.st_uid != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            _warn(f"not using the cache: {place} is not this user's alone (chmod go-w it)")
            return None
        return _read_or_make_secret(folder, place)
    except OSError:
        return None
    finally:
        os.close(folder)


def _read_or_make_secret(folder: int, place: Path) -> bytes | None:
    try:
        secret = _read_secret(folder, place)
    except FileNotFoundError:
        temporary = f".secret.{secrets.token_hex(8)}"
        handle = os.open(temporary, _CREATE_FLAGS, 0o600, dir_fd=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(os.urandom(32))
            # Two runs racing to create it: the first link wins and both then read the winner.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, "secret", src_dir_fd=folder, dst_dir_fd=folder)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary, dir_fd=folder)
        secret = _read_secret(folder, place)
    return secret if secret is not None and len(secret) >= 32 else None


def _read_secret(folder: int, place: Path) -> bytes | None:
    try:
        handle = os.open("secret", _READ_FLAGS, dir_fd=folder)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            _warn(f"not using the cache: {place / 'secret'} is a symbolic link")
            return None
        raise
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
            _warn(f"not using the cache: {place / 'secret'} is not a file only this user can read")
            return None
        return stream.read(4096)
