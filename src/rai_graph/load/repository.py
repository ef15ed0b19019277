"""Load stage: the files of a governance repository → triples per file, and an rdflib Dataset.

Every ``.ttl`` under ``frameworks/``, ``controls/`` and ``evidence/`` becomes its own named graph,
so every triple knows its file; a small lexer (:mod:`._turtle_lines`) remembers where each subject
is written, so every later message can say ``file:line``. A file that cannot be read or parsed is
reported and left out; the others are still loaded. SHACL shapes under ``controls/shapes/`` are
kept apart from the data. The package's own ontology is loaded as one more named graph, so the
tiers, roles and evidence types it defines resolve like any other IRI.

For speed at scale (see ``benchmarks/README.md``): each file's parse outcome (triples and layout)
is cached by content hash (:mod:`._cache`), so an unchanged file is never parsed again; files are
parsed with pyoxigraph where it gives the same triples as rdflib (:mod:`._parse`); and the rdflib
``Dataset`` is only built when something asks for it: ``check`` and ``status`` work from the
per-file triples.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from rdflib import Dataset, Graph, URIRef

from rai_graph.errors import InputError, NotAGovernanceRepository
from rai_graph.load.cache import Cache, digest
from rai_graph.load.lines import TurtleLayout, line_of_object
from rai_graph.load.parse import (
    ParseOutcome,
    TermInterner,
    Triple,
    layout_of,
    normalise_newlines,
    parse_many,
    parser_name,
)
from rai_graph.load.trees import Kind, RepositoryTree, WorkTree, name_problem, printable, read_bytes
from rai_graph.progress import Progress, SilentProgress
from rai_graph.settings import Settings, read_settings

CONTENT_FOLDERS = ("frameworks", "controls", "evidence")
SHAPES_FOLDER = "controls/shapes"
ONTOLOGY_FILE = "<rai-graph>/ontology/rai.ttl"
FILE_GRAPH_PREFIX = "urn:rai-graph:file:"

FileRole = Literal["ontology", "framework", "controls", "shapes", "evidence"]


class SourceFile:
    """One loaded Turtle file: where it is, its named graph, and where its subjects are written.

    ``layout`` and ``lines`` are worked out on first use (most runs never need them).
    """

    __slots__ = ("_layout", "_lines", "first_lines", "graph_iri", "path", "role")

    def __init__(
        self, path: str, graph_iri: URIRef, role: FileRole,
        layout: TurtleLayout | ParseOutcome,
        lines: list[str] | Callable[[str], list[str]],
        first_lines: dict[str, int] | None = None,
    ) -> None:
        self.path = path
        """Path relative to the repository root, POSIX style."""
        self.graph_iri = graph_iri
        self.role = role
        # The file's parse outcome and one reader shared by every file, not a closure per file:
        # at 5,000 systems the closures alone held some 40 MiB.
        self._layout = layout
        self._lines = lines
        self.first_lines = first_lines if first_lines is not None else {
            subject: found[0].first_line for subject, found in self.layout.statements.items()}
        """The line of each subject's first statement (what :meth:`line_of` answers)."""

    @property
    def layout(self) -> TurtleLayout:
        if not isinstance(self._layout, TurtleLayout):
            self._layout = layout_of(self._layout)
        return self._layout

    @property
    def lines(self) -> list[str]:
        if not isinstance(self._lines, list):
            self._lines = self._lines(self.path)
        return self._lines

    def line_of(self, subject: str) -> int | None:
        return self.first_lines.get(subject)

    def line_of_object(self, subject: str, obj: str) -> int | None:
        return line_of_object(self.lines, self.layout, subject, obj)

    def __repr__(self) -> str:
        return f"SourceFile({self.path!r}, {self.role!r})"


