"""Generated per-tier completeness shapes agree with the status engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph
from rdflib.namespace import SH

from rai_graph.cli import main
from rai_graph.load.repository import load_repository
from rai_graph.model import RepositoryModel, build_model
from rai_graph.trace import Law, assess
from rai_graph.validate.completeness import completeness_shapes, completeness_violations
from rai_graph.validate.records import validate_repository

HERE = Path(__file__).parent
PROJECT = HERE.parent

PREFIXES = """@prefix rai: <https://w3id.org/rai-graph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/acme/> .
"""

CONTROLS = PREFIXES + """
ex:fw a rai:Framework ; dcterms:title "Test framework" .
ex:R1 a rai:Requirement ; skos:inScheme ex:fw ; skos:notation "R1" .
ex:card a rai:Control ; skos:notation "CARD" ; dcterms:title "Model card" ; dcterms:description "d" ;
    rai:satisfies ex:R1 ; rai:requiredForTier rai:HighRisk, rai:LimitedRisk ;
    rai:requiresEvidenceType rai:ModelCard .
ex:fria a rai:Control ; skos:notation "FRIA" ; dcterms:title "FRIA" ; dcterms:description "d" ;
    rai:satisfies ex:R1 ; rai:requiredForTier rai:HighRisk ; rai:appliesToRole rai:Deployer ;
    rai:requiresEvidenceType rai:ImpactAssessment ; rai:maxEvidenceAge "P30D"^^xsd:duration .
ex:anyEvidence a rai:Control ; skos:notation "ANY" ; dcterms:title "Anything" ; dcterms:description "d" ;
    rai:satisfies ex:R1 ; rai:requiredForTier rai:HighRisk .
ex:literacy a rai:Control ; skos:notation "LIT" ; dcterms:title "AI literacy" ; dcterms:description "d" ;
    rai:satisfies ex:R1 ; rai:requiredForTier rai:HighRisk ; rai:scope rai:OrganisationScope .
ex:annexIII a rai:Requirement ; skos:inScheme ex:fw ; skos:notation "Annex III" ; rai:informative true .
ex:area5 a rai:Requirement ; skos:inScheme ex:fw ; skos:notation "Annex III(5)" ; skos:broader ex:annexIII ;
    rai:informative true .
ex:area5b a rai:Requirement ; skos:inScheme ex:fw ; skos:notation "Annex III(5)(b)" ; skos:broader ex:area5 ;
    rai:informative true .
ex:lending a rai:Control ; skos:notation "LEND" ; dcterms:title "Credit FRIA" ; dcterms:description "d" ;
    rai:satisfies ex:R1 ; rai:requiredForTier rai:HighRisk ;
    rai:appliesWhen [ rai:annexIIIArea ex:area5 ] , [ rai:operatorCharacteristic rai:PublicAuthority ;
                                                     rai:route rai:AnnexIIIRoute ] .
ex:Lead a rai:Role .
ex:ann a rai:Person ; foaf:name "Ann" ; foaf:mbox <mailto:ann@example.org> ; rai:hasRole ex:Lead .
ex:bo a rai:Person ; foaf:name "Bo" ; foaf:mbox <mailto:bo@example.org> .
"""


def _system(name: str, tier: str, roles: str, lifecycle: str = "rai:Production") -> str:
    return PREFIXES + f"""
ex:{name} a rai:AISystem ; dcterms:title "{name}" ; rai:riskTier {tier} ; rai:operatorRole {roles} ;
    rai:intendedPurpose "testing" ; rai:owner ex:bo ; rai:lifecycleStatus {lifecycle} .
"""


def _evidence(name: str, system: str, control: str, kind: str, date: str = "2026-05-01") -> str:
    return PREFIXES + f"""
ex:{name} a rai:Evidence ; dcterms:title "{name}" ; rai:forSystem ex:{system} ;
    rai:implements ex:{control} ; rai:evidenceType {kind} ;
    prov:generatedAtTime "{date}"^^xsd:date ; prov:wasAttributedTo ex:bo ; rai:confidentiality rai:Internal .
"""


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    files = {
        "controls/fw.ttl": CONTROLS,
        "evidence/alpha/system.ttl": _system("alpha", "rai:HighRisk", "rai:Provider, rai:Deployer"),
        "evidence/alpha/card.ttl": _evidence("alphaCard", "alpha", "card", "rai:ModelCard"),
        "evidence/alpha/fria-old.ttl": _evidence("alphaFria", "alpha", "fria", "rai:ImpactAssessment",
                                                 "2025-01-01"),
        "evidence/beta/system.ttl": _system("beta", "rai:HighRisk", "rai:Provider"),
        "evidence/beta/card.ttl": _evidence("betaCard", "beta", "card", "rai:Datasheet"),
        "evidence/beta/any.ttl": _evidence("betaAny", "beta", "anyEvidence", "rai:Policy",
                                           "2027-01-01"),
        "evidence/gamma/system.ttl": _system("gamma", "rai:LimitedRisk", "rai:Deployer"),
        "evidence/lender/system.ttl": _system("lender", "rai:HighRisk", "rai:Deployer") + (
            "ex:lender rai:annexIIIArea ex:area5b .\n"),
        "evidence/agency/system.ttl": _system("agency", "rai:HighRisk", "rai:Deployer") + (
            "ex:agency rai:annexIIIArea ex:annexIII ; rai:operatorCharacteristic rai:PublicAuthority .\n"),
        "evidence/authority/system.ttl": _system("authority", "rai:HighRisk", "rai:Deployer") + (
            "ex:authority rai:operatorCharacteristic rai:PublicAuthority .\n"),
        "evidence/delta/system.ttl": _system("delta", "rai:HighRisk", "rai:Provider", "rai:Retired"),
        "evidence/waived/system.ttl": _system("waived", "rai:LimitedRisk", "rai:Provider"),
        "evidence/waived/waiver.ttl": PREFIXES + """
