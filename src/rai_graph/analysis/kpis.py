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
- ``expiring``: counting evidence whose last valid day falls within 30, 60 and 90 days;
- ``approval_time``: days from the commit that added an evidence record to the commit that added
  its approval (median and mean; needs git history);
- ``monitoring_coverage``: the share of judged systems with current, counting evidence of type
  ``rai:MonitoringPlan``.

Pure: it takes the pipeline's result.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict

from pydantic import BaseModel, ConfigDict

from rai_graph.pipeline import PipelineResult
from rai_graph.trace import last_valid_day
from rai_graph.vocab import RAI

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


class ApprovalTime(_Model):
    approvals_measured: int
    median_days: float | None
    mean_days: float | None


class Kpis(_Model):
    as_of: dt.date
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


def compute_kpis(result: PipelineResult) -> Kpis:
    assessment, model = result.assessment, result.model
    as_of = assessment.as_of
    judged = [s for s in assessment.systems if s.judged]
    pairs = [p for s in judged for p in s.pairs]

    by_tier: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for system in judged:
        tally = by_tier[model.label(system.system.tier)]
        tally[0] += sum(1 for p in system.pairs if p.evidence)
        tally[1] += len(system.pairs)

    high = [s for s in judged if s.system.tier == RAI.HighRisk]
    high_pairs = [p for s in high for p in s.pairs]
    good = ("met", "waived")

    monitored = 0
    for system in judged:
        if any(e.evidence_type == RAI.MonitoringPlan for p in system.pairs if p.status == "met"
               for e in (model.evidence[i] for i in p.evidence if i in model.evidence)):
            monitored += 1

    return Kpis(
        as_of=as_of,
        completeness_by_tier={tier: _rate(*tally) for tier, tally in sorted(by_tier.items())},
        high_risk_compliance=_rate(sum(1 for p in high_pairs if p.status in good), len(high_pairs)),
        high_risk_systems_fully_compliant=_rate(
            sum(1 for s in high if all(p.status in good for p in s.pairs)), len(high)),
        exception_rate=_rate(sum(1 for p in pairs if p.status == "waived"), len(pairs)),
        findings=_finding_kpis(result, as_of),
        expiring=_expiring(result, as_of),
        approval_time=_approval_time(result),
        monitoring_coverage=_rate(monitored, len(judged)),
    )


def _finding_kpis(result: PipelineResult, as_of: dt.date) -> FindingKpis:
    model = result.model
    open_findings = result.assessment.open_findings
    ages: Counter[str] = Counter()
    for finding in open_findings:
        age = (as_of - finding.created).days if finding.created else None
        ages[_age_bucket(age)] += 1
    # A finding "resolved" before it was created is a data error; it says nothing about speed.
    resolved = [f for f in model.findings
                if f.resolved_on and f.created and f.created <= f.resolved_on <= as_of]
    durations = [(f.resolved_on - f.created).days for f in resolved if f.resolved_on and f.created]
    return FindingKpis(
        open=len(open_findings),
        overdue=len(result.assessment.overdue_findings()),
        open_by_severity=dict(sorted(Counter(model.label(f.severity) for f in open_findings).items())),
        open_by_age_days=dict(ages),
        mean_days_to_resolution=round(statistics.fmean(durations), 1) if durations else None,
        resolved=len(resolved),
    )


def _age_bucket(age: int | None) -> str:
    if age is None:
        return "unknown"
    for limit, label in AGE_BUCKETS:
        if age <= limit:
            return label
    return ">180"


def _expiring(result: PipelineResult, as_of: dt.date) -> dict[str, int]:
    """Counting evidence (of met pairs) whose last valid day is within 30/60/90 days."""
    model = result.model
    last_days: dict[object, dt.date] = {}
    for system in result.assessment.systems:
        for pair in system.pairs:
            if pair.status != "met":
                continue
            for iri in pair.evidence:
                evidence = model.evidence.get(iri)
                if evidence is None or evidence.generated is None:
                    continue
                last = last_valid_day(evidence, evidence.generated, pair.control)
                if last is not None:
                    last_days[(iri, pair.control.iri)] = last
    return {
        f"within_{days}_days": sum(1 for last in last_days.values() if 0 <= (last - as_of).days <= days)
        for days in (30, 60, 90)
    }


def _approval_time(result: PipelineResult) -> ApprovalTime:
    model, provenance = result.model, result.provenance
    days = []
    for approval in model.approvals:
        evidence = model.evidence.get(approval.evidence) if approval.evidence else None
        if evidence is None:
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
