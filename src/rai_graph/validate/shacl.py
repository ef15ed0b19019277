"""Structural SHACL validation, scoped per record file and cached.

Running pySHACL over the whole repository costs about a millisecond per record, every run. Most
runs change a few files, so validation is split into *units* and each unit's results are cached:

* A unit is a group of files that must be validated together: files that describe the same
  subject, and a file pointing (through a ``sh:targetObjectsOf`` property) at a subject another
  file describes. In practice a unit is one record file.
* A unit is validated with its own triples plus a small *context*: the ``rdf:type`` of the values
  a shape checks with ``sh:class`` (e.g. a system's owner) and every ``rdfs:subClassOf`` triple
  (what class targets need). Its results are those about nodes it *owns* (subjects it describes,
  or values no file describes). The key of a unit's results hashes its files' bytes, its context,
  the shapes, the engine and rai-graph's code, so a cached result is reused only when nothing it
  depends on changed.
* This is exact only when every shape looks at a focus node's own triples and at its values as
  terms (SHACL Core without paths into other nodes). :func:`scope_of` checks the shapes; anything
  else (SPARQL constraints, inverse or sequence paths, shapes on value nodes' properties) is
  validated over the whole graph as one unit, still cached.

Engines: pySHACL is the reference. The Rust ``shacl`` package (used when installed, or chosen with
``RAI_GRAPH_SHACL=rust``) gives the same results, proven on the test corpus by
``tests/test_scale.py``, some 30× faster; results about blank nodes (whose labels it renames)
are taken from pySHACL. ``RAI_GRAPH_SHACL=pyshacl`` forces the reference.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from rai_graph.load.cache import Cache, digest
from rai_graph.load.parse import XSD_STRING, Triple, encode_term, ntriples_term
from rai_graph.load.repository import LoadedRepository, SourceFile
from rai_graph.parallel import InBackground
from rai_graph.progress import Progress, SilentProgress

try:  # optional: the fast engine
    import shacl as rust_shacl
except ImportError:  # pragma: no cover - exercised where the package is not installed
    rust_shacl = None  # type: ignore[assignment]

ENGINE_VARIABLE = "RAI_GRAPH_SHACL"

# A result, as cached: (focus, subject, message, value or None, path IRI or None, component IRI).
# Terms are encoded as by the loader ("<" IRI, "_" blank node, ...); ``subject`` is the named node a
# blank focus hangs from (the record to blame).
RawResult: TypeAlias = tuple[str, str, str, str | None, str | None, str]

_PYSHACL_CHUNK = 400
"""Units per pySHACL call: small enough for a moving progress bar, large enough to amortise."""
_RUST_CHUNK = 4000
"""Units per call of the Rust engine: bounds the memory of its copy of the data."""


def engine_name() -> str:
    """``rust`` or ``pyshacl``: what validates in this process."""
    wanted = os.environ.get(ENGINE_VARIABLE, "auto").strip().lower()
    if wanted == "pyshacl" or rust_shacl is None:
        return "pyshacl"
    return "rust"


# --- which shapes can be scoped -----------------------------------------------------------------

_META = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
         SH.deactivated, RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy,
         SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf}
# Constraints on one term (the focus or a value): they never read another node's triples.
_TERM = {SH.nodeKind, SH.datatype, SH["in"], SH.pattern, SH.flags, SH.minLength, SH.maxLength,
         SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.languageIn,
         SH.hasValue, SH["class"]}
# Constraints over the focus node's own values along the property path.
_FOCUS = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan,
          SH.lessThanOrEquals, SH.closed, SH.ignoredProperties, SH.qualifiedMinCount,
          SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint}
_LOGICAL = {SH["or"], SH["and"], SH.xone}


@dataclass(frozen=True, slots=True)
class Scope:
    """What :func:`scope_of` found: whether units work, and what their context must hold."""

    per_unit: bool
    objects_of: frozenset[URIRef] = frozenset()
    """Predicates of ``sh:targetObjectsOf``: a file using one is validated with its object's file."""
    class_predicates: frozenset[URIRef] = frozenset()
    """Properties whose values a shape checks with ``sh:class``: a unit's context holds the types
    of those values."""


