"""The judgement of a whole repository as of a date: every pair, requirement standing and coverage.

:func:`assess` is the trace stage's entry point. For each AI system it judges the controls that
bind it (:mod:`~rai_graph.trace.status`), decides which requirements of the adopted frameworks
apply, are deferred or do not apply (:mod:`~rai_graph.trace.applicability`), and computes the
coverage of the applicable and deferred ones. Requirement standings are computed once per set of
system facts, so a thousand systems of a few kinds cost a few judgements, not a thousand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from rdflib import URIRef

from rai_graph.model import AISystem, Control, Finding, RepositoryModel, Requirement
from rai_graph.provenance import Provenance
from rai_graph.settings import Settings
from rai_graph.trace.applicability import Applicability, Law
from rai_graph.trace.status import SEVERITY_ORDER, PairStatus, Status, StatusRules
from rai_graph.validate.artifacts import ArtifactCheck

Coverage = Literal["covered", "not", "unmapped"]
GOOD_STATUSES: frozenset[str] = frozenset({"met", "waived"})
"""Statuses that count towards readiness and coverage."""


@dataclass(frozen=True, slots=True)
class RequirementCoverage:
    """How far the controls answer a requirement for a system: for an applicable requirement its
    coverage, for a deferred one the coverage it would have if it applied today."""

    requirement: Requirement
    state: Coverage
    controls: tuple[URIRef, ...]
    justification: str | None = None
    """For an unmapped requirement: the organisation's reason for mapping no control."""
    standing: Applicability | None = None

    @property
    def covered(self) -> bool:
        return self.state == "covered"

    @property
    def unmapped(self) -> bool:
        return self.state == "unmapped"

    @property
    def deferred(self) -> bool:
        return self.standing is not None and self.standing.deferred


@dataclass(slots=True)
class SystemAssessment:
    system: AISystem
    pairs: list[PairStatus] = field(default_factory=list)
    requirements: list[RequirementCoverage] = field(default_factory=list)
    """Requirements that apply as of the date."""
    deferred: list[RequirementCoverage] = field(default_factory=list)
    """Requirements that bind the system later (never gaps), with the coverage they would have."""

    @property
    def judged(self) -> bool:
        return not self.system.retired

    @property
    def readiness(self) -> float:
        if not self.pairs:
            return 1.0
        good = sum(1 for pair in self.pairs if pair.status in GOOD_STATUSES)
        return good / len(self.pairs)


@dataclass(slots=True)
class Assessment:
    """The output of the trace stage."""

    as_of: dt.date
    systems: list[SystemAssessment]
    organisation: list[PairStatus]
    open_findings: list[Finding] = field(default_factory=list)
    """Findings and incidents open as of the date, most severe and oldest first."""
    law: Law | None = None
    """The applicability rules used, for views that ask the same questions (statements of applicability)."""
    rules: StatusRules | None = None
    """The status rules used, for views and authoring that ask the same questions (does this
    waiver count, which approval counts)."""

    def overdue_findings(self) -> list[Finding]:
        return [f for f in self.open_findings if f.overdue_on(self.as_of)]

    def gaps(self) -> list[PairStatus]:
        pairs = [p for s in self.systems for p in s.pairs] + self.organisation
        return [pair for pair in pairs if pair.is_gap]


def assess(
    model: RepositoryModel,
    artifacts: Mapping[URIRef, ArtifactCheck],
    as_of: dt.date,
    provenance: Provenance | None = None,
    settings: Settings | None = None,
) -> Assessment:
    """Judge every (system, control) pair that binds, organisation controls, and requirement
    standing and coverage, as of ``as_of``.

    ``provenance`` and ``settings`` matter only for the optional commit-date freshness fallback,
    strict approvals and the adopted frameworks.
    """
    settings = settings or Settings()
    judge = StatusRules(model, artifacts, as_of, provenance or Provenance(), settings)
    law = Law(model, as_of)
    controls = _sorted(model.controls.values())
    organisation = [judge.pair(None, control) for control in controls if control.organisation_scope]
    org_status = {pair.control.iri: pair.status for pair in organisation}
    coverage = _CoverageIndex(model, law, settings.frameworks)
    systems = []
    for system in _sorted(model.systems.values()):
        assessment = SystemAssessment(system)
        if not system.retired:
            assessment.pairs = [judge.pair(system, control) for control in controls
                                if not control.organisation_scope and law.control_binds(control, system)]
            assessment.requirements, assessment.deferred = coverage.for_system(assessment, org_status)
        systems.append(assessment)
    open_findings = sorted(
        (f for f in model.findings if f.open_on(as_of)),
        key=lambda f: (SEVERITY_ORDER.get(f.severity, len(SEVERITY_ORDER)), f.due or dt.date.max,
                       str(f.iri)),
    )
    return Assessment(as_of, systems, organisation, open_findings, law, judge)


