"""The hand-written structural SHACL shapes accept a complete, valid set of records and report each
kind of structural mistake with its own message on the record that has it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from rai_graph.vocab import RAI

SHAPES_FILE = Path(__file__).parent.parent / "src" / "rai_graph" / "shapes" / "structural.ttl"
EX = "https://example.org/acme/"

PREFIXES = """\
@prefix rai: <https://w3id.org/rai-graph/ns#> .
@prefix ex: <https://example.org/acme/> .
@prefix euaia: <https://w3id.org/rai-graph/framework/eu-ai-act/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

# One record of every kind the shapes know, each filled in as completely as the data model
# allows, so every optional property's constraint is exercised on a valid value too.
VALID = f"""\
ex:fw a rai:Framework ;
    dcterms:title "Test framework" ;
    skos:notation "test-fw" ;
    owl:versionInfo "1.0" ;
    dcterms:source <https://example.org/test-fw> .

ex:R0 a rai:Requirement ;
    skos:inScheme ex:fw ;
    skos:notation "TF 0" ;
    dcterms:title "Definitions" ;
    rai:informative true .

ex:R1 a rai:Requirement ;
    skos:inScheme ex:fw ;
    skos:notation "TF 1" ;
    dcterms:title "Risk management" ;
    rai:text "A risk management system shall be established." ;
    rai:appliesToTier rai:HighRisk ;
    rai:appliesToRole rai:Provider ;
    rai:appliesFrom "2026-08-02"^^xsd:date ;
    rai:guidanceAbout "Why risk management matters." ;
    rai:aiActors "Governance and Oversight" , "AI Deployment" .

ex:R1-1 a rai:Requirement ;
    skos:inScheme ex:fw ;
    skos:notation "TF 1.1" ;
    skos:broader ex:R1 ;
    rai:relatedRisk ex:Confabulation ;
    rai:relatedSubcategory ex:R1 .

ex:map-1 a rai:CrosswalkMapping ;
    rai:mapsFrom ex:R1 ;
    rai:mapsTo euaia:Art9 ;
    rai:mappingRelation skos:closeMatch ;
    rai:curated true ;
    rai:rationale "Both ask for a documented risk management process." .

ex:no-control-for-R1-1 a rai:UnmappedJustification ;
    rai:justifies ex:R1-1 ;
    rai:rationale "The organisation does not place systems on the EU market." .

ex:RAILead a rai:Role .

ex:alice a rai:Person ;
    foaf:name "Alice Example" ;
    foaf:mbox <mailto:alice@example.org> ;
    rai:hasRole ex:RAILead .

ex:bob a rai:Person ;
    foaf:name "Bob Example" ;
    foaf:mbox <mailto:bob@example.org> .

ex:CTRL-1 a rai:Control ;
    skos:notation "RAI-EVAL-01" ;
    dcterms:title "Fairness evaluation before release" ;
    dcterms:description "Every release is evaluated for group fairness." ;
    rai:satisfies ex:R1 ;
    rai:requiredForTier rai:HighRisk , rai:LimitedRisk ;
    rai:appliesToRole rai:Provider ;
    rai:scope rai:SystemScope ;
    rai:requiresEvidenceType rai:FairnessEvaluation ;
    rai:maxEvidenceAge "P365D"^^xsd:duration ;
    rai:requiresApprovalBy ex:RAILead ;
    rai:answerText "We evaluate every release for group fairness." ;
    rai:threshold [
        rai:metric "equalized_odds_difference" ;
        rai:operator "<" ;
        rai:value 0.1 ;
        rai:slice "age_65_plus"
    ] .

ex:CTRL-2 a rai:Control ;
    skos:notation "RAI-GOV-01" ;
    dcterms:title "Responsible AI policy" ;
    dcterms:description "An approved responsible AI policy is in force." ;
    rai:satisfies ex:R1 ;
    rai:requiredForTier rai:HighRisk ;
    rai:scope rai:OrganisationScope .

ex:CreditScoring a rai:AISystem ;
    dcterms:title "Credit scoring model" ;
    rai:riskTier rai:HighRisk ;
    rai:operatorRole rai:Provider , rai:Deployer ;
    rai:annexIIIArea euaia:AnnexIII-5-b ;
    rai:intendedPurpose "Assess the creditworthiness of loan applicants." ;
    rai:owner ex:bob ;
    rai:lifecycleStatus rai:Production .

ex:fairness-2026 a rai:Evidence ;
    rai:forSystem ex:CreditScoring ;
    rai:implements ex:CTRL-1 ;
    rai:evidenceType rai:FairnessEvaluation ;
    dcterms:title "Fairness evaluation, release 3.2" ;
    rai:artifact "reports/fairness-3.2.pdf" ;
    rai:sha256 "{SHA}" ;
    prov:generatedAtTime "2026-01-15"^^xsd:date ;
    prov:wasAttributedTo ex:bob ;
    rai:confidentiality rai:Internal ;
    rai:validUntil "2027-01-15"^^xsd:date ;
    rai:measurement [
        rai:metric "equalized_odds_difference" ;
        rai:value 0.07 ;
        rai:slice "age_65_plus"
    ] ;
    rai:extractedBy "fairlearn-metricframe-json" .

ex:policy-2026 a rai:Evidence ;
    rai:implements ex:CTRL-2 ;
    rai:evidenceType rai:Policy ;
    dcterms:title "Responsible AI policy v2" ;
    rai:artifactURL <https://records.example.org/policies/rai-v2> ;
    prov:generatedAtTime "2026-01-10T09:30:00Z"^^xsd:dateTime ;
    prov:wasAttributedTo ex:alice ;
    rai:confidentiality rai:Public .

ex:fairness-2026-approval a rai:Approval ;
    rai:approves ex:fairness-2026 ;
    rai:decision rai:ConditionallyApproved ;
    prov:wasAssociatedWith ex:alice ;
    rai:inRole ex:RAILead ;
    prov:endedAtTime "2026-02-01"^^xsd:date ;
    rai:conditions "Re-run the evaluation on the Q2 data." ;
    rai:expires "2027-02-01"^^xsd:date .

ex:ctrl1-waiver a rai:Waiver ;
    rai:waives ex:CTRL-1 ;
    rai:forSystem ex:CreditScoring ;
    rai:rationale "Evaluation data for the new segment arrives in Q3." ;
    rai:compensatingControl ex:CTRL-2 ;
    rai:expires "2026-12-31"^^xsd:date ;
    rai:approvedBy ex:alice ;
    rai:inRole ex:RAILead ;
    prov:endedAtTime "2026-03-01T14:00:00Z"^^xsd:dateTime .

ex:finding-7 a rai:Finding ;
    rai:forSystem ex:CreditScoring ;
    rai:concerns ex:CTRL-1 , ex:R1 ;
    rai:severity rai:High ;
    rai:owner ex:bob ;
    dcterms:created "2026-03-10"^^xsd:date ;
    rai:dueDate "2026-04-30"^^xsd:date ;
    rai:resolvedOn "2026-04-20"^^xsd:date ;
    rai:resolvedBy ex:fairness-2026 ;
    dcterms:description "Age 65+ segment under-represented in evaluation data." .

ex:incident-1 a rai:Incident ;
    rai:forSystem ex:CreditScoring ;
    rai:severity rai:Critical ;
    rai:owner ex:bob ;
    dcterms:created "2026-05-02"^^xsd:date ;
    rai:occurredOn "2026-05-01T22:15:00Z"^^xsd:dateTime ;
    rai:reportedToAuthorityOn "2026-05-10"^^xsd:date ;
    dcterms:description "Scores were computed with a stale model." .
"""

