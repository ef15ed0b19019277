"""Replaying a command's output when nothing it read has changed.

``check`` and ``status`` are run again and again on a repository that did not change (a
pre-commit hook, an editor, CI re-runs). Their output is a function of what they read: the files
of the repository, read through one :class:`~rai_graph.load.trees.WorkTree`, the commit ``git``
reports as ``HEAD`` (provenance reads its history), the date, the command's options, a few
environment variables and rai-graph's own code. So a run records everything it read —

* every folder listing (``files_under``, ``directories_under``) with its entries,
* every path it resolved, with what it resolved to (symbolic links and their targets included),
* every file it opened, with its ``stat`` signature (size, modification and change time in ns,
  inode), and its content hash when the file changed within :data:`RACY_SECONDS` of the run
  (the file system's clock may not tell such a change from the next one, as git's "racy"
  index entries),

— and stores its output under a key of the rest. A later run with the same key replays the output
only after it listed, resolved and stat-ed all of that again and found it the same, which costs a
few system calls per file instead of parsing, building and judging the repository. Anything that
differs (a changed signature without a stored hash counts as differing) runs the command in full.

Not replayed: runs that asked ``git verify-commit`` about a signature (the answer depends on
keyrings outside the repository), runs that failed, and anything with the cache turned off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import time
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rai_graph.load.cache import Cache, digest
from rai_graph.load.trees import BinaryStream, Resolved, WorkTree
from rai_graph.parallel import InBackground

RACY_SECONDS = 2.0
"""A file modified this close to the run that read it is checked by content, not by ``stat``."""
KEPT_SLOTS = 16
"""Outputs kept per repository: one per combination of command and options in use."""
PACK = "replay"
_LIBRARIES = ("rdflib", "pyoxigraph", "pyshacl", "pydantic")

Signature = tuple[int, int, int, int]
"""``(size, mtime_ns, ctime_ns, inode)`` of a file."""


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a run builds its (acyclic) records.

    Every collection walks every live object; with hundreds of thousands of terms, records and
    recorded file signatures, the collector otherwise costs more than the work (2 s of assessment
    at 1,000 systems, a fifth of a merged run).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _signature(path: str) -> Signature | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def _content_hash(path: str) -> str | None:
    """SHA-256 of a regular file; None for anything else (a FIFO put in its place is never opened)."""
    hasher = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as stream:
            while block := stream.read(1 << 20):
                hasher.update(block)
    except OSError:
        return None
    return hasher.hexdigest()


class RecordingTree(WorkTree):
    """The working tree, remembering everything read through it (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.listings: dict[str, list[str]] = {}
        self.resolutions: dict[str, tuple[str, str]] = {}
        self.opened: dict[str, Signature | None] = {}
        self.generation = ""
        """Names the entries a run writes beside its output (:mod:`rai_graph.splice`), so that a
        later run uses them only with the dependencies written with them."""

    def resolve(self, relative: str) -> Resolved:
        found = super().resolve(relative)
        self.resolutions[relative] = (found.kind.value, found.path)
        return found

    def open(self, relative: str) -> BinaryStream:
        self._note(relative)
        return super().open(relative)

    def read(self, relative: str) -> bytes:
        self._note(relative)
        return super().read(relative)

    def files_under(self, folder: str) -> Iterator[str]:
        found = list(super().files_under(folder))
        self.listings[f"files\0{folder}"] = found
        return iter(found)

    def directories_under(self, folder: str) -> Iterator[str]:
        found = list(super().directories_under(folder))
        self.listings[f"directories\0{folder}"] = found
        return iter(found)

    def submodules_under(self, folder: str) -> Iterator[str]:
        found = list(super().submodules_under(folder))
        self.listings[f"submodules\0{folder}"] = found
        return iter(found)

    def _note(self, relative: str) -> None:
        # The signature is taken before the bytes are read: a change during the read leaves a
        # signature that no longer matches, so the next run is a full one.
        if relative not in self.opened:
            self.opened[relative] = _signature(f"{self.location}/{relative}")

    def dependencies(self) -> dict[str, Any]:
        """What was read, as plain data for the cache (content hashes for racy files)."""
        racy_after = time.time_ns() - int(RACY_SECONDS * 1e9)
        packed = _Packed()
        other: dict[str, tuple[str, str]] = {}
        for relative, found in self.resolutions.items():
            if found == ("file", relative):
                packed.add_plain(relative, self.opened.get(relative, _NOT_READ), self.location, racy_after)
            else:
                other[relative] = found
        for relative, signature in self.opened.items():
            if relative in other or relative not in self.resolutions:
                packed.add_opened(relative, signature, self.location, racy_after)
        listings = {key: "\0".join(entries) for key, entries in self.listings.items()}
        return packed.dependencies(listings, other, self.generation)


_NOT_READ = (-1, -1, -1, -1)
"""The signature slot of a plain path that was resolved but not read (or is recorded apart)."""


class _Packed:
    """Recorded paths in the form the cache keeps: the plain paths as one NUL-joined string
    with their signatures in one array of 64-bit integers, four per path, and the few other
    opened files in a dict. Loading ~33,000 separate strings and tuples for 1,000 systems took
    a third of the time a one-folder check spends outside the pipeline."""

    def __init__(self) -> None:
        self.plain: list[str] = []
        self.signatures = array("q")
        self.opened: dict[str, tuple[Signature | None, str | None]] = {}

    def add_plain(self, relative: str, signature: Signature | None, location: Path, racy_after: int) -> None:
        self.plain.append(relative)
        if signature is not None and signature is not _NOT_READ and not _racy(signature, racy_after):
            try:
                self.signatures.extend(array("q", signature))  # built first: all four or none
                return
            except OverflowError:
                pass  # a value beyond 64 bits (an inode on some file systems): recorded apart
        self.signatures.extend(_NOT_READ)
        if signature is not _NOT_READ:
            self.add_opened(relative, signature, location, racy_after)

    def add_opened(self, relative: str, signature: Signature | None, location: Path, racy_after: int) -> None:
        racy = _racy(signature, racy_after)
        self.opened[relative] = (signature, _content_hash(f"{location}/{relative}") if racy else None)

    def dependencies(self, listings: Mapping[str, str], resolutions: Mapping[str, tuple[str, str]],
                     generation: str) -> dict[str, Any]:
        """The packed form, with ``listings`` (each NUL-joined), ``resolutions`` and ``generation``."""
        return {"listings": dict(listings),
                "plain": "\0".join(self.plain), "signatures": self.signatures.tobytes(),
                "opened": self.opened, "resolutions": dict(resolutions), "generation": generation}


def _racy(signature: Signature | None, racy_after: int) -> bool:
    return signature is None or signature[1] >= racy_after or signature[2] >= racy_after


def _split(joined: str) -> list[str]:
    return joined.split("\0") if joined else []


def _runs(indexes: Sequence[int]) -> Iterator[tuple[int, int]]:
    """The ascending ``indexes`` as ranges ``(start, stop)`` of consecutive ones."""
    start = previous = -2
    for index in indexes:
        if index != previous + 1:
            if start >= 0:
                yield start, previous + 1
            start = index
        previous = index
    if start >= 0:
        yield start, previous + 1


def _plain_recorded(dependencies: Mapping[str, Any]) -> tuple[list[str], list[int]]:
    """The plain paths of packed ``dependencies`` and their signatures, four values per path."""
    recorded = _split(dependencies["plain"])
    signatures = array("q")
    signatures.frombytes(dependencies["signatures"])
    if len(signatures) != 4 * len(recorded):
        raise ValueError("signatures do not match the recorded paths")
    return recorded, signatures.tolist()


BACKGROUND_PATHS = 5000
"""How many recorded paths are worth walking in a second process (~150 systems): below it,
forking costs more than the walk."""


def _differences_and_listings(
    root: Path, dependencies: Mapping[str, Any],
) -> tuple[set[str] | None, dict[str, list[str]]]:
    """:func:`differences` with the listings it found, when something changed (only a run needs
    them; plain data: it may come from a second process)."""
    listings: dict[str, list[str]] = {}
    changed = differences(root, dependencies, listings=listings)
    return changed, listings if changed else {}


def unchanged(root: Path, dependencies: Mapping[str, Any]) -> bool:
    """Whether every listing, resolution and file recorded in ``dependencies`` is as it was.

    A path that resolved to itself as a plain file still does when its folder has no symbolic
    link on the way (one ``lstat`` per folder) and ``lstat`` finds a regular file; that same
    ``lstat`` is the file's signature when it was read. So most files cost one system call.
    """
    return differences(root, dependencies, first_only=True) == set()


def differences(
    root: Path, dependencies: Mapping[str, Any], *, first_only: bool = False,
    listings: dict[str, list[str]] | None = None,
) -> set[str] | None:
    """The recorded paths that are no longer as recorded (a changed folder listing gives the
    entries added or removed); None when ``dependencies`` cannot be read. With ``first_only``,
    stops at the first difference; ``listings`` receives the folder listings as found now."""
    tree = WorkTree(root)
    top = str(tree.location)
    changed: set[str] = set()
    try:
        opened: Mapping[str, tuple[Signature | None, str | None]] = dependencies["opened"]
        recorded, signatures = _plain_recorded(dependencies)
        folders: dict[str, bool] = {"": os.path.realpath(top) == top}

        def real(folder: str) -> bool:
            """Whether ``folder`` is a directory reached through no symbolic link: its parent is,
            and ``lstat`` finds a directory (one call per folder, where ``realpath`` made one
            per component of the path)."""
            unknown = []
            while folder not in folders:  # up to the nearest folder already judged (the top is)
                unknown.append(folder)
                folder = folder.rpartition("/")[0]
            found = folders[folder]
            for folder in reversed(unknown):
                if found:
                    try:
                        found = stat.S_ISDIR(os.lstat(f"{top}/{folder}").st_mode)
                    except OSError:
                        found = False
                folders[folder] = found
            return found

        # In the recorded order (the order the run read them, folder by folder), not a set's:
        # neighbouring paths share the kernel's and the CPU's caches (104 ms against 150-190 ms
        # for the 33,000 paths of 1,000 systems).
        for index, relative in enumerate(recorded):
            parent = relative.rpartition("/")[0]
            same = folders.get(parent)
            if same is None:
                same = real(parent)
            if same:
                try:
                    found = os.lstat(f"{top}/{relative}")
                except OSError:
                    same = False
                else:
                    at = 4 * index
                    size = signatures[at]
                    same = stat.S_ISREG(found.st_mode) and (size < 0 or (
                        size == found.st_size and signatures[at + 1] == found.st_mtime_ns
                        and signatures[at + 2] == found.st_ctime_ns and signatures[at + 3] == found.st_ino))
            if not same:
                changed.add(relative)
                if first_only:
                    return changed
        # The files recorded apart: racy ones (by content), the unsigned and those not plain.
        for relative, (signature, content) in opened.items():
            full = f"{top}/{relative}"
            if content is not None:
                same = _content_hash(full) == content
            else:
                same = signature is not None and _signature(full) == tuple(signature)
            if not same:
                changed.add(relative)
                if first_only:
                    return changed
        walked: dict[str, tuple[list[str], list[str], list[str]]] = {}
        for key, joined in dependencies["listings"].items():
            kind, _, folder = key.partition("\0")
            three = walked.get(folder)
            if three is None:
                three = walked[folder] = tree.listings_under(folder)  # one walk for the three kinds
            listed = three[("files", "directories", "submodules").index(kind)]
            if listings is not None:
                listings[key] = listed
            if "\0".join(listed) != joined:
                changed.update(set(listed).symmetric_difference(_split(joined)) or {folder})
                if first_only:
                    return changed
        for relative, (kind, path) in dependencies["resolutions"].items():
            found_path = tree.resolve(relative)
            if found_path.kind.value != kind or found_path.path != path:
                changed.add(relative)
                if first_only:
                    return changed
    except (KeyError, TypeError, ValueError):
        return None
    return changed


@dataclass(frozen=True, slots=True)
class Output:
    """What a command printed and returned: replayed byte for byte."""

    text: str
    exit_code: int
    summary: str | None = None
    notes: tuple[str, ...] = ()
    """Lines for standard error (advice about the repository, not part of the output)."""


class Replay:
    """The replay entry of one command run: :attr:`hit` when it can be replayed, else a
    :attr:`tree` to run it on and :meth:`store` for its output.

    Each *slot* (a command with its output-shaping options) keeps its latest output in a pack of
    its own, so a run reads one entry however many slots are in use; :data:`KEPT_SLOTS` packs at
    most are kept, the least recently written removed first.
    """

    def __init__(self, store: Cache | None, slot: str, key: str, root: Path) -> None:
        self._store = store
        self._slot = slot
        self._pack = f"{PACK}-{slot}"
        self._key = key
        self.root = root
        self._hit: Output | None = None
        self._tree: RecordingTree | None = None
        self._previous: Mapping[str, Any] | None = None
        self._changed: set[str] | None = None
        self._listings: dict[str, list[str]] = {}
        self._entry: tuple[dict[str, Any], Any] | None = None
        self._looking: InBackground | None = None
        if store is None:
            return
        with collector_paused():
            self._look_up(store, key, root)

    def _look_up(self, store: Cache, key: str, root: Path) -> None:
        entry = store.read(self._pack).get(key)
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], dict)):
            self._tree = RecordingTree(root)
            return
        # Every difference, not just the first: a run that re-judges part of the repository needs
        # them. A large repository is walked by a second process while this one may get ready
        # for a run (:attr:`looking`); the answer is taken when first asked for.
        self._entry = entry
        signatures = entry[0].get("signatures")
        large = isinstance(signatures, bytes) and len(signatures) >= 32 * BACKGROUND_PATHS
        self._looking = InBackground(functools.partial(_differences_and_listings, root, entry[0]), fork=large)

    @property
    def looking(self) -> bool:
        """Whether a second process is finding what changed: time this one may spend on what a
        run would need (the first use of :attr:`hit` and the others waits for the answer)."""
        return self._looking is not None and self._looking.forked

    def _settle(self) -> None:
        looking, entry = self._looking, self._entry
        if looking is None or entry is None:
            return
        self._looking = None
        with collector_paused():
            changed, self._listings = looking.result()
        if changed == set():
            self._hit = Output(*entry[1])
        else:
            self._tree = RecordingTree(self.root)
            if changed is not None:
                self._previous, self._changed = entry[0], changed

    @property
    def hit(self) -> Output | None:
        """The recorded output, when nothing it depends on changed."""
        self._settle()
        return self._hit

    @property
    def tree(self) -> RecordingTree | None:
        """The tree to run on (recording what the run reads), when there is no hit."""
        self._settle()
        return self._tree

    @tree.setter
    def tree(self, tree: RecordingTree | None) -> None:
        self._settle()
        self._tree = tree

    @property
    def previous(self) -> Mapping[str, Any] | None:
        """What the last run with this key read, when something of it changed (see :mod:`rai_graph.splice`)."""
        self._settle()
        return self._previous

    @property
    def changed(self) -> set[str] | None:
        """The paths of :attr:`previous` that changed."""
        self._settle()
        return self._changed

    @property
    def listings(self) -> dict[str, list[str]]:
        """The folder listings of :attr:`previous`, as found now."""
        self._settle()
        return self._listings

    @property
    def cache(self) -> Cache | None:
        return self._store

    def read_extra(self, kind: str) -> Any:
        """This key's entry in the slot's pack of ``kind`` (None if absent)."""
        return self._store.read(f"{kind}-{self._slot}").get(self._key) if self._store is not None else None

    def prefetch_extra(self, kind: str) -> None:
        """Read this slot's pack of ``kind`` ahead (see :meth:`Cache.prefetch`)."""
        if self._store is not None:
            self._store.prefetch(f"{kind}-{self._slot}")

    def write_extra(self, kind: str, value: Any) -> None:
        """Keep ``value`` as this key's entry of ``kind`` (the slot's only one)."""
        if self._store is not None:
            self._store.write(f"{kind}-{self._slot}", {self._key: value})

    @classmethod
    def of(
        cls, command: str, repo: Path, options: Mapping[str, Any], as_of: dt.date | None, *,
        enabled: bool, environment: Sequence[str] = (), per_run: Mapping[str, Any] | None = None,
    ) -> Replay:
        """The replay entry for ``command`` run with ``options`` on the working tree at ``repo``.

        ``environment`` names variables the output depends on, beyond ``RAI_GRAPH_*``;
        ``per_run`` are inputs that change from run to run (a pre-commit hook's paths): part of
        the key, not of the slot, so they never multiply the packs.
        """
        root = repo.resolve()
        store = Cache.for_repository(root) if enabled and root.is_dir() else None
        if store is None:
            return cls(None, "", "", root)
        variables = {name: value for name, value in os.environ.items()
                     if name.startswith("RAI_GRAPH_") or name in environment}
        slot = digest(PACK, command, _stable_json(options))[:24]
        key = digest(slot, _stable_json(per_run or {}),
                     as_of.isoformat() if as_of else f"today {today().isoformat()}",
                     _git_state(root), _stable_json(variables), _stable_json(_library_versions()))
        return cls(store, slot, key, root)

    def store(self, output: Output, *, replayable: bool = True) -> None:
        """Keep ``output`` for the next run with the same key, if it may be replayed."""
        if self._store is None or self.tree is None or not replayable:
            return
        with collector_paused():
            self._store.write(self._pack, {self._key: (self.tree.dependencies(),
                                                       (output.text, output.exit_code, output.summary,
                                                        output.notes))})
        self._store.prune(f"{PACK}-", keep=KEPT_SLOTS)


