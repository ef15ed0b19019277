"""Validate stage: structural SHACL, references, artefact hashes and record rules.

Input: the loaded repository and its model. Output: :class:`ValidationOutcome` — the input errors
found (as data, each pointing at ``file:line``) and the state of every artefact, which the status
engine needs. The only I/O here is reading artefacts to hash them.

Completeness per risk tier is *not* judged by SHACL here: evaluating one shape per (tier, control)
over the whole graph grows quadratically (see ``shared/notes/performance.md``); the status engine
judges it over an index, and :mod:`rai_graph.validate.completeness` exports the equivalent shapes.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from importlib import resources

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, SH, SKOS
from rdflib.term import Node

from rai_graph._display import short
from rai_graph.errors import InputError
from rai_graph.load.cache import Cache, digest
from rai_graph.load.parse import TermInterner, Triple, parse_turtle
from rai_graph.load.repository import LoadedRepository, SourceFile
from rai_graph.load.trees import Kind, read_bytes
from rai_graph.model import Origin, RepositoryModel, Waiver
from rai_graph.progress import Progress
from rai_graph.settings import SETTINGS_FILE, line_of_key
from rai_graph.validate.artifacts import ArtifactCheck, cache_inside, check_artifact
from rai_graph.validate.shacl import Scope, StructureRun, scope_of, validate_structure
from rai_graph.vocab import RAI


@dataclass(frozen=True, slots=True)
class Reference:
    """A property whose object must be a node of one of ``targets``, checked on ``subjects``."""

    predicate: URIRef
    targets: tuple[URIRef, ...]
    subjects: tuple[URIRef, ...] = ()
    """Only check subjects of these classes (empty: every subject)."""


REFERENCES: tuple[Reference, ...] = (
    Reference(RAI.forSystem, (RAI.AISystem,)),
    Reference(RAI.implements, (RAI.Control,)),
    Reference(RAI.approves, (RAI.Evidence,)),
    Reference(RAI.waives, (RAI.Control,)),
    Reference(RAI.compensatingControl, (RAI.Control,)),
    Reference(RAI.satisfies, (RAI.Requirement,)),
    Reference(RAI.owner, (RAI.Person,)),
    Reference(RAI.approvedBy, (RAI.Person,)),
    Reference(PROV.wasAttributedTo, (RAI.Person,), (RAI.Evidence,)),
    Reference(PROV.wasAssociatedWith, (RAI.Person,), (RAI.Approval,)),
    Reference(RAI.inRole, (RAI.Role,)),
    Reference(RAI.hasRole, (RAI.Role,)),
    Reference(RAI.requiresApprovalBy, (RAI.Role,)),
    Reference(RAI.riskTier, (RAI.RiskTier,)),
    Reference(RAI.requiredForTier, (RAI.RiskTier,)),
    Reference(RAI.appliesToTier, (RAI.RiskTier,)),
    Reference(RAI.operatorRole, (RAI.OperatorRole,)),
    Reference(RAI.appliesToRole, (RAI.OperatorRole,)),
    Reference(RAI.evidenceType, (RAI.EvidenceType,)),
    Reference(RAI.requiresEvidenceType, (RAI.EvidenceType,)),
    Reference(RAI.annexIIIArea, (RAI.Requirement,)),
    Reference(SKOS.inScheme, (RAI.Framework,), (RAI.Requirement,)),
    Reference(SKOS.broader, (RAI.Requirement,), (RAI.Requirement,)),
    Reference(RAI.concerns, (RAI.Control, RAI.Requirement)),
    Reference(RAI.resolvedBy, (RAI.Evidence,)),
    Reference(RAI.justifies, (RAI.Requirement,)),
    Reference(RAI.mapsToControl, (RAI.Control,)),
    Reference(RAI.mapsToRequirement, (RAI.Requirement,)),
)

CLASS_NAMES: dict[URIRef, str] = {
    RAI.AISystem: "an AI system",
    RAI.Control: "a control",
    RAI.Evidence: "an evidence record",
    RAI.Requirement: "a requirement (framework clause)",
    RAI.Person: "a person",
    RAI.Role: "a role",
    RAI.RiskTier: "a risk tier",
    RAI.OperatorRole: "an operator role",
    RAI.EvidenceType: "an evidence type",
    RAI.Framework: "a framework",
}


@dataclass(slots=True)
class ValidationOutcome:
    errors: list[InputError] = field(default_factory=list)
    artifacts: dict[URIRef, ArtifactCheck] = field(default_factory=dict)


def validate_repository(
    repo: LoadedRepository, model: RepositoryModel, *, cache: Cache | None = None,
    progress: Progress | None = None, record_errors: list[InputError] | None = None,
    structure: StructureRun | None = None,
) -> ValidationOutcome:
    """Every input error of the repository, plus the state of every artefact.

    With ``cache``, structural SHACL results of unchanged records are reused (see :mod:`._shacl`).
    ``record_errors``, when given, are :func:`check_records` of this repository and model
    (the pipeline caches them with the model). ``structure``, when given, is
    :func:`begin_structure_check` of this repository, begun before the model was built.
    """
    outcome = ValidationOutcome(errors=list(repo.errors))
    outcome.errors.extend(check_structure(repo, model, cache=cache, progress=progress, begun=structure))
    outcome.errors.extend(record_errors if record_errors is not None else check_records(repo, model))
    outcome.errors.extend(check_waivers(model))
    outcome.errors.extend(check_waiver_chains(model))
    outcome.errors.extend(check_adopted_frameworks(repo, model))
    outcome.errors.extend(check_governed_people(model))
    outcome.errors.extend(check_trust_boundaries(repo, model))
    artifact_errors, outcome.artifacts = check_artifacts(repo, model)
    outcome.errors.extend(artifact_errors)
    outcome.errors = fold_cascades(sorted(set(outcome.errors), key=InputError.sort_key), repo)
    return outcome


def fold_cascades(errors: list[InputError], repo: LoadedRepository) -> list[InputError]:
    """Parse errors first, each with the errors it causes folded into it.

    A file that cannot be parsed defines none of its records, so every reference to them from
    other files fails too; one typo must not read as forty problems with the real one far down.
    A reference error is counted as caused by an unparsable file when that file starts a
    statement with the missing record (``ex:name`` or ``<...name>`` at the start of a line).
    """
    broken = {e.file for e in errors if e.kind == "parse"}
    if not broken:
        return errors
    texts = {path: _text_of(repo, path) for path in sorted(broken)}
    caused: dict[str, list[InputError]] = defaultdict(list)
    kept: list[InputError] = []
    for error in errors:
        culprit = None
        if error.kind == "reference" and error.about is not None:
            defines = _statement_start(error.about)
            culprit = next((path for path, text in texts.items()
                            if path != error.file and defines.search(text)), None)
        if culprit is None:
            kept.append(error)
        else:
            caused[culprit].append(error)
    folded = []
    for error in kept:
        consequences = caused.pop(error.file, []) if error.kind == "parse" else []
        if consequences:
            files = sorted({c.file for c in consequences})
            shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
            error = replace(error, message=(
                f"{error.message} — and {len(consequences)} more error(s) caused by it (references "
                f"to its records from {shown}); fix this one first"))
        folded.append(error)
    return sorted(folded, key=lambda e: (e.kind != "parse", *e.sort_key()))


def _statement_start(iri: str) -> re.Pattern[str]:
    local = re.escape(iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
    return re.compile(rf"^[ \t]*(?:[A-Za-z][\w.-]*)?:{local}(?![\w.-])|^[ \t]*<[^>\s]*{local}>", re.MULTILINE)


def _text_of(repo: LoadedRepository, path: str) -> str:
    """The text of a repository file as far as it can be read ('' when it cannot)."""
    try:
        resolved = repo.tree.resolve(path)
        if resolved.kind is not Kind.FILE:  # a FIFO, device or folder named .ttl: never read
            return ""
        return read_bytes(repo.tree, resolved.path).decode("utf-8", "replace")
    except (OSError, KeyError, ValueError):
        return ""


def check_records(repo: LoadedRepository, model: RepositoryModel) -> list[InputError]:
    """The checks that depend on the data files only: references and duplicate records."""
    return check_references(repo, model) + check_duplicates(repo, model)


# --- structural SHACL ---------------------------------------------------------------------


PACKAGE_SHAPES_BASE = "https://w3id.org/rai-graph/shapes/structural.ttl"
"""The base IRI of the package's shapes file (it holds no relative IRI)."""


