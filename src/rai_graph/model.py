"""Typed records read from the loaded dataset.

The status engine and the checks work on these plain records rather than on triples: one linear
pass over the dataset builds them, and every later lookup is a dict access. Each record keeps its
:class:`Origin` so messages can point at ``file:line``. Building the model does no I/O.

Trust boundaries (``docs/trust-boundaries.md``) are drawn here, where triples become records:

* **Governed definitions.** Controls, requirements, frameworks, roles, people (their names,
  mailboxes, roles and signing keys), risk tiers, operator roles, evidence types, the question
  bank, justifications and crosswalk records are defined by ``controls/`` and ``frameworks/`` (and
  rai-graph's own ontology). A statement in ``evidence/`` about a node those files define, one
  typing a node as one of those classes, and any ``rai:hasRole``, ``rai:signingKey`` or
  ``rdfs:subClassOf`` in ``evidence/`` is ignored and kept in :attr:`RepositoryModel.ignored`,
  which the validate stage reports as an input error of the file that wrote it. It never reaches a
  record, so it never changes a judgement.
* **A system and its records are described only from their own folder.** A system lives in the
  folder whose ``system.ttl`` types it (see :func:`_homes`); a record in the folder(s) whose files
  type it. A statement in another evidence folder about either (a lower tier, ``Retired``, another
  operator role, a second ``rai:forSystem`` on someone else's evidence) is ignored the same way.
* **Folders.** A record in ``evidence/<a>/`` may concern only the system(s) defined there; one in
  ``evidence/_organisation/`` concerns the organisation (and may be shared by several systems). A
  misplaced record is reported (:attr:`RepositoryModel.misplaced`) and never helps anyone: its
  evidence counts for no system and no control, a positive approval or a waiver there does not
  count. What speaks against a system (a rejection, a finding) still counts wherever it is filed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias

from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib import namespace as _namespaces
from rdflib.term import Node
from rdflib.xsd_datetime import Duration

from rai_graph import vocab as _vocab
from rai_graph.dates import DATE_RANGE
from rai_graph.load.repository import LoadedRepository, SourceFile


class _Terms:
    """A namespace whose terms are looked up once: rdflib builds (and checks) a new URIRef on every
    attribute access, which cost more than the rest of :func:`build_model` at 1,000 systems."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        value: URIRef = getattr(self._namespace, name)
        self.__dict__[name] = value
        return value


RAI = _Terms(_vocab.RAI)
DCTERMS = _Terms(_namespaces.DCTERMS)
OWL = _Terms(_namespaces.OWL)
FOAF = _Terms(_namespaces.FOAF)
PROV = _Terms(_namespaces.PROV)
SKOS = _Terms(_namespaces.SKOS)

Age: TypeAlias = dt.timedelta | Duration
GOVERNED_ROLES = ("controls", "ontology")
"""File roles (see load.FileRole) where people and their roles may be declared."""
DEFINING_ROLES = ("framework", "controls", "ontology")
"""File roles whose subjects are governed definitions (see the module docstring)."""
ORGANISATION_FOLDER = "evidence/_organisation"
OPERATORS = ("<", "<=", ">", ">=", "==")
Properties: TypeAlias = dict[URIRef, list[Node]]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record is defined: the file holding its ``rdf:type`` and the subject's line."""

    file: str
    line: int | None


@dataclass(frozen=True, slots=True)
class Ignored:
    """Statements of one file about one subject that the model ignored, and why (an input error)."""

    origin: Origin
    subject: Node
    predicates: tuple[URIRef, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Misplaced:
    """A record filed in a folder it may not concern (see the module docstring): an input error."""

    origin: Origin
    record: Node
    what: str
    """What is wrong, in words: 'is for system ex:B, but evidence/a/ holds the records of ex:A'."""


@dataclass(frozen=True, slots=True)
class Threshold:
    """A policy limit on a metric (``rai:threshold`` of a control)."""

    metric: str
    operator: str
    value: Decimal
    slice: str | None


@dataclass(frozen=True, slots=True)
class Measurement:
    """A measured result on evidence (``rai:measurement``), overall or for one slice."""

    metric: str
    value: Decimal
    slice: str | None


@dataclass(frozen=True, slots=True)
class Condition:
    """One ``rai:appliesWhen`` node: every non-empty property must hold, any listed value suffices."""

    annex_areas: frozenset[URIRef] = frozenset()
    """The system's Annex III area is one of these clauses or lies below one of them."""
    annex_products: frozenset[URIRef] = frozenset()
    """The system's Annex I item is one of these clauses or lies below one of them."""
    functions: frozenset[URIRef] = frozenset()
    characteristics: frozenset[URIRef] = frozenset()
    routes: frozenset[URIRef] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.annex_areas or self.annex_products or self.functions or self.characteristics
                    or self.routes)


@dataclass(frozen=True, slots=True)
class Application:
    """When a requirement applies for a kind of system (``rai:application``, ``rai:transitionEnds``)."""

    applies_from: dt.date
    route: URIRef | None
    placed_before: dt.date | None
    conditions: tuple[Condition, ...]
    """On a ``rai:transitionEnds`` node: the systems it is for (any one suffices)."""
    source: str | None
    to_be_verified: bool

    @property
    def specificity(self) -> int:
        """How many system facts the node tests: the most specific matching node wins."""
        return (self.route is not None) + (self.placed_before is not None) + bool(self.conditions)


@dataclass(frozen=True, slots=True)
class TextVersion:
    """Wording an amendment replaced (``rai:previousVersion``)."""

    text: str | None
    invalidated: dt.date | None
    source: str | None


@dataclass(frozen=True, slots=True)
class Framework:
    iri: URIRef
    notation: str
    title: str
    version: str | None = None
    source: str | None = None
    """The official URL (``dcterms:source``)."""


@dataclass(frozen=True, slots=True)
class Guidance:
    """Guidance a catalogue attaches to a clause (the NIST AI RMF Playbook, for one)."""

    about: str | None = None
    suggested_actions: str | None = None
    documentation_questions: str | None = None
    references: str | None = None
    ai_actors: tuple[str, ...] = ()
    related_risks: tuple[URIRef, ...] = ()
    related_subcategories: tuple[URIRef, ...] = ()

    @property
    def empty(self) -> bool:
        return not any((self.about, self.suggested_actions, self.documentation_questions, self.references,
                        self.ai_actors, self.related_risks, self.related_subcategories))


