"""CycloneDX 1.6 documents for one AI system: an ML-BOM and an attestation (CDXA).

* **ML-BOM**: the system as a ``machine-learning-model`` component whose ``modelCard`` is filled
  from what the repository knows: the intended purpose (``considerations.useCases``), the
  measurements of its evidence (``quantitativeAnalysis.performanceMetrics``, per slice), its open
  findings (``considerations.ethicalConsiderations``); its evidence artefacts are external
  references (``model-card``, ``risk-assessment``, ``quality-metrics`` or ``evidence``) with their
  SHA-256; tier, roles and readiness are properties.
* **Attestation (CDXA)**: the adopted frameworks' requirements that apply to the system (and those
  deferred) as ``definitions.standards``; a claim per control that binds it (met or waived: its
  evidence; otherwise the evidence is counter-evidence, and the reason is the claim's reasoning);
  the attestation map from each requirement to the claims of its controls with a conformance
  score (the share of its controls met or waived); each evidence record with its author, its
  approver as reviewer and the date its approval or validity ends as ``expires``; and the
  approvers as the affirmation's signatories, each pointing at the approval record.

Only evidence and findings the audience may see appear (:class:`~rai_graph.audience.AudienceView`).
Serial numbers and references derive from IRIs and the as-of date, timestamps from the commit
judged or the as-of date: the same repository gives the same documents.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from rdflib import URIRef

from rai_graph._version import __version__
from rai_graph.audience import AudienceView
from rai_graph.model import Approval, Evidence, RepositoryModel
from rai_graph.provenance import Provenance
from rai_graph.trace import (
    GOOD_STATUSES,
    POSITIVE_DECISIONS,
    Assessment,
    PairStatus,
    RequirementCoverage,
    SystemAssessment,
    organisation_controls_for,
)
from rai_graph.vocab import RAI

SPEC_VERSION = "1.6"
SCHEMA_URI = "http://cyclonedx.org/schema/bom-1.6.schema.json"
PROPERTY_PREFIX = "rai-graph:"
_NAMESPACE = uuid.UUID("0c6f5f4e-2f51-4a4b-9f6e-8a1f6c3d2b7a")
_REFERENCE_TYPES = {RAI.ModelCard: "model-card", RAI.RiskAssessment: "risk-assessment",
                    RAI.FairnessEvaluation: "quality-metrics", RAI.RobustnessEvaluation: "quality-metrics",
                    RAI.Datasheet: "documentation"}


def _timestamp(moment: dt.datetime | dt.date) -> str:
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def _serial(kind: str, system: SystemAssessment, assessment: Assessment, view: AudienceView) -> str:
    name = "\x1f".join((kind, str(system.system.iri), assessment.as_of.isoformat(), view.audience))
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": PROPERTY_PREFIX + name, "value": value}


def _some(key: str, items: list[Any]) -> dict[str, Any]:
    return {key: items} if items else {}


def _tools() -> dict[str, Any]:
    return {"components": [{"type": "application", "name": "rai-graph", "version": __version__}]}


def _url(path: str) -> str:
    return quote(path, safe="/:#?&=@+")


def _pairs(assessment: Assessment, system: SystemAssessment) -> list[PairStatus]:
    return [*system.pairs, *organisation_controls_for(assessment, system.system)]


def _visible_evidence(view: AudienceView, pairs: Sequence[PairStatus]) -> list[Evidence]:
    found: dict[URIRef, Evidence] = {}
    for pair in pairs:
        for evidence in view.evidence_of(pair)[0]:
            found.setdefault(evidence.iri, evidence)
    return [found[iri] for iri in sorted(found, key=str)]


# --- ML-BOM ------------------------------------------------------------------------------------


def ml_bom(
    model: RepositoryModel, assessment: Assessment, system: SystemAssessment, view: AudienceView,
    provenance: Provenance, issued: dt.datetime | dt.date,
) -> dict[str, Any]:
    """The system as a CycloneDX ML-BOM with a model card drawn from its evidence."""
    pairs = _pairs(assessment, system)
    evidence = _visible_evidence(view, pairs)
    metrics = [
        {"type": m.metric, "value": str(m.value), **({"slice": m.slice} if m.slice else {})}
        for e in evidence for m in e.measurements
    ]
    findings, _withheld = view.findings(f for f in assessment.open_findings if system.system.iri in f.systems)
    considerations: dict[str, Any] = {
        **_some("useCases", [system.system.intended_purpose] if system.system.intended_purpose else []),
        **_some("ethicalConsiderations", [{"name": f.title} for f in findings]),
    }
    card: dict[str, Any] = {
        "bom-ref": f"{system.system.iri}#model-card",
        **({"quantitativeAnalysis": {"performanceMetrics": metrics}} if metrics else {}),
        **({"considerations": considerations} if considerations else {}),
        "properties": [_prop("asOf", assessment.as_of.isoformat()), _prop("audience", view.audience)],
    }
    references = []
    for record in evidence:
        if (named := view.names_artifact(record)) is not None:
            references.append({
                "url": _url(named.path), "type": _REFERENCE_TYPES.get(record.evidence_type, "evidence")
                if record.evidence_type is not None else "evidence",
                "comment": record.title,
                **_some("hashes", [{"alg": "SHA-256", "content": record.sha256}]
                        if record.sha256 and len(record.sha256) == 64 else []),
            })
        if record.artifact_url:
            references.append({"url": _url(record.artifact_url), "type": "evidence", "comment": record.title})
    properties = [_prop("iri", str(system.system.iri)), _prop("riskTier", model.label(system.system.tier)),
                  _prop("readiness", f"{system.readiness:.4f}")]
    properties += [_prop("operatorRole", model.label(r)) for r in sorted(system.system.roles, key=str)]
    properties += [_prop(f"status:{p.control.notation}", p.status) for p in pairs]
    component = {
        "type": "machine-learning-model",
        "bom-ref": str(system.system.iri),
        "name": system.system.name,
        "description": system.system.title,
        "modelCard": card,
        **_some("externalReferences", references),
        "properties": properties,
    }
    return {
        "$schema": SCHEMA_URI, "bomFormat": "CycloneDX", "specVersion": SPEC_VERSION,
        "serialNumber": _serial("ml-bom", system, assessment, view), "version": 1,
        "metadata": {"timestamp": _timestamp(issued), "tools": _tools(), "component": component},
    }


# --- attestation (CDXA) ------------------------------------------------------------------------


def attestation(
    model: RepositoryModel, assessment: Assessment, system: SystemAssessment, view: AudienceView,
    provenance: Provenance, issued: dt.datetime | dt.date, organisation_url: str | None = None,
) -> dict[str, Any]:
    """The system's requirements, claims, evidence and approvals as a CycloneDX attestation."""
    organisation = organisation_entity(organisation_url)
    pairs = _pairs(assessment, system)
    by_control = {p.control.iri: p for p in pairs}
    evidence = _visible_evidence(view, pairs)
    target = f"{system.system.iri}"
    claims = []
    for pair in pairs:
        shown, withheld = view.evidence_of(pair)
        refs = [_evidence_ref(e) for e in shown]
        good = pair.status in GOOD_STATUSES
        claims.append({
            "bom-ref": _claim_ref(pair),
            "target": target,
            "predicate": f"{system.system.title} meets control {pair.control.notation} "
                         f"({pair.control.title}): {view.status_phrase(pair)}",
            "reasoning": view.reason(pair) + (f" ({withheld} record(s) withheld)" if withheld else ""),
            **_some("evidence" if good else "counterEvidence", refs),
        })
    coverage = [*system.requirements, *system.deferred]
    attestation_map = [_map_entry(model, entry, by_control) for entry in coverage]
    approvers: dict[str, dict[str, Any]] = {}
    evidence_entries = []
    for record in evidence:
        approval = _approval(model, record)
        evidence_entries.append(_evidence_entry(model, view, provenance, record, approval))
        if approval is not None and approval.approver is not None:
            approvers.setdefault(str(approval.approver), _signatory(model, approval, organisation))
    declarations: dict[str, Any] = {
        "assessors": [{"bom-ref": "assessor:rai-graph", "thirdParty": False, "organization": organisation}],
        "attestations": [{
            "summary": f"rai-graph's judgement of {system.system.title} as of {assessment.as_of}: "
                       f"{sum(p.status in GOOD_STATUSES for p in pairs)} of {len(pairs)} controls met or "
                       f"waived; {sum(c.covered for c in system.requirements)} of {len(system.requirements)} "
                       f"applicable requirements covered.",
            "assessor": "assessor:rai-graph",
            **_some("map", attestation_map),
        }],
        **_some("claims", claims),
        **_some("evidence", evidence_entries),
        "targets": {"components": [{
            "type": "machine-learning-model", "bom-ref": target, "name": system.system.name,
            "description": system.system.title,
        }]},
        "affirmation": {
            "statement": f"The approvals below are those recorded in the governance repository for the evidence "
                         f"of {system.system.title}, as judged on {assessment.as_of}.",
            **_some("signatories", [approvers[k] for k in sorted(approvers)]),
        },
    }
    standards = _standards(model, coverage)
    return {
        "$schema": SCHEMA_URI, "bomFormat": "CycloneDX", "specVersion": SPEC_VERSION,
        "serialNumber": _serial("attestation", system, assessment, view), "version": 1,
        "metadata": {"timestamp": _timestamp(issued), "tools": _tools(),
                     "properties": [_prop("asOf", assessment.as_of.isoformat()), _prop("audience", view.audience),
                                    _prop("system", str(system.system.iri))]},
        "declarations": declarations,
        **({"definitions": {"standards": standards}} if standards else {}),
    }