class HidingTree(RecordingTree):
    """The working tree without some evidence folders, for a run that re-judges only the others
    (:mod:`rai_graph.splice`): listings leave the hidden folders out, and :attr:`reached_hidden`
    tells whether the run asked for a path inside one anyway. Its :meth:`dependencies` are those
    of the full tree: the hidden folders' as ``previous`` recorded them (they were found
    unchanged), the rest as this run read them."""

    def __init__(
        self, root: Path, hidden: frozenset[str], previous: Mapping[str, Any],
        listings: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(root)
        self.hidden = hidden
        self.previous = previous
        self.reached_hidden = False
        self._found = dict(listings or {})
        """Listings already made (by :func:`differences`, just before): not walked again."""

    def _listed(self, kind: str, folder: str, walk: Callable[[str], Iterator[str]]) -> Iterator[str]:
        key = f"{kind}\0{folder}"
        found = self._found.pop(key, None)
        if found is None:
            found = list(walk(folder))
        self.listings[key] = found
        return iter([found[index] for index in self.hidden_indexes(found, hidden=False)])

    def hides(self, relative: str) -> bool:
        if not relative.startswith("evidence/"):
            return False
        end = relative.find("/", 9)
        return (relative if end < 0 else relative[:end]) in self.hidden

    def hidden_indexes(self, paths: Sequence[str], *, hidden: bool = True) -> list[int]:
        """The indexes of ``paths`` this tree hides (or, with ``hidden=False``, shows).

        Recorded paths and listings come folder by folder: a path inside the folder of the one
        before shares its answer, found with one prefix test instead of :meth:`hides` (twice
        33,000 paths at 1,000 systems)."""
        kept: list[int] = []
        inside = "\0"  # the folder prefix ("evidence/<name>/") of the last path judged, if any
        answer = False
        for index, relative in enumerate(paths):
            if not relative.startswith(inside):
                answer = self.hides(relative)
                end = relative.find("/", 9) if relative.startswith("evidence/") else -1
                inside = relative[:end + 1] if end >= 0 else "\0"
            if answer is hidden:
                kept.append(index)
        return kept

    def resolve(self, relative: str) -> Resolved:
        self.reached_hidden = self.reached_hidden or self.hides(relative)
        return super().resolve(relative)

    def _note(self, relative: str) -> None:
        self.reached_hidden = self.reached_hidden or self.hides(relative)
        super()._note(relative)

    def files_under(self, folder: str) -> Iterator[str]:
        return self._listed("files", folder, super(RecordingTree, self).files_under)

    def directories_under(self, folder: str) -> Iterator[str]:
        return self._listed("directories", folder, super(RecordingTree, self).directories_under)

    def submodules_under(self, folder: str) -> Iterator[str]:
        return self._listed("submodules", folder, super(RecordingTree, self).submodules_under)

    def dependencies(self) -> dict[str, Any]:
        own = super().dependencies()
        previous = self.previous
        hides = self.hides
        # The hidden folders' plain paths as recorded, their signatures copied as bytes (33,000
        # paths at 1,000 systems), then this run's own.
        recorded = _split(previous["plain"])
        if len(previous["signatures"]) != 32 * len(recorded):
            raise ValueError("signatures do not match the recorded paths")
        kept = self.hidden_indexes(recorded)
        raw = memoryview(previous["signatures"])
        packed = _Packed()
        packed.plain = [recorded[index] for index in kept]
        packed.plain.extend(_split(own["plain"]))
        for start, stop in _runs(kept):  # a few runs of neighbours: slices, not one per path
            packed.signatures.frombytes(raw[32 * start:32 * stop])
        packed.signatures.frombytes(own["signatures"])
        packed.opened = {relative: found for relative, found in previous["opened"].items() if hides(relative)}
        packed.opened.update(own["opened"])
        resolutions = {relative: found for relative, found in previous["resolutions"].items() if hides(relative)}
        resolutions.update(own["resolutions"])
        # The listings are this run's own: it listed every folder, the hidden ones' entries too.
        return packed.dependencies(own["listings"], resolutions, self.generation)


def today() -> dt.date:
    """The date a run without ``--as-of`` judges as of (unless the settings give one)."""
    return dt.date.today()


def _stable_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _git_state(root: Path) -> str:
    """``HEAD``'s commit and the folder's place in its checkout, as git reports them (provenance
    and SARIF paths depend on both); the error text outside a repository or without git."""
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD", "--show-prefix"],
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"no git: {exc}"
    return f"{done.returncode}\n{done.stdout}"


@functools.cache  # a library is not upgraded under a running process
def _library_versions() -> dict[str, str]:
    """The libraries whose behaviour shapes the results (a parser upgrade may change them): the
    name of each one's ``.dist-info`` folder, the first on ``sys.path`` as the import system finds
    them; else what ``importlib.metadata`` says (importing it took 25 ms, a replayed run's tenth)."""
    wanted = {name: re.compile(rf"{name}-[^-]+\.dist-info", re.IGNORECASE) for name in _LIBRARIES}
    versions: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for name, pattern in wanted.items():
            if name not in versions:
                found = next((entry for entry in entries if pattern.fullmatch(entry)), None)
                if found is not None:
                    versions[name] = found
        if len(versions) == len(wanted):
            return versions
    from importlib import metadata

    for name in _LIBRARIES:
        if name not in versions:
            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                versions[name] = "absent"
    return versions
