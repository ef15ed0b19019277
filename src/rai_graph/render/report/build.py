"""Build the :class:`~.schema.AuditReport` from a pipeline result, for one framework and audience.

No I/O: everything comes from the :class:`~rai_graph.pipeline.PipelineResult` (model, artefact
checks, provenance, statuses). The audience filter is applied here, once, for every format:
evidence above the audience's level is left out with its approvals, and any text that would name
it (a status reason, an input error) is replaced by a generic one or withheld.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from rdflib import URIRef
from rdflib.term import BNode, Node

from rai_graph._display import duration_words
from rai_graph._version import __version__
from rai_graph.analysis.kpis import compute_kpis
from rai_graph.analysis.timeline import timeline as build_timeline
from rai_graph.audience import AUDIENCES, Audience, AudienceView, may_see
from rai_graph.errors import InputError, UnknownFramework
from rai_graph.model import (
    AISystem,
    Approval,
    Evidence,
    Framework,
    Justification,
    RepositoryModel,
    Requirement,
    Waiver,
)
from rai_graph.order import clause_key
from rai_graph.pipeline import PipelineResult
from rai_graph.provenance import FileProvenance
from rai_graph.render.report import schema as out
from rai_graph.trace import (
    GAP_STATUSES,
    STATUS_ORDER,
    PairStatus,
    RequirementCoverage,
    Status,
    SystemAssessment,
)
from rai_graph.vocab import RAI

LOOKAHEAD_DAYS = 90
EXCERPT_CHARACTERS = 320
TOP_RISKS = 5

_LEVELS_SEEN: dict[Audience, tuple[URIRef, ...]] = {
    audience: tuple(level for level in (RAI.Public, RAI.CustomerShareable, RAI.Internal, RAI.Confidential)
                    if may_see(audience, level))
    for audience in AUDIENCES
}

# Rank of a gap among the top risks: a broken or absent proof before a lapsed or unsigned one;
# open findings rank by their own severity on the same scale.
_GAP_SEVERITY: dict[str, int] = {"invalid": 0, "missing": 0, "failing": 1, "expired": 1, "unapproved": 2}
_SEVERITY_RANK: dict[str, int] = {"Critical": 0, "High": 1, "Medium": 2, "Low": 3}


def framework_id_of(framework: Framework) -> str:
    """The command-line id of a framework: the last path segment of its IRI."""
    return str(framework.iri).rstrip("/").rsplit("/", 1)[-1]


def resolve_framework(result: PipelineResult, wanted: str) -> Framework:
    """The framework named ``wanted`` (id, notation, local name or IRI), adopted by the repository.

    Raises :class:`UnknownFramework` when none matches, or when the repository's settings adopt
    other frameworks only (its requirements would then never be applicable).
    """
    model = result.model
    matches = [f for f in model.frameworks.values()
               if wanted in (framework_id_of(f), f.notation, str(f.iri))]
    known = ", ".join(sorted(framework_id_of(f) for f in model.frameworks.values())) or "none"
    if not matches:
        raise UnknownFramework(f"no framework {wanted!r} in the repository (known: {known})")
    framework = min(matches, key=lambda f: str(f.iri))
    adopted = result.repository.settings.frameworks
    if adopted is not None and not {framework_id_of(framework), framework.notation,
                                    str(framework.iri)} & set(adopted):
        raise UnknownFramework(
            f"framework {wanted!r} is not adopted by this repository "
            f"(rai-graph.toml frameworks = {', '.join(adopted) or 'none'})"
        )
    return framework


def build_report(
    result: PipelineResult,
    framework: Framework,
    systems: Sequence[SystemAssessment],
    *,
    audience: Audience,
    source: out.SourceInfo,
    lookahead_days: int = LOOKAHEAD_DAYS,
    view: AudienceView | None = None,
) -> out.AuditReport:
    """The report on ``systems`` for ``framework`` as of the pipeline's date, for ``audience``
    (through ``view``, when the caller has built the audience's view already)."""
    view = view or AudienceView(audience, result.model, result.validation.artifacts)
    builder = _Builder(result, framework, view, lookahead_days)
    system_reports = [builder.system(assessment) for assessment in systems]
    errors, withheld = builder.errors(systems)
    every_system = {s.system.iri for s in systems} == {s.system.iri for s in result.assessment.systems}
    return out.AuditReport(
        generated_by=f"rai-graph {__version__}",
        as_of=result.assessment.as_of,
        lookahead_days=lookahead_days,
        audience=audience,
        visible_levels=[result.model.label(level) for level in _LEVELS_SEEN[audience]],
        source=source,
        framework=out.FrameworkInfo(id=framework_id_of(framework), iri=str(framework.iri),
                                    title=framework.title),
        summary=_summary(system_reports),
        kpis=compute_kpis(result, None if every_system else systems, view),
        systems=system_reports,
        repository_conforms=not result.validation.errors,
        repository_errors=len(result.validation.errors),
        errors=errors,
        errors_withheld=withheld,
    )


class _Builder:
    def __init__(self, result: PipelineResult, framework: Framework, view: AudienceView,
                 lookahead_days: int) -> None:
        self.result = result
        self.model: RepositoryModel = result.model
        self.framework = framework
        self.audience = view.audience
        self.as_of = result.assessment.as_of
        self.horizon = self.as_of + dt.timedelta(days=lookahead_days)
        self.view = view
        self.org_pairs = {pair.control.iri: pair for pair in result.assessment.organisation}
        self.justified_by: dict[URIRef, list[Justification]] = defaultdict(list)
        for record in self.model.justification_records:
            for requirement in record.requirements:
                self.justified_by[requirement].append(record)

    # -- audience --------------------------------------------------------------------------

    def visible(self, evidence: Evidence) -> bool:
        return self.view.sees(evidence)

    # -- one system ------------------------------------------------------------------------

    def system(self, assessment: SystemAssessment) -> out.SystemReport:
        system = assessment.system
        coverage = sorted(
            (c for c in (*assessment.requirements, *assessment.deferred)
             if c.requirement.framework == self.framework.iri),
            key=lambda c: clause_key(c.requirement.notation),
        )
        pairs = {pair.control.iri: pair for pair in assessment.pairs}
        mapped: dict[URIRef, PairStatus] = {}
        for entry in coverage:
            for control in entry.controls:
                mapped[control] = pairs.get(control) or self.org_pairs[control]
        ordered_pairs = sorted(mapped.values(), key=lambda p: clause_key(p.control.notation))

        controls = [self._control(pair, system) for pair in ordered_pairs]
        evidence_iris = {iri for control in controls for iri in control.evidence}
        evidence = [self._evidence(e) for e in sorted(
            (self.model.evidence[URIRef(iri)] for iri in evidence_iris),
            key=lambda e: (e.title.casefold(), str(e.iri)))]
        requirements = [self._requirement(entry) for entry in coverage]
        findings, findings_withheld = self._findings(system)
        counts = _status_counts(p.status for p in ordered_pairs)
        obligations = _obligation_counts(requirements)
        judged_in_force = obligations.in_force - obligations.justified
        return out.SystemReport(
            system=self._system_info(system),
            judged=assessment.judged,
            readiness=round(assessment.readiness, 4),
            framework_readiness=round(
                (counts["met"] + counts["waived"]) / len(ordered_pairs) if ordered_pairs else 1.0, 4),
            coverage=round(obligations.covered / judged_in_force if judged_in_force else 1.0, 4),
            control_counts=counts,
            obligations=obligations,
            requirements=requirements,
            controls=controls,
            evidence=evidence,
            gaps=self._gaps(ordered_pairs, requirements, system),
            expiring=self._expiring(ordered_pairs),
            waivers=self._waivers(system, pairs, mapped),
            findings=findings,
            findings_withheld=findings_withheld,
            not_yet_in_force=[r.iri for r in requirements if not r.in_force],
            unmapped=[r.iri for r in requirements if r.state == "unmapped" and r.in_force],
            timeline=_milestones(assessment, self.framework),
        )

    def _system_info(self, system: AISystem) -> out.SystemInfo:
        model = self.model
        return out.SystemInfo(
            iri=str(system.iri), name=system.name, title=system.title,
            tier=str(system.tier) if system.tier else None,
            tier_label=model.label(system.tier) if system.tier else "(no tier)",
            roles=sorted(model.label(role) for role in system.roles),
            owner=self._person(system.owner),
            lifecycle=model.label(system.lifecycle) if system.lifecycle else None,
            intended_purpose=system.intended_purpose,
            annex_iii_areas=sorted(
                (self.model.requirements[a].notation if a in self.model.requirements else _local_name(a)
                 for a in system.annex_areas), key=clause_key),
            file=system.origin.file,
        )

    def _requirement(self, entry: RequirementCoverage) -> out.RequirementResult:
        requirement = entry.requirement
        standing = entry.standing
        in_force = standing is None or standing.applies
        return out.RequirementResult(
            iri=str(requirement.iri), notation=requirement.notation, title=requirement.title,
            excerpt=excerpt(requirement.text), heading=self._heading(requirement),
            applies_from=standing.applies_from if standing else requirement.applies_from, in_force=in_force,
            upcoming=None if in_force or standing is None else standing.reason,
            source=standing.source if standing else None,
            to_be_verified=bool(standing and standing.to_be_verified), state=entry.state,
            controls=[str(c) for c in sorted(entry.controls, key=self._control_order)],
            justification=self._justification(requirement) if entry.unmapped else None,
        )

    def _control_order(self, iri: URIRef) -> tuple[tuple[int, int | str], ...]:
        control = self.model.controls.get(iri)
        return clause_key(control.notation if control else str(iri))

    def _heading(self, requirement: Requirement) -> str | None:
        top, seen = requirement, {requirement.iri}
        while top.broader is not None and top.broader in self.model.requirements:
            if top.broader in seen:
                break
            seen.add(top.broader)
            top = self.model.requirements[top.broader]
        if top is requirement:
            return None
        return f"{top.notation} — {top.title}" if top.title else top.notation

    def _justification(self, requirement: Requirement) -> out.UnmappedJustification | None:
        found = self.justified_by.get(requirement.iri)
        if not found:
            return None
        record = min(found, key=lambda j: str(j.iri))
        return out.UnmappedJustification(
            iri=str(record.iri), title=record.title, rationale=record.rationale,
            by=self._person(record.author), date=record.date,
        )

    # -- controls and evidence -------------------------------------------------------------

    def _control(self, pair: PairStatus, system: AISystem) -> out.ControlResult:
        control = pair.control
        visible, withheld = self.view.evidence_of(pair)
        shown = {e.iri for e in visible}
        approval = next((_approval_id(lapse.approval) for lapse in pair.lapses
                         if lapse.approval is not None and lapse.evidence in shown), None)
        waiver = _waiver_id(pair.waiver) if pair.waiver is not None else None
        return out.ControlResult(
            iri=str(control.iri), notation=control.notation, title=control.title,
            scope="organisation" if control.organisation_scope else "system",
            status=pair.status, reason=self.view.reason(pair), status_text=self.view.status_phrase(pair),
            evidence=[str(e.iri) for e in visible], withheld_evidence=withheld,
            approval=approval,
            approval_role=self.model.label(control.approval_role) if control.approval_role else None,
            evidence_type=self.model.label(control.evidence_type) if control.evidence_type else None,
            max_evidence_age=control.max_age_text, waiver=waiver,
        )

    def _evidence(self, evidence: Evidence) -> out.EvidenceItem:
        judged = self.result.validation.artifacts.get(evidence.iri)
        check = self.view.names_artifact(evidence)  # None: its path and hashes are not this audience's
        artifact_path = check.path if check else None
        model = self.model
        approvals = sorted(
            (a for a in model.approvals_of.get(evidence.iri, ())
             if a.date is None or a.date <= self.as_of),
            key=lambda a: (a.date or dt.date.min, _approval_id(a)),
        )
        return out.EvidenceItem(
            iri=str(evidence.iri), title=evidence.title,
            evidence_type=model.label(evidence.evidence_type) if evidence.evidence_type else None,
            confidentiality=model.label(evidence.confidentiality or RAI.Confidential),
            generated=evidence.generated, valid_until=evidence.valid_until,
            author=self._person(evidence.author),
            artifact=artifact_path, artifact_url=evidence.artifact_url,
            sha256=check.actual_sha256 if check else None,
            recorded_sha256=evidence.sha256 if check is not None or judged is None else None,
            artifact_state=judged.state.value if judged else None,
            record_file=evidence.origin.file, record_line=evidence.origin.line,
            record_commit=_commit(self.result.provenance.of(evidence.origin.file)),
            artifact_commit=_commit(self.result.provenance.of(artifact_path)) if artifact_path else None,
            approvals=[self._approval(a) for a in approvals],
        )

    def _approval(self, approval: Approval) -> out.Approval:
        return out.Approval(
            id=_approval_id(approval),
            decision=self.model.label(approval.decision) if approval.decision else "(no decision)",
            approver=self._person(approval.approver),
            role=self.model.label(approval.role) if approval.role else None,
            date=approval.date, expires=approval.expires, file=approval.origin.file,
        )

    def _person(self, iri: URIRef | None) -> out.PersonRef | None:
        if iri is None:
            return None
        person = self.model.people.get(iri)
        if person is None:
            return out.PersonRef(iri=str(iri), name=_local_name(iri), email=None)
        email = person.mbox.removeprefix("mailto:") if person.mbox else None
        return out.PersonRef(iri=str(iri), name=person.name, email=email)

    # -- gaps, expiry, waivers -------------------------------------------------------------

    def _gaps(self, pairs: Sequence[PairStatus], requirements: Sequence[out.RequirementResult],
              system: AISystem) -> list[out.Gap]:
        gaps = []
        for pair in pairs:
            if pair.status not in GAP_STATUSES:
                continue
            control = pair.control
            affected = [r for r in requirements if str(control.iri) in r.controls]
            hint = self.view.file_hint(pair)
            starts = [r.applies_from for r in affected if r.applies_from is not None and not r.in_force]
            gaps.append(out.Gap(
                control=str(control.iri), notation=control.notation, title=control.title,
                scope="organisation" if control.organisation_scope else "system",
                status=pair.status,  # type: ignore[arg-type]  # a gap status, checked above
                reason=self.view.reason(pair),
                closes_it=self._closes_it(pair),
                owner=None if control.organisation_scope else self._person(system.owner),
                approval_role=self.model.label(control.approval_role) if control.approval_role else None,
                file=pair.file if hint is not None else None,
                requirements=[r.notation for r in affected],
                in_force=any(r.in_force for r in affected),
                earliest_applies_from=min(starts) if starts else None,
            ))
        return gaps

    def _closes_it(self, pair: PairStatus) -> str:
        control = pair.control
        model = self.model
        kind = f"{model.label(control.evidence_type)} " if control.evidence_type else ""
        approval = (f", approved by a {model.label(control.approval_role)} who is not its author"
                    if control.approval_role else "")
        if pair.status == "missing":
            return f"Record {kind}evidence implementing {control.notation}{approval}."
        if pair.status == "expired":
            age = f" (maximum age {duration_words(control.max_age_text)})" if control.max_age_text else ""
            return f"Renew the {kind}evidence{age} and record the new version{approval}."
        if pair.status == "failing":
            return ("Bring the measured metrics within the control's thresholds and record the new "
                    f"evaluation{approval}.")
        if pair.status == "invalid":
            return ("Restore the artefact the record names, or correct its path and rai:sha256 "
                    f"if the artefact was replaced on purpose{approval}.")
        return (f"Record an approval by a {model.label(control.approval_role)} who is not the "
                "evidence's author, dated on or before the report date.")

    def _expiring(self, pairs: Sequence[PairStatus]) -> list[out.ExpiringEvidence]:
        """Visible evidence of met or unapproved pairs that stops counting within the window
        (the engine's lapses: evidence age, rai:validUntil, approval expiry)."""
        rows = []
        for pair in pairs:
            for lapse in pair.lapses:
                evidence = self.model.evidence.get(lapse.evidence)
                if (evidence is None or not self.visible(evidence) or lapse.last_day is None
                        or not self.as_of <= lapse.last_day <= self.horizon):
                    continue
                rows.append(out.ExpiringEvidence(
                    evidence=str(evidence.iri), title=evidence.title, control=pair.control.notation,
                    valid_through=lapse.last_day, days_left=(lapse.last_day - self.as_of).days,
                    basis=lapse.basis,
                ))
        return sorted(rows, key=lambda r: (r.valid_through, r.control, r.title))

    def _waivers(self, system: AISystem, pairs: Mapping[URIRef, PairStatus],
                 mapped: Mapping[URIRef, PairStatus]) -> list[out.WaiverItem]:
        items = []
        for waiver in self.model.waivers:
            if (waiver.system != system.iri or waiver.control is None
                    or waiver.control not in mapped
                    or (waiver.date is not None and waiver.date > self.as_of)):
                continue
            control = self.model.controls[waiver.control]
            pair = mapped[waiver.control]
            items.append(out.WaiverItem(
                id=_waiver_id(waiver), control=str(control.iri), notation=control.notation,
                title=control.title, rationale=waiver.rationale,
                approved_by=self._person(waiver.approver),
                role=self.model.label(waiver.role) if waiver.role else None,
                approved_on=waiver.date, expires=waiver.expires,
                days_left=(waiver.expires - self.as_of).days if waiver.expires else None,
                state=self._waiver_state(waiver, system, pair),
                compensating_controls=[
                    out.CompensatingControl(
                        iri=str(c), notation=self.model.controls[c].notation,
                        title=self.model.controls[c].title,
                        status=self._status_of(c, pairs),
                    )
                    for c in sorted(waiver.compensating, key=self._control_order)
                    if c in self.model.controls
                ],
                file=waiver.origin.file,
            ))
        return sorted(items, key=lambda w: (clause_key(w.notation), w.id))

    def _findings(self, system: AISystem) -> tuple[list[out.FindingItem], int]:
        shown, withheld = [], 0
        for finding in self.model.findings:
            if system.iri not in finding.systems or not finding.open_on(self.as_of):
                continue
            if not self.view.sees_finding(finding):
                withheld += 1
                continue
            concerns = sorted(
                (self.model.controls[c].notation if c in self.model.controls
                 else self.model.requirements[c].notation if c in self.model.requirements
                 else _local_name(c) for c in finding.concerns),
                key=clause_key,
            )
            shown.append(out.FindingItem(
                id=_node_id(finding.iri, finding.origin.file, finding.origin.line),
                title=finding.title, incident=finding.incident,
                severity=self.model.label(finding.severity) if finding.severity else None,
                description=excerpt(finding.description), owner=self._person(finding.owner),
                created=finding.created, due=finding.due, overdue=finding.overdue_on(self.as_of),
                concerns=concerns, file=finding.origin.file,
            ))
        shown.sort(key=lambda f: (_SEVERITY_RANK.get(f.severity or "", 9), not f.overdue,
                                  f.due or dt.date.max, f.title))
        return shown, withheld

    def _status_of(self, control: URIRef, pairs: Mapping[URIRef, PairStatus]) -> Status | None:
        pair = pairs.get(control) or self.org_pairs.get(control)
        return pair.status if pair else None

    def _waiver_state(self, waiver: Waiver, system: AISystem, pair: PairStatus) -> out.WaiverState:
        if pair.status == "waived" and (pair.file, pair.line) == (waiver.origin.file, waiver.origin.line):
            return "active"
        if waiver.expires is not None and waiver.expires < self.as_of:
            return "expired"
        rules = self.result.assessment.rules
        if rules is not None and rules.waiver_counts(waiver, system):
            return "not needed"
        return "not valid"

    # -- input errors ----------------------------------------------------------------------

    def errors(self, systems: Sequence[SystemAssessment]) -> tuple[list[out.InputProblem], int]:
        """Errors outside other systems' folders; those naming withheld items are counted only."""
        chosen = {s.system.origin.file.rsplit("/", 1)[0] for s in systems}
        other_systems = {
            s.system.origin.file.rsplit("/", 1)[0] for s in self.result.assessment.systems
        } - chosen
        relevant = [e for e in self.result.validation.errors if not _in_any(e.file, other_systems)]
        shown, withheld = self.view.errors(relevant)
        return [_problem(e) for e in shown], withheld


def _milestones(assessment: SystemAssessment, framework: Framework) -> list[out.Milestone]:
    """What binds when, for the framework's requirements only."""
    found = []
    for entry in build_timeline([assessment]):
        for milestone in entry.milestones:
            own = [r for r in milestone.requirements if r.requirement.framework == framework.iri]
            if not own:
                continue
            reasons = sorted({r.standing.reason for r in own if r.standing})
            found.append(out.Milestone(
                date=milestone.date, requirements=[r.requirement.notation for r in own],
                covered=sum(1 for r in own if r.covered), unmapped=sum(1 for r in own if r.unmapped),
                not_covered=sum(1 for r in own if not r.covered and not r.unmapped), reasons=reasons))
    return found


def _in_any(path: str, folders: Iterable[str]) -> bool:
    return any(path.startswith(folder + "/") for folder in folders)


def _problem(error: InputError) -> out.InputProblem:
    return out.InputProblem(file=error.file, line=error.line, message=error.message, kind=error.kind)


def _summary(systems: Sequence[out.SystemReport]) -> out.ExecutiveSummary:
    total: Counter[str] = Counter()
    for report in systems:
        total.update(report.control_counts)
    return out.ExecutiveSummary(
        systems=[
            out.SystemSummary(
                name=s.system.name, title=s.system.title, tier_label=s.system.tier_label,
                judged=s.judged, readiness=s.readiness, framework_readiness=s.framework_readiness,
                coverage=s.coverage, control_counts=s.control_counts, obligations=s.obligations,
                gaps=len(s.gaps),
            )
            for s in systems
        ],
        control_counts={status: total[status] for status in STATUS_ORDER},
        top_risks=_top_risks(systems),
        expiring_soon=sum(len(s.expiring) for s in systems),
    )


def _top_risks(systems: Sequence[out.SystemReport]) -> list[out.Risk]:
    ranked: list[tuple[tuple[int, int, int, str, str], out.Risk]] = []
    for report in systems:
        name = report.system.name
        for gap in report.gaps:
            risk = out.Risk(
                system=name, kind="gap",
                summary=f"{gap.notation} {gap.title}: {gap.reason}",
                control=gap.notation, status=gap.status, requirements=gap.requirements,
                in_force=gap.in_force,
            )
            key = (0 if gap.in_force else 1, _GAP_SEVERITY[gap.status], -len(gap.requirements),
                   name, gap.notation)
            ranked.append((key, risk))
        for finding in report.findings:
            rank = _SEVERITY_RANK.get(finding.severity or "", 3)
            if rank > 1:
                continue  # medium and low findings are listed per system, not among top risks
            late = f", overdue since {finding.due}" if finding.overdue else (
                f", due {finding.due}" if finding.due else "")
            risk = out.Risk(
                system=name, kind="finding",
                summary=f"{finding.severity} {'incident' if finding.incident else 'finding'}: "
                        f"{finding.title}{late}",
                control=None, status=None, requirements=finding.concerns, in_force=True,
            )
            # An overdue high finding is as urgent as absent proof.
            urgency = 0 if finding.overdue else rank
            ranked.append(((0, urgency, -len(finding.concerns), name, finding.title), risk))
        by_iri = {r.iri: r for r in report.requirements}
        unjustified = [by_iri[iri] for iri in report.unmapped if by_iri[iri].justification is None]
        for in_force in (True, False):
            group = [r for r in unjustified if r.in_force == in_force]
            if not group:
                continue
            when = "in force" if in_force else "not yet in force"
            risk = out.Risk(
                system=name, kind="unmapped",
                summary=(f"{len(group)} applicable requirement{'s' * (len(group) != 1)} {when} "
                         "with no control mapped and no documented justification"),
                control=None, status=None, requirements=[r.notation for r in group],
                in_force=in_force,
            )
            ranked.append(((0 if in_force else 1, 0, -len(group), name, ""), risk))
    ranked.sort(key=lambda item: item[0])
    return [risk for _key, risk in ranked[:TOP_RISKS]]


def _status_counts(statuses: Iterable[Status]) -> dict[Status, int]:
    counts = Counter(statuses)
    return {status: counts[status] for status in STATUS_ORDER}


def _obligation_counts(requirements: Sequence[out.RequirementResult]) -> out.ObligationCounts:
    in_force = [r for r in requirements if r.in_force]
    return out.ObligationCounts(
        applicable=len(requirements), in_force=len(in_force),
        covered=sum(1 for r in in_force if r.state == "covered"),
        not_covered=sum(1 for r in in_force if r.state == "not"),
        unmapped=sum(1 for r in in_force if r.state == "unmapped"),
        justified=sum(1 for r in in_force if r.state == "unmapped" and r.justification is not None),
        not_yet_in_force=len(requirements) - len(in_force),
    )


# -- small helpers -----------------------------------------------------------------------------

def excerpt(text: str | None, limit: int = EXCERPT_CHARACTERS) -> str | None:
    """The start of ``text``, whitespace collapsed, cut at a word boundary with an ellipsis."""
    if text is None:
        return None
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


def _commit(provenance: FileProvenance | None) -> out.CommitRef | None:
    if provenance is None:
        return None
    last = provenance.last_changed
    return out.CommitRef(sha=last.sha, date=last.date, author=last.author)


def _node_id(node: Node, file: str, line: int | None) -> str:
    """An IRI, or for a blank node (whose label changes between runs) ``_:FILE:LINE``."""
    return f"_:{file}:{line}" if isinstance(node, BNode) else str(node)


def _approval_id(approval: Approval) -> str:
    return _node_id(approval.iri, approval.origin.file, approval.origin.line)


def _waiver_id(waiver: Waiver) -> str:
    return _node_id(waiver.iri, waiver.origin.file, waiver.origin.line)


def _local_name(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