@dataclass(frozen=True, slots=True)
class Crosswalk:
    """A match between two requirements of different frameworks: a plain SKOS mapping triple, or a
    ``rai:CrosswalkMapping`` record with its relation, curation and rationale."""

    source: URIRef
    target: URIRef
    relation: URIRef
    """The SKOS mapping property, e.g. ``skos:closeMatch``."""
    curated: bool
    rationale: str | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class Justification:
    """Why the organisation maps no control to some requirements (``rai:UnmappedJustification``)."""

    iri: URIRef | BNode
    requirements: frozenset[URIRef]
    rationale: str
    title: str | None
    author: URIRef | None
    date: dt.date | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class Question:
    """A question of the organisation's questionnaire bank (``rai:Question``)."""

    iri: URIRef
    texts: tuple[str, ...]
    controls: tuple[URIRef, ...]
    """``rai:mapsToControl``, in IRI order (existing or not: the bank reports dangling ones)."""
    requirements: tuple[URIRef, ...]
    approved_answer: str | None
    source: str | None
    needs_human: bool
    origin: Origin
    reviewed_by: str | None = None
    """Who reviewed the wording into the bank (``dcterms:contributor``)."""
    reviewed_on: dt.date | None = None
    """When (``dcterms:created``)."""


@dataclass(frozen=True, slots=True)
class Commitment:
    """A promise to customers (``rai:Commitment``) resting on controls or requirements, tied to evidence."""

    iri: URIRef
    title: str
    statement: str
    rests_on: frozenset[URIRef]
    """``rai:restsOn``: controls or requirements (existing or not)."""
    evidence: frozenset[URIRef]
    """``rai:evidencedBy``."""
    reviewed: dt.date | None
    contact: str | None
    confidentiality: URIRef | None
    """The strictest level given; none given means rai:Confidential for audiences."""
    origin: Origin


@dataclass(frozen=True, slots=True)
class Requirement:
    iri: URIRef
    notation: str
    title: str | None
    text: str | None
    """The official text (``rai:text``)."""
    applies_from: dt.date | None
    framework: URIRef | None
    broader: URIRef | None
    tiers: frozenset[URIRef]
    roles: frozenset[URIRef]
    informative: bool
    """A heading or a clause that puts no duty on anyone: never applicable."""
    origin: Origin
    conditions: tuple[Condition, ...] = ()
    """``rai:appliesWhen``: it binds a system only when one of these holds (none: no condition)."""
    applications: tuple[Application, ...] = ()
    """``rai:application``: dates that depend on the system; ``applies_from`` is the default."""
    transitional: URIRef | None = None
    """The transitional provision that suspends it for systems already in service (Art. 111(2))."""
    transition_ends: tuple[Application, ...] = ()
    """On a transitional provision: by when the systems it exempts must comply anyway."""
    previous_versions: tuple[TextVersion, ...] = ()
    scope_note: str | None = None
    to_be_verified: bool = False
    """Encoded from secondary sources (``rai:verificationStatus rai:ToBeVerified``)."""
    source: str | None = None
    """Where the official text is published (``dcterms:source``), e.g. an EUR-Lex anchor."""
    derived_from: str | None = None
    """The vendored source file it was built from (``prov:wasDerivedFrom``)."""
    notes: tuple[str, ...] = ()
    """``skos:note`` (footnotes, reported wording)."""
    guidance: Guidance = Guidance()


@dataclass(frozen=True, slots=True)
class Control:
    iri: URIRef
    notation: str
    title: str
    description: str | None
    satisfies: frozenset[URIRef]
    tiers: frozenset[URIRef]
    roles: frozenset[URIRef]
    organisation_scope: bool
    evidence_type: URIRef | None
    max_age: Age | None
    max_age_text: str | None
    approval_role: URIRef | None
    answer_text: str | None
    thresholds: tuple[Threshold, ...]
    origin: Origin
    conditions: tuple[Condition, ...] = ()
    """``rai:appliesWhen``: the control binds only systems for which one of these holds."""


@dataclass(frozen=True, slots=True)
class AISystem:
    iri: URIRef
    name: str
    """The folder name under ``evidence/`` (or the IRI's local name)."""
    title: str
    tier: URIRef | None
    roles: frozenset[URIRef]
    owner: URIRef | None
    lifecycle: URIRef | None
    intended_purpose: str | None
    annex_areas: frozenset[URIRef]
    origin: Origin
    annex_products: frozenset[URIRef] = frozenset()
    functions: frozenset[URIRef] = frozenset()
    characteristics: frozenset[URIRef] = frozenset()
    placed_on_market: dt.date | None = None
    significant_changes: tuple[dt.date, ...] = ()
    """Dates of significant changes in its design, oldest first."""
    owners: frozenset[URIRef] = frozenset()
    """Every ``rai:owner`` given (one is allowed, and SHACL reports more): separation of duties
    holds against each, so a second owner written in another file cannot waive either."""

    @property
    def retired(self) -> bool:
        return self.lifecycle == RAI.Retired

    @property
    def routes(self) -> frozenset[URIRef]:
        """How it is high-risk under the EU AI Act: Annex I products, Annex III uses (Art. 6)."""
        routes = set()
        if self.annex_products:
            routes.add(RAI.AnnexIRoute)
        if self.annex_areas:
            routes.add(RAI.AnnexIIIRoute)
        return frozenset(routes)

    @property
    def facts(self) -> tuple[object, ...]:
        """Everything about the system that decides which requirements bind it, and when."""
        return (self.tier, self.roles, self.annex_areas, self.annex_products, self.functions,
                self.characteristics, self.placed_on_market, self.significant_changes)


@dataclass(frozen=True, slots=True)
class Evidence:
    iri: URIRef
    title: str
    systems: frozenset[URIRef]
    controls: frozenset[URIRef]
    evidence_type: URIRef | None
    artifact: str | None
    sha256: str | None
    artifact_url: str | None
    generated: dt.date | None
    author: URIRef | None
    authors: frozenset[URIRef]
    """Every prov:wasAttributedTo given (one is allowed; none of them may approve it)."""
    confidentiality: URIRef | None
    valid_until: dt.date | None
    measurements: tuple[Measurement, ...]
    extracted_by: str | None
    folder: str
    """Folder of the record's file, relative to the repository; artefact paths start here."""
    origin: Origin


@dataclass(frozen=True, slots=True)
class Approval:
    iri: URIRef | BNode
    evidence: URIRef | None
    decision: URIRef | None
    approver: URIRef | None
    role: URIRef | None
    date: dt.date | None
    expires: dt.date | None
    sha256: str | None
    """The artefact hash the approver saw; the approval lapses when the artefact changes."""
    origin: Origin
    ambiguous: tuple[str, ...] = ()
    """Properties given several values where the spec allows one: such an approval never counts."""
    conditions: tuple[str, ...] = ()
    """``rai:conditions`` of a conditional approval."""


@dataclass(frozen=True, slots=True)
class Waiver:
    iri: URIRef | BNode
    control: URIRef | None
    system: URIRef | None
    approver: URIRef | None
    role: URIRef | None
    date: dt.date | None
    expires: dt.date | None
    rationale: str | None
    compensating: frozenset[URIRef]
    origin: Origin
    ambiguous: tuple[str, ...] = ()
    """Properties given several values where the spec allows one: such a waiver never counts."""

    @property
    def longer_than_a_year(self) -> bool:
        """A waiver may run at most one year from its approval (data-model.md, rai:Waiver)."""
        if self.date is None or self.expires is None:
            return False
        return self.expires > one_year_after(self.date)