def _claim_ref(pair: PairStatus) -> str:
    return f"claim:{pair.control.iri}"


def _evidence_ref(evidence: Evidence) -> str:
    return f"evidence:{evidence.iri}"


def _map_entry(model: RepositoryModel, entry: RequirementCoverage,
               by_control: dict[URIRef, PairStatus]) -> dict[str, Any]:
    pairs = [by_control[c] for c in entry.controls if c in by_control]
    good = [p for p in pairs if p.status in GOOD_STATUSES]
    bad = [p for p in pairs if p.status not in GOOD_STATUSES]
    standing = entry.standing
    if entry.deferred and standing is not None:
        rationale = f"deferred: applies from {standing.applies_from}" if standing.applies_from else "deferred"
        if standing.reason:
            rationale += f" ({standing.reason})"
    elif entry.unmapped:
        rationale = "no control answers this requirement" + (
            f"; justification: {entry.justification}" if entry.justification else "")
    else:
        rationale = f"{entry.state}: {len(good)} of {len(pairs)} control(s) met or waived"
    conformance: dict[str, Any] = {"rationale": rationale}
    if pairs and not entry.deferred:
        conformance["score"] = round(len(good) / len(pairs), 4)
    return {
        "requirement": str(entry.requirement.iri),
        **_some("claims", [_claim_ref(p) for p in good]),
        **_some("counterClaims", [_claim_ref(p) for p in bad]),
        "conformance": conformance,
    }


