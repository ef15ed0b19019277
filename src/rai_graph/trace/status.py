"""The status of one (system, control) pair as of a date: the ordered rules of ``data-model.md``.

"Status of a (system, control) pair, as of a date D" plus the thresholds extension, over the
in-memory :class:`~rai_graph.model.RepositoryModel` and the artefact states found by the validate
stage. No I/O. Evidence is indexed by (control, system) once, so judging is linear in the records.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, TypeVar

from rdflib import URIRef

from rai_graph._display import duration_words, in_sentence, short, words_of
from rai_graph.model import AISystem, Approval, Control, Evidence, RepositoryModel, Requirement, Waiver, one_year_after
from rai_graph.provenance import CommitInfo, Provenance
from rai_graph.settings import Settings
from rai_graph.validate.artifacts import ArtifactCheck
from rai_graph.vocab import RAI

Status = Literal["met", "waived", "failing", "unapproved", "expired", "invalid", "missing"]
STATUS_ORDER: tuple[Status, ...] = (
    "met", "waived", "failing", "unapproved", "expired", "invalid", "missing",
)
GAP_STATUSES: frozenset[str] = frozenset(STATUS_ORDER[2:])
Coverage = Literal["covered", "not", "unmapped"]

ORGANISATION_FOLDER = "evidence/_organisation"
SEVERITY_ORDER: dict[URIRef | None, int] = {RAI.Critical: 0, RAI.High: 1, RAI.Medium: 2, RAI.Low: 3}
POSITIVE_DECISIONS = frozenset({RAI.Approved, RAI.ConditionallyApproved})


@dataclass(frozen=True, slots=True)
class Lapse:
    """When one counting evidence record stops counting for a control, and why."""

    evidence: URIRef
    approval: Approval | None
    """The approval that makes it count, when the control requires one."""
    last_day: dt.date | None
    """The last day it counts; None: it never lapses."""
    basis: str
    """'maximum age P365D from 2025-07-01', 'valid until (rai:validUntil)', 'approval by Alice expires'."""


@dataclass(frozen=True, slots=True)
class PairStatus:
    """The verdict for one (system, control) pair; ``system`` is None for organisation scope."""

    system: URIRef | None
    control: Control
    status: Status
    evidence: tuple[URIRef, ...]
    reason: str
    """Why, in words a compliance person reads: 'expired on 2026-01-10: max age P365D'."""
    file: str
    """The file to look at or fix."""
    line: int | None = None
    decided_by: URIRef | None = None
    """The evidence record the status rests on (the one its reason names), if any."""
    approval: Approval | None = None
    """The approval that made it met, when the control requires one."""
    waiver: Waiver | None = None
    """The waiver that made it waived."""
    evidence_date: dt.date | None = None
    """The deciding evidence's date (its commit date, when the setting allows that fallback)."""
    valid_through: dt.date | None = None
    """The last day the status holds by dates alone (evidence age, rai:validUntil, approval or
    waiver expiry); None when nothing expires."""
    lapses: tuple[Lapse, ...] = ()
    """For met and unapproved pairs, each counting evidence record with its approval and the day
    it stops counting (``evidence`` order)."""

    @property
    def is_gap(self) -> bool:
        return self.status in GAP_STATUSES

    @property
    def good(self) -> bool:
        return self.status in ("met", "waived")


_COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
}
_NEGATION = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "≠"}


def threshold_breaches(evidence: Evidence, control: Control) -> list[str]:
    """Why the evidence's measurements do not pass every threshold of the control (spec extension).

    A threshold without a slice applies to every measurement of its metric (overall and each
    slice: every slice reported must pass); one with a slice applies to that slice only. A
    thresholded metric with no measurement fails.
    """
    problems = []
    for threshold in control.thresholds:
        measured = [m for m in evidence.measurements if m.metric == threshold.metric
                    and (threshold.slice is None or m.slice == threshold.slice)]
        metric = threshold.metric.replace("_", " ")
        if not measured:
            where = f" for slice {threshold.slice}" if threshold.slice else ""
            problems.append(f"no {metric} measurement{where} (required {threshold.operator} "
                            f"{threshold.value})")
            continue
        for measurement in measured:
            if not _COMPARE[threshold.operator](measurement.value, threshold.value):
                where = f" for slice {measurement.slice}" if measurement.slice else ""
                problems.append(f"{metric} {measurement.value} {_NEGATION[threshold.operator]} "
                                f"{threshold.value}{where}")
    return problems


