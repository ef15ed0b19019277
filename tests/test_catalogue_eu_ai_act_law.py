"""The EU AI Act catalogue judged in law: whom each clause binds, when, and the amendment layer.

Each test names the article it checks and asserts both what the catalogue encodes and that the
Formex text of that clause holds the words the encoding rests on.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal
from rdflib.namespace import RDF

from rai_graph.catalogues._common import new_graph, turtle_bytes
from rai_graph.vocab import EUAIA, RAI

# --- Byte-stable Turtle with nested blank nodes -------------------------------------------------


def _conditions_graph(order: list[str]) -> bytes:
    graph = new_graph()
    for characteristic in order:
        node = BNode()
        graph.add((EUAIA["Art27-1"], RAI.appliesWhen, node))
        graph.add((node, RAI.operatorCharacteristic, RAI[characteristic]))
        inner = BNode()
        graph.add((node, RDF.type, RAI.ApplicabilityCondition))
        graph.add((node, RAI.application, inner))
        graph.add((inner, RAI.appliesFrom, Literal(characteristic)))
    return turtle_bytes(graph)


def test_nested_blank_nodes_serialise_inline_and_byte_stable() -> None:
    """Sibling blank nodes come out in the same order and inline, whatever order they were made in."""
    first = _conditions_graph(["PublicAuthority", "Employer"])
    assert first == _conditions_graph(["Employer", "PublicAuthority"])
    assert b"_:" not in first
    assert b"rai:appliesWhen [" in first


def test_shared_or_dangling_blank_nodes_are_refused() -> None:
    """A blank node used twice, or never used as an object, cannot be written byte-stably."""
    graph = new_graph()
    shared = BNode()
    graph.add((EUAIA["Art26-7"], RAI.appliesWhen, shared))
    graph.add((EUAIA["Art26-8"], RAI.appliesWhen, shared))
    graph.add((shared, RAI.operatorCharacteristic, RAI.Employer))
    with pytest.raises(ValueError, match="one triple only"):
        turtle_bytes(graph)
    dangling = new_graph()
    dangling.add((BNode(), RAI.operatorCharacteristic, RAI.Employer))
    with pytest.raises(ValueError, match="hang from a subject"):
        turtle_bytes(dangling)