def _standards(model: RepositoryModel, coverage: Sequence[RequirementCoverage]) -> list[dict[str, Any]]:
    by_framework: dict[URIRef | None, list[RequirementCoverage]] = {}
    for entry in coverage:
        by_framework.setdefault(entry.requirement.framework, []).append(entry)
    standards = []
    for framework_iri in sorted(by_framework, key=str):
        framework = model.frameworks.get(framework_iri) if framework_iri is not None else None
        requirements = []
        listed = {e.requirement.iri for e in by_framework[framework_iri]}
        for entry in sorted(by_framework[framework_iri], key=lambda e: str(e.requirement.iri)):
            requirement = entry.requirement
            requirements.append({
                "bom-ref": str(requirement.iri), "identifier": requirement.notation,
                **({"title": requirement.title} if requirement.title else {}),
                **({"text": requirement.text} if requirement.text else {}),
                **({"parent": str(requirement.broader)} if requirement.broader in listed else {}),
            })
        standard: dict[str, Any] = {
            "bom-ref": str(framework_iri) if framework_iri is not None else "standard:unassigned",
            "name": framework.title if framework is not None else "Requirements outside any framework",
            **({"version": framework.version} if framework is not None and framework.version else {}),
            "requirements": requirements,
        }
        if framework is not None and framework.source:
            standard["externalReferences"] = [{"type": "documentation", "url": _url(framework.source)}]
        standards.append(standard)
    return standards


def _approval(model: RepositoryModel, evidence: Evidence) -> Approval | None:
    """The latest positive approval recorded for the evidence (what a reader would call its sign-off)."""
    positive = [a for a in model.approvals_of.get(evidence.iri, ()) if a.decision in POSITIVE_DECISIONS]
    if not positive:
        return None
    return max(positive, key=lambda a: (a.date or dt.date.min, str(a.iri)))


def _evidence_entry(model: RepositoryModel, view: AudienceView, provenance: Provenance, record: Evidence,
                    approval: Approval | None) -> dict[str, Any]:
    data = []
    if (named := view.names_artifact(record)) is not None:
        data.append({"name": named.path, "contents": {"url": _url(named.path)},
                     "classification": model.label(record.confidentiality) if record.confidentiality
                     else "Confidential"})
    ends = [d for d in (record.valid_until, approval.expires if approval else None) if d is not None]
    committed = provenance.of(record.origin.file)
    description = record.title + (f" (record {record.origin.file}, commit {committed.last_changed.sha})"
                                   if committed is not None else f" (record {record.origin.file})")
    entry: dict[str, Any] = {
        "bom-ref": _evidence_ref(record),
        "propertyName": model.label(record.evidence_type) if record.evidence_type else "evidence",
        "description": description,
        **_some("data", data),
        **({"created": _timestamp(record.generated)} if record.generated else {}),
        **({"expires": _timestamp(min(ends))} if ends else {}),
    }
    if record.author is not None:
        entry["author"] = _contact(model, record.author)
    if approval is not None and approval.approver is not None:
        entry["reviewer"] = _contact(model, approval.approver)
    return entry


def _contact(model: RepositoryModel, person: URIRef) -> dict[str, Any]:
    known = model.people.get(person)
    contact: dict[str, Any] = {"name": model.label(person)}
    if known is not None and known.mbox:
        contact["email"] = known.mbox.removeprefix("mailto:")
    return contact


def _signatory(model: RepositoryModel, approval: Approval, organisation: dict[str, Any]) -> dict[str, Any]:
    when = f"approved on {approval.date}" if approval.date else "approved"
    if approval.expires:
        when += f", expires {approval.expires}"
    return {
        "name": model.label(approval.approver),
        **({"role": model.label(approval.role)} if approval.role is not None else {}),
        "organization": organisation,
        "externalReference": {"type": "attestation", "url": _url(approval.origin.file),
                              "comment": f"{when} (record {approval.origin.file}"
                                         f"{f':{approval.origin.line}' if approval.origin.line else ''})"},
    }


def organisation_entity(url: str | None) -> dict[str, Any]:
    """The organisation that holds the repository: by its ``base_iri`` when set."""
    return {"url": [_url(url)]} if url else {"name": "The organisation holding this governance repository"}
