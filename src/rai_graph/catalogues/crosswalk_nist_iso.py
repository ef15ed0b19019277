"""Crosswalk NIST AI RMF 1.0 → ISO/IEC 42001 Annex A, from the NIST-hosted crosswalk.

Source: "NIST AI RMF to ISO/IEC FDIS 42001 AI Management system Crosswalk" (authored by Microsoft,
published on NIST's AI Resource Center), as (subcategory, ISO reference) pairs derived from a
Markdown transcription of the PDF. Decisions, all documented in the vendored SOURCE.md:

* **Relation**: the crosswalk lists, for each subcategory, ISO clauses and controls that address
  related topics — many to many, with no claim that either side can stand in for the other. That
  is ``skos:relatedMatch`` (associative), not ``skos:closeMatch``.
* **Annex B → Annex A**: the crosswalk cites Annex B (implementation guidance) numbers; B.x.y is
  the guidance for control A.x.y, so the pair targets ``iso42001:A.x.y``.
* **Clauses 4–10** (79 pairs) have no node in the Annex A catalogue and are left out.
* **Spot-check**: pairs that do not hold are dropped (:data:`DROPPED`); pairs kept despite a
  defect in the printed row carry a ``rai:rationale`` (:data:`RATIONALES`).
"""

from __future__ import annotations

from collections.abc import Mapping
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
from rai_graph.catalogues.nist_ai_rmf import clause_iri
from rai_graph.vocab import ISO42001, RAI

OUTPUT = "crosswalk-nist-ai-rmf-iso-42001.ttl"

CROSSWALK = URIRef(CROSSWALK_BASE + "nist-ai-rmf-iso-42001")
MAPPINGS = Namespace(CROSSWALK_BASE + "nist-ai-rmf-iso-42001/")
CROSSWALK_URL = URIRef("https://airc.nist.gov/docs/NIST_AI_RMF_to_ISO_IEC_42001_Crosswalk.pdf")

PAIRS_CSV = "crosswalks/DERIVED-nist-ai-rmf-to-iso42001-pairs.csv"

RELATION = SKOS.relatedMatch

ANNEX_KIND = "annexB->annexA-id"
CLAUSE_KIND = "clause"

#: Printed pairs that do not hold, with the reason (found by the spot-check).
DROPPED: Mapping[tuple[str, str], str] = {
    ("MAP 1.4", "B.2.2"): (
        "The crosswalk prints id B.2.2 (AI policy) with the title 'Customers', which is B.10.4. "
        "Id and title disagree and neither clearly addresses MAP 1.4 (business value or context "
        "of use), so the pair is left out rather than guessed."
    ),
}

#: Printed pairs kept despite a defect in the row, with why they still hold.
RATIONALES: Mapping[tuple[str, str], str] = {
    ("GOVERN 3.2", "B.3.2"): (
        "The crosswalk prints id B.3.2 with the title 'Management review inputs', which is "
        "clause 9.3.2. Kept on the id: A.3.2 'AI roles and responsibilities' matches GOVERN 3.2 "
        "(roles and responsibilities for human-AI configurations and oversight)."
    ),
}

DESCRIPTION = (
    "Pairs of the NIST-hosted crosswalk from AI RMF 1.0 subcategories to ISO/IEC 42001 Annex A "
    "controls, as skos:relatedMatch (the crosswalk names related ISO provisions, not equivalent "
    "ones). The crosswalk cites Annex B guidance numbers; B.x.y is read as control A.x.y. Pairs "
    "to the management-system clauses 4 to 10 are not included (no catalogue node). "
    "Spot-check corrections: frameworks/sources/crosswalks/SOURCE.md."
)

RIGHTS = (
    "Crosswalk published by NIST on the AI Resource Center (prepared by Microsoft). Only "
    "subcategory-to-control identifier pairs are reproduced; no crosswalk or ISO/IEC text."
)


@dataclass(frozen=True, slots=True)
class Pair:
    """One crosswalk pair: an AI RMF subcategory and the Annex A control it relates to."""

    subcategory: str
    printed_ref: str
    control: str


