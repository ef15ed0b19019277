"""NIST AI RMF 1.0 (NIST AI 100-1): the Core catalogue and the Playbook guidance.

Two outputs:

* ``nist-ai-rmf.ttl`` — 4 functions, 19 categories, 72 subcategories with the official Core text.
  Subcategory statements come from the CSA extraction (CC0). It left five statements blank
  (GOVERN 6.2, MAP 4.2, MAP 5.1, MEASURE 3.2, MANAGE 1.1) and has no function statements and
  clipped category statements, so those come from ``core-statements-supplement.csv``, NIST text
  extracted once from another packaging (see the folder's SOURCE.md).
* ``nist-ai-rmf-playbook.ttl`` — the Playbook sections per subcategory (about, suggested actions,
  documentation questions, references, AI actors), verbatim markdown, on the subcategory IRIs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from rai_graph.catalogues._common import (
    NIST_LICENSING,
    Clause,
    FrameworkInfo,
    SourceDataError,
    add_clause,
    add_framework,
    as_list,
    as_mapping,
    derived_from,
    field_str,
    field_str_list,
    new_graph,
    normalise_space,
    read_csv,
    read_json,
)
from rai_graph.vocab import NISTRMF, RAI

OUTPUT = "nist-ai-rmf.ttl"
PLAYBOOK_OUTPUT = "nist-ai-rmf-playbook.ttl"

FRAMEWORK = URIRef("https://w3id.org/rai-graph/framework/nist-ai-rmf")
DOCUMENT_URL = URIRef("https://nvlpubs.nist.gov/nistpubs/ai/NIST.AI.100-1.pdf")
PLAYBOOK_URL = URIRef("https://airc.nist.gov/docs/playbook.json")

CORE_CSV = "nist-ai-rmf/ai-rmf-1.0-subcategories.csv"
SUPPLEMENT_CSV = "nist-ai-rmf/core-statements-supplement.csv"
PLAYBOOK_JSON = "nist-ai-rmf/playbook-mirror-nist_ai_rmf_playbook.json"

FUNCTIONS = ("GOVERN", "MAP", "MEASURE", "MANAGE")
NIST = "National Institute of Standards and Technology (NIST)"

_NOTATION = re.compile(r"(?P<function>GOVERN|MAP|MEASURE|MANAGE)(?: (?P<category>\d+)(?:\.\d+)?)?")

RIGHTS = (
    "NIST AI 100-1, Artificial Intelligence Risk Management Framework (AI RMF 1.0), National "
    "Institute of Standards and Technology, U.S. Department of Commerce. A work of the U.S. "
    "Government, not subject to copyright in the United States (17 U.S.C. §105). Subcategory "
    "statements via the Cloud Security Alliance dataset-public-laws-regulations-standards "
    "extraction (CC0 1.0); function and category statements and five subcategory statements "
    "re-keyed from the NIST text (frameworks/sources/nist-ai-rmf/SOURCE.md)."
)

PLAYBOOK_RIGHTS = (
    "Guidance from the NIST AI RMF Playbook (National Institute of Standards and Technology), a "
    "work of the U.S. Government, not subject to copyright in the United States; taken from a "
    "verbatim mirror of NIST's playbook.json (frameworks/sources/nist-ai-rmf/SOURCE.md)."
)


def clause_iri(notation: str) -> URIRef:
    """``GOVERN`` → nistrmf:GOVERN, ``GOVERN 1`` → nistrmf:GOVERN-1, ``GOVERN 1.1`` → …-1.1."""
    if _NOTATION.fullmatch(notation) is None:
        raise SourceDataError(f"not an AI RMF function, category or subcategory id: {notation!r}")
    return NISTRMF[notation.replace(" ", "-")]


def parent_notation(notation: str) -> str:
    """The enclosing category of a subcategory, or the function of a category."""
    match = _NOTATION.fullmatch(notation)
    if match is None or match["category"] is None:
        raise SourceDataError(f"{notation!r} has no parent in the AI RMF Core")
    if "." in notation:
        return notation.rsplit(".", 1)[0]
    return match["function"]


@dataclass(frozen=True, slots=True)
class SupplementRow:
    """One statement of the supplement: a function, category or (blank in CSA) subcategory."""

    notation: str
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class CoreRow:
    """One subcategory of the Core as the CSA file lists it (text may be blank)."""

    notation: str
    function_title: str
    category: str
    text: str


def read_supplement(sources: Path) -> dict[str, SupplementRow]:
    """The supplement's statements by notation."""
    rows = read_csv(sources, SUPPLEMENT_CSV, ("id", "kind", "text", "extracted_from"))
    supplement: dict[str, SupplementRow] = {}
    for row in rows:
        notation, kind, text = row["id"], row["kind"], normalise_space(row["text"])
        if kind not in ("function", "category", "subcategory") or not text:
            raise SourceDataError(f"{SUPPLEMENT_CSV}: bad row for {notation!r}")
        if notation in supplement:
            raise SourceDataError(f"{SUPPLEMENT_CSV}: {notation!r} is listed twice")
        supplement[notation] = SupplementRow(notation, kind, text)
    return supplement


