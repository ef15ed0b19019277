"""The audit-readiness report as data: the JSON document ``report --format json`` prints.

Every format (HTML, PDF, Markdown, JSON) is rendered from one :class:`AuditReport`, built once
for one audience, so what an audience may not see is left out in one place. The models forbid
unknown fields; ``AuditReport.model_json_schema()`` is the documented schema, exported to
``docs/report-schema.json``. Attribute docstrings become the schema's descriptions.

IRIs are full strings; lists are in a stable order (document order for clauses, notation for
controls), so the same repository, date and audience always give the same document.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rai_graph.analysis.kpis import Kpis
from rai_graph.audience import Audience
from rai_graph.trace import Coverage, Status

REPORT_SCHEMA_VERSION = 1

GapStatus = Literal["failing", "unapproved", "expired", "invalid", "missing"]
WaiverState = Literal["active", "not needed", "expired", "not valid"]
ControlScope = Literal["system", "organisation"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class PersonRef(_Model):
    """A person of the organisation (``rai:Person``)."""

    iri: str
    name: str
    email: str | None
    """From ``foaf:mbox``, without ``mailto:``."""


class CommitRef(_Model):
    """The git commit that last changed a file."""

    sha: str
    date: dt.datetime
    author: str


class SourceInfo(_Model):
    """Which version of the governance repository the report was computed from."""

    revision: str
    """``worktree`` (files on disk) or the commit sha given with ``--rev``."""
    commit: str | None
    """The commit the files come from: the revision, or HEAD of the working tree; None outside git."""
    uncommitted_changes: bool | None
    """For the working tree: whether files differ from ``commit`` (the report may then not be
    reproducible from git alone); None when unknown."""


class FrameworkInfo(_Model):
    id: str
    """The id used on the command line (last path segment of the IRI, e.g. ``eu-ai-act``)."""
    iri: str
    title: str


class SystemInfo(_Model):
    """The AI system as described in its ``system.ttl``."""

    iri: str
    name: str
    """The folder under ``evidence/``."""
    title: str
    tier: str | None
    """Risk tier IRI."""
    tier_label: str
    roles: list[str]
    """Operator role labels (Provider, Deployer, ...)."""
    owner: PersonRef | None
    lifecycle: str | None
    """Lifecycle label (Development, Production, Retired)."""
    intended_purpose: str | None
    annex_iii_areas: list[str]
    """Notations of the EU AI Act Annex III areas the system falls under."""
    file: str


class ObligationCounts(_Model):
    """Requirements of the framework that bind the system now or later (informative clauses and
    clauses whose tier, role or conditions do not hold excluded)."""

    applicable: int
    """In force plus deferred."""
    in_force: int
    """Applying as of the report date."""
    covered: int
    """In force, and every mapped control met or waived."""
    not_covered: int
    """In force, mapped, but some mapped control has a gap."""
    unmapped: int
    """In force, and no applicable control satisfies it."""
    justified: int
    """Of the unmapped ones in force, those the organisation documented as needing no control
    (``rai:UnmappedJustification``)."""
    not_yet_in_force: int


class Approval(_Model):
    """An approval decision on an evidence record, dated on or before the report date."""

    id: str
    """The approval's IRI, or ``_:FILE:LINE`` for an anonymous node."""
    decision: str
    """Label: Approved, Conditionally approved or Rejected."""
    approver: PersonRef | None
    role: str | None
    """Label of the role the approver acted in (``rai:inRole``)."""
    date: dt.date | None
    expires: dt.date | None
    file: str


class EvidenceItem(_Model):
    """An evidence record the audience may see, with where it is and which bytes it names."""

    iri: str
    title: str
    evidence_type: str | None
    """Label of the evidence type."""
    confidentiality: str
    """Label of the confidentiality level."""
    generated: dt.date | None
    valid_until: dt.date | None
    author: PersonRef | None
    artifact: str | None
    """Artefact path relative to the repository."""
    artifact_url: str | None
    sha256: str | None
    """SHA-256 of the artefact as read when the report was built."""
    recorded_sha256: str | None
    """SHA-256 written in the record (``rai:sha256``)."""
    artifact_state: str | None
    """``ok``, ``missing``, ``hash mismatch``, ... (None when the record names no artefact file)."""
    record_file: str
    record_line: int | None
    record_commit: CommitRef | None
    """Last commit that changed the record file."""
    artifact_commit: CommitRef | None
    """Last commit that changed the artefact file."""
    approvals: list[Approval]