@dataclass(slots=True)
class LoadedRepository:
    """The output of the load stage."""

    tree: RepositoryTree
    """Where the files came from (working tree or git revision); artefacts are read from it too."""
    settings: Settings
    files: dict[URIRef, SourceFile]
    shapes: Graph
    """SHACL shapes the repository adds under ``controls/shapes/``."""
    errors: list[InputError] = field(default_factory=list)
    content_keys: dict[URIRef, str] = field(default_factory=dict)
    """A hash of each file's bytes and parse settings: what caches downstream are keyed on."""
    _parsed: dict[URIRef, tuple[ParseOutcome, str]] = field(default_factory=dict)
    """Each data file's parse outcome and blank node prefix, in load order (ontology first)."""
    _triples: dict[URIRef, list[Triple]] | None = None
    _dataset: Dataset | None = None
    outcomes: dict[str, ParseOutcome] = field(default_factory=dict)
    """Every file's parse outcome (shapes too) by its content key."""

    def data_files(self) -> Iterator[SourceFile]:
        return (f for f in self.files.values() if f.role != "shapes")

    def has_triples(self, graph_iri: URIRef) -> bool:
        """Whether the file of ``graph_iri`` is loaded data (parsed, and not shapes)."""
        return graph_iri in self._parsed

    def data_key(self) -> str:
        """A hash of every loaded data file (ontology included), in order: what the model of the
        repository depends on."""
        return digest("data", *(self.content_keys[graph] for graph in self._parsed))

    def parse_outcomes(self) -> Iterator[tuple[SourceFile, ParseOutcome]]:
        """Each data file with its parse outcome (encoded terms, see :mod:`.parse`), in load order."""
        for graph, (outcome, _prefix) in self._parsed.items():
            yield self.files[graph], outcome

    @property
    def triples(self) -> dict[URIRef, list[Triple]]:
        """The triples of each data file (by graph IRI), in load order, made on first use (a run
        whose model comes from the cache never needs them)."""
        if self._triples is None:
            interner = TermInterner()
            self._triples = {graph: interner.triples(outcome, prefix)
                             for graph, (outcome, prefix) in self._parsed.items()}
        return self._triples

    def release_triples(self) -> None:
        """Forget the decoded triples (they are made again on first use): judging and most outputs
        no longer need them, and letting them go took 70 MiB off a cold check's peak at 5,000 systems."""
        self._triples = None

    @property
    def dataset(self) -> Dataset:
        """Every file as its own named graph (``default_union``), built on first use."""
        if self._dataset is None:
            dataset = Dataset(default_union=True)
            for graph_iri, triples in self.triples.items():
                graph = dataset.graph(graph_iri)
                graph.addN((s, p, o, graph) for s, p, o in triples)
            self._dataset = dataset
        return self._dataset

    def quads(self) -> Iterator[tuple[Triple, SourceFile]]:
        """Every data triple with its file, in load order; no Dataset needed."""
        for graph_iri, triples in self.triples.items():
            source = self.files[graph_iri]
            for triple in triples:
                yield triple, source


def load_repository(
    source: Path | RepositoryTree, *, cache: Cache | None = None, progress: Progress | None = None,
    pack: str = "parse",
) -> LoadedRepository:
    """Load every Turtle file of a repository: a directory on disk, or a git revision's tree.

    With ``cache``, parse outcomes of unchanged files are reused from its ``pack`` (and new ones
    stored).
    """
    tree = source if not isinstance(source, Path) else _work_tree(source)
    if not any(tree.resolve(name).kind is Kind.DIRECTORY for name in CONTENT_FOLDERS):
        raise NotAGovernanceRepository(
            f"{tree.location} is not a governance repository"
            + ("" if tree.label == "worktree" else f" at revision {tree.label[:12]}")
            + ": it has none of " + ", ".join(f"{name}/" for name in CONTENT_FOLDERS)
        )
    settings, errors = read_settings(tree)
    loader = _Loader(tree, cache, errors, pack)
    ontology = resources.files("rai_graph").joinpath("ontology/rai.ttl").read_bytes()
    loader.add(ONTOLOGY_FILE, ontology, "ontology", "urn:rai-graph:")

    base = settings.base_iri or "file:///"
    found = list(_turtle_files(tree))
    with (progress or SilentProgress()).task("Loading", total=len(found)) as task:
        pending = []
        for relative, resolved, problem in found:
            if problem is not None:
                errors.append(InputError(relative, None, problem, "parse"))
                task.advance()
                continue
            item = loader.prepare(relative, read_bytes(tree, resolved), _role_of(relative),
                                  base + quote(relative))
            if item is not None:
                pending.append(item)
        for item, outcome in zip(pending, loader.outcomes(pending, task.advance), strict=True):
            loader.finish(item, outcome)
        task.advance(len(found) - len(pending) - sum(1 for _r, _d, p in found if p is not None))
    loader.save()
    errors.sort(key=InputError.sort_key)
    return LoadedRepository(tree, settings, loader.files, loader.shapes, errors, loader.keys,
                            loader.parsed, outcomes=loader.used)