def one_year_after(day: dt.date) -> dt.date:
    """The same day a year later; 29 February gives 28 February, never a day too many."""
    if day.year >= dt.MAXYEAR:
        return dt.date.max
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@dataclass(frozen=True, slots=True)
class Finding:
    """An open issue from a review, audit, red-team exercise or incident (spec extension)."""

    iri: URIRef | BNode
    title: str
    description: str | None
    systems: frozenset[URIRef]
    concerns: frozenset[URIRef]
    severity: URIRef | None
    owner: URIRef | None
    created: dt.date | None
    due: dt.date | None
    resolved_on: dt.date | None
    resolved_by: frozenset[URIRef]
    incident: bool
    occurred_on: dt.date | None
    reported_to_authority_on: dt.date | None
    origin: Origin
    confidentiality: URIRef | None = None
    """Who may see it (``rai:confidentiality``); none given means rai:Confidential for audiences."""

    def open_on(self, day: dt.date) -> bool:
        """Raised by ``day`` and not resolved by then."""
        raised = self.created is None or self.created <= day
        return raised and (self.resolved_on is None or self.resolved_on > day)

    def overdue_on(self, day: dt.date) -> bool:
        return self.open_on(day) and self.due is not None and self.due < day


@dataclass(frozen=True, slots=True)
class Person:
    iri: URIRef
    name: str
    mbox: str | None
    roles: frozenset[URIRef]
    signing_keys: frozenset[str] = frozenset()
    """Fingerprints of the keys they sign commits with, as git prints them (``%GF``)."""


