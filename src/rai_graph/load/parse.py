"""Turtle → triples, in a compact form that the cache can store and the loader can intern.

A file's parse outcome is plain data (strings and integers, see :data:`ParseOutcome`), so it can
be cached by content hash and turned into rdflib terms later, every IRI once per run.

Two parsers give the same triples: pyoxigraph (Rust, ~15× faster, used when installed) and
rdflib (the reference). rdflib parses any file pyoxigraph refuses, so a syntax error is always
rdflib's message and line, and the rare constructs where the two would give different rdflib terms
(an explicit ``^^xsd:string``, upper-case language tags, RDF 1.2 syntax) are left to rdflib too.
``RAI_GRAPH_PARSER=rdflib`` forces the reference parser.

Both parsers see the same text: a carriage return that does not end a CRLF pair is a line break
(:func:`normalise_newlines`, which the line numbers of messages follow too), and a file holding a
single literal or IRI longer than :data:`MAX_TOKEN_CHARACTERS` is refused with a clear error
before either parser sees it (pyoxigraph cannot read a token over 16 MiB and rdflib takes time
quadratic in its length; such text belongs in an artefact file).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeAlias

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from rai_graph.load.lines import IRI_PATTERN, STRING_PATTERN, TurtleLayout, scan_turtle
from rai_graph.parallel import map_in_two

try:  # optional: the fast parser
    import pyoxigraph
except ImportError:  # pragma: no cover - exercised where pyoxigraph is not installed
    pyoxigraph = None  # type: ignore[assignment]

PARSER_VARIABLE = "RAI_GRAPH_PARSER"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# A parse outcome: ("ok", terms, triples, prefixes, statements) or ("error", line, message).
# terms: each term once, encoded by a leading character: "<" IRI, "_" blank node label,
# '"' plain string, "@" lang + NUL + text, "^" datatype + NUL + lexical form.
# triples: three indexes into terms per triple (bytes when every index is below 256, else a
# list). statements: (subject, first line, last line).
ParseOutcome: TypeAlias = tuple[Any, ...]
Triple: TypeAlias = tuple[Node, Node, Node]

# Constructs on which pyoxigraph's terms would differ from rdflib's (rdflib keeps an explicit
# xsd:string datatype and the case of language tags), or RDF 1.2 syntax rdflib does not read.
_NEEDS_RDFLIB = re.compile(r"""\^\^\s*(?:<[^>]*\#string>|[\w.\-]*:string\b)|["']@[\w\-]*[A-Z]|<<|~""")


MAX_TOKEN_CHARACTERS = 1 << 20
"""The longest literal or IRI a record may hold (1 Mi characters)."""

_LONE_CR = re.compile(r"\r(?!\n)")
# One token at a time, linear (possessive runs): what a quote starts depends on what came before,
# so comments and IRIs are matched too (a quote inside them starts nothing).
_LONG_TOKEN_SCAN = re.compile(
    rf"""\#[^\n]*+ | (?P<string>{STRING_PATTERN}) | (?P<iri>{IRI_PATTERN}) | [^"'\#<]++ | .""",
    re.VERBOSE | re.DOTALL,
)


def normalise_newlines(text: str) -> str:
    """``text`` with every carriage return that does not end a CRLF pair made a line feed.

    Turtle reads a lone CR as white space, pyoxigraph too, but rdflib refuses it; an editor shows
    it as a line break. One reading for both parsers and for the line numbers of messages.
    """
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def oversized_token(text: str, limit: int = MAX_TOKEN_CHARACTERS) -> tuple[int, str, int] | None:
    """The first literal or IRI of ``text`` longer than ``limit`` characters: (line, kind, length)."""
    if len(text) <= limit:
        return None
    for match in _LONG_TOKEN_SCAN.finditer(text):
        kind = match.lastgroup
        if kind is not None and match.end() - match.start() > limit:
            return text.count("\n", 0, match.start()) + 1, "literal" if kind == "string" else "IRI", \
                match.end() - match.start()
    return None


def parser_name() -> str:
    """``oxigraph`` or ``rdflib``: what :func:`parse_turtle` uses in this process."""
    wanted = os.environ.get(PARSER_VARIABLE, "auto").strip().lower()
    return "oxigraph" if pyoxigraph is not None and wanted in ("auto", "oxigraph", "") else "rdflib"


def parse_turtle(text: str, base: str, parser: str | None = None) -> ParseOutcome:
    """Parse one Turtle document; never raises."""
    text = normalise_newlines(text)
    oversized = oversized_token(text)
    if oversized is not None:
        line, kind, length = oversized
        what = "an IRI" if kind == "IRI" else "a literal"
        return ("error", line, f"too large: {what} of {length / (1 << 20):.1f} Mi characters (at most "
                               f"{MAX_TOKEN_CHARACTERS >> 20} Mi); put long text in an artefact file (rai:artifact)")
    layout = scan_turtle(text, base)
    statements = [(s.subject, s.first_line, s.last_line)
                  for found in layout.statements.values() for s in found]
    encoded: tuple[list[str], list[int]] | None = None
    if (parser or parser_name()) == "oxigraph" and not _needs_rdflib(text):
        encoded = _parse_with_oxigraph(text, base)
    if encoded is None:
        outcome = _parse_with_rdflib(text, base)
        if outcome[0] == "error":
            return outcome
        encoded = outcome[1], outcome[2]
    return ("ok", encoded[0], _compact(encoded[0], encoded[1]), dict(layout.prefixes), statements)


def _compact(terms: list[str], flat: list[int]) -> bytes | list[int]:
    """The triples' term indexes as bytes when every index fits one (nearly every record file):
    an eighth of a list's memory, and a smaller parse pack; both index and slice alike."""
    return bytes(flat) if len(terms) <= 256 else flat


def _needs_rdflib(text: str) -> bool:
    # Substring tests first: they are much cheaper than the regex, which rarely needs to run.
    if "<<" in text or "~" in text:
        return True
    return ('"@' in text or "'@" in text or "string" in text) and _NEEDS_RDFLIB.search(text) is not None


def parse_many(
    items: Sequence[tuple[str, str]], parser: str, advance: Callable[[int], None] | None = None,
) -> list[ParseOutcome]:
    """:func:`parse_turtle` on each ``(text, base)``, in order, reporting each to ``advance``.

    Above :data:`SHARED_PARSE_CHARACTERS` of text, a forked second process parses the tail when a
    second core is usable (:func:`rai_graph.parallel.map_in_two`; outcomes are plain data).
    """
    return map_in_two(functools.partial(_parse_in_order, parser=parser), items,
                      [len(text) for text, _base in items], SHARED_PARSE_CHARACTERS, advance)


SHARED_PARSE_CHARACTERS = 4 << 20
"""How much Turtle is worth a second process (~200 systems): below it, forking and sending the
outcomes back cost more than the second core saves."""


def _parse_in_order(
    items: Sequence[tuple[str, str]], advance: Callable[[int], None] | None, parser: str,
) -> list[ParseOutcome]:
    outcomes = []
    for text, base in items:
        outcomes.append(parse_turtle(text, base, parser))
        if advance is not None:
            advance(1)
    return outcomes


def layout_of(outcome: ParseOutcome) -> TurtleLayout:
    """The :class:`TurtleLayout` stored in an ``ok`` outcome."""
    from rai_graph.load.lines import Statement

    layout = TurtleLayout(prefixes=dict(outcome[3]))
    for subject, first, last in outcome[4]:
        layout.statements.setdefault(subject, []).append(Statement(subject, first, last))
    return layout


def _parse_with_oxigraph(text: str, base: str) -> tuple[list[str], list[int]] | None:
    assert pyoxigraph is not None
    named, blank, literal = pyoxigraph.NamedNode, pyoxigraph.BlankNode, pyoxigraph.Literal
    index: dict[Any, int] = {}
    terms: list[str] = []
    seen: dict[tuple[int, int, int], None] = {}

    def number(term: Any) -> int:
        found = index.get(term)
        if found is not None:
            return found
        kind = type(term)
        if kind is named:
            code = "<" + term.value
        elif kind is blank:
            code = f"_{len(index)}"  # numbered in order of appearance: same file, same labels
        elif kind is literal:
            if getattr(term, "direction", None):
                raise ValueError("base direction")  # RDF 1.2: left to rdflib
            if term.language:
                code = "@" + term.language + "\0" + term.value
            elif term.datatype.value == XSD_STRING:
                code = '"' + term.value
            else:
                code = "^" + term.datatype.value + "\0" + term.value
        else:
            raise ValueError("not an RDF 1.1 term")  # a triple term: left to rdflib
        index[term] = found = len(terms)
        # One string per term across files (an IRI recurs in thousands of them): a third less
        # memory after loading, and marshal stores each string once in the parse pack.
        terms.append(sys.intern(code))
        return found

    try:
        for quad in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE, base_iri=base):
            seen[(number(quad.subject), number(quad.predicate), number(quad.object))] = None
    except Exception:  # a syntax error, or a term rdflib should make: rdflib decides
        return None
    return terms, [i for triple in seen for i in triple]