class _Loader:
    """Parses (or takes from the cache) the files, in order."""

    def __init__(self, tree: RepositoryTree, cache: Cache | None, errors: list[InputError], pack: str) -> None:
        self.tree = tree
        self.cache = cache
        self.errors = errors
        self.parser = parser_name()
        self.cached: dict[str, ParseOutcome] = cache.read(pack) if cache is not None else {}
        self.used: dict[str, ParseOutcome] = {}
        self.missed = 0
        self.parsed: dict[URIRef, tuple[ParseOutcome, str]] = {}
        self.files: dict[URIRef, SourceFile] = {}
        self.keys: dict[URIRef, str] = {}
        self.shapes = Graph()
        self.read_lines = _LinesReader(tree)

    def add(self, relative: str, data: bytes, role: FileRole, base: str) -> None:
        item = self.prepare(relative, data, role, base)
        if item is not None:
            self.finish(item, self.outcomes([item])[0])

    def prepare(self, relative: str, data: bytes, role: FileRole, base: str) -> _Pending | None:
        """The file decoded and keyed; None (and an error) if it is not UTF-8."""
        text, decode_error = _decode(data)
        if decode_error is None:
            decode_error = _surrogate_escape(text)
        if decode_error is not None:
            self.errors.append(InputError(relative, decode_error[0], decode_error[1], "parse"))
            return None
        # The parser is part of the key: the A/B tests compare the two, never through the cache.
        return _Pending(relative, role, base, digest("parse", self.parser, base, data), text)

    def outcomes(
        self, items: list[_Pending], advance: Callable[[int], None] | None = None,
    ) -> list[ParseOutcome]:
        """Each file's parse outcome: from the cache, else parsed."""
        found: list[ParseOutcome | None] = []
        missing: list[int] = []
        for number, item in enumerate(items):
            outcome = self.cached.get(item.key)
            if _well_formed(outcome):
                found.append(outcome)
                if advance is not None:
                    advance(1)
            else:
                found.append(None)
                missing.append(number)
        parsed = parse_many([(items[n].text, items[n].base) for n in missing], self.parser, advance)
        for number, outcome in zip(missing, parsed, strict=True):
            found[number] = outcome
        self.missed += len(missing)
        return [outcome for outcome in found if outcome is not None]

    def finish(self, item: _Pending, outcome: ParseOutcome) -> None:
        relative, role, key, text = item.relative, item.role, item.key, item.text
        self.used[key] = outcome
        if outcome[0] == "error":
            self.errors.append(InputError(relative, outcome[1], outcome[2], "parse"))
            return
        graph_iri = URIRef(FILE_GRAPH_PREFIX + quote(relative))
        # Blank node labels: from the key, which hashes the path (in the base) and the bytes.
        blank_prefix = f"b{key[:16]}x"
        if role == "shapes":
            for triple in TermInterner().triples(outcome, blank_prefix):
                self.shapes.add(triple)
        else:
            self.parsed[graph_iri] = (outcome, blank_prefix)
        first_lines: dict[str, int] = {}
        for subject, first, _last in outcome[4]:
            first_lines.setdefault(subject, first)
        # The layout is made on demand (messages) from the outcome's layout part.
        lines = text_lines(text) if relative == ONTOLOGY_FILE else self.read_lines
        self.files[graph_iri] = SourceFile(relative, graph_iri, role, outcome, lines, first_lines)
        self.keys[graph_iri] = key

    def save(self) -> None:
        if self.cache is None or not self.missed:
            return
        entries = dict(self.used)
        # Keep entries of other revisions (diff, branch switches) while the pack stays small.
        for key, outcome in self.cached.items():
            if len(entries) >= 2 * len(self.used) + 1000:
                break
            entries.setdefault(key, outcome)
        self.cache.write("parse", entries)


class _LinesReader:
    """Reads a file's lines again from the tree (only messages need them); one for every file."""

    __slots__ = ("tree",)

    def __init__(self, tree: RepositoryTree) -> None:
        self.tree = tree

    def __call__(self, relative: str) -> list[str]:
        return text_lines(_decode(read_bytes(self.tree, self.tree.resolve(relative).path))[0])


@dataclass(frozen=True, slots=True)
class _Pending:
    """A file read and keyed, waiting for its parse outcome."""

    relative: str
    role: FileRole
    base: str
    key: str
    text: str


def _well_formed(outcome: object) -> bool:
    return isinstance(outcome, tuple) and len(outcome) in (3, 5) and outcome[0] in ("ok", "error")