# The messages the shapes give, as a compliance person reads them.
EVIDENCE_TITLE = (
    "An evidence record needs exactly one dcterms:title: a short name for the evidence, as text."
)
SYSTEM_TITLE = "An AI system needs exactly one dcterms:title: its name, as text."
CONTROL_TITLE = "A control needs exactly one dcterms:title: a short name for the control, as text."
SHA256 = (
    "rai:sha256 must be the SHA-256 of the artefact file: 64 lowercase hexadecimal characters "
    "(0-9, a-f) as a plain string, given once."
)
GENERATED_AT = (
    "An evidence record needs exactly one prov:generatedAtTime: the date (xsd:date, or "
    'xsd:dateTime) the evidence was produced, e.g. "2026-01-15"^^xsd:date.'
)
RISK_TIER = (
    "An AI system needs exactly one rai:riskTier: the IRI of its risk tier, e.g. rai:HighRisk."
)
CONFIDENTIALITY = (
    "An evidence record needs exactly one rai:confidentiality: rai:Public, "
    "rai:CustomerShareable, rai:Internal or rai:Confidential."
)
MAX_EVIDENCE_AGE = (
    "A control may have at most one rai:maxEvidenceAge: how long evidence stays current, as an "
    'xsd:duration such as "P365D"^^xsd:duration.'
)
ARTIFACT = (
    "An evidence record may have at most one rai:artifact: the file's path relative to the "
    "record's folder, as a plain string that does not start with / or \\."
)
HASH_NEEDS_ARTIFACT = (
    "rai:sha256 is only allowed together with rai:artifact: add the path of the file it is the "
    "hash of, or remove the hash."
)
ARTIFACT_NEEDS_HASH = (
    "An evidence record with a rai:artifact needs exactly one rai:sha256: the SHA-256 of the "
    "file, so later changes to it are detected."
)
MBOX = (
    "A person needs exactly one foaf:mbox: their e-mail address as a mailto: IRI, e.g. "
    "<mailto:alice@example.org>; it is matched against git commit authors."
)
OPERATOR = (
    'A threshold needs exactly one rai:operator, one of "<", "<=", ">", ">=" or "==".'
)
THRESHOLD_VALUE = "A threshold needs exactly one rai:value: the limit as a number, e.g. 0.1."
DECISION = (
    "An approval needs exactly one rai:decision: rai:Approved, rai:ConditionallyApproved or "
    "rai:Rejected."
)
WAIVER_EXPIRES = (
    "A waiver needs exactly one rai:expires: the date (xsd:date, or xsd:dateTime) it ends, at "
    "most one year after approval."
)
LIFECYCLE = (
    "An AI system may have at most one rai:lifecycleStatus: rai:Development, rai:Production or "
    "rai:Retired."
)
SCOPE = (
    "A control may have at most one rai:scope, either rai:SystemScope (the default) or "
    "rai:OrganisationScope."
)
SEVERITY = (
    "A finding may have one rai:severity: rai:Critical, rai:High, rai:Medium or rai:Low."
)
OWNER = "An AI system needs exactly one rai:owner: the IRI of the person accountable for it."
MAPPING_RELATION = (
    "A crosswalk mapping needs exactly one rai:mappingRelation: skos:exactMatch, "
    "skos:closeMatch, skos:broadMatch, skos:narrowMatch or skos:relatedMatch."
)
VALID_UNTIL = (
    "An evidence record may have at most one rai:validUntil: the last day it may be relied on, "
    'as an xsd:date, e.g. "2027-01-31"^^xsd:date.'
)