def read_pairs(sources: Path) -> list[Pair]:
    """The Annex A pairs that hold, in source order (clause pairs are left out)."""
    columns = ("ai_rmf_subcategory", "iso42001_ref", "ref_kind", "annexA_equivalent")
    rows = read_csv(sources, PAIRS_CSV, columns)
    pairs: list[Pair] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (row["ai_rmf_subcategory"], row["iso42001_ref"])
        if key in seen:
            raise SourceDataError(f"{PAIRS_CSV}: pair {key} is listed twice")
        seen.add(key)
        if row["ref_kind"] not in (ANNEX_KIND, CLAUSE_KIND):
            raise SourceDataError(f"{PAIRS_CSV}: unknown ref_kind {row['ref_kind']!r} for {key}")
        if row["ref_kind"] == ANNEX_KIND and key not in DROPPED:
            pairs.append(annex_pair(row))
    stale = sorted(set(DROPPED) - seen)
    stale += sorted(set(RATIONALES) - {(p.subcategory, p.printed_ref) for p in pairs})
    if stale:
        raise SourceDataError(f"{PAIRS_CSV}: corrections name pairs it does not hold: {stale}")
    return pairs


def annex_pair(row: Mapping[str, str]) -> Pair:
    """An Annex B pair read as the Annex A control it gives guidance for."""
    printed, control = row["iso42001_ref"], row["annexA_equivalent"]
    if not printed.startswith("B.") or control != "A." + printed.removeprefix("B."):
        raise SourceDataError(f"{PAIRS_CSV}: {printed} does not correspond to {control}")
    return Pair(subcategory=row["ai_rmf_subcategory"], printed_ref=printed, control=control)


def mapping_iri(pair: Pair) -> URIRef:
    """The record of one pair, e.g. <…/nist-ai-rmf-iso-42001/GOVERN-1.1_A.2.2>."""
    return MAPPINGS[f"{pair.subcategory.replace(' ', '-')}_{pair.control}"]


def add_crosswalk_node(graph: Graph) -> None:
    """The crosswalk itself, which every mapping record is part of."""
    graph.add((CROSSWALK, RDF.type, PROV.Entity))
    graph.add(
        (
            CROSSWALK,
            DCTERMS.title,
            Literal("NIST AI RMF to ISO/IEC FDIS 42001 AI Management system Crosswalk"),
        )
    )
    graph.add((CROSSWALK, DCTERMS.source, CROSSWALK_URL))
    graph.add((CROSSWALK, DCTERMS.description, Literal(DESCRIPTION)))
    graph.add((CROSSWALK, DCTERMS.rights, Literal(RIGHTS)))
    graph.add((CROSSWALK, PROV.wasDerivedFrom, derived_from(PAIRS_CSV)))


def add_pair(graph: Graph, pair: Pair) -> None:
    """The mapping triple and its ``rai:CrosswalkMapping`` record."""
    source, target = clause_iri(pair.subcategory), ISO42001[pair.control]
    graph.add((source, RELATION, target))
    record = mapping_iri(pair)
    graph.add((record, RDF.type, RAI.CrosswalkMapping))
    graph.add((record, RAI.mapsFrom, source))
    graph.add((record, RAI.mapsTo, target))
    graph.add((record, RAI.mappingRelation, RELATION))
    graph.add((record, RAI.curated, Literal(False)))
    graph.add((record, DCTERMS.source, CROSSWALK_URL))
    graph.add((record, DCTERMS.isPartOf, CROSSWALK))
    graph.add((record, PROV.wasDerivedFrom, derived_from(PAIRS_CSV)))
    rationale = RATIONALES.get((pair.subcategory, pair.printed_ref))
    if rationale is not None:
        graph.add((record, RAI.rationale, Literal(rationale)))


def build(sources: Path) -> Graph:
    """The crosswalk: one ``skos:relatedMatch`` and one mapping record per pair that holds."""
    pairs = read_pairs(sources)
    graph = new_graph()
    graph.bind("nistiso", MAPPINGS)
    add_crosswalk_node(graph)
    for pair in pairs:
        add_pair(graph, pair)
    return graph