def scope_of(shapes: Graph) -> Scope:
    """Whether every shape only reads a focus node's own triples and its values as terms."""
    for forbidden in (SH.sparql, SH.target, SH.targetNode, SH.rule, SH.select, SH.ask):
        if (None, forbidden, None) in shapes:
            return Scope(False)
    analysis = _Analysis(shapes)
    roots = {s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
             for s in shapes.subjects(p, None)}
    roots |= set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    if not all(analysis.on_focus(shape) for shape in roots):
        return Scope(False)
    objects_of = frozenset(o for o in shapes.objects(None, SH.targetObjectsOf) if isinstance(o, URIRef))
    return Scope(True, objects_of, frozenset(analysis.class_predicates))


class _Analysis:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.seen: set[tuple[Node, bool]] = set()
        self.class_predicates: set[URIRef] = set()

    def on_focus(self, shape: Node) -> bool:
        """``shape`` evaluated on a focus node: its own triples are at hand."""
        if (shape, True) in self.seen:
            return True
        self.seen.add((shape, True))
        path = self.shapes.value(shape, SH.path)
        if path is not None and not self._simple_path(path):
            return False
        value_level = path is not None  # a property shape's nested shapes apply to its values
        if path is not None and self._checks_class(shape, set()):
            self.class_predicates.update(self._predicates(path))
        for predicate, value in self.shapes.predicate_objects(shape):
            if predicate in _META or predicate in _TERM or predicate in _FOCUS or predicate == SH.path:
                continue
            if predicate in _LOGICAL:
                members = list(Collection(self.shapes, value)) if isinstance(value, BNode | URIRef) else []
                if not all(self._nested(m, value_level) for m in members):
                    return False
            elif predicate in (SH["not"], SH.node, SH.qualifiedValueShape):
                if not self._nested(value, value_level or predicate == SH.qualifiedValueShape):
                    return False
            elif predicate == SH.property:
                if value_level or not self.on_focus(value):
                    return False
            else:
                return False  # anything unknown: validate over the whole graph
        return True

    def _nested(self, shape: Node, value_level: bool) -> bool:
        return self.on_value(shape) if value_level else self.on_focus(shape)

    def on_value(self, shape: Node) -> bool:
        """``shape`` evaluated on a value node: only the term itself (and its types) may be read."""
        if (shape, False) in self.seen:
            return True
        self.seen.add((shape, False))
        for predicate, value in self.shapes.predicate_objects(shape):
            if predicate in _META or predicate in _TERM:
                continue
            if predicate in _LOGICAL:
                members = list(Collection(self.shapes, value)) if isinstance(value, BNode | URIRef) else []
                if not all(self.on_value(m) for m in members):
                    return False
            elif predicate in (SH["not"], SH.node):
                if not self.on_value(value):
                    return False
            else:
                return False
        return True

    def _checks_class(self, shape: Node, visited: set[Node]) -> bool:
        """Whether ``sh:class`` is checked on a property shape's values (at any nesting)."""
        if shape in visited:
            return False
        visited.add(shape)
        for predicate, value in self.shapes.predicate_objects(shape):
            if predicate == SH["class"]:
                return True
            if predicate in _LOGICAL and isinstance(value, BNode | URIRef):
                if any(self._checks_class(m, visited) for m in Collection(self.shapes, value)):
                    return True
            elif predicate in (SH["not"], SH.node, SH.qualifiedValueShape) and \
                    self._checks_class(value, visited):
                return True
        return False

    def _predicates(self, path: Node) -> list[URIRef]:
        if isinstance(path, URIRef):
            return [path]
        alternatives = self.shapes.value(path, SH.alternativePath)
        return [p for p in Collection(self.shapes, alternatives) if isinstance(p, URIRef)] \
            if alternatives is not None else []

    def _simple_path(self, path: Node) -> bool:
        if isinstance(path, URIRef):
            return True
        alternatives = self.shapes.value(path, SH.alternativePath)
        if alternatives is None or len(set(self.shapes.predicate_objects(path))) != 1:
            return False
        return all(isinstance(p, URIRef) for p in Collection(self.shapes, alternatives))