@dataclass(frozen=True)
class Outcome:
    """What validation reported: conformance, (focus node, message) pairs, and the data."""

    conforms: bool
    results: set[tuple[Node, str]]
    data: Graph


@cache
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def validate(records: str) -> Outcome:
    data = Graph().parse(data=PREFIXES + records, format="turtle")
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes(), inference="none", advanced=False
    )
    results = {
        (report.value(result, SH.focusNode), str(report.value(result, SH.resultMessage)))
        for result in report.subjects(RDF.type, SH.ValidationResult)
    }
    return Outcome(bool(conforms), results, data)


def edit(old: str, new: str, records: str = VALID) -> str:
    """``records`` with one exact, unique piece of text replaced (so a typo cannot be a no-op)."""
    assert records.count(old) == 1, f"{old!r} must occur exactly once"
    return records.replace(old, new)


def ex(local: str) -> URIRef:
    return URIRef(EX + local)


def assert_only(outcome: Outcome, focus: Node, message: str) -> None:
    assert not outcome.conforms
    assert outcome.results == {(focus, message)}


# --- the valid set --------------------------------------------------------------------------------


def test_complete_valid_records_conform() -> None:
    """A framework, requirements, mapping, people, controls, system, evidence, approval, waiver,
    finding and incident written as the data model says produce no result at all."""
    outcome = validate(VALID)
    assert outcome.results == set()
    assert outcome.conforms


def test_organisation_defined_tiers_roles_and_evidence_types_are_accepted() -> None:
    """Risk tiers, operator roles and evidence types are open lists: an organisation's own
    instances conform."""
    records = edit("rai:riskTier rai:HighRisk ;", "rai:riskTier ex:InternalCritical ;")
    records = edit("rai:evidenceType rai:Policy ;", "rai:evidenceType ex:BoardMinutes ;", records)
    records = edit(
        "rai:operatorRole rai:Provider , rai:Deployer ;", "rai:operatorRole ex:Reseller ;", records
    )
    outcome = validate(records)
    assert outcome.results == set()


def test_evidence_without_artifact_or_system_conforms() -> None:
    """Organisation-wide evidence may leave out rai:forSystem, and evidence need not carry a file."""
    records = edit(f'    rai:artifact "reports/fairness-3.2.pdf" ;\n    rai:sha256 "{SHA}" ;\n', "")
    records = edit(
        "    rai:forSystem ex:CreditScoring ;\n    rai:implements ex:CTRL-1 ;\n",
        "    rai:implements ex:CTRL-1 ;\n",
        records,
    )
    outcome = validate(records)
    assert outcome.results == set()


# --- hashes and artefacts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_hash",
    [SHA.upper(), SHA[:-1], SHA + "0", "sha256:" + SHA[7:], SHA[:-1] + "g"],
    ids=["uppercase", "too-short", "too-long", "prefixed", "not-hex"],
)
def test_malformed_sha256_is_reported(bad_hash: str) -> None:
    """rai:sha256 must be exactly 64 lowercase hexadecimal characters."""
    outcome = validate(edit(f'rai:sha256 "{SHA}"', f'rai:sha256 "{bad_hash}"'))
    assert_only(outcome, ex("fairness-2026"), SHA256)


def test_two_hashes_are_reported() -> None:
    """An evidence record has at most one rai:sha256."""
    outcome = validate(edit(f'rai:sha256 "{SHA}"', f'rai:sha256 "{SHA}" , "{"0" * 64}"'))
    assert_only(outcome, ex("fairness-2026"), SHA256)


@pytest.mark.parametrize(
    "path", ["/etc/passwd", "/home/bob/report.pdf", "\\\\server\\share\\report.pdf"]
)
def test_absolute_artifact_path_is_reported(path: str) -> None:
    """rai:artifact is a path relative to the record's folder: it may not start with / or \\."""
    escaped = path.replace("\\", "\\\\")
    outcome = validate(
        edit('rai:artifact "reports/fairness-3.2.pdf"', f'rai:artifact "{escaped}"')
    )
    assert_only(outcome, ex("fairness-2026"), ARTIFACT)


def test_sha256_without_artifact_is_reported() -> None:
    """A hash with no artefact to check it against is reported on the evidence record."""
    outcome = validate(edit('    rai:artifact "reports/fairness-3.2.pdf" ;\n', ""))
    assert_only(outcome, ex("fairness-2026"), HASH_NEEDS_ARTIFACT)


def test_artifact_without_sha256_is_reported() -> None:
    """An artefact must come with its SHA-256."""
    outcome = validate(edit(f'    rai:sha256 "{SHA}" ;\n', ""))
    assert_only(outcome, ex("fairness-2026"), ARTIFACT_NEEDS_HASH)


# --- dates and durations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_date",
    ['"yesterday"^^xsd:date', '"2026-01-15"', '"15/01/2026"^^xsd:date', '"2026-01-15T10:00"'],
    ids=["ill-typed-date", "plain-string", "wrong-format", "untyped-datetime"],
)
def test_generated_at_time_must_be_a_date(bad_date: str) -> None:
    """prov:generatedAtTime is an xsd:date or xsd:dateTime with a valid lexical form."""
    outcome = validate(
        edit('prov:generatedAtTime "2026-01-15"^^xsd:date', f"prov:generatedAtTime {bad_date}")
    )
    assert_only(outcome, ex("fairness-2026"), GENERATED_AT)


