"""Incremental site builds: what changed since the last build, and the MkDocs hooks that keep a
partial ("dirty") build equal to a full one.

A build leaves a stamp in the output folder, written last: the configuration's key, every source
file's digest and stat, the output's file list, each page's anchors and links to anchors (which
MkDocs only knows for the pages it reads), and the artefacts copied. The next build compares what
it generated with the stamp. It rebuilds only the pages whose Markdown changed when nothing else
did: same configuration and tool versions, same pages and static files, no file added to either
folder, nothing deleted from the output. Anything else, or no stamp (never built, or a build that
stopped half-way, since the stamp is removed first), is a full build.

Why a partial build is sound here: the navigation names every entry with an explicit title and
the site has no plugins (its search index is one of rai-graph's static files), so a page's HTML
depends only on its own Markdown, the configuration and the page set. Anchors are the exception,
restored from the stamp so that MkDocs' strict anchor check covers every page as in a full build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

STAMP = ".rai-graph-site-stamp.json"
_FORMAT = 1
_TOOLS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments")


def configuration_key(config_text: str, *, strict: bool, audience: str) -> str:
    """What every page's HTML depends on besides its own Markdown."""
    versions = []
    for tool in _TOOLS:
        try:
            versions.append(f"{tool}={metadata.version(tool)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{tool}=absent")
    text = "\n".join([f"format={_FORMAT}", f"strict={strict}", f"audience={audience}", *versions, config_text])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Release:
    """One artefact copied into the site: where from, the bytes' SHA-256 and size."""

    origin: str
    sha256: str
    size: int


@dataclass(slots=True)
class Stamp:
    """What the last complete build produced (see the module's docstring)."""

    key: str
    sources: dict[str, tuple[str, int, int]]
    """Docs-folder path -> (SHA-256, size, mtime_ns) of the file as written."""
    outputs: list[str]
    """Every file in the output folder after the build, the stamp excepted."""
    destinations: dict[str, str] = field(default_factory=dict)
    """Page source path -> its HTML's path in the output."""
    anchors: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    """Page -> linked page -> anchor -> the link as written."""
    releases: dict[str, Release] = field(default_factory=dict)

    @classmethod
    def load(cls, output: Path) -> Stamp | None:
        """The stamp in ``output``, or None when there is none or it cannot be trusted."""
        try:
            raw = json.loads((output / STAMP).read_text(encoding="utf-8"))
            if raw.get("format") != _FORMAT:
                return None
            return cls(
                key=str(raw["key"]),
                sources={path: (str(sha), int(size), int(mtime))
                         for path, (sha, size, mtime) in raw["sources"].items()},
                outputs=[str(path) for path in raw["outputs"]],
                destinations={str(k): str(v) for k, v in raw["destinations"].items()},
                anchors={str(k): [str(a) for a in v] for k, v in raw["anchors"].items()},
                links={str(page): {str(target): {str(a): str(link) for a, link in anchors.items()}
                                   for target, anchors in targets.items()}
                       for page, targets in raw["links"].items()},
                releases={str(target): Release(str(origin), str(sha), int(size))
                          for target, (origin, sha, size) in raw["releases"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # unreadable or written by another version: a full build replaces it

    def save(self, output: Path) -> None:
        """Write the stamp (last, once everything else is in place) through a rename."""
        raw = {
            "format": _FORMAT, "key": self.key,
            "sources": {path: list(entry) for path, entry in sorted(self.sources.items())},
            "outputs": sorted(self.outputs), "destinations": dict(sorted(self.destinations.items())),
            "anchors": dict(sorted(self.anchors.items())), "links": dict(sorted(self.links.items())),
            "releases": {target: [r.origin, r.sha256, r.size] for target, r in sorted(self.releases.items())},
        }
        partial = output / (STAMP + ".partial")
        partial.write_text(json.dumps(raw, separators=(",", ":")), encoding="utf-8")
        partial.replace(output / STAMP)


def remove_stamp(output: Path) -> None:
    """Before anything is written: a build that stops now must not look complete."""
    (output / STAMP).unlink(missing_ok=True)


def files_under(folder: Path) -> set[str]:
    """Every file below ``folder`` as a POSIX path relative to it (no symbolic links followed)."""
    found: set[str] = set()
    for directory, _, names in os.walk(folder):
        relative = os.path.relpath(directory, folder)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in names)
    return found


@dataclass(frozen=True, slots=True)
class Plan:
    """A partial build: the docs-folder files to write, the rest being as the stamp says."""

    changed: frozenset[str]


def plan_partial_build(previous: Stamp | None, key: str, wanted: Mapping[str, str], source: Path,
                       output: Path, extra_sources: frozenset[str]) -> Plan | None:
    """The files to rewrite for a partial build, or None when the build must be full.

    ``wanted`` maps each docs-folder file to the SHA-256 of its new content; ``extra_sources``
    are the files the source folder holds besides those (its marker)."""
    if previous is None or previous.key != key or previous.sources.keys() != wanted.keys():
        return None
    if files_under(source) != set(wanted) | extra_sources:
        return None
    present = files_under(output)
    present.discard(STAMP)
    if present != set(previous.outputs):
        return None
    changed = set()
    for path, sha in wanted.items():
        recorded_sha, size, mtime = previous.sources[path]
        if sha != recorded_sha:
            changed.add(path)
            continue
        try:
            status = os.stat(source / path)
        except OSError:
            return None
        if (status.st_size, status.st_mtime_ns) != (size, mtime):
            changed.add(path)  # edited by hand since: written again, so it is read again
    return Plan(frozenset(changed))


class AnchorKeeper:
    """An MkDocs ``env`` event handler: gives the pages a partial build did not read the anchors
    and links the last build found in them (so MkDocs validates every page's anchor links), and
    records every page's for the next stamp."""

    def __init__(self, previous: Stamp | None) -> None:
        self.previous = previous
        self.anchors: dict[str, list[str]] = {}
        self.links: dict[str, dict[str, dict[str, str]]] = {}
        self.destinations: dict[str, str] = {}

    def __call__(self, env: Any, *, config: Any, files: Any) -> Any:
        for file in files.documentation_pages():
            page = file.page
            if page is None:
                continue
            if page.present_anchor_ids is None and self.previous is not None:
                self._restore(page, file.src_uri, files)
            self.destinations[file.src_uri] = file.dest_uri
            self.anchors[file.src_uri] = sorted(page.present_anchor_ids or ())
            self.links[file.src_uri] = {
                target.src_uri: dict(sorted(anchors.items()))
                for target, anchors in sorted((page.links_to_anchors or {}).items(), key=lambda item: item[0].src_uri)
            }
        return env

    def _restore(self, page: Any, path: str, files: Any) -> None:
        assert self.previous is not None
        if path not in self.previous.anchors:
            return
        page.present_anchor_ids = set(self.previous.anchors[path])
        restored = {}
        for target, anchors in self.previous.links.get(path, {}).items():
            linked = files.get_file_from_path(target)
            if linked is not None:
                restored[linked] = dict(anchors)
        page.links_to_anchors = restored


_DIRTY_WARNING = "A 'dirty' build is being performed"


@contextmanager
def partial_build_allowed() -> Iterator[None]:
    """Drop MkDocs' warning that a dirty build may be inaccurate (in strict mode it aborts the
    build): it is about dirty builds in general, and this one is kept equal to a full build."""

    def keep(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)

    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)


def register_env_handler(config: Any, handler: Callable[..., Any]) -> None:
    """Add ``handler`` to the configuration's ``env`` event (MkDocs' plugin events)."""
    config.plugins.events["env"].append(handler)
