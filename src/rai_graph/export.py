"""Exports of the loaded repository for other tools: a merged graph, and OSCAL.

The OSCAL export describes the organisation's control library as an OSCAL 1.1 catalog: one
group per framework-independent domain (the control's notation prefix, e.g. ``RAI-EVAL``), one
control per ``rai:Control`` with its statement, required evidence, maximum age and approving role
as properties, and links to the framework clauses it satisfies. UUIDs are derived from IRIs, so
the same repository always gives the same document.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from typing import Any

from rdflib import Graph

from rai_graph._display import STANDARD_PREFIXES
from rai_graph._version import __version__
from rai_graph.load.repository import LoadedRepository
from rai_graph.model import Control, RepositoryModel

OSCAL_VERSION = "1.1.2"
_NAMESPACE = uuid.UUID("5b3d4a6e-9f0e-4c1b-8a51-2f3f6b1d9c7e")


def union_graph(loaded: LoadedRepository) -> Graph:
    """All repository triples (ontology included) in one graph, with the usual prefixes bound."""
    graph = Graph()
    for prefix, namespace in STANDARD_PREFIXES.items():
        graph.bind(prefix, namespace)
    if loaded.settings.base_iri:
        graph.bind("ex", loaded.settings.base_iri)
    for source in loaded.files.values():
        if source.role != "shapes":
            graph += loaded.dataset.graph(source.graph_iri)
    return graph


def _uuid(iri: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, iri))


def _oscal_id(notation: str) -> str:
    # OSCAL ids are tokens: letters, digits, '.', '-', '_' and not starting with a digit.
    token = re.sub(r"[^A-Za-z0-9._-]+", "-", notation).strip("-").lower()
    return token if token and not token[0].isdigit() else f"c-{token}"


def oscal_catalog(model: RepositoryModel) -> dict[str, Any]:
    """The control library as an OSCAL catalog document."""
    groups: dict[str, list[Control]] = defaultdict(list)
    for control in sorted(model.controls.values(), key=lambda c: c.notation):
        groups[control.notation.rsplit("-", 1)[0] if "-" in control.notation else "controls"].append(control)
    return {
        "catalog": {
            "uuid": _uuid("rai-graph:catalog:" + ",".join(sorted(str(c) for c in model.controls))),
            "metadata": {
                "title": "AI governance control library",
                "last-modified": "1970-01-01T00:00:00Z",
                "version": __version__,
                "oscal-version": OSCAL_VERSION,
                "remarks": "Exported by rai-graph from the organisation's controls/ folder.",
            },
            "groups": [
                {"id": _oscal_id(name), "class": "domain", "title": name,
                 "controls": [_control(model, c) for c in controls]}
                for name, controls in sorted(groups.items())
            ],
        }
    }


def _control(model: RepositoryModel, control: Control) -> dict[str, Any]:
    props = [{"name": "label", "value": control.notation}]
    props += [{"name": "required-for-tier", "ns": "https://w3id.org/rai-graph/ns", "value": model.label(t)}
              for t in sorted(control.tiers, key=str)]
    if control.evidence_type:
        props.append({"name": "evidence-type", "ns": "https://w3id.org/rai-graph/ns",
                      "value": model.label(control.evidence_type)})
    if control.max_age_text:
        props.append({"name": "max-evidence-age", "ns": "https://w3id.org/rai-graph/ns",
                      "value": control.max_age_text})
    if control.approval_role:
        props.append({"name": "approval-role", "ns": "https://w3id.org/rai-graph/ns",
                      "value": model.label(control.approval_role)})
    props.append({"name": "scope", "ns": "https://w3id.org/rai-graph/ns",
                  "value": "organisation" if control.organisation_scope else "system"})
    links = [
        {"href": str(requirement), "rel": "satisfies",
         "text": model.requirements[requirement].notation if requirement in model.requirements else str(requirement)}
        for requirement in sorted(control.satisfies, key=str)
    ]
    statement = {"id": f"{_oscal_id(control.notation)}_smt", "name": "statement",
                 "prose": control.description or control.title}
    return {"id": _oscal_id(control.notation), "class": "rai-graph-control", "title": control.title,
            "props": props, "links": links, "parts": [statement]}