# --- units --------------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Unit:
    files: list[SourceFile]
    key: str = ""
    context: list[Triple] = field(default_factory=list)

    def mentions(self, repo: LoadedRepository, node: Node) -> bool:
        """Whether ``node`` appears in the unit's files (as subject or object)."""
        return any(node in (s, o) for f in self.files for s, _p, o in repo.triples[f.graph_iri])


def validate_structure(
    repo: LoadedRepository, shapes: Graph, shapes_key: str, *, cache: Cache | None = None,
    engine: str | None = None, progress: Progress | None = None, scope: Scope | None = None,
) -> list[RawResult]:
    """Every structural SHACL result over the repository's data files (the ontology excluded);
    ``scope`` is :func:`scope_of` the shapes when the caller has it already."""
    return StructureRun(repo, shapes, shapes_key, cache=cache, engine=engine, scope=scope).finish(progress)


BACKGROUND_TRIPLES = 100_000
"""How many triples to validate are worth a second process (~300 systems): below it, forking
costs more than validating while the model is built saves."""


class StructureRun:
    """One structural validation: the whole repository's cached answer is looked up at once; the
    rest is worked out by :meth:`finish`, or begun beforehand in a second process by
    :meth:`begin` (the pipeline does so while it builds the model, which validation does not
    need)."""

    def __init__(
        self, repo: LoadedRepository, shapes: Graph, shapes_key: str, *, cache: Cache | None = None,
        engine: str | None = None, scope: Scope | None = None,
    ) -> None:
        self.repo, self.shapes, self.shapes_key, self.cache, self.scope = repo, shapes, shapes_key, cache, scope
        self.engine = engine or engine_name()
        self.data_files = [f for f in repo.data_files() if f.role != "ontology" and repo.has_triples(f.graph_iri)]
        self.cached: dict[str, list[RawResult]] = cache.read("shacl") if cache is not None else {}
        # Nothing changed at all (the common warm run): one lookup instead of working out the units.
        self.whole = "all" + digest("shacl-all", self.engine, shapes_key,
                                    *(repo.content_keys[f.graph_iri] for f in self.data_files))
        self._background: InBackground | None = None

    @property
    def answered(self) -> bool:
        return isinstance(self.cached.get(self.whole), list)

    def begin(self) -> None:
        """Work the results out in a second process, when the cache does not hold them and the
        data is large."""
        if self.answered or self._background is not None:
            return
        # Counted from the parse outcomes: the triples themselves are then made by each process
        # on its own, at the same time (this one for the model).
        if sum(len(outcome[2]) for _f, outcome in self.repo.parse_outcomes()) >= 3 * BACKGROUND_TRIPLES:
            self._background = InBackground(self._work_out)

    def cancel(self) -> None:
        if self._background is not None:
            self._background.cancel()
            self._background = None

    def finish(self, progress: Progress | None = None) -> list[RawResult]:
        """Every result, the cache updated."""
        if self.answered:
            answer: list[RawResult] = self.cached[self.whole]
            return answer
        everything: list[RawResult]
        found: dict[str, list[RawResult]]
        if self._background is not None:
            everything, found = self._background.result()
            self._background = None
        else:
            everything, found = self._work_out(progress)
        if self.cache is not None:
            entries: dict[str, list[RawResult]] = {self.whole: everything, **found}
            for key, value in self.cached.items():
                if len(entries) >= 2 * len(found) + 1000:
                    break
                if not key.startswith("all"):
                    entries.setdefault(key, value)
            self.cache.write("shacl", entries)
        return everything

    def _work_out(self, progress: Progress | None = None) -> tuple[list[RawResult], dict[str, list[RawResult]]]:
        """Every result, and the results by unit key: from the cache per unit, else validated.
        Plain data: it may travel back from a second process."""
        scope = self.scope if self.scope is not None else scope_of(self.shapes)
        units, owner_of = _units(self.repo, self.data_files, scope)
        for unit in units:
            context = sorted(" ".join(encode_term(t) for t in triple) for triple in unit.context)
            unit.key = digest("shacl", self.engine, self.shapes_key, str(scope.per_unit),
                              *(self.repo.content_keys[f.graph_iri] for f in unit.files), *context)
        found: dict[str, list[RawResult]] = {}
        missing = []
        for unit in units:
            results = self.cached.get(unit.key)
            if isinstance(results, list):
                found[unit.key] = results
            else:
                missing.append(unit)
        if missing:
            with (progress or SilentProgress()).task("Validating", total=len(missing)) as task:
                for unit, results in _validate_units(self.repo, self.shapes, missing, owner_of, self.engine,
                                                     task, self.shapes_key):
                    found[unit.key] = results
        return [result for unit in units for result in found[unit.key]], found