@dataclass(slots=True)
class RepositoryModel:
    """Every record of the repository, keyed by IRI, plus the type of every typed node."""

    frameworks: dict[URIRef, Framework] = field(default_factory=dict)
    requirements: dict[URIRef, Requirement] = field(default_factory=dict)
    controls: dict[URIRef, Control] = field(default_factory=dict)
    systems: dict[URIRef, AISystem] = field(default_factory=dict)
    evidence: dict[URIRef, Evidence] = field(default_factory=dict)
    approvals: list[Approval] = field(default_factory=list)
    waivers: list[Waiver] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    justifications: dict[URIRef, str] = field(default_factory=dict)
    """Why the organisation maps no control to a requirement: the rationale of its first
    justification record (``justification_records`` has them all)."""
    justification_records: list[Justification] = field(default_factory=list)
    crosswalks: list[Crosswalk] = field(default_factory=list)
    questions: dict[URIRef, Question] = field(default_factory=dict)
    commitments: dict[URIRef, Commitment] = field(default_factory=dict)
    people: dict[URIRef, Person] = field(default_factory=dict)
    """People declared under controls/ (with the roles declared there)."""
    ungoverned: list[tuple[Node, URIRef, Origin]] = field(default_factory=list)
    """rai:Person or rai:hasRole declared outside controls/: ignored, and reported."""
    ignored: list[Ignored] = field(default_factory=list)
    """Statements of evidence files about governed definitions or another folder's system: never
    read into a record, and reported as input errors of the file that wrote them."""
    misplaced: list[Misplaced] = field(default_factory=list)
    """Records filed in a folder they may not concern: reported; they help no one."""
    types: dict[Node, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    origins: dict[Node, Origin] = field(default_factory=dict)
    approvals_of: dict[URIRef, list[Approval]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[Node, str] = field(default_factory=dict)
    """``rdfs:label`` (English or untagged) of any node that has one, e.g. tiers and roles."""

    def same_person(self, first: URIRef | None, second: URIRef | None) -> bool:
        """One human: the same IRI, or two people records with the same mailbox."""
        if first is None or second is None:
            return False
        if first == second:
            return True
        a, b = self.people.get(first), self.people.get(second)
        return bool(a and b and a.mbox and b.mbox and _mailbox(a.mbox) == _mailbox(b.mbox))

    def label(self, node: Node | None) -> str:
        if node is None:
            return "(none)"
        if node in self.people:
            return self.people[node].name  # type: ignore[index]
        return self.labels.get(node) or str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def has_type(self, node: Node, cls: URIRef) -> bool:
        return cls in self.types.get(node, ())

    def frameworks_named(self, ids: Iterable[str] | None) -> set[URIRef] | None:
        """Framework IRIs named by ``ids`` (last path segment, notation, local name or IRI); None: all."""
        if ids is None:
            return None
        wanted = set(ids)
        return {
            framework.iri for framework in self.frameworks.values()
            if wanted & {framework.notation, str(framework.iri).rstrip("/").rsplit("/", 1)[-1],
                         str(framework.iri)}
        }


def build_model(repo: LoadedRepository) -> RepositoryModel:
    """Read the records of ``repo`` into a :class:`RepositoryModel`."""
    try:
        return _build_model(repo)
    finally:
        _shared_sets.clear()


_shared_sets: dict[frozenset[URIRef], frozenset[URIRef]] = {}
"""While a model is built, one object for each distinct set of IRIs: thousands of records name the
same systems and controls, and a frozenset takes 216 bytes however small (some 50 MiB at 5,000
systems)."""


def _build_model(repo: LoadedRepository) -> RepositoryModel:
    model = RepositoryModel()
    properties: dict[Node, Properties] = {}
    # One pass over the per-file triples (no rdflib Dataset needed): governed files first, so the
    # governed definitions are known when evidence files come, then the rest in load order; the
    # first file typing a node is its origin. Terms are interned by the loader, so most lookups
    # are identity checks, and a dict of the predicates that matter compares by hash first.
    special: dict[Node, str] = {RDFS.label: "label", RDF.type: "type", RAI.hasRole: "role",
                                RAI.signingKey: "key"}
    # People and their roles count only where the organisation governs them (controls/): an
    # evidence folder must not be able to mint an approver or grant itself a role.
    governed_people: set[Node] = set()
    governed_roles: dict[Node, set[URIRef]] = defaultdict(set)
    governed_keys: dict[Node, set[str]] = defaultdict(set)
    files = [repo.files[graph] for graph in repo.triples]
    governed_files = [f for f in files if f.role in DEFINING_ROLES]
    defined: set[Node] = {s for f in governed_files for s, _p, _o in repo.triples[f.graph_iri]}
    homes = _homes(repo, files)
    guard = _Guard(defined, homes)
    for source in governed_files + [f for f in files if f.role not in DEFINING_ROLES]:
        evidence_file = source.role not in DEFINING_ROLES
        folder = _record_folder(source.path) if evidence_file else ""
        for s, p, o in repo.triples[source.graph_iri]:
            if evidence_file and guard.refuses(s, p, o, source, folder):
                continue
            if isinstance(o, Literal) and o.datatype in _CHECKED_DATATYPES:
                implausible = implausible_value(o)
                if implausible is not None:
                    guard.ignore(s, p, o, source, implausible)
                    continue
            props = properties.get(s)
            if props is None:
                props = properties[s] = {}
            values = props.get(p)  # type: ignore[call-overload]
            if values is None:
                props[p] = [o]  # type: ignore[index]
            else:
                values.append(o)
            meaning = special.get(p)
            if meaning is None:
                continue
            if meaning == "label":
                if isinstance(o, Literal) and o.language in (None, "en"):
                    model.labels.setdefault(s, str(o))
            elif meaning == "role":
                if source.role in GOVERNED_ROLES and isinstance(o, URIRef):
                    governed_roles[s].add(o)
                else:
                    model.ungoverned.append((s, RAI.hasRole, Origin(source.path, source.line_of(str(s)))))
            elif meaning == "key":
                # Evidence files never get here (the guard refuses rai:signingKey there).
                fingerprint = signing_key_fingerprint(o)
                if source.role in GOVERNED_ROLES and fingerprint:
                    governed_keys[s].add(fingerprint)
            elif isinstance(o, URIRef):
                if o in _PERSON:
                    if source.role in GOVERNED_ROLES:
                        governed_people.add(s)
                    else:
                        model.ungoverned.append((s, RAI.Person, Origin(source.path, source.line_of(str(s)))))
                model.types[s].add(o)
                if s not in model.origins:
                    model.origins[s] = Origin(source.path, source.line_of(str(s)))
    model.ignored = guard.ignored()
    _inherit_rai_superclasses(model, properties)
    empty: Properties = {}
    _plain_crosswalks(model, properties)

    for node in sorted(model.types, key=str):
        kinds = model.types[node]
        props = properties.get(node, empty)
        origin = model.origins.get(node, Origin("", None))
        if isinstance(node, URIRef):
            if RAI.Framework in kinds:
                model.frameworks[node] = Framework(
                    node, _text(props, SKOS.notation) or node.rsplit("/", 1)[-1],
                    _text(props, DCTERMS.title) or str(node), _text(props, OWL.versionInfo),
                    _iri_or_text(props, DCTERMS.source),
                )
            if RAI.Question in kinds:
                model.questions[node] = _question(node, props, origin)
            if RAI.Commitment in kinds:
                model.commitments[node] = Commitment(
                    node, _text(props, DCTERMS.title) or _local_name(node), _text(props, RAI.statement) or "",
                    _iris(props, RAI.restsOn), _iris(props, RAI.evidencedBy), _date(props, RAI.reviewedOn),
                    _iri_or_text(props, RAI.contact), _strictest_level(_iris(props, RAI.confidentiality)), origin)
            if RAI.Requirement in kinds:
                model.requirements[node] = _requirement(node, props, origin, properties)
            if RAI.Control in kinds:
                model.controls[node] = _control(node, props, origin, properties)
            if RAI.AISystem in kinds:
                model.systems[node] = _system(node, props, origin)
            if RAI.Evidence in kinds:
                model.evidence[node] = _evidence(node, props, origin, properties)
            if RAI.Person in kinds and node in governed_people:
                model.people[node] = Person(
                    node, _text(props, FOAF.name) or str(node), _iri_or_text(props, FOAF.mbox),
                    frozenset(governed_roles.get(node, ())),
                    frozenset(governed_keys.get(node, ())),
                )
        if isinstance(node, URIRef | BNode):
            if RAI.Approval in kinds:
                approval = _approval(node, props, origin)
                model.approvals.append(approval)
                if approval.evidence is not None:
                    model.approvals_of[approval.evidence].append(approval)
            if RAI.Waiver in kinds:
                model.waivers.append(_waiver(node, props, origin))
            if RAI.UnmappedJustification in kinds:
                rationale = _text(props, RAI.rationale) or "justified without a rationale"
                record = Justification(node, _iris(props, RAI.justifies), rationale, _text(props, DCTERMS.title),
                                       _iri(props, PROV.wasAttributedTo), _date(props, DCTERMS.date), origin)
                model.justification_records.append(record)
                for requirement in sorted(record.requirements, key=str):
                    model.justifications.setdefault(requirement, rationale)
            if RAI.CrosswalkMapping in kinds:
                mapped_from, mapped_to = _iri(props, RAI.mapsFrom), _iri(props, RAI.mapsTo)
                if mapped_from is not None and mapped_to is not None:
                    model.crosswalks.append(Crosswalk(
                        mapped_from, mapped_to, _iri(props, RAI.mappingRelation) or SKOS.relatedMatch,
                        _text(props, RAI.curated) in ("true", "1"), _text(props, RAI.rationale), origin))
            if RAI.Finding in kinds or RAI.Incident in kinds:
                model.findings.append(_finding(node, props, origin, RAI.Incident in kinds))
    model.crosswalks.sort(key=lambda c: (str(c.source), str(c.target), str(c.relation), not c.curated))
    _keep_records_in_their_folders(model, homes.system_folder)
    return model


# --- trust boundaries (see the module docstring) ----------------------------------------------------

GOVERNED_CLASSES: frozenset[URIRef] = frozenset({
    RAI.Control, RAI.Requirement, RAI.Framework, RAI.Role, RAI.Person, RAI.RiskTier, RAI.OperatorRole,
    RAI.EvidenceType, RAI.Question, RAI.UnmappedJustification, RAI.CrosswalkMapping,
})
"""Classes whose instances only controls/ and frameworks/ define."""
GOVERNED_PREDICATES: frozenset[URIRef] = frozenset({RAI.hasRole, RAI.signingKey, RDFS.subClassOf})
"""Statements only controls/ and frameworks/ make, whatever their subject."""

# For the loops over every triple: a term is tested against a constant by set membership, which
# hashes in C and is an identity check for the interned terms (``p == RDF.type`` called rdflib's
# Python-level ``__eq__``, and each ``RDF.type`` its namespace's ``__getattr__``: 0.3 s of a cold
# check at 1,000 systems).
_RDF_TYPE: frozenset[URIRef] = frozenset({RDF.type})
_AI_SYSTEM: frozenset[URIRef] = frozenset({RAI.AISystem})
_PERSON: frozenset[URIRef] = frozenset({RAI.Person})


def _record_folder(path: str) -> str:
    """``evidence/<name>`` for a file anywhere below it; the path's folder otherwise."""
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 and parts[0] == "evidence" else path.rpartition("/")[0]


@dataclass(frozen=True, slots=True)
class _Homes:
    """Which evidence folder each record belongs to (see the module docstring)."""

    system_folder: dict[Node, str]
    """The home folder of every system."""
    typed_in: dict[Node, set[str]]
    """The evidence folders whose files type each node."""


def _homes(repo: LoadedRepository, files: list[SourceFile]) -> _Homes:
    """Where each system and record lives. A system lives where a ``system.ttl`` types it, one in
    a folder named after it first (``credit-scoring`` for ``ex:CreditScoring``), so typing another
    folder's system again never moves it; failing that, in the first folder typing it."""
    candidates: dict[Node, list[tuple[bool, bool, str]]] = defaultdict(list)
    typed_in: dict[Node, set[str]] = defaultdict(set)
    for source in files:
        if source.role != "evidence":
            continue
        folder = _record_folder(source.path)
        system_file = source.path == f"{folder}/system.ttl"
        for s, p, o in repo.triples[source.graph_iri]:
            if p in _RDF_TYPE:
                typed_in[s].add(folder)
                if o in _AI_SYSTEM:
                    candidates[s].append((not system_file, not _named_after(folder, s), source.path))
    return _Homes({s: _record_folder(min(found)[2]) for s, found in candidates.items()}, dict(typed_in))


def _named_after(folder: str, node: Node) -> bool:
    def plain(text: str) -> str:
        return "".join(c for c in text.casefold() if c.isalnum())

    return plain(folder.rsplit("/", 1)[-1]) == plain(_local_name(node))


MAX_AGE_YEARS = 100
"""The longest duration (``rai:maxEvidenceAge``, any ``xsd:duration``) read; a longer one is an
input error, and ignored."""
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DATES = frozenset({URIRef(_XSD + "date"), URIRef(_XSD + "dateTime"), URIRef(_XSD + "dateTimeStamp")})
_DURATIONS = frozenset({URIRef(_XSD + "duration"), URIRef(_XSD + "dayTimeDuration"),
                        URIRef(_XSD + "yearMonthDuration")})
_CHECKED_DATATYPES = _DATES | _DURATIONS


def implausible_value(value: Literal) -> str | None:
    """Why a date or duration literal lies outside what rai-graph judges, or None (also for a
    value that cannot be read at all: the shapes report that)."""
    python = value.toPython()
    if value.datatype in _DATES:
        day = python.date() if isinstance(python, dt.datetime) else python
        if isinstance(day, dt.date) and not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
            return (f"the date {value} lies outside the dates rai-graph judges "
                    f"({DATE_RANGE[0]} to {DATE_RANGE[1]})")
        return None
    if isinstance(python, Duration):
        years = abs(float(python.years) + float(python.months) / 12) + abs(python.tdelta.days) / 365.25
    elif isinstance(python, dt.timedelta):
        years = abs(python.days) / 365.25
    else:
        return None
    if years > MAX_AGE_YEARS:
        return f"the duration {value} is longer than {MAX_AGE_YEARS} years"
    return None


class _Guard:
    """Decides which statements the model may read (see the module docstring): what evidence
    files may not say, and dates and durations out of range anywhere."""

    def __init__(self, defined: set[Node], homes: _Homes) -> None:
        self.defined = defined
        self.system_folder = homes.system_folder
        self.typed_in = homes.typed_in
        self._refused: dict[tuple[str, Node, str], tuple[Origin, list[URIRef]]] = {}

    def refuses(self, s: Node, p: Node, o: Node, source: SourceFile, folder: str) -> bool:
        reason: str | None = None
        if s in self.defined:
            reason = "is defined under controls/ or frameworks/ (or by rai-graph); evidence/ may not change it"
        elif p in GOVERNED_PREDICATES:
            reason = "only controls/ and frameworks/ may grant roles, list signing keys or define classes"
        elif p in _RDF_TYPE and o in GOVERNED_CLASSES:
            reason = f"only controls/ and frameworks/ may define a {_local_name(o)}"
        elif s in self.system_folder:
            if self.system_folder[s] != folder:
                reason = f"is the system of {self.system_folder[s]}/; only files there may describe it"
        elif folder not in self.typed_in.get(s, (folder,)):
            reason = (f"is a record of {', '.join(f + '/' for f in sorted(self.typed_in[s]))}; only files "
                      "there may add to it")
        elif len(self.typed_in.get(s, ())) > 1:
            # Whichever folder came first, the other could be the forger: a record typed in two
            # folders belongs to neither (a gap and an error in each, never a false pass).
            reason = (f"is typed in {' and '.join(f + '/' for f in sorted(self.typed_in[s]))}; a record "
                      "belongs to one folder, so neither copy counts until one is renamed")
        if reason is None:
            return False
        self.ignore(s, p, o, source, reason)
        return True

    def ignore(self, s: Node, p: Node, o: Node, source: SourceFile, reason: str) -> None:
        """Keep the statement out of the model, and remember it (one entry per subject and reason)."""
        key = (source.path, s, reason)
        found = self._refused.get(key)
        if found is None:
            found = self._refused[key] = (Origin(source.path, _line_of(source, s, o)), [])
        if isinstance(p, URIRef) and p not in found[1]:
            found[1].append(p)

    def ignored(self) -> list[Ignored]:
        return [Ignored(origin, subject, tuple(predicates), reason)
                for (_path, subject, reason), (origin, predicates) in self._refused.items()]


def _line_of(source: SourceFile, subject: Node, value: Node) -> int | None:
    """The line of ``subject``'s statements; for a blank node (whose label the file does not
    spell), the first line holding ``value`` when it is a literal."""
    line = source.line_of(str(subject))
    if line is None and isinstance(value, Literal) and str(value):
        text = str(value)
        line = next((n for n, written in enumerate(source.lines, start=1) if text in written), None)
    return line


def signing_key_fingerprint(value: Node) -> str | None:
    """A ``rai:signingKey`` value as git reports the key (``%GF``): an OpenPGP fingerprint in
    upper-case hex without spaces, or an SSH ``SHA256:...`` fingerprint; None if it is neither."""
    if not isinstance(value, Literal):
        return None
    text = str(value).strip()
    if text.startswith("SHA256:") and len(text) > 7 and " " not in text:
        return text
    compact = "".join(text.split()).upper()
    if len(compact) in (40, 64) and all(c in "0123456789ABCDEF" for c in compact):
        return compact
    return None


def _keep_records_in_their_folders(model: RepositoryModel, system_folder: Mapping[Node, str]) -> None:
    """A record in ``evidence/<a>/`` may concern only the systems defined there (any record may
    live in ``evidence/_organisation/``): misplaced ones are reported and help no one."""
    systems_in: dict[str, set[Node]] = defaultdict(set)
    for system, home_folder in system_folder.items():
        systems_in[home_folder].add(system)

    def folder_of(origin: Origin) -> str | None:
        """The system folder a record's file lies in; None where any record may live."""
        if not origin.file.startswith("evidence/") or origin.file.count("/") < 2:
            return None
        folder = _record_folder(origin.file)
        return None if folder == ORGANISATION_FOLDER else folder

    def foreign(folder: str, systems: Iterable[Node]) -> list[Node]:
        """The systems of other folders among ``systems`` (an IRI naming no system is a
        reference error of its own, not a misplaced record)."""
        return sorted((s for s in systems if s in system_folder and s not in systems_in[folder]), key=str)

    def where(folder: str) -> str:
        own = sorted(systems_in[folder], key=str)
        if not own:
            return f"no system is defined in {folder}/"
        return f"{folder}/ holds the records of {', '.join(map(_shown, own))}"

    for iri, evidence in list(model.evidence.items()):
        folder = folder_of(evidence.origin)
        if folder is None:
            continue
        if not evidence.systems:
            model.misplaced.append(Misplaced(evidence.origin, iri, (
                f"names no system (organisation evidence), but {where(folder)}; organisation evidence "
                f"belongs in {ORGANISATION_FOLDER}/; it counts for nothing here")))
            model.evidence[iri] = replace(evidence, controls=frozenset())
            continue
        outsiders = foreign(folder, evidence.systems)
        if outsiders:
            kept = frozenset(s for s in evidence.systems if s not in outsiders)
            model.misplaced.append(Misplaced(evidence.origin, iri, (
                f"is for {', '.join(map(_shown, outsiders))}, but {where(folder)}; file it there (or in "
                f"{ORGANISATION_FOLDER}/ when several systems share it); it does not count for "
                + ("them" if len(outsiders) > 1 else "it"))))
            model.evidence[iri] = replace(evidence, systems=kept,
                                          controls=evidence.controls if kept else frozenset())
    for approval in model.approvals:
        folder = folder_of(approval.origin)
        approved = model.evidence.get(approval.evidence) if approval.evidence is not None else None
        if folder is None or approved is None:
            continue
        home = folder_of(approved.origin)
        if home == folder and not foreign(folder, approved.systems):
            continue
        positive = approval.decision in (RAI.Approved, RAI.ConditionallyApproved)
        model.misplaced.append(Misplaced(approval.origin, approval.iri, (
            f"approves {_shown(approved.iri)} of {_record_folder(approved.origin.file)}/, but {where(folder)}; "
            "an approval belongs beside the evidence it approves"
            + ("; it does not count" if positive else "; a rejection still counts wherever it is filed"))))
        if positive and approval.evidence is not None:
            model.approvals_of[approval.evidence] = [
                a for a in model.approvals_of.get(approval.evidence, []) if a is not approval]
    for number, waiver in enumerate(model.waivers):
        folder = folder_of(waiver.origin)
        if folder is None or waiver.system is None or not foreign(folder, (waiver.system,)):
            continue
        model.misplaced.append(Misplaced(waiver.origin, waiver.iri, (
            f"waives a control for {_shown(waiver.system)}, but {where(folder)}; it does not count")))
        model.waivers[number] = replace(waiver, system=None)
    for finding in model.findings:
        folder = folder_of(finding.origin)
        if folder is None:
            continue
        outsiders = foreign(folder, finding.systems)
        if outsiders:
            model.misplaced.append(Misplaced(finding.origin, finding.iri, (
                f"is about {', '.join(map(_shown, outsiders))}, but {where(folder)}; it still counts "
                "(a finding speaks against a system wherever it is filed)")))


def _shown(node: Node) -> str:
    from rai_graph._display import short

    return short(node)


_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch, SKOS.broadMatch, SKOS.narrowMatch)


def _plain_crosswalks(model: RepositoryModel, properties: dict[Node, Properties]) -> None:
    """``requirement skos:closeMatch requirement`` triples, as uncurated crosswalk records."""
    for node, props in properties.items():
        if not isinstance(node, URIRef):
            continue
        for relation in _MATCHES:
            for target in props.get(relation, ()):
                if isinstance(target, URIRef):
                    origin = model.origins.get(node, Origin("", None))
                    model.crosswalks.append(Crosswalk(node, target, relation, False, None, origin))


def _question(node: URIRef, props: Properties, origin: Origin) -> Question:
    texts = tuple(sorted({str(t) for t in props.get(RAI.questionText, ())
                          if isinstance(t, Literal) and str(t).strip()}))
    return Question(
        iri=node, texts=texts,
        controls=tuple(sorted((c for c in props.get(RAI.mapsToControl, ()) if isinstance(c, URIRef)), key=str)),
        requirements=tuple(sorted((r for r in props.get(RAI.mapsToRequirement, ()) if isinstance(r, URIRef)),
                                  key=str)),
        approved_answer=_english(props.get(RAI.approvedAnswer, [])),
        source=_english(props.get(DCTERMS.source, [])),
        needs_human=any(str(v).strip().lower() in ("true", "1") for v in props.get(RAI.needsHumanAnswer, ())),
        origin=origin,
        reviewed_by=_iri_or_text(props, DCTERMS.contributor),
        reviewed_on=_date(props, DCTERMS.created),
    )


def _english(candidates: list[Node]) -> str | None:
    """The English (or untagged) literal among ``candidates``, deterministically."""
    texts = sorted(str(v) for v in candidates
                   if isinstance(v, Literal) and v.language in (None, "en") and str(v).strip())
    if texts:
        return texts[0]
    others = sorted(str(v) for v in candidates if isinstance(v, Literal | URIRef))
    return others[0] if others else None


def _inherit_rai_superclasses(model: RepositoryModel, properties: dict[Node, Properties]) -> None:
    """Give instances of subclasses (e.g. an organisation's own tier class) their superclass."""
    superclasses: dict[URIRef, set[URIRef]] = defaultdict(set)
    subclass_of, namespace = RDFS.subClassOf, str(RAI._NS)  # looked up once, not per node
    for node, props in properties.items():
        if isinstance(node, URIRef):
            for parent in props.get(subclass_of, []):
                if isinstance(parent, URIRef) and parent.startswith(namespace):
                    superclasses[node].add(parent)
    if not superclasses:
        return
    for kinds in model.types.values():
        for kind in list(kinds):
            kinds.update(superclasses.get(kind, ()))


def _requirement(
    node: URIRef, props: Properties, origin: Origin, nodes: Mapping[Node, Properties]
) -> Requirement:
    return Requirement(
        iri=node,
        notation=_text(props, SKOS.notation) or _local_name(node),
        title=_text(props, DCTERMS.title),
        text=_text(props, RAI.text),
        applies_from=_date(props, RAI.appliesFrom),
        framework=_iri(props, SKOS.inScheme),
        broader=_iri(props, SKOS.broader),
        tiers=_iris(props, RAI.appliesToTier),
        roles=_iris(props, RAI.appliesToRole),
        informative=_text(props, RAI.informative) in ("true", "1"),
        origin=origin,
        conditions=_conditions(props, nodes),
        applications=_applications(props, RAI.application, nodes),
        transitional=_iri(props, RAI.transitional),
        transition_ends=_applications(props, RAI.transitionEnds, nodes),
        previous_versions=tuple(sorted(
            (_text_version(nodes.get(n, {})) for n in props.get(RAI.previousVersion, ())),
            key=lambda v: (v.invalidated or dt.date.min, v.text or ""),
        )),
        scope_note=_text(props, SKOS.scopeNote),
        to_be_verified=RAI.ToBeVerified in _iris(props, RAI.verificationStatus),
        source=_iri_or_text(props, DCTERMS.source),
        derived_from=_text(props, PROV.wasDerivedFrom),
        notes=tuple(sorted(str(n) for n in props.get(SKOS.note, ()) if isinstance(n, Literal))),
        guidance=Guidance(
            about=_text(props, RAI.guidanceAbout), suggested_actions=_text(props, RAI.suggestedActions),
            documentation_questions=_text(props, RAI.documentationQuestions),
            references=_text(props, RAI.guidanceReferences),
            ai_actors=tuple(sorted({str(v) for v in props.get(RAI.aiActors, ()) if isinstance(v, Literal)})),
            related_risks=tuple(sorted(_iris(props, RAI.relatedRisk), key=str)),
            related_subcategories=tuple(sorted(_iris(props, RAI.relatedSubcategory), key=str)),
        ),
    )


def _conditions(props: Properties, nodes: Mapping[Node, Properties]) -> tuple[Condition, ...]:
    found = []
    for node in props.get(RAI.appliesWhen, ()):
        facts = nodes.get(node, {})
        condition = Condition(
            annex_areas=_iris(facts, RAI.annexIIIArea), annex_products=_iris(facts, RAI.annexIProduct),
            functions=_iris(facts, RAI.function), characteristics=_iris(facts, RAI.operatorCharacteristic),
            routes=_iris(facts, RAI.route),
        )
        found.append(condition)
    # An empty node states no condition, so it would make the others moot: it is kept, and holds.
    return tuple(sorted(set(found), key=_condition_key))


def _condition_key(condition: Condition) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(sorted(map(str, values))) for values in (
        condition.annex_areas, condition.annex_products, condition.functions, condition.characteristics,
        condition.routes))