def package_shapes() -> Graph:
    """The hand-written structural shapes shipped with rai-graph: a new graph on each call (callers
    add the repository's shapes to it), made from triples parsed once per process."""
    shapes = Graph()
    for triple in _package_shape_triples():
        shapes.add(triple)
    return shapes


_MADE_SHAPES: dict[str, tuple[Graph, Scope]] = {}
_KEPT_SHAPES = 8


def structural_shapes(repo: LoadedRepository) -> tuple[Graph, str, Scope]:
    """The package's and the repository's shapes as one graph (never to be changed), the key of
    their content and their scope. Made once per process for each content: a run asks for them
    two or three times (validation, the merged check), and making them cost ~35 ms each time."""
    key = digest("shapes", _package_shapes_text(), *sorted(
        repo.content_keys.get(f.graph_iri, f.path) for f in repo.files.values() if f.role == "shapes"))
    made = _MADE_SHAPES.get(key)
    if made is None:
        graph = package_shapes()
        graph += repo.shapes
        made = (graph, scope_of(graph))
        if len(_MADE_SHAPES) >= _KEPT_SHAPES:
            del _MADE_SHAPES[next(iter(_MADE_SHAPES))]
        _MADE_SHAPES[key] = made
    return made[0], key, made[1]


@functools.cache
def _package_shape_triples() -> tuple[Triple, ...]:
    # A run asks for the shapes two or three times; rdflib took ~60 ms to parse them each time.
    outcome = parse_turtle(_package_shapes_text(), PACKAGE_SHAPES_BASE)
    if outcome[0] != "ok":
        raise RuntimeError(f"rai-graph's own shapes/structural.ttl does not parse: {outcome}")
    return tuple(TermInterner().triples(outcome, "package-shapes-"))