def test_missing_generated_at_time_is_reported() -> None:
    """Evidence without prov:generatedAtTime is reported with the same message."""
    outcome = validate(edit('    prov:generatedAtTime "2026-01-15"^^xsd:date ;\n', ""))
    assert_only(outcome, ex("fairness-2026"), GENERATED_AT)


def test_valid_until_accepts_only_xsd_date() -> None:
    """rai:validUntil is typed xsd:date in the data model, so an xsd:dateTime is reported."""
    outcome = validate(
        edit(
            'rai:validUntil "2027-01-15"^^xsd:date',
            'rai:validUntil "2027-01-15T00:00:00Z"^^xsd:dateTime',
        )
    )
    assert_only(outcome, ex("fairness-2026"), VALID_UNTIL)


@pytest.mark.parametrize(
    "bad_duration",
    ['"P365D"', '"365 days"^^xsd:duration', '"P1Y"^^xsd:string', "365"],
    ids=["plain-string", "ill-typed", "string-typed", "integer"],
)
def test_max_evidence_age_must_be_a_duration(bad_duration: str) -> None:
    """rai:maxEvidenceAge is an xsd:duration such as "P365D"^^xsd:duration."""
    outcome = validate(
        edit('rai:maxEvidenceAge "P365D"^^xsd:duration', f"rai:maxEvidenceAge {bad_duration}")
    )
    assert_only(outcome, ex("CTRL-1"), MAX_EVIDENCE_AGE)


def test_waiver_without_expiry_is_reported() -> None:
    """A waiver must say when it ends."""
    outcome = validate(edit('    rai:expires "2026-12-31"^^xsd:date ;\n', ""))
    assert_only(outcome, ex("ctrl1-waiver"), WAIVER_EXPIRES)


# --- required properties and cardinalities ---------------------------------------------------------


@pytest.mark.parametrize(
    ("title_line", "focus", "message"),
    [
        ('    dcterms:title "Fairness evaluation, release 3.2" ;\n', "fairness-2026", EVIDENCE_TITLE),
        ('    dcterms:title "Credit scoring model" ;\n', "CreditScoring", SYSTEM_TITLE),
        ('    dcterms:title "Fairness evaluation before release" ;\n', "CTRL-1", CONTROL_TITLE),
    ],
    ids=["evidence", "system", "control"],
)
def test_missing_title_is_reported(title_line: str, focus: str, message: str) -> None:
    """Evidence, systems and controls each need exactly one dcterms:title."""
    assert_only(validate(edit(title_line, "")), ex(focus), message)


def test_two_risk_tiers_are_reported() -> None:
    """An AI system has exactly one rai:riskTier."""
    outcome = validate(
        edit("rai:riskTier rai:HighRisk ;", "rai:riskTier rai:HighRisk , rai:LimitedRisk ;")
    )
    assert_only(outcome, ex("CreditScoring"), RISK_TIER)


def test_risk_tier_given_as_text_is_reported() -> None:
    """A risk tier is named by its IRI, not written as text."""
    outcome = validate(edit("rai:riskTier rai:HighRisk ;", 'rai:riskTier "high" ;'))
    assert_only(outcome, ex("CreditScoring"), RISK_TIER)


def test_owner_given_as_text_is_reported() -> None:
    """References to other records are IRIs: an owner written as a name is reported."""
    outcome = validate(
        edit("rai:owner ex:bob ;\n    rai:lifecycleStatus", 'rai:owner "Bob" ;\n    rai:lifecycleStatus')
    )
    assert_only(outcome, ex("CreditScoring"), OWNER)


# --- closed value lists ----------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["rai:Secret", "ex:Internal", '"Internal"'])
def test_unknown_confidentiality_is_reported(level: str) -> None:
    """rai:confidentiality is one of the four rai: levels, nothing else."""
    outcome = validate(
        edit("rai:confidentiality rai:Internal ;", f"rai:confidentiality {level} ;")
    )
    assert_only(outcome, ex("fairness-2026"), CONFIDENTIALITY)


def test_unknown_decision_is_reported() -> None:
    """rai:decision is Approved, ConditionallyApproved or Rejected."""
    outcome = validate(
        edit("rai:decision rai:ConditionallyApproved ;", "rai:decision rai:Postponed ;")
    )
    assert_only(outcome, ex("fairness-2026-approval"), DECISION)


def test_unknown_lifecycle_status_is_reported() -> None:
    """rai:lifecycleStatus is Development, Production or Retired."""
    outcome = validate(
        edit("rai:lifecycleStatus rai:Production .", "rai:lifecycleStatus rai:Pilot .")
    )
    assert_only(outcome, ex("CreditScoring"), LIFECYCLE)


def test_unknown_scope_is_reported() -> None:
    """rai:scope is SystemScope or OrganisationScope."""
    outcome = validate(edit("rai:scope rai:SystemScope ;", "rai:scope rai:TeamScope ;"))
    assert_only(outcome, ex("CTRL-1"), SCOPE)