def organisation_controls_for(
    assessment: Assessment, system: AISystem
) -> list[PairStatus]:
    """The organisation-scope pairs that bear on ``system``: its controls bind the system."""
    law = assessment.law
    if law is None:
        return []
    return [pair for pair in assessment.organisation if law.control_binds(pair.control, system)]


class _CoverageIndex:
    """Which controls satisfy each requirement, and each kind of system's requirement standings."""

    def __init__(self, model: RepositoryModel, law: Law, adopted: list[str] | None) -> None:
        self.model = model
        self.law = law
        self.satisfied_by: dict[URIRef, list[Control]] = defaultdict(list)
        for control in _sorted(model.controls.values()):
            for requirement in control.satisfies:
                self.satisfied_by[requirement].append(control)
        frameworks = model.frameworks_named(adopted)
        self.requirements = [r for r in _sorted(model.requirements.values())
                             if (frameworks is None or r.framework in frameworks) and not r.informative]
        self._standings: dict[tuple[object, ...], list[tuple[Applicability, tuple[URIRef, ...], tuple[bool, ...]]]] = {}
        self._entries: dict[tuple[int, tuple[Status | None, ...]], RequirementCoverage] = {}

    def standings(self, system: AISystem) -> list[Applicability]:
        """The applicable and deferred requirements for a system with these facts."""
        return [standing for standing, _controls, _org in self._plan(system)]

    def _plan(self, system: AISystem) -> list[tuple[Applicability, tuple[URIRef, ...], tuple[bool, ...]]]:
        """Per kind of system (its facts): each standing requirement with the controls that answer it
        and whether each is organisation-wide. Which controls bind depends only on the facts, so
        a thousand systems of a few kinds share a few plans; only statuses differ per system."""
        key = system.facts
        plan = self._standings.get(key)
        if plan is None:
            plan = []
            for requirement in self.requirements:
                standing = self.law.judge(requirement, system)
                if standing.standing == "not-applicable":
                    continue
                answering = [c for c in self.satisfied_by.get(requirement.iri, ()) if self.law.control_binds(c, system)]
                plan.append((standing, tuple(c.iri for c in answering), tuple(c.organisation_scope for c in answering)))
            self._standings[key] = plan
        return plan

    def for_system(
        self, assessment: SystemAssessment, org_status: Mapping[URIRef, Status]
    ) -> tuple[list[RequirementCoverage], list[RequirementCoverage]]:
        pair_status = {pair.control.iri: pair.status for pair in assessment.pairs}
        applicable: list[RequirementCoverage] = []
        deferred: list[RequirementCoverage] = []
        entries = self._entries
        for standing, answering, organisation_wide in self._plan(assessment.system):
            found = tuple((org_status if organisation else pair_status).get(control)
                          for control, organisation in zip(answering, organisation_wide, strict=True))
            # Systems of one kind whose answering controls stand alike share one (frozen) entry:
            # a thousand systems made 300,000 entries, most of them equal.
            key = (id(standing), found)
            entry = entries.get(key)
            if entry is None:
                entry = entries[key] = self._entry(standing, answering, found)
            (applicable if standing.applies else deferred).append(entry)
        return applicable, deferred

    def _entry(
        self, standing: Applicability, answering: tuple[URIRef, ...], found: tuple[Status | None, ...],
    ) -> RequirementCoverage:
        statuses = [status for status in found if status is not None]
        controls = tuple(control for control, status in zip(answering, found, strict=True) if status is not None)
        if not statuses:
            state: Coverage = "unmapped"
        elif all(s in GOOD_STATUSES for s in statuses):
            state = "covered"
        else:
            state = "not"
        requirement = standing.requirement
        justification = self.model.justifications.get(requirement.iri) if not statuses else None
        return RequirementCoverage(requirement, state, controls, justification, standing)


def _sorted(items: Iterable[Control | AISystem | Requirement]) -> list:  # type: ignore[type-arg]
    return sorted(items, key=lambda item: str(item.iri))
