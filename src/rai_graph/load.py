"""Load stage: the files of a governance repository → one rdflib Dataset.

Every ``.ttl`` under ``frameworks/``, ``controls/`` and ``evidence/`` becomes its own named graph,
so every triple knows its file; a small lexer (:mod:`._turtle_lines`) remembers where each subject
is written, so every later message can say ``file:line``. A file that cannot be read or parsed is
reported and left out; the others are still loaded. SHACL shapes under ``controls/shapes/`` are
kept apart from the data. The package's own ontology is loaded as one more named graph, so the
tiers, roles and evidence types it defines resolve like any other IRI.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from ._trees import Kind, RepositoryTree, WorkTree, read_bytes
from ._turtle_lines import TurtleLayout, line_of_object, scan_turtle
from .errors import InputError, NotAGovernanceRepository
from .settings import Settings, read_settings

CONTENT_FOLDERS = ("frameworks", "controls", "evidence")
SHAPES_FOLDER = "controls/shapes"
ONTOLOGY_FILE = "<rai-graph>/ontology/rai.ttl"
FILE_GRAPH_PREFIX = "urn:rai-graph:file:"

FileRole = Literal["ontology", "framework", "controls", "shapes", "evidence"]


@dataclass(slots=True)
class SourceFile:
    """One loaded Turtle file: where it is, its named graph, and where its subjects are written."""

    path: str
    """Path relative to the repository root, POSIX style."""
    graph_iri: URIRef
    role: FileRole
    layout: TurtleLayout
    lines: list[str]

    def line_of(self, subject: str) -> int | None:
        return self.layout.first_line(subject)

    def line_of_object(self, subject: str, obj: str) -> int | None:
        return line_of_object(self.lines, self.layout, subject, obj)


@dataclass(slots=True)
class LoadedRepository:
    """The output of the load stage."""

    tree: RepositoryTree
    """Where the files came from (working tree or git revision); artefacts are read from it too."""
    settings: Settings
    dataset: Dataset
    files: dict[URIRef, SourceFile]
    shapes: Graph
    """SHACL shapes the repository adds under ``controls/shapes/``."""
    errors: list[InputError] = field(default_factory=list)

    def data_files(self) -> Iterator[SourceFile]:
        return (f for f in self.files.values() if f.role != "shapes")


def load_repository(source: Path | RepositoryTree) -> LoadedRepository:
    """Load every Turtle file of a repository: a directory on disk, or a git revision's tree."""
    tree = source if not isinstance(source, Path) else _work_tree(source)
    if not any(tree.resolve(name).kind is Kind.DIRECTORY for name in CONTENT_FOLDERS):
        raise NotAGovernanceRepository(
            f"{tree.location} is not a governance repository"
            + ("" if tree.label == "worktree" else f" at revision {tree.label[:12]}")
            + ": it has none of " + ", ".join(f"{name}/" for name in CONTENT_FOLDERS)
        )
    settings, errors = read_settings(tree)
    dataset = Dataset(default_union=True)
    shapes = Graph()
    files: dict[URIRef, SourceFile] = {}

    ontology_text = resources.files("rai_graph").joinpath("ontology/rai.ttl").read_text("utf-8")
    _parse_into(dataset, files, errors, ONTOLOGY_FILE, ontology_text, "ontology", "urn:rai-graph:")

    base = settings.base_iri or "file:///"
    for relative, problem in _turtle_files(tree):
        if problem is not None:
            errors.append(InputError(relative, None, problem, "parse"))
            continue
        text, decode_error = _decode(read_bytes(tree, tree.resolve(relative).path))
        if decode_error is not None:
            errors.append(InputError(relative, decode_error[0], decode_error[1], "parse"))
            continue
        role = _role_of(relative)
        target: Dataset | Graph = shapes if role == "shapes" else dataset
        _parse_into(target, files, errors, relative, text, role, base + quote(relative))
    errors.sort(key=InputError.sort_key)
    return LoadedRepository(tree, settings, dataset, files, shapes, errors)


def _work_tree(root: Path) -> WorkTree:
    if not root.is_dir():
        raise NotAGovernanceRepository(f"{root} is not a directory")
    return WorkTree(root)


def _turtle_files(tree: RepositoryTree) -> Iterator[tuple[str, str | None]]:
    """Repository-relative paths of the ``.ttl`` files, sorted, each with a problem or None."""
    found: list[tuple[str, str | None]] = []
    for folder in CONTENT_FOLDERS:
        for relative in tree.files_under(folder):
            if relative.endswith(".ttl"):
                found.append((relative, _file_problem(tree, relative)))
        # A directory named like a Turtle file is a mistake worth reporting too.
        for relative in tree.directories_under(folder):
            if relative.endswith(".ttl"):
                found.append((relative, "is a directory, expected a Turtle file"))
    return iter(sorted(found))


def _file_problem(tree: RepositoryTree, relative: str) -> str | None:
    resolved = tree.resolve(relative)
    if resolved.kind is Kind.OUTSIDE:
        return "is a symbolic link to a file outside the repository; not loaded"
    if resolved.kind is Kind.DIRECTORY:
        return "is a directory, expected a Turtle file"
    if resolved.kind is Kind.MISSING:
        return "cannot be read (a broken symbolic link?)"
    return None


def _decode(data: bytes) -> tuple[str, tuple[int, str] | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return "", (line, f"not valid UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})")


def _role_of(relative: str) -> FileRole:
    if relative.startswith(SHAPES_FOLDER + "/"):
        return "shapes"
    top = relative.split("/", 1)[0]
    return {"frameworks": "framework", "controls": "controls"}.get(top, "evidence")  # type: ignore[return-value]


def _parse_into(
    target: Dataset | Graph,
    files: dict[URIRef, SourceFile],
    errors: list[InputError],
    relative: str,
    text: str,
    role: FileRole,
    base: str,
) -> None:
    graph_iri = URIRef(FILE_GRAPH_PREFIX + quote(relative))
    graph = target.graph(graph_iri) if isinstance(target, Dataset) else Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=base)
    except BadSyntax as exc:
        _discard(target, graph_iri)
        errors.append(InputError(relative, exc.lines + 1, _syntax_message(exc), "parse"))
        return
    except Exception as exc:
        _discard(target, graph_iri)
        errors.append(InputError(relative, None, f"cannot be parsed as Turtle: {exc}", "parse"))
        return
    if isinstance(target, Graph) and not isinstance(target, Dataset):
        target += graph
    layout = scan_turtle(text, base)
    files[graph_iri] = SourceFile(relative, graph_iri, role, layout, text.splitlines())


def _discard(target: Dataset | Graph, graph_iri: URIRef) -> None:
    # A failed parse may have added some triples before the error; drop them all.
    if isinstance(target, Dataset):
        target.remove_graph(target.graph(graph_iri))


def _syntax_message(exc: BadSyntax) -> str:
    why = str(getattr(exc, "_why", "")) or "bad syntax"
    return f"invalid Turtle: {why}"