def _parse_with_rdflib(text: str, base: str) -> ParseOutcome:
    graph = Graph()
    try:
        # rdflib indexes past the end of a text that ends inside a statement without a final line
        # break (an IndexError); a line break there is white space, so it changes nothing else.
        graph.parse(data=text if text.endswith("\n") else text + "\n", format="turtle", publicID=base)
    except BadSyntax as exc:
        return ("error", _line_of_offset(text, exc._i), _syntax_message(exc))
    except RecursionError:
        return ("error", None, "invalid Turtle: nested too deeply for the reference parser")
    except IndexError:
        return ("error", _line_of_offset(text, len(text)), "invalid Turtle: the file ends inside a statement")
    except Exception as exc:  # rdflib raises many kinds; every one is a parse error of the file
        return ("error", None, f"cannot be parsed as Turtle: {_one_line(str(exc))}")
    index: dict[Node, int] = {}
    terms: list[str] = []
    flat: list[int] = []
    for triple in graph:
        for term in triple:
            found = index.get(term)
            if found is None:
                index[term] = found = len(terms)
                terms.append(sys.intern(f"_{found}" if isinstance(term, BNode) else encode_term(term)))
            flat.append(found)
    return ("ok", terms, flat)


def encode_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return "<" + str(term)
    if isinstance(term, BNode):
        return "_" + str(term)
    if isinstance(term, Literal):
        if term.language:
            return "@" + term.language + "\0" + str(term)
        if term.datatype is not None:
            return "^" + str(term.datatype) + "\0" + str(term)
        return '"' + str(term)
    raise TypeError(f"not an RDF term: {term!r}")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r]')
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def ntriples_term(term: Node) -> str:
    """``term`` in N-Triples syntax (characters an IRI may not hold are written as UCHARs)."""
    if isinstance(term, URIRef):
        return "<" + _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", str(term)) + ">"
    if isinstance(term, BNode):
        return "_:" + str(term)
    if isinstance(term, Literal):
        text = '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^{ntriples_term(term.datatype)}" if term.datatype is not None else text
    raise TypeError(f"not an RDF term: {term!r}")