def _units(
    repo: LoadedRepository, files: Sequence[SourceFile], scope: Scope,
) -> tuple[list[_Unit], dict[Node, _Unit] | None]:
    """The units, and which unit describes each subject (None: one unit, the whole graph)."""
    if not scope.per_unit:
        return [_Unit(list(files))], None
    parent = list(range(len(files)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    described_in: dict[Node, int] = {}
    types: dict[Node, list[Triple]] = defaultdict(list)
    subclass: list[Triple] = []
    kinds: dict[Node, str] = {RDF.type: "type", RDFS.subClassOf: "subclass"}
    for number, source in enumerate(files):
        for triple in repo.triples[source.graph_iri]:
            first = described_in.setdefault(triple[0], number)
            if first != number:
                union(first, number)
            kind = kinds.get(triple[1])
            if kind == "type":
                types[triple[0]].append(triple)
            elif kind == "subclass":
                subclass.append(triple)
    if scope.objects_of:
        for number, source in enumerate(files):
            for _s, p, o in repo.triples[source.graph_iri]:
                if p in scope.objects_of and o in described_in:
                    union(described_in[o], number)
    groups: dict[int, _Unit] = {}
    for number, source in enumerate(files):
        root = find(number)
        unit = groups.get(root)
        if unit is None:
            unit = groups[root] = _Unit([])
        unit.files.append(source)
    for unit in groups.values():
        context: dict[Triple, None] = dict.fromkeys(subclass)
        if scope.class_predicates:
            for source in unit.files:
                for _s, p, o in repo.triples[source.graph_iri]:
                    if p in scope.class_predicates and isinstance(o, URIRef):
                        context.update(dict.fromkeys(types.get(o, ())))
        unit.context = list(context)
    owner_of = {subject: groups[find(number)] for subject, number in described_in.items()}
    return list(groups.values()), owner_of


def _validate_units(
    repo: LoadedRepository, shapes: Graph, units: Sequence[_Unit], owner_of: dict[Node, _Unit] | None,
    engine: str, task: Any, shapes_key: str,
) -> Iterator[tuple[_Unit, list[RawResult]]]:
    """Validate ``units`` in batches; each unit gets the results about the nodes it owns."""
    if engine == "rust":
        try:
            step = _RUST_CHUNK if owner_of is not None else len(units)
            done: list[tuple[_Unit, list[RawResult]]] = []
            for start in range(0, len(units), step):
                done.extend(_validate_with_rust(repo, shapes, shapes_key, units[start:start + step], owner_of,
                                                task))
            yield from done
            return
        except _RustCannot:
            pass
    step = _PYSHACL_CHUNK if owner_of is not None else len(units)
    for start in range(0, len(units), step):
        batch = units[start:start + step]
        graph = _graph_of(repo, batch)
        results = _pyshacl(graph, shapes)
        yield from _distribute(repo, batch, owner_of, [_raw(graph, r) for r in results])
        task.advance(len(batch))


def _graph_of(repo: LoadedRepository, units: Iterable[_Unit]) -> Graph:
    graph = Graph()
    for unit in units:
        for source in unit.files:
            for triple in repo.triples[source.graph_iri]:
                graph.add(triple)
        for triple in unit.context:
            graph.add(triple)  # a set: context shared by several units is added once
    return graph


def _distribute(
    repo: LoadedRepository, batch: Sequence[_Unit], owner_of: dict[Node, _Unit] | None,
    results: Iterable[tuple[Node, RawResult]],
) -> Iterator[tuple[_Unit, list[RawResult]]]:
    by_unit: dict[int, list[RawResult]] = {id(unit): [] for unit in batch}
    for focus, raw in results:
        for unit in _owning(repo, batch, by_unit, owner_of, focus):
            by_unit[id(unit)].append(raw)
    for unit in batch:
        yield unit, list(dict.fromkeys(by_unit[id(unit)]))


def _owning(repo: LoadedRepository, batch: Sequence[_Unit], members: dict[int, list[RawResult]],
            owner_of: dict[Node, _Unit] | None, focus: Node) -> list[_Unit]:
    """The units of ``batch`` whose results include those about ``focus``.

    A node described by some file belongs to the unit of its files; a node described nowhere (a
    literal, a blank object) to every unit that mentions it, as results about it are the same.
    """
    if owner_of is None:
        return list(batch)  # one unit: the whole graph
    owner = owner_of.get(focus)
    if owner is not None:
        return [owner] if id(owner) in members else []
    return [unit for unit in batch if unit.mentions(repo, focus)]


def _pyshacl(data: Graph, shapes: Graph) -> list[tuple[Graph, Node]]:
    from pyshacl import validate as shacl_validate

    advanced = (None, SH.sparql, None) in shapes or (None, SH.target, None) in shapes
    _conforms, report, _text = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=advanced, inplace=True,
        meta_shacl=False, allow_warnings=True,
    )
    return [(report, result) for result in report.subjects(RDF.type, SH.ValidationResult)]


def _raw(data: Graph, found: tuple[Graph, Node]) -> tuple[Node, RawResult]:
    report, result = found
    focus = report.value(result, SH.focusNode)
    if focus is None:
        return URIRef(""), ("", "", "", None, None, "")
    value = report.value(result, SH.value)
    path = report.value(result, SH.resultPath)
    component = report.value(result, SH.sourceConstraintComponent)
    message = str(report.value(result, SH.resultMessage) or "does not match its shape")
    return focus, (
        encode_term(focus), encode_term(subject_of(data, focus)), message,
        encode_term(value) if value is not None else None,
        str(path) if isinstance(path, URIRef) else None, str(component or ""),
    )


def subject_of(data: Graph, focus: Node) -> Node:
    """The named node a blank node hangs from (e.g. the control of a threshold node)."""
    seen = 0
    while isinstance(focus, BNode) and seen < 50:
        parent = next(iter(data.subjects(None, focus)), None)
        if parent is None:
            break
        focus, seen = parent, seen + 1
    return focus


# --- the Rust engine ----------------------------------------------------------------------------


class _RustCannot(Exception):
    """The Rust engine cannot take this data (e.g. an IRI N-Triples cannot write)."""


_compiled: dict[str, Any] = {}


def _validate_with_rust(
    repo: LoadedRepository, shapes: Graph, shapes_key: str, units: Sequence[_Unit],
    owner_of: dict[Node, _Unit] | None, task: Any,
) -> Iterator[tuple[_Unit, list[RawResult]]]:
    assert rust_shacl is not None
    # Kept by the shapes' content key: serialising the shapes again took ~9 ms a run.
    compiled = _compiled.get(shapes_key)
    if compiled is None:
        try:
            compiled = rust_shacl.Shapes.from_text(shapes.serialize(format="nt"), "ntriples")
        except Exception as exc:
            raise _RustCannot(str(exc)) from exc
        _compiled.clear()
        _compiled[shapes_key] = compiled
    lines: list[str] = []
    writer = _NTriples()
    context: dict[Triple, None] = {}
    for unit in units:
        for source in unit.files:
            lines.extend(writer.line(t) for t in repo.triples[source.graph_iri])
        context.update(dict.fromkeys(unit.context))
    lines.extend(writer.line(t) for t in context)
    if writer.failed:
        raise _RustCannot("data N-Triples cannot carry")
    try:
        report = compiled.validate_text("".join(lines), "ntriples")
    except Exception as exc:
        raise _RustCannot(str(exc)) from exc
    results: list[tuple[Node, RawResult]] = []
    blank = False
    for result in report.results:
        if result.focus_node.startswith("_:") or (result.value or "").startswith("_:"):
            blank = True  # its labels are the engine's own: taken from pySHACL below
            continue
        focus = writer.node(result.focus_node)
        value = writer.node(result.value) if result.value is not None else None
        path = result.path[1:-1] if result.path and result.path.startswith("<") and \
            result.path.endswith(">") and " " not in result.path else None
        results.append((focus, (
            encode_term(focus), encode_term(focus), result.message or "does not match its shape",
            encode_term(value) if value is not None else None, path, result.component_iri,
        )))
    task.advance(len(units))
    if not blank:
        yield from _distribute(repo, units, owner_of, results)
        return
    with_blanks = [u for u in units if any(isinstance(s, BNode) or isinstance(o, BNode)
                                           for f in u.files for s, _p, o in repo.triples[f.graph_iri])]
    graph = _graph_of(repo, with_blanks)
    for found in _pyshacl(graph, shapes):
        focus, raw = _raw(graph, found)
        if raw[0].startswith("_") or (raw[3] or "").startswith("_"):
            results.append((focus, raw))
    yield from _distribute(repo, units, owner_of, results)


class _NTriples:
    """N-Triples lines for triples, each term written once per run."""

    def __init__(self) -> None:
        self.written: dict[Node, str] = {}
        self.read: dict[str, Node] | None = None
        self.failed = False

    def node(self, text: str) -> Node:
        """The term the engine names in N-Triples syntax: one we wrote, else read from ``text``."""
        if self.read is None:
            self.read = {written: node for node, written in self.written.items()}
        found = self.read.get(text)
        if found is None and text.endswith(f"^^<{XSD_STRING}>"):
            found = self.read.get(text[:-len(XSD_STRING) - 4])
        elif found is None and text.startswith('"') and text.endswith('"'):
            found = self.read.get(f"{text}^^<{XSD_STRING}>")
        return found if found is not None else repo_term(text)

    def line(self, triple: Triple) -> str:
        return f"{self.term(triple[0])} {self.term(triple[1])} {self.term(triple[2])} .\n"

    def term(self, node: Node) -> str:
        text = self.written.get(node)
        if text is None:
            try:
                text = ntriples_term(node)
            except TypeError:
                text = ""
            if (text.startswith("<") and "\\u" in text) or not text:
                self.failed = True  # an IRI rdflib accepted that N-Triples cannot carry
            self.written[node] = text
        return text


_UNESCAPE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))', re.DOTALL)
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _SIMPLE.get(match.group(3), match.group(3))

    return _UNESCAPE.sub(one, text) if "\\" in text else text


def repo_term(text: str) -> Node:
    """An IRI or literal written in N-Triples syntax, as an rdflib term."""
    if text.startswith("<") and text.endswith(">"):
        return URIRef(_unescape(text[1:-1]))
    if text.startswith('"'):
        end = text.rindex('"')
        lexical, rest = _unescape(text[1:end]), text[end + 1:]
        if rest.startswith("@"):
            return Literal(lexical, lang=rest[1:])
        if rest.startswith("^^<"):
            return Literal(lexical, datatype=URIRef(rest[3:-1]))
        return Literal(lexical)
    return BNode(text.removeprefix("_:"))