def _applications(
    props: Properties, predicate: URIRef, nodes: Mapping[Node, Properties]
) -> tuple[Application, ...]:
    found = []
    for node in props.get(predicate, ()):
        facts = nodes.get(node, {})
        start = _date(facts, RAI.appliesFrom)
        if start is None:
            continue  # reported by the structural shapes
        found.append(Application(
            applies_from=start, route=_iri(facts, RAI.route), placed_before=_date(facts, RAI.placedBefore),
            conditions=_conditions(facts, nodes), source=_iri_or_text(facts, DCTERMS.source),
            to_be_verified=RAI.ToBeVerified in _iris(facts, RAI.verificationStatus),
        ))
    return tuple(sorted(found, key=lambda a: (a.applies_from, str(a.route), a.placed_before or dt.date.max,
                                               a.source or "")))


def _text_version(props: Properties) -> TextVersion:
    return TextVersion(_text(props, RAI.text), _date(props, PROV.invalidatedAtTime),
                       _iri_or_text(props, DCTERMS.source))


def _control(
    node: URIRef, props: Properties, origin: Origin, nodes: Mapping[Node, Properties]
) -> Control:
    age_literal = _first(props, RAI.maxEvidenceAge)
    age = age_literal.toPython() if isinstance(age_literal, Literal) else None
    return Control(
        iri=node,
        notation=_text(props, SKOS.notation) or _local_name(node),
        title=_text(props, DCTERMS.title) or _local_name(node),
        description=_text(props, DCTERMS.description),
        satisfies=_iris(props, RAI.satisfies),
        tiers=_iris(props, RAI.requiredForTier),
        roles=_iris(props, RAI.appliesToRole),
        organisation_scope=_iri(props, RAI.scope) == RAI.OrganisationScope,
        evidence_type=_iri(props, RAI.requiresEvidenceType),
        max_age=age if isinstance(age, dt.timedelta | Duration) else None,
        max_age_text=str(age_literal) if age_literal is not None else None,
        approval_role=_iri(props, RAI.requiresApprovalBy),
        answer_text=_text(props, RAI.answerText),
        thresholds=tuple(sorted(
            (t for t in (_threshold(nodes.get(n, {})) for n in props.get(RAI.threshold, ())) if t),
            key=lambda t: (t.metric, t.slice or "", t.operator, t.value),
        )),
        origin=origin,
        conditions=_conditions(props, nodes),
    )