@functools.cache
def _package_shapes_text() -> str:
    return resources.files("rai_graph").joinpath("shapes/structural.ttl").read_text("utf-8")


def begin_structure_check(repo: LoadedRepository, *, cache: Cache | None = None) -> StructureRun:
    """The structural SHACL validation of ``repo``, begun in a second process when there is much
    to validate: it needs the triples only, so it runs while the model is built."""
    shapes, shapes_key, scope = structural_shapes(repo)
    run = StructureRun(repo, shapes, shapes_key, cache=cache, scope=scope)
    run.begin()
    return run


def check_structure(
    repo: LoadedRepository, model: RepositoryModel, *, cache: Cache | None = None,
    engine: str | None = None, progress: Progress | None = None, begun: StructureRun | None = None,
) -> list[InputError]:
    """Run the package's and the repository's SHACL shapes over the repository's data.

    Validation is scoped per record file and cached (:mod:`._shacl`); the results are those of
    pySHACL over the whole data graph. ``begun`` is :func:`begin_structure_check` of ``repo``.
    """
    if begun is not None:
        results = begun.finish(progress)
    else:
        shapes, shapes_key, scope = structural_shapes(repo)
        results = validate_structure(repo, shapes, shapes_key, cache=cache, engine=engine,
                                     progress=progress, scope=scope)
    if not results:
        return []
    index = _FileIndex(repo)
    terms: dict[str, Node] = {}
    errors = []
    # What evidence/ may not say is one error of the file that said it (check_trust_boundaries),
    # never also a shape error blamed on the governed record it was said about.
    ignored = {(i.subject, str(p)) for i in model.ignored for p in i.predicates}
    for focus_code, subject_code, message, value_code, path, component in results:
        if _allowed_by_settings(repo, path, component):
            continue
        focus, subject = _term(terms, focus_code), _term(terms, subject_code)
        if ignored and ((subject, path) in ignored or (focus, path) in ignored):
            continue
        value = _term(terms, value_code) if value_code is not None else None
        origin = _origin_of(index, model, subject)
        prefixes = index.prefixes(origin.file)
        text = f"{short(subject, prefixes)}: {message}"
        if value is not None and value != focus:
            text += f" (found {_show_value(value, prefixes)})"
        text += index.also_defined_in(subject, origin.file)
        errors.append(InputError(origin.file, origin.line, text, "shape"))
    return errors


