"""OSCAL 1.2 documents from the judged repository: the control catalog, a component definition (the
controls as each AI system implements them) and assessment results (the judgement as of a date).

* **Catalog**: one group per control domain (the notation prefix, e.g. ``RAI-EVAL``), one control
  per ``rai:Control`` with its statement, the answer text it gives customers (a part named
  ``answer``), its required evidence, maximum age, thresholds and tiers as properties, links to
  the framework clauses it satisfies; the approving roles are metadata roles, and each control
  names its approver with a ``responsible-role`` property.
* **Component definition**: a component per AI system, with one control implementation whose
  implemented requirements are the controls that bind it, each with its status as OSCAL's
  ``implementation-status`` (met → implemented, waived → alternative, nothing recorded →
  planned, anything else → partial) and rai-graph's own status, and links to the evidence.
* **Assessment results**: a result per AI system starting at the as-of date, with an observation
  per evidence record the judgement rests on (collected on its date, the artefact by path,
  SHA-256 and the commit that last changed the record) and a finding per (system, control)
  targeting the control's statement: satisfied for a good status, not satisfied otherwise, with
  the reason.

Evidence a given audience may not see is left out (its records are counted, never named), through
:class:`~rai_graph.audience.AudienceView`. UUIDs are derived from IRIs and timestamps come from the
as-of date or the commit judged, so the same repository gives the same documents, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from rdflib import URIRef

from rai_graph._version import __version__
from rai_graph.audience import WITHHELD_ARTIFACT, AudienceView
from rai_graph.model import Control, Evidence, RepositoryModel
from rai_graph.provenance import Provenance
from rai_graph.trace import GOOD_STATUSES, Assessment, PairStatus, SystemAssessment

OSCAL_VERSION = "1.2.1"
"""The OSCAL release of the schemas and of compliance-trestle's models the tests validate against."""
RAI_NS = "https://w3id.org/rai-graph/ns"
"""The ``ns`` of rai-graph's own OSCAL property and part names."""
_NAMESPACE = uuid.UUID("5b3d4a6e-9f0e-4c1b-8a51-2f3f6b1d9c7e")

IMPLEMENTATION_STATUS = {"met": "implemented", "waived": "alternative", "missing": "planned"}
"""OSCAL implementation-status per rai-graph status; every other status is ``partial``."""


def oscal_uuid(*parts: str) -> str:
    """A version-5 UUID of ``parts``: the same inputs always give the same identifier."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(parts)))


def oscal_id(notation: str) -> str:
    """An OSCAL token: letters, digits, '.', '-', '_', not starting with a digit."""
    token = re.sub(r"[^A-Za-z0-9._-]+", "-", notation).strip("-").lower()
    return token if token and not token[0].isdigit() else f"c-{token}"


def representable(day: dt.date | None) -> bool:
    """Whether OSCAL's date-time pattern (years 1900 to 2999) can carry the date."""
    return day is not None and 1900 <= day.year <= 2999