def read_core(sources: Path) -> list[CoreRow]:
    """The 72 subcategories of the CSA extraction, in source order."""
    columns = ("subcategory_id", "function", "category_id", "category_text", "description")
    rows = read_csv(sources, CORE_CSV, columns)
    core = [
        CoreRow(
            notation=row["subcategory_id"],
            function_title=row["function"],
            category=row["category_id"],
            text=normalise_space(row["description"]),
        )
        for row in rows
    ]
    for row in core:
        if parent_notation(row.notation) != row.category:
            raise SourceDataError(f"{CORE_CSV}: {row.notation} is listed under {row.category}")
    return core


def subcategory_text(row: CoreRow, supplement: Mapping[str, SupplementRow]) -> tuple[str, str]:
    """A subcategory's statement and the vendored file it was taken from."""
    filler = supplement.get(row.notation)
    if row.text and filler is not None:
        raise SourceDataError(
            f"{SUPPLEMENT_CSV}: {row.notation} is no longer blank in {CORE_CSV}; drop it from the supplement"
        )
    if row.text:
        return row.text, CORE_CSV
    if filler is None:
        raise SourceDataError(f"{CORE_CSV}: {row.notation} has no text and no supplement row")
    return filler.text, SUPPLEMENT_CSV


def statement(supplement: Mapping[str, SupplementRow], notation: str, kind: str) -> str:
    """The supplement's statement for a function or category."""
    row = supplement.get(notation)
    if row is None or row.kind != kind:
        raise SourceDataError(f"{SUPPLEMENT_CSV}: no {kind} statement for {notation}")
    return row.text


def framework_info() -> FrameworkInfo:
    """The AI RMF framework node."""
    return FrameworkInfo(
        iri=FRAMEWORK,
        notation="nist-ai-rmf",
        title="Artificial Intelligence Risk Management Framework (AI RMF 1.0)",
        version="1.0",
        source_url=DOCUMENT_URL,
        rights=RIGHTS,
        licence=NIST_LICENSING,
        publisher=NIST,
        identifier="NIST AI 100-1",
    )


def build(sources: Path) -> Graph:
    """The AI RMF Core catalogue: functions, categories and subcategories with their text."""
    supplement = read_supplement(sources)
    core = read_core(sources)
    graph = new_graph()
    add_framework(graph, framework_info())
    for clause in [*function_clauses(core, supplement), *category_clauses(core, supplement)]:
        add_clause(graph, FRAMEWORK, clause)
    for clause in subcategory_clauses(core, supplement):
        add_clause(graph, FRAMEWORK, clause)
    return graph


def function_clauses(core: list[CoreRow], supplement: Mapping[str, SupplementRow]) -> list[Clause]:
    """The four functions, titled as in the Core table ("Govern") and top concepts."""
    titles = {row.notation.split(" ")[0]: row.function_title for row in core}
    missing = [function for function in FUNCTIONS if function not in titles]
    if missing:
        raise SourceDataError(f"{CORE_CSV}: no subcategory of function(s) {', '.join(missing)}")
    return [
        Clause(
            iri=clause_iri(function),
            notation=function,
            title=titles[function],
            text=statement(supplement, function, "function"),
            source_url=DOCUMENT_URL,
            derived_from=SUPPLEMENT_CSV,
            top_concept=True,
            informative=True,
        )
        for function in FUNCTIONS
    ]


