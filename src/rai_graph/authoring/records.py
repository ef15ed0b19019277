"""``rai-graph new``: records written the way the data model wants them.

Each ``*_record`` function takes what the user gave (flags or prompts, already resolved against
the repository model) and returns the Turtle text of one record file. :func:`check_new_file`
validates the file together with the repository, in memory, before anything is written: a new
record that would add an input error is refused with the errors.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF

from rai_graph.errors import InputError, RaiGraphError
from rai_graph.load.trees import Kind, RepositoryTree, Resolved, WorkTree
from rai_graph.model import Control, RepositoryModel
from rai_graph.pipeline import run
from rai_graph.vocab import EUAIA, RAI

TIERS = {"Prohibited": RAI.Prohibited, "HighRisk": RAI.HighRisk, "LimitedRisk": RAI.LimitedRisk,
         "MinimalRisk": RAI.MinimalRisk}
OPERATOR_ROLES = {"Provider": RAI.Provider, "Deployer": RAI.Deployer, "Importer": RAI.Importer,
                  "Distributor": RAI.Distributor,
                  "GeneralPurposeModelProvider": RAI.GeneralPurposeModelProvider}
LIFECYCLES = {"Development": RAI.Development, "Production": RAI.Production, "Retired": RAI.Retired}
OPERATOR_ROLES.update({"AuthorisedRepresentative": RAI.AuthorisedRepresentative,
                       "ProductManufacturer": RAI.ProductManufacturer})

# The legal facts a system may record, each with the reason the law asks for it (shown by
# ``rai-graph new system`` when it prompts, and in its --help).
FUNCTIONS = {"InteractsWithNaturalPersons": RAI.InteractsWithNaturalPersons,
             "GeneratesSyntheticContent": RAI.GeneratesSyntheticContent,
             "EmotionRecognition": RAI.EmotionRecognition,
             "BiometricCategorisation": RAI.BiometricCategorisation,
             "GeneratesDeepFakes": RAI.GeneratesDeepFakes,
             "GeneratesPublicInterestText": RAI.GeneratesPublicInterestText,
             "RealTimeRemoteBiometricIdentification": RAI.RealTimeRemoteBiometricIdentification,
             "PostRemoteBiometricIdentification": RAI.PostRemoteBiometricIdentification}
CHARACTERISTICS = {"PublicAuthority": RAI.PublicAuthority, "PublicServiceProvider": RAI.PublicServiceProvider,
                   "FinancialInstitution": RAI.FinancialInstitution, "Employer": RAI.Employer,
                   "ThirdCountryProvider": RAI.ThirdCountryProvider,
                   "LawEnforcementAuthority": RAI.LawEnforcementAuthority,
                   "SystemicRiskModelProvider": RAI.SystemicRiskModelProvider}
WHY = {
    "tier": "decides which of the organisation's controls the system needs (EU AI Act risk levels)",
    "roles": "provider, deployer, importer, distributor... decide which duties bind the organisation (Art. 3)",
    "annex_iii": "an Annex III use makes the system high-risk by Art. 6(2); high-risk duties then apply "
                 "from 2027-12-02 (Art. 113 as amended by Regulation (EU) 2026/1744), and some (FRIA, "
                 "registration, logging of Annex III 1(a)) depend on the point",
    "annex_i": "an Annex I product makes the system high-risk by Art. 6(1); high-risk duties then apply "
               "from 2028-08-02 (Art. 113 as amended)",
    "functions": "Art. 50 transparency duties bind by function, whatever the tier: interacting with "
                 "people, generating synthetic content, emotion recognition, deep fakes",
    "characteristics": "some duties bind only some operators: public authorities (Art. 26(8), 27, 49(3), "
                       "111(2)), employers (Art. 26(7)), financial institutions (Art. 17(4), 18(3), 19(2)), "
                       "third-country providers (Art. 22, 54)",
    "placed_on_market": "a system in service before a high-risk duty applies is bound only after a "
                        "significant change in its design (Art. 111(2)); public authorities by 2030-08-02",
    "significant_changes": "a significant change on or after the date a duty applies ends the Art. 111(2) "
                           "exemption from that date",
}
CONFIDENTIALITY = {"Public": RAI.Public, "CustomerShareable": RAI.CustomerShareable,
                   "Internal": RAI.Internal, "Confidential": RAI.Confidential}
DECISIONS = {"Approved": RAI.Approved, "ConditionallyApproved": RAI.ConditionallyApproved,
             "Rejected": RAI.Rejected}


class AuthoringError(RaiGraphError):
    """What the user asked for cannot become a valid record."""


@dataclass(slots=True)
class NewRecord:
    """A record file about to be written."""

    path: str
    """Repository-relative path of the new ``.ttl`` file."""
    graph: Graph
    header: str
    extra_turtle: str = ""
    """Turtle appended inside the subject's description (e.g. measurements from an importer)."""
    subject: URIRef | None = None
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        body = self.graph.serialize(format="turtle")
        if self.extra_turtle and self.subject is not None:
            body = _splice(body, self.graph, self.subject, self.extra_turtle)
        # The header is a comment: a title with a line break must not end it and start Turtle.
        header = " ".join(self.header.split())
        return f"# {header}\n\n{body}"