class ControlResult(_Model):
    """A control mapped to the framework's requirements, judged for the system."""

    iri: str
    notation: str
    title: str
    scope: ControlScope
    """``organisation``: judged once for the organisation, against organisation-wide evidence."""
    status: Status
    reason: str
    """Why, in words; generic when the specific reason would name withheld evidence."""
    evidence: list[str]
    """IRIs of the visible evidence behind the status (see ``SystemReport.evidence``)."""
    withheld_evidence: int
    status_text: str
    """The status as this audience reads it: 'met' or 'met — 2 records withheld at this audience (auditor)'."""
    """Evidence behind the status that is classified above the audience's level."""
    approval: str | None
    """Id of the approval that makes the control met, when the control requires one."""
    approval_role: str | None
    """Label of the role whose approval the control requires."""
    evidence_type: str | None
    max_evidence_age: str | None
    """``xsd:duration`` as written, e.g. ``P365D``."""
    waiver: str | None
    """Id of the waiver in force, when the status is ``waived``."""


class UnmappedJustification(_Model):
    """The organisation's documented reason for mapping no control to a requirement."""

    iri: str
    title: str | None
    rationale: str | None
    by: PersonRef | None
    date: dt.date | None


class RequirementResult(_Model):
    """A requirement (obligation) of the framework that binds the system now or later."""

    iri: str
    notation: str
    title: str | None
    excerpt: str | None
    """The start of the official text, cut at a word boundary."""
    heading: str | None
    """The top-level clause it belongs to, e.g. ``Art. 9 — Risk management system``."""
    applies_from: dt.date | None
    """In force: the date it started to bind. Deferred: the date it will, or None when only a
    significant change in the system's design would bind it (Art. 111(2))."""
    in_force: bool
    """Whether it applies as of the report date; False: deferred (see ``upcoming``)."""
    upcoming: str | None
    """For a deferred requirement, when and why it binds later, e.g. 'Annex III route: from
    2027-12-02 (Art. 113 as amended by Regulation (EU) 2026/1744)'."""
    source: str | None
    """The act and article that set its date, when the catalogue records it."""
    to_be_verified: bool
    """Its date or condition rests on secondary sources, not yet checked against the Official Journal."""
    state: Coverage
    """covered | not | unmapped, whether or not in force yet."""
    controls: list[str]
    """IRIs of the controls that satisfy it (see ``SystemReport.controls``)."""
    justification: UnmappedJustification | None
    """For an unmapped requirement: why no control is mapped, if the organisation recorded it."""


class Gap(_Model):
    """A control with a gap, who owns it and what closes it."""

    control: str
    notation: str
    title: str
    scope: ControlScope
    status: GapStatus
    reason: str
    closes_it: str
    """What would turn the control into ``met``."""
    owner: PersonRef | None
    """The system's owner (none for organisation-wide controls)."""
    approval_role: str | None
    file: str | None
    """The file to look at, when the audience may see it."""
    requirements: list[str]
    """Notations of the framework's requirements this gap leaves uncovered."""
    in_force: bool
    """Whether any of those requirements is in force as of the report date."""
    earliest_applies_from: dt.date | None


class ExpiringEvidence(_Model):
    """Evidence (or its approval) that stops counting within the look-ahead window."""

    evidence: str
    title: str
    control: str
    """Notation of the control it stops counting for."""
    valid_through: dt.date
    """Last day it counts."""
    days_left: int
    basis: str
    """Why it lapses: maximum age, ``rai:validUntil`` or the approval's expiry."""


class CompensatingControl(_Model):
    iri: str
    notation: str
    title: str
    status: Status | None
    """Its status for the system, or None when it does not apply to the system."""


class WaiverItem(_Model):
    """A waiver of a control mapped to the framework, approved on or before the report date."""

    id: str
    control: str
    notation: str
    title: str
    rationale: str | None
    approved_by: PersonRef | None
    role: str | None
    approved_on: dt.date | None
    expires: dt.date | None
    days_left: int | None
    state: WaiverState
    """active: the control is waived by it; not needed: the control is met anyway;
    expired; not valid: approver lacks the role, is the system owner, or it runs over a year."""
    compensating_controls: list[CompensatingControl]
    file: str