def category_clauses(core: list[CoreRow], supplement: Mapping[str, SupplementRow]) -> list[Clause]:
    """The 19 categories, under their functions."""
    return [
        Clause(
            iri=clause_iri(category),
            notation=category,
            text=statement(supplement, category, "category"),
            broader=clause_iri(parent_notation(category)),
            source_url=DOCUMENT_URL,
            derived_from=SUPPLEMENT_CSV,
            informative=True,
        )
        for category in dict.fromkeys(row.category for row in core)
    ]


def subcategory_clauses(core: list[CoreRow], supplement: Mapping[str, SupplementRow]) -> list[Clause]:
    """The 72 subcategories, under their categories, each naming the file its text is from."""
    clauses: list[Clause] = []
    for row in core:
        text, taken_from = subcategory_text(row, supplement)
        clauses.append(
            Clause(
                iri=clause_iri(row.notation),
                notation=row.notation,
                text=text,
                broader=clause_iri(row.category),
                source_url=DOCUMENT_URL,
                derived_from=taken_from,
            )
        )
    return clauses


# --- Playbook -----------------------------------------------------------------------------------

#: Playbook JSON field → property; values are kept verbatim (markdown, as NIST wrote them).
PLAYBOOK_SECTIONS: Mapping[str, URIRef] = {
    "section_about": RAI.guidanceAbout,
    "section_actions": RAI.suggestedActions,
    "section_doc": RAI.documentationQuestions,
    "section_ref": RAI.guidanceReferences,
}


def build_playbook(sources: Path) -> Graph:
    """The Playbook guidance of each subcategory, as properties of its nistrmf IRI."""
    entries = as_list(read_json(sources, PLAYBOOK_JSON), PLAYBOOK_JSON)
    graph = new_graph()
    add_playbook_document(graph)
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        record = as_mapping(entry, f"{PLAYBOOK_JSON} entry {index}")
        notation = field_str(record, "title", f"{PLAYBOOK_JSON} entry {index}")
        where = f"{PLAYBOOK_JSON} {notation}"
        if notation in seen or "." not in notation:
            raise SourceDataError(f"{where}: not a new subcategory id")
        seen.add(notation)
        add_guidance(graph, clause_iri(notation), record, where)
    return graph


def add_guidance(graph: Graph, subject: URIRef, record: Mapping[str, object], where: str) -> None:
    """The four Playbook sections and the AI actors of one subcategory."""
    for field, prop in PLAYBOOK_SECTIONS.items():
        text = field_str(record, field, where)
        if not text.strip():
            raise SourceDataError(f"{where}: {field} is empty")
        graph.add((subject, prop, Literal(text)))
    for actor in field_str_list(record, "AI Actors", where):
        graph.add((subject, RAI.aiActors, Literal(normalise_space(actor))))
    graph.add((subject, PROV.wasDerivedFrom, derived_from(PLAYBOOK_JSON)))


def add_playbook_document(graph: Graph) -> None:
    """The Playbook as a document related to the framework, with its rights statement."""
    graph.add((PLAYBOOK_URL, RDF.type, PROV.Entity))
    graph.add((PLAYBOOK_URL, DCTERMS.title, Literal("NIST AI RMF Playbook")))
    graph.add((PLAYBOOK_URL, DCTERMS.publisher, Literal(NIST)))
    graph.add((PLAYBOOK_URL, DCTERMS.rights, Literal(PLAYBOOK_RIGHTS)))
    graph.add((PLAYBOOK_URL, DCTERMS.license, NIST_LICENSING))
    graph.add((PLAYBOOK_URL, PROV.wasDerivedFrom, derived_from(PLAYBOOK_JSON)))
    graph.add((FRAMEWORK, DCTERMS.relation, PLAYBOOK_URL))


OUTPUTS: Mapping[str, Callable[[Path], Graph]] = {OUTPUT: build, PLAYBOOK_OUTPUT: build_playbook}