def test_unknown_severity_on_an_incident_is_reported() -> None:
    """Incidents are checked as findings although validation runs without inference."""
    outcome = validate(edit("rai:severity rai:Critical ;", "rai:severity rai:Catastrophic ;"))
    assert_only(outcome, ex("incident-1"), SEVERITY)


def test_unknown_mapping_relation_is_reported() -> None:
    """A crosswalk mapping's relation is one of the SKOS mapping properties."""
    outcome = validate(
        edit("rai:mappingRelation skos:closeMatch ;", "rai:mappingRelation skos:related ;")
    )
    assert_only(outcome, ex("map-1"), MAPPING_RELATION)


# --- people ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mbox",
    ['"alice@example.org"', "<https://example.org/alice>", "<mailto:alice>", "<mailto:>"],
    ids=["text", "web-iri", "no-domain", "empty"],
)
def test_mbox_must_be_a_mailto_iri(mbox: str) -> None:
    """foaf:mbox is a mailto: IRI with an address in it."""
    outcome = validate(
        edit("foaf:mbox <mailto:alice@example.org> ;", f"foaf:mbox {mbox} ;")
    )
    assert_only(outcome, ex("alice"), MBOX)


# --- thresholds and measurements -------------------------------------------------------------------


def threshold_of(data: Graph, control: str) -> Node:
    node = data.value(ex(control), RAI.threshold)
    assert isinstance(node, BNode)
    return node


def test_unknown_threshold_operator_is_reported_on_the_threshold() -> None:
    """rai:operator is one of "<", "<=", ">", ">=", "=="; "≈" is reported on the threshold node."""
    outcome = validate(edit('rai:operator "<" ;', 'rai:operator "≈" ;'))
    assert_only(outcome, threshold_of(outcome.data, "CTRL-1"), OPERATOR)


def test_threshold_value_must_be_a_number() -> None:
    """A threshold's limit is a number, not text."""
    outcome = validate(edit("rai:value 0.1 ;", 'rai:value "0.1" ;'))
    assert_only(outcome, threshold_of(outcome.data, "CTRL-1"), THRESHOLD_VALUE)


@pytest.mark.parametrize("number", ["1", "1.0e-1", "0.1"], ids=["integer", "double", "decimal"])
def test_threshold_value_accepts_integers_doubles_and_decimals(number: str) -> None:
    """Turtle's three numeric forms are all accepted as a threshold limit."""
    assert validate(edit("rai:value 0.1 ;", f"rai:value {number} ;")).conforms


# --- every other property shape, one breaking edit each ---------------------------------------------

RAISH = "https://w3id.org/rai-graph/shapes#"

