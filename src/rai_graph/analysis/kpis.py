"""Governance KPIs computed from the graph and git history (``rai-graph kpis``).

Every figure is defined here once, in words and in code, so the JSON, the site dashboard and the
report agree:

- ``completeness_by_tier``: per risk tier, the share of applicable (system, control) pairs that
  have evidence on file, current or not (a waiver is not evidence);
- ``high_risk_compliance``: over high-risk systems, the share of pairs met or waived, and the
  share of high-risk systems with every pair met or waived;
- ``exception_rate``: the share of applicable pairs that are waived;
- ``findings``: open findings by severity and by age (days since ``dcterms:created``), overdue
  count, and the mean days from a finding's creation to its resolution (resolved ones);
- ``expiring``: (system, control) pairs met or waived today whose status lapses by dates alone
  (evidence age, ``rai:validUntil``, approval or waiver expiry: the engine's ``valid_through``)
  within 30, 60 and 90 days (cumulative: the 90-day figure includes the 30-day one);
- ``approval_time``: days from the commit that added an evidence record to the commit that added
  its approval (median and mean; needs git history);
- ``monitoring_coverage``: the share of judged systems with current, counting evidence of type
  ``rai:MonitoringPlan``.

Scope: a report or view about some systems computes them over those systems only (their pairs,
findings, approvals); organisation-wide figures (every system, organisation controls) only when
no system is chosen, and ``scope`` says which. Findings an audience may not see are counted in
``findings.withheld``, not listed. Pure: it takes the pipeline's result.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rai_graph.audience import AudienceView
from rai_graph.pipeline import PipelineResult
from rai_graph.trace import GOOD_STATUSES, PairStatus, SystemAssessment
from rai_graph.vocab import RAI

EXPIRY_WINDOWS = (30, 60, 90)

AGE_BUCKETS = ((30, "0-30"), (90, "31-90"), (180, "91-180"))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rate(_Model):
    numerator: int
    denominator: int
    rate: float | None
    """numerator / denominator rounded to 4 places; None when there is nothing to count."""


class FindingKpis(_Model):
    open: int
    overdue: int
    open_by_severity: dict[str, int]
    open_by_age_days: dict[str, int]
    mean_days_to_resolution: float | None
    resolved: int
    withheld: int = 0
    """Open findings classified above the audience's level (counted in ``open``, not listed)."""


class ApprovalTime(_Model):
    approvals_measured: int
    median_days: float | None
    mean_days: float | None


class Kpis(_Model):
    as_of: dt.date
    scope: Literal["organisation", "systems"]
    """``organisation``: every system and the organisation-wide controls; ``systems``: only those named."""
    systems: list[str]
    """The systems counted (folder names)."""
    completeness_by_tier: dict[str, Rate]
    high_risk_compliance: Rate
    high_risk_systems_fully_compliant: Rate
    exception_rate: Rate
    findings: FindingKpis
    expiring: dict[str, int]
    approval_time: ApprovalTime
    monitoring_coverage: Rate


def _rate(numerator: int, denominator: int) -> Rate:
    return Rate(numerator=numerator, denominator=denominator,
                rate=round(numerator / denominator, 4) if denominator else None)