def ntriples_line(triple: Triple) -> str:
    return f"{ntriples_term(triple[0])} {ntriples_term(triple[1])} {ntriples_term(triple[2])} .\n"


def _syntax_message(exc: BadSyntax) -> str:
    why = str(getattr(exc, "_why", "")) or "bad syntax"
    if why.startswith("EOF found"):
        why += " (the file ends inside a statement)"
    return f"invalid Turtle: {_one_line(why)}"


def _line_of_offset(text: str, offset: int) -> int:
    """The line of character ``offset``; at trailing white space (where a parser that ran out of
    file stops), the line of the last thing written, so the line always exists and shows the fault."""
    end = len(text.rstrip())
    if offset < 0:  # rdflib's "EOF found": the end of the file
        offset = end
    position = max(0, min(offset, end - 1 if end else 0))
    return text.count("\n", 0, position) + 1


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


@functools.cache
def _vocabulary() -> dict[str, Node]:
    """The terms of the vocabularies rai-graph's code names, by code, as the very objects the code
    holds (``RAI.text`` is one object): interned triples made of them turn every look-up of a
    constant (``props.get(RAI.text)``, ``p in GOVERNED_PREDICATES``) into an identity check
    instead of rdflib's Python-level ``__eq__`` (1.7 million calls in a cold check of 1,000
    systems)."""
    from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

    from rai_graph.vocab import RAI

    terms: dict[str, Node] = {}
    for namespace in (RAI, RDF, RDFS, OWL, SKOS, DCTERMS, PROV, FOAF, XSD, SH):
        for name in (*namespace.__annotations__, *getattr(namespace, "_extras", ())):
            term = namespace[name]
            terms["<" + str(term)] = term
    return terms


class TermInterner:
    """rdflib terms for encoded terms, each distinct IRI or literal made once per run.

    Sharing one object per term saves memory, and makes every later dict lookup an identity check
    instead of rdflib's Python-level ``__eq__``. Blank nodes are labelled per file (from its path),
    so two files (even two copies of one file) never share one, and a file keeps its labels from run
    to run.
    """

    def __init__(self) -> None:
        self._terms: dict[str, Node] = dict(_vocabulary())

    def triples(self, outcome: ParseOutcome, blank_prefix: str) -> list[Triple]:
        """The triples of an ``ok`` outcome; ``blank_prefix`` makes the file's blank nodes its own."""
        terms = self.terms(outcome[1], blank_prefix)
        flat = outcome[2]
        return [(terms[flat[i]], terms[flat[i + 1]], terms[flat[i + 2]])
                for i in range(0, len(flat), 3)]

    def terms(self, codes: Iterable[str], blank_prefix: str) -> list[Node]:
        known = self._terms
        nodes: list[Node] = []
        for code in codes:
            node = known.get(code)
            if node is None:
                if code[0] == "_":
                    nodes.append(BNode(blank_prefix + code[1:]))
                    continue
                node = known[code] = self._make(code)
            nodes.append(node)
        return nodes

    def _make(self, code: str) -> Node:
        kind, rest = code[0], code[1:]
        if kind == "<":
            return URIRef(rest)
        if kind == '"':
            return Literal(rest)
        tag, _, lexical = rest.partition("\0")
        if kind == "@":
            return Literal(lexical, lang=tag)
        datatype = self._terms.get("<" + tag)
        if not isinstance(datatype, URIRef):
            datatype = self._terms["<" + tag] = URIRef(tag)
        return Literal(lexical, datatype=datatype)