def evidence_date(evidence: Evidence, provenance: Provenance, settings: Settings) -> dt.date | None:
    """The evidence's date (``prov:generatedAtTime``); with ``freshness_from_commit_date``, a
    record without one is dated by the last commit that changed its file."""
    if evidence.generated is not None or not settings.freshness_from_commit_date:
        return evidence.generated
    committed = provenance.of(evidence.origin.file)
    return committed.last_changed.date.date() if committed else None


def last_valid_day(evidence: Evidence, generated: dt.date, control: Control) -> dt.date | None:
    """The last day the evidence counts for the control: the earlier of its date plus the
    control's maximum age and its ``rai:validUntil``; None when it never expires."""
    candidates = []
    if control.max_age is not None:
        candidates.append(generated + control.max_age)
    if evidence.valid_until is not None:
        candidates.append(evidence.valid_until)
    return min(candidates) if candidates else None


class StatusRules:
    """The ordered status rules of data-model.md, with the indexes built once per run.

    Renderers may ask it the same questions the engine asks (``approval_of``, ``waiver_counts``)
    so what they show follows the rules exactly.
    """

    def __init__(
        self, model: RepositoryModel, artifacts: Mapping[URIRef, ArtifactCheck], as_of: dt.date,
        provenance: Provenance, settings: Settings,
    ) -> None:
        self.model = model
        self.artifacts = artifacts
        self.as_of = as_of
        self.provenance = provenance
        self.settings = settings
        self.evidence_for: dict[tuple[URIRef, URIRef | None], list[Evidence]] = defaultdict(list)
        for evidence in _sorted(model.evidence.values()):
            for control in evidence.controls:
                if evidence.systems:
                    for system in evidence.systems:
                        self.evidence_for[(control, system)].append(evidence)
                else:
                    self.evidence_for[(control, None)].append(evidence)
        self.waivers_for: dict[tuple[URIRef | None, URIRef | None], list[Waiver]] = defaultdict(list)
        for waiver in model.waivers:
            self.waivers_for[(waiver.control, waiver.system)].append(waiver)

    def pair(self, system: AISystem | None, control: Control) -> PairStatus:
        key = (control.iri, system.iri if system else None)
        sort = _Sorted()
        for evidence in self.evidence_for.get(key, ()):
            self._classify(evidence, control, sort)
        system_iri = system.iri if system else None
        home = system.origin.file if system else ORGANISATION_FOLDER

        # Evidence meeting rule 1 aside from thresholds: counting, and approved when required.
        ready = [(e, a) for e in sort.counting
                 if (a := self.approval_of(e, control)) or control.approval_role is None]
        passing = [(e, a) for e, a in ready if not threshold_breaches(e, control)]
        if passing:
            evidence, approval = passing[0]
            lapses = tuple(self._lapse(e, a, control) for e, a in passing)
            through = [lapse.last_day for lapse in lapses]
            return self._status(system_iri, control, "met", [e for e, _ in passing],
                                self._met_reason(evidence, approval), evidence, approval=approval,
                                valid_through=None if None in through else max(d for d in through if d),
                                lapses=lapses)
        if system is not None:
            for waiver in self.waivers_for.get(key, ()):
                if self.waiver_counts(waiver, system):
                    return PairStatus(
                        system_iri, control, "waived", tuple(e.iri for e in sort.counting),
                        f"waived until {waiver.expires}: "
                        f"{waiver.rationale or 'no rationale given'}",
                        waiver.origin.file, waiver.origin.line, waiver=waiver, valid_through=waiver.expires,
                    )
        if ready:
            evidence = ready[0][0]
            reason = "; ".join(threshold_breaches(evidence, control))
            return self._status(system_iri, control, "failing", [e for e, _ in ready],
                                f"{evidence.title!r}: {reason}", evidence)
        if sort.counting:
            evidence = sort.counting[0]
            lapses = tuple(self._lapse(e, None, control) for e in sort.counting)
            return self._status(system_iri, control, "unapproved", sort.counting,
                                self._unapproved_reason(evidence, control), evidence,
                                valid_through=lapses[0].last_day, lapses=lapses)
        if sort.expired:
            evidence, reason = sort.expired[0]
            return self._status(system_iri, control, "expired", [e for e, _ in sort.expired],
                                reason, evidence)
        if sort.invalid:
            evidence, reason = sort.invalid[0]
            return self._status(system_iri, control, "invalid", [e for e, _ in sort.invalid],
                                reason, evidence)
        return PairStatus(system_iri, control, "missing", (), self._missing_reason(control, sort),
                          home, system.origin.line if system else None)

    # -- evidence ---------------------------------------------------------------------------

    def _classify(self, evidence: Evidence, control: Control, sort: _Sorted) -> None:
        if control.evidence_type is not None and evidence.evidence_type != control.evidence_type:
            sort.mistyped.append(evidence)
            return
        generated = self._generated(evidence)
        if generated is None or generated > self.as_of:
            sort.future.append(evidence)
            return
        check = self.artifacts.get(evidence.iri)
        if evidence.artifact is not None and (check is None or not check.ok):
            sort.invalid.append((evidence, check.detail if check else "artefact not checked"))
            return
        expiry = self._expiry(evidence, generated, control)
        if expiry is not None:
            sort.expired.append((evidence, expiry))
            return
        sort.counting.append(evidence)

    def _generated(self, evidence: Evidence) -> dt.date | None:
        return evidence_date(evidence, self.provenance, self.settings)

    def _lapse(self, evidence: Evidence, approval: Approval | None, control: Control) -> Lapse:
        """The last day ``evidence`` (with ``approval``) counts for ``control``, and why."""
        generated = self._generated(evidence)
        candidates: list[tuple[dt.date, str]] = []
        if control.max_age is not None and generated is not None:
            aged = generated + control.max_age
            candidates.append((aged.date() if isinstance(aged, dt.datetime) else aged,
                               f"maximum age {duration_words(control.max_age_text or '')} from {generated}"))
        if evidence.valid_until is not None:
            candidates.append((evidence.valid_until, "valid until (rai:validUntil)"))
        if approval is not None and approval.expires is not None:
            candidates.append((approval.expires, f"approval by {self._name(approval.approver)} expires"))
        if not candidates:
            return Lapse(evidence.iri, approval, None, "no expiry")
        last_day, basis = min(candidates, key=lambda c: c[0])
        return Lapse(evidence.iri, approval, last_day, basis)

    def _expiry(self, evidence: Evidence, generated: dt.date, control: Control) -> str | None:
        """Why the evidence is too old or past ``rai:validUntil`` as of the date, or None."""
        last_day = last_valid_day(evidence, generated, control)
        if last_day is None or last_day >= self.as_of:
            return None
        expired_on = last_day + dt.timedelta(days=1)
        if control.max_age is not None and last_day == generated + control.max_age:
            return (f"expired on {expired_on}: max age {duration_words(control.max_age_text or '')}, "
                    f"evidence dated {generated}")
        return f"expired on {expired_on}: valid until {evidence.valid_until}"

    # -- approvals and waivers --------------------------------------------------------------

    def approval_of(self, evidence: Evidence, control: Control) -> Approval | None:
        if control.approval_role is None:
            return None
        for approval in self.model.approvals_of.get(evidence.iri, ()):
            if not self._approval_problems(approval, evidence, control.approval_role):
                return approval
        return None

    def _approval_problems(self, approval: Approval, evidence: Evidence, role: URIRef) -> list[str]:
        who = self._name(approval.approver)
        problems = []
        if approval.ambiguous:
            problems.append(f"the approval by {who} gives several values for {', '.join(approval.ambiguous)}")
        if approval.decision not in POSITIVE_DECISIONS:
            problems.append(f"{who} decided {self._term(approval.decision)}")
        if approval.date is None or approval.date > self.as_of:
            problems.append(f"the approval by {who} is dated after {self.as_of}")
        if approval.expires is not None and approval.expires < self.as_of:
            problems.append(f"the approval by {who} expired on {approval.expires}")
        person = self.model.people.get(approval.approver) if approval.approver else None
        if person is None or role not in person.roles:
            problems.append(f"{who} does not hold the role {self._term(role)}")
        if approval.role != role:
            problems.append(f"{who} approved in role {self._term(approval.role)}, not {self._term(role)}")
        if any(self.model.same_person(approval.approver, author) for author in evidence.authors):
            problems.append(f"{who} is the evidence's author (separation of duties)")
        generated = evidence.generated  # its own date only: a commit date may well follow the approval
        if approval.date is not None and generated is not None and approval.date < generated:
            # An approval cannot have seen evidence dated after it (regenerated, or back-dated).
            problems.append(f"{who} approved on {approval.date}, before the evidence is dated ({generated})")
        problems.extend(self._binding_problems(approval, evidence, who))
        if approval.date is not None:
            for other in self.model.approvals_of.get(evidence.iri, ()):
                if (other.decision == RAI.Rejected and other.date is not None
                        and approval.date <= other.date <= self.as_of):
                    problems.append(f"rejected by {self._name(other.approver)} on {other.date}")
        return problems

    def _binding_problems(self, approval: Approval, evidence: Evidence, who: str) -> list[str]:
        """Hash-bound and (optionally) commit-bound approvals."""
        problems = []
        if approval.sha256 is not None and evidence.artifact is not None:
            check = self.artifacts.get(evidence.iri)
            actual = check.actual_sha256 if check else None
            if actual != approval.sha256.strip().lower():
                problems.append(
                    f"{who} approved the artefact with SHA-256 {approval.sha256[:12]}…, but it has "
                    f"changed since (now {actual[:12] + '…' if actual else 'unreadable'})"
                )
        strictness = self.settings.approval_strictness
        if strictness == "off":
            return problems
        problems.extend(self._strict_problems(approval, who, strictness))
        return problems

    def _strict_problems(self, approval: Approval, who: str, strictness: str) -> list[str]:
        """Strict approvals: the approval's file is the approver's own work.

        Every commit that wrote the file (not just the one that added it) must be authored by the
        approver and, under signature strictness, signed with one of the keys listed for them under
        controls/; and the working tree must hold the file as committed. Otherwise another person
        could retarget, append to or edit an approval and have it pass as the approver's.
        """
        path = approval.origin.file
        committed = self.provenance.of(path)
        if committed is None:
            return [f"the approval by {who} is not committed, and approvals are strict"]
        problems = []
        if self.provenance.edited_since_commit(path):
            problems.append(f"{path} has uncommitted changes, so the approval by {who} is no longer the "
                            "one committed, and approvals are strict")
        person = self.model.people.get(approval.approver) if approval.approver else None
        if strictness in ("author", "author-and-signature"):
            expected = (person.mbox or "").removeprefix("mailto:").casefold() if person else ""
            others = [c for c in committed.changes if c.email.casefold() != expected]
            if others:
                problems.append(
                    f"{path} was written by {_commits_text(others)}, not only by the approver {who}"
                )
        if strictness in ("signature", "author-and-signature"):
            keys = person.signing_keys if person else frozenset()
            for change in committed.changes:
                signature = self.provenance.signature(change.sha)
                if not signature.verifies:
                    problems.append(f"the commit {change.sha[:10]} writing the approval by {who} has no "
                                    "verifiable signature")
                elif not signature.fingerprints & keys:
                    problems.append(f"the commit {change.sha[:10]} writing the approval by {who} is signed "
                                    f"with a key not listed for {who} (rai:signingKey under controls/)")
        return problems

    def waiver_counts(self, waiver: Waiver, system: AISystem) -> bool:
        return not self.waiver_problems(waiver, system)

    def waiver_problems(self, waiver: Waiver, system: AISystem) -> list[str]:
        """Why the waiver does not count for the system as of the date (rule 2), or nothing."""
        problems = []
        if waiver.ambiguous:
            problems.append(f"it gives several values for {', '.join(waiver.ambiguous)}")
        if waiver.date is None or waiver.expires is None or waiver.approver is None:
            problems.append("it needs an approval date, an expiry and an approver")
            return problems
        if not waiver.date <= self.as_of <= waiver.expires:
            problems.append(f"it runs from {waiver.date} to {waiver.expires}, not on {self.as_of}")
        if waiver.longer_than_a_year:
            problems.append(f"it may last at most one year: {waiver.expires} is after {one_year_after(waiver.date)}")
        person = self.model.people.get(waiver.approver)
        who = self._name(waiver.approver)
        if person is None:
            problems.append(f"{who} is not a person declared under controls/")
        elif waiver.role is None or waiver.role not in person.roles:
            problems.append(f"{who} does not hold the role {self._term(waiver.role)}")
        if any(self.model.same_person(waiver.approver, owner) for owner in system.owners):
            problems.append(f"{who} owns the system and may not waive its controls")
        problems.extend(self._chain_problems(waiver, system))
        return problems

    def _chain_problems(self, waiver: Waiver, system: AISystem) -> list[str]:
        """A waiver rests on its compensating controls being in place: one that is itself waived
        (in force for the system on the date, whether or not that waiver counts) or is the
        waived control is no compensation, so waivers can never prop each other up."""
        problems = []
        for control in sorted(waiver.compensating, key=str):
            if control == waiver.control:
                problems.append("it names the waived control as its own compensating control")
                continue
            chained = [w for w in self.waivers_for.get((control, system.iri), ())
                       if w.date is not None and w.expires is not None and w.date <= self.as_of <= w.expires]
            if chained:
                problems.append(f"its compensating control {self._term(control)} is itself waived, "
                                "and a waiver cannot rest on another waiver")
        return problems

    # -- reasons ----------------------------------------------------------------------------

    def _status(
        self, system: URIRef | None, control: Control, status: Status,
        evidence: Iterable[Evidence], reason: str, main: Evidence, *,
        approval: Approval | None = None, valid_through: dt.date | None = None, lapses: tuple[Lapse, ...] = (),
    ) -> PairStatus:
        return PairStatus(system, control, status, tuple(e.iri for e in evidence), reason,
                          main.origin.file, main.origin.line, decided_by=main.iri, approval=approval,
                          evidence_date=self._generated(main), valid_through=valid_through, lapses=lapses)

    def _met_reason(self, evidence: Evidence, approval: Approval | None) -> str:
        text = f"met by {evidence.title!r} ({evidence.generated})"
        if approval is not None:
            text += f", approved by {self._name(approval.approver)} on {approval.date}"
        return text

    def _unapproved_reason(self, evidence: Evidence, control: Control) -> str:
        assert control.approval_role is not None
        approvals = self.model.approvals_of.get(evidence.iri, [])
        if not approvals:
            return (f"{evidence.title!r} needs approval by a {self._term(control.approval_role)}; "
                    "none recorded")
        problems = sorted({p for a in approvals
                           for p in self._approval_problems(a, evidence, control.approval_role)})
        return (f"{evidence.title!r} needs approval by a {self._term(control.approval_role)}: "
                + "; ".join(problems))

    def _missing_reason(self, control: Control, sort: _Sorted) -> str:
        kind = f"{in_sentence(self._term(control.evidence_type))} " if control.evidence_type else ""
        text = f"no {kind}evidence implementing {control.notation}"
        if sort.mistyped:
            found = ", ".join(f"{e.title!r} is {self._term(e.evidence_type)}" for e in sort.mistyped)
            text += f" (wrong evidence type: {found})"
        if sort.future:
            dates = ", ".join(f"{e.title!r} dated {e.generated}" for e in sort.future)
            text += f" (not yet valid as of {self.as_of}: {dates})"
        return text

    def _term(self, iri: URIRef | None) -> str:
        """A term as a person reads it: its label (rai: terms have one in the ontology), else its
        local name in words (``StakeholderEngagementRecord`` → ``Stakeholder engagement record``)."""
        if iri is None or iri in self.model.labels:
            return self.model.label(iri)
        return words_of(self.model.label(iri))

    def _name(self, person_iri: URIRef | None) -> str:
        person = self.model.people.get(person_iri) if person_iri else None
        return person.name if person else short(person_iri)


@dataclass(slots=True)
class _Sorted:
    """Evidence for one pair, sorted by what the rules make of it."""

    counting: list[Evidence] = field(default_factory=list)
    expired: list[tuple[Evidence, str]] = field(default_factory=list)
    invalid: list[tuple[Evidence, str]] = field(default_factory=list)
    mistyped: list[Evidence] = field(default_factory=list)
    future: list[Evidence] = field(default_factory=list)


_Record = TypeVar("_Record", AISystem, Control, Evidence, Requirement)


def _sorted(items: Iterable[_Record]) -> list[_Record]:
    return sorted(items, key=lambda item: str(item.iri))


def _commits_text(commits: list[CommitInfo]) -> str:
    shown = ", ".join(f"{c.email} ({c.sha[:10]})" for c in commits[:3])
    return shown + (f" and {len(commits) - 3} more commits" if len(commits) > 3 else "")
