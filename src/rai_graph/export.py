"""Exports of the loaded repository for other tools: the merged graph, its per-file dataset and
JSON-LD with rai-graph's published ``@context``.

Exports are scoped to an audience: a file is exported only if the audience may see every record
in it (:meth:`rai_graph.audience.AudienceView.sees_file`); ``internal`` sees everything.

The JSON-LD context is published at :data:`CONTEXT_URL` and shipped in the package
(``rai_graph/context.jsonld``); the export embeds it, so the document means the same offline.
It is generated from the ontology (:func:`build_context`), and a test keeps the shipped file
equal to what the ontology gives.
"""

from __future__ import annotations

import json
import warnings
from importlib import resources
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, URIRef

from rai_graph._display import STANDARD_PREFIXES
from rai_graph.audience import AudienceView
from rai_graph.errors import RaiGraphError
from rai_graph.load.repository import LoadedRepository
from rai_graph.vocab import RAI_NS

CONTEXT_URL = "https://w3id.org/rai-graph/context.jsonld"
CONTEXT_PREFIXES: dict[str, str] = {
    **STANDARD_PREFIXES,
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "dpv": "https://w3id.org/dpv#",
    "airo": "https://w3id.org/airo#",
    "void": "http://rdfs.org/ns/void#",
}
_TYPED_RANGES = (XSD.date, XSD.dateTime, XSD.decimal, XSD.duration, XSD.boolean, XSD.integer,
                 XSD.nonNegativeInteger, XSD.anyURI)


def union_graph(loaded: LoadedRepository, view: AudienceView | None = None) -> Graph:
    """All repository triples (ontology included) in one graph, with the usual prefixes bound;
    with ``view``, only the files its audience may see."""
    graph = Graph()
    for prefix, namespace in STANDARD_PREFIXES.items():
        graph.bind(prefix, namespace)
    if loaded.settings.base_iri:
        graph.bind("ex", loaded.settings.base_iri)
    for source in loaded.files.values():
        if source.role != "shapes" and (view is None or view.sees_file(source.path)):
            graph += loaded.dataset.graph(source.graph_iri)
    return graph


def audience_dataset(loaded: LoadedRepository, view: AudienceView) -> Dataset:
    """The per-file named graphs the audience may see (for N-Quads)."""
    if view.everything:
        return loaded.dataset
    dataset = Dataset()
    for source in loaded.files.values():
        if view.sees_file(source.path):
            target = dataset.graph(source.graph_iri)
            for triple in loaded.dataset.graph(source.graph_iri):
                target.add(triple)
    return dataset


def build_context(ontology: Graph) -> dict[str, Any]:
    """The JSON-LD context for rai-graph data: the standard prefixes, and a term for every class
    and property of the ``rai:`` vocabulary (object properties take IRIs, datatype properties with
    a typed range take literals of that type)."""
    terms: dict[str, Any] = dict(sorted(CONTEXT_PREFIXES.items()))
    for subject in sorted({s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}, key=str):
        name = str(subject)
        if not name.startswith(RAI_NS) or not name[len(RAI_NS):].isidentifier():
            continue
        local = name[len(RAI_NS):]
        kinds = set(ontology.objects(subject, RDF.type))
        if OWL.ObjectProperty in kinds:
            terms[local] = {"@id": f"rai:{local}", "@type": "@id"}
        elif OWL.DatatypeProperty in kinds:
            ranges = [r for r in ontology.objects(subject, RDFS.range) if r in _TYPED_RANGES]
            terms[local] = ({"@id": f"rai:{local}", "@type": f"xsd:{str(ranges[0])[len(str(XSD)):]}"}
                            if len(ranges) == 1 else f"rai:{local}")
        elif kinds & {OWL.Class, RDFS.Class} or local[:1].isupper():
            terms[local] = f"rai:{local}"
    return {"@context": terms}


def shipped_context() -> dict[str, Any]:
    """The context file shipped in the package (what :data:`CONTEXT_URL` serves)."""
    text = resources.files("rai_graph").joinpath("context.jsonld").read_text("utf-8")
    context: dict[str, Any] = json.loads(text)
    return context


def jsonld(graph: Graph) -> str:
    """The graph as compact JSON-LD with the shipped context embedded.

    rdflib's serialiser (and JSON itself) recurses once per level of nesting, so blank nodes or
    collections nested thousands deep cannot be written as JSON-LD: that is a
    :class:`~rai_graph.errors.RaiGraphError` saying so (Turtle and N-Triples export them fine).
    """
    context = shipped_context()["@context"]
    try:
        # rdflib's JSON-LD serialiser calls APIs it has deprecated; not our warning.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            text = graph.serialize(format="json-ld", context=context, auto_compact=True, sort_keys=True)
        document = json.loads(text)
        return _jsonld_text(document, context)
    except RecursionError:
        raise RaiGraphError("the graph nests blank nodes or collections too deeply to be written as JSON-LD; "
                            "export it as turtle or nt") from None


def _jsonld_text(document: Any, context: Any) -> str:
    if isinstance(document, dict) and "@graph" not in document:
        document = {"@context": document.pop("@context", context), "@graph": [document] if document else []}
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