def _system(node: URIRef, props: Properties, origin: Origin) -> AISystem:
    parts = origin.file.split("/")
    name = parts[1] if len(parts) > 2 and parts[0] == "evidence" else _local_name(node)
    return AISystem(
        iri=node,
        name=name,
        title=_text(props, DCTERMS.title) or name,
        tier=_most_demanding_tier(_iris(props, RAI.riskTier)),
        roles=_iris(props, RAI.operatorRole),
        owner=_iri(props, RAI.owner),
        owners=_iris(props, RAI.owner),
        lifecycle=_iri(props, RAI.lifecycleStatus),
        intended_purpose=_text(props, RAI.intendedPurpose),
        annex_areas=_iris(props, RAI.annexIIIArea),
        origin=origin,
        annex_products=_iris(props, RAI.annexIProduct),
        functions=_iris(props, RAI.function),
        characteristics=_iris(props, RAI.operatorCharacteristic),
        placed_on_market=_latest_date(props, RAI.placedOnMarket),
        significant_changes=tuple(sorted({d for d in map(_as_date, props.get(RAI.significantChange, ()))
                                          if d is not None})),
    )


def _evidence(
    node: URIRef, props: Properties, origin: Origin, nodes: Mapping[Node, Properties]
) -> Evidence:
    return Evidence(
        iri=node,
        title=_text(props, DCTERMS.title) or _local_name(node),
        systems=_iris(props, RAI.forSystem),
        controls=_iris(props, RAI.implements),
        evidence_type=_iri(props, RAI.evidenceType),
        artifact=_text(props, RAI.artifact),
        sha256=_text(props, RAI.sha256),
        artifact_url=_iri_or_text(props, RAI.artifactURL),
        generated=_date(props, PROV.generatedAtTime),
        author=_iri(props, PROV.wasAttributedTo),
        authors=_iris(props, PROV.wasAttributedTo),
        confidentiality=_strictest_level(_iris(props, RAI.confidentiality)),
        valid_until=_valid_until(props),
        measurements=tuple(sorted(
            (x for x in (_measurement(nodes.get(n, {})) for n in props.get(RAI.measurement, ())) if x),
            key=lambda x: (x.metric, x.slice or "", x.value),
        )),
        extracted_by=_text(props, RAI.extractedBy),
        folder=origin.file.rsplit("/", 1)[0] if "/" in origin.file else "",
        origin=origin,
    )