ex:w1 a rai:Waiver ; rai:waives ex:card ; rai:forSystem ex:waived ; rai:rationale "legacy" ;
    rai:expires "2026-12-01"^^xsd:date ; rai:approvedBy ex:ann ; rai:inRole ex:Lead ;
    prov:endedAtTime "2026-01-10"^^xsd:date .
""",
    }
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _data_graph(root: Path) -> tuple[Graph, RepositoryModel]:
    repo = load_repository(root)
    data = Graph()
    for source in repo.data_files():
        if source.role != "ontology":
            data += repo.dataset.graph(source.graph_iri)
    return data, build_model(repo)


def _expected_violations(model: RepositoryModel) -> set[tuple[object, object]]:
    """Applicable pairs with no evidence record of the required type at all."""
    expected = set()
    law = Law(model, dt.date(2026, 11, 24))
    for system in model.systems.values():
        if system.retired:
            continue
        for control in model.controls.values():
            if control.organisation_scope or not law.control_binds(control, system):
                continue
            has_record = any(
                system.iri in e.systems and control.iri in e.controls
                and (control.evidence_type is None or e.evidence_type == control.evidence_type)
                for e in model.evidence.values()
            )
            if not has_record:
                expected.add((system.iri, control.iri))
    return expected


def test_one_shape_per_tier_and_system_scope_control(repository: Path) -> None:
    """Each system-scope control yields a node shape for each tier that requires it."""
    _data, model = _data_graph(repository)
    shapes = completeness_shapes(model)
    assert len(set(shapes.subjects(RDF.type, SH.NodeShape))) == 2 + 1 + 1 + 1  # card ×2, fria, any, lending


def test_shape_verdicts_match_the_index(repository: Path) -> None:
    """pySHACL over the generated shapes flags exactly the pairs with no record of the right type."""
    data, model = _data_graph(repository)
    violations = completeness_violations(data, completeness_shapes(model))
    assert violations == _expected_violations(model)
    assert violations  # the fixture has gaps, so the comparison is not vacuous
    lending = {system for system, control in violations if str(control).endswith("lending")}
    assert {str(s).rsplit("/", 1)[-1] for s in lending} == {"lender", "agency"}  # conditions decide


def test_shape_verdicts_agree_with_statuses(repository: Path) -> None:
    """A violated shape means missing or waived; missing means violated unless evidence is future-dated."""
    repo = load_repository(repository)
    model = build_model(repo)
    outcome = validate_repository(repo, model)
    assessment = assess(model, outcome.artifacts, dt.date(2026, 6, 1))
    data, _ = _data_graph(repository)
    violations = completeness_violations(data, completeness_shapes(model))
    statuses = {(s.system.iri, p.control.iri): p.status for s in assessment.systems for p in s.pairs}
    for pair in violations:
        assert statuses[pair] in ("missing", "waived"), pair
    future_dated = {(model.systems[next(iter(e.systems))].iri, c)
                    for e in model.evidence.values() for c in e.controls
                    if e.generated and e.generated > dt.date(2026, 6, 1)}
    for pair, status in statuses.items():
        if status == "missing" and pair not in future_dated:
            assert pair in violations, pair
    assert "expired" in statuses.values()
    assert "waived" in statuses.values()


@pytest.mark.slow  # whole-catalogue or whole-repository work: not in `make test-fast`
def test_shapes_agree_on_the_example_repository() -> None:
    """On the project's own example organisation, shapes and index flag the same pairs."""
    if not (PROJECT / "evidence").is_dir():
        pytest.skip("example organisation not present")
    data, model = _data_graph(PROJECT)
    violations = completeness_violations(data, completeness_shapes(model))
    assert violations == _expected_violations(model)


def test_shapes_export_writes_turtle(repository: Path, tmp_path: Path) -> None:
    """`rai-graph shapes export -o FILE` writes the shapes as Turtle any SHACL engine can read."""
    target = tmp_path / "out" / "completeness.ttl"
    result = CliRunner().invoke(main, ["shapes", "export", "--repo", str(repository), "-o", str(target)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    exported = Graph().parse(target, format="turtle")
    assert len(set(exported.subjects(RDF.type, SH.NodeShape))) == 5