# (test id, text in VALID, replacement, focus node, node shape, sh:name of the property shape).
# The focus is a local name, or (property, local name) for the blank node that property points to.
BREAKING_EDITS: list[tuple[str, str, str, str | tuple[URIRef, str], str, str]] = [
    ("framework-title-iri", 'dcterms:title "Test framework" ;', "dcterms:title ex:TestFramework ;",
     "fw", "FrameworkShape", "title"),
    ("framework-two-notations", 'skos:notation "test-fw" ;', 'skos:notation "test-fw" , "tfw" ;',
     "fw", "FrameworkShape", "notation"),
    ("framework-two-versions", 'owl:versionInfo "1.0" ;', 'owl:versionInfo "1.0" , "2.0" ;',
     "fw", "FrameworkShape", "version"),
    ("requirement-no-framework", '    skos:inScheme ex:fw ;\n    skos:notation "TF 1.1" ;',
     '    skos:notation "TF 1.1" ;', "R1-1", "RequirementShape", "framework"),
    ("requirement-two-notations", 'skos:notation "TF 1" ;', 'skos:notation "TF 1" , "TF-1" ;',
     "R1", "RequirementShape", "notation"),
    ("requirement-two-titles", 'dcterms:title "Risk management" ;',
     'dcterms:title "Risk management" , "Risk management system" ;',
     "R1", "RequirementShape", "title"),
    ("requirement-text-iri", 'rai:text "A risk management system shall be established." ;',
     "rai:text ex:Art9Text ;", "R1", "RequirementShape", "official text"),
    ("requirement-two-parents", "skos:broader ex:R1 ;", "skos:broader ex:R1 , ex:R2 ;",
     "R1-1", "RequirementShape", "parent clause"),
    ("requirement-informative-text", "rai:informative true .", 'rai:informative "yes" .',
     "R0", "RequirementShape", "informative"),
    ("requirement-tier-text", "rai:appliesToTier rai:HighRisk ;", 'rai:appliesToTier "high" ;',
     "R1", "RequirementShape", "applies to tier"),
    ("requirement-role-text", "rai:appliesToRole rai:Provider ;\n    rai:appliesFrom",
     'rai:appliesToRole "provider" ;\n    rai:appliesFrom', "R1", "RequirementShape",
     "applies to role"),
    ("requirement-applies-from-datetime", 'rai:appliesFrom "2026-08-02"^^xsd:date ;',
     'rai:appliesFrom "2026-08-02T00:00:00Z"^^xsd:dateTime ;', "R1", "RequirementShape",
     "applies from"),
    ("requirement-risk-text", "rai:relatedRisk ex:Confabulation ;",
     'rai:relatedRisk "confabulation" ;', "R1-1", "RequirementShape", "related risk"),
    ("requirement-subcategory-text", "rai:relatedSubcategory ex:R1 .",
     'rai:relatedSubcategory "GOVERN 1.1" .', "R1-1", "RequirementShape", "related subcategory"),
    ("requirement-guidance-iri", 'rai:guidanceAbout "Why risk management matters." ;',
     "rai:guidanceAbout ex:About ;", "R1", "RequirementShape", "guidance"),
    ("mapping-from-text", "rai:mapsFrom ex:R1 ;", 'rai:mapsFrom "TF 1" ;',
     "map-1", "CrosswalkMappingShape", "maps from"),
    ("mapping-no-target", "    rai:mapsTo euaia:Art9 ;\n", "",
     "map-1", "CrosswalkMappingShape", "maps to"),
    ("mapping-curated-text", "rai:curated true ;", 'rai:curated "yes" ;',
     "map-1", "CrosswalkMappingShape", "curated"),
    ("mapping-rationale-iri", 'rai:rationale "Both ask for a documented risk management process."',
     "rai:rationale ex:SameProcess", "map-1", "CrosswalkMappingShape", "rationale"),
    ("justification-no-requirement", "    rai:justifies ex:R1-1 ;\n", "",
     "no-control-for-R1-1", "UnmappedJustificationShape", "justifies"),
    ("justification-no-rationale",
     'ex:R1-1 ;\n    rai:rationale "The organisation does not place systems on the EU market." .',
     "ex:R1-1 .", "no-control-for-R1-1", "UnmappedJustificationShape", "rationale"),
    ("control-notation-iri", 'skos:notation "RAI-EVAL-01" ;', "skos:notation ex:RAI-EVAL-01 ;",
     "CTRL-1", "ControlShape", "identifier"),
    ("control-no-description",
     '    dcterms:description "Every release is evaluated for group fairness." ;\n', "",
     "CTRL-1", "ControlShape", "description"),
    ("control-satisfies-text", "rai:satisfies ex:R1 ;\n    rai:requiredForTier rai:HighRisk ,",
     'rai:satisfies "TF 1" ;\n    rai:requiredForTier rai:HighRisk ,', "CTRL-1", "ControlShape",
     "satisfies"),
    ("control-no-tier", "    rai:requiredForTier rai:HighRisk , rai:LimitedRisk ;\n", "",
     "CTRL-1", "ControlShape", "required for tier"),
    ("control-role-text", "rai:appliesToRole rai:Provider ;\n    rai:scope",
     'rai:appliesToRole "Provider" ;\n    rai:scope', "CTRL-1", "ControlShape", "applies to role"),
    ("control-two-evidence-types", "rai:requiresEvidenceType rai:FairnessEvaluation ;",
     "rai:requiresEvidenceType rai:FairnessEvaluation , rai:RedTeamReport ;", "CTRL-1",
     "ControlShape", "required evidence type"),
    ("control-approver-text", "rai:requiresApprovalBy ex:RAILead ;",
     'rai:requiresApprovalBy "RAI lead" ;', "CTRL-1", "ControlShape", "requires approval by"),
    ("control-answer-iri", 'rai:answerText "We evaluate every release for group fairness." ;',
     "rai:answerText ex:Answer ;", "CTRL-1", "ControlShape", "questionnaire answer"),
    ("control-threshold-text", "rai:scope rai:OrganisationScope .",
     'rai:scope rai:OrganisationScope ;\n    rai:threshold "accuracy > 0.9" .', "CTRL-2",
     "ControlShape", "threshold"),
    ("threshold-metric-number", 'rai:metric "equalized_odds_difference" ;\n        rai:operator',
     "rai:metric 42 ;\n        rai:operator", (RAI.threshold, "CTRL-1"), "ThresholdShape",
     "metric"),
    ("threshold-two-slices", 'rai:slice "age_65_plus"\n    ] .',
     'rai:slice "age_65_plus" , "women"\n    ] .', (RAI.threshold, "CTRL-1"), "ThresholdShape",
     "slice"),
    ("measurement-no-metric", 'rai:metric "equalized_odds_difference" ;\n        rai:value 0.07',
     "rai:value 0.07", (RAI.measurement, "fairness-2026"), "MeasurementShape", "metric"),
    ("measurement-value-text", "rai:value 0.07 ;", 'rai:value "seven percent" ;',
     (RAI.measurement, "fairness-2026"), "MeasurementShape", "measured value"),
    ("measurement-slice-iri", 'rai:slice "age_65_plus"\n    ] ;', "rai:slice ex:Seniors\n    ] ;",
     (RAI.measurement, "fairness-2026"), "MeasurementShape", "slice"),
    ("system-no-role", "    rai:operatorRole rai:Provider , rai:Deployer ;\n", "",
     "CreditScoring", "AISystemShape", "operator role"),
    ("system-annex-text", "rai:annexIIIArea euaia:AnnexIII-5-b ;",
     'rai:annexIIIArea "Annex III 5(b)" ;', "CreditScoring", "AISystemShape", "Annex III area"),
    ("system-no-purpose",
     '    rai:intendedPurpose "Assess the creditworthiness of loan applicants." ;\n', "",
     "CreditScoring", "AISystemShape", "intended purpose"),
    ("evidence-system-text", "rai:forSystem ex:CreditScoring ;\n    rai:implements ex:CTRL-1 ;",
     'rai:forSystem "credit-scoring" ;\n    rai:implements ex:CTRL-1 ;', "fairness-2026",
     "EvidenceShape", "for system"),
    ("evidence-no-control", "    rai:implements ex:CTRL-2 ;\n", "",
     "policy-2026", "EvidenceShape", "implements"),
    ("evidence-two-types", "rai:evidenceType rai:FairnessEvaluation ;",
     "rai:evidenceType rai:FairnessEvaluation , rai:RedTeamReport ;", "fairness-2026",
     "EvidenceShape", "evidence type"),
    ("evidence-url-text", "rai:artifactURL <https://records.example.org/policies/rai-v2> ;",
     'rai:artifactURL "https://records.example.org/policies/rai-v2" ;', "policy-2026",
     "EvidenceShape", "artefact URL"),
    ("evidence-author-text", "prov:wasAttributedTo ex:alice ;",
     'prov:wasAttributedTo "Alice" ;', "policy-2026", "EvidenceShape", "author"),
    ("evidence-measurement-number", "rai:confidentiality rai:Public .",
     "rai:confidentiality rai:Public ;\n    rai:measurement 0.07 .", "policy-2026",
     "EvidenceShape", "measurement"),
    ("evidence-importer-iri", 'rai:extractedBy "fairlearn-metricframe-json" .',
     "rai:extractedBy ex:FairlearnImporter .", "fairness-2026", "EvidenceShape", "extracted by"),
    ("approval-two-records", "rai:approves ex:fairness-2026 ;",
     "rai:approves ex:fairness-2026 , ex:policy-2026 ;", "fairness-2026-approval",
     "ApprovalShape", "approves"),
    ("approval-approver-text", "prov:wasAssociatedWith ex:alice ;",
     'prov:wasAssociatedWith "Alice" ;', "fairness-2026-approval", "ApprovalShape", "approver"),
    ("approval-role-text", 'rai:inRole ex:RAILead ;\n    prov:endedAtTime "2026-02-01"',
     'rai:inRole "RAI lead" ;\n    prov:endedAtTime "2026-02-01"', "fairness-2026-approval",
     "ApprovalShape", "in role"),
    ("approval-date-text", 'prov:endedAtTime "2026-02-01"^^xsd:date ;',
     'prov:endedAtTime "1 Feb 2026" ;', "fairness-2026-approval", "ApprovalShape",
     "approved on"),
    ("approval-conditions-iri", 'rai:conditions "Re-run the evaluation on the Q2 data." ;',
     "rai:conditions ex:RerunOnQ2 ;", "fairness-2026-approval", "ApprovalShape", "conditions"),
    ("approval-two-expiries", 'rai:expires "2027-02-01"^^xsd:date .',
     'rai:expires "2027-02-01"^^xsd:date , "2027-06-01"^^xsd:date .', "fairness-2026-approval",
     "ApprovalShape", "expires"),
    ("waiver-control-text", "rai:waives ex:CTRL-1 ;", 'rai:waives "RAI-EVAL-01" ;',
     "ctrl1-waiver", "WaiverShape", "waives"),
    ("waiver-two-systems", "rai:forSystem ex:CreditScoring ;\n    rai:rationale",
     "rai:forSystem ex:CreditScoring , ex:Chatbot ;\n    rai:rationale", "ctrl1-waiver",
     "WaiverShape", "for system"),
    ("waiver-no-rationale",
     '    rai:rationale "Evaluation data for the new segment arrives in Q3." ;\n', "",
     "ctrl1-waiver", "WaiverShape", "rationale"),
    ("waiver-compensating-text", "rai:compensatingControl ex:CTRL-2 ;",
     'rai:compensatingControl "manual review" ;', "ctrl1-waiver", "WaiverShape",
     "compensating control"),
    ("waiver-approver-text", "rai:approvedBy ex:alice ;", 'rai:approvedBy "Alice" ;',
     "ctrl1-waiver", "WaiverShape", "approved by"),
    ("waiver-two-roles", 'rai:inRole ex:RAILead ;\n    prov:endedAtTime "2026-03-01',
     'rai:inRole ex:RAILead , ex:DPO ;\n    prov:endedAtTime "2026-03-01', "ctrl1-waiver",
     "WaiverShape", "in role"),
    ("waiver-date-untyped", 'prov:endedAtTime "2026-03-01T14:00:00Z"^^xsd:dateTime .',
     'prov:endedAtTime "2026-03-01T14:00:00Z" .', "ctrl1-waiver", "WaiverShape", "approved on"),
    ("person-two-names", 'foaf:name "Bob Example" ;', 'foaf:name "Bob Example" , "Robert" ;',
     "bob", "PersonShape", "name"),
    ("person-role-text", "rai:hasRole ex:RAILead .", 'rai:hasRole "RAI lead" .',
     "alice", "PersonShape", "roles"),
    ("finding-system-text", "rai:forSystem ex:CreditScoring ;\n    rai:concerns",
     'rai:forSystem "credit scoring" ;\n    rai:concerns', "finding-7", "FindingShape",
     "for system"),
    ("finding-concerns-text", "rai:concerns ex:CTRL-1 , ex:R1 ;", 'rai:concerns "RAI-EVAL-01" ;',
     "finding-7", "FindingShape", "concerns"),
    ("finding-two-owners", 'rai:owner ex:bob ;\n    dcterms:created "2026-03-10"',
     'rai:owner ex:bob , ex:alice ;\n    dcterms:created "2026-03-10"', "finding-7",
     "FindingShape", "owner"),
    ("finding-created-text", 'dcterms:created "2026-03-10"^^xsd:date ;',
     'dcterms:created "March 2026" ;', "finding-7", "FindingShape", "raised on"),
    ("finding-due-text", 'rai:dueDate "2026-04-30"^^xsd:date ;', 'rai:dueDate "soon" ;',
     "finding-7", "FindingShape", "due date"),
    ("finding-two-resolutions", 'rai:resolvedOn "2026-04-20"^^xsd:date ;',
     'rai:resolvedOn "2026-04-20"^^xsd:date , "2026-04-21"^^xsd:date ;', "finding-7",
     "FindingShape", "resolved on"),
    ("finding-resolved-by-text", "rai:resolvedBy ex:fairness-2026 ;",
     'rai:resolvedBy "the new evaluation" ;', "finding-7", "FindingShape", "resolved by"),
    ("finding-description-iri",
     'dcterms:description "Age 65+ segment under-represented in evaluation data." .',
     "dcterms:description ex:Gap .", "finding-7", "FindingShape", "description"),
    ("incident-occurred-text", 'rai:occurredOn "2026-05-01T22:15:00Z"^^xsd:dateTime ;',
     'rai:occurredOn "last night" ;', "incident-1", "IncidentShape", "occurred on"),
    ("incident-reported-boolean", 'rai:reportedToAuthorityOn "2026-05-10"^^xsd:date ;',
     "rai:reportedToAuthorityOn true ;", "incident-1", "IncidentShape",
     "reported to authority on"),
]