_SINGLE_VALUED_APPROVAL = {
    "rai:approves": RAI.approves, "rai:decision": RAI.decision,
    "prov:wasAssociatedWith": PROV.wasAssociatedWith, "rai:inRole": RAI.inRole,
    "prov:endedAtTime": PROV.endedAtTime, "rai:expires": RAI.expires, "rai:sha256": RAI.sha256,
}
_SINGLE_VALUED_WAIVER = {
    "rai:waives": RAI.waives, "rai:forSystem": RAI.forSystem, "rai:approvedBy": RAI.approvedBy,
    "rai:inRole": RAI.inRole, "prov:endedAtTime": PROV.endedAtTime, "rai:expires": RAI.expires,
}


def _ambiguous(props: Properties, single: Mapping[str, URIRef]) -> tuple[str, ...]:
    return tuple(name for name, predicate in single.items() if len(set(props.get(predicate, ()))) > 1)


def _approval(node: URIRef | BNode, props: Properties, origin: Origin) -> Approval:
    return Approval(
        iri=node,
        evidence=_iri(props, RAI.approves),
        decision=_iri(props, RAI.decision),
        approver=_iri(props, PROV.wasAssociatedWith),
        role=_iri(props, RAI.inRole),
        date=_date(props, PROV.endedAtTime),
        expires=_date(props, RAI.expires),
        sha256=_text(props, RAI.sha256),
        origin=origin,
        ambiguous=_ambiguous(props, _SINGLE_VALUED_APPROVAL),
        conditions=tuple(sorted(str(v) for v in props.get(RAI.conditions, ()) if isinstance(v, Literal))),
    )


