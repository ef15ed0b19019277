"""Validate stage: structural SHACL, references, artefact hashes and record rules.

Input: the loaded repository and its model. Output: :class:`ValidationOutcome` — the input errors
found (as data, each pointing at ``file:line``) and the state of every artefact, which the status
engine needs. The only I/O here is reading artefacts to hash them.

Completeness per risk tier is *not* judged by SHACL here: evaluating one shape per (tier, control)
over the whole graph grows quadratically (see ``shared/notes/performance.md``); the status engine
judges it over an index, and :mod:`rai_graph.completeness` exports the equivalent shapes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources

from pyshacl import validate as shacl_validate
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, SH, SKOS
from rdflib.term import Node

from ._artifacts import ArtifactCheck, check_artifact
from ._display import short
from .errors import InputError
from .load import LoadedRepository, SourceFile
from .model import Origin, RepositoryModel
from .settings import SETTINGS_FILE, line_of_key
from .trace import adopted_frameworks
from .vocab import RAI


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


def validate_repository(repo: LoadedRepository, model: RepositoryModel) -> ValidationOutcome:
    """Every input error of the repository, plus the state of every artefact."""
    outcome = ValidationOutcome(errors=list(repo.errors))
    outcome.errors.extend(check_structure(repo, model))
    outcome.errors.extend(check_references(repo, model))
    outcome.errors.extend(check_duplicates(repo, model))
    outcome.errors.extend(check_waivers(model))
    outcome.errors.extend(check_adopted_frameworks(repo, model))
    artifact_errors, outcome.artifacts = check_artifacts(repo, model)
    outcome.errors.extend(artifact_errors)
    outcome.errors = sorted(set(outcome.errors), key=InputError.sort_key)
    return outcome


# --- structural SHACL ---------------------------------------------------------------------


def package_shapes() -> Graph:
    """The hand-written structural shapes shipped with rai-graph."""
    shapes = Graph()
    text = resources.files("rai_graph").joinpath("shapes/structural.ttl").read_text("utf-8")
    shapes.parse(data=text, format="turtle")
    return shapes


def check_structure(repo: LoadedRepository, model: RepositoryModel) -> list[InputError]:
    """Run the package's and the repository's SHACL shapes over the repository's data."""
    shapes = package_shapes()
    shapes += repo.shapes
    data = Graph()
    for source in repo.data_files():
        if source.role != "ontology":
            data += repo.dataset.graph(source.graph_iri)
    advanced = (None, SH.sparql, None) in shapes or (None, SH.target, None) in shapes
    _conforms, report, _text = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=advanced, inplace=True,
        meta_shacl=False, allow_warnings=True,
    )
    errors = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if focus is None or _allowed_by_settings(repo, report, result):
            continue
        message = str(report.value(result, SH.resultMessage) or "does not match its shape")
        value = report.value(result, SH.value)
        origin = _origin_of(repo, model, data, focus)
        prefixes = _prefixes_of(repo, origin.file)
        subject = _subject_of(data, focus)
        text = f"{short(subject, prefixes)}: {message}"
        if value is not None and value != focus:
            text += f" (found {_show_value(value, prefixes)})"
        text += _also_defined_in(repo, subject, origin.file)
        errors.append(InputError(origin.file, origin.line, text, "shape"))
    return errors


def _allowed_by_settings(repo: LoadedRepository, report: Graph, result: Node) -> bool:
    """A record without a date is fine when the repository dates evidence by its commit."""
    return (
        repo.settings.freshness_from_commit_date
        and report.value(result, SH.resultPath) == PROV.generatedAtTime
        and report.value(result, SH.sourceConstraintComponent) == SH.MinCountConstraintComponent
    )


def _subject_of(data: Graph, focus: Node) -> Node:
    """The named node a blank node hangs from (e.g. the control of a threshold node)."""
    seen = 0
    while isinstance(focus, BNode) and seen < 50:
        parent = next(iter(data.subjects(None, focus)), None)
        if parent is None:
            break
        focus, seen = parent, seen + 1
    return focus


def _origin_of(repo: LoadedRepository, model: RepositoryModel, data: Graph, focus: Node) -> Origin:
    subject = _subject_of(data, focus)
    if subject in model.origins:
        return model.origins[subject]
    for source in repo.data_files():
        line = source.line_of(str(subject))
        if line is not None:
            return Origin(source.path, line)
    return Origin("", None)


def _prefixes_of(repo: LoadedRepository, path: str) -> dict[str, str]:
    for source in repo.files.values():
        if source.path == path:
            return source.layout.prefixes
    return {}


def _show_value(value: Node, prefixes: dict[str, str]) -> str:
    if isinstance(value, Literal):
        shown = str(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return repr(shown) + (f"^^{short(value.datatype, prefixes)}" if value.datatype else "")
    return short(value, prefixes)


def _also_defined_in(repo: LoadedRepository, subject: Node, main_file: str) -> str:
    others = sorted(
        source.path for source in repo.data_files()
        if source.path != main_file and source.line_of(str(subject)) is not None
    )
    return f"; also described in {', '.join(others)}" if others else ""


# --- references ---------------------------------------------------------------------------


def check_references(repo: LoadedRepository, model: RepositoryModel) -> list[InputError]:
    """Every IRI a record points to must be defined somewhere as the expected class."""
    errors = []
    for reference in REFERENCES:
        for s, _p, o, graph in repo.dataset.quads((None, reference.predicate, None, None)):
            if not isinstance(o, URIRef) or not isinstance(graph, URIRef):
                continue
            if reference.subjects and not any(model.has_type(s, c) for c in reference.subjects):
                continue
            if any(model.has_type(o, target) for target in reference.targets):
                continue
            source = repo.files.get(graph)
            if source is None:
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
    return InputError(source.path, line, message, "reference")


# --- record rules SHACL Core cannot express -----------------------------------------------


def check_duplicates(repo: LoadedRepository, model: RepositoryModel) -> list[InputError]:
    """A system, control or evidence record typed in two files is almost always a copy-paste."""
    typed_in: dict[Node, list[str]] = defaultdict(list)
    for cls in (RAI.AISystem, RAI.Control, RAI.Evidence):
        for s, _p, _o, graph in repo.dataset.quads((None, RDF.type, cls, None)):
            source = repo.files.get(graph) if isinstance(graph, URIRef) else None
            if source is not None and source.path not in typed_in[s]:
                typed_in[s].append(source.path)
    errors = []
    for subject, paths in typed_in.items():
        if len(paths) < 2:
            continue
        first, *others = sorted(paths)
        for other in others:
            line = next(
                (f.line_of(str(subject)) for f in repo.files.values() if f.path == other), None
            )
            errors.append(InputError(
                other, line,
                f"{short(subject)} is already defined in {first}; define each record in one file",
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


def check_adopted_frameworks(repo: LoadedRepository, model: RepositoryModel) -> list[InputError]:
    """Every framework id in the ``frameworks`` setting must name a loaded framework."""
    errors = []
    for framework_id in repo.settings.frameworks or ():
        if not adopted_frameworks(model, [framework_id]):
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
    for evidence in model.evidence.values():
        if evidence.artifact is None:
            continue
        check = check_artifact(repo.tree, evidence.folder, evidence.artifact, evidence.sha256)
        states[evidence.iri] = check
        if not check.ok:
            errors.append(InputError(
                evidence.origin.file, evidence.origin.line,
                f"{short(evidence.iri, _prefixes_of(repo, evidence.origin.file))}: {check.detail}",
                "artifact",
            ))
    return errors, states