class FindingItem(_Model):
    """An open finding or incident on the system (review, audit, red team, monitoring)."""

    id: str
    title: str
    incident: bool
    severity: str | None
    """Label: Critical, High, Medium or Low."""
    description: str | None
    """The start of the description, cut at a word boundary."""
    owner: PersonRef | None
    created: dt.date | None
    due: dt.date | None
    overdue: bool
    concerns: list[str]
    """Notations of the controls and requirements it concerns."""
    file: str


class Milestone(_Model):
    """Obligations that start to bind the system on one future date (what binds when)."""

    date: dt.date | None
    """None: after a significant change in the system's design (Art. 111(2))."""
    requirements: list[str]
    """Notations."""
    covered: int
    """Of those, already covered today (every mapped control met or waived)."""
    not_covered: int
    unmapped: int
    reasons: list[str]


class SystemReport(_Model):
    system: SystemInfo
    judged: bool
    """False for a retired system: nothing is judged."""
    readiness: float
    """Share of all applicable controls met or waived (data-model.md)."""
    framework_readiness: float
    """Share of the controls mapped to this framework's applicable requirements met or waived."""
    coverage: float
    """Share of in-force applicable requirements covered, leaving out those documented as needing
    no control (1.0 when none is left)."""
    control_counts: dict[Status, int]
    """Controls mapped to the framework, by status."""
    obligations: ObligationCounts
    requirements: list[RequirementResult]
    controls: list[ControlResult]
    evidence: list[EvidenceItem]
    gaps: list[Gap]
    expiring: list[ExpiringEvidence]
    waivers: list[WaiverItem]
    findings: list[FindingItem]
    """Findings open as of the report date that the audience may see. A finding without
    ``rai:confidentiality`` counts as Confidential, like any record without a level."""
    findings_withheld: int
    """Open findings classified above the audience's level."""
    not_yet_in_force: list[str]
    """IRIs of the deferred requirements (they bind later)."""
    timeline: list[Milestone]
    """The deferred requirements by the date they start to bind, undated ones last."""
    unmapped: list[str]
    """IRIs of applicable requirements no control satisfies."""


class Risk(_Model):
    """One of the largest risks to readiness, ranked across the systems of the report."""

    system: str
    """System name (folder)."""
    kind: Literal["gap", "unmapped", "finding"]
    summary: str
    control: str | None
    """Control notation, for a gap."""
    status: GapStatus | None
    requirements: list[str]
    """Requirement notations affected."""
    in_force: bool


class SystemSummary(_Model):
    name: str
    title: str
    tier_label: str
    judged: bool
    readiness: float
    framework_readiness: float
    coverage: float
    control_counts: dict[Status, int]
    obligations: ObligationCounts
    gaps: int


class ExecutiveSummary(_Model):
    systems: list[SystemSummary]
    control_counts: dict[Status, int]
    """Over every system of the report; organisation-wide controls counted once per system."""
    top_risks: list[Risk]
    expiring_soon: int
    """Evidence items expiring within the look-ahead window."""


class InputProblem(_Model):
    """An input error in the repository (``file:line: message``)."""

    file: str
    line: int | None
    message: str
    kind: str


class AuditReport(_Model):
    """An audit-readiness report: as of a date, for one framework, which obligations the systems
    meet, with what evidence, approved by whom."""

    schema_version: int = REPORT_SCHEMA_VERSION
    generated_by: str
    """``rai-graph VERSION``."""
    as_of: dt.date
    lookahead_days: int
    """Window for evidence and waivers about to expire."""
    audience: Audience
    visible_levels: list[str]
    """Confidentiality levels the audience may see; everything above is left out."""
    source: SourceInfo
    framework: FrameworkInfo
    summary: ExecutiveSummary
    kpis: Kpis
    """Governance KPIs of the systems in the report (organisation-wide only in a report on every
    system; ``kpis.scope`` says which; see rai_graph.analysis.kpis)."""
    systems: list[SystemReport]
    repository_conforms: bool
    """No input error anywhere in the repository (SHACL shapes, references, artefact hashes)."""
    repository_errors: int
    """Input errors anywhere in the repository (only those in the files behind the report are
    listed in ``errors``)."""
    errors: list[InputProblem]
    """Input errors in the files behind this report, as far as the audience may see them."""
    errors_withheld: int
    """Input errors left out because they concern items above the audience's level."""