def _term(known: dict[str, Node], code: str) -> Node:
    node = known.get(code)
    if node is None:
        node = known[code] = TermInterner().terms([code], "")[0] if code[0] != "_" else BNode(code[1:])
    return node


def _allowed_by_settings(repo: LoadedRepository, path: str | None, component: str) -> bool:
    """A record without a date is fine when the repository dates evidence by its commit."""
    return (
        repo.settings.freshness_from_commit_date
        and path == str(PROV.generatedAtTime)
        and component == str(SH.MinCountConstraintComponent)
    )


class _FileIndex:
    """Lookups over the loaded files that messages need, built once per run."""

    def __init__(self, repo: LoadedRepository) -> None:
        self.repo = repo
        self.by_path = {source.path: source for source in repo.files.values()}
        self._described: dict[str, list[str]] | None = None

    def prefixes(self, path: str) -> dict[str, str]:
        source = self.by_path.get(path)
        return source.layout.prefixes if source is not None else {}

    def first_describing(self, subject: Node) -> Origin:
        for path in self.described(str(subject)):
            if self.by_path[path].role != "ontology":
                return Origin(path, self.by_path[path].line_of(str(subject)))
        return Origin("", None)

    def first_using(self, value: Node) -> Origin | None:
        """The first repository file stating a triple with ``value`` as its object, at that line."""
        for (s, _p, o), source in self.repo.quads():
            if o == value and source.role != "ontology":
                return Origin(source.path, source.line_of_object(str(s), str(value)))
        return None

    def described(self, subject: str) -> list[str]:
        """Paths of the data files that make statements about ``subject``, in load order."""
        if self._described is None:
            self._described = defaultdict(list)
            for source in self.repo.data_files():
                for described in source.first_lines:
                    self._described[described].append(source.path)
        return self._described.get(subject, [])

    def also_defined_in(self, subject: Node, main_file: str) -> str:
        others = sorted(path for path in self.described(str(subject)) if path != main_file)
        return f"; also described in {', '.join(others)}" if others else ""


def _origin_of(index: _FileIndex, model: RepositoryModel, subject: Node) -> Origin:
    """Where to report a result about ``subject``: the repository file that defines it, else the
    first that describes it, else the first that uses it as a value (a vocabulary term used as a
    record, say); never the package's own ontology, which no user can edit."""
    origin = model.origins.get(subject)
    if origin is not None and origin.file in index.by_path and index.by_path[origin.file].role != "ontology":
        return origin
    described = index.first_describing(subject)
    if described.file:
        return described
    if isinstance(subject, Literal):
        # The same literal is a value in many files: which use made it a focus is not known.
        return origin or described
    return index.first_using(subject) or origin or described


