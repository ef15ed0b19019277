"""ISO/IEC 42001:2023 Annex A: control identifiers and short titles, nothing else.

The standard is copyrighted by ISO/IEC and its text is not free, so the catalogue holds only what
public crosswalks already print: the 38 reference control ids (A.2.2 … A.10.4) with their short
titles, and the 9 topic and 2 objective headings (A.2 … A.10, A.6.1, A.6.2) as their
``skos:broader`` parents. No ``rai:text``. Titles longer than :data:`MAX_TITLE_LENGTH` stop the
build, as a guard against control text slipping into the source file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from rai_graph.catalogues._common import (
    Clause,
    FrameworkInfo,
    SourceDataError,
    add_clause,
    add_framework,
    new_graph,
    normalise_space,
    read_csv,
)
from rai_graph.vocab import ISO42001

OUTPUT = "iso-42001.ttl"

FRAMEWORK = URIRef("https://w3id.org/rai-graph/framework/iso-42001")
DOCUMENT_URL = URIRef("https://www.iso.org/standard/81230.html")

IDS_TITLES_CSV = "iso-iec-42001/iso42001-annexA-ids-titles.csv"

MAX_TITLE_LENGTH = 120
KINDS = ("topic", "objective", "control")

_ID = re.compile(r"A\.\d+(?:\.\d+){0,2}")

#: Kept under MAX_TITLE_LENGTH too, so a test can assert that no literal of the file is long.
RIGHTS = "© ISO/IEC. Annex A control ids and short titles only, for reference; no text of the standard."
SCOPE_NOTE = "Annex A controls and their headings; clauses 4 to 10 are not included."


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of the ids-and-titles file."""

    iso_id: str
    title: str
    kind: str


def read_entries(sources: Path) -> list[Entry]:
    """The Annex A headings and controls, checked: ids well formed, titles short, kinds known."""
    rows = read_csv(sources, IDS_TITLES_CSV, ("id", "title", "kind"))
    entries = [Entry(row["id"], normalise_space(row["title"]), row["kind"]) for row in rows]
    for entry in entries:
        where = f"{IDS_TITLES_CSV} {entry.iso_id}"
        if _ID.fullmatch(entry.iso_id) is None:
            raise SourceDataError(f"{where}: not an Annex A identifier")
        if entry.kind not in KINDS:
            raise SourceDataError(f"{where}: unknown kind {entry.kind!r}")
        if not entry.title or len(entry.title) > MAX_TITLE_LENGTH:
            raise SourceDataError(
                f"{where}: a title must be 1 to {MAX_TITLE_LENGTH} characters "
                "(the standard's text must not be shipped)"
            )
    return entries


def parent_id(iso_id: str, known: set[str]) -> str | None:
    """The heading an id sits under (A.6.2.4 → A.6.2, A.2.2 → A.2), or None for a topic."""
    parent = iso_id.rsplit(".", 1)[0]
    if parent == "A":
        return None
    if parent not in known:
        raise SourceDataError(f"{IDS_TITLES_CSV}: {iso_id} has no heading {parent}")
    return parent


def framework_info() -> FrameworkInfo:
    """The ISO/IEC 42001 framework node."""
    return FrameworkInfo(
        iri=FRAMEWORK,
        notation="iso-42001",
        title=("ISO/IEC 42001:2023 Information technology — Artificial intelligence — Management system"),
        version="2023",
        source_url=DOCUMENT_URL,
        rights=RIGHTS,
        publisher="ISO/IEC",
        identifier="ISO/IEC 42001:2023",
        scope_note=SCOPE_NOTE,
    )


def build(sources: Path) -> Graph:
    """The Annex A catalogue: headings and controls with ids and titles."""
    entries = read_entries(sources)
    known = {entry.iso_id for entry in entries}
    graph = new_graph()
    add_framework(graph, framework_info())
    for entry in entries:
        parent = parent_id(entry.iso_id, known)
        if (entry.kind == "topic") != (parent is None):
            raise SourceDataError(f"{IDS_TITLES_CSV} {entry.iso_id}: kind {entry.kind} misplaced")
        add_clause(
            graph,
            FRAMEWORK,
            Clause(
                iri=ISO42001[entry.iso_id],
                notation=entry.iso_id,
                title=entry.title,
                broader=None if parent is None else ISO42001[parent],
                top_concept=parent is None,
                source_url=DOCUMENT_URL,
                derived_from=IDS_TITLES_CSV,
                informative=entry.kind != "control",
            ),
        )
    return graph