def message_of(node_shape: str, name: str) -> str:
    """The sh:message of the property shape called ``name`` in ``raish:<node_shape>``."""
    graph = shapes()
    for property_shape in graph.objects(URIRef(RAISH + node_shape), SH.property):
        if str(graph.value(property_shape, SH.name)) == name:
            return str(graph.value(property_shape, SH.message))
    raise AssertionError(f"raish:{node_shape} has no property shape named {name!r}")


def focus_node(data: Graph, focus: str | tuple[URIRef, str]) -> Node:
    if isinstance(focus, str):
        return ex(focus)
    predicate, subject = focus
    node = data.value(ex(subject), predicate)
    assert node is not None
    return node


@pytest.mark.parametrize(
    ("old", "new", "focus", "node_shape", "name"),
    [pytest.param(*case[1:], id=case[0]) for case in BREAKING_EDITS],
)
def test_breaking_edit_is_reported_by_its_property_shape(
    old: str, new: str, focus: str | tuple[URIRef, str], node_shape: str, name: str
) -> None:
    """Each property shape reports a record that breaks it, with that shape's message."""
    outcome = validate(edit(old, new))
    assert not outcome.conforms
    expected = (focus_node(outcome.data, focus), message_of(node_shape, name))
    assert expected in outcome.results, outcome.results