def timestamp(moment: dt.datetime | dt.date) -> str:
    """An OSCAL date-time with time zone; a date is its midnight in UTC."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def _metadata(title: str, last_modified: dt.datetime | dt.date, **extra: Any) -> dict[str, Any]:
    return {"title": title, "last-modified": timestamp(last_modified), "version": __version__,
            "oscal-version": OSCAL_VERSION, **extra}


def one_line(text: str) -> str:
    """Text for OSCAL's single-line types (titles, property values): no line breaks, no
    surrounding space, never empty."""
    return " ".join(text.split()) or "(none)"


def _prop(name: str, value: str, *, ns: bool = True) -> dict[str, str]:
    return {"name": name, **({"ns": RAI_NS} if ns else {}), "value": one_line(value)}


def _some(key: str, items: list[Any]) -> dict[str, Any]:
    """OSCAL arrays have at least one item: leave the key out when there is none."""
    return {key: items} if items else {}


def _role_id(model: RepositoryModel, role: URIRef) -> str:
    return oscal_id(model.label(role))


# --- catalog -----------------------------------------------------------------------------------


def oscal_catalog(model: RepositoryModel, last_modified: dt.datetime | dt.date) -> dict[str, Any]:
    """The control library as an OSCAL catalog document (``last_modified``: the commit or as-of date)."""
    groups: dict[str, list[Control]] = defaultdict(list)
    for control in sorted(model.controls.values(), key=lambda c: c.notation):
        groups[control.notation.rsplit("-", 1)[0] if "-" in control.notation else "controls"].append(control)
    roles = sorted({c.approval_role for c in model.controls.values() if c.approval_role is not None}, key=str)
    metadata = _metadata(
        "AI governance control library", last_modified,
        **_some("roles", [{"id": _role_id(model, role), "title": one_line(model.label(role)),
                           "props": [_prop("iri", str(role))]} for role in roles]),
        remarks="Exported by rai-graph from the organisation's controls/ folder.",
    )
    return {
        "catalog": {
            "uuid": oscal_uuid("rai-graph:catalog", *sorted(str(c) for c in model.controls)),
            "metadata": metadata,
            **_some("groups", [
                {"id": oscal_id(name), "class": "domain", "title": one_line(name),
                 "controls": [_catalog_control(model, c) for c in controls]}
                for name, controls in sorted(groups.items())
            ]),
        }
    }


def threshold_text(metric: str, operator: str, value: object, slice_: str | None) -> str:
    return f"{metric} {operator} {value}" + (f" (slice {slice_})" if slice_ else "")


def _catalog_control(model: RepositoryModel, control: Control) -> dict[str, Any]:
    props = [_prop("label", control.notation, ns=False), _prop("iri", str(control.iri))]
    props += [_prop("required-for-tier", model.label(t)) for t in sorted(control.tiers, key=str)]
    props += [_prop("applies-to-role", model.label(r)) for r in sorted(control.roles, key=str)]
    if control.evidence_type:
        props.append(_prop("evidence-type", model.label(control.evidence_type)))
    if control.max_age_text:
        props.append(_prop("max-evidence-age", control.max_age_text))
    if control.approval_role:
        props.append(_prop("approval-role", model.label(control.approval_role)))
        props.append(_prop("responsible-role", _role_id(model, control.approval_role)))
    props += [_prop("threshold", threshold_text(t.metric, t.operator, t.value, t.slice))
              for t in control.thresholds]
    props.append(_prop("scope", "organisation" if control.organisation_scope else "system"))
    links = [
        {"href": str(requirement), "rel": "satisfies",
         "text": model.requirements[requirement].notation if requirement in model.requirements else str(requirement)}
        for requirement in sorted(control.satisfies, key=str)
    ]
    parts = [{"id": f"{oscal_id(control.notation)}_smt", "name": "statement",
              "prose": control.description or control.title}]
    if control.answer_text:
        parts.append({"id": f"{oscal_id(control.notation)}_ans", "name": "answer", "ns": RAI_NS,
                      "title": "Answer for customers", "prose": control.answer_text})
    return {"id": oscal_id(control.notation), "class": "rai-graph-control", "title": one_line(control.title),
            "props": props, **_some("links", links), "parts": parts}


# --- evidence as back-matter -------------------------------------------------------------------


class _Evidence:
    """Back-matter resources for the evidence a document shows: artefact path, hashes, commit."""

    def __init__(self, model: RepositoryModel, view: AudienceView, provenance: Provenance) -> None:
        self.model = model
        self.view = view
        self.provenance = provenance
        self.resources: dict[URIRef, dict[str, Any]] = {}

    def href(self, evidence: Evidence) -> str:
        if evidence.iri not in self.resources:
            self.resources[evidence.iri] = self._resource(evidence)
        return "#" + str(self.resources[evidence.iri]["uuid"])

    def _resource(self, evidence: Evidence) -> dict[str, Any]:
        props = [_prop("iri", str(evidence.iri)), _prop("record", _where(evidence.origin.file, evidence.origin.line))]
        if evidence.evidence_type:
            props.append(_prop("evidence-type", self.model.label(evidence.evidence_type)))
        if evidence.generated:
            props.append(_prop("generated", evidence.generated.isoformat()))
        committed = self.provenance.of(evidence.origin.file)
        if committed is not None:
            props.append(_prop("commit", committed.last_changed.sha))
        judged = self.view.artifacts.get(evidence.iri)
        named = self.view.names_artifact(evidence)  # None: path and hash are not this audience's
        rlinks = []
        if named is not None:
            hashes = [{"algorithm": "SHA-256", "value": evidence.sha256}] if evidence.sha256 else []
            rlinks.append({"href": quote(named.path, safe="/"), **_some("hashes", hashes)})
        elif evidence.artifact is not None:
            props.append(_prop("artifact", WITHHELD_ARTIFACT))
        if evidence.artifact is not None and judged is not None:
            props.append(_prop("artifact-check", judged.state.value))
        if evidence.artifact_url:
            rlinks.append({"href": evidence.artifact_url})
        return {"uuid": oscal_uuid("rai-graph:evidence", str(evidence.iri)), "title": one_line(evidence.title),
                "props": props, **_some("rlinks", rlinks)}

    def back_matter(self, *extra: dict[str, Any]) -> dict[str, Any]:
        resources = [*extra, *(self.resources[iri] for iri in sorted(self.resources, key=str))]
        return {"back-matter": {"resources": resources}} if resources else {}


def _where(file: str, line: int | None) -> str:
    return file if line is None else f"{file}:{line}"


def _evidence_links(view: AudienceView, resources: _Evidence, pair: PairStatus) -> list[dict[str, str]]:
    shown, _withheld = view.evidence_of(pair)
    return [{"href": resources.href(e), "rel": "evidence", "text": one_line(e.title)} for e in shown]


# --- component definition ----------------------------------------------------------------------


def component_definition(
    model: RepositoryModel, assessment: Assessment, systems: Sequence[SystemAssessment], view: AudienceView,
    provenance: Provenance, last_modified: dt.datetime | dt.date,
) -> dict[str, Any]:
    """The controls as each judged system implements them, as of the assessment's date."""
    resources = _Evidence(model, view, provenance)
    catalog: dict[str, Any] = {
        "uuid": oscal_uuid("rai-graph:catalog-resource"), "title": "AI governance control library",
        "description": "The OSCAL catalog `rai-graph export --format oscal` writes from controls/.",
        "rlinks": [{"href": "rai-graph-catalog.json", "media-type": "application/oscal.catalog+json"}]}
    components = []
    for system in systems:
        if not system.judged:
            continue
        requirements = [_implemented(model, view, resources, pair) for pair in system.pairs]
        requirements += [_implemented(model, view, resources, pair)
                         for pair in _organisation_pairs(assessment, system)]
        implementation = {
            "uuid": oscal_uuid("rai-graph:implementation", str(system.system.iri)),
            "source": "#" + catalog["uuid"],
            "description": f"The controls that bind {system.system.title} as of {assessment.as_of}, "
                           f"judged by rai-graph.",
            "props": [_prop("as-of", assessment.as_of.isoformat()),
                      _prop("readiness", f"{system.readiness:.4f}")],
            "implemented-requirements": requirements,
        }
        props = [_prop("iri", str(system.system.iri)), _prop("folder", system.system.name),
                 _prop("risk-tier", model.label(system.system.tier))]
        props += [_prop("operator-role", model.label(r)) for r in sorted(system.system.roles, key=str)]
        component: dict[str, Any] = {
            "uuid": oscal_uuid("rai-graph:component", str(system.system.iri)),
            "type": "software",
            "title": one_line(system.system.title),
            "description": system.system.intended_purpose or f"The AI system {system.system.title}.",
            **({"purpose": system.system.intended_purpose} if system.system.intended_purpose else {}),
            "props": props,
            **({"control-implementations": [implementation]} if requirements else {}),
        }
        components.append(component)
    return {
        "component-definition": {
            "uuid": oscal_uuid("rai-graph:component-definition", assessment.as_of.isoformat(),
                               *(str(s.system.iri) for s in systems)),
            "metadata": _metadata(f"AI systems and their controls as of {assessment.as_of}", last_modified,
                                  props=[_prop("audience", view.audience)]),
            **_some("components", components),
            **resources.back_matter(catalog),
        }
    }