def compute_kpis(
    result: PipelineResult, systems: Sequence[SystemAssessment] | None = None,
    view: AudienceView | None = None,
) -> Kpis:
    """The KPIs over ``systems`` (default: the whole organisation), as ``view``'s audience may read them."""
    assessment, model = result.assessment, result.model
    as_of = assessment.as_of
    organisation = systems is None
    chosen = list(assessment.systems) if systems is None else list(systems)
    judged = [s for s in chosen if s.judged]
    pairs = [p for s in judged for p in s.pairs]

    by_tier: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for system in judged:
        tally = by_tier[model.label(system.system.tier)]
        tally[0] += sum(1 for p in system.pairs if p.evidence)
        tally[1] += len(system.pairs)

    high = [s for s in judged if s.system.tier == RAI.HighRisk]
    high_pairs = [p for s in high for p in s.pairs]

    monitored = 0
    for system in judged:
        if any(e.evidence_type == RAI.MonitoringPlan for p in system.pairs if p.status == "met"
               for e in (model.evidence[i] for i in p.evidence if i in model.evidence)):
            monitored += 1
    lapsing = pairs + (list(assessment.organisation) if organisation else [])

    return Kpis(
        as_of=as_of,
        scope="organisation" if organisation else "systems",
        systems=[s.system.name for s in chosen],
        completeness_by_tier={tier: _rate(*tally) for tier, tally in sorted(by_tier.items())},
        high_risk_compliance=_rate(sum(1 for p in high_pairs if p.status in GOOD_STATUSES), len(high_pairs)),
        high_risk_systems_fully_compliant=_rate(
            sum(1 for s in high if all(p.status in GOOD_STATUSES for p in s.pairs)), len(high)),
        exception_rate=_rate(sum(1 for p in pairs if p.status == "waived"), len(pairs)),
        findings=_finding_kpis(result, as_of, None if organisation else {s.system.iri for s in chosen}, view),
        expiring=expiring_counts(lapsing, as_of),
        approval_time=_approval_time(result, None if organisation else {s.system.iri for s in chosen}),
        monitoring_coverage=_rate(monitored, len(judged)),
    )


def expiring_counts(pairs: Sequence[PairStatus], as_of: dt.date) -> dict[str, int]:
    """Pairs met or waived today whose status lapses within 30, 60 and 90 days (cumulative)."""
    left = [(p.valid_through - as_of).days for p in pairs
            if p.status in GOOD_STATUSES and p.valid_through is not None]
    return {f"within_{days}_days": sum(1 for d in left if 0 <= d <= days) for days in EXPIRY_WINDOWS}


def _finding_kpis(
    result: PipelineResult, as_of: dt.date, systems: set[object] | None, view: AudienceView | None,
) -> FindingKpis:
    model = result.model
    in_scope = [f for f in model.findings if systems is None or f.systems & systems]
    open_findings = [f for f in result.assessment.open_findings if systems is None or f.systems & systems]
    withheld = 0 if view is None else sum(1 for f in open_findings if not view.sees_finding(f))
    ages: Counter[str] = Counter()
    for finding in open_findings:
        age = (as_of - finding.created).days if finding.created else None
        ages[_age_bucket(age)] += 1
    # A finding "resolved" before it was created is a data error; it says nothing about speed.
    resolved = [f for f in in_scope
                if f.resolved_on and f.created and f.created <= f.resolved_on <= as_of]
    durations = [(f.resolved_on - f.created).days for f in resolved if f.resolved_on and f.created]
    return FindingKpis(
        open=len(open_findings),
        overdue=sum(1 for f in open_findings if f.overdue_on(as_of)),
        open_by_severity=dict(sorted(Counter(model.label(f.severity) for f in open_findings).items())),
        open_by_age_days=dict(ages),
        mean_days_to_resolution=round(statistics.fmean(durations), 1) if durations else None,
        resolved=len(resolved),
        withheld=withheld,
    )


def _age_bucket(age: int | None) -> str:
    if age is None:
        return "unknown"
    for limit, label in AGE_BUCKETS:
        if age <= limit:
            return label
    return ">180"


def _approval_time(result: PipelineResult, systems: set[object] | None) -> ApprovalTime:
    model, provenance = result.model, result.provenance
    days = []
    for approval in model.approvals:
        evidence = model.evidence.get(approval.evidence) if approval.evidence else None
        if evidence is None or (systems is not None and not evidence.systems & systems):
            continue
        approved = provenance.of(approval.origin.file)
        filed = provenance.of(evidence.origin.file)
        if approved is None or filed is None:
            continue
        days.append((approved.added.date - filed.added.date).total_seconds() / 86400)
    return ApprovalTime(
        approvals_measured=len(days),
        median_days=round(statistics.median(days), 2) if days else None,
        mean_days=round(statistics.fmean(days), 2) if days else None,
    )