def _waiver(node: URIRef | BNode, props: Properties, origin: Origin) -> Waiver:
    return Waiver(
        iri=node,
        control=_iri(props, RAI.waives),
        system=_iri(props, RAI.forSystem),
        approver=_iri(props, RAI.approvedBy),
        role=_iri(props, RAI.inRole),
        date=_date(props, PROV.endedAtTime),
        expires=_date(props, RAI.expires),
        rationale=_text(props, RAI.rationale),
        compensating=_iris(props, RAI.compensatingControl),
        origin=origin,
        ambiguous=_ambiguous(props, _SINGLE_VALUED_WAIVER),
    )


def _threshold(props: Properties) -> Threshold | None:
    metric, operator = _text(props, RAI.metric), _text(props, RAI.operator)
    value = _decimal(props, RAI.value)
    if metric is None or operator not in OPERATORS or value is None:
        return None  # reported by the structural shapes
    return Threshold(metric, operator, value, _text(props, RAI.slice))


def _measurement(props: Properties) -> Measurement | None:
    metric, value = _text(props, RAI.metric), _decimal(props, RAI.value)
    if metric is None or value is None:
        return None
    return Measurement(metric, value, _text(props, RAI.slice))


def _finding(node: URIRef | BNode, props: Properties, origin: Origin, incident: bool) -> Finding:
    return Finding(
        iri=node,
        title=_text(props, DCTERMS.title) or _local_name(node),
        description=_text(props, DCTERMS.description),
        systems=_iris(props, RAI.forSystem),
        concerns=_iris(props, RAI.concerns),
        severity=_iri(props, RAI.severity),
        owner=_iri(props, RAI.owner),
        created=_date(props, DCTERMS.created),
        due=_date(props, RAI.dueDate),
        resolved_on=_date(props, RAI.resolvedOn),
        resolved_by=_iris(props, RAI.resolvedBy),
        incident=incident,
        occurred_on=_date(props, RAI.occurredOn),
        reported_to_authority_on=_date(props, RAI.reportedToAuthorityOn),
        origin=origin,
        confidentiality=_strictest_level(_iris(props, RAI.confidentiality)),
    )


def _decimal(props: Properties, predicate: URIRef) -> Decimal | None:
    value = _first(props, predicate)
    if not isinstance(value, Literal):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


_TIERS_BY_DEMAND = (RAI.Prohibited, RAI.HighRisk, RAI.LimitedRisk, RAI.MinimalRisk)


def _most_demanding_tier(tiers: frozenset[URIRef]) -> URIRef | None:
    """One tier (the spec allows exactly one). Given several — a shape error — judge by the most
    demanding EU tier among them, so a second statement can never shed obligations."""
    for tier in _TIERS_BY_DEMAND:
        if tier in tiers:
            return tier
    return min(tiers, key=str) if tiers else None


def _valid_until(props: Properties) -> dt.date | None:
    """``rai:validUntil``; one that is not a date (a shape error) is treated as already past."""
    if not props.get(RAI.validUntil):
        return None
    return _date(props, RAI.validUntil) or dt.date.min


_LEVELS_BY_STRICTNESS = (RAI.Confidential, RAI.Internal, RAI.CustomerShareable, RAI.Public)


def _strictest_level(levels: frozenset[URIRef]) -> URIRef | None:
    """One confidentiality level; given several (a shape error), the strictest: show less."""
    for level in _LEVELS_BY_STRICTNESS:
        if level in levels:
            return level
    return RAI.Confidential if levels else None


def _mailbox(mbox: str) -> str:
    return mbox.removeprefix("mailto:").strip().casefold()


def _first(props: Properties, predicate: URIRef) -> Node | None:
    values = props.get(predicate)
    if not values:
        return None
    # Several values where one is allowed are reported by SHACL; pick one deterministically.
    return min(values, key=str) if len(values) > 1 else values[0]


def _iri(props: Properties, predicate: URIRef) -> URIRef | None:
    value = _first(props, predicate)
    return value if isinstance(value, URIRef) else None


def _iris(props: Properties, predicate: URIRef) -> frozenset[URIRef]:
    found = frozenset(v for v in props.get(predicate, ()) if isinstance(v, URIRef))
    return _shared_sets.setdefault(found, found)


def _text(props: Properties, predicate: URIRef) -> str | None:
    value = _first(props, predicate)
    return str(value) if isinstance(value, Literal) else None


def _iri_or_text(props: Properties, predicate: URIRef) -> str | None:
    value = _first(props, predicate)
    return str(value) if isinstance(value, Literal | URIRef) else None


def _date(props: Properties, predicate: URIRef) -> dt.date | None:
    return _as_date(_first(props, predicate))


def _as_date(value: Node | None) -> dt.date | None:
    if not isinstance(value, Literal):
        return None
    python = value.toPython()
    if isinstance(python, dt.datetime):
        return python.date()
    if isinstance(python, dt.date):
        return python
    return None


def _latest_date(props: Properties, predicate: URIRef) -> dt.date | None:
    """Of several dates where one is allowed (a shape error), the latest: for the date a system was
    placed on the market that is the demanding reading, so a second statement can never claim the
    transitional exemption of Art. 111(2)."""
    dates = [d for d in map(_as_date, props.get(predicate, ())) if d is not None]
    return max(dates) if dates else None


def _local_name(iri: Node) -> str:
    text = str(iri)
    for separator in ("#", "/", ":"):
        if separator in text:
            text = text.rsplit(separator, 1)[-1]
            break
    return text


def iter_sorted(values: Iterable[URIRef]) -> list[URIRef]:
    """IRIs in a stable order, for reproducible output."""
    return sorted(values, key=str)