def _organisation_pairs(assessment: Assessment, system: SystemAssessment) -> list[PairStatus]:
    from rai_graph.trace import organisation_controls_for

    return organisation_controls_for(assessment, system.system)


def _implemented(model: RepositoryModel, view: AudienceView, resources: _Evidence,
                 pair: PairStatus) -> dict[str, Any]:
    control = pair.control
    props = [_prop("implementation-status", IMPLEMENTATION_STATUS.get(pair.status, "partial"), ns=False),
             _prop("status", pair.status)]
    _shown, withheld = view.evidence_of(pair)
    if withheld:
        props.append(_prop("withheld-records", str(withheld)))
    if control.organisation_scope:
        props.append(_prop("scope", "organisation"))
    return {
        "uuid": oscal_uuid("rai-graph:implemented", str(pair.system), str(control.iri)),
        "control-id": oscal_id(control.notation),
        "description": f"{view.status_phrase(pair)}: {view.reason(pair)}",
        "props": props,
        **_some("links", _evidence_links(view, resources, pair)),
        **({"responsible-roles": [{"role-id": _role_id(model, control.approval_role)}]}
           if control.approval_role else {}),
    }


# --- assessment results ------------------------------------------------------------------------


def assessment_results(
    model: RepositoryModel, assessment: Assessment, systems: Sequence[SystemAssessment], view: AudienceView,
    provenance: Provenance, last_modified: dt.datetime | dt.date, commit: str | None = None,
) -> dict[str, Any]:
    """The judgement as of the assessment's date: per system, observations of its evidence and a
    finding per control that binds it."""
    resources = _Evidence(model, view, provenance)
    method: dict[str, Any] = {
        "uuid": oscal_uuid("rai-graph:assessment-method"),
        "title": "rai-graph status rules",
        "description": "The assessment plan is the organisation's control library and rai-graph's ordered "
                       "status rules (data-model.md): evidence of the required type, an intact artefact, "
                       "within its maximum age, passing its thresholds, approved by the required role.",
        "rlinks": [{"href": "https://w3id.org/rai-graph"}],
    }
    results = []
    for system in systems:
        if not system.judged:
            continue
        pairs = [*system.pairs, *_organisation_pairs(assessment, system)]
        observations: dict[URIRef, dict[str, Any]] = {}
        findings = []
        for pair in pairs:
            shown, withheld = view.evidence_of(pair)
            related = []
            for evidence in shown:
                if evidence.iri not in observations:
                    observations[evidence.iri] = _observation(model, resources, evidence, system, assessment)
                related.append({"observation-uuid": observations[evidence.iri]["uuid"]})
            state = "satisfied" if pair.status in GOOD_STATUSES else "not-satisfied"
            props = [_prop("status", pair.status)]
            if withheld:
                props.append(_prop("withheld-records", str(withheld)))
            findings.append({
                "uuid": oscal_uuid("rai-graph:finding", str(pair.system), str(pair.control.iri),
                                   assessment.as_of.isoformat()),
                "title": one_line(f"{pair.control.notation} {pair.control.title}"),
                "description": f"{view.status_phrase(pair)}: {view.reason(pair)}",
                "props": props,
                "target": {
                    "type": "statement-id",
                    "target-id": f"{oscal_id(pair.control.notation)}_smt",
                    "status": {"state": state, "reason": "pass" if state == "satisfied" else "fail"},
                    "implementation-status": {
                        "state": IMPLEMENTATION_STATUS.get(pair.status, "partial")},
                },
                **_some("related-observations", related),
            })
        props = [_prop("iri", str(system.system.iri)), _prop("readiness", f"{system.readiness:.4f}")]
        if commit:
            props.append(_prop("commit", commit))
        results.append({
            "uuid": oscal_uuid("rai-graph:result", str(system.system.iri), assessment.as_of.isoformat()),
            "title": one_line(f"{system.system.title} as of {assessment.as_of}"),
            "description": f"rai-graph's judgement of {system.system.title} ({system.system.name}) as of "
                           f"{assessment.as_of}: {sum(p.status in GOOD_STATUSES for p in pairs)} of "
                           f"{len(pairs)} controls met or waived.",
            "start": timestamp(assessment.as_of),
            "props": props,
            "reviewed-controls": {"control-selections": [_selection(pairs)]},
            **_some("observations", [observations[i] for i in sorted(observations, key=str)]),
            **_some("findings", findings),
        })
    return {
        "assessment-results": {
            "uuid": oscal_uuid("rai-graph:assessment-results", assessment.as_of.isoformat(),
                               *(str(s.system.iri) for s in systems)),
            "metadata": _metadata(f"Assessment of AI systems as of {assessment.as_of}", last_modified,
                                  props=[_prop("audience", view.audience)]),
            "import-ap": {"href": "#" + method["uuid"],
                          "remarks": "No separate assessment plan: the method is described in back-matter."},
            **_some("results", results),
            **resources.back_matter(method),
        }
    }


