"""Curated crosswalk EU AI Act → NIST AI RMF 1.0, from ``curated/eu-ai-act-nist-ai-rmf.csv``.

No official article-level crosswalk between the two exists (NIST's own crosswalk to the EU AI Act
works at the level of trustworthiness characteristics), so the pairs are the project's own
curation: each EU obligation of Arts. 4, 9-15, 17, 26, 27, 72 and 73 (paragraph, or a point where
its points carry distinct duties) is mapped to the AI RMF subcategories whose outcome it asks for,
chosen from the subcategories' Core text, with a one-sentence rationale.

Relations: ``skos:closeMatch`` when the subcategory's outcome substantially corresponds to the EU
duty (one could largely stand in for the other), ``skos:relatedMatch`` when it addresses the same
topic or supplies a precondition, but meeting one does not meet the other. Every pair is emitted
as the plain triple (EU clause, relation, NIST subcategory) and as a ``rai:CrosswalkMapping``
record marked ``rai:curated true`` with its ``rai:rationale``.

The builder checks every EU id against the Formex-built act and every NIST id against the vendored
AI RMF Core list, and rejects unknown relations, empty rationales and duplicate pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from rai_graph.catalogues._common import (
    CROSSWALK_BASE,
    SourceDataError,
    derived_from,
    new_graph,
    read_csv,
)
from rai_graph.catalogues.eu_ai_act import read_act
from rai_graph.catalogues.nist_ai_rmf import CORE_CSV, clause_iri
from rai_graph.vocab import EUAIA, RAI

OUTPUT = "crosswalk-eu-ai-act-nist-ai-rmf.ttl"

CURATED_CSV = "curated/eu-ai-act-nist-ai-rmf.csv"
COLUMNS = ("eu_clause", "nist_subcategory", "relation", "rationale")
RELATIONS = {"skos:closeMatch": SKOS.closeMatch, "skos:relatedMatch": SKOS.relatedMatch}

CROSSWALK = URIRef(CROSSWALK_BASE + "eu-ai-act-nist-ai-rmf")
MAPPINGS = Namespace(CROSSWALK_BASE + "eu-ai-act-nist-ai-rmf/")
CURATION_SOURCE = "curated by the rai-graph project; no official article-level crosswalk exists"

DESCRIPTION = (
    "Curated mapping from EU AI Act (Regulation (EU) 2024/1689) obligations to NIST AI RMF 1.0 "
    "subcategories. No official article-level crosswalk between the two exists; every pair is "
    "the rai-graph project's own judgement, with its rationale. skos:closeMatch: the NIST outcome "
    "substantially corresponds to the EU duty; skos:relatedMatch: same topic or a precondition, "
    "but meeting one does not meet the other. Neither is a statement of legal compliance."
)
RIGHTS = (
    "Curation by the rai-graph contributors. Identifiers only: EU AI Act clause ids refer to "
    "© European Union text; NIST AI RMF ids refer to a U.S. Government work (public domain)."
)


@dataclass(frozen=True, slots=True)
class CuratedPair:
    """One curated pair: an EU AI Act clause, an AI RMF subcategory, the relation and why."""

    eu_clause: str
    nist_subcategory: str
    relation: str
    rationale: str


def read_pairs(sources: Path) -> list[CuratedPair]:
    """The curated pairs, checked for shape (ids are checked by :func:`check_endpoints`)."""
    pairs: list[CuratedPair] = []
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(read_csv(sources, CURATED_CSV, COLUMNS), start=2):
        pair = CuratedPair(
            eu_clause=row["eu_clause"].strip(),
            nist_subcategory=row["nist_subcategory"].strip(),
            relation=row["relation"].strip(),
            rationale=" ".join(row["rationale"].split()),
        )
        where = f"{CURATED_CSV}:{line}"
        if pair.relation not in RELATIONS:
            raise SourceDataError(f"{where}: relation {pair.relation!r} is not one of {RELATIONS}")
        if not pair.rationale:
            raise SourceDataError(f"{where}: a curated pair needs a rationale")
        key = (pair.eu_clause, pair.nist_subcategory)
        if key in seen:
            raise SourceDataError(f"{where}: pair {key} is listed twice")
        seen.add(key)
        pairs.append(pair)
    return pairs


def nist_subcategories(sources: Path) -> set[str]:
    """The 72 AI RMF subcategory ids ("GOVERN 1.1") of the vendored Core list."""
    rows = read_csv(sources, CORE_CSV, ("subcategory_id",))
    return {row["subcategory_id"].strip() for row in rows}


def check_endpoints(
    pairs: list[CuratedPair], eu_clauses: set[str], subcategories: set[str]
) -> None:
    """Fail naming every pair whose EU clause or NIST subcategory does not exist."""
    problems = [
        f"{pair.eu_clause} → {pair.nist_subcategory}"
        for pair in pairs
        if pair.eu_clause not in eu_clauses or pair.nist_subcategory not in subcategories
    ]
    if problems:
        raise SourceDataError(f"{CURATED_CSV}: unknown clause or subcategory in {problems}")


def mapping_iri(pair: CuratedPair) -> URIRef:
    """The record of one pair, e.g. <…/eu-ai-act-nist-ai-rmf/Art9-1_GOVERN-1.4>."""
    return MAPPINGS[f"{pair.eu_clause}_{pair.nist_subcategory.replace(' ', '-')}"]


def build(sources: Path) -> Graph:
    """The curated crosswalk: one mapping triple and one mapping record per pair."""
    pairs = read_pairs(sources)
    eu_clauses = {clause.local_name for clause in read_act(sources)}
    check_endpoints(pairs, eu_clauses, nist_subcategories(sources))

    graph = new_graph()
    graph.bind("eunist", MAPPINGS)
    graph.add((CROSSWALK, RDF.type, PROV.Entity))
    graph.add((CROSSWALK, DCTERMS.title, Literal(
        "EU AI Act to NIST AI RMF 1.0 crosswalk (curated by rai-graph)"
    )))
    graph.add((CROSSWALK, DCTERMS.source, Literal(CURATION_SOURCE)))
    graph.add((CROSSWALK, DCTERMS.description, Literal(DESCRIPTION)))
    graph.add((CROSSWALK, DCTERMS.rights, Literal(RIGHTS)))
    graph.add((CROSSWALK, PROV.wasDerivedFrom, derived_from(CURATED_CSV)))
    for pair in pairs:
        source, target = EUAIA[pair.eu_clause], clause_iri(pair.nist_subcategory)
        relation = RELATIONS[pair.relation]
        graph.add((source, relation, target))
        record = mapping_iri(pair)
        graph.add((record, RDF.type, RAI.CrosswalkMapping))
        graph.add((record, RAI.mapsFrom, source))
        graph.add((record, RAI.mapsTo, target))
        graph.add((record, RAI.mappingRelation, relation))
        graph.add((record, RAI.curated, Literal(True)))
        graph.add((record, RAI.rationale, Literal(pair.rationale)))
        graph.add((record, DCTERMS.source, Literal(CURATION_SOURCE)))
        graph.add((record, DCTERMS.isPartOf, CROSSWALK))
        graph.add((record, PROV.wasDerivedFrom, derived_from(CURATED_CSV)))
    return graph
