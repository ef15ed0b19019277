"""Per-tier completeness as real SHACL: one shape per (tier, control), for export.

The status engine judges completeness over an index because evaluating these shapes over a whole
repository grows quadratically in pySHACL (``shared/notes/performance.md``). The shapes exist so
that any SHACL engine can check the same rule, and a test keeps their verdicts in step with the
engine's. They are SHACL Core only: ``sh:or``, ``sh:not``, ``sh:inversePath`` and qualified value
shapes, no SPARQL.

A shape for tier T and control C targets every ``rai:AISystem`` and holds when the system is not
of tier T, is retired, has none of C's operator roles (when C names any), meets none of C's
conditions (``rai:appliesWhen``, when it has any: an Annex III area or Annex I item is matched
through ``skos:broader*``), or some record naming the system with ``rai:forSystem`` implements C
with C's required evidence type. Freshness, hashes and
approvals are the status engine's business: a shape violation means *no evidence at all*.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, SKOS
from rdflib.term import Node

from rai_graph._display import short
from rai_graph.model import Condition, Control, RepositoryModel
from rai_graph.vocab import RAI, RAI_NS

RAIC = Namespace("https://w3id.org/rai-graph/completeness#")
"""Namespace of the generated shapes and of their two annotations (control, tier)."""


def completeness_shapes(model: RepositoryModel) -> Graph:
    """One SHACL node shape per (tier, system-scope control) of the repository."""
    shapes = Graph()
    shapes.bind("sh", SH)
    shapes.bind("rai", RAI_NS)
    shapes.bind("raic", RAIC)
    for control in sorted(model.controls.values(), key=lambda c: str(c.iri)):
        if control.organisation_scope:
            continue
        for tier in sorted(control.tiers, key=str):
            _add_shape(shapes, control, tier, model.label(tier))
    return shapes


def _add_shape(shapes: Graph, control: Control, tier: URIRef, tier_label: str) -> None:
    shape = RAIC[f"{_slug(control.notation)}--{_slug(tier_label)}"]
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, RAI.AISystem))
    shapes.add((shape, RAIC.control, control.iri))
    shapes.add((shape, RAIC.tier, tier))
    kind = f" of type {short(control.evidence_type)}" if control.evidence_type else ""
    message = (f"A {tier_label} system needs an evidence record{kind} implementing "
               f"{control.notation} ({control.title}).")
    shapes.add((shape, RDFS.label, Literal(f"{control.notation} for {tier_label} systems")))
    shapes.add((shape, SH.message, Literal(message)))

    exemptions = [
        _not(shapes, _property(shapes, RAI.riskTier, has_value=tier)),
        _property(shapes, RAI.lifecycleStatus, has_value=RAI.Retired),
    ]
    if control.roles:
        roles = BNode()
        shapes.add((roles, SH["in"], _list(shapes, sorted(control.roles, key=str))))
        has_role = BNode()
        shapes.add((has_role, SH.path, RAI.operatorRole))
        shapes.add((has_role, SH.qualifiedValueShape, roles))
        shapes.add((has_role, SH.qualifiedMinCount, Literal(1)))
        exemptions.append(_not(shapes, _wrap(shapes, has_role)))
    if control.conditions:
        held = [_condition(shapes, condition) for condition in control.conditions]
        exemptions.append(_not(shapes, held[0] if len(held) == 1 else _or(shapes, held)))

    evidence = BNode()
    conditions = [_property(shapes, RAI.implements, has_value=control.iri)]
    if control.evidence_type is not None:
        conditions.append(_property(shapes, RAI.evidenceType, has_value=control.evidence_type))
    shapes.add((evidence, SH["and"], _list(shapes, conditions)))
    inverse = BNode()
    shapes.add((inverse, SH.inversePath, RAI.forSystem))
    has_evidence = BNode()
    shapes.add((has_evidence, SH.path, inverse))
    shapes.add((has_evidence, SH.qualifiedValueShape, evidence))
    shapes.add((has_evidence, SH.qualifiedMinCount, Literal(1)))
    shapes.add((shape, SH["or"], _list(shapes, [*exemptions, _wrap(shapes, has_evidence)])))


def completeness_violations(data: Graph, shapes: Graph) -> set[tuple[URIRef, URIRef]]:
    """(system, control) pairs whose completeness shape fails, by running pySHACL."""
    _conforms, report, _text = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=False, meta_shacl=False,
    )
    violations = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        control = shapes.value(shape, RAIC.control) if shape is not None else None
        if isinstance(focus, URIRef) and isinstance(control, URIRef):
            violations.add((focus, control))
    return violations


def _condition(shapes: Graph, condition: Condition) -> BNode:
    """A node shape that holds for the systems meeting one ``rai:appliesWhen`` condition."""
    parts: list[BNode] = []
    for path, values in ((_within(shapes, RAI.annexIIIArea), condition.annex_areas),
                         (_within(shapes, RAI.annexIProduct), condition.annex_products),
                         (RAI.function, condition.functions),
                         (RAI.operatorCharacteristic, condition.characteristics)):
        if values:
            parts.append(_some_in(shapes, path, values))
    routes = {RAI.AnnexIRoute: RAI.annexIProduct, RAI.AnnexIIIRoute: RAI.annexIIIArea}
    if condition.routes:
        on_route = [_at_least_one(shapes, routes[r]) for r in sorted(condition.routes, key=str) if r in routes]
        parts.append(on_route[0] if len(on_route) == 1 else _or(shapes, on_route))
    node = BNode()
    shapes.add((node, SH["and"], _list(shapes, parts)))
    return node


def _within(shapes: Graph, fact: URIRef) -> BNode:
    """The path ``fact / skos:broader*``: the clause named and every clause above it."""
    broader = BNode()
    shapes.add((broader, SH.zeroOrMorePath, SKOS.broader))
    return _list(shapes, [fact, broader])


def _some_in(shapes: Graph, path: Node, values: Iterable[URIRef]) -> BNode:
    allowed = BNode()
    shapes.add((allowed, SH["in"], _list(shapes, sorted(values, key=str))))
    prop = BNode()
    shapes.add((prop, SH.path, path))
    shapes.add((prop, SH.qualifiedValueShape, allowed))
    shapes.add((prop, SH.qualifiedMinCount, Literal(1)))
    return _wrap(shapes, prop)


def _at_least_one(shapes: Graph, path: URIRef) -> BNode:
    prop = BNode()
    shapes.add((prop, SH.path, path))
    shapes.add((prop, SH.minCount, Literal(1)))
    return _wrap(shapes, prop)


def _or(shapes: Graph, alternatives: list[BNode]) -> BNode:
    node = BNode()
    shapes.add((node, SH["or"], _list(shapes, alternatives)))
    return node


def _property(shapes: Graph, path: URIRef, *, has_value: Node) -> BNode:
    prop = BNode()
    shapes.add((prop, SH.path, path))
    shapes.add((prop, SH.hasValue, has_value))
    return _wrap(shapes, prop)


def _wrap(shapes: Graph, property_shape: BNode) -> BNode:
    holder = BNode()
    shapes.add((holder, SH.property, property_shape))
    return holder


def _not(shapes: Graph, inner: BNode) -> BNode:
    negation = BNode()
    shapes.add((negation, SH["not"], inner))
    return negation


def _list(shapes: Graph, items: Iterable[Node]) -> BNode:
    head = BNode()
    Collection(shapes, head, list(items))
    return head


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "x"