def _splice(body: str, graph: Graph, subject: URIRef, extra: str) -> str:
    """Insert extra ``predicate object ;`` lines right after the subject line."""
    for prefix, namespace in graph.namespaces():
        if str(subject).startswith(str(namespace)) and prefix:
            name = f"{prefix}:{str(subject)[len(str(namespace)):]}"
            break
    else:
        name = f"<{subject}>"
    marker = f"\n{name} a "
    start = body.find(marker)
    if start == -1:
        raise AuthoringError("internal: could not place the imported measurements in the record")
    line_end = body.index("\n", start + 1)
    return body[:line_end + 1] + extra.rstrip("\n") + "\n" + body[line_end + 1:]


def new_graph(base_iri: str) -> tuple[Graph, Namespace]:
    graph = Graph()
    org = Namespace(base_iri)
    graph.bind("ex", org)
    graph.bind("rai", RAI._NS)
    graph.bind("dcterms", DCTERMS)
    graph.bind("prov", PROV)
    graph.bind("foaf", FOAF)
    graph.bind("xsd", XSD)
    graph.bind("euaia", EUAIA)
    return graph, org


def slug(text: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not cleaned:
        raise AuthoringError(f"{text!r} gives no usable identifier; use letters or digits")
    return cleaned


# --- lookups --------------------------------------------------------------------------------


def find_control(model: RepositoryModel, wanted: str) -> Control:
    for control in model.controls.values():
        if wanted in (control.notation, str(control.iri), _local(control.iri)):
            return control
    raise AuthoringError(f"no control {wanted!r} (give its notation, e.g. RAI-RISK-01, or IRI)")


def find_person(model: RepositoryModel, wanted: str) -> URIRef:
    email = wanted.removeprefix("mailto:").casefold()
    for person in model.people.values():
        if wanted in (str(person.iri), _local(person.iri), person.name) or (
                person.mbox and person.mbox.removeprefix("mailto:").casefold() == email):
            return person.iri
    known = ", ".join(sorted(_local(p) for p in model.people)) or "none"
    raise AuthoringError(f"no person {wanted!r} in controls/ (known: {known}); add them to "
                         "controls/people.ttl first")


def find_role(model: RepositoryModel, wanted: str) -> URIRef:
    roles = {node for node, kinds in model.types.items() if RAI.Role in kinds and isinstance(node, URIRef)}
    for role in roles:
        if wanted in (str(role), _local(role), model.label(role)):
            return role
    known = ", ".join(sorted(_local(r) for r in roles)) or "none"
    raise AuthoringError(f"no role {wanted!r} (known: {known})")


def find_system(model: RepositoryModel, wanted: str) -> tuple[URIRef, str]:
    for system in model.systems.values():
        if wanted in (system.name, str(system.iri), _local(system.iri)):
            return system.iri, system.name
    raise AuthoringError(f"no system {wanted!r}; create it with `rai-graph new system`")


def find_evidence(model: RepositoryModel, wanted: str) -> URIRef:
    for evidence in model.evidence.values():
        if wanted in (str(evidence.iri), _local(evidence.iri)):
            return evidence.iri
    raise AuthoringError(f"no evidence record {wanted!r}")


def choice(table: dict[str, URIRef], wanted: str, what: str) -> URIRef:
    for name, iri in table.items():
        if wanted in (name, str(iri), f"rai:{name}") or wanted.casefold() == name.casefold():
            return iri
    raise AuthoringError(f"unknown {what} {wanted!r} (one of {', '.join(table)})")


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# --- records ----------------------------------------------------------------------------------


def system_record(
    base_iri: str, *, folder: str, title: str, tier: URIRef, roles: Sequence[URIRef],
    purpose: str, owner: URIRef, lifecycle: URIRef, annex_areas: Sequence[URIRef],
    annex_products: Sequence[URIRef] = (), functions: Sequence[URIRef] = (),
    characteristics: Sequence[URIRef] = (), placed_on_market: dt.date | None = None,
    significant_changes: Sequence[dt.date] = (),
) -> NewRecord:
    graph, org = new_graph(base_iri)
    system = org[slug(folder)]
    graph.add((system, RDF.type, RAI.AISystem))
    graph.add((system, DCTERMS.title, Literal(title)))
    graph.add((system, RAI.riskTier, tier))
    for role in roles:
        graph.add((system, RAI.operatorRole, role))
    for area in annex_areas:
        graph.add((system, RAI.annexIIIArea, area))
    for product in annex_products:
        graph.add((system, RAI.annexIProduct, product))
    for function in functions:
        graph.add((system, RAI.function, function))
    for characteristic in characteristics:
        graph.add((system, RAI.operatorCharacteristic, characteristic))
    if placed_on_market is not None:
        graph.add((system, RAI.placedOnMarket, Literal(placed_on_market.isoformat(), datatype=XSD.date)))
    for change in significant_changes:
        graph.add((system, RAI.significantChange, Literal(change.isoformat(), datatype=XSD.date)))
    graph.add((system, RAI.intendedPurpose, Literal(purpose)))
    graph.add((system, RAI.owner, owner))
    graph.add((system, RAI.lifecycleStatus, lifecycle))
    return NewRecord(f"evidence/{folder}/system.ttl", graph, f"AI system {title}", subject=system)


@dataclass(frozen=True, slots=True)
class Artefact:
    path: str
    """Relative to the record's folder, as written in ``rai:artifact``."""
    sha256: str


def evidence_record(
    base_iri: str, *, local: str, folder: str, systems: Sequence[URIRef],
    controls: Sequence[URIRef], evidence_type: URIRef, title: str, generated: dt.date,
    author: URIRef, confidentiality: URIRef, artefact: Artefact | None, artifact_url: str | None,
    valid_until: dt.date | None, extra_turtle: str = "",
) -> NewRecord:
    graph, org = new_graph(base_iri)
    evidence = org[local]
    graph.add((evidence, RDF.type, RAI.Evidence))
    graph.add((evidence, DCTERMS.title, Literal(title)))
    for system in systems:
        graph.add((evidence, RAI.forSystem, system))
    for control in controls:
        graph.add((evidence, RAI.implements, control))
    graph.add((evidence, RAI.evidenceType, evidence_type))
    if artefact is not None:
        graph.add((evidence, RAI.artifact, Literal(artefact.path)))
        graph.add((evidence, RAI.sha256, Literal(artefact.sha256)))
    if artifact_url is not None:
        graph.add((evidence, RAI.artifactURL, URIRef(artifact_url)))
    graph.add((evidence, PROV.generatedAtTime, Literal(generated.isoformat(), datatype=XSD.date)))
    graph.add((evidence, PROV.wasAttributedTo, author))
    graph.add((evidence, RAI.confidentiality, confidentiality))
    if valid_until is not None:
        graph.add((evidence, RAI.validUntil, Literal(valid_until.isoformat(), datatype=XSD.date)))
    return NewRecord(f"{folder}/{local}.ttl", graph, f"Evidence: {title}", extra_turtle, evidence)


def approval_record(
    base_iri: str, *, local: str, folder: str, evidence: URIRef, decision: URIRef,
    approver: URIRef, role: URIRef, date: dt.date, expires: dt.date | None,
    conditions: Sequence[str], sha256: str | None,
) -> NewRecord:
    graph, org = new_graph(base_iri)
    approval = org[local]
    graph.add((approval, RDF.type, RAI.Approval))
    graph.add((approval, RAI.approves, evidence))
    graph.add((approval, RAI.decision, decision))
    graph.add((approval, PROV.wasAssociatedWith, approver))
    graph.add((approval, RAI.inRole, role))
    graph.add((approval, PROV.endedAtTime, Literal(date.isoformat(), datatype=XSD.date)))
    if expires is not None:
        graph.add((approval, RAI.expires, Literal(expires.isoformat(), datatype=XSD.date)))
    for condition in conditions:
        graph.add((approval, RAI.conditions, Literal(condition)))
    if sha256 is not None:
        graph.add((approval, RAI.sha256, Literal(sha256)))
    return NewRecord(f"{folder}/{local}.ttl", graph, f"Approval of {_local(evidence)}", subject=approval)


def waiver_record(
    base_iri: str, *, local: str, folder: str, system: URIRef, control: URIRef, rationale: str,
    compensating: Sequence[URIRef], expires: dt.date, approver: URIRef, role: URIRef,
    date: dt.date,
) -> NewRecord:
    graph, org = new_graph(base_iri)
    waiver = org[local]
    graph.add((waiver, RDF.type, RAI.Waiver))
    graph.add((waiver, RAI.waives, control))
    graph.add((waiver, RAI.forSystem, system))
    graph.add((waiver, RAI.rationale, Literal(rationale)))
    for other in compensating:
        graph.add((waiver, RAI.compensatingControl, other))
    graph.add((waiver, RAI.expires, Literal(expires.isoformat(), datatype=XSD.date)))
    graph.add((waiver, RAI.approvedBy, approver))
    graph.add((waiver, RAI.inRole, role))
    graph.add((waiver, PROV.endedAtTime, Literal(date.isoformat(), datatype=XSD.date)))
    return NewRecord(f"{folder}/{local}.ttl", graph, f"Waiver of {_local(control)}", subject=waiver)


# --- validation before writing ------------------------------------------------------------


class _WithNewFile:
    """The repository as it would be with one more file (nothing touches the disk)."""

    def __init__(self, base: RepositoryTree, path: str, data: bytes) -> None:
        self._base = base
        self._path = path
        self._data = data

    @property
    def label(self) -> str:
        return self._base.label

    @property
    def location(self) -> Path:
        return self._base.location

    def resolve(self, relative: str) -> Resolved:
        if relative == self._path:
            return Resolved(Kind.FILE, relative)
        return self._base.resolve(relative)

    def open(self, relative: str) -> _Bytes:
        if relative == self._path:
            return _Bytes(self._data)
        return self._base.open(relative)  # type: ignore[return-value]

    def files_under(self, folder: str) -> Iterator[str]:
        found = set(self._base.files_under(folder))
        if self._path.startswith(folder.rstrip("/") + "/"):
            found.add(self._path)
        return iter(sorted(found))

    def directories_under(self, folder: str) -> Iterator[str]:
        return self._base.directories_under(folder)


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._offset = 0

    def read(self, size: int = -1, /) -> bytes:
        end = len(self._data) if size < 0 else self._offset + size
        chunk = self._data[self._offset:end]
        self._offset += len(chunk)
        return chunk

    def __enter__(self) -> _Bytes:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


def check_new_file(repo: Path, record: NewRecord, as_of: dt.date) -> list[InputError]:
    """Input errors the new file would bring, found by running the pipeline in memory."""
    tree = _WithNewFile(WorkTree(repo), record.path, record.text().encode("utf-8"))
    result = run(tree, as_of)
    return [e for e in result.validation.errors if e.file == record.path]


def git_identity(repo: Path) -> tuple[str, str] | None:
    """``user.name`` and ``user.email`` as git itself resolves them for ``repo`` (repository,
    global — including ``GIT_CONFIG_GLOBAL`` — and system configuration), if set."""
    import subprocess

    def value(key: str) -> str:
        try:
            done = subprocess.run(["git", "config", "--get", key], cwd=repo if repo.is_dir() else None,
                                  capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    name, email = value("user.name"), value("user.email")
    return (name, email) if email else None