# --- the shapes file itself ------------------------------------------------------------------------


def test_every_property_shape_has_a_name_and_a_one_line_message() -> None:
    """Each property shape carries sh:name and a single-line sh:message for the person fixing it."""
    graph = shapes()
    property_shapes = set(graph.objects(None, SH.property))
    assert property_shapes
    for shape in property_shapes:
        path = graph.value(shape, SH.path)
        assert graph.value(shape, SH.name) is not None, path
        message = graph.value(shape, SH.message)
        assert message is not None, path
        assert "\n" not in str(message), path


def test_shapes_use_only_shacl_core_without_class_checks() -> None:
    """No SPARQL constraints or targets and no sh:class: references are checked in Python."""
    predicates = set(shapes().predicates())
    assert SH.sparql not in predicates
    assert SH.target not in predicates
    assert SH["class"] not in predicates


@pytest.mark.parametrize(
    "cls",
    [
        RAI.Framework,
        RAI.Requirement,
        RAI.Control,
        RAI.AISystem,
        RAI.Evidence,
        RAI.Approval,
        RAI.Waiver,
        RAI.Person,
        RAI.Finding,
        RAI.Incident,
    ],
    ids=lambda node: str(node).rsplit("#", 1)[-1],
)
def test_each_record_class_has_a_node_shape(cls: URIRef) -> None:
    """Every record class of the data model is the target of a node shape."""
    assert any(
        (shape, RDF.type, SH.NodeShape) in shapes()
        for shape in shapes().subjects(SH.targetClass, cls)
    )


def test_property_shape_names_are_unique_within_each_node_shape() -> None:
    """sh:name identifies a property shape within its node shape (the tests look messages up by it)."""
    graph = shapes()
    for node_shape in graph.subjects(RDF.type, SH.NodeShape):
        names = [str(graph.value(p, SH.name)) for p in graph.objects(node_shape, SH.property)]
        assert len(names) == len(set(names)), node_shape


def test_package_shapes_are_the_files_triples_and_a_new_graph_each_time() -> None:
    """The shapes parsed once per process (``package_shapes``) are rdflib's reading of the file, and
    each call gives a graph of its own: adding the repository's shapes to one leaves the next alone."""
    from rai_graph.validate.records import _package_shapes_text, package_shapes

    def blanked(graph: Graph) -> list[tuple[str, ...]]:
        # The triples with each blank node as "_" (rdflib's isomorphism test takes seconds here).
        return sorted(tuple("_" if isinstance(t, BNode) else t.n3() for t in triple) for triple in graph)

    by_rdflib = Graph().parse(data=_package_shapes_text(), format="turtle")
    first = package_shapes()
    assert blanked(first) == blanked(by_rdflib)
    first.add((URIRef("urn:x:shape"), RDF.type, SH.NodeShape))
    assert len(package_shapes()) == len(by_rdflib)