def _selection(pairs: Sequence[PairStatus]) -> dict[str, Any]:
    if not pairs:
        return {"include-all": {}}
    return {"include-controls": [{"control-id": oscal_id(p.control.notation)} for p in pairs]}


def _observation(model: RepositoryModel, resources: _Evidence, evidence: Evidence, system: SystemAssessment,
                 assessment: Assessment) -> dict[str, Any]:
    href = resources.href(evidence)
    collected = evidence.generated if representable(evidence.generated) else assessment.as_of
    assert collected is not None
    props = [_prop("iri", str(evidence.iri))]
    if evidence.evidence_type:
        props.append(_prop("evidence-type", model.label(evidence.evidence_type)))
    return {
        "uuid": oscal_uuid("rai-graph:observation", str(system.system.iri), str(evidence.iri)),
        "title": one_line(evidence.title),
        "description": f"Evidence record {evidence.title} ({_where(evidence.origin.file, evidence.origin.line)}).",
        "props": props,
        "methods": ["EXAMINE"],
        "collected": timestamp(collected),
        **({"expires": timestamp(evidence.valid_until)}
           if evidence.valid_until is not None and representable(evidence.valid_until) else {}),
        "relevant-evidence": [{"href": href, "description": f"{evidence.title}: the record, its artefact "
                                                           "with its SHA-256, and the commit that last changed it."}],
    }
