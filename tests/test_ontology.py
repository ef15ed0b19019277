"""The ontology file ``rai.ttl`` declares exactly the closed ``RAI`` vocabulary, documents every
term, aligns only with verified external IRIs and contains the instances the data model names."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from rai_graph.vocab import AIRO, RAI, RAI_NS

TESTS_DIR = Path(__file__).parent
ONTOLOGY_FILE = TESTS_DIR.parent / "src" / "rai_graph" / "ontology" / "rai.ttl"
EXTERNAL_TERMS_FILE = TESTS_DIR / "data" / "external_terms.txt"
VOCABULARIES = TESTS_DIR / "data" / "rdf-vocabularies"  # vendored subset, see its SOURCE.md

ONTOLOGY_IRI = URIRef("https://w3id.org/rai-graph/ns")
DECLARATION_TYPES = frozenset({OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual})
ALIGNMENT_PREDICATES = (
    RDFS.subClassOf,
    OWL.equivalentClass,
    RDFS.subPropertyOf,
    OWL.equivalentProperty,
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
)

# The instances data-model.md (and the extension brief) require, with their class.
SPEC_INSTANCES: dict[URIRef, tuple[URIRef, ...]] = {
    RAI.RiskTier: (RAI.Prohibited, RAI.HighRisk, RAI.LimitedRisk, RAI.MinimalRisk),
    RAI.OperatorRole: (
        RAI.Provider,
        RAI.Deployer,
        RAI.Importer,
        RAI.Distributor,
        RAI.GeneralPurposeModelProvider,
    ),
    RAI.ControlScope: (RAI.SystemScope, RAI.OrganisationScope),
    RAI.LifecycleStatus: (RAI.Development, RAI.Production, RAI.Retired),
    RAI.EvidenceType: (
        RAI.ModelCard,
        RAI.Datasheet,
        RAI.RiskAssessment,
        RAI.ImpactAssessment,
        RAI.FairnessEvaluation,
        RAI.RobustnessEvaluation,
        RAI.RedTeamReport,
        RAI.HumanOversightPlan,
        RAI.MonitoringPlan,
        RAI.IncidentResponsePlan,
        RAI.TechnicalDocumentation,
        RAI.LoggingConfiguration,
        RAI.TransparencyNotice,
        RAI.ConformityDeclaration,
        RAI.TrainingRecord,
        RAI.Policy,
    ),
    RAI.ConfidentialityLevel: (RAI.Public, RAI.CustomerShareable, RAI.Internal, RAI.Confidential),
    RAI.Decision: (RAI.Approved, RAI.ConditionallyApproved, RAI.Rejected),
    RAI.Severity: (RAI.Critical, RAI.High, RAI.Medium, RAI.Low),
}

# Alignments the data model asks for by name ("PROV-O for evidence and approvals, SKOS for
# framework clauses") plus the ones the project chose for AI systems.
REQUIRED_ALIGNMENTS = (
    (RAI.Framework, SKOS.ConceptScheme),
    (RAI.Requirement, SKOS.Concept),
    (RAI.EvidenceType, SKOS.Concept),
    (RAI.Evidence, PROV.Entity),
    (RAI.Approval, PROV.Activity),
    (RAI.Waiver, PROV.Activity),
    (RAI.Person, PROV.Person),
    (RAI.Person, FOAF.Person),
    (RAI.AISystem, AIRO.AISystem),
)


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def vocab_terms() -> set[URIRef]:
    return {URIRef(RAI_NS + name) for name in RAI.__annotations__}


def is_rai(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(RAI_NS)


def declared_rai_terms(graph: Graph) -> set[URIRef]:
    return {
        subject
        for subject, kind in graph.subject_objects(RDF.type)
        if is_rai(subject) and kind in DECLARATION_TYPES
    }


def alignment_targets(graph: Graph) -> set[URIRef]:
    return {
        target
        for predicate in ALIGNMENT_PREDICATES
        for target in graph.objects(None, predicate)
        if isinstance(target, URIRef) and not is_rai(target)
    }


def read_external_terms() -> list[tuple[URIRef, str, str]]:
    """The vendored list: (IRI, vocabulary file, how it was verified), comments skipped."""
    rows = []
    for line in EXTERNAL_TERMS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        iri, vocabulary_file, how = line.split()
        rows.append((URIRef(iri), vocabulary_file, how))
    return rows


def diff_message(title: str, only_left: set[URIRef], only_right: set[URIRef]) -> str:
    def listing(terms: set[URIRef]) -> str:
        return "\n".join(f"    {term}" for term in sorted(terms)) or "    (none)"

    return f"{title}\n  only in rai.ttl:\n{listing(only_left)}\n  only in vocab.RAI:\n" + listing(only_right)


def test_ontology_parses_as_turtle() -> None:
    """rai.ttl parses with rdflib and is not empty."""
    assert len(ontology()) > 0


def test_ontology_header_names_title_description_licence_and_version() -> None:
    """The owl:Ontology node carries an English title and description, the Apache-2.0 licence and
    version 0.1.0."""
    graph = ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    for predicate in (DCTERMS.title, DCTERMS.description):
        values = list(graph.objects(ONTOLOGY_IRI, predicate))
        assert any(isinstance(v, Literal) and v.language == "en" for v in values), predicate
    assert (ONTOLOGY_IRI, DCTERMS.license, URIRef("https://www.apache.org/licenses/LICENSE-2.0")) in (graph)
    assert (ONTOLOGY_IRI, OWL.versionInfo, Literal("0.1.0")) in graph


def test_declared_terms_equal_the_closed_vocabulary() -> None:
    """The rai: terms declared in rai.ttl are exactly the terms of vocab.RAI, both ways."""
    declared = declared_rai_terms(ontology())
    expected = vocab_terms()
    assert declared == expected, diff_message(
        "rai.ttl and vocab.RAI disagree", declared - expected, expected - declared
    )


def test_every_rai_iri_in_the_file_is_declared() -> None:
    """No rai: IRI appears in rai.ttl (as subject, predicate or object) without a declaration,
    so a misspelt term in a domain, range or alignment cannot slip through."""
    graph = ontology()
    mentioned = {node for triple in graph for node in triple if is_rai(node)}
    undeclared = mentioned - declared_rai_terms(graph)
    assert not undeclared, f"used but not declared: {sorted(undeclared)}"


def test_every_term_has_exactly_one_kind_of_declaration() -> None:
    """Each term is declared as exactly one of class, object property, datatype property or named
    individual, so tools never see a term that is both a property and a class."""
    graph = ontology()
    ambiguous = {
        term: kinds
        for term in vocab_terms()
        if len(kinds := set(graph.objects(term, RDF.type)) & DECLARATION_TYPES) != 1
    }
    assert not ambiguous, ambiguous


@pytest.mark.parametrize("predicate", [RDFS.label, RDFS.comment], ids=["label", "comment"])
def test_every_term_has_an_english_label_and_comment(predicate: URIRef) -> None:
    """Every declared term has a non-empty English rdfs:label and rdfs:comment."""
    graph = ontology()
    missing = sorted(
        term
        for term in vocab_terms()
        if not any(
            isinstance(value, Literal) and value.language == "en" and str(value).strip()
            for value in graph.objects(term, predicate)
        )
    )
    assert not missing, f"terms without an English {predicate}: {missing}"


def test_properties_have_a_domain() -> None:
    """Every rai: property says what kind of record it is used on (rdfs:domain)."""
    graph = ontology()
    properties = set(graph.subjects(RDF.type, OWL.ObjectProperty)) | set(
        graph.subjects(RDF.type, OWL.DatatypeProperty)
    )
    without_domain = sorted(p for p in properties if (p, RDFS.domain, None) not in graph)
    assert not without_domain, without_domain


@pytest.mark.parametrize(
    ("cls", "instance"),
    [(cls, instance) for cls, instances in SPEC_INSTANCES.items() for instance in instances],
    ids=lambda node: str(node).removeprefix(RAI_NS),
)
def test_spec_instance_is_a_named_individual_of_its_class(cls: URIRef, instance: URIRef) -> None:
    """Each instance named by the data model is an owl:NamedIndividual typed with its class."""
    graph = ontology()
    assert (instance, RDF.type, OWL.NamedIndividual) in graph
    assert (instance, RDF.type, cls) in graph


def test_evidence_types_are_concepts_of_the_evidence_type_scheme() -> None:
    """The sixteen evidence types are SKOS concepts in rai:EvidenceTypeScheme, a concept scheme."""
    graph = ontology()
    assert (RAI.EvidenceTypeScheme, RDF.type, SKOS.ConceptScheme) in graph
    for evidence_type in SPEC_INSTANCES[RAI.EvidenceType]:
        assert (evidence_type, RDF.type, SKOS.Concept) in graph, evidence_type
        assert (evidence_type, SKOS.inScheme, RAI.EvidenceTypeScheme) in graph, evidence_type


@pytest.mark.parametrize(
    ("term", "target"), REQUIRED_ALIGNMENTS, ids=lambda node: str(node).rsplit("/", 1)[-1]
)
def test_required_alignment_is_stated(term: URIRef, target: URIRef) -> None:
    """The alignments the data model asks for are stated with rdfs:subClassOf."""
    assert (term, RDFS.subClassOf, target) in ontology()


def test_alignment_targets_are_the_verified_external_terms() -> None:
    """Every non-rai alignment target in rai.ttl is listed in tests/data/external_terms.txt (the
    IRIs verified against the vocabulary files), and the list has no stale entries."""
    used = alignment_targets(ontology())
    verified = {iri for iri, _, _ in read_external_terms()}
    assert used == verified, diff_message(
        "alignment targets differ from tests/data/external_terms.txt (left: used in rai.ttl, right: listed)",
        used - verified,
        verified - used,
    )


def test_external_terms_file_is_well_formed() -> None:
    """Each vendored line names a vocabulary file and one of the two verification kinds."""
    rows = read_external_terms()
    assert rows
    for iri, vocabulary_file, how in rows:
        assert str(iri).startswith(("http://", "https://")), iri
        assert vocabulary_file.endswith(".ttl"), vocabulary_file
        assert how in {"declared", "class-of-instances"}, how


@cache
def shared_vocabulary(relative_path: str) -> Graph:
    return Graph().parse(VOCABULARIES / relative_path, format="turtle")


@pytest.mark.parametrize(
    ("iri", "vocabulary_file", "how"),
    read_external_terms(),
    ids=lambda value: str(value).rsplit("/", 1)[-1],
)
def test_external_term_exists_in_its_vocabulary_file(iri: URIRef, vocabulary_file: str, how: str) -> None:
    """Each vendored IRI really is declared in (or used as a class by) the vocabulary file named."""
    graph = shared_vocabulary(vocabulary_file)
    if how == "declared":
        assert (iri, RDF.type, None) in graph, f"{iri} is not declared in {vocabulary_file}"
    else:
        assert (None, RDF.type, iri) in graph, f"{iri} types nothing in {vocabulary_file}"


def test_date_properties_use_xsd_date() -> None:
    """rai:validUntil and rai:appliesFrom, which the spec types as xsd:date, have that range."""
    graph = ontology()
    assert (RAI.validUntil, RDFS.range, XSD.date) in graph
    assert (RAI.appliesFrom, RDFS.range, XSD.date) in graph
    assert (RAI.maxEvidenceAge, RDFS.range, XSD.duration) in graph
