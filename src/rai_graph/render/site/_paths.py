"""Where each page of the site lives, and links between pages.

Paths are built from slugs of IRIs and notations (lower-case letters, digits, ``.``, ``-``), so
no path ever carries syntax; two records with the same slug get a short hash of their IRI.
Only records the audience may see get a path at all.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable

from rdflib import URIRef

from rai_graph.model import RepositoryModel

_UNSAFE = re.compile(r"[^a-z0-9.-]+")
_RESERVED = frozenset({"index", "page", "assets", "artifacts", "search"})


def slug(text: str, limit: int = 80) -> str:
    """A file-name-safe, lower-case form of ``text`` (never empty)."""
    cleaned = _UNSAFE.sub("-", text.lower()).strip("-.")
    cleaned = re.sub(r"-{2,}", "-", cleaned)[:limit].strip("-.")
    return cleaned or "x"


def local_name(iri: str) -> str:
    text = str(iri).rstrip("/")
    for separator in ("#", "/", ":"):
        if separator in text:
            return text.rsplit(separator, 1)[-1]
    return text


def _short_hash(iri: str) -> str:
    return hashlib.sha1(iri.encode("utf-8")).hexdigest()[:8]


def _assign(items: Iterable[tuple[URIRef, str]], reserved: frozenset[str] = _RESERVED) -> dict[URIRef, str]:
    """Unique slugs for ``(iri, wanted name)`` pairs, stable whatever the input order."""
    ordered = sorted(items, key=lambda pair: str(pair[0]))
    counts: dict[str, int] = {}
    for _iri, name in ordered:
        counts[slug(name)] = counts.get(slug(name), 0) + 1
    result: dict[URIRef, str] = {}
    for iri, name in ordered:
        base = slug(name)
        if counts[base] > 1 or base in reserved:
            base = slug(f"{base}-{_short_hash(str(iri))}")
        result[iri] = base
    return result


def relative(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A link from page ``from_page`` to ``to_page`` (both relative to the docs folder).

    Both are clean relative paths of ours (no ``.`` or ``..`` parts), so the common prefix of
    their folders is all there is to it; ``posixpath.relpath`` resolves against the working
    directory and costs ten times as much, which shows over a million links.
    """
    path = _relative(from_page.rpartition("/")[0], to_page)
    return f"{path}#{anchor}" if anchor else path


# Cached by the linking page's folder: a thousand system pages link to the same clauses alike.
@functools.lru_cache(maxsize=1 << 17)
def _relative(from_folder: str, to_page: str) -> str:
    source = from_folder.split("/") if from_folder else []
    target = to_page.split("/")
    common = 0
    while common < len(source) and common < len(target) - 1 and source[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(source) - common) + target[common:])


class SitePaths:
    """The page of every framework, clause, control and system, and the anchor of evidence."""

    def __init__(self, model: RepositoryModel, evidence: Iterable[URIRef]) -> None:
        framework_ids = _assign((iri, local_name(iri)) for iri in model.frameworks)
        self.framework_folder = {iri: f"frameworks/{name}" for iri, name in framework_ids.items()}
        self.framework: dict[URIRef, str] = {
            iri: f"{folder}/index.md" for iri, folder in self.framework_folder.items()
        }
        self.clause: dict[URIRef, str] = {}
        by_folder: dict[str, list[URIRef]] = {}
        for requirement in model.requirements.values():
            folder = self.framework_folder.get(requirement.framework or URIRef(""), "frameworks/other")
            by_folder.setdefault(folder, []).append(requirement.iri)
        for folder, iris in by_folder.items():
            for iri, name in _assign((iri, local_name(iri)) for iri in iris).items():
                self.clause[iri] = f"{folder}/{name}.md"
        self.control = {
            iri: f"controls/{name}.md"
            for iri, name in _assign((c.iri, c.notation) for c in model.controls.values()).items()
        }
        self.system = {
            iri: f"systems/{name}.md"
            for iri, name in _assign((s.iri, s.name) for s in model.systems.values()).items()
        }
        # Anchors take no dots: attribute lists would read ".x" as a class.
        self.evidence_anchor = {
            iri: f"ev-{name}" for iri, name in
            _assign((iri, local_name(iri).replace(".", "-")) for iri in evidence).items()
        }