def _show_value(value: Node, prefixes: dict[str, str]) -> str:
    if isinstance(value, Literal):
        shown = str(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return repr(shown) + (f"^^{short(value.datatype, prefixes)}" if value.datatype else "")
    return short(value, prefixes)


# --- references ---------------------------------------------------------------------------


def check_references(repo: LoadedRepository, model: RepositoryModel) -> list[InputError]:
    """Every IRI a record points to must be defined somewhere as the expected class."""
    by_predicate: dict[Node, list[Reference]] = defaultdict(list)
    for reference in REFERENCES:
        by_predicate[reference.predicate].append(reference)
    errors = []
    for (s, p, o), source in repo.quads():
        references = by_predicate.get(p)
        if references is None or not isinstance(o, URIRef):
            continue
        for reference in references:
            if reference.subjects and not any(model.has_type(s, c) for c in reference.subjects):
                continue
            if any(model.has_type(o, target) for target in reference.targets):
                continue
            errors.append(_reference_error(source, model, s, reference, o))
    return errors


def _reference_error(
    source: SourceFile, model: RepositoryModel, subject: Node, reference: Reference, obj: URIRef
) -> InputError:
    prefixes = source.layout.prefixes
    expected = " or ".join(CLASS_NAMES.get(t, short(t, prefixes)) for t in reference.targets)
    found = sorted(model.types.get(obj, ()), key=str)
    if found:
        actual = " and ".join(CLASS_NAMES.get(t, short(t, prefixes)) for t in found)
        what = f"is {actual}, not {expected}"
    else:
        what = f"is not defined as {expected} anywhere in the repository"
    message = (
        f"{short(subject, prefixes)} {short(reference.predicate, prefixes)} "
        f"{short(obj, prefixes)}: {short(obj, prefixes)} {what}"
    )
    line = source.line_of_object(str(subject), str(obj))
    return InputError(source.path, line, message, "reference", about=str(obj))


# --- record rules SHACL Core cannot express -----------------------------------------------


def check_duplicates(repo: LoadedRepository, model: RepositoryModel) -> list[InputError]:
    """A system, control or evidence record typed in two files is almost always a copy-paste."""
    typed_in: dict[Node, list[SourceFile]] = defaultdict(list)
    records = {RAI.AISystem, RAI.Control, RAI.Evidence}
    ignored_typing = {(i.origin.file, i.subject) for i in model.ignored if RDF.type in i.predicates}
    for (s, p, o), source in repo.quads():
        if o in records and p == RDF.type and source not in typed_in[s] and (source.path, s) not in ignored_typing:
            typed_in[s].append(source)
    errors = []
    for subject, sources in typed_in.items():
        if len(sources) < 2:
            continue
        first, *others = sorted(sources, key=lambda f: f.path)
        for other_file in others:
            other, line = other_file.path, other_file.line_of(str(subject))
            errors.append(InputError(
                other, line,
                f"{short(subject)} is already defined in {first.path}; define each record in one file",
                "shape",
            ))
    return errors


def check_waivers(model: RepositoryModel) -> list[InputError]:
    """A waiver may last at most one year from its approval (data-model.md, rai:Waiver)."""
    errors = []
    for waiver in model.waivers:
        if waiver.longer_than_a_year:
            errors.append(InputError(
                waiver.origin.file, waiver.origin.line,
                f"{short(waiver.iri)}: a waiver may last at most one year, but this one runs from "
                f"{waiver.date} to {waiver.expires}; it does not count",
                "shape",
            ))
    return errors


def check_waiver_chains(model: RepositoryModel) -> list[InputError]:
    """A waived control cannot compensate (docs/trust-boundaries.md): a waiver naming as
    ``rai:compensatingControl`` its own control, or a control another waiver waives for the same
    system at an overlapping time, rests on a compensation that is not in force."""
    by_pair: dict[tuple[URIRef | None, URIRef | None], list[Waiver]] = defaultdict(list)
    for waiver in model.waivers:
        by_pair[(waiver.control, waiver.system)].append(waiver)
    errors = []
    for waiver in model.waivers:
        for compensating in sorted(waiver.compensating, key=str):
            if compensating == waiver.control:
                why = "names the control it waives as its own compensating control"
            else:
                chained = [w for w in by_pair.get((compensating, waiver.system), ()) if _overlap(w, waiver)]
                if not chained:
                    continue
                why = (f"is compensated by {short(compensating)}, which is itself waived "
                       f"({short(chained[0].iri)}, {chained[0].origin.file}); a waived control cannot compensate")
            errors.append(InputError(waiver.origin.file, waiver.origin.line, f"{short(waiver.iri)} {why}", "shape"))
    return errors


def _overlap(first: Waiver, second: Waiver) -> bool:
    """Whether the two waivers run at some common day (an unknown bound runs for ever)."""
    starts = [d for d in (first.date, second.date) if d is not None]
    ends = [d for d in (first.expires, second.expires) if d is not None]
    return not starts or not ends or max(starts) <= min(ends)


def check_governed_people(model: RepositoryModel) -> list[InputError]:
    """People and roles are the organisation's to declare, under controls/, never in evidence."""
    errors = []
    for subject, what, origin in model.ungoverned:
        thing = "a person (rai:Person)" if what == RAI.Person else "a role (rai:hasRole)"
        errors.append(InputError(
            origin.file, origin.line,
            f"{short(subject)}: {thing} may only be declared under controls/; ignored here", "reference",
        ))
    return errors


def check_trust_boundaries(repo: LoadedRepository, model: RepositoryModel) -> list[InputError]:
    """Statements evidence/ may not make, and records filed in a folder they may not concern
    (``docs/trust-boundaries.md``): the model ignored them; each is an error of its own file."""
    if not model.ignored and not model.misplaced:
        return []
    index = _FileIndex(repo)
    errors = []
    for ignored in model.ignored:
        prefixes = index.prefixes(ignored.origin.file)
        said = ", ".join("a" if p == RDF.type else short(p, prefixes) for p in ignored.predicates)
        errors.append(InputError(
            ignored.origin.file, ignored.origin.line,
            f"{short(ignored.subject, prefixes)} ({said}): {ignored.reason}; ignored", "reference",
        ))
    for misplaced in model.misplaced:
        errors.append(InputError(
            misplaced.origin.file, misplaced.origin.line,
            f"{short(misplaced.record, index.prefixes(misplaced.origin.file))} {misplaced.what}", "reference",
        ))
    return errors


def check_adopted_frameworks(repo: LoadedRepository, model: RepositoryModel) -> list[InputError]:
    """Every framework id in the ``frameworks`` setting must name a loaded framework."""
    errors = []
    for framework_id in repo.settings.frameworks or ():
        if not model.frameworks_named([framework_id]):
            known = ", ".join(sorted(f.notation for f in model.frameworks.values())) or "none"
            errors.append(InputError(
                SETTINGS_FILE, line_of_key(repo.tree, "frameworks"),
                f"frameworks: no framework {framework_id!r} in frameworks/ (known: {known})", "shape",
            ))
    return errors


# --- artefacts ----------------------------------------------------------------------------


def check_artifacts(
    repo: LoadedRepository, model: RepositoryModel
) -> tuple[list[InputError], dict[URIRef, ArtifactCheck]]:
    """Hash every artefact a record names; a problem is an error *and* makes evidence invalid."""
    errors = []
    states = {}
    index = _FileIndex(repo)
    cache = cache_inside(repo.tree)
    for evidence in model.evidence.values():
        if evidence.artifact is None:
            continue
        check = check_artifact(repo.tree, evidence.folder, evidence.artifact, evidence.sha256, cache)
        states[evidence.iri] = check
        if not check.ok:
            errors.append(InputError(
                evidence.origin.file, evidence.origin.line,
                f"{short(evidence.iri, index.prefixes(evidence.origin.file))}: {check.detail}",
                "artifact",
            ))
    return errors, states