def _work_tree(root: Path) -> WorkTree:
    if not root.is_dir():
        raise NotAGovernanceRepository(f"{root} is not a directory")
    return WorkTree(root)


def _turtle_files(tree: RepositoryTree) -> Iterator[tuple[str, str, str | None]]:
    """The ``.ttl`` files, sorted: path, path with symlinks resolved, and a problem or None.

    A path that could not be shown on one line or is not UTF-8 is a problem (its file is not
    loaded; the path is given escaped), reported once for the folder or file whose name is bad; so
    is a submodule, whose files this repository does not review.
    """
    found: list[tuple[str, str, str | None]] = []
    bad_names: set[str] = set()
    for folder in CONTENT_FOLDERS:
        for relative in tree.files_under(folder):
            if name_problem(relative) is not None:
                # A record, or any file in a folder with a bad name; an artefact with a bad name
                # is reported only when a record names it (by the artefact checks).
                if relative.endswith(".ttl") or name_problem(relative.rpartition("/")[0]) is not None:
                    _report_bad_name(relative, bad_names, found)
            elif relative.endswith(".ttl"):
                resolved = tree.resolve(relative)
                found.append((relative, resolved.path, _file_problem(resolved.kind)))
        # A directory named like a Turtle file is a mistake worth reporting too.
        for relative in tree.directories_under(folder):
            if name_problem(relative) is not None:
                _report_bad_name(relative, bad_names, found)
            elif relative.endswith(".ttl"):
                found.append((relative, relative, "is a directory, expected a Turtle file"))
        submodules = getattr(tree, "submodules_under", None)
        for relative in submodules(folder) if submodules is not None else ():
            found.append((printable(relative), relative, _file_problem(Kind.SUBMODULE)))
    return iter(sorted(found))


def _report_bad_name(relative: str, reported: set[str], found: list[tuple[str, str, str | None]]) -> None:
    """One problem for the first component of ``relative`` whose name is bad (a folder of a
    hundred files with a bad name is one mistake)."""
    parts = relative.split("/")
    for end in range(1, len(parts) + 1):
        head = "/".join(parts[:end])
        problem = name_problem(parts[end - 1])
        if problem is not None:
            if head not in reported:
                reported.add(head)
                kind = "file" if end == len(parts) else "folder"
                found.append((printable(head), head, f"{problem} ({kind} not loaded)"))
            return


def _file_problem(kind: Kind) -> str | None:
    if kind is Kind.SUBMODULE:
        return ("is a git submodule (or a nested git repository): its files are reviewed elsewhere, "
                "if at all, so none of them is loaded; copy the records in instead")
    if kind is Kind.OUTSIDE:
        return "is a symbolic link to a file outside the repository; not loaded"
    if kind is Kind.DIRECTORY:
        return "is a directory, expected a Turtle file"
    if kind is Kind.MISSING:
        return "cannot be read (a broken symbolic link?)"
    return None


def text_lines(text: str) -> list[str]:
    """The lines of a Turtle text as the parsers and messages count them: split at line feeds
    (and lone carriage returns) only, never at the other characters ``str.splitlines`` breaks at
    (U+2028, form feed, ...), which Turtle reads as part of a literal."""
    return [line.removesuffix("\r") for line in normalise_newlines(text).split("\n")]


def _decode(data: bytes) -> tuple[str, tuple[int, str] | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return "", (line, f"not valid UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})")


# An escape, not an escaped backslash followed by "u" (an odd number of backslashes before it).
_SURROGATE_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*(\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}|U0000[dD][89a-fA-F][0-9a-fA-F]{2}))")


def _surrogate_escape(text: str) -> tuple[int, str] | None:
    """Where ``text`` escapes a surrogate code point (``\\uD800``): not a character (RDF strings
    hold characters only), and no UTF-8 output can print it; None if it escapes none."""
    if "\\u" not in text and "\\U" not in text:
        return None
    found = _SURROGATE_ESCAPE.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start(1)) + 1
    return line, (f"{found.group(1)} escapes a surrogate, which is not a character; write the character "
                  "itself (or \\U and its 8-digit code point)")


def _role_of(relative: str) -> FileRole:
    if relative.startswith(SHAPES_FOLDER + "/"):
        return "shapes"
    top = relative.split("/", 1)[0]
    return {"frameworks": "framework", "controls": "controls"}.get(top, "evidence")  # type: ignore[return-value]
